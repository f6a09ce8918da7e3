"""Enter presses the focused button, in every window of the app.

Real widgets and real key presses (pytest-qt sends them through QApplication, so
they travel from the focused widget up to the window as a person's would).
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

pytestmark = pytest.mark.gui

ENTER_KEYS = [Qt.Key.Key_Return, Qt.Key.Key_Enter]


@pytest.fixture
def shown(window):
    """The shared main window (tests/conftest.py), shown at 100 %."""
    return window


@pytest.fixture
def extra(shown):
    """A few real controls of our own on the shown table screen."""
    box = QWidget()
    column = QVBoxLayout(box)
    push = QPushButton("Doe het")
    check = QCheckBox("Ik begrijp het")
    field = QLineEdit()
    text = QPlainTextEdit()
    confirm = QPushButton("Ja, zet mijn Berichtenbox aan")
    confirm.setObjectName("guide_confirm")
    for w in (push, check, field, text, confirm):
        column.addWidget(w)
    shown.table_screen.layout().addWidget(box)
    box.show()
    return push, check, field, text, confirm


def focus(qtbot, widget) -> None:
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget, timeout=1000)


@pytest.mark.parametrize("key", ENTER_KEYS)
def test_enter_presses_the_focused_button(qtbot, shown, extra, key):
    push, *_ = extra
    pressed = []
    push.clicked.connect(lambda: pressed.append(True))
    focus(qtbot, push)
    modifier = Qt.KeyboardModifier.KeypadModifier if key == Qt.Key.Key_Enter else None
    if modifier is None:
        qtbot.keyClick(push, key)
    else:
        qtbot.keyClick(push, key, modifier)
    assert pressed == [True]


def test_enter_on_a_window_button_does_what_the_button_says(qtbot, shown):
    # The real help button of the top bar: Enter opens the help screen.
    focus(qtbot, shown.help_button)
    qtbot.keyClick(shown.help_button, Qt.Key.Key_Return)
    assert shown.current_screen() is shown.help_screen


def test_enter_toggles_a_check_box(qtbot, shown, extra):
    _, check, *_ = extra
    focus(qtbot, check)
    qtbot.keyClick(check, Qt.Key.Key_Return)
    assert check.isChecked()
    qtbot.keyClick(check, Qt.Key.Key_Return)
    assert not check.isChecked()


def test_enter_alone_does_not_press_the_activation_confirm(qtbot, shown, extra):
    *_, confirm = extra
    pressed = []
    confirm.clicked.connect(lambda: pressed.append(True))
    focus(qtbot, confirm)
    qtbot.keyClick(confirm, Qt.Key.Key_Return)
    assert pressed == []
    qtbot.keyClick(confirm, Qt.Key.Key_Space)  # the deliberate act still works
    assert pressed == [True]


def test_a_held_enter_presses_once(qtbot, shown, extra):
    # A trembling hand that keeps Enter down: the repeats press nothing more.
    push, *_ = extra
    pressed = []
    push.clicked.connect(lambda: pressed.append(True))
    focus(qtbot, push)
    for repeat in (False, True, True, True):
        event = QKeyEvent(
            QEvent.Type.KeyPress, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier, "\r", repeat
        )
        QApplication.sendEvent(push, event)
    qtbot.keyRelease(push, Qt.Key.Key_Return)
    assert pressed == [True]


def test_enter_in_a_text_field_keeps_its_meaning(qtbot, shown, extra):
    push, _, field, text, _ = extra
    pressed = []
    push.clicked.connect(lambda: pressed.append(True))
    returned = []
    field.returnPressed.connect(lambda: returned.append(True))
    focus(qtbot, field)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert returned == [True]
    focus(qtbot, text)
    qtbot.keyClicks(text, "ja")
    qtbot.keyClick(text, Qt.Key.Key_Return)
    qtbot.keyClicks(text, "nee")
    assert text.toPlainText() == "ja\nnee"
    assert pressed == []


def test_enter_on_the_list_still_opens_the_letter(qtbot, shown):
    view = shown.table_screen.view
    focus(qtbot, view)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert shown.current_screen() is shown.letter_screen
