"""The one seam (Letter.from_record): a letter from a server without a plain
explanation arrives with one, on the desk too; practice letters keep their own.
Over the real server on loopback (tests/live_server.py), a real desk file."""

from __future__ import annotations

from datetime import date

import explain_letters as L  # noqa: N812 - short: the fixtures are read as L.WOZ
import pytest

from app.desk import Desk
from app.explain import explained, objection
from app.mailbox.practice import PracticeMailbox
from app.model import Action

pytest.importorskip("fastapi")
requests = pytest.importorskip("requests")

from live_server import SharedServer, live_server  # noqa: E402, F401 - the shared fixture


def _publish(server: SharedServer, org: str, **fields) -> str:
    from server.setup import afnemer_keys

    key = afnemer_keys(server.data_dir)[org]
    body = {"ontvanger": {"type": "BSN", "waarde": "999990019"}}  # Koen
    body.update(fields)
    answer = requests.post(
        server.origin + "/api/v1/afnemer/berichten",
        json=body,
        auth=(key["oin"], key["sleutel"]),
        timeout=10,
    )
    assert answer.status_code == 201, answer.text
    return answer.json()["berichtId"]


def test_a_server_letter_without_explanation_arrives_explained(live_server, tmp_path):  # noqa: F811
    from app.session import Session

    bid = _publish(
        live_server,
        "rdw",
        # Not the practice letter's subject: other tests on this shared server
        # find Koen's own APK letter by its subject.
        onderwerp="Uw APK-keuring: laat uw voertuig op tijd keuren",
        inhoud=L.RDW_APK,
    )
    token = requests.post(
        live_server.origin + "/api/v1/_login", json={"persoon": "koen", "pin": "11111"}, timeout=10
    ).json()["token"]
    session = Session.open_remote(tmp_path, live_server.origin, "koen", token, timeout=(2, 5))
    try:
        assert session.sync_error is None
        apk = session.letter(bid)  # from the desk file, after the sync
        assert apk.summary == "De APK van uw voertuig verloopt. Uw voertuig moet gekeurd worden."
        assert apk.what_to_do.startswith("Laat uw voertuig keuren vóór 15 januari 2027.")
        assert apk.deadline == date(2027, 1, 15) and apk.reference == "Kenteken 7-KZS-28"
        assert apk.action is Action.RESPOND and apk.explained_by == "rdw-apk"
        assert apk.body == L.RDW_APK and apk.subject.startswith("Uw APK-keuring")  # as it came
        assert bid in [x.id for x in session.table()]
        # The server's own letter (and so the original) still has no summary.
        assert session.mailbox.letter("koen", bid).body == L.RDW_APK
    finally:
        session.close()


def test_practice_letters_keep_their_own_explanation(tmp_path):
    box = PracticeMailbox(tmp_path / "practice.sqlite3", person_id="koen")
    try:
        letters = box.letters("koen").letters
    finally:
        box.close()
    assert letters and all(x.explained_by == "" for x in letters)
    woz_like = [x for x in letters if "Naheffingsaanslag" in x.subject]
    assert woz_like and woz_like[0].summary.startswith("U parkeerde zonder te betalen")
    # The card can still ask for the objection date of a practice decision.
    assert objection(woz_like[0]) is not None


def test_the_desk_keeps_the_original_and_speaks_the_language_in_use(tmp_path, monkeypatch):
    letter = explained(L.letter("rdw", "RDW", "Herinnering: de APK verloopt", L.RDW_APK))
    desk = Desk(tmp_path / "desk", today=lambda: date(2027, 1, 4))
    try:
        desk.receive("koen", [letter], "c1")
        assert desk.letter("koen", letter.id) == letter
        english = {
            "De APK van uw voertuig verloopt. Uw voertuig moet gekeurd worden.": "Your MOT ends."
        }
        monkeypatch.setattr("app.explain._", lambda m: english.get(m, m))
        again = desk.letter("koen", letter.id)
        assert again.summary == "Your MOT ends."
        assert again.body == letter.body and again.deadline == date(2027, 1, 15)
        # Only 'what is new' sorts first: the extracted deadline is in the desk's columns.
        assert [i for i, _ in desk.table_order("koen")] == [letter.id]
    finally:
        desk.close()
