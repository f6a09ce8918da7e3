"""Organisations deliver: the afnemer side and /aanmeldingen, by the box's own rules."""

from __future__ import annotations

import base64
import json
import sqlite3
import uuid
from datetime import date, timedelta

from fbs_server import CORRY, requests

from server.setup import afnemer_keys


def _auth(server, org: str) -> tuple[str, str]:
    key = afnemer_keys(server.data_dir)[org]
    return key["oin"], key["sleutel"]


def _publish(server, org: str, bsn: str, **fields):
    body = {"ontvanger": {"type": "BSN", "waarde": bsn}, "onderwerp": "Test", "inhoud": "Tekst."}
    body.update(fields)
    return requests.post(
        server.url("/afnemer/berichten"), json=body, auth=_auth(server, org), timeout=10
    )


def _server_rows(server, sql: str, *args) -> list:
    with sqlite3.connect(server.data_dir / "server.sqlite") as conn:
        return conn.execute(sql, args).fetchall()


def test_the_rdw_sends_koen_an_apk_reminder_and_it_is_in_his_berichten(server):
    deadline = date.today() + timedelta(days=14)
    pdf = b"%PDF-1.4 herinnering"
    answer = _publish(
        server,
        "rdw",
        "999990019",
        onderwerp="Uw auto moet voor 1 maart naar de APK",
        inhoud="Geachte heer De Vries, de APK van uw auto verloopt.",
        handelingsperspectief="informatie verstrekken",
        einddatumHandelingstermijn=deadline.isoformat(),
        berichtType="verzoek",
        referentie="Kenteken 7-KZS-28",
        bijlagen=[{"naam": "apk.pdf", "inhoud": base64.b64encode(pdf).decode()}],
    )
    assert answer.status_code == 201, answer.text
    published = answer.json()
    assert published["bezorging"] == "digitaal"
    bid = published["berichtId"]
    assert answer.headers["Location"] == f"/api/v1/berichten/{bid}"

    newest = server.get("/berichten?paginaGrootte=1").json()["berichten"][0]
    assert newest["berichtId"] == bid and newest["afzender"] == "RDW"
    assert newest["status"] == "ongelezen" and newest["aantalBijlagen"] == 1
    letter = server.get(f"/berichten/{bid}").json()
    assert letter["einddatumHandelingstermijn"] == deadline.isoformat()
    assert letter["referentie"] == "Kenteken 7-KZS-28"
    href = letter["bijlagen"][0]["_links"]["self"]["href"].removeprefix("/api/v1")
    download = server.get(href)
    assert download.content == pdf and download.headers["Content-Disposition"] == "attachment"
    assert _server_rows(server, "SELECT outcome FROM events WHERE bericht_id = ?", bid) == [
        ("digitaal",)
    ]


def test_an_unticked_organisation_is_refused_and_the_letter_goes_on_paper(server):
    answer = _publish(server, "cak", "999990019", onderwerp="Eigen bijdrage")
    assert answer.status_code == 409
    assert answer.headers["Content-Type"].startswith("application/problem+json")
    problem = answer.json()
    assert problem["code"] == "not-ticked" and problem["bezorging"] == "papier"
    assert "999990" not in answer.text
    bid = problem["berichtId"]
    assert _server_rows(server, "SELECT org_id FROM paper WHERE bericht_id = ?", bid) == [("cak",)]
    assert server.get(f"/berichten/{bid}").status_code == 404


def test_the_belastingdienst_is_never_refused_a_dormant_account_gets_paper(server):
    answer = _publish(server, "belastingdienst", "999990020", onderwerp="Aanslag")
    assert answer.status_code == 202, answer.text
    assert answer.json()["bezorging"] == "papier"
    bid = answer.json()["berichtId"]
    assert _server_rows(server, "SELECT person_id FROM paper WHERE bericht_id = ?", bid) == [
        ("corry",)
    ]
    assert server.get(f"/berichten/{bid}", "corry", CORRY).status_code == 404


def test_an_organisation_must_sign_in_with_its_own_key(server):
    oin, _key = _auth(server, "rdw")
    body = {"ontvanger": {"type": "BSN", "waarde": "999990019"}, "onderwerp": "x", "inhoud": "y"}
    for auth in [(oin, "fout"), None]:
        answer = requests.post(server.url("/afnemer/berichten"), json=body, auth=auth, timeout=10)
        assert answer.status_code == 401
        assert answer.headers["Content-Type"].startswith("application/problem+json")
    unknown = _publish(server, "rdw", "123456789")
    assert unknown.status_code == 422 and unknown.json()["code"] == "unknown-person"


def _event(server, org: str, event_id: str, bericht_id: str) -> dict:
    oin, _key = _auth(server, org)
    return {
        "id": event_id,
        "source": f"urn:nld:oin:{oin}:systeem:fbs-magazijn",
        "specversion": "1.0",
        "type": "nl.rijksoverheid.fbs.bericht.gepubliceerd",
        "subject": bericht_id,
        "datacontenttype": "application/json",
        "data": {
            "berichtId": bericht_id,
            "afzender": oin,
            "ontvanger": {"type": "BSN", "waarde": "999990019"},
            "onderwerp": "Uw jaaropgave",
            "inhoud": "De jaaropgave staat klaar.",
            "publicatietijdstip": "2026-11-28T09:00:00+01:00",
        },
    }


def test_aanmelding_is_accepted_once_per_event_id(server):
    bid, event_id = str(uuid.uuid4()), str(uuid.uuid4())
    event = _event(server, "uwv", event_id, bid)
    headers = {"Content-Type": "application/cloudevents+json"}
    url = server.url("/aanmeldingen")
    for _ in range(2):
        answer = requests.post(
            url, data=json.dumps(event), headers=headers, auth=_auth(server, "uwv"), timeout=10
        )
        assert answer.status_code == 202, answer.text
        assert answer.content == b""
    assert _server_rows(server, "SELECT COUNT(*) FROM events WHERE id = ?", event_id) == [(1,)]
    matches = [
        b
        for b in server.get("/berichten?paginaGrootte=200").json()["berichten"]
        if b["berichtId"] == bid
    ]
    assert len(matches) == 1 and matches[0]["afzender"] == "UWV"

    # Another organisation may not announce the UWV's letters.
    forged = requests.post(
        url, data=json.dumps(event), headers=headers, auth=_auth(server, "rdw"), timeout=10
    )
    assert forged.status_code == 403
    not_event = {**event, "type": "iets.anders"}
    bad = requests.post(
        url, data=json.dumps(not_event), headers=headers, auth=_auth(server, "uwv"), timeout=10
    )
    assert bad.status_code == 400 and "999990" not in bad.text
