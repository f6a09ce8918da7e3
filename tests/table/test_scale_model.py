"""The table with many letters (issue 14): the model holds ids and fetches the
letters of the cards in sight; Home changes only what changed. A few hundred
letters on a real desk file (10,000 only in benchmarks/scale.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtWidgets import QApplication

from app.model import Action, Letter
from app.storage import transaction
from ui.table.model import LetterTableModel

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
    assert model.rowCount() == len(crowded.table()) > MANY
    assert shown_ids(model) == [x.id for x in crowded.table()]
    assert 0 < len(model._letters) <= 2 * 64  # a page or two, not every letter


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
    assert seen == [("removed", 5, 5)]
    assert shown_ids(model) == [x.id for x in crowded.table()]
    seen.clear()
    unread = next(i for i in order[6:] if not crowded.letter(i).read)
    crowded.desk.mark_read("koen", unread)
    screen.refresh()
    row = model.row_of(unread)
    # read: the card is redrawn (and moves when its place in the order changes)
    assert ("reset",) not in seen and seen
    assert shown_ids(model) == [x.id for x in crowded.table()]
    assert model.index(row).data(LetterTableModel.NewRole) is False


def test_the_lazy_model_passes_qt_model_tester(qtmodeltester, crowded):
    desk = crowded.desk
    model = LetterTableModel(today=crowded.today)
    model.set_ids(
        desk.table_order("koen"),
        lambda ids: desk.letters_by_id("koen", ids),
        source="koen",
        longest=desk.longest_summaries("koen"),
    )
    qtmodeltester.check(model)
    assert model.longest_summaries


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
