"""When undo can no longer apply, the person is told why, and where the letter is.

The desk undoes only a person's newest action. When another window, or the
folder screen, acted after the put-away, "Ongedaan maken" cannot apply any more:
then nothing changes, and the window says so in plain words.
"""

import pytest
from PySide6.QtCore import Qt

from app.session import Session
from ui.table.model import LetterTableModel

pytestmark = pytest.mark.gui


def _table_ids(window):
    model = window.table_screen.model
    return [model.index(r).data(LetterTableModel.IdRole) for r in range(model.rowCount())]


def _put_away_first(qtbot, window):
    letter_id = _table_ids(window)[0]
    window.open_letter(letter_id)
    qtbot.mouseClick(window.letter_screen.put_away_button, Qt.MouseButton.LeftButton)
    assert window.table_screen.undo_box.isVisible()
    return letter_id


def _click_undo(qtbot, window):
    qtbot.mouseClick(window.table_screen.undo_button, Qt.MouseButton.LeftButton)


def test_undo_after_another_window_acted_says_why_and_where(
    qtbot, window, session, data_dir, today
):
    letter_id = _put_away_first(qtbot, window)
    sender = session.letter(letter_id).sender
    other = Session.open_practice(data_dir, today=today, sync=False)  # a second window
    try:
        other_id = other.table()[0].id
        other.put_away(other_id)
    finally:
        other.close()
    _click_undo(qtbot, window)
    assert not window.table_screen.undo_box.isVisible()
    assert window.notice_row.isVisible()
    text = window.notice_label.text()
    assert text.startswith("Dat kan niet meer ongedaan worden gemaakt.")
    assert "U heeft daarna al iets anders gedaan." in text
    assert f"De brief ligt in de map {sender}." in text
    # Nothing changed: both letters stay put away.
    assert not session.is_on_table(letter_id) and not session.is_on_table(other_id)
    assert letter_id not in _table_ids(window)


def test_undo_after_the_folder_screen_acted_says_why(qtbot, window, session):
    earlier = _put_away_first(qtbot, window)
    letter_id = _put_away_first(qtbot, window)
    session.lay_back(earlier)  # as the folder screen does; the undo offer stays
    window.go_home()
    assert window.table_screen.undo_box.isVisible()
    _click_undo(qtbot, window)
    assert "U heeft daarna al iets anders gedaan." in window.notice_label.text()
    assert not session.is_on_table(letter_id) and session.is_on_table(earlier)


def test_undo_already_done_elsewhere_says_the_letter_is_back(
    qtbot, window, session, data_dir, today
):
    letter_id = _put_away_first(qtbot, window)
    other = Session.open_practice(data_dir, today=today, sync=False)
    try:
        assert other.undo() == letter_id  # the other window undid it first
    finally:
        other.close()
    _click_undo(qtbot, window)
    text = window.notice_label.text()
    assert text.startswith("Dat kan niet meer ongedaan worden gemaakt.")
    assert "De brief ligt al weer op tafel." in text
    window.table_screen.refresh()
    assert letter_id in _table_ids(window)


def test_undo_that_applies_says_nothing_more(qtbot, window, session):
    letter_id = _put_away_first(qtbot, window)
    _click_undo(qtbot, window)
    assert session.is_on_table(letter_id)
    assert not window.notice_row.isVisible()
