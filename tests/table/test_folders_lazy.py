"""The folder tree with many put-away letters (issue 14): the folders and their
years at once, a year's letters when it is opened, and built again only when
the desk changed. A few hundred letters on a real desk file (3,333 in
benchmarks/scale.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeWidgetItem

from app.model import Action, Letter
from app.storage import transaction
from ui.folders.screen import FOLDER_YEAR, LETTER_ID, OPEN_ALL

pytestmark = pytest.mark.gui
MANY = OPEN_ALL + 60


@pytest.fixture
def filed(session):
    """MANY more letters of Koen, put away, over three organisations and years."""
    today = session.today()
    orgs = [("rdw", "RDW"), ("gemeente", "Gemeente Zwolle"), ("cak", "CAK")]
    letters = [
        Letter(
            id=f"arch-{i:03d}",
            recipient="koen",
            org_id=orgs[i % 3][0],
            sender=orgs[i % 3][1],
            subject=f"Brief {i}",
            summary=f"Een opgeborgen brief, nummer {i}.",
            body="Tekst",
            action=Action.READ,
            received=today - timedelta(days=4 * i),
            read=True,
        )
        for i in range(MANY)
    ]
    session.desk.receive("koen", letters, session.desk.cursor("koen") or "0")
    with transaction(session.desk.conn) as c:
        c.execute(
            "UPDATE letters SET on_table = 0, folder = org_id, put_away_at = '2026-01-01'"
            " WHERE person_id = 'koen' AND id LIKE 'arch-%'"
        )
    return session


def rows(tree) -> list[QTreeWidgetItem]:
    return tree.findItems("", Qt.MatchFlag.MatchContains | Qt.MatchFlag.MatchRecursive)


def letter_rows(tree) -> list[str]:
    return [i.data(0, LETTER_ID) for i in rows(tree) if i.data(0, LETTER_ID)]


def test_many_put_away_show_the_folders_and_years_first(filed, window):
    window.show_folders()
    screen = window.folders_screen
    tree = screen.tree
    folders = filed.folders()
    assert sum(len(f.letters) for f in folders) > OPEN_ALL
    # one row per organisation and per year, no letter rows yet
    assert letter_rows(tree) == []
    years = [i for i in rows(tree) if i.data(0, FOLDER_YEAR) is not None]
    assert len(years) == len(folders)
    for year, folder in zip(years, folders, strict=True):
        assert year.text(0).startswith(f"{folder.year}: {len(folder.letters)} brie")
        assert year.childIndicatorPolicy() == QTreeWidgetItem.ChildIndicatorPolicy.ShowIndicator
    assert "jaar" in screen.intro.text()


def test_opened_the_tree_shows_every_year_and_letter_as_before(filed, window):
    window.show_folders()
    tree = window.folders_screen.tree
    for i in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(i)
        for n in range(top.childCount()):
            top.child(n).setExpanded(True)
    expected = [x.id for f in filed.folders() for x in f.letters]
    assert letter_rows(tree) == expected
    senders = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
    assert senders == list(dict.fromkeys(f.sender for f in filed.folders()))


def test_enter_on_a_year_opens_it_and_a_letter_can_be_chosen(qtbot, filed, window):
    window.show()
    window.show_folders()
    screen = window.folders_screen
    tree = screen.tree
    year = tree.topLevelItem(0).child(0)
    tree.setCurrentItem(year)
    tree.setFocus()
    qtbot.keyClick(tree, Qt.Key.Key_Return)
    assert year.isExpanded() and year.childCount() > 0
    # a letter in a year not yet opened can still be chosen (and opened)
    last = filed.folders()[-1].letters[-1]
    assert screen.select_letter(last.id)
    assert screen.selected_letter_id() == last.id
    assert screen.open_button.isEnabled()


def test_the_tree_is_built_again_only_when_the_desk_changed(filed, window):
    window.show_folders()
    tree = window.folders_screen.tree
    first = tree.topLevelItem(0)
    window.go_home()
    window.show_folders()
    assert tree.topLevelItem(0) is first  # nothing changed: the same rows
    put = filed.table()[0]
    filed.put_away(put.id)
    window.go_home()
    window.show_folders()
    assert window.folders_screen.select_letter(put.id)  # the put-away is in its folder


def test_a_year_folder_prints_every_letter_in_it(filed, window):
    window.show_folders()
    screen = window.folders_screen
    tree = screen.tree
    year = tree.topLevelItem(0).child(0)
    tree.setCurrentItem(year)  # not opened: its letters are not rows yet
    folder = filed.folders()[0]
    doc = screen.print_document()
    assert doc is not None
    text = doc.document.toPlainText()
    assert f"{len(folder.letters)} brieven in deze map." in text
    for letter in folder.letters:
        assert f"{letter.sender}: {letter.subject}\n" in text + "\n"
