"""One operator round over a seeded server folder, with its notifications sent
to a real SMTP server on loopback (aiosmtpd: every address is taken but Lisa's,
refused with 550), before the server itself starts on that folder. For the
tests of the delivery log, on the server and through RemoteMailbox."""

from __future__ import annotations

from pathlib import Path

from live_server import free_port, seed


class RefusesLisa:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("lisa."):
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        return "250 Message accepted"


def seed_after_a_round(data: Path) -> None:
    """Seed ``data`` as a practice server's folder and run one round on it."""
    from aiosmtpd.controller import Controller

    from app.mailbox.practice import PracticeMailbox
    from app.outbox import MailSettings
    from server import PRACTICE_FILE, SERVER_FILE
    from server.operator.notify import open_mail
    from server.operator.watch import run_round
    from server.store import ServerStore

    seed(data)
    controller = Controller(RefusesLisa(), hostname="127.0.0.1", port=free_port())
    controller.start()
    box, store = PracticeMailbox(data / PRACTICE_FILE), ServerStore(data / SERVER_FILE)
    mail = open_mail(
        data, MailSettings("127.0.0.1", controller.port, security="none", sender="bb@example.nl")
    )
    try:
        run_round(box, store, data, mail=mail)
    finally:
        mail.outbox.close()
        box.close()
        store.close()
        controller.stop()
