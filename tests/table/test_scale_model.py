"""The table with many letters (issue 14): the model holds ids and fetches the
letters of the cards in sight; Home changes only what changed. A few hundred
letters on a real desk file (10,000 only in benchmarks/scale.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtWidgets import QApplication

from app.model import Action, Letter
from app.storage import transaction
from ui.table.model import ROWS, LetterTableModel

pytestmark = pytest.mark.gui
MANY = 300


@pytest.fixture
def crowded(session):
    today = session.today()
    letters = [
        Letter(
            id=f"bulk-{i:03d}",
            recipient="koen",
            org_id="rdw",
            sender="RDW",
            subject=f"Brief {i}",
            summary="Een brief om de tafel vol te leggen.",
            body="Tekst",
            action=Action.READ,
            received=today - timedelta(days=i),
            deadline=today + timedelta(days=i % 20 - 5) if i % 2 else None,
            read=i % 3 == 0,
        )
        for i in range(MANY)
    ]
    session.desk.receive("koen", letters, session.desk.cursor("koen") or "0")
    return session


def shown_ids(model) -> list[str]:
    return [model.index(r).data(LetterTableModel.IdRole) for r in range(model.rowCount())]


def test_the_table_fetches_only_the_cards_in_sight(qtbot, crowded, window):
    window.table_screen.refresh()
    model = window.table_screen.model
    QApplication.processEvents()
    window.repaint()
    every = [x.id for x in crowded.table()]
    assert len(every) > MANY
    # the first rows only (the list lays out a page, not the table), the count whole
    assert model.rowCount() == ROWS
    assert model.total() == len(every)
    assert shown_ids(model) == every[:ROWS]
    assert model.ids() == every
    assert 0 < len(model._letters) <= 2 * 64  # a page or two, not every letter
    assert window.table_screen.summary.text().startswith(f"Er liggen {len(every)} brieven")


def test_the_rest_comes_as_the_list_scrolls_to_its_end(qtbot, crowded, window):
    screen = window.table_screen
    window.show()
    window.go_home()
    QApplication.processEvents()
    model, view = screen.model, screen.view
    every = [x.id for x in crowded.table()]
    while model.rowCount() < len(every):
        held = model.rowCount()
        view.scrollToBottom()
        bar = view.verticalScrollBar()
        bar.setValue(bar.maximum())  # the view asks the model for more at its end
        QApplication.processEvents()
        assert model.rowCount() > held, "scrolling to the end brought no more cards"
    assert shown_ids(model) == every
    assert not model.canFetchMore()
    # Home again holds as many as were seen: the person's place is kept
    crowded.put_away(every[-3])
    window.go_home()
    assert shown_ids(model) == [x.id for x in crowded.table()]


def test_home_after_a_put_away_removes_one_row_and_resets_nothing(qtbot, crowded, window):
    screen = window.table_screen
    screen.refresh()
    model = screen.model
    seen: list[tuple] = []
    model.modelReset.connect(lambda: seen.append(("reset",)))
    model.rowsRemoved.connect(lambda _p, first, last: seen.append(("removed", first, last)))
    model.rowsInserted.connect(lambda _p, first, last: seen.append(("inserted", first, last)))
    model.dataChanged.connect(lambda a, b, _r=(): seen.append(("changed", a.row(), b.row())))
    order = shown_ids(model)
    crowded.put_away(order[5])
    window.show_folders()
    window.go_home()
    # row 5 goes; the next letter of the table comes in at the end of the first page
    assert seen == [("inserted", ROWS, ROWS), ("removed", 5, 5)]
    assert shown_ids(model) == [x.id for x in crowded.table()][:ROWS]
    seen.clear()
    unread = next(i for i in order[6:] if not crowded.letter(i).read)
    crowded.desk.mark_read("koen", unread)
    screen.refresh()
    row = model.row_of(unread)
    # read: the card is redrawn (and moves when its place in the order changes)
    assert ("reset",) not in seen and seen
    assert shown_ids(model) == [x.id for x in crowded.table()][:ROWS]
    assert model.index(row).data(LetterTableModel.NewRole) is False


def test_the_lazy_model_passes_qt_model_tester(qtmodeltester, crowded):
    desk = crowded.desk
    model = LetterTableModel(today=crowded.today)
    model.set_ids(
        desk.table_order("koen", limit=ROWS),
        lambda ids: desk.letters_by_id("koen", ids),
        source="koen",
        longest=desk.longest_summaries("koen"),
        total=desk.table_tally("koen")[0],
        more=lambda offset, limit: desk.table_order("koen", limit=limit, offset=offset),
    )
    qtmodeltester.check(model)
    assert model.longest_summaries
    while model.canFetchMore():
        model.fetchMore()
    every = [x.id for x in crowded.table()]
    assert model.ids() == every
    qtmodeltester.check(model)


def test_the_table_order_in_pages_is_the_whole_order(crowded):
    """The first page and the pages after it are the table's order exactly
    (app.model.table_order_key), whatever the page size."""
    desk, today = crowded.desk, crowded.today()
    from app.model import table_order_key

    expected = [x.id for x in sorted(crowded.table(), key=lambda x: table_order_key(x, today))]
    for size in (1, 7, ROWS):
        pages = []
        while len(pages) < len(expected):
            page = desk.table_order("koen", limit=size, offset=len(pages))
            assert page, "a page ended early"
            pages += [i for i, _rev in page]
        assert pages == expected


def test_a_card_already_in_sight_is_not_scrolled_to(qtbot, crowded, window):
    """Back at Home with the chosen card in sight, the list does not scroll."""
    screen = window.table_screen
    window.show()
    window.go_home()
    QApplication.processEvents()
    view = screen.view
    view.setCurrentIndex(screen.model.index(2))
    QApplication.processEvents()
    moved, asked = [], []
    view.verticalScrollBar().valueChanged.connect(moved.append)
    scroll_to = view.scrollTo
    view.scrollTo = lambda *args: (asked.append(args), scroll_to(*args))  # a spy: counts
    window.show_folders()
    window.go_home()
    QApplication.processEvents()
    assert view.currentIndex().row() == 2
    assert moved == []
    assert asked == []  # no scrolling work for a card in sight (it lays out every row)


def test_the_summary_counts_come_from_the_desk(crowded, window):
    from app.plain import table_summary

    window.table_screen.refresh()
    assert window.table_screen.summary.text() == table_summary(crowded.table(), crowded.today())


def test_a_row_that_can_no_longer_be_read_is_an_empty_card(qtbot, crowded, window):
    """Another program spoiled a row after the list was made: no crash, no text."""
    screen = window.table_screen
    screen.refresh()
    last = screen.model.rowCount() - 1
    letter_id = screen.model.index(last).data(LetterTableModel.IdRole)
    with transaction(crowded.desk.conn) as c:
        c.execute(
            "UPDATE letters SET data = '{\"kapot\": 1}' WHERE person_id = 'koen' AND id = ?",
            (letter_id,),
        )
    assert screen.model.index(last).data(LetterTableModel.SenderRole) == ""
    screen.refresh()
    assert letter_id not in shown_ids(screen.model)


def test_today_changes_the_order_and_the_words(qtbot, crowded, window):
    """At midnight "nog 1 dag" becomes "vandaag": the texts are made again."""
    screen = window.table_screen
    screen.refresh()
    model = screen.model
    some = next(x for x in crowded.table() if x.deadline)
    before = model.index(model.row_of(some.id)).data(LetterTableModel.DeadlineRole)
    later = crowded.today() + timedelta(days=1)
    crowded.desk._today = lambda: later
    screen.model._today = lambda: later
    screen.refresh()
    after = model.index(model.row_of(some.id)).data(LetterTableModel.DeadlineRole)
    assert before != after


def test_search_holds_a_first_page_and_says_the_whole_count(qtbot, crowded, window):
    """'Brief' finds hundreds: the count is counted, the cards come a page at a
    time, and 'Afdrukken' still prints every letter found."""
    from ui.search.screen import open_search

    screen = open_search(window, "")
    qtbot.keyClicks(screen.field, "brief")
    found = crowded.desk.search("koen", "brief")
    assert len(found) > ROWS
    assert screen.count.text() == f"{len(found)} brieven gevonden"
    assert screen.model.rowCount() == ROWS
    assert screen.result_ids() == [i for i, _rev in found]
    assert crowded.desk.search_count("koen", "brief") == len(found)
    assert crowded.desk.search("koen", "brief", limit=7, offset=3) == found[3:10]
    text = screen.print_document().document.toPlainText()
    assert text.count("Ontvangen:") == len(found)


def test_the_summary_counts_are_asked_again_only_after_a_change(crowded, window):
    """A language switch or Home again with nothing changed asks the desk nothing
    for the summary; a put-away by another window (its own connection) is seen."""
    from app.desk import Desk

    screen = window.table_screen
    screen.refresh()
    before = screen.summary.text()
    desk = crowded.desk
    asked = []
    table_tally = desk.table_tally
    desk.table_tally = lambda person_id: (asked.append(person_id), table_tally(person_id))[1]
    screen.retranslate_ui()
    screen.refresh()
    assert asked == []  # (a spy that counts; the desk is the real one)
    other = Desk(desk.path.parent, today=crowded.today)  # another window on this desk
    try:
        other.put_away("koen", crowded.table()[0].id)
    finally:
        other.close()
    window.show_folders()
    window.go_home()
    assert asked == ["koen"]
    count = len(crowded.table())
    assert screen.summary.text().startswith(f"Er liggen {count} brieven op tafel.")
    assert screen.summary.text() != before
