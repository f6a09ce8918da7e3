"""The table and the folders say what is true after each step, driven with real widgets.

Issue 10: after "Terug op tafel leggen" the table still said the letter "is
opgeborgen" and offered "Ongedaan maken"; the folders listed the official subject
instead of the plain summary.
"""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QListView, QPushButton, QTreeWidget, QWidget

from finders import screen, widget
from ui.table.model import LetterTableModel

pytestmark = pytest.mark.gui


def click(qtbot, parent: QWidget, name: str) -> None:
    qtbot.mouseClick(widget(parent, QPushButton, name), Qt.MouseButton.LeftButton)


def table_ids(table: QWidget) -> list[str]:
    model = widget(table, QListView, "letter_table").model()
    return [model.index(r, 0).data(LetterTableModel.IdRole) for r in range(model.rowCount())]


def put_away_first(qtbot, window) -> str:
    """Open the top letter with the keyboard and put it away; its id."""
    table = screen(window, "table_screen")
    view = widget(table, QListView, "letter_table")
    letter_id = view.currentIndex().data(LetterTableModel.IdRole)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Return)
    click(qtbot, screen(window, "letter_screen"), "put_away")
    assert window.current_screen() is table
    assert letter_id not in table_ids(table)
    return letter_id


def select_in_folders(window, letter_id: str) -> QTreeWidget:
    tree = widget(screen(window, "folders_screen"), QTreeWidget, "folders_tree")
    items = tree.findItems("", Qt.MatchFlag.MatchContains | Qt.MatchFlag.MatchRecursive)
    item = next(i for i in items if i.data(0, Qt.ItemDataRole.UserRole + 1) == letter_id)
    tree.setCurrentItem(item)
    return tree


def result_line(table: QWidget) -> tuple[str, bool, bool]:
    """The result line's text, whether it is seen, and whether 'Ongedaan maken' is seen."""
    text = widget(table, QLabel, "undo_text")
    undo = widget(table, QPushButton, "undo_button")
    return text.text(), text.isVisibleTo(table), undo.isVisibleTo(table)


def assert_says_on_table_again(window, session, letter_id: str) -> None:
    table = screen(window, "table_screen")
    assert window.current_screen() is table
    assert letter_id in table_ids(table)
    text, seen, undo_seen = result_line(table)
    sender = session.letter(letter_id).sender
    assert seen
    assert text == f"De brief van {sender} ligt weer op tafel."
    assert "opgeborgen" not in text
    assert not undo_seen  # nothing to undo: the letter simply lies on the table


def test_lay_back_from_the_folder_list_says_it_lies_on_the_table_again(qtbot, window, session):
    letter_id = put_away_first(qtbot, window)
    table = screen(window, "table_screen")
    assert "is opgeborgen" in result_line(table)[0]
    click(qtbot, table, "open_folders")
    select_in_folders(window, letter_id)
    click(qtbot, screen(window, "folders_screen"), "folder_lay_back")
    click(qtbot, window, "nav_home")
    assert_says_on_table_again(window, session, letter_id)


def test_lay_back_from_the_opened_letter_says_it_lies_on_the_table_again(qtbot, window, session):
    letter_id = put_away_first(qtbot, window)
    click(qtbot, screen(window, "table_screen"), "open_folders")
    select_in_folders(window, letter_id)
    click(qtbot, screen(window, "folders_screen"), "folder_open")
    letter = screen(window, "letter_screen")
    assert window.current_screen() is letter
    click(qtbot, letter, "lay_back")
    assert_says_on_table_again(window, session, letter_id)


def test_putting_away_after_laying_back_offers_undo_again(qtbot, window, session):
    letter_id = put_away_first(qtbot, window)
    table = screen(window, "table_screen")
    click(qtbot, table, "open_folders")
    select_in_folders(window, letter_id)
    click(qtbot, screen(window, "folders_screen"), "folder_open")
    click(qtbot, screen(window, "letter_screen"), "lay_back")
    other = put_away_first(qtbot, window)
    text, seen, undo_seen = result_line(table)
    assert seen and undo_seen and "is opgeborgen" in text
    click(qtbot, table, "undo_button")
    assert other in table_ids(table)
    assert not result_line(table)[1]


def test_folders_show_the_plain_summary_first_and_keep_the_subject(qtbot, window, session):
    parking = next(l for l in session.table() if l.subject == "Naheffingsaanslag parkeerbelasting")
    assert parking.summary == "U parkeerde zonder te betalen en moet nu extra betalen."
    session.put_away(parking.id)
    click(qtbot, screen(window, "table_screen"), "open_folders")
    item = select_in_folders(window, parking.id).currentItem()
    row = item.text(0)
    assert row.split(": ", 1)[1].startswith(parking.summary), row
    assert parking.subject in row  # after the summary, for who knows the official word
    assert row.index(parking.subject) > row.index(parking.summary)
    description = item.data(0, Qt.ItemDataRole.AccessibleDescriptionRole)
    assert description == f"Onderwerp van de brief: {parking.subject}"
