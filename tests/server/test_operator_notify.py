"""Notifications with health (issue 17): an e-mail per new letter through the
outbox (app/outbox.py) to a real SMTP server on loopback (aiosmtpd), every
attempt recorded per letter; Lisa's address bounces (550 at RCPT), so she is
marked for contact another way and the round's paper letter says so; a server
that is down keeps the notifications waiting, then delivers them once."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes

import pytest

aiosmtpd = pytest.importorskip("aiosmtpd.controller")
pypdf = pytest.importorskip("pypdf")

from app.mailbox.practice import PracticeMailbox  # noqa: E402
from app.outbox import MailSettings, Outbox  # noqa: E402
from app.plain import format_date  # noqa: E402
from live_server import free_port, seed  # noqa: E402
from server import PRACTICE_FILE, SERVER_FILE  # noqa: E402
from server.operator import rules as r  # noqa: E402
from server.operator.notify import (  # noqa: E402
    KEY,
    OUTBOX_FILE,
    REPEAT_KEY,
    Mail,
    notify_round,
    open_mail,
)
from server.operator.paper import batch_path  # noqa: E402
from server.operator.watch import run_round  # noqa: E402
from server.store import ServerStore  # noqa: E402


class Handler:
    def __init__(self):
        self.mails: list[tuple[list[str], bytes]] = []
        self.busy_repeats = 0  # repeats answered "451 try later" before one is taken

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("lisa."):
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.busy_repeats and b"Subject: Herinnering" in envelope.content:
            self.busy_repeats -= 1
            return "451 4.3.0 Try again later"
        self.mails.append((list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted"


@pytest.fixture
def smtp():
    handler = Handler()
    controller = aiosmtpd.Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield handler, controller
    controller.stop()


def settings(port: int) -> MailSettings:
    return MailSettings("127.0.0.1", port, security="none", sender="berichtenbox@example.nl")


@pytest.fixture
def folder(tmp_path):
    data = tmp_path / "data"
    seed(data)
    box, store = PracticeMailbox(data / PRACTICE_FILE), ServerStore(data / SERVER_FILE)
    yield data, box, store
    box.close()
    store.close()


def test_each_new_letter_is_notified_once_without_content_and_a_bounce_marks_the_person(
    folder, smtp
):
    data, box, store = folder
    handler, controller = smtp
    mail = open_mail(data, settings(controller.port))
    try:
        first = run_round(box, store, data, mail=mail)
        koen_unread = [x for x in box.letters("koen").letters if not x.read]
        to_koen = [m for to, m in handler.mails if to == ["koen.devries@example.nl"]]
        assert len(to_koen) == len(koen_unread)
        rdw = next(x for x in koen_unread if x.id == "koen-003")
        text = next(
            message_from_bytes(m).get_payload(decode=True).decode() for m in to_koen if b"RDW" in m
        )
        assert "Van: RDW" in text and "Wat moet u doen:" in text and "Termijn: tot" in text
        assert rdw.body[:40] not in text and rdw.subject not in text  # no content
        states = {n["bericht_id"]: n for n in store.notifications()}
        assert states["koen-003"]["state"] == "delivered"
        assert states["lisa-001"]["state"] == "bounced"
        assert states["lisa-001"]["detail"] == "refused 550"
        assert states["kees-001"]["state"] == "no-address"
        assert store.contact_marks()["lisa"] == "bounced"
        assert store.contact_marks()["kees"] == "no-address"
        assert r.Finding(r.EMAIL_BOUNCES, "lisa") in first.findings
        assert r.Finding(r.UNDELIVERABLE, "lisa", "lisa-002", "belastingdienst") in first.findings
        pdf = pypdf.PdfReader(io.BytesIO(batch_path(data, date.today()).read_bytes()))
        text = "\n".join(p.extract_text() for p in pdf.pages)
        lisa = text[text.index("Beste Lisa Verbeek,") :]
        lisa = " ".join(lisa[: lisa.index("De Berichtenbox")].split())  # lines wrapped
        assert "Uw e-mailadres werkt niet." in lisa
        assert "Die e-mail kwam niet aan." in lisa
        printed = "\n".join(first.lines())
        assert "example.nl" not in printed and "Lisa" not in printed
        sent = len(handler.mails)
        again = run_round(box, store, data, mail=mail)
        assert len(handler.mails) == sent  # nothing twice
        assert again.letters == [] and again.notified == []
    finally:
        mail.outbox.close()


def test_a_mail_server_that_is_down_keeps_the_notifications_waiting_then_delivers_once(
    folder, smtp
):
    data, box, store = folder
    handler, controller = smtp
    down = open_mail(data, settings(free_port()))  # nothing listens there
    try:
        run_round(box, store, data, mail=down)
        states = {n["bericht_id"]: n["state"] for n in store.notifications()}
        assert states["koen-003"] == "deferred"
    finally:
        down.outbox.close()
    # the server is back; the outbox's back-off (1 minute) is stepped with its clock
    later = Outbox(data / OUTBOX_FILE, clock=lambda: datetime.now(UTC) + timedelta(minutes=2))
    try:
        notify_round(box, store, Mail(later, settings(controller.port)), date.today())
        notify_round(box, store, Mail(later, settings(controller.port)), date.today())
        states = {n["bericht_id"]: n["state"] for n in store.notifications()}
        assert states["koen-003"] == "delivered"
        rdw = [m for to, m in handler.mails if to == ["koen.devries@example.nl"] and b"RDW" in m]
        assert len(rdw) == 1  # once, though two rounds ran
    finally:
        later.close()


class Clock:
    def __init__(self):
        self.now = datetime.now(UTC)

    def __call__(self):
        return self.now


def text_of(mail: bytes) -> str:
    return message_from_bytes(mail).get_payload(decode=True).decode()


def test_a_letter_still_unread_seven_days_after_its_notification_gets_one_repeat(folder, smtp):
    data, box, store = folder
    handler, controller = smtp
    clock = Clock()
    mail = Mail(Outbox(data / OUTBOX_FILE, clock=clock), settings(controller.port))
    try:
        notify_round(box, store, mail, date.today())
        first = mail.outbox.message(KEY + "koen-003")
        assert first is not None and first.sent_at is not None
        day = first.sent_at.date()
        koen = [x.id for x in box.letters("koen").letters if not x.read]
        box.mark_read("koen", "koen-003")  # Koen read his RDW letter: no repeat for it
        firsts = len(handler.mails)

        assert notify_round(box, store, mail, day + timedelta(days=6)) == []
        assert notify_round(box, store, mail, day + timedelta(days=7), repeat_days=0) == []
        assert len(handler.mails) == firsts

        handler.busy_repeats = 1  # the mail server says "later" to the first repeat
        lines = notify_round(box, store, mail, day + timedelta(days=7))
        assert any(" herhaling deferred " in x and "antwoord=busy 451" in x for x in lines)
        to_koen = [m for to, m in handler.mails[firsts:] if to == ["koen.devries@example.nl"]]
        repeats = [k for k in koen if k != "koen-003"]
        clock.now += timedelta(minutes=2)  # past the outbox's back-off of 1 minute
        notify_round(box, store, mail, day + timedelta(days=7))
        to_koen = [m for to, m in handler.mails[firsts:] if to == ["koen.devries@example.nl"]]
        assert len(to_koen) == len(repeats)
        assert all(m.count(b"Subject: Herinnering") == 1 for m in to_koen)
        assert not any(b"RDW" in m for m in to_koen)  # read: not repeated
        for text in map(text_of, to_koen):
            assert "U hebt het bericht nog niet gelezen." in text
            assert f"U kreeg op {format_date(day)} al een e-mail" in text
            for letter_id in repeats:  # no content
                letter = box.letter("koen", letter_id)
                assert letter.subject not in text and letter.body[:40] not in text
        # every attempt is kept with the server's answer
        attempts = {}
        for letter_id in repeats:
            message = mail.outbox.message(REPEAT_KEY + letter_id)
            assert message is not None and message.state.value == "sent"
            attempts[letter_id] = [(a.reason.value, a.code) for a in message.attempts]
        assert sorted(attempts.values()).count([("busy", 451), ("accepted", 250)]) == 1
        assert all(a[-1] == ("accepted", 250) for a in attempts.values())
        # no repeat for Lisa, whose first one bounced, nor for Kees, who has no address
        assert mail.outbox.message(REPEAT_KEY + "lisa-001") is None
        assert mail.outbox.message(REPEAT_KEY + "kees-001") is None
        # one repeat only: a week and a month later nothing more
        sent = len(handler.mails)
        assert notify_round(box, store, mail, day + timedelta(days=14)) == []
        assert notify_round(box, store, mail, day + timedelta(days=30)) == []
        assert len(handler.mails) == sent
        # the letter's own row keeps its first notification's state (the rules read it)
        states = {n["bericht_id"]: n["state"] for n in store.notifications()}
        assert all(states[x] == "delivered" for x in repeats)
    finally:
        mail.outbox.close()
