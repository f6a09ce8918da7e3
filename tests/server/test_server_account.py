"""The account over HTTP: ticks, activation, new organisations and paper.

Each is a marked extension (``x-brieventafel``) and a thin face over the practice
box's own rule: the box decides, the server answers its refusal as problem+json
with the same ``code``. These tests change accounts, so they run on a server of
their own (one for this file: a copy of the seeded folder, well under a second),
each test with a person no other test here changes: Lisa ticks, Corry activates,
Kees asks paper, Koen answers about a new organisation.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from fbs_server import CORRY, KEES, KOEN, LISA, requests, start_server

from app.mailbox.practice import PAPER_AFTER_DAYS, PracticeMailbox

PROBLEM = "application/problem+json"
BSNS = ("999990019", "999990020", "999990032", "999990044")


@pytest.fixture(scope="module")
def own(tmp_path_factory):
    running = start_server(tmp_path_factory.mktemp("account") / "data")
    yield running
    running.stop()


def call(server, method: str, path: str, person: str, ontvanger: str, body=None):
    return requests.request(
        method,
        server.url(path),
        headers=server.headers(person, ontvanger),
        json=body,
        timeout=10,
    )


def refused(answer, status: int, code: str) -> dict:
    """A problem+json answer with this status and code, and nothing personal in it."""
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith(PROBLEM)
    problem = answer.json()
    assert problem["status"] == status and problem["code"] == code, problem
    assert problem["detail"] and not any(bsn in answer.text for bsn in BSNS)
    return problem


def test_every_account_operation_is_marked_as_brieventafels_own(own):
    spec = requests.get(own.url("/openapi.json"), timeout=10).json()
    found = {
        (method.upper(), path.removeprefix("/api/v1"))
        for path, item in spec["paths"].items()
        if path.startswith("/api/v1/account/")
        for method, operation in item.items()
        if operation.get("x-brieventafel") is True and operation["tags"] == ["Brieventafel"]
    }
    assert found == {
        ("GET", "/account/vinkjes"),
        ("GET", "/account/vinkjes/_historie"),
        ("PUT", "/account/vinkjes/{organisatie}"),
        ("POST", "/account/_activatieaanbod"),
        ("POST", "/account/_activeren"),
        ("GET", "/account/nieuwe-organisaties"),
        ("POST", "/account/nieuwe-organisaties/{organisatie}"),
        ("GET", "/account/papier"),
        ("GET", "/account/papier/_aanbod"),
        ("POST", "/account/papier/_alles"),
        ("POST", "/account/papier/{organisatie}"),
        ("PUT", "/account/papier/{organisatie}"),
    }
    put = spec["paths"]["/api/v1/account/vinkjes/{organisatie}"]["put"]
    assert set(put["responses"]) >= {"200", "400", "401", "403", "404", "409"}
    assert PROBLEM in put["responses"]["409"]["content"]


def test_lisa_ticks_and_unticks_and_the_belastingdienst_is_fixed_by_law(own):
    today = date.today()
    ticks = call(own, "GET", "/account/vinkjes", "lisa", LISA).json()
    by_id = {t["organisatie"]: t for t in ticks}
    assert by_id["belastingdienst"] == {
        "organisatie": "belastingdienst",
        "naam": "Belastingdienst",
        "aangevinkt": True,
        "wettelijkVerplicht": True,
    }
    assert by_id["duo"]["aangevinkt"] and not by_id["rdw"]["aangevinkt"]
    assert [t["organisatie"] for t in ticks][0] == "belastingdienst"  # the box's order

    off = call(own, "PUT", "/account/vinkjes/duo", "lisa", LISA, {"aangevinkt": False})
    assert off.status_code == 200, off.text
    assert off.json() == {
        "organisatie": "duo",
        "aangevinkt": False,
        "gewijzigdOp": today.isoformat(),
        "ingangsdatum": (today + timedelta(days=PAPER_AFTER_DAYS)).isoformat(),
        "gewijzigd": True,
    }
    again = call(own, "PUT", "/account/vinkjes/duo", "lisa", LISA, {"aangevinkt": False})
    assert again.json()["gewijzigd"] is False
    on = call(own, "PUT", "/account/vinkjes/rdw", "lisa", LISA, {"aangevinkt": True}).json()
    assert on["aangevinkt"] and on["ingangsdatum"] == today.isoformat()

    now = {
        t["organisatie"]: t["aangevinkt"]
        for t in call(own, "GET", "/account/vinkjes", "lisa", LISA).json()
    }
    assert now["rdw"] and not now["duo"]
    history = call(own, "GET", "/account/vinkjes/_historie", "lisa", LISA).json()
    assert [(h["organisatie"], h["aangevinkt"]) for h in history] == [("duo", False), ("rdw", True)]
    account = call(own, "GET", "/account", "lisa", LISA).json()
    assert "rdw" in account["aangevinkt"] and "duo" not in account["aangevinkt"]

    law = call(own, "PUT", "/account/vinkjes/belastingdienst", "lisa", LISA, {"aangevinkt": False})
    refused(law, 409, "fixed-by-law")
    still = call(own, "PUT", "/account/vinkjes/belastingdienst", "lisa", LISA, {"aangevinkt": True})
    assert still.status_code == 200 and still.json()["gewijzigd"] is False
    refused(
        call(own, "PUT", "/account/vinkjes/niemand", "lisa", LISA, {"aangevinkt": True}),
        404,
        "unknown-organisation",
    )
    # only a JSON true or false: "true" or 1 is not a yes
    for wrong in ({"aangevinkt": "true"}, {"aangevinkt": 1}, {}):
        answer = call(own, "PUT", "/account/vinkjes/rdw", "lisa", LISA, wrong)
        assert answer.status_code == 400 and answer.headers["content-type"].startswith(PROBLEM)
    assert len(call(own, "GET", "/account/vinkjes/_historie", "lisa", LISA).json()) == 2


def test_corry_activates_with_the_offer_she_saw_and_nothing_else(own, tmp_path):
    # dormant: no ticks, no paper to ask
    refused(
        call(own, "PUT", "/account/vinkjes/rdw", "corry", CORRY, {"aangevinkt": True}),
        409,
        "not-active",
    )
    refused(call(own, "GET", "/account/papier/_aanbod", "corry", CORRY), 409, "not-active")
    assert call(own, "GET", "/account/nieuwe-organisaties", "corry", CORRY).json() == []
    unknown = {"organisaties": ["rdw", "niemand"]}
    refused(
        call(own, "POST", "/account/_activatieaanbod", "corry", CORRY, unknown),
        404,
        "unknown-organisation",
    )

    answer = call(
        own,
        "POST",
        "/account/_activatieaanbod",
        "corry",
        CORRY,
        {"organisaties": ["gemeente", "rdw"]},
    )
    assert answer.status_code == 200, answer.text
    offer = answer.json()
    assert offer["organisaties"] == ["rdw", "gemeente"]  # the box's order
    assert offer["wettelijkVerplicht"] == ["belastingdienst"]
    assert "rdw" not in offer["papier"] and "svb" in offer["papier"]
    assert offer["aangebodenOp"] == date.today().isoformat()
    token = offer["aanbodToken"]
    assert (
        call(own, "GET", "/account", "corry", CORRY).json()["actief"] is False
    )  # looking changes nothing

    def activate(**body):
        sent = {"aanbodToken": token, "organisaties": ["rdw", "gemeente"], "bevestigd": True}
        return call(own, "POST", "/account/_activeren", "corry", CORRY, {**sent, **body})

    refused(activate(bevestigd=False), 409, "confirmation-required")
    refused(activate(organisaties=["rdw"]), 409, "invalid-confirmation")  # another choice
    refused(activate(aanbodToken=token[:-4] + "0000"), 409, "invalid-confirmation")  # forged
    refused(activate(aanbodToken="geen-token"), 409, "invalid-confirmation")
    # an offer of yesterday, signed by the same box (its own file, its own secret)
    yesterday = date.today() - timedelta(days=1)
    box = PracticeMailbox(own.data_dir / "practice.sqlite", today=lambda: yesterday)
    try:
        old = box.activation_offer("corry", ["rdw", "gemeente"]).token
    finally:
        box.close()
    refused(activate(aanbodToken=old), 409, "confirmation-expired")
    assert call(own, "GET", "/account", "corry", CORRY).json()["actief"] is False

    done = activate()
    assert done.status_code == 200, done.text
    status = done.json()
    assert status["actief"] is True and status["geactiveerdOp"] == date.today().isoformat()
    assert status["aangevinkt"] == ["belastingdienst", "rdw", "gemeente"]
    assert call(own, "GET", "/account", "corry", CORRY).json() == status
    refused(activate(), 409, "already-active")
    refused(
        call(own, "POST", "/account/_activatieaanbod", "corry", CORRY, {"organisaties": []}),
        409,
        "already-active",
    )


def test_kees_asks_all_his_post_on_paper_and_sees_how_far_it_is(own):
    today = date.today()
    offer = call(own, "GET", "/account/papier/_aanbod", "kees", KEES).json()
    assert call(own, "GET", "/account/papier", "kees", KEES).json() == []  # looking changes nothing
    assert all(item["nieuw"] for item in offer)
    assert [o["organisatie"] for o in offer] == ["rdw", "gemeente", "svb", "uwv", "belastingdienst"]

    answer = call(own, "POST", "/account/papier/_alles", "kees", KEES)
    assert answer.status_code == 200, answer.text
    made = answer.json()
    assert made == offer  # the offer said exactly what happened
    requests_now = call(own, "GET", "/account/papier", "kees", KEES).json()
    assert [r["organisatie"] for r in requests_now] == [
        "rdw",
        "gemeente",
        "svb",
        "uwv",
        "belastingdienst",
    ]
    rdw = requests_now[0]
    assert rdw == {
        "organisatie": "rdw",
        "route": "uitvinken",
        "status": "aangevraagd",
        "aangevraagdOp": today.isoformat(),
        "papierVanaf": (today + timedelta(days=PAPER_AFTER_DAYS)).isoformat(),
        "klaarOp": None,
        "nieuw": False,
    }
    bd = requests_now[-1]
    assert (bd["route"], bd["status"], bd["papierVanaf"]) == ("helpdesk", "voorbereid", None)
    ticks = {
        t["organisatie"]: t["aangevinkt"]
        for t in call(own, "GET", "/account/vinkjes", "kees", KEES).json()
    }
    assert ticks == {t: t == "belastingdienst" for t in ticks}  # all unticked, but the law

    again = call(own, "POST", "/account/papier/_alles", "kees", KEES).json()
    assert [a["nieuw"] for a in again] == [False] * 5
    one = call(own, "POST", "/account/papier/rdw", "kees", KEES).json()
    assert one["nieuw"] is False and one["status"] == "aangevraagd"
    refused(call(own, "POST", "/account/papier/cjib", "kees", KEES), 409, "not-ticked")
    refused(call(own, "POST", "/account/papier/niemand", "kees", KEES), 404, "unknown-organisation")

    # the Belastingdienst: Kees phoned, then the paper comes
    sent = call(
        own, "PUT", "/account/papier/belastingdienst", "kees", KEES, {"status": "verstuurd"}
    )
    assert sent.status_code == 200 and sent.json()["status"] == "verstuurd"
    done = call(
        own, "PUT", "/account/papier/belastingdienst", "kees", KEES, {"status": "klaar"}
    ).json()
    assert done["status"] == "klaar" and done["klaarOp"] == today.isoformat()
    refused(
        call(own, "PUT", "/account/papier/rdw", "kees", KEES, {"status": "verstuurd"}),
        409,
        "bad-state",
    )
    refused(
        call(own, "PUT", "/account/papier/cjib", "kees", KEES, {"status": "verstuurd"}),
        404,
        "unknown-request",
    )
    wrong = call(own, "PUT", "/account/papier/belastingdienst", "kees", KEES, {"status": "gebeld"})
    assert wrong.status_code == 400


def test_koen_answers_once_about_a_new_organisation(own):
    new = call(own, "GET", "/account/nieuwe-organisaties", "koen", KOEN).json()
    assert [(o["id"], o["wettelijkVerplicht"]) for o in new] == [("cak", False)]
    answer = call(own, "POST", "/account/nieuwe-organisaties/cak", "koen", KOEN, {})
    assert answer.status_code == 200, answer.text
    assert answer.json()["aangevinkt"] is False and answer.json()["gewijzigd"] is False  # no: paper
    refused(
        call(own, "POST", "/account/nieuwe-organisaties/cak", "koen", KOEN, {"aangevinkt": True}),
        409,
        "already-asked",
    )
    refused(
        call(own, "POST", "/account/nieuwe-organisaties/rdw", "koen", KOEN, {"aangevinkt": True}),
        409,
        "not-new",
    )
    assert call(own, "GET", "/account/nieuwe-organisaties", "koen", KOEN).json() == []
    assert "cak" not in call(own, "GET", "/account", "koen", KOEN).json()["aangevinkt"]


def test_another_persons_account_is_403_and_nothing_changes(own):
    before = call(own, "GET", "/account/vinkjes", "lisa", LISA).json()
    asks = [
        ("GET", "/account/vinkjes", None),
        ("GET", "/account/vinkjes/_historie", None),
        ("PUT", "/account/vinkjes/uwv", {"aangevinkt": False}),
        ("POST", "/account/_activatieaanbod", {"organisaties": []}),
        (
            "POST",
            "/account/_activeren",
            {"aanbodToken": "x.y", "organisaties": [], "bevestigd": True},
        ),
        ("GET", "/account/nieuwe-organisaties", None),
        ("POST", "/account/nieuwe-organisaties/cak", {"aangevinkt": True}),
        ("GET", "/account/papier", None),
        ("GET", "/account/papier/_aanbod", None),
        ("POST", "/account/papier/_alles", None),
        ("POST", "/account/papier/uwv", None),
        ("PUT", "/account/papier/belastingdienst", {"status": "klaar"}),
    ]
    for method, path, body in asks:
        refused(call(own, method, path, "koen", LISA, body), 403, "forbidden")
        unknown = call(own, method, path, "koen", "BSN:123456789", body)  # no such person: the same
        refused(unknown, 403, "forbidden")
        bare = requests.request(
            method, own.url(path), headers={"X-Ontvanger": LISA}, json=body, timeout=10
        )
        refused(bare, 401, "unauthorized")
    assert call(own, "GET", "/account/vinkjes", "lisa", LISA).json() == before
