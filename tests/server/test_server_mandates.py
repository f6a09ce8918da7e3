"""Mandates over HTTP (issue 13): a helper signs in with their own PIN and sends
the X-Ontvanger of someone they act for; the practice box decides every call
(``for_holder``) and a refusal is 403 ``forbidden`` with the reason in ``reden``.

Against a real server of its own (a real process on loopback, real SQLite), the
letters published by the organisations themselves (afnemer side)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fbs_server import CORRY, KOEN, Server, requests, start_server

from server.setup import afnemer_keys

SANNE = "BSN:999990123"
WILLEM = "BSN:999990251"
GERDA = "BSN:999990275"
#: Names and BSNs that must never be in a refusal's text.
PRIVATE = ("Sanne", "Willem", "Gerda", "Corry", "99999")


def _publish(server: Server, org: str, ontvanger: str, subject: str, days_ago: int = 0) -> str:
    key = afnemer_keys(server.data_dir)[org]
    published = datetime.now(UTC) - timedelta(days=days_ago)
    body = {
        "ontvanger": {"type": "BSN", "waarde": ontvanger.split(":")[1]},
        "onderwerp": subject,
        "inhoud": "Tekst.",
        "publicatietijdstip": published.isoformat(),
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
    server = start_server(tmp_path_factory.mktemp("mandates") / "data")
    try:
        server.letters = {  # type: ignore[attr-defined]
            "sanne": _publish(server, "svb", SANNE, "Kinderbijslag"),
            "willem-svb": _publish(server, "svb", WILLEM, "AOW"),
            "willem-abp": _publish(server, "pensioenfonds", WILLEM, "Pensioen"),
            "willem-bd": _publish(server, "belastingdienst", WILLEM, "Aanslag"),
            "gerda-old": _publish(server, "svb", GERDA, "Oud", days_ago=20),
            "gerda-new": _publish(server, "cak", GERDA, "Nieuw", days_ago=2),
        }
        yield server
    finally:
        server.stop()


def _refused(answer: requests.Response, reason: str) -> None:
    assert answer.status_code == 403, answer.text
    assert answer.headers["Content-Type"].startswith("application/problem+json")
    body = answer.json()
    assert body["code"] == "forbidden" and body["reden"] == reason, body
    assert not any(word in answer.text for word in PRIVATE), answer.text


def _ids(answer: requests.Response) -> set[str]:
    assert answer.status_code == 200, answer.text
    return {b["berichtId"] for b in answer.json()["berichten"]}


def _personen(server: Server, person: str) -> list[tuple[str, str]]:
    answer = requests.get(
        server.url("/personen"),
        headers={"Authorization": f"Bearer {server.token(person)}"},
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    return [(p["id"], p["ontvanger"]) for p in answer.json()]


def test_personen_lists_the_holder_and_whom_they_act_for(own):
    assert _personen(own, "monique") == [("monique", "BSN:999990111"), ("sanne", SANNE)]
    assert _personen(own, "ingrid") == [("ingrid", "BSN:999990263"), ("willem", WILLEM)]
    assert _personen(own, "ali")[1] == ("gerda", GERDA)  # ended: so the app can say why
    assert len(_personen(own, "piet")) == 11  # Piet and his ten clients
    assert _personen(own, "koen") == [("koen", KOEN)]


def test_monique_lists_and_reads_sannes_letters(own):
    own.fill("monique", SANNE)
    assert own.letters["sanne"] in _ids(own.get("/berichten", "monique", SANNE))
    letter = own.get(f"/berichten/{own.letters['sanne']}", "monique", SANNE)
    assert letter.status_code == 200 and letter.json()["onderwerp"] == "Kinderbijslag"
    assert own.get("/account", "monique", SANNE).json()["ontvanger"] == SANNE


def test_ingrid_reads_two_organisations_and_changes_nothing(own):
    own.fill("ingrid", WILLEM)
    listed = _ids(own.get("/berichten", "ingrid", WILLEM))
    assert listed == {own.letters["willem-svb"], own.letters["willem-abp"]}
    _refused(own.get(f"/berichten/{own.letters['willem-bd']}", "ingrid", WILLEM), "outside-mandate")

    letter = own.get(f"/berichten/{own.letters['willem-svb']}", "ingrid", WILLEM).json()
    headers = {**own.headers("ingrid", WILLEM), "Content-Type": "application/merge-patch+json"}
    patched = requests.patch(
        own.url(f"/berichten/{letter['berichtId']}"),
        params={"magazijnId": letter["magazijnId"]},
        headers=headers,
        data=b'{"map": "archief"}',
        timeout=10,
    )
    _refused(patched, "read-only")
    assert own.get(f"/berichten/{letter['berichtId']}", "ingrid", WILLEM).json()["map"] != "archief"
    paper = requests.post(
        own.url("/account/papier/svb"), headers=own.headers("ingrid", WILLEM), timeout=10
    )
    _refused(paper, "read-only")
    assert "svb" in own.get("/account", "ingrid", WILLEM).json()["aangevinkt"]


def test_ali_sees_nothing_received_after_his_mandate_ended(own):
    own.fill("ali", GERDA)
    assert _ids(own.get("/berichten", "ali", GERDA)) == {own.letters["gerda-old"]}
    _refused(own.get(f"/berichten/{own.letters['gerda-new']}", "ali", GERDA), "mandate-ended")


def test_koen_asking_for_corry_is_refused_with_no_mandate(own):
    _refused(own.get("/berichten", "koen", CORRY), "no-mandate")
    _refused(own.get("/account", "koen", CORRY), "no-mandate")
    _refused(own.get("/berichten/_ophalen", "koen", CORRY), "no-mandate")
    _refused(own.get("/berichten", "koen", "BSN:123456782"), "no-mandate")  # nobody known
