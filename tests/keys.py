"""Real keys on whatever has the focus, counted, with the fit checked after each.

For the keyboard journeys (tests/a11y/test_keyboard_journeys.py) and the
volunteer's visit (tests/guided/test_volunteer_keyboard.py): after every press
the window must fit (tests/fit.py); ``problems`` collects what did not, led by
the screen shown and the number of keys so far.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from fit import fit_problems


class Keys:
    """``tab_limit``: at most so many Tabs to reach one widget."""

    def __init__(self, window, *, tab_limit: int = 30):
        self.window = window
        self.tab_limit = tab_limit
        self.count = 0
        self.problems: list[str] = []

    def press(self, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
        focus = QApplication.focusWidget()
        assert focus is not None, "nothing has the focus"
        QTest.keyClick(focus, key, modifier)
        self.count += 1
        for _ in range(3):
            QApplication.processEvents()
        if not self.window.isVisible():
            return  # the window is gone (a visit that ended)
        where = type(self.window.current_screen()).__name__
        found = fit_problems(self.window)
        self.problems += [f"{where} after {self.count} keys: {p}" for p in found]

    def focused(self) -> str:
        focus = QApplication.focusWidget()
        return focus.objectName() if focus is not None else ""

    def tab_to(self, name: str, *, back: bool = False) -> None:
        """Tab (Shift+Tab when ``back``) until the widget called ``name`` has the focus."""
        modifier = Qt.KeyboardModifier.ShiftModifier if back else Qt.KeyboardModifier.NoModifier
        for _ in range(self.tab_limit):
            if self.focused() == name:
                return
            self.press(Qt.Key.Key_Tab, modifier)
        pytest.fail(f"{self.tab_limit} times {'Shift+' if back else ''}Tab did not reach {name!r}")

    def enter(self, on: str | None = None) -> None:
        """Enter on the focus; ``on``: the widget that must have it."""
        if on is not None:
            assert self.focused() == on, f"Enter was meant for {on!r}, focus is {self.focused()!r}"
        self.press(Qt.Key.Key_Return)
