"""Issue 13, second floor: the practice box keeps the mandates and court
decisions and asks :func:`app.mandates.decide` on every call about someone
else's post, with the signed-in person as the holder.

Real SQLite files (and, for the seed and one story, a real PostgreSQL schema
as in tests/server), nothing mocked: the box is :class:`PracticeMailbox`."""

from __future__ import annotations

import importlib.util
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest

from app import mandates as mnd
from app.mailbox import ErrorCode, MailboxError, MandateMailbox
from app.mailbox.practice import SCHEMA_VERSION, PracticeMailbox

TODAY = date(2026, 12, 1)
PIETS_CLIENTS = [
    "wim",
    "fatima",
    "henk",
    "truus",
    "mohamed",
    "ans",
    "gerrit",
    "yvonne",
    "dirk",
    "marja",
]


def clock() -> date:
    return TODAY


def letter(letter_id: str, recipient: str, org: str, days_ago: int) -> dict:
    return {
        "id": letter_id,
        "recipient": recipient,
        "org": org,
        "subject": f"Brief {letter_id}",
        "summary": "Een oefenbrief.",
        "body": "Geachte lezer,\n\nDit is een oefenbrief.",
        "action": "lezen",
        "received_days_ago": days_ago,
    }


#: Letters for the mandate stories (the practice data has none yet).
LETTERS = [
    letter("sanne-svb", "sanne", "svb", 4),
    letter("sanne-rdw", "sanne", "rdw", 2),
    letter("wim-svb", "wim", "svb", 3),
    letter("wim-rdw", "wim", "rdw", 3),
    letter("willem-svb", "willem", "svb", 5),
    letter("willem-abp", "willem", "pensioenfonds", 8),
    letter("willem-bd", "willem", "belastingdienst", 1),
    letter("gerda-old", "gerda", "svb", 20),  # while Ali's mandate ran (it ended 6 days ago)
    letter("gerda-end", "gerda", "cak", 6),  # on its last day
    letter("gerda-new", "gerda", "gemeente", 2),  # after the end
]


@pytest.fixture
def path(tmp_path: Path) -> Path:
    """A practice file with the mandate stories' letters delivered."""
    where = tmp_path / "practice.sqlite3"
    box = PracticeMailbox(where, today=clock)
    try:
        for item in LETTERS:
            box.deliver(item)
    finally:
        box.close()
    return where


@pytest.fixture
def open_as(path):
    opened: list[PracticeMailbox] = []

    def make(holder: str | None) -> PracticeMailbox:
        box = PracticeMailbox(path, holder=holder, today=clock)
        opened.append(box)
        return box

    yield make
    for box in opened:
        box.close()


def refused(call, *args) -> str:
    """The reason code of a FORBIDDEN refusal."""
    with pytest.raises(MailboxError) as error:
        call(*args)
    assert error.value.code is ErrorCode.FORBIDDEN
    return error.value.detail


def ids(batch) -> set[str]:
    return {item.id for item in batch.letters}


def test_monique_reads_and_acts_for_sanne(open_as):
    monique = open_as("monique")
    assert isinstance(monique, MandateMailbox)
    assert [p.id for p in monique.people()] == ["monique", "sanne"]
    # a curator covers every organisation, the RDW too
    assert ids(monique.letters("sanne")) == {"sanne-svb", "sanne-rdw"}
    assert monique.letter("sanne", "sanne-rdw").org_id == "rdw"
    # opening does not mark it read for Sanne: she keeps seeing it as new
    monique.mark_read("sanne", "sanne-svb")
    assert not open_as(None).letter("sanne", "sanne-svb").read
    asked = monique.request_paper("sanne", "uwv")
    assert asked.new and asked.state == "asked"
    assert "uwv" not in monique.account_status("sanne").ticked
    (rep,) = monique.mandates("sanne")
    assert isinstance(rep, mnd.LegalRepresentation) and rep.kind is mnd.Kind.CURATOR
    # Sanne herself is under curatele: asking paper is her curator's
    sanne = open_as("sanne")
    assert refused(sanne.request_paper, "sanne", "svb") == "curator-acts"
    assert sanne.letter("sanne", "sanne-svb").org_id == "svb"  # reading her own post: yes


def test_piet_sees_his_ten_clients_and_only_their_financial_post(open_as):
    piet = open_as("piet")
    assert [p.id for p in piet.people()] == ["piet", *PIETS_CLIENTS]
    assert ids(piet.letters("wim")) == {"wim-svb"}  # the RDW is no financial organisation
    assert refused(piet.letter, "wim", "wim-rdw") == "outside-representation"
    assert refused(piet.set_tick, "wim", "rdw", False) == "outside-representation"
    assert piet.request_paper("wim", "svb").new
    assert refused(piet.letters, "sanne") == "no-mandate"  # not his client


def test_ingrid_reads_two_organisations_and_can_change_nothing(open_as):
    ingrid = open_as("ingrid")
    assert [p.id for p in ingrid.people()] == ["ingrid", "willem"]
    assert ids(ingrid.letters("willem")) == {"willem-svb", "willem-abp"}
    assert ingrid.letter_ids("willem") == ["willem-svb", "willem-abp"]
    page, _ = ingrid.letters_page("willem", 0, 10)
    assert {x.id for x in page} == {"willem-svb", "willem-abp"}
    assert not ingrid.has_letter("willem", "willem-bd")
    # refused in the service, not only left off a screen
    assert refused(ingrid.letter, "willem", "willem-bd") == "outside-mandate"
    assert refused(ingrid.mark_read, "willem", "willem-bd") == "outside-mandate"
    before = open_as(None).paper_requests("willem")
    assert refused(ingrid.request_paper, "willem", "svb") == "read-only"
    assert refused(ingrid.request_paper_all, "willem") == "read-only"
    assert refused(ingrid.set_tick, "willem", "svb", False) == "read-only"
    assert refused(ingrid.delete_letter, "willem", "willem-svb") == "read-only"
    assert refused(ingrid.put_away, "willem", "willem-svb") == "read-only"
    assert refused(ingrid.activation_offer, "willem", ["svb"]) == "curator-only"
    unchecked = open_as(None)
    assert unchecked.paper_requests("willem") == before
    assert "svb" in unchecked.account_status("willem").ticked
    assert unchecked.has_letter("willem", "willem-svb")


def test_ali_sees_nothing_received_after_his_mandate_ended(open_as):
    ali = open_as("ali")
    assert [p.id for p in ali.people()] == ["ali", "gerda"]  # so the screen can say why
    assert ids(ali.letters("gerda")) == {"gerda-old", "gerda-end"}
    assert refused(ali.letter, "gerda", "gerda-new") == "mandate-ended"
    assert ali.letter("gerda", "gerda-old").id == "gerda-old"
    assert refused(ali.request_paper, "gerda", "svb") == "mandate-ended"
    assert refused(ali.account_status, "gerda") == "mandate-ended"
    assert refused(ali.activation_offer, "gerda", []) == "curator-only"
    (mandate,) = ali.mandates("gerda")
    assert isinstance(mandate, mnd.Mandate) and mandate.ends_on == TODAY - timedelta(days=6)


def test_the_represented_person_sees_every_helper_access_in_their_log(open_as):
    monique = open_as("monique")
    monique.letters("sanne")  # a list is no opening
    monique.letter("sanne", "sanne-svb")
    monique.mark_read("sanne", "sanne-rdw")
    monique.request_paper("sanne", "uwv")
    monique.put_away("sanne", "sanne-svb")
    piet = open_as("piet")
    piet.letter("wim", "wim-svb")
    piet.request_paper("wim", "cjib")
    with pytest.raises(MailboxError):
        piet.letter("wim", "wim-rdw")  # refused: nothing was seen, nothing logged

    sanne = open_as("sanne")
    log = sanne.access_log("sanne")
    assert [(e.holder_id, e.event, e.letter_id, e.org_id) for e in log] == [
        ("monique", mnd.Event.OPENED, "sanne-svb", "svb"),
        ("monique", mnd.Event.OPENED, "sanne-rdw", "rdw"),
        ("monique", mnd.Event.ASKED_PAPER, None, "uwv"),
        ("monique", mnd.Event.PUT_AWAY, "sanne-svb", "svb"),
    ]
    assert all(e.at.date() == TODAY for e in log)
    lines = mnd.access_log_lines(
        log, "sanne", names={"monique": "Monique Bos"}, organisations={"uwv": "UWV"}, today=TODAY
    )
    assert len(lines) == 4
    assert "Monique Bos vroeg op 1 december papieren post aan bij UWV." in lines
    wim = open_as("wim").access_log("wim")
    assert [(e.holder_id, e.event) for e in wim] == [
        ("piet", mnd.Event.OPENED),
        ("piet", mnd.Event.ASKED_PAPER),
    ]
    # a helper sees only their own accesses, and has no call to change the log
    assert len(piet.access_log("wim")) == 2
    assert refused(piet.access_log, "sanne") == "no-mandate"
    writers = [n for n in dir(piet) if "log" in n and not n.startswith("_")]
    assert writers == ["access_log"]


def test_the_holders_own_post_behaves_as_before(open_as):
    unchecked = open_as(None)
    koen = open_as("koen")
    assert [p.id for p in koen.people()] == ["koen"]
    assert koen.letters("koen") == unchecked.letters("koen")
    first = koen.letters("koen").letters[0]
    assert not first.read
    koen.put_away("koen", first.id)  # the desk's business: nothing here
    koen.mark_read("koen", first.id)
    assert koen.letter("koen", first.id).read  # his own: read as before
    assert koen.access_log("koen") == []
    assert koen.mandates("koen") == []
    assert refused(koen.letters, "corry") == "no-mandate"  # and nobody else's


def test_a_version_2_file_is_migrated_and_seeded(tmp_path):
    where = tmp_path / "practice.sqlite3"
    PracticeMailbox(where, today=clock).close()
    conn = sqlite3.connect(where)
    with conn:
        for table in ("people_more", "mandates", "representations", "access_log"):
            conn.execute(f"DROP TABLE {table}")
        conn.execute("DELETE FROM meta WHERE key IN ('mandates_seeded_on', 'mandate_areas')")
        conn.execute("PRAGMA user_version = 2")
    conn.close()
    box = PracticeMailbox(where, holder="monique", today=clock)
    try:
        assert [p.id for p in box.people()] == ["monique", "sanne"]
        assert len(box.letters("sanne").letters) == 0
    finally:
        box.close()
    conn = sqlite3.connect(where)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
        assert conn.execute("SELECT COUNT(*) FROM people").fetchone()[0] == 4
        assert conn.execute("SELECT COUNT(*) FROM people_more").fetchone()[0] == 17
        assert conn.execute("SELECT COUNT(*) FROM mandates").fetchone()[0] == 2
        assert conn.execute("SELECT COUNT(*) FROM representations").fetchone()[0] == 11
    finally:
        conn.close()


def test_a_box_without_holder_checks_nothing_and_for_holder_checks(open_as):
    shared = open_as(None)  # as the server makes it
    assert shared.me().id == "koen" and [p.id for p in shared.people()] == ["koen"]
    assert [p.id for p in shared.practice_people()] == ["koen", "corry", "kees", "lisa"]
    every = [p.id for p in shared.practice_people(with_mandates=True)]
    assert len(every) == 4 + 17 and every[4:6] == ["monique", "sanne"]
    assert shared.letter("willem", "willem-bd").id == "willem-bd"
    ingrid = shared.for_holder("ingrid")
    assert refused(ingrid.letter, "willem", "willem-bd") == "outside-mandate"
    assert ingrid.me().id == "ingrid"
    ingrid.close()  # the view does not close the shared backend
    assert shared.letter("willem", "willem-svb").id == "willem-svb"
    assert shared.access_log("willem") == []  # the shared box's own reads are nobody's


def _pg_schema():
    spec = importlib.util.spec_from_file_location(
        "brieventafel_test_pg", Path(__file__).parents[1] / "server" / "pg.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.pg_schema()


def test_on_postgresql_the_same_rules_and_log():
    with _pg_schema() as url:
        box = PracticeMailbox(url, today=clock)
        try:
            for item in LETTERS:
                box.deliver(item)
            ali = box.for_holder("ali")
            assert ids(ali.letters("gerda")) == {"gerda-old", "gerda-end"}
            assert refused(ali.letter, "gerda", "gerda-new") == "mandate-ended"
            ali.letter("gerda", "gerda-old")
            monique = box.for_holder("monique")
            monique.request_paper("sanne", "uwv")
            assert [e.event for e in box.for_holder("gerda").access_log("gerda")] == [
                mnd.Event.OPENED
            ]
            assert [e.event for e in box.for_holder("sanne").access_log("sanne")] == [
                mnd.Event.ASKED_PAPER
            ]
            assert [p.id for p in box.for_holder("piet").people()] == ["piet", *PIETS_CLIENTS]
        finally:
            box.close()


def test_no_helper_ever_receives_a_letter_the_rules_refuse(open_as):
    """Every practice person as holder, about every practice person: each letter
    that comes is one :func:`decide` allows, and each one left out it refuses."""
    unchecked = open_as(None)
    people = [p.id for p in unchecked.practice_people()] + sorted(
        {item["recipient"] for item in LETTERS} | {"monique", "piet", "ingrid", "ali"}
    )
    grants = unchecked._grants()
    for holder in people:
        box = unchecked.for_holder(holder)
        for person in people:
            try:
                got = ids(box.letters(person))
            except MailboxError as error:
                assert error.code is ErrorCode.FORBIDDEN
                got = set()
            for item in unchecked.letters(person).letters:
                allowed = grants.decide(
                    holder,
                    person,
                    mnd.Access.READ,
                    org_id=item.org_id,
                    today=TODAY,
                    received=item.received,
                ).allowed
                assert (item.id in got) == allowed, (holder, person, item.id)


def test_a_practice_session_checks_the_signed_in_persons_mandates(tmp_path):
    """The app's own session signs in as the holder: the box refuses another
    person's post without a mandate, in the session too (not only in the box)."""
    from app.session import Session

    session = Session.open_practice(tmp_path / "data", person_id="koen", sync=False)
    try:
        assert session.mailbox.letters("koen").letters  # own post, as before
        with pytest.raises(MailboxError) as refused:
            session.mailbox.letters("corry")
        assert refused.value.code is ErrorCode.FORBIDDEN
    finally:
        session.close()
