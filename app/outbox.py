"""An outbox for e-mail: every message waits in storage until a mail server took it.

``Outbox(path)`` keeps messages in their own SQLite file (opened through
:func:`app.storage.open_database`: made, migrated and rescued safely, 0600), as
the desktop does. ``Outbox("postgresql://...")`` or ``Outbox(backend)`` (the
server's open :class:`app.mailbox.storage.Backend` with ``--database-url``)
keeps them in PostgreSQL, in tables of their own (``outbox_messages``,
``outbox_attempts``, ``outbox_meta``), so every server process on that database
shares one outbox. Every statement goes through the storage interface
(``rows``/``execute``/``transaction``); psycopg is only loaded for PostgreSQL.
:meth:`Outbox.add` queues a message under a *key*: the same key is never queued
twice, so a caller may add on every run what is due and the outbox sends each
message once. :meth:`Outbox.send_due` hands what is due to an SMTP server
(smtplib; STARTTLS, SSL, or plain on loopback only) and records every attempt
with the server's own reply. :meth:`Outbox.messages` tells what happened.

States (:class:`State`):

* ``waiting``: not sent yet. A server that is down, refuses for now (4xx),
  drops the connection, or refuses our sign-in (a setting to fix) keeps the
  message waiting; it is tried again after a back-off (1 minute, doubling, at
  most 6 hours). Nothing ever drops a waiting message.
* ``sending``: the server said "go ahead" (354) to DATA and the message is on
  its way. Only ever seen while a send runs.
* ``sent``: the server answered 250 to the message. Never sent again.
* ``failed``: the server refused for good (5xx: no such address, not allowed).
  Kept, with the reply, for the person to see; never retried by itself.
* ``unsure``: found ``sending`` after a kill, or the connection dropped after
  the message went out and before the server's answer came.

Never twice, a kill between sending and recording included
------------------------------------------------------------
A mail server delivers a message once it has answered 250 to the end of its
data; until then a dropped connection makes it throw the message away (RFC
5321, 4.1.1.4 and 6.1). So the only moment we cannot know is between handing
over the data and recording the 250. We record ``sending`` (one committed
transaction) after the server's 354 and before the first byte of the message,
and ``sent`` right after its 250. A kill before ``sending`` leaves the message
``waiting``: the server threw away the unfinished transaction, and the next run
sends it. A kill after ``sending`` leaves the row ``sending``; the next
:meth:`send_due` (which holds the outbox's send lock, so no live sender can own
that row) calls it ``unsure`` and does **not** send it again: a second copy is
the worse harm for a message that says "a letter waits for you". The person
sees "Misschien niet verstuurd" and may choose to send it again
(:meth:`resend`); the copy then carries the same ``Message-ID`` (made once, at
:meth:`add`, from the key), so a receiving server or mail program that drops
duplicates drops it. ``tests/watch/test_outbox.py`` kills a real process right
after the server's 250 and finds one message at the server, none sent after.

Two senders at once (the tray watcher and a ``--watch --once`` from cron) take
an OS lock beside the file (filelock; the kernel frees it when a process dies);
the second finds it taken and sends nothing this time. On PostgreSQL each
message is claimed on its own by the sender that hands it over: a session-level
advisory lock (``pg_try_advisory_lock``, keyed by the schema and the message's
key) held from before MAIL FROM until its outcome is written, on the sender's
connection, which PostgreSQL frees when the process dies. Another sender skips
a claimed message and takes the next, so two servers share the work and each
message goes once; a row ``sending`` whose claim is free was left by a dead
sender and becomes ``unsure``. Not a row lock (``SELECT ... FOR UPDATE SKIP
LOCKED``): a row lock ends with its transaction, and ``sending`` must be
committed before the data, in the middle of the claim; a transaction kept open
over the whole SMTP exchange would also hold the store's writer lock
(:mod:`app.mailbox.storage_pg`) from every other writer of the server.

The password is never in the outbox, a file or a log: :func:`load_password`
reads it from the OS keyring (or ``BRIEVENTAFEL_SMTP_PASSWORD``, for tests and
administrators). Logged are only the state and the reply code, never an
address, a subject or a body.
"""

from __future__ import annotations

import contextlib
import enum
import hashlib
import logging
import os
import re
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import format_datetime
from pathlib import Path
from typing import TYPE_CHECKING

from app.storage import Database, Notice

if TYPE_CHECKING:
    from app.mailbox.storage import Backend, Tx

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
SCHEMA = """
CREATE TABLE messages (
    key TEXT PRIMARY KEY,
    message_id TEXT NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    state TEXT NOT NULL,
    created TEXT NOT NULL,
    next_try TEXT NOT NULL,
    tries INTEGER NOT NULL DEFAULT 0,
    sent_at TEXT,
    reason TEXT NOT NULL DEFAULT '',
    reply TEXT NOT NULL DEFAULT ''
);
CREATE INDEX messages_due ON messages (state, next_try);
CREATE TABLE attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL,
    at TEXT NOT NULL,
    state TEXT NOT NULL,
    reason TEXT NOT NULL,
    code INTEGER,
    reply TEXT NOT NULL
);
CREATE INDEX attempts_key ON attempts (key)
"""
TABLES = ("messages", "attempts")
FILE_NAME = "outbox.sqlite3"
PASSWORD_ENV = "BRIEVENTAFEL_SMTP_PASSWORD"
KEYRING_SERVICE = "Brieventafel smtp"
FIRST_WAIT = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=6)
#: the server's reply is kept this long at most (it is shown, not parsed)
REPLY_CHARS = 300
SECURITIES = ("starttls", "ssl", "none")
_ADDRESS = re.compile(r"^[^@\s<>,;:\"]+@[^@\s<>,;:\"]+\.[^@\s<>,;:\"]+$")


class State(enum.StrEnum):
    WAITING = "waiting"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    UNSURE = "unsure"


class Reason(enum.StrEnum):
    """Why an attempt ended as it did (the UI words it)."""

    ACCEPTED = "accepted"  # 250: the server has it
    DOWN = "down"  # no connection (refused, no route, no such host, time-out)
    DROPPED = "dropped"  # the server closed the connection before it answered
    BUSY = "busy"  # 4xx: not now
    REFUSED = "refused"  # 5xx for the recipient or the message: for good
    SIGN_IN = "sign-in"  # the server refused our user name or password
    SENDER_REFUSED = "sender-refused"  # the server will not take mail from our address
    NO_PASSWORD = "no-password"  # a user is set but no password is kept
    SECURITY = "security"  # TLS could not be set up or verified
    NOT_ALLOWED = "not-allowed"  # plain SMTP to a server that is not on loopback
    KILLED = "killed"  # found 'sending' after a kill: maybe sent
    RESEND = "resend"  # the person asked to send it again


class MailAddressProblem(ValueError):
    """An address or header that cannot go into a mail (says which field, not the value)."""


@dataclass(frozen=True)
class MailSettings:
    """Where and how to hand over mail. No password: :func:`load_password`."""

    host: str
    port: int
    security: str = "starttls"  # "starttls", "ssl" or "none" (loopback only)
    user: str = ""
    sender: str = ""
    timeout_s: float = 20.0
    ca_file: str = ""  # a CA of the server's own (tests, a company server)

    @property
    def from_address(self) -> str:
        if self.sender:
            return self.sender
        if "@" in self.user:
            return self.user
        return f"brieventafel@{self.host}"


@dataclass(frozen=True)
class Attempt:
    key: str
    at: datetime
    state: State
    reason: Reason
    code: int | None = None
    reply: str = ""


@dataclass(frozen=True)
class Message:
    key: str
    message_id: str
    to: str
    subject: str
    body: str
    state: State
    created: datetime
    next_try: datetime
    tries: int
    sent_at: datetime | None
    reason: str
    reply: str
    attempts: list[Attempt] = field(default_factory=list)


# -- the password -------------------------------------------------------------------
def _keyring_user(settings: MailSettings) -> str:
    return f"{settings.user}@{settings.host.lower()}:{settings.port}"


def load_password(settings: MailSettings) -> str | None:
    """``BRIEVENTAFEL_SMTP_PASSWORD``, else the keyring's, else None."""
    from_env = os.environ.get(PASSWORD_ENV)
    if from_env:
        return from_env
    try:
        import keyring
        from keyring.errors import KeyringError
    except ImportError:
        return None
    try:
        password = keyring.get_password(KEYRING_SERVICE, _keyring_user(settings))
    except (KeyringError, RuntimeError, OSError):
        return None
    return password or None


def save_password(settings: MailSettings, password: str) -> None:
    """Keep the password in the keyring. :class:`app.secrets.NoKeyring` when it cannot."""
    from app.secrets import NoKeyring

    failed = False
    try:
        import keyring
        from keyring.errors import KeyringError

        try:
            keyring.set_password(KEYRING_SERVICE, _keyring_user(settings), password)
        except (KeyringError, RuntimeError, OSError):
            failed = True
    except ImportError:
        failed = True
    if failed:  # outside the except block: nothing chained can quote the password
        raise NoKeyring("the mail password could not be kept")


# -- helpers ------------------------------------------------------------------------
def is_address(text: str) -> bool:
    return bool(_ADDRESS.match(text or "")) and len(text) <= 254


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        import ipaddress

        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _message_id(key: str) -> str:
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    return f"<{digest}@brieventafel.invalid>"


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _when(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _reply_text(raw: bytes | str) -> str:
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    text = " ".join(text.split())
    return text[:REPLY_CHARS]


def backoff(tries: int) -> timedelta:
    """How long to wait after the ``tries``-th failed try: 1, 2, 4 ... minutes, at most 6 h."""
    wait = FIRST_WAIT * (2 ** max(0, min(tries - 1, 20)))
    return min(wait, LONGEST_WAIT)


class _Outcome(Exception):
    """How one message ended; raised inside a send to leave it."""

    def __init__(self, state: State, reason: Reason, code: int | None = None, reply: str = ""):
        super().__init__(reason.value)
        self.state, self.reason, self.code, self.reply = state, reason, code, reply


def _refusal(code: int, reply: bytes | str) -> _Outcome:
    if 400 <= code < 500:
        return _Outcome(State.WAITING, Reason.BUSY, code, _reply_text(reply))
    return _Outcome(State.FAILED, Reason.REFUSED, code, _reply_text(reply))


def _quoted(data: bytes) -> bytes:
    """The message as DATA carries it: CRLF lines, a leading '.' doubled, '.' to end."""
    data = re.sub(rb"(?:\r\n|\n|\r(?!\n))", b"\r\n", data)
    data = re.sub(rb"(?m)^\.", b"..", data)
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    return data + b".\r\n"


# -- the outbox ---------------------------------------------------------------------
#: Where the outbox's rows live on a shared database (PostgreSQL): tables of its
#: own beside the server's, made when missing; the version in ``outbox_meta``.
PG_TABLES = ("outbox_messages", "outbox_attempts")
PG_SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox_messages (
    rowid BIGINT GENERATED ALWAYS AS IDENTITY,
    key TEXT PRIMARY KEY,
    message_id TEXT NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    state TEXT NOT NULL,
    created TEXT NOT NULL,
    next_try TEXT NOT NULL,
    tries INTEGER NOT NULL DEFAULT 0,
    sent_at TEXT,
    reason TEXT NOT NULL DEFAULT '',
    reply TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS outbox_messages_due ON outbox_messages (state, next_try);
CREATE TABLE IF NOT EXISTS outbox_attempts (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key TEXT NOT NULL,
    at TEXT NOT NULL,
    state TEXT NOT NULL,
    reason TEXT NOT NULL,
    code INTEGER,
    reply TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS outbox_attempts_key ON outbox_attempts (key);
CREATE TABLE IF NOT EXISTS outbox_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)
"""
#: The first key of every claim (PostgreSQL advisory locks, two-key form; the
#: store's writer lock uses the one-key form, a space of its own).
CLAIM_SPACE = 7251210


def _make_pg_tables(backend: Backend) -> None:
    """The outbox's tables on PostgreSQL, made when missing, in one transaction
    (the backend's writers take turns: two servers starting at once are fine)."""
    with backend.transaction() as tx:
        for statement in PG_SCHEMA.split(";"):
            if statement.strip():
                tx.execute(statement)
        tx.execute(
            "INSERT INTO outbox_meta VALUES ('schema_version', ?) ON CONFLICT DO NOTHING",
            (str(SCHEMA_VERSION),),
        )
        found = tx.rows("SELECT value FROM outbox_meta WHERE key = 'schema_version'")
    if int(found[0]["value"]) > SCHEMA_VERSION:
        raise RuntimeError("the outbox in this database is of a newer version")


class Outbox:
    """Messages to send: in ``where``, an SQLite file of their own (a path), or a
    PostgreSQL database (a ``postgresql://`` URL, or the server's open
    :class:`~app.mailbox.storage.Backend`, borrowed: :meth:`close` leaves it open)."""

    def __init__(
        self,
        where: Path | str | Backend,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ):
        from app.mailbox.storage import SqliteBackend, is_database_url, open_postgres

        self._clock = clock
        self.path: Path | None = None
        self.db: Database  # the SQLite file's (not on PostgreSQL)
        self._owned = True
        if is_database_url(where):
            backend = open_postgres(str(where))
        elif isinstance(where, str | os.PathLike):
            self.path = Path(where)
            sqlite = SqliteBackend(
                self.path,
                store="outbox",
                schema=SCHEMA,
                version=SCHEMA_VERSION,
                salvage_tables=TABLES,
            )
            self.db = sqlite.db
            backend = sqlite
        else:
            backend, self._owned = where, False
            if backend.kind != "postgresql":  # an SQLite outbox is a file of its own
                raise TypeError("an outbox on SQLite is opened by its path")
        self.backend: Backend = backend
        self.notices: list[Notice] = list(backend.notices)
        self._m, self._a = TABLES
        self._scope = ""
        if backend.kind == "postgresql":
            self._m, self._a = PG_TABLES
            try:
                _make_pg_tables(backend)
                # claims are per database; the schema keeps two outboxes in one apart
                self._scope = str(backend.rows("SELECT current_schema() AS s")[0]["s"])
            except BaseException:
                if self._owned:
                    backend.close()
                raise

    def close(self) -> None:
        if self._owned:
            self.backend.close()

    # -- queueing -----------------------------------------------------------------
    def add(self, key: str, to: str, subject: str, body: str) -> bool:
        """Queue a message; False when this key was queued before (whatever its state).

        :class:`MailAddressProblem` for an address that is none, or a subject
        with a line break (a header cannot hold one).
        """
        if not is_address(to):
            raise MailAddressProblem("to")
        if "\n" in subject or "\r" in subject:
            raise MailAddressProblem("subject")
        now = _iso(self._clock())
        with self.backend.transaction() as c:
            added = c.execute(
                f"INSERT OR IGNORE INTO {self._m}"
                " (key, message_id, recipient, subject, body, state, created, next_try)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (key, _message_id(key), to, subject, body, State.WAITING.value, now, now),
            )
            return added == 1

    def resend(self, key: str) -> bool:
        """The person's choice: send an unsure or failed message again (same Message-ID)."""
        now = self._clock()
        with self.backend.transaction() as c:
            changed = c.execute(
                f"UPDATE {self._m} SET state = ?, next_try = ?, reason = ? WHERE key = ?"
                " AND state IN (?, ?)",
                (
                    State.WAITING.value,
                    _iso(now),
                    Reason.RESEND.value,
                    key,
                    State.UNSURE.value,
                    State.FAILED.value,
                ),
            )
            if changed:
                self._attempt(c, key, now, State.WAITING, Reason.RESEND, None, "")
            return changed == 1

    # -- reading ------------------------------------------------------------------
    def messages(self) -> list[Message]:
        """Every message, oldest first, each with its attempts."""
        attempts: dict[str, list[Attempt]] = {}
        for r in self.backend.rows(f"SELECT * FROM {self._a} ORDER BY id"):
            attempts.setdefault(r["key"], []).append(
                Attempt(
                    r["key"],
                    datetime.fromisoformat(r["at"]),
                    State(r["state"]),
                    Reason(r["reason"]),
                    r["code"],
                    r["reply"],
                )
            )
        return [
            Message(
                key=r["key"],
                message_id=r["message_id"],
                to=r["recipient"],
                subject=r["subject"],
                body=r["body"],
                state=State(r["state"]),
                created=datetime.fromisoformat(r["created"]),
                next_try=datetime.fromisoformat(r["next_try"]),
                tries=r["tries"],
                sent_at=_when(r["sent_at"]),
                reason=r["reason"],
                reply=r["reply"],
                attempts=attempts.get(r["key"], []),
            )
            for r in self.backend.rows(f"SELECT * FROM {self._m} ORDER BY created, rowid")
        ]

    def message(self, key: str) -> Message | None:
        for message in self.messages():
            if message.key == key:
                return message
        return None

    # -- sending ------------------------------------------------------------------
    def send_due(self, settings: MailSettings) -> list[Attempt]:
        """Try every waiting message whose time has come; returns this run's attempts.

        Never raises for what a mail server does: each outcome is an attempt.
        SQLite: returns [] when another process is sending from this outbox
        right now. PostgreSQL: each message is claimed on its own, so two
        senders share the work; one claimed by another live sender is left to it.
        """
        if self.backend.kind == "postgresql":
            attempts = self._settle_killed()
            due = self._due()
            return attempts + (self._send(settings, due) if due else [])
        from filelock import FileLock, Timeout

        lock = FileLock(str(self.path) + ".send-lock", timeout=0, mode=0o600)
        try:
            lock.acquire()
        except Timeout:
            return []
        try:
            attempts = self._settle_killed()
            due = self._due()
            if due:
                attempts += self._send(settings, due)
            return attempts
        finally:
            lock.release()

    # -- claims (PostgreSQL) ------------------------------------------------------
    def _claim_id(self, key: str) -> int:
        digest = hashlib.sha256(f"{self._scope}\0{key}".encode()).digest()
        return int.from_bytes(digest[:4], "big", signed=True)

    def _claim(self, key: str) -> bool:
        """Take this message for this sender: a session advisory lock on this
        thread's connection, which PostgreSQL frees when the process dies (as
        the kernel frees the SQLite outbox's lock file). SQLite: the send lock
        already holds the whole outbox."""
        if self.backend.kind != "postgresql":
            return True
        found = self.backend.rows(
            "SELECT pg_try_advisory_lock(CAST(? AS INTEGER), CAST(? AS INTEGER)) AS got",
            (CLAIM_SPACE, self._claim_id(key)),
        )
        return bool(found[0]["got"])

    def _unclaim(self, key: str) -> None:
        if self.backend.kind != "postgresql":
            return
        with contextlib.suppress(*self.backend.errors):  # a lost connection freed it
            self.backend.rows(
                "SELECT pg_advisory_unlock(CAST(? AS INTEGER), CAST(? AS INTEGER)) AS done",
                (CLAIM_SPACE, self._claim_id(key)),
            )

    def _state(self, key: str) -> tuple[State, datetime] | None:
        found = self.backend.rows(f"SELECT state, next_try FROM {self._m} WHERE key = ?", (key,))
        if not found:
            return None
        return State(found[0]["state"]), datetime.fromisoformat(found[0]["next_try"])

    def _settle_killed(self) -> list[Attempt]:
        """Rows left 'sending' by a process that died: maybe sent, never sent again.
        (SQLite: the send lock says no live sender owns one; PostgreSQL: the
        message's claim is free, so its sender is gone.)"""
        now = self._clock()
        found = []
        keys = [
            r["key"]
            for r in self.backend.rows(
                f"SELECT key FROM {self._m} WHERE state = ?", (State.SENDING.value,)
            )
        ]
        for key in keys:
            if not self._claim(key):
                continue  # a live sender has it in hand
            try:
                with self.backend.transaction() as c:
                    still = c.rows(f"SELECT state FROM {self._m} WHERE key = ?", (key,))
                    if still[0]["state"] != State.SENDING.value:
                        continue  # its sender finished just now
                    self._finish(c, key, now, _Outcome(State.UNSURE, Reason.KILLED))
                found.append(Attempt(key, now, State.UNSURE, Reason.KILLED))
            finally:
                self._unclaim(key)
        return found

    def _due(self) -> list[str]:
        now = self._clock()
        return [
            r["key"]
            for r in self.backend.rows(
                f"SELECT key, next_try FROM {self._m} WHERE state = ? ORDER BY created, rowid",
                (State.WAITING.value,),
            )
            if datetime.fromisoformat(r["next_try"]) <= now
        ]

    def _connect(self, settings: MailSettings) -> smtplib.SMTP:
        if settings.security not in SECURITIES:
            raise _Outcome(State.WAITING, Reason.SECURITY)
        if settings.security == "none" and not is_loopback(settings.host):
            raise _Outcome(State.WAITING, Reason.NOT_ALLOWED)
        context = ssl.create_default_context(cafile=settings.ca_file or None)
        password = load_password(settings) if settings.user else None
        if settings.user and not password:
            raise _Outcome(State.WAITING, Reason.NO_PASSWORD)
        smtp: smtplib.SMTP | None = None
        try:
            if settings.security == "ssl":
                smtp = smtplib.SMTP_SSL(
                    settings.host, settings.port, timeout=settings.timeout_s, context=context
                )
            else:
                smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout_s)
            smtp.ehlo()
            if settings.security == "starttls":
                if not smtp.has_extn("starttls"):
                    raise _Outcome(State.WAITING, Reason.SECURITY)
                smtp.starttls(context=context)
                smtp.ehlo()
            if settings.user:
                assert password is not None
                try:
                    smtp.login(settings.user, password)
                except smtplib.SMTPAuthenticationError as error:
                    reply = _reply_text(error.smtp_error)
                    raise _Outcome(State.WAITING, Reason.SIGN_IN, error.smtp_code, reply) from None
                except smtplib.SMTPNotSupportedError:
                    raise _Outcome(State.WAITING, Reason.SIGN_IN) from None
            return smtp
        except BaseException:
            if smtp is not None:
                _close(smtp)
            raise

    def _send(self, settings: MailSettings, keys: list[str]) -> list[Attempt]:
        attempts: list[Attempt] = []
        smtp: smtplib.SMTP | None = None
        for key in keys:
            if not self._claim(key):
                continue  # another sender has it (PostgreSQL)
            try:
                attempt, smtp = self._send_claimed(settings, key, smtp)
            finally:
                self._unclaim(key)
            if attempt is not None:
                attempts.append(attempt)
        if smtp is not None:
            _close(smtp, quit_first=True)
        return attempts

    def _send_claimed(
        self, settings: MailSettings, key: str, smtp: smtplib.SMTP | None
    ) -> tuple[Attempt | None, smtplib.SMTP | None]:
        """One message this sender holds; the attempt (None: not due any more,
        another sender was quicker) and the connection to go on with."""
        if self.backend.kind == "postgresql":
            now = self._clock()
            found = self._state(key)
            if found is None or found[0] is not State.WAITING or found[1] > now:
                return None, smtp
        try:
            if smtp is None:
                smtp = self._connect(settings)
            outcome = self._send_one(smtp, settings, key)
        except _Outcome as given:
            outcome = given
        except ssl.SSLError:
            outcome = _Outcome(State.WAITING, Reason.SECURITY)
        except smtplib.SMTPServerDisconnected:
            outcome = _Outcome(State.WAITING, Reason.DROPPED)
        except smtplib.SMTPResponseException as error:
            outcome = _refusal(error.smtp_code, error.smtp_error)
            if outcome.state is State.FAILED:  # refused at hello: not this message's fault
                outcome = _Outcome(State.WAITING, Reason.BUSY, outcome.code, outcome.reply)
        except (OSError, smtplib.SMTPException):
            outcome = _Outcome(State.WAITING, Reason.DOWN)
        if outcome.state is State.UNSURE or outcome.reason in (
            Reason.DOWN,
            Reason.DROPPED,
            Reason.SECURITY,
            Reason.SIGN_IN,
        ):
            if smtp is not None:  # the connection is no good any more
                _close(smtp)
            smtp = None
        now = self._clock()
        with self.backend.transaction() as c:
            self._finish(c, key, now, outcome)
        log.info("outbox: %s (%s %s)", outcome.state.value, outcome.reason.value, outcome.code)
        attempt = Attempt(key, now, outcome.state, outcome.reason, outcome.code, outcome.reply)
        return attempt, smtp

    def _send_one(self, smtp: smtplib.SMTP, settings: MailSettings, key: str) -> _Outcome:
        row = self.backend.rows(f"SELECT * FROM {self._m} WHERE key = ?", (key,))[0]
        mail = EmailMessage(policy=SMTP_POLICY)
        mail["From"] = settings.from_address
        mail["To"] = row["recipient"]
        mail["Subject"] = row["subject"]
        mail["Date"] = format_datetime(self._clock())
        mail["Message-ID"] = row["message_id"]
        mail["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies, please
        mail.set_content(row["body"])
        data = mail.as_bytes()

        code, reply = smtp.mail(settings.from_address)
        if code != 250:  # our own address: a setting to fix, so the message waits
            smtp.rset()
            refused = _refusal(code, reply)
            if refused.state is State.FAILED:
                refused = _Outcome(State.WAITING, Reason.SENDER_REFUSED, code, refused.reply)
            raise refused
        code, reply = smtp.rcpt(row["recipient"])
        if code not in (250, 251):
            smtp.rset()
            raise _refusal(code, reply)
        code, reply = smtp.docmd("DATA")
        if code != 354:
            smtp.rset()
            raise _refusal(code, reply)
        with self.backend.transaction() as c:  # from here on the server may deliver it
            c.execute(f"UPDATE {self._m} SET state = ? WHERE key = ?", (State.SENDING.value, key))
        try:
            smtp.send(_quoted(data))
            code, reply = smtp.getreply()
        except (OSError, smtplib.SMTPServerDisconnected):
            return _Outcome(State.UNSURE, Reason.DROPPED)
        if code == 250:
            return _Outcome(State.SENT, Reason.ACCEPTED, code, _reply_text(reply))
        return _refusal(code, reply)  # refused: the server did not take it

    def _finish(self, c: Tx, key: str, now: datetime, outcome: _Outcome) -> None:
        tries = c.rows(f"SELECT tries FROM {self._m} WHERE key = ?", (key,))[0]["tries"] + 1
        c.execute(
            f"UPDATE {self._m} SET state = ?, tries = ?, next_try = ?, reason = ?, reply = ?,"
            " sent_at = CASE WHEN ? THEN ? ELSE sent_at END WHERE key = ?",
            (
                outcome.state.value,
                tries,
                _iso(now + backoff(tries)),
                outcome.reason.value,
                outcome.reply,
                outcome.state is State.SENT,
                _iso(now),
                key,
            ),
        )
        self._attempt(c, key, now, outcome.state, outcome.reason, outcome.code, outcome.reply)

    def _attempt(self, c: Tx, key, now, state: State, reason: Reason, code, reply: str) -> None:
        c.execute(
            f"INSERT INTO {self._a} (key, at, state, reason, code, reply)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (key, _iso(now), state.value, reason.value, code, reply),
        )


def _close(smtp: smtplib.SMTP, *, quit_first: bool = False) -> None:
    if quit_first:
        try:
            smtp.quit()
            return
        except (OSError, smtplib.SMTPException):
            pass
    with contextlib.suppress(OSError):
        smtp.close()


__all__ = [
    "Attempt",
    "MailAddressProblem",
    "MailSettings",
    "Message",
    "Outbox",
    "Reason",
    "State",
    "backoff",
    "is_address",
    "load_password",
    "save_password",
]
