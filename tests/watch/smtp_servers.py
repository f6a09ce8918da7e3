"""Real SMTP servers on loopback for the watcher's tests (aiosmtpd, in a thread).

``MailServer`` keeps every message it accepted; ``refuse_rcpt`` / ``refuse_data``
make it answer a code of our choice; ``drop_at_data`` closes the connection
when DATA comes; ``users`` asks for AUTH (over TLS only: aiosmtpd's own rule); ``tls`` gives
STARTTLS or SSL with a certificate from a CA of the test's own (trustme).
``free_port()`` gives a port where nothing listens (a server that is down).
"""

from __future__ import annotations

import socket
import ssl
import threading
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Received:
    sender: str
    recipients: list[str]
    data: bytes

    @property
    def mail(self) -> Message:
        return message_from_bytes(self.data)


@dataclass
class Handler:
    received: list[Received] = field(default_factory=list)
    refuse_rcpt: str = ""
    refuse_data: str = ""
    drop_at_data: bool = False

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse_rcpt:
            return self.refuse_rcpt
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.drop_at_data:
            server.transport.close()
            return "421 gone"
        if self.refuse_data:
            return self.refuse_data
        self.received.append(
            Received(envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.content))
        )
        return "250 Message accepted for delivery"


class MailServer:
    def __init__(
        self,
        *,
        users: dict[str, str] | None = None,
        port: int | None = None,
        tls: str = "",
        folder: Path | None = None,
    ):
        """``tls``: "" (plain), "starttls" or "ssl", with a certificate for
        127.0.0.1 from a CA of the test's own in ``folder`` (``self.ca_file``)."""
        self.handler = Handler()
        self.port = port or free_port()
        self.ca_file = ""
        kwargs: dict = {}
        if tls:
            from live_server import certificates

            assert folder is not None
            certfile, keyfile, bundle = certificates(folder)
            self.ca_file = str(bundle)
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(str(certfile), str(keyfile))
            if tls == "ssl":
                kwargs["ssl_context"] = context
            else:
                kwargs.update(tls_context=context, require_starttls=True)
        if users is not None:

            def authenticate(server, session, envelope, mechanism, auth_data):
                ok = (
                    isinstance(auth_data, LoginPassword)
                    and users.get(auth_data.login.decode()) == auth_data.password.decode()
                )
                return AuthResult(success=ok, handled=False)

            kwargs.update(authenticator=authenticate, auth_required=True)
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port, **kwargs)

    @property
    def received(self) -> list[Received]:
        return self.handler.received

    def start(self) -> MailServer:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()


class DroppingServer:
    """Accepts a connection and closes it at once, before any greeting."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            conn.close()

    def stop(self) -> None:
        self.sock.close()
