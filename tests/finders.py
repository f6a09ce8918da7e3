"""Find screens and widgets by object name, as the guided mode and a screen reader do.

Tests do not reach into the attributes a feature keeps: a feature's screens and
buttons are found in the window by their object names (every Screen is named
after its class: PaperStatusScreen -> "paper_status_screen"; buttons and labels
get theirs from ``name=`` in ui/). A renamed or missing widget fails with a
message that says which name was looked for, and where.
"""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QWidget

from ui.shell.widgets import Screen

W = TypeVar("W", bound=QObject)


def _where(parent: QObject) -> str:
    return parent.objectName() or type(parent).__name__


def _named(parent: QObject, cls: type[W], name: str) -> list[W]:
    # findChildren by the Qt base class and name, then by the Python class: a
    # Python subclass (OrganisationRow, a Screen) is not known to Qt's meta-object.
    base = next(c for c in cls.__mro__ if c.__module__.startswith("PySide6"))
    return [c for c in parent.findChildren(base, name) if isinstance(c, cls)]


def screen(window: QWidget, name: str) -> Screen:
    """The one Screen called ``name`` in ``window`` ("paper_status_screen"); a
    screen that is built on first use (issue 14) is built now, as showing it would."""
    has_screen = getattr(window, "has_screen", None)
    if has_screen is not None and has_screen(name):
        window.screen_named(name)  # type: ignore[attr-defined]
    found = _named(window, Screen, name)
    assert len(found) == 1, (
        f"expected one screen {name!r} in {_where(window)}, found {len(found)}; screens: "
        f"{sorted(s.objectName() for s in window.findChildren(Screen))}"
    )
    return found[0]


def widget(parent: QObject, cls: type[W], name: str) -> W:
    """The one ``cls`` called ``name`` under ``parent``."""
    found = _named(parent, cls, name)
    assert len(found) == 1, (
        f"expected one {cls.__name__} {name!r} in {_where(parent)}, found {len(found)}"
    )
    return found[0]


def maybe(parent: QObject, cls: type[W], name: str) -> W | None:
    """The one ``cls`` called ``name`` under ``parent``, or None when there is none."""
    found = _named(parent, cls, name)
    assert len(found) <= 1, (
        f"expected at most one {cls.__name__} {name!r} in {_where(parent)}, found {len(found)}"
    )
    return found[0] if found else None


def visible(parent: QWidget, cls: type[W], name: str) -> W:
    """The one ``cls`` called ``name`` under ``parent`` that is shown now.

    For controls that exist once per row, or whose old copies are still
    hidden under the parent: only the shown one is what a person sees."""
    found = [w for w in _named(parent, cls, name) if w.isVisibleTo(parent)]
    assert len(found) == 1, (
        f"expected one visible {cls.__name__} {name!r} in {_where(parent)}, found {len(found)}"
    )
    return found[0]


def top_level(name: str) -> QWidget:
    """The one shown top-level window called ``name`` ("guided_window")."""
    found = [w for w in QApplication.topLevelWidgets() if w.objectName() == name and w.isVisible()]
    assert len(found) == 1, f"expected one shown window {name!r}, found {len(found)}"
    return found[0]
