"""The button row's FlowLayout keeps its height for a width only until something changes.

It remembers heightForWidth per width (Qt asks the same width many times in one
layout pass; the fit walkers spent a sixth of their time there). These tests show
that every change that can alter the height is seen: a stale height would cut a
button off at 200 % or leave an empty row.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ui.shell.widgets import FlowLayout

#: room for two blocks of :data:`BUTTON` in a row, not three. Plain fixed-size
#: widgets stand in for the buttons: the app's style sheet (set by an earlier test
#: in the same process) gives a QPushButton its own minimum width when polished.
BUTTON = 120
WIDTH = 2 * BUTTON + 10 + 30


def row(qtbot, texts):
    top = QWidget()
    qtbot.addWidget(top)
    flow = FlowLayout(top)
    buttons = []
    for text in texts:
        b = QWidget()
        b.setObjectName(text)
        b.setFixedSize(BUTTON, 30)
        flow.addWidget(b)
        buttons.append(b)
    top.resize(WIDTH, 600)
    top.show()
    qtbot.waitExposed(top)
    return top, flow, buttons


def test_hiding_and_showing_a_button_changes_the_height(qtbot):
    top, flow, buttons = row(qtbot, ["Een", "Twee", "Drie"])
    two_rows = flow.heightForWidth(WIDTH)  # two fit in a row; the third wraps
    buttons[2].hide()
    one_row = flow.heightForWidth(WIDTH)
    assert one_row < two_rows
    buttons[2].show()
    assert flow.heightForWidth(WIDTH) == two_rows


def test_a_wider_button_wraps_to_a_new_row(qtbot):
    top, flow, buttons = row(qtbot, ["Een", "Twee"])
    one_row = flow.heightForWidth(WIDTH)
    buttons[1].setFixedWidth(BUTTON + 60)  # two no longer fit in a row
    assert flow.heightForWidth(WIDTH) > one_row


def test_adding_and_taking_a_button_changes_the_height(qtbot):
    top, flow, buttons = row(qtbot, ["Een", "Twee"])
    one_row = flow.heightForWidth(WIDTH)
    extra = QWidget()
    extra.setFixedSize(BUTTON, 30)
    flow.addWidget(extra)
    extra.show()  # a child added to a shown window stays hidden until shown
    two_rows = flow.heightForWidth(WIDTH)
    assert two_rows > one_row
    flow.takeAt(flow.indexOf(extra)).widget().deleteLater()
    assert flow.heightForWidth(WIDTH) == one_row


def test_more_spacing_changes_the_height(qtbot):
    top, flow, buttons = row(qtbot, ["Een", "Twee", "Drie"])
    before = flow.heightForWidth(WIDTH)  # two rows: one gap between them
    flow.setSpacing(40)
    assert flow.heightForWidth(WIDTH) == before + 30
