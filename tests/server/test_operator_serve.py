"""The round inside the running server sends e-mail too (issue 17): the real
server started with ``--watch-interval`` and the same ``--smtp-*`` options as
``watch``; its first round runs at the start and notifies through a real SMTP
server on loopback (aiosmtpd). Its delivery log then shows the attempt, and
the server's own log names no person."""

from __future__ import annotations

import time

import pytest

aiosmtpd = pytest.importorskip("aiosmtpd.controller")

from fbs_server import KOEN, start_server  # noqa: E402

from live_server import free_port  # noqa: E402
from server import fbs  # noqa: E402


class Handler:
    def __init__(self):
        self.to: list[list[str]] = []

    async def handle_DATA(self, server, session, envelope):
        self.to.append(list(envelope.rcpt_tos))
        return "250 Message accepted"


def test_the_servers_own_round_notifies_by_email(tmp_path):
    handler = Handler()
    controller = aiosmtpd.Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    smtp = ["--smtp-host", "127.0.0.1", "--smtp-port", str(controller.port)]
    smtp += ["--smtp-security", "none", "--smtp-sender", "berichtenbox@example.nl"]
    server = start_server(tmp_path / "data", "--watch-interval", "3600", *smtp)
    try:
        deadline = time.monotonic() + 30
        log = tmp_path / "server-data.log"
        path = f"/berichten/{fbs.fbs_id('koen-003')}/_bezorging"
        mailed: list[dict] = []
        while not mailed and time.monotonic() < deadline:
            time.sleep(0.05)  # waiting for the round in the server, not a fixed pause
            answer = server.get(path, "koen", KOEN)
            assert answer.status_code == 200, answer.text
            mailed = [x for x in answer.json()["stappen"] if x["soort"] == "notificatie"]
        assert mailed, log.read_text()
        assert mailed[0]["resultaat"] == "delivered" and mailed[0]["antwoord"] == "accepted 250"
        assert ["koen.devries@example.nl"] in handler.to
        text = log.read_text()
        assert "watch round failed" not in text
        for word in ("example.nl", "Koen", "koen", "Lisa", "Kerkstraat", "999990019"):
            assert word not in text
    finally:
        server.stop()
        controller.stop()
