"""Features live in ``window.features``, looked up by type; none sets attributes on the window.

A feature that hangs itself on the window (``window.paper_feature = ...``) makes
tests and other features depend on an attribute nobody declared. Here the
window with every feature is compared with the same window without any: the
features may add screens and buttons, never an attribute.
"""

from __future__ import annotations

import sys
import types

import pytest
from PySide6.QtWidgets import QApplication

from finders import screen
from ui.abroad.screen import AbroadFeature
from ui.activation.feature import ActivationFeature
from ui.language.screen import LanguageFeature
from ui.paper.feature import PaperFeature
from ui.shell import features, theme
from ui.shell.main_window import MainWindow
from ui.start.choice import StartChoice

pytestmark = pytest.mark.gui

INSTALLED = (ActivationFeature, PaperFeature, AbroadFeature, LanguageFeature, StartChoice)


@pytest.fixture
def make_window(qtbot, session, tmp_path):
    """make_window() -> a MainWindow over the practice session, with FEATURES as it is now."""

    def make() -> MainWindow:
        theme.apply(QApplication.instance(), 100)
        window = MainWindow(session, pdf_folder=tmp_path / "pdf")
        qtbot.addWidget(window)
        return window

    return make


def own_attributes(make_window, monkeypatch) -> set[str]:
    """The attributes of a MainWindow with no feature installed: the window's own."""
    with monkeypatch.context() as patch:
        patch.setattr(features, "FEATURES", [])
        bare = make_window()
    assert len(bare.features) == 0
    return set(vars(bare))


def added_attributes(make_window, monkeypatch) -> set[str]:
    return set(vars(make_window())) - own_attributes(make_window, monkeypatch)


def test_installing_the_features_sets_no_attribute_on_the_window(make_window, monkeypatch):
    assert added_attributes(make_window, monkeypatch) == set()


def test_the_check_sees_a_feature_that_sets_an_attribute(make_window, monkeypatch):
    # The check itself can fail: a feature as they used to be, hanging itself on the window.
    old_style = types.ModuleType("old_style_feature")

    class OldStyle:
        pass

    def install(window):
        window.old_style = OldStyle()
        return window.old_style

    old_style.install = install
    monkeypatch.setitem(sys.modules, "old_style_feature", old_style)
    monkeypatch.setattr(features, "FEATURES", [*features.FEATURES, "old_style_feature"])
    assert added_attributes(make_window, monkeypatch) == {"old_style"}


def test_every_feature_is_found_by_its_type(make_window):
    window = make_window()
    found = [window.features.get(kind) for kind in INSTALLED]
    assert [type(f) for f in found] == list(INSTALLED)
    # every module in FEATURES installs one (another may be added beside these)
    assert len(window.features) == len(features.FEATURES)
    assert set(map(id, found)) <= set(map(id, window.features))
    # A feature's screen, built when first asked for, is the one in the window by that name.
    language = window.features.get(LanguageFeature).screen
    assert language is screen(window, "language_screen")
    assert window.features.find(PaperFeature) is window.features.get(PaperFeature)


def test_a_feature_that_is_not_installed_is_a_key_error(make_window, monkeypatch):
    window = make_window()

    class NotAFeature:
        pass

    with pytest.raises(KeyError, match="NotAFeature is not installed"):
        window.features.get(NotAFeature)
    assert window.features.find(NotAFeature) is None
    # Without the paper feature in FEATURES there is no PaperFeature (and no paper screens).
    monkeypatch.setattr(
        features, "FEATURES", [name for name in features.FEATURES if name != "ui.paper.feature"]
    )
    without = make_window()
    with pytest.raises(KeyError, match="PaperFeature is not installed"):
        without.features.get(PaperFeature)
    assert without.features.find(PaperFeature) is None
    assert without.features.get(ActivationFeature) is not None
    assert not [s for s in without.build_all_screens() if s.objectName().startswith("paper_")]


def test_a_feature_is_installed_once(make_window):
    window = make_window()
    with pytest.raises(ValueError, match="PaperFeature is installed already"):
        window.features.add(window.features.get(PaperFeature))
