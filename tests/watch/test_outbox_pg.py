"""The outbox on PostgreSQL (a server with --database-url): the same guarantees
as on SQLite (test_outbox.py), against real SMTP servers on loopback (aiosmtpd)
and a real PostgreSQL: keyed add, sent once, back-off, a refusal for good, a kill
(SIGKILL, a real process) after the 250 or in the data gives 'unsure' and no
second copy, and two senders in two processes on one database deliver each
message exactly once. Each test in a schema of its own (tests/server/pg.py: a
skip without PostgreSQL on a person's machine, a failure in CI).

This file is also the worker those tests start (``python test_outbox_pg.py``).
"""

from __future__ import annotations

import asyncio
import json
import os
import select
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
if __name__ == "__main__":  # the worker: the repository, not pytest, sets the path
    sys.path.insert(0, str(ROOT))

from app.outbox import MailSettings, Outbox, Reason, State  # noqa: E402

START = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def plain(port: int, **kw) -> MailSettings:
    return MailSettings("127.0.0.1", port, security="none", sender="bt@example.org", **kw)


# -- the worker: a real process on the same database -----------------------------------
def worker(argv: list[str]) -> None:
    """``kill URL PORT after-250|in-data``: send and die at that moment (the same
    moments as outbox_kill_worker.py for SQLite); ``send URL PORT``: say ``ready``,
    wait for a line on stdin, send what is due, print the attempts as JSON."""
    mode, url, port = argv[0], argv[1], int(argv[2])
    if mode == "kill":
        from outbox_kill_worker import arm

        arm(argv[3])
    box = Outbox(url)
    own = box.backend.rows("SELECT pg_backend_pid() AS pid")[0]["pid"]  # where its claims live
    print(f"ready {own}", flush=True)
    if mode == "send":
        sys.stdin.readline()
    attempts = box.send_due(plain(port))
    print(json.dumps([[a.key, a.state.value] for a in attempts]), flush=True)
    box.close()


if __name__ == "__main__":
    worker(sys.argv[1:])
    sys.exit(0)

# -- the tests -------------------------------------------------------------------------
import pytest  # noqa: E402
from smtp_servers import MailServer, free_port  # noqa: E402

sys.path.insert(0, str(HERE.parent / "server"))
from pg import pg_schema  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore:Session.login_data is deprecated")


@pytest.fixture
def url(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # an outbox that took the URL for a file name makes it here
    with pg_schema() as where:
        yield where


@pytest.fixture
def clock():
    from clock import Clock  # here: this file also runs as a sender process

    return Clock(START)


@pytest.fixture
def box(url, clock):
    b = Outbox(url, clock=clock)
    yield b
    b.close()


@pytest.fixture
def server():
    s = MailServer().start()
    yield s
    s.stop()


def _pg(url: str, sql: str, *args) -> list[tuple]:
    import psycopg

    with psycopg.connect(url) as conn:
        return [tuple(r) for r in conn.execute(sql, args)]


def _start(mode: str, url: str, port: int, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), mode, url, str(port), *extra],
        # in the test's folder (the url fixture's), like the outbox in this process
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _ready(process: subprocess.Popen, wait: float = 60) -> int:
    """Wait for the worker's ``ready`` (at most ``wait`` seconds: a worker that
    hangs fails the test instead of hanging it); its PostgreSQL connection's pid."""
    assert process.stdout is not None
    readable, _, _ = select.select([process.stdout], [], [], wait)
    if not readable:
        process.kill()
        pytest.fail(f"the worker said nothing in {wait:.0f} s")
    word, _, pid = process.stdout.readline().partition(" ")
    assert word == "ready", process.stderr.read() if process.stderr else ""
    return int(pid)


def test_a_message_is_queued_once_and_sent_once_from_postgresql(box, server, url, tmp_path):
    assert box.add("k1", "anna@example.org", "Een brief", "Kijk samen in Brieventafel.")
    assert not box.add("k1", "anna@example.org", "Een brief", "anders")  # same key: not again
    attempts = box.send_due(plain(server.port))
    assert [(a.state, a.reason, a.code) for a in attempts] == [(State.SENT, Reason.ACCEPTED, 250)]
    assert box.send_due(plain(server.port)) == []
    assert len(server.received) == 1
    mail = server.received[0].mail
    assert mail["Message-ID"] == box.messages()[0].message_id
    assert "Kijk samen in Brieventafel." in mail.get_payload(decode=True).decode()
    (message,) = box.messages()
    assert message.state is State.SENT and message.sent_at == START
    assert [a.reason for a in message.attempts] == [Reason.ACCEPTED]
    # in the database, in tables of its own; no file anywhere
    assert _pg(url, "SELECT key, state FROM outbox_messages") == [("k1", "sent")]
    assert _pg(url, "SELECT COUNT(*) FROM outbox_attempts") == [(1,)]
    assert list(tmp_path.iterdir()) == []


def test_a_server_that_is_down_waits_with_back_off_then_sends_once(box, clock, url):
    port = free_port()
    box.add("k", "anna@example.org", "S", "B")
    (attempt,) = box.send_due(plain(port))
    assert (attempt.state, attempt.reason) == (State.WAITING, Reason.DOWN)
    assert box.messages()[0].next_try == START + timedelta(minutes=1)
    server = MailServer(port=port).start()
    try:
        assert box.send_due(plain(port)) == []  # not due yet: back-off
        clock.later(minutes=1)
        assert [a.state for a in box.send_due(plain(port))] == [State.SENT]
        assert len(server.received) == 1
    finally:
        server.stop()
    assert _pg(url, "SELECT state, tries FROM outbox_messages") == [("sent", 2)]


def test_busy_waits_a_refused_address_fails_for_good_until_resent(box, server, clock, url):
    box.add("busy", "anna@example.org", "S", "B")
    server.handler.refuse_rcpt = "451 4.7.1 Probeer later"
    (attempt,) = box.send_due(plain(server.port))
    assert (attempt.state, attempt.reason, attempt.code) == (State.WAITING, Reason.BUSY, 451)
    server.handler.refuse_rcpt = "550 5.1.1 no such user"
    clock.later(minutes=1)
    (attempt,) = box.send_due(plain(server.port))
    assert (attempt.state, attempt.code) == (State.FAILED, 550)
    clock.later(days=2)
    assert box.send_due(plain(server.port)) == []  # failed for good: not tried by itself
    assert box.resend("busy")
    server.handler.refuse_rcpt = ""
    assert [a.state for a in box.send_due(plain(server.port))] == [State.SENT]
    assert len(server.received) == 1
    assert box.messages()[0].tries == 3
    states = _pg(url, "SELECT state, reason, code FROM outbox_attempts ORDER BY id")
    assert states == [
        ("waiting", "busy", 451),
        ("failed", "refused", 550),
        ("waiting", "resend", None),
        ("sent", "accepted", 250),
    ]


def _gone(url: str, pid: int) -> None:
    """Wait (polled) until PostgreSQL has ended the killed process's connection."""
    deadline = time.monotonic() + 10
    while _pg(url, "SELECT 1 FROM pg_stat_activity WHERE pid = %s", pid):
        assert time.monotonic() < deadline, "PostgreSQL kept the dead connection"
        time.sleep(0.01)


@pytest.mark.parametrize(
    ("moment", "at_server"), [("after-250", 1), ("in-data", 0)], ids=["after-250", "in-data"]
)
def test_a_kill_between_sending_and_recording_never_sends_twice_on_postgresql(
    url, server, moment, at_server
):
    box = Outbox(url)
    try:
        box.add("k", "anna@example.org", "Een brief van de RDW", "Kijk samen in Brieventafel." * 5)
        worker = _start("kill", url, server.port, moment)
        pid = _ready(worker)
        _out, err = worker.communicate(timeout=60)
        assert worker.returncode == -9, err  # killed, not finished
        assert len(server.received) == at_server
        _gone(url, pid)  # the worker's connection (and its claim) ended with it
        assert box.messages()[0].state is State.SENDING
        (attempt,) = box.send_due(plain(server.port))
        assert (attempt.state, attempt.reason) == (State.UNSURE, Reason.KILLED)
        assert box.send_due(plain(server.port)) == []
        assert len(server.received) == at_server  # never a second copy by itself
        assert box.messages()[0].state is State.UNSURE
        assert _pg(url, "SELECT state, reason FROM outbox_messages") == [("unsure", "killed")]
    finally:
        box.close()


def test_a_live_sender_in_its_data_is_neither_sent_again_nor_called_unsure(url, server):
    """Another process is handing the message over (its 'sending' is committed,
    the server has not answered yet): a second outbox on the same database
    leaves that message alone; once the first is done it is sent, once."""
    entered, release = threading.Event(), threading.Event()
    take = server.handler.handle_DATA

    async def slow_data(server_, session, envelope):
        entered.set()
        await asyncio.get_running_loop().run_in_executor(None, release.wait, 30)
        return await take(server_, session, envelope)

    server.handler.handle_DATA = slow_data  # type: ignore[method-assign]
    second = Outbox(url)
    first = None
    try:
        second.add("k", "anna@example.org", "S", "B")
        first = _start("send", url, server.port)
        _ready(first)
        assert first.stdin is not None
        first.stdin.write("go\n")
        first.stdin.flush()
        assert entered.wait(30), "the first sender never reached the data"
        assert second.messages()[0].state is State.SENDING
        assert second.send_due(plain(server.port)) == []  # its claim is alive: hands off
        assert second.messages()[0].state is State.SENDING
        release.set()
        out, err = first.communicate(timeout=60)
        assert json.loads(out.splitlines()[-1]) == [["k", "sent"]], err
        assert second.send_due(plain(server.port)) == []
        assert second.messages()[0].state is State.SENT
        assert len(server.received) == 1
        assert _pg(url, "SELECT state, tries FROM outbox_messages") == [("sent", 1)]
    finally:
        release.set()
        if first is not None and first.poll() is None:
            first.kill()
            first.communicate()
        second.close()


def test_two_processes_sending_at_once_deliver_each_message_exactly_once(url, server):
    take = server.handler.handle_DATA

    async def a_little_slow(server_, session, envelope):
        await asyncio.sleep(0.01)  # the server's pace, so the two senders overlap
        return await take(server_, session, envelope)

    server.handler.handle_DATA = a_little_slow  # type: ignore[method-assign]
    box = Outbox(url)
    keys = [f"k{n:02}" for n in range(30)]
    senders: list[subprocess.Popen] = []
    try:
        for key in keys:
            box.add(key, f"{key}@example.org", "S", "B")
        senders += [_start("send", url, server.port) for _ in range(2)]
        for sender in senders:
            _ready(sender)
        for sender in senders:
            assert sender.stdin is not None
            sender.stdin.write("go\n")
            sender.stdin.flush()
        done = []
        for sender in senders:
            out, err = sender.communicate(timeout=60)
            assert sender.returncode == 0, err
            done.append(json.loads(out.splitlines()[-1]))
        each = [{key for key, state in attempts if state == "sent"} for attempts in done]
        assert each[0].isdisjoint(each[1]) and each[0] | each[1] == set(keys)
        assert all(each), "both senders sent some"
        received = sorted(r.recipients[0].split("@")[0] for r in server.received)
        assert received == keys  # each exactly once
        assert {m.state for m in box.messages()} == {State.SENT}
        assert all(len(m.attempts) == 1 for m in box.messages())
    finally:
        for sender in senders:
            if sender.poll() is None:
                sender.kill()
                sender.communicate()
        box.close()


def test_the_desktop_outbox_never_loads_psycopg(tmp_path):
    script = (
        "import sys\n"
        "from app.outbox import MailSettings, Outbox\n"
        "box = Outbox(sys.argv[1])\n"
        "box.add('k', 'anna@example.org', 'S', 'B')\n"
        "box.send_due(MailSettings('127.0.0.1', int(sys.argv[2]), security='none'))\n"
        "print('psycopg' in sys.modules)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "outbox.sqlite3"), str(free_port())],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.stdout.strip() == "False", run.stderr[-2000:]
