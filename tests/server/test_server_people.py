"""People and mandates over the real HTTP server (issue 13): Monique handles
Sanne's letters, Piet his ten clients', a read-only helper cannot put away, a
representative never receives a letter outside the representation (not in the
list, not by id, not through ``_ophalen``), and the represented person reads
every access in ``/inzage``, which nobody can change.

A real server process on loopback over real SQLite (tests/live_server.py); the
letters are published by the organisations themselves (afnemer side)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fbs_server import Server, read_sse, requests, start_server

from live_server import seed
from server import SERVER_FILE
from server.setup import afnemer_keys
from server.store import ServerStore

SANNE = "BSN:999990123"
WILLEM = "BSN:999990251"
#: Piet's clients and their X-Ontvanger (people_more.json)
CLIENTS = {
    "wim": "BSN:999990147",
    "fatima": "BSN:999990159",
}
#: Sanne and Willem sign in to read their own log, Wim and Fatima to take their
#: RDW post digitally (PINs made for this test only)
OWN_PINS = {"sanne": "12121", "willem": "13131", "wim": "14141", "fatima": "15151"}
PRIVATE = ("Sanne", "Willem", "Wim", "99999")


def _bsn_of(server: Server, person: str) -> str:
    answer = requests.get(
        server.url("/personen"),
        headers={"Authorization": f"Bearer {server.token(person)}"},
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    return {p["id"]: p["ontvanger"] for p in answer.json()}


def _publish(server: Server, org: str, ontvanger: str, subject: str) -> str:
    key = afnemer_keys(server.data_dir)[org]
    body = {
        "ontvanger": {"type": "BSN", "waarde": ontvanger.split(":")[1]},
        "onderwerp": subject,
        "inhoud": "Tekst.",
        "publicatietijdstip": (datetime.now(UTC) - timedelta(minutes=5)).isoformat(),
    }
    answer = requests.post(
        server.url("/afnemer/berichten"),
        json=body,
        auth=(key["oin"], key["sleutel"]),
        timeout=10,
    )
    assert answer.status_code == 201, answer.text
    return answer.json()["berichtId"]


@pytest.fixture(scope="module")
def own(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("people") / "data"
    seed(data_dir)
    store = ServerStore(data_dir / SERVER_FILE)
    try:
        for person, pin in OWN_PINS.items():
            store.set_pin(person, pin)
    finally:
        store.close()
    server = start_server(data_dir)
    try:
        for person, pin in OWN_PINS.items():
            answer = server.login(person, pin)
            assert answer.status_code == 200, answer.text
            server.tokens[person] = answer.json()["token"]
        ontvangers = _bsn_of(server, "piet")
        server.clients = {p: o for p, o in ontvangers.items() if p != "piet"}  # type: ignore[attr-defined]
        letters = {
            "sanne-cak": _publish(server, "cak", SANNE, "Eigen bijdrage"),
            "sanne-uwv": _publish(server, "uwv", SANNE, "Uitkering"),
            "willem-svb": _publish(server, "svb", WILLEM, "AOW"),
        }
        for person, ontvanger in server.clients.items():  # type: ignore[attr-defined]
            letters[f"{person}-bd"] = _publish(server, "belastingdienst", ontvanger, "Aanslag")
        for person, ontvanger in CLIENTS.items():  # they take the RDW's post digitally
            ticked = requests.put(
                server.url("/account/vinkjes/rdw"),
                headers=server.headers(person, ontvanger),
                json={"aangevinkt": True},
                timeout=10,
            )
            assert ticked.status_code == 200, ticked.text
            letters[f"{person}-rdw"] = _publish(server, "rdw", ontvanger, "APK")
        server.letters = letters  # type: ignore[attr-defined]
        yield server
    finally:
        server.stop()


def _refused(answer: requests.Response, reason: str) -> None:
    assert answer.status_code == 403, answer.text
    body = answer.json()
    assert body["code"] == "forbidden" and body["reden"] == reason, body
    assert not any(word in answer.text for word in PRIVATE), answer.text


def _listed(server: Server, person: str, ontvanger: str) -> set[str]:
    answer = server.get("/berichten", person, ontvanger, params={"paginaGrootte": 100})
    assert answer.status_code == 200, answer.text
    return {b["berichtId"] for b in answer.json()["berichten"]}


def _patch(server: Server, person: str, ontvanger: str, letter_id: str, body: bytes):
    letter = server.get(f"/berichten/{letter_id}", person, ontvanger)
    assert letter.status_code == 200, letter.text
    return requests.patch(
        server.url(f"/berichten/{letter_id}"),
        params={"magazijnId": letter.json()["magazijnId"]},
        headers={
            **server.headers(person, ontvanger),
            "Content-Type": "application/merge-patch+json",
        },
        data=body,
        timeout=10,
    )


def _inzage(server: Server, person: str, ontvanger: str) -> list[dict]:
    answer = server.get("/inzage", person, ontvanger)
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_piet_gets_each_of_his_ten_clients_and_never_a_letter_outside(own):
    clients = own.clients
    assert len(clients) == 10 and set(CLIENTS.items()) <= set(clients.items())
    for person, ontvanger in clients.items():
        events, complete = read_sse(own.ophalen("piet", ontvanger))
        assert complete, events
        listed = _listed(own, "piet", ontvanger)
        assert own.letters[f"{person}-bd"] in listed
    for person, ontvanger in CLIENTS.items():
        rdw = own.letters[f"{person}-rdw"]
        assert rdw not in _listed(own, "piet", ontvanger)  # the RDW is not financial
        assert rdw in _listed(own, person, ontvanger)  # the client himself: yes
        assert rdw not in str(read_sse(own.ophalen("piet", ontvanger))[0])
    rdw = own.letters["wim-rdw"]
    _refused(own.get(f"/berichten/{rdw}", "piet", clients["wim"]), "outside-representation")
    _refused(own.get("/berichten", "piet", SANNE), "no-mandate")  # not his client
    assert _patch(own, "piet", clients["wim"], own.letters["wim-bd"], b'{"map": "archief"}').ok


def test_monique_handles_sannes_letters_and_sanne_reads_every_access(own):
    own.fill("monique", SANNE)
    assert {own.letters["sanne-cak"], own.letters["sanne-uwv"]} <= _listed(own, "monique", SANNE)
    before = len(_inzage(own, "sanne", SANNE))
    opened = own.get(f"/berichten/{own.letters['sanne-cak']}", "monique", SANNE)
    assert opened.status_code == 200
    put_away = _patch(own, "monique", SANNE, own.letters["sanne-uwv"], b'{"map": "archief"}')
    assert put_away.status_code == 200, put_away.text
    paper = requests.post(
        own.url("/account/papier/uwv"), headers=own.headers("monique", SANNE), timeout=10
    )
    assert paper.status_code in (200, 201), paper.text

    log = _inzage(own, "sanne", SANNE)
    new = log[: len(log) - before]
    assert {entry["wat"] for entry in new} == {"opened", "put-away", "asked-paper"}
    assert all(entry["wie"] == "Monique Bos" for entry in new)
    texts = " ".join(entry["tekst"] for entry in new)
    assert "Monique Bos opende op" in texts and "uw brief van CAK" in texts
    assert "papieren post aan bij UWV" in texts
    # the helper reads only her own accesses, and cannot change or remove any
    assert all(entry["wie"] == "Monique Bos" for entry in _inzage(own, "monique", SANNE))
    for method in ("delete", "put", "patch", "post"):
        answer = requests.request(
            method, own.url("/inzage"), headers=own.headers("monique", SANNE), timeout=10
        )
        assert answer.status_code == 405, (method, answer.text)
    assert _inzage(own, "sanne", SANNE) == log


def test_a_read_only_helper_cannot_put_away_and_it_is_not_logged_as_done(own):
    own.fill("ingrid", WILLEM)
    letter = own.letters["willem-svb"]
    assert letter in _listed(own, "ingrid", WILLEM)
    _refused(_patch(own, "ingrid", WILLEM, letter, b'{"map": "archief"}'), "read-only")
    log = _inzage(own, "willem", WILLEM)
    assert [e["wat"] for e in log if e["wie"] == "Ingrid Smit"] == ["opened"]  # the GET above
    assert [e["wat"] for e in _inzage(own, "ingrid", WILLEM)] == ["opened"]


def test_a_stranger_reads_no_log(own):
    _refused(own.get("/inzage", "koen", SANNE), "no-mandate")
    _refused(own.get("/inzage", "piet", WILLEM), "no-mandate")
