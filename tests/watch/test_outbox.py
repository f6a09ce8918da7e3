"""The outbox against real SMTP servers on loopback (aiosmtpd): sent once, waits
when the server is down, refuses or drops, never sent twice, a kill included."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from smtp_servers import DroppingServer, MailServer, free_port

from app import outbox
from app.outbox import MailSettings, Outbox, Reason, State
from clock import Clock

# aiosmtpd itself sets its deprecated Session.login_data on every sign-in
pytestmark = pytest.mark.filterwarnings("ignore:Session.login_data is deprecated")
HERE = Path(__file__).resolve().parent
START = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock():
    return Clock(START)


@pytest.fixture
def box(tmp_path, clock):
    b = Outbox(tmp_path / "outbox.sqlite3", clock=clock)
    yield b
    b.close()


@pytest.fixture
def server():
    s = MailServer().start()
    yield s
    s.stop()


def plain(port: int, **kw) -> MailSettings:
    return MailSettings("127.0.0.1", port, security="none", sender="bt@example.org", **kw)


def test_a_message_is_sent_once_with_its_stable_message_id(box, server):
    assert box.add("k1", "anna@example.org", "Een brief", "Kijk samen in Brieventafel.")
    assert not box.add("k1", "anna@example.org", "Een brief", "anders")  # same key: not again
    attempts = box.send_due(plain(server.port))
    assert [(a.state, a.reason, a.code) for a in attempts] == [(State.SENT, Reason.ACCEPTED, 250)]
    assert box.send_due(plain(server.port)) == []
    assert len(server.received) == 1
    mail = server.received[0].mail
    assert server.received[0].recipients == ["anna@example.org"]
    assert mail["Subject"] == "Een brief"
    assert mail["Message-ID"] == box.messages()[0].message_id
    assert mail["Auto-Submitted"] == "auto-generated"
    assert "Kijk samen in Brieventafel." in mail.get_payload(decode=True).decode()
    (message,) = box.messages()
    assert message.state is State.SENT and message.sent_at == START
    assert "accepted" in message.reply


def test_a_line_starting_with_a_dot_arrives_whole(box, server):
    box.add("dot", "anna@example.org", "Punt", "regel een\n.\n..twee\nlaatste")
    box.send_due(plain(server.port))
    body = server.received[0].mail.get_payload(decode=True).decode()
    assert body.splitlines() == ["regel een", ".", "..twee", "laatste"]


def test_a_server_that_is_down_keeps_the_message_waiting_then_sends(box, clock):
    port = free_port()
    box.add("k", "anna@example.org", "S", "B")
    (attempt,) = box.send_due(plain(port))
    assert (attempt.state, attempt.reason) == (State.WAITING, Reason.DOWN)
    message = box.messages()[0]
    assert message.state is State.WAITING and message.next_try == START + timedelta(minutes=1)
    server = MailServer(port=port).start()
    try:
        assert box.send_due(plain(port)) == []  # not due yet: back-off
        clock.later(minutes=1)
        (attempt,) = box.send_due(plain(port))
        assert attempt.state is State.SENT
        assert len(server.received) == 1
    finally:
        server.stop()
    assert [a.reason for a in box.messages()[0].attempts] == [Reason.DOWN, Reason.ACCEPTED]


def test_back_off_doubles_and_stops_growing_at_six_hours():
    assert [outbox.backoff(n).total_seconds() / 60 for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert outbox.backoff(50) == timedelta(hours=6)


def test_a_temporary_refusal_waits_and_a_refused_address_fails_for_good(box, server, clock):
    box.add("busy", "anna@example.org", "S", "B")
    server.handler.refuse_rcpt = "451 4.7.1 Probeer later"
    (attempt,) = box.send_due(plain(server.port))
    assert (attempt.state, attempt.reason, attempt.code) == (State.WAITING, Reason.BUSY, 451)
    assert "Probeer later" in attempt.reply
    server.handler.refuse_rcpt = "550 5.1.1 <anna@example.org>: no such user"
    clock.later(minutes=1)
    (attempt,) = box.send_due(plain(server.port))
    assert (attempt.state, attempt.reason, attempt.code) == (State.FAILED, Reason.REFUSED, 550)
    assert "no such user" in box.messages()[0].reply
    clock.later(days=2)
    assert box.send_due(plain(server.port)) == []  # failed for good: not tried by itself
    assert server.received == []
    assert box.resend("busy")  # the person's choice
    server.handler.refuse_rcpt = ""
    (attempt,) = box.send_due(plain(server.port))
    assert attempt.state is State.SENT and len(server.received) == 1


def test_a_refusal_of_the_message_itself_is_kept_with_the_reply(box, server):
    server.handler.refuse_data = "554 5.7.1 Bericht geweigerd"
    box.add("k", "anna@example.org", "S", "B")
    (attempt,) = box.send_due(plain(server.port))
    assert (attempt.state, attempt.code) == (State.FAILED, 554)


def test_one_refused_address_does_not_stop_the_next_message(box, server):
    box.add("a", "nobody@example.org", "S", "B")
    box.add("b", "anna@example.org", "S", "B")

    async def rcpt(server_, session, envelope, address, options):
        if address.startswith("nobody"):
            return "550 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    server.handler.handle_RCPT = rcpt  # type: ignore[method-assign]
    states = [a.state for a in box.send_due(plain(server.port))]
    assert states == [State.FAILED, State.SENT]
    assert [r.recipients for r in server.received] == [["anna@example.org"]]


def test_a_server_that_drops_the_connection_keeps_the_message_waiting(box, clock):
    dropping = DroppingServer()
    try:
        box.add("k", "anna@example.org", "S", "B")
        (attempt,) = box.send_due(plain(dropping.port))
        assert attempt.state is State.WAITING
        assert attempt.reason in (Reason.DROPPED, Reason.DOWN)
        assert dropping.connections == 1
    finally:
        dropping.stop()


def test_a_drop_when_data_starts_keeps_it_waiting_and_it_goes_next_time(box, server, clock):
    server.handler.drop_at_data = True
    box.add("k", "anna@example.org", "S", "B")
    (attempt,) = box.send_due(plain(server.port))
    # aiosmtpd reads the whole message before handle_DATA, so this drop comes
    # after the data: the outbox cannot know and must not send again by itself.
    assert attempt.state is State.UNSURE
    assert server.received == []
    assert box.resend("k")
    server.handler.drop_at_data = False
    (attempt,) = box.send_due(plain(server.port))
    assert attempt.state is State.SENT


def test_over_ssl_with_the_servers_own_ca(box, tmp_path):
    secured = MailServer(tls="ssl", folder=tmp_path).start()
    try:
        box.add("k", "anna@example.org", "S", "B")
        settings = MailSettings("127.0.0.1", secured.port, security="ssl", ca_file=secured.ca_file)
        assert [a.state for a in box.send_due(settings)] == [State.SENT]
        assert len(secured.received) == 1
    finally:
        secured.stop()


# aiosmtpd offers AUTH only after STARTTLS (not on an SSL port), so sign-in is tested there
@pytest.mark.parametrize("security", ["starttls"])
def test_a_wrong_password_waits_and_says_sign_in(box, tmp_path, monkeypatch, clock, security):
    secured = MailServer(users={"brieven": "goed"}, tls=security, folder=tmp_path).start()
    settings = MailSettings(
        "127.0.0.1", secured.port, security=security, user="brieven", ca_file=secured.ca_file
    )
    try:
        box.add("k", "anna@example.org", "S", "B")
        monkeypatch.setenv(outbox.PASSWORD_ENV, "fout")
        (attempt,) = box.send_due(settings)
        assert (attempt.state, attempt.reason, attempt.code) == (
            State.WAITING,
            Reason.SIGN_IN,
            535,
        )
        monkeypatch.setenv(outbox.PASSWORD_ENV, "goed")
        clock.later(minutes=1)
        (attempt,) = box.send_due(settings)
        assert attempt.state is State.SENT and len(secured.received) == 1
        assert secured.received[0].sender == "brieventafel@127.0.0.1"
    finally:
        secured.stop()


def test_no_password_kept_means_waiting_not_a_crash(box, server, monkeypatch):
    monkeypatch.delenv(outbox.PASSWORD_ENV, raising=False)
    monkeypatch.setattr(outbox, "load_password", lambda settings: None)  # no keyring here
    box.add("k", "anna@example.org", "S", "B")
    (attempt,) = box.send_due(plain(server.port, user="brieven"))
    assert (attempt.state, attempt.reason) == (State.WAITING, Reason.NO_PASSWORD)


def test_an_untrusted_certificate_waits_and_says_security(box, tmp_path):
    secured = MailServer(tls="starttls", folder=tmp_path).start()
    try:
        box.add("k", "anna@example.org", "S", "B")
        (attempt,) = box.send_due(MailSettings("127.0.0.1", secured.port))  # system CAs
        assert (attempt.state, attempt.reason) == (State.WAITING, Reason.SECURITY)
        assert secured.received == []
    finally:
        secured.stop()


def test_plain_smtp_only_on_loopback(box):
    box.add("k", "anna@example.org", "S", "B")
    (attempt,) = box.send_due(MailSettings("mail.example.org", 25, security="none"))
    assert (attempt.state, attempt.reason) == (State.WAITING, Reason.NOT_ALLOWED)


def test_bad_addresses_and_headers_are_refused_at_add(box):
    with pytest.raises(outbox.MailAddressProblem):
        box.add("k", "geen adres", "S", "B")
    with pytest.raises(outbox.MailAddressProblem):
        box.add("k", "anna@example.org", "S\nBcc: x@example.org", "B")
    assert box.messages() == []


def test_two_senders_at_once_send_once(tmp_path, server, clock):
    first = Outbox(tmp_path / "o.sqlite3", clock=clock)
    second = Outbox(tmp_path / "o.sqlite3", clock=clock)
    try:
        first.add("k", "anna@example.org", "S", "B")
        from filelock import FileLock

        with FileLock(str(tmp_path / "o.sqlite3") + ".send-lock"):
            assert second.send_due(plain(server.port)) == []  # someone else is sending
        assert [a.state for a in first.send_due(plain(server.port))] == [State.SENT]
        assert second.send_due(plain(server.port)) == []
        assert len(server.received) == 1
    finally:
        first.close()
        second.close()


@pytest.mark.parametrize(
    ("moment", "at_server"), [("after-250", 1), ("in-data", 0)], ids=["after-250", "in-data"]
)
def test_a_kill_between_sending_and_recording_never_sends_twice(
    tmp_path, server, moment, at_server
):
    path = tmp_path / "outbox.sqlite3"
    box = Outbox(path)
    box.add("k", "anna@example.org", "Een brief van de RDW", "Kijk samen in Brieventafel." * 5)
    box.close()
    done = subprocess.run(
        [sys.executable, str(HERE / "outbox_kill_worker.py"), str(path), str(server.port), moment],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == -9, done.stderr  # killed, not finished
    assert len(server.received) == at_server
    box = Outbox(path)
    try:
        assert box.messages()[0].state is State.SENDING
        (attempt,) = box.send_due(plain(server.port))
        assert (attempt.state, attempt.reason) == (State.UNSURE, Reason.KILLED)
        assert box.send_due(plain(server.port)) == []
        assert len(server.received) == at_server  # never a second copy by itself
        assert box.messages()[0].state is State.UNSURE
    finally:
        box.close()
