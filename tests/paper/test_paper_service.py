"""Post on paper again, service side: the practice mailbox's rules and app/paper.py.

Real SQLite files, the real practice data (Kees: active, four organisations
ticked; Corry: dormant). Failures are real: an exception from the documented
test seam ``PracticeMailbox.paper_step_hook``, a full database, and a process
killed with SIGKILL halfway.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from datetime import date, timedelta
from pathlib import Path

import pytest

from app import i18n, paper
from app.mailbox import PAPER_ROUTE_HELPDESK, PAPER_ROUTE_UNTICK, MailboxError
from app.mailbox.practice import PAPER_AFTER_DAYS, PracticeMailbox

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 11, 28)


def open_box(path: Path, person: str = "kees", day: date = TODAY) -> PracticeMailbox:
    return PracticeMailbox(path, person_id=person, today=lambda: day)


@pytest.fixture
def box(tmp_path):
    m = open_box(tmp_path / "practice.sqlite3")
    yield m
    m.close()


def law_ids(m) -> set[str]:
    return {o.id for o in m.organisations() if o.fixed_by_law}


def ordinary_ticked(m, person="kees") -> set[str]:
    return set(m.account_status(person).ticked) - law_ids(m)


def assert_consistent(m, person="kees"):
    """Each ordinary organisation is either unticked AND recorded, or neither."""
    requested = {r.org_id for r in m.paper_requests(person) if r.route == PAPER_ROUTE_UNTICK}
    unticked_by_log = {c.org_id for c in m.tick_history(person) if not c.ticked}
    assert requested == unticked_by_log
    assert not requested & set(m.account_status(person).ticked)


def test_kees_has_four_ordinary_organisations_ticked_and_the_belastingdienst(box):
    status = box.account_status("kees")
    assert status.active
    assert len(ordinary_ticked(box)) == 4
    assert law_ids(box) <= set(status.ticked)
    assert box.paper_requests("kees") == []


def test_request_all_unticks_four_with_dates_and_prepares_the_belastingdienst(box):
    before = ordinary_ticked(box)
    results = box.request_paper_all("kees")
    paper_day = TODAY + timedelta(days=PAPER_AFTER_DAYS)
    by_org = {r.org_id: r for r in results}
    assert set(by_org) == before | law_ids(box)
    for org_id in before:
        r = by_org[org_id]
        assert (r.route, r.state, r.requested_on, r.paper_from, r.new) == (
            PAPER_ROUTE_UNTICK,
            "asked",
            TODAY,
            paper_day,
            True,
        )
    for org_id in law_ids(box):
        r = by_org[org_id]
        assert (r.route, r.state, r.paper_from) == (PAPER_ROUTE_HELPDESK, "prepared", None)
    assert ordinary_ticked(box) == set()
    # the Belastingdienst stays ticked by law; its request goes by phone or letter
    assert law_ids(box) <= set(box.account_status("kees").ticked)
    history = box.tick_history("kees")
    assert {(c.org_id, c.ticked, c.effective_on) for c in history} == {
        (o, False, paper_day) for o in before
    }
    assert_consistent(box)
    # the Belastingdienst comes last, the ordinary organisations first
    assert [r.route for r in box.paper_requests("kees")][-1] == PAPER_ROUTE_HELPDESK


def test_pressing_again_changes_nothing_and_returns_the_same_requests(box):
    first = box.request_paper_all("kees")
    history = box.tick_history("kees")
    second = box.request_paper_all("kees")
    assert [r.org_id for r in second] == [r.org_id for r in first]
    assert all(not r.new for r in second)
    assert [(r.org_id, r.requested_on, r.paper_from) for r in second] == [
        (r.org_id, r.requested_on, r.paper_from) for r in first
    ]
    assert box.tick_history("kees") == history
    assert len(box.paper_requests("kees")) == len(first)
    # one organisation asked again on its own: the same request, not a second one
    again = box.request_paper("kees", first[0].org_id)
    assert not again.new and again.requested_on == TODAY
    # and the review now has nothing new: the button shows the status instead
    assert paper.make_review(paper.facts(box, "kees")).nothing_new


def test_a_repeat_on_a_later_day_keeps_the_first_dates(tmp_path):
    path = tmp_path / "practice.sqlite3"
    m = open_box(path)
    m.request_paper_all("kees")
    m.close()
    later = open_box(path, day=TODAY + timedelta(days=5))
    again = later.request_paper_all("kees")
    assert {r.requested_on for r in again} == {TODAY}
    assert not any(r.new for r in again)
    later.close()


def test_dormant_account_has_nothing_to_change(tmp_path):
    m = open_box(tmp_path / "practice.sqlite3", person="corry")
    assert not m.account_status("corry").active
    with pytest.raises(MailboxError) as error:
        m.request_paper_all("corry")
    assert error.value.code == "not-active"
    some_org = m.organisations()[0].id
    with pytest.raises(MailboxError) as error:
        m.request_paper("corry", some_org)
    assert error.value.code == "not-active"
    assert m.paper_requests("corry") == [] and m.tick_history("corry") == []
    review = paper.make_review(paper.facts(m, "corry"))
    assert not review.active
    assert "komt dus al op papier" in paper.review_intro(review)
    assert paper.status_rows(paper.facts(m, "corry")) == []
    m.close()


def test_an_organisation_that_already_sends_paper_is_refused(box):
    not_ticked = [
        o.id
        for o in box.organisations()
        if not o.fixed_by_law and o.id not in box.account_status("kees").ticked
    ]
    assert not_ticked
    with pytest.raises(MailboxError) as error:
        box.request_paper("kees", not_ticked[0])
    assert error.value.code == "not-ticked"
    assert box.paper_requests("kees") == []
    with pytest.raises(MailboxError) as error:
        box.request_paper("kees", "no-such-organisation")
    assert error.value.code == "unknown-organisation"


class ServiceDown(MailboxError):
    pass


def test_failure_halfway_leaves_each_organisation_whole_and_a_second_press_completes(box):
    four = ordinary_ticked(box)
    done: list[str] = []

    def fail_after_two(org_id: str) -> None:
        done.append(org_id)
        if len(done) == 2:
            raise ServiceDown("unreachable")

    box.paper_step_hook = fail_after_two
    with pytest.raises(MailboxError) as error:
        box.request_paper_all("kees")
    assert error.value.code == "unreachable"
    assert_consistent(box)
    asked = {r.org_id for r in box.paper_requests("kees")}
    assert asked == set(done) and len(asked) == 2
    assert ordinary_ticked(box) == four - asked
    # the status tells the truth: two asked, the rest not yet
    rows = paper.status_rows(paper.facts(box, "kees"))
    assert len(rows) == 5
    assert sum(1 for r in rows if r.request is None) == 3
    assert "3 organisaties zijn nog niet gevraagd" in paper.status_summary(rows)
    # review after the failure: only what is left, and what was already asked
    review = paper.make_review(paper.facts(box, "kees"))
    assert {i.org.id for i in review.to_untick} == four - asked
    assert {i.org.id for i in review.asked} == asked
    # the second press completes the rest
    box.paper_step_hook = None
    results = box.request_paper_all("kees")
    assert {r.org_id for r in results if r.new} == (four - asked) | law_ids(box)
    assert {r.org_id for r in results if not r.new} == asked
    assert ordinary_ticked(box) == set()
    assert_consistent(box)
    assert all(r.request is not None for r in paper.status_rows(paper.facts(box, "kees")))


def test_a_write_failing_inside_the_transaction_undoes_the_untick_too(box):
    """Disk full after the untick was written: the whole organisation rolls back."""
    order = [o.id for o in box.organisations() if o.id in ordinary_ticked(box)]
    third = order[2]
    box.conn.execute(
        "CREATE TEMP TRIGGER disk_full BEFORE INSERT ON main.paper_requests"
        f" WHEN NEW.org_id = '{third}' BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"
    )
    with pytest.raises(MailboxError) as error:
        box.request_paper_all("kees")
    assert error.value.code == "storage-failed"
    assert {r.org_id for r in box.paper_requests("kees")} == set(order[:2])
    assert third in box.account_status("kees").ticked
    assert third not in {c.org_id for c in box.tick_history("kees")}
    assert_consistent(box)
    box.conn.execute("DROP TRIGGER temp.disk_full")
    box.request_paper_all("kees")
    assert ordinary_ticked(box) == set()
    assert_consistent(box)


KILL_SCRIPT = textwrap.dedent("""
    import os, signal, sys
    from datetime import date
    from pathlib import Path
    sys.path.insert(0, sys.argv[2])
    from app.mailbox.practice import PracticeMailbox
    box = PracticeMailbox(Path(sys.argv[1]), person_id="kees", today=lambda: date(2026, 11, 28))
    seen = []
    def kill_after_two(org_id):
        seen.append(org_id)
        if len(seen) == 2:
            os.kill(os.getpid(), signal.SIGKILL)
    box.paper_step_hook = kill_after_two
    box.request_paper_all("kees")
    print("not killed")
""")


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_killed_halfway_with_sigkill_keeps_each_organisation_whole(tmp_path):
    path = tmp_path / "practice.sqlite3"
    open_box(path).close()  # seed first, so the child only asks for paper
    proc = subprocess.run(
        [sys.executable, "-c", KILL_SCRIPT, str(path), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert "not killed" not in proc.stdout
    m = open_box(path)
    assert len(m.paper_requests("kees")) == 2
    assert len(ordinary_ticked(m)) == 2
    assert_consistent(m)
    results = m.request_paper_all("kees")
    assert sum(1 for r in results if r.new) == 3
    assert ordinary_ticked(m) == set()
    assert_consistent(m)
    m.close()


def test_belastingdienst_route_prepared_sent_done(box):
    (law,) = law_ids(box)
    request = box.request_paper("kees", law)
    assert (request.route, request.state) == (PAPER_ROUTE_HELPDESK, "prepared")
    with pytest.raises(MailboxError) as error:
        box.set_tick("kees", law, False)
    assert error.value.code == "fixed-by-law"
    later = open_box(box.path, day=TODAY + timedelta(days=3))
    sent = later.set_paper_request_state("kees", law, "sent")
    assert (sent.state, sent.requested_on) == ("sent", TODAY + timedelta(days=3))
    done = later.set_paper_request_state("kees", law, "done")
    assert (done.state, done.done_on) == ("done", TODAY + timedelta(days=3))
    with pytest.raises(MailboxError) as error:
        later.set_paper_request_state("kees", law, "weg")
    assert error.value.code == "bad-state"
    later.close()


def test_state_changes_are_only_for_the_belastingdienst_route(box):
    results = box.request_paper_all("kees")
    ordinary = next(r.org_id for r in results if r.route == PAPER_ROUTE_UNTICK)
    with pytest.raises(MailboxError) as error:
        box.set_paper_request_state("kees", ordinary, "done")
    assert error.value.code == "bad-state"
    other = next(o.id for o in box.organisations() if o.id not in {r.org_id for r in results})
    with pytest.raises(MailboxError) as error:
        box.set_paper_request_state("kees", other, "sent")
    assert error.value.code == "unknown-request"


def test_after_three_weeks_the_ordinary_organisations_are_done(tmp_path):
    path = tmp_path / "practice.sqlite3"
    m = open_box(path)
    m.request_paper_all("kees")
    m.close()
    day = TODAY + timedelta(days=PAPER_AFTER_DAYS)
    later = open_box(path, day=day)
    rows = paper.status_rows(paper.facts(later, "kees"))
    ordinary = [r for r in rows if not r.helpdesk]
    assert len(ordinary) == 4 and all(r.done for r in ordinary)
    assert all(r.request.done_on == day for r in ordinary)
    assert paper.any_open(rows)  # the Belastingdienst is still open
    (law,) = law_ids(later)
    later.set_paper_request_state("kees", law, "sent")
    later.set_paper_request_state("kees", law, "done")
    rows = paper.status_rows(paper.facts(later, "kees"))
    assert not paper.any_open(rows)
    assert paper.status_summary(rows) == "Klaar. Al uw post komt weer op papier."
    later.close()


def test_review_texts_name_each_organisation_with_its_date(box):
    review = paper.make_review(paper.facts(box, "kees"))
    assert review.active and len(review.to_untick) == 4 and not review.nothing_new
    assert paper.review_intro(review).startswith("Deze 4 organisaties sturen uw post nu digitaal.")
    lines = [paper.untick_line(i) for i in review.to_untick]
    assert all("op papier vanaf ongeveer 19 december 2026" in line for line in lines)
    assert {line.split(":")[0] for line in lines} == {i.org.name for i in review.to_untick}
    (item,) = review.helpdesk
    assert "apart vragen" in paper.helpdesk_text(item)
    assert "Verder verandert er niets" in paper.unchanged_text()
    # building the review changed nothing
    assert len(ordinary_ticked(box)) == 4 and box.paper_requests("kees") == []


def test_phone_script_and_letter_come_from_the_organisation_data(box):
    (law,) = law_ids(box)
    org = box.organisation(law)
    person = box.me()
    route = org.paper_route
    assert route, "the Belastingdienst needs its paper_route in organisations.json"
    script = paper.phone_script(org)
    assert script.phone == route["phone"]
    text = "\n".join(paper.phone_script_lines(script, person))
    assert route["phone"] in text and person.bsn in text
    letter = paper.belastingdienst_letter(org, person, TODAY)
    assert person.name in letter and person.bsn in "\n".join(letter)
    for line in paper.letter_address(org):
        assert line in letter
    assert any("28 november 2026" in line for line in letter)


def test_the_letter_stays_dutch_in_another_language(box):
    (law,) = law_ids(box)
    i18n.set_language("en")
    letter = "\n".join(paper.belastingdienst_letter(box.organisation(law), box.me(), TODAY))
    assert "28 november 2026" in letter
    assert "Ik wil de post van de Belastingdienst op papier krijgen." in letter
