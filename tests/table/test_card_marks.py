"""A card shows it is selected and has the focus exactly when its view says so.

The delegate asks the view (ui/table/card_delegate.py ``_marks``) instead of
reading ``option.state``, so that PySide need not make QStyle before the first
frame (issue 14). Here Qt's own state, as QListView's paintEvent sets it for
each card, is recorded beside what the delegate decided, for every card
painted, through selection, current card and focus changes. Real window, real
practice desk, real paints."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QApplication, QStyle

from ui.table import card_delegate

pytestmark = pytest.mark.gui


def test_selected_and_focused_as_qt_says(qtbot, window, monkeypatch):
    seen: list[tuple[int, tuple[bool, bool], tuple[bool, bool]]] = []
    decide = card_delegate._marks

    def recorded(option, index):
        marks = decide(option, index)
        state = option.state
        qt = (
            bool(state & QStyle.StateFlag.State_Selected),
            bool(state & QStyle.StateFlag.State_HasFocus),
        )
        seen.append((index.row(), marks, qt))
        return marks

    monkeypatch.setattr(card_delegate, "_marks", recorded)
    view = window.table_screen.view
    model = view.model()
    assert model.rowCount() >= 3
    selection = view.selectionModel()

    def painted() -> list[tuple[int, tuple[bool, bool], tuple[bool, bool]]]:
        seen.clear()
        view.viewport().repaint()
        assert seen, "no card painted"
        return list(seen)

    cases = []
    view.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(view.hasFocus)
    view.setCurrentIndex(model.index(1, 0))
    cases.append(painted())
    # current without selection, selection without current
    selection.clearSelection()
    cases.append(painted())
    selection.select(model.index(2, 0), QItemSelectionModel.SelectionFlag.Select)
    cases.append(painted())
    # the focus elsewhere: selected, never focused
    window.home_button.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(lambda: not view.hasFocus())
    QApplication.processEvents()
    cases.append(painted())

    for rows in cases:
        for row, marks, qt in rows:
            assert marks == qt, (row, marks, qt)
    flat = [m for rows in cases for _row, m, _qt in rows]
    assert (True, True) in flat or (False, True) in flat  # a focused card was seen
    assert any(m[0] for m in flat) and any(not m[0] for m in flat)
