"""Whom a helper acts for, over HTTP (issue 13): RemoteMailbox's ``grants()``,
``names()`` and ``access_log()`` against the real server, exactly as the
practice box answers them; and hostile answers that lose nothing.

The server tells each signed-in person, in ``/personen``, the grants between
them and each person listed (``machtigingen``: relation, rights, organisations,
start, end, ended); ``/inzage`` gives the log with who and which letter.
``app/people.py`` reads both the same way on either box, so a helper sees the
same relations, rights and end dates on a server as on the practice box.

A real server process on loopback over real SQLite (one for this file: Monique
acts for Sanne here, and Sanne and Willem get a PIN); the hostile answers come from
tests/wire/wire_server.py's scripted loopback server, a real socket.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from datetime import timedelta

import pytest
from wire_server import BadServer, start_server

import live_server
from app import people
from app.mailbox import ErrorCode, MailboxError
from app.mailbox.practice import PracticeMailbox
from app.session import Session
from server import SERVER_FILE, fbs
from server.setup import PRACTICE_PINS
from server.store import ServerStore

SANNE_BSN = "999990123"
#: Sanne and Willem sign in to read about their own post (PINs for this file only)
OWN_PINS = {"sanne": "12121", "willem": "13131"}
PINS = {**PRACTICE_PINS, **OWN_PINS}
#: what must never be in a log line of ours
PRIVATE = ("Willem", "Ingrid", "Sanne", "Monique", "99999", "Bearer", "geheim-token")


@pytest.fixture(scope="module")
def own(tmp_path_factory):
    folder = tmp_path_factory.mktemp("remote-people")
    data_dir = folder / "data"
    live_server.seed(data_dir)
    store = ServerStore(data_dir / SERVER_FILE)
    try:
        for person, pin in OWN_PINS.items():
            store.set_pin(person, pin)
    finally:
        store.close()
    running = start_server(data_dir, folder / "server.log")
    yield running
    running.stop()


@pytest.fixture
def remote(own, tmp_path):
    opened: list[Session] = []

    def open_for(person: str) -> Session:
        token = own.token(person, PINS[person])
        session = Session.open_remote(tmp_path / "app", own.base, person, token, sync=False)
        opened.append(session)
        return session

    yield open_for
    for session in opened:
        session.close()


@pytest.fixture
def practice(tmp_path):
    opened: list[Session] = []

    def open_for(person: str) -> Session:
        session = Session.open_practice(tmp_path / "practice", person_id=person, sync=False)
        opened.append(session)
        return session

    yield open_for
    for session in opened:
        session.close()


def _facts(session: Session) -> list[tuple]:
    return [
        (
            item.person.id,
            item.person.name,
            item.relation,
            item.can_act,
            item.organisations,
            item.ends_on,
            item.ended,
            item.ends_soon,
        )
        for item in people.represented(session)
    ]


@pytest.mark.parametrize("helper", ["piet", "ingrid", "ali", "monique"])
def test_a_helper_has_the_same_people_on_the_server_as_on_the_practice_box(
    helper, remote, practice
):
    """Relations, rights, organisations and end dates: the practice box's own."""
    on_server = remote(helper)
    on_box = practice(helper)
    assert _facts(on_server) == _facts(on_box)
    if helper == "piet":
        facts = _facts(on_server)
        assert len(facts) == 11 and facts[0][2] == people.SELF
        assert {f[2] for f in facts[1:]} == {"bewindvoerder"}
        assert all(f[3] and "rdw" not in f[4] for f in facts[1:])  # not financial
    if helper == "ali":
        (gerda,) = _facts(on_server)[1:]
        assert gerda[2] == people.MANDATE and gerda[6] and not gerda[3]  # ended, no acts
    # the words the helper reads are the same too
    for a, b in zip(people.represented(on_server), people.represented(on_box), strict=True):
        assert people.mandate_words(a, on_server.today()) == people.mandate_words(b, on_box.today())


@pytest.mark.parametrize("person", ["sanne", "willem"])
def test_the_person_hears_of_their_own_helpers_as_on_the_practice_box(person, remote, practice):
    """The person's own /personen names who acts for them (for their log and the
    week's warning), as the practice box's grants() and names() do."""
    on_server, on_box = remote(person), practice(person)
    assert set(on_server.grants_known) == set(on_box.grants_known)
    assert on_server.mailbox.names(person) == on_box.mailbox.names(person)
    assert people.person_warnings(on_server) == people.person_warnings(on_box)


def test_ingrid_reads_only_and_may_not_act_for_willem(own, remote):
    letter = own.publish("svb", bsn="999990251", onderwerp="AOW", inhoud="Tekst.")
    assert letter.status_code == 201, letter.text
    session = remote("ingrid")
    willem = people.find(session, "willem")
    assert willem is not None and willem.relation == people.MANDATE
    assert willem.organisations == frozenset({"svb", "pensioenfonds"}) and not willem.can_act
    assert willem.ends_on == session.today() + timedelta(days=30) and not willem.ended
    session.switch_person("willem")
    assert session.may_act() is False
    assert "alleen lezen" in (people.mandate_words(willem, session.today()) or "")
    # the server refuses her put away with its reason, and the letter stays
    session.sync()
    bid = letter.json()["berichtId"]
    assert bid in {x.id for x in session.table()}
    with pytest.raises(MailboxError) as refused:
        session.put_away(bid)
    assert refused.value.code is ErrorCode.FORBIDDEN and refused.value.detail == "read-only"
    assert bid in {x.id for x in session.table()}
    assert "alleen lezen" in people.refusal_words(refused.value.detail, session.person)


def test_sanne_reads_monique_s_open_put_away_and_paper_request_over_http(own, remote):
    published = [own.publish(org, bsn=SANNE_BSN) for org in ("cak", "uwv")]
    assert all(answer.status_code == 201 for answer in published)
    cak, uwv = (answer.json()["berichtId"] for answer in published)

    monique = remote("monique")
    monique.switch_person("sanne")
    monique.sync()
    assert monique.sync_error is None
    assert {cak, uwv} <= {letter.id for letter in monique.table()}
    assert monique.may_act()
    monique.open_letter(cak)
    monique.put_away(uwv)
    monique.mailbox.request_paper("sanne", "uwv")

    sanne = remote("sanne")
    lines = sanne.access_log_lines()
    assert any(line.startswith("Monique Bos opende op") and "CAK" in line for line in lines)
    assert any("Monique Bos heeft op" in line and "UWV opgeborgen" in line for line in lines)
    assert any("Monique Bos vroeg op" in line and "bij UWV" in line for line in lines)
    # the words are the server's own (/inzage) and the entries the box's own
    inzage = sanne.mailbox._http.call("GET", "/inzage", headers=sanne.mailbox._for("sanne"))
    assert lines == [entry["tekst"] for entry in inzage]
    box = PracticeMailbox(own.data_dir / "practice.sqlite")
    try:
        expected = [
            dataclasses.replace(e, letter_id=e.letter_id and fbs.fbs_id(e.letter_id))
            for e in box.access_log("sanne")
        ]
    finally:
        box.close()
    assert sanne.mailbox.access_log("sanne") == expected
    # Monique reads only her own accesses, and her own log names her
    assert {e.holder_id for e in monique.mailbox.access_log("sanne")} == {"monique"}


# -- hostile answers -------------------------------------------------------------------
ORGS = [
    {"id": "svb", "naam": "SVB", "volledigeNaam": "Sociale Verzekeringsbank", "oin": "1"},
    {"id": "rdw", "naam": "RDW", "volledigeNaam": "RDW", "oin": "2"},
]
MANDATE = {
    "id": "m-ingrid-willem",
    "relatie": "machtiging",
    "persoon": "willem",
    "helper": {"id": "ingrid", "naam": "Ingrid Smit"},
    "rechten": "lezen",
    "organisaties": ["svb"],
    "ingangsdatum": "2020-01-01",
    "einddatum": "2099-01-01",
    "ingetrokkenOp": None,
    "ingetrokkenDoor": None,
    "beeindigd": False,
}


def _personen(grant: object) -> bytes:
    return json.dumps(
        [
            {"id": "ingrid", "naam": "Ingrid Smit", "ontvanger": "BSN:999990263"},
            {
                "id": "willem",
                "naam": "Willem Smit",
                "ontvanger": "BSN:999990251",
                "machtigingen": [grant],
            },
        ]
    ).encode()


def _bad(**change) -> dict:
    return {**MANDATE, **change}


BAD_GRANTS = {
    "rights unknown": _bad(rechten="alles"),
    "organisations not a list": _bad(organisaties={"svb": True}),
    "end before start": _bad(einddatum="2019-01-01"),
    "end not a date": _bad(einddatum="morgen"),
    "someone else's grant": _bad(persoon="sanne"),
    "another helper": _bad(helper={"id": "piet", "naam": "Piet"}),
    "helper not an object": _bad(helper="ingrid"),
    "not an object": "machtiging",
    "relation unknown": _bad(relatie="buurman"),
    "court decision without decision": _bad(relatie="curator"),
}


@pytest.fixture
def hostile(tmp_path):
    opened: list[tuple[BadServer, Session | None]] = []

    def make(answers: dict[str, list[tuple[int, bytes]]]) -> tuple[BadServer, Session]:
        fake = BadServer("scripted", answers=answers)
        session = Session.open_remote(
            tmp_path / f"app{len(opened)}", fake.base, "ingrid", "geheim-token", sync=False
        )
        opened.append((fake, session))
        return fake, session

    yield make
    for fake, session in opened:
        if session is not None:
            session.close()
        fake.close()


@pytest.mark.parametrize("case", sorted(BAD_GRANTS))
def test_a_malformed_personen_answer_is_bad_answer_and_loses_nothing(case, hostile, caplog):
    caplog.set_level(logging.DEBUG)
    good = (200, _personen(MANDATE))
    fake, session = hostile(
        {"/personen": [good, (200, _personen(BAD_GRANTS[case]))], "/organisaties": [ORGS]}
    )
    known = _facts(session)
    assert known[1][:4] == ("willem", "Willem Smit", people.MANDATE, False)
    assert known[1][4] == frozenset({"svb"})
    with pytest.raises(MailboxError) as raised:
        session.mailbox.grants()
    assert raised.value.code is ErrorCode.BAD_ANSWER
    session.load_people()  # the next sync: it keeps what it knew
    assert _facts(session) == known
    session.switch_person("willem")
    assert session.may_act() is False
    assert not any(word in caplog.text for word in PRIVATE), caplog.text
    assert not any(word in str(raised.value) for word in PRIVATE)


INZAGE = {
    "wie": "Ingrid Smit",
    "door": "ingrid",
    "wat": "opened",
    "wanneer": "2026-12-01T10:00:00",
    "organisatie": "svb",
    "berichtId": "6f1c1c2e-3a38-5d2b-9b0e-3f6a1f2d9e11",
    "tekst": "Ingrid Smit opende op 1 december uw brief van SVB.",
}
BAD_LOGS = {
    "not a list": {"inzage": []},
    "event unknown": [{**INZAGE, "wat": "deleted"}],
    "when not a time": [{**INZAGE, "wanneer": "gisteren"}],
    "opened without its letter": [{**INZAGE, "berichtId": None}],
    "who missing": [{k: v for k, v in INZAGE.items() if k != "door"}],
    "garbage": b'[{"wie": "Ingrid Smit", "wat',
}


@pytest.mark.parametrize("case", sorted(BAD_LOGS))
def test_a_malformed_inzage_answer_is_bad_answer(case, hostile, caplog):
    caplog.set_level(logging.DEBUG)
    body = BAD_LOGS[case]
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    good = (200, _personen(MANDATE))
    fake, session = hostile(
        {"/personen": [good], "/organisaties": [ORGS], "/inzage": [[INZAGE], (200, raw)]}
    )
    session.switch_person("willem")
    assert len(session.access_log_lines()) == 1  # a good answer first
    with pytest.raises(MailboxError) as raised:
        session.access_log_lines()
    assert raised.value.code is ErrorCode.BAD_ANSWER
    assert not any(word in caplog.text for word in PRIVATE), caplog.text
    assert not any(word in str(raised.value) for word in PRIVATE)
