"""Features that add screens or buttons to the main window, and the typed registry.

Each feature module has ``install(window)``: it adds its screens with
``window.add_screen``, its buttons to the table's button row
(``window.table_screen.extra_buttons``) or the top bar, and returns its feature
object (or None). The window keeps them in ``window.features``, a
:class:`FeatureRegistry` looked up by type; no feature sets attributes on the
window. Adding a feature is one line in :data:`FEATURES`; the main window does
not change.

Every feature module but those of :data:`AFTER_FIRST_FRAME` is imported before
the first frame, so it keeps its top-level imports light (issue 14): its
screens' modules load in their factories, and the core modules only its screens
use come through
:func:`later` (``tests/shell/test_startup.py`` lists what must not be loaded
at the first paint).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from types import ModuleType
from typing import Any, TypeVar

F = TypeVar("F")

FEATURES: list[str] = [
    "ui.activation.feature",
    "ui.paper.feature",
    "ui.abroad.screen",
    "ui.start.choice",
    "ui.people.feature",
    "ui.language.screen",
    "ui.watch.feature",
    "ui.importing.feature",
]


#: features that put nothing in the first frame: their buttons go on screens that
#: are built later (the settings and the letter screen), their own screens are
#: built when first shown, and none of them opens the window on a screen of its
#: own. The app's start (``MainWindow(..., sync_after_first_frame=True)``)
#: installs them right after its first frame (issue 14: their modules, QComboBox
#: and QGridLayout were 5 ms before it). They are the last of :data:`FEATURES`,
#: so every hook (``when_built``) is still called in the order of that list.
AFTER_FIRST_FRAME: tuple[str, ...] = (
    "ui.language.screen",
    "ui.watch.feature",
    "ui.importing.feature",
)


class _Later:
    """A module that is imported when one of its names is first used."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        module: ModuleType = importlib.import_module(self._name)
        return getattr(module, attr)

    def __repr__(self) -> str:
        return f"<later {self._name}>"


def later(name: str) -> Any:
    """``paper = later("app.paper")``: ``paper.facts(...)`` imports app.paper on
    its first use, not when the feature module is imported. Write it under
    ``if not TYPE_CHECKING:`` beside the real import for the type checker."""
    return _Later(name)


class FeatureRegistry:
    """The installed features, one per type: ``window.features.get(PaperFeature)``."""

    def __init__(self) -> None:
        self._by_type: dict[type, object] = {}

    def add(self, feature: F) -> F:
        kind = type(feature)
        if kind in self._by_type:
            raise ValueError(f"{kind.__name__} is installed already")
        self._by_type[kind] = feature
        return feature

    def get(self, kind: type[F]) -> F:
        """The installed feature of this type; KeyError when it is not installed."""
        feature = self._by_type.get(kind)
        if feature is None:
            raise KeyError(f"{kind.__name__} is not installed")
        assert isinstance(feature, kind)
        return feature

    def find(self, kind: type[F]) -> F | None:
        feature = self._by_type.get(kind)
        return feature if isinstance(feature, kind) else None

    def __iter__(self) -> Iterator[object]:
        return iter(self._by_type.values())

    def __len__(self) -> int:
        return len(self._by_type)


def install(window, name: str) -> None:
    """Install the feature of module ``name`` in ``window``."""
    feature = importlib.import_module(name).install(window)
    if feature is not None:
        window.features.add(feature)


def install_all(window, *, after_first_frame=None) -> None:
    """Install every feature of :data:`FEATURES`, in that order. Given
    ``after_first_frame`` (the window's own), those of :data:`AFTER_FIRST_FRAME`
    are installed through it: right after the window's first frame."""
    for name in FEATURES:
        if after_first_frame is not None and name in AFTER_FIRST_FRAME:
            after_first_frame(lambda name=name: install(window, name))
        else:
            install(window, name)
