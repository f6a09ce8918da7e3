"""The server's notifications on PostgreSQL (issue 17, --database-url): the
outbox is in the server's own database, not a SQLite file in the data folder,
so two server processes on one database share it and each notification goes
once. A real PostgreSQL (tests/server/pg.py), a real aiosmtpd on loopback, and
for the second test two real ``brieventafel-server watch --once`` processes,
each with a data folder of its own (two machines), at the same time."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from email import message_from_bytes

import pytest

aiosmtpd = pytest.importorskip("aiosmtpd.controller")
pytest.importorskip("fpdf")

from fbs_server import ROOT  # noqa: E402
from pg import pg_schema  # noqa: E402

from app.mailbox.practice import PracticeMailbox  # noqa: E402
from app.mailbox.storage import open_postgres  # noqa: E402
from app.outbox import MailSettings  # noqa: E402
from live_server import free_port  # noqa: E402
from server.operator.notify import KEY, OUTBOX_FILE, open_mail  # noqa: E402
from server.operator.watch import run_round  # noqa: E402
from server.store import ServerStore  # noqa: E402


class Handler:
    def __init__(self):
        self.mails: list[tuple[list[str], bytes]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("lisa."):
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(0.02)  # the mail server's pace: the two rounds overlap
        self.mails.append((list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted"


@pytest.fixture
def smtp():
    handler = Handler()
    controller = aiosmtpd.Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield handler, controller
    controller.stop()


@pytest.fixture
def database():
    """The practice box and the server's tables in one PostgreSQL schema."""
    with pg_schema() as url:
        backend = open_postgres(url)
        try:
            box, store = PracticeMailbox(backend), ServerStore(backend)
            yield url, backend, box, store
        finally:
            backend.close()


def _unread_with_address(box) -> set[str]:
    """The letters a first round notifies (activated, an address that takes mail)."""
    found = set()
    for person in box.practice_people(with_mandates=True):
        status = box.account_status(person.id)
        if status.active and status.email and not status.email.startswith("lisa."):
            found |= {x.id for x in box.letters(person.id).letters if not x.read}
    return found


def test_a_round_on_postgresql_sends_through_the_outbox_in_that_database(tmp_path, database, smtp):
    url, backend, box, store = database
    handler, controller = smtp
    data = tmp_path / "data"
    data.mkdir()
    settings = MailSettings(
        "127.0.0.1", controller.port, security="none", sender="berichtenbox@example.nl"
    )
    mail = open_mail(data, settings, database=backend)
    try:
        run_round(box, store, data, mail=mail)
    finally:
        mail.outbox.close()  # borrowed: the server's database stays open
    expected = _unread_with_address(box)
    assert expected and len(handler.mails) == len(expected)
    states = {n["bericht_id"]: n["state"] for n in store.notifications()}
    assert states["koen-003"] == "delivered" and states["lisa-001"] == "bounced"
    keys = {r["key"] for r in backend.rows("SELECT key FROM outbox_messages")}
    assert {KEY + letter for letter in expected} <= keys
    assert not (data / OUTBOX_FILE).exists()  # no SQLite outbox in the data folder
    again = open_mail(data, settings, database=backend)  # the next round, a new outbox
    try:
        assert run_round(box, store, data, mail=again).notified == []
    finally:
        again.outbox.close()
    assert len(handler.mails) == len(expected)  # nothing twice


def _watch(data_dir, url: str, port: int) -> subprocess.Popen:
    data_dir.mkdir()
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "server",
            "watch",
            "--once",
            "--data-dir",
            str(data_dir),
            "--database-url",
            url,
            "--smtp-host",
            "127.0.0.1",
            "--smtp-port",
            str(port),
            "--smtp-security",
            "none",
            "--smtp-sender",
            "berichtenbox@example.nl",
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_server_processes_on_one_database_send_each_notification_once(tmp_path, database, smtp):
    url, _backend, box, _store = database
    handler, controller = smtp
    rounds = [_watch(tmp_path / name, url, controller.port) for name in ("een", "twee")]
    for running in rounds:
        _out, err = running.communicate(timeout=120)
        assert running.returncode == 0, err[-2000:]
    expected = _unread_with_address(box)
    ids = [message_from_bytes(m)["Message-ID"] for _to, m in handler.mails]
    assert len(ids) == len(set(ids)) == len(expected)  # each exactly once
    for name in ("een", "twee"):
        assert not (tmp_path / name / OUTBOX_FILE).exists()
