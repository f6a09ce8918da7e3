"""The watching rules (issue 17) as pure functions of the facts and today, and
the facts as the server's real store keeps them (SQLite and PostgreSQL)."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

import pytest
from pg import pg_schema

from app.mailbox.practice import PracticeMailbox
from server.operator import rules as r
from server.store import SCHEMA_VERSION, ServerStore

TODAY = date(2026, 3, 2)


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def facts(**kw) -> r.Facts:
    base = dict(
        accounts=(
            r.Account("koen", True, "koen@example.nl"),
            r.Account("corry", False, None),
            r.Account("kees", True, None),
            r.Account("lisa", True, "lisa@example.nl"),
        ),
        letters=(
            r.LetterFact("k-rdw", "koen", "rdw", days_ago(14), TODAY + timedelta(days=5)),
            r.LetterFact("k-new", "koen", "duo", days_ago(13)),
            r.LetterFact("k-read", "koen", "svb", days_ago(40), read=True),
            r.LetterFact("c-old", "corry", "belastingdienst", days_ago(30)),
            r.LetterFact("l-1", "lisa", "duo", days_ago(2)),
        ),
    )
    base.update(kw)
    return r.Facts(**base)


def test_unread_for_14_days_without_a_visit_is_found_on_the_14th_day_not_before():
    found = r.unread_unvisited(facts(), TODAY)
    assert found == [r.Finding(r.UNREAD, "koen", "k-rdw", "rdw")]
    assert r.unread_unvisited(facts(), TODAY - timedelta(days=1)) == []
    # N is a setting: at 13 days the DUO letter counts too
    assert [f.letter_id for f in r.unread_unvisited(facts(), TODAY, days=13)] == ["k-new", "k-rdw"]


def test_a_visit_since_the_letter_came_means_it_was_seen_and_one_before_does_not():
    seen = facts(visits={"koen": days_ago(14)})
    assert r.unread_unvisited(seen, TODAY) == []
    before = facts(visits={"koen": days_ago(15)})
    assert [f.letter_id for f in r.unread_unvisited(before, TODAY)] == ["k-rdw"]


def test_a_dormant_account_is_not_watched_its_post_goes_on_paper():
    # Corry's box is off: her old unread letter is no finding of any rule
    assert all(f.person_id != "corry" for f in r.findings(facts(), TODAY))


def test_a_notification_that_bounced_or_failed_after_the_retries_is_found_once_read_not():
    states = {"l-1": "bounced", "k-new": "failed", "k-read": "failed", "k-rdw": "deferred"}
    found = r.notification_failed(facts(notifications=states))
    assert found == [
        r.Finding(r.UNDELIVERABLE, "koen", "k-new", "duo"),
        r.Finding(r.UNDELIVERABLE, "lisa", "l-1", "duo"),
    ]  # deferred is still being tried; a read letter needs no notice


def test_activated_accounts_without_an_address_or_with_one_that_bounces():
    found = r.without_email(facts(marks={"lisa": "bounced", "corry": "no-address"}))
    assert found == [
        r.Finding(r.EMAIL_BOUNCES, "lisa"),
        r.Finding(r.NO_EMAIL, "kees"),
    ]
    blank = facts(accounts=(r.Account("koen", True, "  "),))
    assert r.without_email(blank) == [r.Finding(r.NO_EMAIL, "koen")]


def test_findings_cover_a_letter_once_and_a_person_rule_once():
    found = r.findings(facts(notifications={"k-rdw": "bounced"}), TODAY)
    assert [f.item for f in found] == ["letter:k-rdw", "letter:k-rdw", "no-email"]
    assert {f.rule for f in found} == {r.UNREAD, r.UNDELIVERABLE, r.NO_EMAIL}


# -- the facts as the store keeps them ------------------------------------------------
@pytest.fixture(params=["sqlite", "postgresql"])
def stores(request, tmp_path):
    """(box, store) over a real SQLite file each, or one PostgreSQL schema."""
    if request.param == "sqlite":
        box = PracticeMailbox(tmp_path / "practice.sqlite", today=lambda: TODAY)
        store = ServerStore(tmp_path / "server.sqlite")
        yield box, store
        box.close()
        store.close()
        return
    with pg_schema() as url:
        from app.mailbox.storage import open_postgres

        backend = open_postgres(url)
        store = ServerStore(backend)
        box = PracticeMailbox(backend, today=lambda: TODAY)
        yield box, store
        backend.close()


def test_gather_reads_the_practice_accounts_letters_visits_and_notifications(stores):
    box, store = stores
    store.record_visit("lisa", days_ago(3))
    store.record_visit("lisa", days_ago(5))  # an older visit never moves the day back
    store.set_notification("koen-005", "koen", "duo", "bounced", attempts=1, detail="550")
    store.mark_contact("lisa", "bounced")
    store.mark_contact("lisa", "no-address")  # the first reason stays
    got = r.gather(box, store)
    assert got.visits == {"lisa": days_ago(3)}
    assert got.notifications == {"koen-005": "bounced"}
    assert got.marks == {"lisa": "bounced"}
    rdw = next(x for x in got.letters if x.letter_id == "koen-003")
    assert (rdw.person_id, rdw.org_id, rdw.received, rdw.read) == (
        "koen",
        "rdw",
        days_ago(55),
        False,
    )
    accounts = {a.person_id: a for a in got.accounts}
    assert accounts["kees"] == r.Account("kees", True, None)
    assert not accounts["corry"].active
    found = r.findings(got, TODAY)
    assert r.Finding(r.UNREAD, "koen", "koen-003", "rdw") in found
    assert r.Finding(r.UNDELIVERABLE, "koen", "koen-005", "duo") in found
    assert r.Finding(r.EMAIL_BOUNCES, "lisa") in found
    # Lisa came 3 days ago, after every letter of hers: she saw them
    assert not any(f.person_id == "lisa" and f.rule == r.UNREAD for f in found)


def test_contacts_are_recorded_all_or_nothing_and_never_twice(stores):
    _box, store = stores
    assert store.add_contact("c1", "koen", TODAY, ["unread"], {"naam": "K"}, ["letter:a", "x"])
    assert not store.add_contact("c2", "koen", TODAY, ["unread"], {}, ["letter:b", "letter:a"])
    assert store.covered() == {("koen", "letter:a"), ("koen", "x")}  # nothing of c2 stayed
    assert [c["id"] for c in store.contacts(TODAY)] == ["c1"]
    assert store.contacts(TODAY + timedelta(days=1)) == []


def test_a_version_1_server_file_gets_the_operators_tables_and_keeps_its_rows(tmp_path):
    path = tmp_path / "server.sqlite"
    old = sqlite3.connect(path)
    old.executescript(
        """CREATE TABLE tokens (hash TEXT PRIMARY KEY, person_id TEXT NOT NULL,
        created TEXT NOT NULL, expires TEXT NOT NULL, revoked INTEGER NOT NULL DEFAULT 0);
        CREATE TABLE pins (person_id TEXT PRIMARY KEY, salt TEXT NOT NULL, hash TEXT NOT NULL);
        CREATE TABLE afnemers (oin TEXT PRIMARY KEY, org_id TEXT NOT NULL UNIQUE,
        key_hash TEXT NOT NULL);
        CREATE TABLE maps (letter_id TEXT PRIMARY KEY, map TEXT NOT NULL);
        CREATE TABLE events (source TEXT NOT NULL, id TEXT NOT NULL, bericht_id TEXT NOT NULL,
        outcome TEXT NOT NULL, received TEXT NOT NULL, PRIMARY KEY (source, id));
        CREATE TABLE paper (bericht_id TEXT PRIMARY KEY, person_id TEXT NOT NULL,
        org_id TEXT NOT NULL, day TEXT NOT NULL);
        CREATE TABLE bijlagen (bijlage_id TEXT PRIMARY KEY, letter_id TEXT NOT NULL,
        media_type TEXT NOT NULL, content BLOB NOT NULL);
        INSERT INTO maps VALUES ('koen-001', 'archief');
        PRAGMA user_version = 1;"""
    )
    old.close()
    store = ServerStore(path)
    try:
        assert store.maps(["koen-001"]) == {"koen-001": "archief"}
        store.record_visit("koen", TODAY)
        assert store.visits() == {"koen": TODAY}
        version = store.backend.rows("PRAGMA user_version")[0][0]
        assert version == SCHEMA_VERSION == 2
    finally:
        store.close()


def test_a_sign_in_and_a_list_call_on_the_real_server_record_the_day_of_the_visit(server):
    """The shared server (tests/server/conftest.py, which fills the four own-post
    people's cache: their _ophalen is a visit): Ali's own sign-in is a visit; a
    helper's list call for someone else is not that person's visit."""
    assert server.login("ali", "88888").status_code == 200
    helper = server.token("ingrid")  # reads Willem's post under a mandate
    willem = {"Authorization": f"Bearer {helper}", "X-Ontvanger": "BSN:999990251"}
    import requests

    requests.get(server.url("/berichten"), headers=willem, timeout=10)
    import sqlite3

    db = sqlite3.connect(server.data_dir / "server.sqlite")
    try:
        visits = dict(db.execute("SELECT person_id, day FROM visits").fetchall())
    finally:
        db.close()
    assert visits["ali"] == visits["lisa"] == date.today().isoformat()
    assert "willem" not in visits
