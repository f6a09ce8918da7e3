"""A letter's delivery log and the paper contact letters over HTTP (issue 17):
``RemoteMailbox.delivery_log`` and ``RemoteMailbox.paper_contacts`` against the
real server, the proof pack printed from them, and hostile answers that lose
nothing.

A real server process on loopback over real SQLite, after one operator round
with a real SMTP server on loopback (aiosmtpd: every address is taken but
Lisa's, refused with 550), as tests/server/test_operator_deliverylog.py makes
one; the hostile answers come from tests/wire/wire_server.py's scripted
loopback server, a real socket. The proof pack is printed through the real
window (Herinneringen, "Bewijs printen") and read back from the PDF.
"""

from __future__ import annotations

import json
import logging

import pytest

aiosmtpd = pytest.importorskip("aiosmtpd.controller")

from wire_server import BadServer, start_server  # noqa: E402

from app import proof, watch  # noqa: E402
from app.mailbox import ErrorCode, MailboxError  # noqa: E402
from app.session import Session  # noqa: E402
from operator_round import seed_after_a_round  # noqa: E402
from server import fbs  # noqa: E402

PINS = {"koen": "11111", "lisa": "44444", "monique": "55555"}
SANNE_BSN = "999990123"
RDW = fbs.fbs_id("koen-003")  # Koen's RDW letter, unread for weeks before the round
#: what must never be in a log line of ours
PRIVATE = ("Koen", "Vries", "Kerkstraat", "example.nl", "Bearer", "geheim-token", "99999")


@pytest.fixture(scope="module")
def own(tmp_path_factory):
    """A server of this file (Koen reads his letter here), after a round that
    notified everyone by e-mail and wrote the paper contact letters."""
    folder = tmp_path_factory.mktemp("remote-delivery")
    data = folder / "data"
    seed_after_a_round(data)
    running = start_server(data, folder / "server.log")
    yield running
    running.stop()


@pytest.fixture
def remote(own, tmp_path):
    opened: list[Session] = []

    def open_for(person: str) -> Session:
        token = own.token(person, PINS[person])
        session = Session.open_remote(tmp_path / f"app-{person}", own.base, person, token)
        assert session.sync_error is None
        opened.append(session)
        return session

    yield open_for
    for session in opened:
        session.close()


def pdf_text(path) -> str:
    from PySide6.QtPdf import QPdfDocument

    pdf = QPdfDocument()
    assert pdf.load(str(path)) == QPdfDocument.Error.None_
    text = "\n".join(pdf.getAllText(p).text() for p in range(pdf.pageCount()))
    pdf.close()
    return " ".join(text.split())


def print_proof(qtbot, session, letter_id, folder) -> str:
    """Herinneringen, "Bewijs printen" for this letter in the real window: the PDF's text."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QComboBox, QPushButton

    from finders import screen, widget
    from ui.shell import theme
    from ui.shell.main_window import MainWindow

    theme.apply(QApplication.instance(), 100)
    window = MainWindow(session, pdf_folder=folder)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    settings = screen(window, "settings_screen")
    window.show_screen(settings)
    qtbot.mouseClick(widget(settings, QPushButton, "settings_reminders"), Qt.MouseButton.LeftButton)
    page = window.stack.currentWidget()
    choice = widget(page, QComboBox, "reminders_proof_choice")
    choice.setCurrentIndex(choice.findData(letter_id))
    assert choice.currentData() == letter_id
    qtbot.mouseClick(widget(page, QPushButton, "reminders_proof_print"), Qt.MouseButton.LeftButton)
    assert window.last_pdf is not None
    return pdf_text(window.last_pdf)


@pytest.mark.gui
def test_koen_gets_his_rdw_letters_delivery_log_and_the_proof_pack_holds_it(
    remote, qtbot, tmp_path, caplog
):
    from app.mailbox import DeliveryLog, PaperContact

    caplog.set_level(logging.DEBUG)
    session = remote("koen")
    assert RDW in {letter.id for letter in session.table()}
    session.open_letter(RDW)  # read: the server writes the moment in the log

    log = session.mailbox.delivery_log("koen", RDW)
    assert isinstance(log, DeliveryLog)
    assert log.letter_id == RDW and log.org_id == "rdw" and not log.on_paper and log.read
    kinds = [step.kind for step in log.steps]
    assert kinds[0] == "bezorgd" and log.steps[0].day == log.received_on
    (notified,) = [s for s in log.steps if s.kind == "notificatie"]
    assert (notified.result, notified.attempt, notified.reply) == ("delivered", 1, "accepted 250")
    assert notified.text == "Wij stuurden u een e-mail over deze brief."
    (opened,) = [s for s in log.steps if s.kind == "gelezen"]
    assert opened.at is not None and opened.text == "U hebt de brief geopend."
    (paper,) = [s for s in log.steps if s.kind == "contactherstel"]
    assert all(step.text for step in log.steps)

    (contact,) = session.mailbox.paper_contacts("koen")
    assert isinstance(contact, PaperContact)
    assert contact.id == paper.paper_letter and RDW in contact.letter_ids
    assert contact.to == "person" and "unread" in contact.reasons
    assert "Beste Koen de Vries," in contact.lines

    text = print_proof(qtbot, session, RDW, tmp_path / "pdf")
    assert "Wat de Berichtenbox bijhield" in text
    assert "Wij stuurden u een e-mail over deze brief. (accepted 250)" in text
    assert "U hebt de brief geopend." in text
    for step in log.steps:
        assert step.text in text
    assert "De brief op papier" in text and "Beste Koen de Vries," in text
    assert "U hebt recht op een kopie." not in text  # the server's log, not "ask for it"
    assert not any(word in caplog.text for word in PRIVATE), caplog.text


def test_lisas_bounced_notification_is_on_her_health_screen(remote, tmp_path):
    """The notification-health check reads each newest letter's delivery log."""
    session = remote("lisa")
    bounces = proof.notification_bounces(session)
    assert bounces == ["refused 550"]
    health = watch.notification_health(session.desk, "lisa", tmp_path, None, server_bounces=bounces)
    assert "Een bericht over nieuwe post kwam niet aan. De mailserver zei: refused 550" in (
        health.lines
    )


def test_a_helper_gets_no_delivery_log_forbidden(own, remote, tmp_path):
    published = own.publish("gemeente", bsn=SANNE_BSN)
    assert published.status_code == 201, published.text
    bid = published.json()["berichtId"]
    monique = remote("monique")  # Sanne's curator: she may read the letter, not its log
    monique.switch_person("sanne")
    monique.sync()
    assert bid in {letter.id for letter in monique.table()}
    for ask in (
        lambda: monique.mailbox.delivery_log("sanne", bid),
        lambda: monique.mailbox.paper_contacts("sanne"),
    ):
        with pytest.raises(MailboxError) as refused:
            ask()
        assert refused.value.code is ErrorCode.FORBIDDEN
    facts = proof.gather(monique, bid, tmp_path)
    assert facts.delivery is None  # not hers to see: said plainly, nothing faked


# -- hostile answers -------------------------------------------------------------------
KOEN = {"id": "koen", "naam": "Koen de Vries", "ontvanger": "BSN:999990019"}
ORGS = [{"id": "rdw", "naam": "RDW", "volledigeNaam": "RDW", "oin": "00000099000000000003"}]
BID = "6f1c1c2e-3a38-5d2b-9b0e-3f6a1f2d9e11"
LETTER = {
    "berichtId": BID,
    "magazijnId": "00000099000000000003",
    "organisatie": "rdw",
    "afzender": "RDW",
    "onderwerp": "APK",
    "publicatietijdstip": "2026-11-20T09:00:00+01:00",
    "status": "ongelezen",
    "inhoud": "Uw auto moet voor de APK.",
    "bijlagen": [],
}
STEP = {
    "soort": "notificatie",
    "datum": "2026-11-20",
    "moment": "2026-11-20T10:00:00+00:00",
    "resultaat": "delivered",
    "poging": 1,
    "antwoord": "accepted 250",
    "tekst": "Wij stuurden u een e-mail over deze brief.",
}
GOOD = {
    "berichtId": BID,
    "organisatie": "rdw",
    "bezorging": "digitaal",
    "ontvangenOp": "2026-11-20",
    "gelezen": False,
    "stappen": [{"soort": "bezorgd", "datum": "2026-11-20", "tekst": "Bezorgd."}, STEP],
}
CONTACT = {
    "id": "0b9c4a3e-8d4e-4c1b-9a56-1f0e2d3c4b5a",
    "datum": "2026-11-21",
    "redenen": ["unread"],
    "aan": "persoon",
    "berichten": [BID],
    "regels": ["Beste Koen de Vries,", "Er staat post voor u klaar."],
}


def _log(**change) -> dict:
    return {**GOOD, **change}


def _step(**change) -> dict:
    return _log(stappen=[{**STEP, **change}])


BAD_LOGS = {
    "not an object": [GOOD],
    "another letter's log": _log(berichtId="0b9c4a3e-8d4e-4c1b-9a56-1f0e2d3c4b5a"),
    "delivery unknown": _log(bezorging="duif"),
    "read not a boolean": _log(gelezen="ja"),
    "received not a day": _log(ontvangenOp="gisteren"),
    "steps not a list": _log(stappen={"soort": "bezorgd"}),
    "step not an object": _log(stappen=["bezorgd"]),
    "kind unknown": _step(soort="gewist"),
    "day missing": _step(datum=None),
    "moment not a time": _step(moment="om tien uur"),
    "attempt not a number": _step(poging="eerste"),
    "attempt a boolean": _step(poging=True),
    "attempt below zero": _step(poging=-1),
    "reply not text": _step(antwoord=550),
    "line not text": _step(tekst=["Koen de Vries"]),
    "garbage": b'{"berichtId": "6f1c1c2e-3a38-5d2b-9b0e-3f6a1f2d9e11", "stap',
}
BAD_CONTACTS = {
    "not a list": CONTACT,
    "to unknown": [{**CONTACT, "aan": "buurman"}],
    "letters not ids": [{**CONTACT, "berichten": ["koen-003"]}],
    "lines not text": [{**CONTACT, "regels": [1, 2]}],
    "day missing": [{k: v for k, v in CONTACT.items() if k != "datum"}],
}


def _raw(body: object) -> bytes:
    return body if isinstance(body, bytes) else json.dumps(body).encode()


@pytest.fixture
def hostile(tmp_path):
    opened: list[tuple[BadServer, Session]] = []

    def make(answers: dict[str, list]) -> Session:
        fake = BadServer(
            "scripted",
            answers={
                "/personen": [(200, json.dumps([KOEN]).encode())],
                "/organisaties": [ORGS],
                "/berichten": [{"berichten": [LETTER], "_links": {}}],
                **answers,
            },
        )
        session = Session.open_remote(
            tmp_path / f"app{len(opened)}", fake.base, "koen", "geheim-token"
        )
        opened.append((fake, session))
        return session

    yield make
    for fake, session in opened:
        session.close()
        fake.close()


@pytest.mark.parametrize("case", sorted(BAD_LOGS))
def test_a_malformed_delivery_log_is_bad_answer_and_loses_nothing(case, hostile, caplog, tmp_path):
    caplog.set_level(logging.DEBUG)
    session = hostile({"/_bezorging": [GOOD, (200, _raw(BAD_LOGS[case]))]})
    assert session.sync_error is None and [l.id for l in session.table()] == [BID]
    first = session.mailbox.delivery_log("koen", BID)  # a good answer first
    assert [s.kind for s in first.steps] == ["bezorgd", "notificatie"]
    with pytest.raises(MailboxError) as raised:
        session.mailbox.delivery_log("koen", BID)
    assert raised.value.code is ErrorCode.BAD_ANSWER
    if case != "garbage":
        assert "field" in raised.value.detail  # which field, never its value
    # the proof pack still comes, and says this part could not be read
    facts = proof.gather(session, BID, tmp_path)
    assert facts.delivery is None and facts.delivery_unread
    sections = dict(proof.proof_sections(facts))
    assert sections["Wat de Berichtenbox bijhield"] == ["Dit kunnen wij hier niet lezen."]
    assert proof.notification_bounces(session) == []
    assert [l.id for l in session.table()] == [BID]  # nothing lost
    assert not any(word in caplog.text for word in PRIVATE), caplog.text
    assert not any(word in str(raised.value) for word in PRIVATE)


@pytest.mark.parametrize("case", sorted(BAD_CONTACTS))
def test_a_malformed_paper_contacts_answer_is_bad_answer(case, hostile, caplog):
    caplog.set_level(logging.DEBUG)
    session = hostile({"/contactherstel": [[CONTACT], (200, _raw(BAD_CONTACTS[case]))]})
    (good,) = session.mailbox.paper_contacts("koen")
    assert good.letter_ids == (BID,) and good.to == "person"
    with pytest.raises(MailboxError) as raised:
        session.mailbox.paper_contacts("koen")
    assert raised.value.code is ErrorCode.BAD_ANSWER
    assert not any(word in caplog.text for word in PRIVATE), caplog.text
    assert not any(word in str(raised.value) for word in PRIVATE)


def test_a_letter_id_that_is_no_fbs_id_is_not_sent(hostile):
    session = hostile({"/_bezorging": [GOOD]})
    fake_requests = session.mailbox.requests_sent
    with pytest.raises(MailboxError) as raised:
        session.mailbox.delivery_log("koen", "../inzage")
    assert raised.value.code is ErrorCode.UNKNOWN_LETTER
    assert session.mailbox.requests_sent == fake_requests


def test_the_practice_box_keeps_no_delivery_log_and_says_so(tmp_path):
    session = Session.open_practice(tmp_path / "practice", person_id="koen")
    try:
        assert getattr(session.mailbox, "delivery_log", None) is None
        facts = proof.gather(session, "koen-003", tmp_path / "practice")
        assert facts.delivery is None and not facts.delivery_unread
        sections = dict(proof.proof_sections(facts))
        assert "U hebt recht op een kopie." in sections["Wat de Berichtenbox bijhield"][0]
    finally:
        session.close()


def test_a_busy_server_is_asked_once_for_the_bounces_not_per_letter(tmp_path):
    """The health check reads up to 10 letters' logs: a server that says "wait"
    is not asked again for each of them (each would wait and fail the same)."""
    letters = [{**LETTER, "berichtId": f"6f1c1c2e-3a38-5d2b-9b0e-3f6a1f2d9e1{n}"} for n in range(3)]
    busy = (503, b'{"status": 503}', {"Retry-After": "120"})
    fake = BadServer(
        "scripted",
        answers={
            "/personen": [(200, json.dumps([KOEN]).encode())],
            "/organisaties": [ORGS],
            "/berichten": [{"berichten": letters, "_links": {}}],
            "/_bezorging": [busy],
        },
    )
    session = Session.open_remote(tmp_path / "app", fake.base, "koen", "geheim-token")
    try:
        assert len(session.table()) == 3
        before = len(fake.requests)
        assert proof.notification_bounces(session) == []
        asked = [path for _at, path in fake.requests[before:]]
        assert len(asked) == 1 and asked[0].endswith("/_bezorging")
    finally:
        session.close()
        fake.close()
