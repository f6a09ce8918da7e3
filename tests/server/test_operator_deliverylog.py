"""A letter's delivery log over HTTP (issue 17, the Wmebv's sending and reading
log), on a real server in its own process: a round with notifications to a real
SMTP server on loopback (aiosmtpd: Lisa's address refused with 550) and the
paper letters ran first over the same folder. The recipient sees their own
letter's log with a line per step; the organisation that sent it sees the same
steps (HTTP Basic, its OIN and key); another organisation, a helper, or nobody
signed in does not."""

from __future__ import annotations

import uuid

import pytest

aiosmtpd = pytest.importorskip("aiosmtpd.controller")

from fbs_server import CORRY, KEES, KOEN, LISA, requests, start_server  # noqa: E402

from operator_round import seed_after_a_round  # noqa: E402
from server import fbs  # noqa: E402
from server.setup import afnemer_keys  # noqa: E402

SANNE = "BSN:999990123"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data = tmp_path_factory.mktemp("bezorglog") / "data"
    seed_after_a_round(data)
    running = start_server(data)
    yield running
    running.stop()


def log_of(server, letter: str, person="koen", ontvanger=KOEN):
    return server.get(f"/berichten/{fbs.fbs_id(letter)}/_bezorging", person, ontvanger)


def as_sender(server, org: str, bericht_id: str):
    key = afnemer_keys(server.data_dir)[org]
    return requests.get(
        server.url(f"/afnemer/berichten/{bericht_id}/_bezorging"),
        auth=(key["oin"], key["sleutel"]),
        timeout=10,
    )


def steps(answer, kind: str) -> list[dict]:
    return [x for x in answer.json()["stappen"] if x["soort"] == kind]


def test_the_recipient_and_the_sender_see_delivered_notified_paper_and_read(server):
    answer = log_of(server, "koen-003")  # his RDW letter, unread for weeks
    assert answer.status_code == 200, answer.text
    log = answer.json()
    assert log["berichtId"] == fbs.fbs_id("koen-003") and log["organisatie"] == "rdw"
    assert log["bezorging"] == "digitaal" and log["gelezen"] is False
    assert steps(answer, "bezorgd")[0]["datum"] == log["ontvangenOp"]
    [mailed] = steps(answer, "notificatie")
    assert mailed["resultaat"] == "delivered" and mailed["antwoord"] == "accepted 250"
    assert mailed["poging"] == 1 and mailed["tekst"] == "Wij stuurden u een e-mail over deze brief."
    [paper] = steps(answer, "contactherstel")  # the paper letter about it, by its own id
    assert uuid.UUID(paper["brief"])
    [told] = steps(answer, "afzender-geinformeerd")
    assert told["gebeurtenis"] == "nl.brieventafel.bericht.niet-gelezen"
    assert told["resultaat"] == "no-webhook"
    assert all(x["tekst"] for x in log["stappen"])
    for word in ("example.nl", "Kerkstraat", "Koen", "APK"):
        assert word not in answer.text

    # Koen reads it: the moment is in his log and in the RDW's
    letter = server.get(f"/berichten/{log['berichtId']}").json()
    read = requests.patch(
        server.url(f"/berichten/{log['berichtId']}?magazijnId={letter['magazijnId']}"),
        headers={**server.headers("koen", KOEN), "Content-Type": "application/merge-patch+json"},
        data=b'{"status": "gelezen"}',
        timeout=10,
    )
    assert read.status_code == 200, read.text
    again = log_of(server, "koen-003")
    assert again.json()["gelezen"] is True
    [opened] = steps(again, "gelezen")
    assert opened["moment"] and opened["tekst"] == "U hebt de brief geopend."

    sender = as_sender(server, "rdw", log["berichtId"])
    assert sender.status_code == 200, sender.text
    assert [x["soort"] for x in sender.json()["stappen"]] == [
        x["soort"] for x in again.json()["stappen"]
    ]
    assert all("tekst" not in x for x in sender.json()["stappen"])
    # another organisation's letter is as unknown as one that does not exist
    assert as_sender(server, "gemeente", log["berichtId"]).status_code == 404
    assert as_sender(server, "rdw", str(uuid.uuid4())).status_code == 404
    anonymous = requests.get(
        server.url(f"/afnemer/berichten/{log['berichtId']}/_bezorging"), timeout=10
    )
    assert anonymous.status_code == 401
    assert anonymous.headers["Content-Type"].startswith("application/problem+json")


def test_a_bounce_and_no_address_are_in_the_log_with_the_servers_answer(server):
    lisa = log_of(server, "lisa-002", "lisa", LISA)
    assert lisa.status_code == 200, lisa.text
    [bounced] = steps(lisa, "notificatie")
    assert bounced["resultaat"] == "bounced" and bounced["antwoord"] == "refused 550"
    assert bounced["tekst"] == "Onze e-mail over deze brief kwam niet aan."
    kees = log_of(server, "kees-001", "kees", KEES)
    [none] = steps(kees, "notificatie")
    assert none["resultaat"] == "no-address"
    assert none["tekst"] == "Wij hebben geen e-mailadres van u."


def test_a_new_letter_has_its_moment_and_one_on_paper_is_on_paper_for_both(server):
    key = afnemer_keys(server.data_dir)
    body = {"ontvanger": {"type": "BSN", "waarde": "999990019"}, "onderwerp": "T", "inhoud": "T."}
    made = requests.post(
        server.url("/afnemer/berichten"),
        json=body,
        auth=(key["rdw"]["oin"], key["rdw"]["sleutel"]),
        timeout=10,
    )
    assert made.status_code == 201, made.text
    bid = made.json()["berichtId"]
    sender = as_sender(server, "rdw", bid)
    assert sender.status_code == 200, sender.text
    [delivered] = steps(sender, "bezorgd")
    assert delivered["moment"]  # the moment it came, not only the day
    own = server.get(f"/berichten/{bid}/_bezorging")
    assert steps(own, "bezorgd")[0]["moment"] == delivered["moment"]

    # Corry's Berichtenbox is off: the Belastingdienst's letter goes on paper
    body["ontvanger"]["waarde"] = "999990020"
    paper = requests.post(
        server.url("/afnemer/berichten"),
        json=body,
        auth=(key["belastingdienst"]["oin"], key["belastingdienst"]["sleutel"]),
        timeout=10,
    )
    assert paper.status_code == 202, paper.text
    bid = paper.json()["berichtId"]
    told = as_sender(server, "belastingdienst", bid).json()
    assert told["bezorging"] == "papier"
    assert [x["soort"] for x in told["stappen"]] == ["op-papier"]
    hers = server.get(f"/berichten/{bid}/_bezorging", "corry", CORRY)
    assert hers.status_code == 200, hers.text
    assert hers.json()["stappen"][0]["tekst"] == "Deze brief komt op papier, met de post."
    assert server.get(f"/berichten/{bid}/_bezorging").status_code == 404  # not Koen's


def test_a_helper_does_not_see_the_delivery_log(server):
    key = afnemer_keys(server.data_dir)["gemeente"]
    body = {"ontvanger": {"type": "BSN", "waarde": "999990123"}, "onderwerp": "T", "inhoud": "T."}
    made = requests.post(
        server.url("/afnemer/berichten"), json=body, auth=(key["oin"], key["sleutel"]), timeout=10
    )
    assert made.status_code == 201, made.text  # Sanne's, ticked for the gemeente
    bid = made.json()["berichtId"]
    assert server.get(f"/berichten/{bid}", "monique", SANNE).status_code == 200  # her curator
    refused = server.get(f"/berichten/{bid}/_bezorging", "monique", SANNE)
    assert refused.status_code == 403
    assert refused.json()["code"] == "forbidden"


def test_the_paper_contact_letters_are_in_the_persons_proof_pack(server):
    answer = server.get("/contactherstel", "koen", KOEN)
    assert answer.status_code == 200, answer.text
    [letter] = answer.json()
    assert letter["aan"] == "persoon" and "unread" in letter["redenen"]
    assert fbs.fbs_id("koen-003") in letter["berichten"]
    assert "Beste Koen de Vries," in letter["regels"]
    assert "Kerkstraat 12" not in answer.text  # the address is not repeated here
    [paper] = steps(log_of(server, "koen-003"), "contactherstel")
    assert paper["brief"] == letter["id"]  # the same letter the delivery log names
    assert server.get("/contactherstel", "monique", SANNE).status_code == 403
