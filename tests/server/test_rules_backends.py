"""One set of rules, two databases: the practice box's rules (activation with its
signed offer, ticks, paper requests, delivery) run the same on SQLite (a real
file, the app's own box) and on PostgreSQL (a real server, see pg.py, each test
in a fresh schema). Nothing is mocked: the box is :class:`PracticeMailbox`
itself, over ``app.mailbox.storage`` backends."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from datetime import date, timedelta

import pytest
from pg import pg_schema

from app.mailbox import MailboxError
from app.mailbox.practice import PAPER_AFTER_DAYS, PracticeMailbox, has_practice_box
from live_server import ROOT

DAY = date(2026, 3, 2)


class Clock:
    def __init__(self) -> None:
        self.day = DAY

    def __call__(self) -> date:
        return self.day


@pytest.fixture(params=["sqlite", "postgresql"])
def where(request, tmp_path):
    """Where a box lives: a SQLite file's path or a PostgreSQL URL (empty schema)."""
    if request.param == "sqlite":
        yield tmp_path / "practice.sqlite"
        return
    with pg_schema() as url:
        yield url


@pytest.fixture
def clock() -> Clock:
    return Clock()


def _kind(where) -> str:
    return "postgresql" if str(where).startswith("postgresql://") else "sqlite"


@pytest.fixture
def box(where, clock):
    opened = PracticeMailbox(where, today=clock)
    assert opened.backend.kind == _kind(where)
    yield opened
    opened.close()


def test_the_box_is_seeded_once_and_kept(where, clock):
    first = PracticeMailbox(where, today=clock)
    try:
        assert [p.id for p in first.practice_people()] == ["koen", "corry", "kees", "lisa"]
        assert first.organisations()[0].id == "belastingdienst"  # the seed's order
        assert has_practice_box(first.backend) and first.backend.kind == _kind(where)
        if _kind(where) == "postgresql":  # really there, not in a file of that name
            import psycopg

            with psycopg.connect(where) as conn:
                assert conn.execute("SELECT COUNT(*) FROM people").fetchone() == (4,)
        letters = first.letters("koen").letters
        assert letters and first.letter_ids("koen") == [x.id for x in letters]
        first.mark_read("koen", letters[0].id)
    finally:
        first.close()
    again = PracticeMailbox(where, today=clock)
    try:
        assert again.letter_ids("koen") == [x.id for x in letters]  # not seeded twice
        assert again.letter("koen", letters[0].id).read
    finally:
        again.close()


def test_activation_needs_the_signed_offer_of_this_day_and_happens_once(box, clock):
    with pytest.raises(MailboxError) as refused:
        box.activation_offer("koen", ["rdw"])
    assert refused.value.code.value == "already-active"
    offer = box.activation_offer("corry", ["rdw", "uwv"])
    assert offer.org_ids == ("rdw", "uwv") and offer.by_law == ("belastingdienst",)
    assert not box.account_status("corry").active  # looking changes nothing
    for token, orgs, confirmed, code in [
        (offer.token, ["rdw", "uwv"], False, "confirmation-required"),
        (offer.token, ["rdw"], True, "invalid-confirmation"),  # other organisations
        ("", ["rdw", "uwv"], True, "invalid-confirmation"),
    ]:
        with pytest.raises(MailboxError) as error:
            box.activate("corry", token, orgs, confirmed=confirmed)
        assert error.value.code.value == code
    clock.day = DAY + timedelta(days=1)
    with pytest.raises(MailboxError) as late:
        box.activate("corry", offer.token, ["rdw", "uwv"], confirmed=True)
    assert late.value.code.value == "confirmation-expired"
    clock.day = DAY
    status = box.activate("corry", offer.token, ["rdw", "uwv"], confirmed=True)
    assert status.active and status.activated_on == DAY
    assert status.ticked == {"belastingdienst", "rdw", "uwv"}
    with pytest.raises(MailboxError) as twice:
        box.activate("corry", offer.token, ["rdw", "uwv"], confirmed=True)
    assert twice.value.code.value == "already-active"
    # The CAK joins later: asked once, "no" by default.
    assert [o.id for o in box.new_organisations("corry")] == []  # chosen among all at activation
    assert [o.id for o in box.new_organisations("koen")] == ["cak"]
    assert box.answer_new_organisation("koen", "cak").ticked is False
    assert box.new_organisations("koen") == []


def test_an_untick_brings_paper_after_three_weeks_and_the_law_keeps_its_tick(box, clock):
    assert box.delivery_route("koen", "rdw") == "digital"
    change = box.set_tick("koen", "rdw", False)
    assert change.effective_on == DAY + timedelta(days=PAPER_AFTER_DAYS)
    assert box.delivery_route("koen", "rdw") == "digital"  # not yet
    with pytest.raises(MailboxError) as law:
        box.set_tick("koen", "belastingdienst", False)
    assert law.value.code.value == "fixed-by-law"
    assert not box.set_tick("koen", "rdw", False).changed  # unticked already
    clock.day = change.effective_on
    assert box.delivery_route("koen", "rdw") == "paper"
    assert box.delivery_route("koen", "belastingdienst") == "digital"
    assert [(t.org_id, t.ticked) for t in box.tick_history("koen")][-1] == ("rdw", False)
    assert box.set_tick("koen", "rdw", True).effective_on == clock.day
    assert box.delivery_route("koen", "rdw") == "digital"


def test_paper_for_everything_the_belastingdienst_last_by_phone(box, clock):
    offer = box.paper_offer("kees")
    requests = box.request_paper_all("kees")
    assert [r.org_id for r in requests] == [r.org_id for r in offer]
    assert requests[-1].org_id == "belastingdienst" and requests[-1].state == "prepared"
    assert all(r.new for r in requests)
    assert all(not r.new for r in box.request_paper_all("kees"))  # asked already
    assert box.account_status("kees").ticked == {"belastingdienst"}
    assert box.delivery_route("kees", "belastingdienst") == "digital"
    box.set_paper_request_state("kees", "belastingdienst", "sent")
    done = box.set_paper_request_state("kees", "belastingdienst", "done")
    assert done.state == "done" and done.done_on == DAY
    assert box.delivery_route("kees", "belastingdienst") == "paper"
    clock.day = DAY + timedelta(days=PAPER_AFTER_DAYS)
    assert {r.state for r in box.paper_requests("kees")} == {"done"}


def test_delivery_refuses_an_unticked_organisation_and_a_dormant_account(box):
    letter = {"id": "t-apk", "org": "rdw", "subject": "APK", "body": "Uw auto."}
    assert box.publish("koen", letter) == "digital"
    page, aside = box.letters_page("koen", 0, 1)
    assert [x.id for x in page] == ["t-apk"] and aside == ()
    assert box.publish("koen", {**letter, "id": "t-cak", "org": "cak"}) == "paper"
    assert box.publish("corry", {**letter, "id": "t-bd", "org": "belastingdienst"}) == "paper"
    assert not box.has_letter("koen", "t-cak") and not box.has_letter("corry", "t-bd")
    box.mark_read("koen", "t-apk")
    box.mark_unread("koen", "t-apk")
    assert not box.letter("koen", "t-apk").read
    box.delete_letter("koen", "t-apk")
    with pytest.raises(MailboxError) as gone:
        box.delete_letter("koen", "t-apk")
    assert gone.value.code.value == "unknown-letter"


def _waits_for_a_lock(backend, pids: list[int]) -> bool:
    if not pids:
        return False
    found = backend.rows(
        "SELECT 1 AS one FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND pid = ?",
        (pids[0],),
    )
    return bool(found)


def test_writers_take_turns_on_postgresql():
    """Two servers (here: two backends) on one database: a transaction waits
    for the one that is writing, as BEGIN IMMEDIATE does on SQLite. That is what
    lets activate() and request_paper() check and write once."""
    from app.mailbox.storage import open_postgres

    with pg_schema() as url:
        first, second = open_postgres(url), open_postgres(url)
        try:
            first.execute("CREATE TABLE turns (n INTEGER)")
            pids: list[int] = []
            order: list[str] = []

            def other() -> None:
                pids.append(second.rows("SELECT pg_backend_pid() AS pid")[0]["pid"])
                with second.transaction() as tx:
                    order.append("second")
                    tx.execute("INSERT INTO turns VALUES (2)")

            thread = threading.Thread(target=other)
            with first.transaction() as tx:
                tx.execute("INSERT INTO turns VALUES (1)")
                thread.start()
                deadline = time.monotonic() + 10
                while not _waits_for_a_lock(first, pids):  # polled, not slept
                    assert time.monotonic() < deadline, "the second writer never waited"
                    time.sleep(0.01)
                order.append("first")
            thread.join(10)
            assert order == ["first", "second"]
            assert [r["n"] for r in first.rows("SELECT n FROM turns ORDER BY n")] == [1, 2]
        finally:
            first.close()
            second.close()


def test_the_app_box_never_loads_psycopg(tmp_path):
    """The embedded box (SQLite) is the app's start-up: psycopg stays out."""
    script = (
        "import sys\n"
        "from app.mailbox.practice import PracticeMailbox\n"
        "box = PracticeMailbox(sys.argv[1])\n"
        "box.letters(box.me().id)\n"
        "print('psycopg' in sys.modules)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "p.sqlite")],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.stdout.strip() == "False", run.stderr[-2000:]
