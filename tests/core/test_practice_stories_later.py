"""The practice box writes the mandate stories' letters when a letter is first
asked for, not when it is opened (issue 14): a first start opens the box
before its first frame and asks it nothing until the first sync after it.

Real SQLite files in tmp_path; real threads for the two-at-once case.
"""

from __future__ import annotations

import sqlite3
import threading
from datetime import date

import pytest

from app.mailbox.practice import PracticeMailbox
from app.session import Session

TODAY = date(2026, 12, 1)


def _stories_written(path) -> bool:
    with sqlite3.connect(path) as conn:
        row = conn.execute(
            "SELECT value FROM meta WHERE key = 'story_letters_seeded_on'"
        ).fetchone()
    return row is not None


def _count(path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT COUNT(*) FROM letters").fetchone()[0]


def test_opening_the_box_writes_no_story_letters_and_the_first_ask_does(tmp_path):
    path = tmp_path / "practice.sqlite3"
    box = PracticeMailbox(path, story_letters=True, today=lambda: TODAY)
    try:
        assert not _stories_written(path)
        before = _count(path)
        batch = box.letters("piet")  # Piet's own post: the first letter asked for
        assert _stories_written(path)
        assert _count(path) > before + 100  # a few hundred among his clients
        assert batch is not None
    finally:
        box.close()


@pytest.mark.parametrize(
    "ask",
    [
        lambda box, lid: box.letter_ids("sanne"),
        lambda box, lid: box.has_letter("sanne", lid),
        lambda box, lid: box.letters_page("sanne", 0, 5),
    ],
)
def test_every_way_of_asking_for_letters_finds_the_story_letters(tmp_path, ask):
    # the same box opened twice: the first one writes them, and learns a story id
    first = PracticeMailbox(tmp_path / "a.sqlite3", story_letters=True, today=lambda: TODAY)
    try:
        ids = first.letter_ids("sanne")
    finally:
        first.close()
    assert ids  # Sanne's letters are all story letters
    box = PracticeMailbox(tmp_path / "b.sqlite3", story_letters=True, today=lambda: TODAY)
    try:
        found = ask(box, ids[0])
        assert _stories_written(tmp_path / "b.sqlite3")
        assert found  # a list of ids, True, or a page with letters in it
        if isinstance(found, tuple):
            assert found[0]
    finally:
        box.close()


def test_two_threads_asking_at_once_write_them_once_and_both_see_them(tmp_path):
    path = tmp_path / "practice.sqlite3"
    box = PracticeMailbox(path, story_letters=True, today=lambda: TODAY)
    seen: list[int] = []
    problems: list[BaseException] = []
    start = threading.Barrier(2)

    def ask() -> None:
        try:
            start.wait()
            seen.append(len(box.letter_ids("sanne")))
        except BaseException as error:  # reported below, not lost in the thread
            problems.append(error)

    threads = [threading.Thread(target=ask) for _ in range(2)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert problems == []
        assert len(seen) == 2 and seen[0] == seen[1] > 0
        with sqlite3.connect(path) as conn:
            doubles = conn.execute(
                "SELECT COUNT(*) FROM (SELECT id FROM letters GROUP BY id HAVING COUNT(*) > 1)"
            ).fetchone()[0]
        assert doubles == 0
    finally:
        box.close()


def test_a_first_start_opens_without_them_and_its_first_sync_writes_them(tmp_path):
    session = Session.open_practice(
        tmp_path / "data", person_id="sanne", today=lambda: TODAY, sync=False
    )
    try:
        path = session.mailbox.path
        assert not _stories_written(path)  # the window's first frame comes now
        assert session.table() == []
        session.sync()  # the first sync, after the first frame
        assert session.sync_error is None
        assert _stories_written(path)
        assert session.table()  # Sanne's letters are story letters
    finally:
        session.close()


def test_a_box_made_before_today_gets_them_at_the_first_ask_too(tmp_path):
    path = tmp_path / "practice.sqlite3"
    old = PracticeMailbox(path, story_letters=False, today=lambda: date(2026, 1, 5))
    old.close()
    assert not _stories_written(path)
    box = PracticeMailbox(path, story_letters=True, today=lambda: TODAY)
    try:
        assert not _stories_written(path)
        assert box.letter_ids("sanne")
        assert _stories_written(path)
    finally:
        box.close()
