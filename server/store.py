"""What the server keeps beside the practice box: logins, tokens, organisations'
keys, folders (FBS ``map``), events, paper deliveries and attachment bytes.

One store, two places to keep it, behind the same small interface the practice
box's rules use (:class:`app.mailbox.storage.Backend`):
- SQLite (the default): its own file, ``server.sqlite`` in the data folder, opened
  the same safe way as every store of the app (:func:`app.storage.open_database`);
- PostgreSQL (``--database-url postgresql://...``): for a library network or an
  office that outgrows one machine.

Every statement is written once, in SQL both understand (``INSERT ... ON CONFLICT``,
``?`` placeholders, which the PostgreSQL backend turns into ``%s``). No rule lives
here: which letter may be delivered is the practice box's decision.

Secrets are never stored as they are: a bearer token as its SHA-256, an
organisation's key as its SHA-256 (both are 256 random bits), a PIN with
PBKDF2 and a salt (a PIN is short).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from app.mailbox.storage import Backend, SqliteBackend, is_database_url, open_postgres

SCHEMA_VERSION = 2
_SCHEMA = """
CREATE TABLE {exists}tokens (
    hash TEXT PRIMARY KEY,
    person_id TEXT NOT NULL,
    created TEXT NOT NULL,
    expires TEXT NOT NULL,
    revoked INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE {exists}pins (person_id TEXT PRIMARY KEY, salt TEXT NOT NULL, hash TEXT NOT NULL);
CREATE TABLE {exists}afnemers (
    oin TEXT PRIMARY KEY, org_id TEXT NOT NULL UNIQUE, key_hash TEXT NOT NULL
);
CREATE TABLE {exists}maps (letter_id TEXT PRIMARY KEY, map TEXT NOT NULL);
CREATE TABLE {exists}events (
    source TEXT NOT NULL,
    id TEXT NOT NULL,
    bericht_id TEXT NOT NULL,
    outcome TEXT NOT NULL,
    received TEXT NOT NULL,
    PRIMARY KEY (source, id)
);
CREATE TABLE {exists}paper (
    bericht_id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL,
    org_id TEXT NOT NULL,
    day TEXT NOT NULL
);
CREATE TABLE {exists}bijlagen (
    bijlage_id TEXT PRIMARY KEY,
    letter_id TEXT NOT NULL,
    media_type TEXT NOT NULL,
    content {blob} NOT NULL
);
{operator}
"""
#: Version 2 (issue 17, the operator's side): visits, each letter's notification
#: state, people to reach another way, the paper contact letters and what each
#: covered, the organisations' webhooks and the outbox of their events.
_OPERATOR = """
CREATE TABLE {exists}visits (person_id TEXT PRIMARY KEY, day TEXT NOT NULL);
CREATE TABLE {exists}notifications (
    bericht_id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL,
    org_id TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    detail TEXT NOT NULL DEFAULT '',
    updated TEXT NOT NULL
);
CREATE TABLE {exists}contact_marks (
    person_id TEXT PRIMARY KEY, reason TEXT NOT NULL, since TEXT NOT NULL
);
CREATE TABLE {exists}contacts (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL,
    day TEXT NOT NULL,
    reasons TEXT NOT NULL,
    letter TEXT NOT NULL
);
CREATE TABLE {exists}contact_items (
    person_id TEXT NOT NULL,
    item TEXT NOT NULL,
    contact_id TEXT NOT NULL,
    day TEXT NOT NULL,
    PRIMARY KEY (person_id, item)
);
CREATE TABLE {exists}webhooks (org_id TEXT PRIMARY KEY, url TEXT NOT NULL, secret TEXT NOT NULL);
CREATE TABLE {exists}webhook_outbox (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL,
    bericht_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_at TEXT NOT NULL,
    last_status TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL
)
"""
_OPERATOR_SQLITE = _OPERATOR.format(exists="")
#: The SQLite schema (its version is kept by open_database).
SCHEMA = _SCHEMA.format(exists="", blob="BLOB", operator=_OPERATOR_SQLITE)
#: The PostgreSQL schema: made when missing, its version in ``server_meta``.
PG_SCHEMA = _SCHEMA.format(
    exists="IF NOT EXISTS ", blob="BYTEA", operator=_OPERATOR.format(exists="IF NOT EXISTS ")
) + (";\nCREATE TABLE IF NOT EXISTS server_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
TABLES = ("tokens", "pins", "afnemers", "maps", "events", "paper", "bijlagen") + (
    "visits",
    "notifications",
    "contact_marks",
    "contacts",
    "contact_items",
    "webhooks",
    "webhook_outbox",
)


def _add_operator_tables(conn: sqlite3.Connection) -> None:
    """Version 1 had none of the operator's tables (issue 17)."""
    for statement in _OPERATOR_SQLITE.split(";"):
        if statement.strip():
            conn.execute(statement)


#: How long a token from a login holds.
TOKEN_HOURS = 12
PIN_ROUNDS = 100_000
DEFAULT_MAP = "postvak"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _pin_hash(pin: str, salt: str) -> str:
    return hashlib.pbkdf2_hmac("sha256", pin.encode("utf-8"), bytes.fromhex(salt), PIN_ROUNDS).hex()


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Afnemer:
    oin: str
    org_id: str


def open_backend(where: Path | str) -> Backend:
    """A ``postgresql://`` (or ``postgres://``) URL, or the path of a SQLite file
    (``server.sqlite``, opened the safe way every store of the app is opened)."""
    if is_database_url(where):
        return open_postgres(str(where))
    return SqliteBackend(
        Path(where),
        store="server",
        schema=SCHEMA,
        version=SCHEMA_VERSION,
        migrations={1: _add_operator_tables},
        salvage_tables=TABLES,
    )


def _make_pg_tables(backend: Backend) -> None:
    """The server's tables on PostgreSQL, made when missing (one transaction:
    two servers starting at once take turns)."""
    with backend.transaction() as tx:
        for statement in PG_SCHEMA.split(";"):
            if statement.strip():
                tx.execute(statement)
        tx.execute(
            "INSERT INTO server_meta VALUES ('schema_version', ?) ON CONFLICT DO NOTHING",
            (str(SCHEMA_VERSION),),
        )
        tx.execute(  # version 1 had no operator's tables; made above, if missing
            "UPDATE server_meta SET value = ? WHERE key = 'schema_version'"
            " AND CAST(value AS INTEGER) < ?",
            (str(SCHEMA_VERSION), SCHEMA_VERSION),
        )
        found = tx.rows("SELECT value FROM server_meta WHERE key = 'schema_version'")
    if int(found[0]["value"]) > SCHEMA_VERSION:
        raise RuntimeError("the PostgreSQL store is of a newer version of the server")


class ServerStore:
    """The server's own tables, over either backend (see :func:`open_backend`).
    A backend given open (the one the practice box uses too, on PostgreSQL) is
    closed by :meth:`close` as well."""

    def __init__(self, where: Path | str | Backend):
        self.backend: Backend = open_backend(where) if isinstance(where, str | Path) else where
        if self.backend.kind == "postgresql":
            try:
                _make_pg_tables(self.backend)
            except BaseException:
                self.backend.close()
                raise
        self.notices = getattr(self.backend, "notices", [])

    @property
    def kind(self) -> str:
        return self.backend.kind

    def _one(self, sql: str, params: Sequence[Any] = ()) -> Mapping[str, Any] | None:
        found = self.backend.rows(sql, params)
        return found[0] if found else None

    def close(self) -> None:
        self.backend.close()

    # -- tokens ------------------------------------------------------------------
    def new_token(self, person_id: str, hours: float = TOKEN_HOURS) -> tuple[str, datetime]:
        """A fresh bearer token for ``person_id``; only its hash is kept."""
        token = secrets.token_urlsafe(32)
        now = _now()
        expires = now + timedelta(hours=hours)
        with self.backend.transaction() as tx:
            tx.execute(
                "INSERT INTO tokens (hash, person_id, created, expires) VALUES (?, ?, ?, ?)",
                (token_hash(token), person_id, now.isoformat(), expires.isoformat()),
            )
        return token, expires

    def token_person(self, token: str) -> str | None:
        """Whose token this is, or None: unknown, expired or revoked."""
        row = self._one(
            "SELECT person_id, expires, revoked FROM tokens WHERE hash = ?", (token_hash(token),)
        )
        if row is None or row["revoked"]:
            return None
        if datetime.fromisoformat(row["expires"]) <= _now():
            return None
        return row["person_id"]

    def revoke(self, token: str) -> None:
        with self.backend.transaction() as tx:
            tx.execute("UPDATE tokens SET revoked = 1 WHERE hash = ?", (token_hash(token),))

    # -- PINs (practice login) -----------------------------------------------------
    def set_pin(self, person_id: str, pin: str) -> None:
        salt = secrets.token_hex(16)
        with self.backend.transaction() as tx:
            tx.execute(
                "INSERT INTO pins VALUES (?, ?, ?) ON CONFLICT (person_id) DO UPDATE"
                " SET salt = excluded.salt, hash = excluded.hash",
                (person_id, salt, _pin_hash(pin, salt)),
            )

    def has_pin(self, person_id: str) -> bool:
        return self._one("SELECT 1 AS one FROM pins WHERE person_id = ?", (person_id,)) is not None

    def check_pin(self, person_id: str, pin: str) -> bool:
        row = self._one("SELECT salt, hash FROM pins WHERE person_id = ?", (person_id,))
        if row is None:
            _pin_hash(pin, "00" * 16)  # the same time for an unknown person
            return False
        return hmac.compare_digest(_pin_hash(pin, row["salt"]), row["hash"])

    # -- organisations that deliver (afnemers) -------------------------------------
    def add_afnemer(self, oin: str, org_id: str) -> str | None:
        """Register an organisation with a fresh key, returned once; None when
        it is registered already (its key stays)."""
        key = secrets.token_urlsafe(32)
        with self.backend.transaction() as tx:
            added = tx.execute(
                "INSERT INTO afnemers VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                (oin, org_id, token_hash(key)),
            )
        return key if added else None

    def afnemer(self, oin: str, key: str) -> Afnemer | None:
        row = self._one("SELECT oin, org_id, key_hash FROM afnemers WHERE oin = ?", (oin,))
        if row is None or not hmac.compare_digest(token_hash(key), row["key_hash"]):
            return None
        return Afnemer(row["oin"], row["org_id"])

    def oins(self) -> dict[str, str]:
        """org_id -> OIN of every registered organisation."""
        return {
            r["org_id"]: r["oin"] for r in self.backend.rows("SELECT oin, org_id FROM afnemers")
        }

    # -- folders (FBS map) -----------------------------------------------------------
    def maps(self, letter_ids: list[str]) -> dict[str, str]:
        if not letter_ids:
            return {}
        marks = ",".join("?" * len(letter_ids))
        return {
            r["letter_id"]: r["map"]
            for r in self.backend.rows(
                f"SELECT letter_id, map FROM maps WHERE letter_id IN ({marks})", letter_ids
            )
        }

    def set_map(self, letter_id: str, name: str) -> None:
        with self.backend.transaction() as tx:
            tx.execute(
                "INSERT INTO maps VALUES (?, ?) ON CONFLICT (letter_id) DO UPDATE"
                " SET map = excluded.map",
                (letter_id, name),
            )

    def forget_letter(self, letter_id: str) -> None:
        with self.backend.transaction() as tx:
            tx.execute("DELETE FROM maps WHERE letter_id = ?", (letter_id,))
            tx.execute("DELETE FROM bijlagen WHERE letter_id = ?", (letter_id,))

    # -- events (aanmeldingen) ---------------------------------------------------------
    def event_outcome(self, source: str, event_id: str) -> str | None:
        row = self._one(
            "SELECT outcome FROM events WHERE source = ? AND id = ?", (source, event_id)
        )
        return None if row is None else row["outcome"]

    def record_event(self, source: str, event_id: str, bericht_id: str, outcome: str) -> None:
        with self.backend.transaction() as tx:
            tx.execute(
                "INSERT INTO events VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (source, event_id, bericht_id, outcome, _now().isoformat()),
            )

    def record_paper(self, bericht_id: str, person_id: str, org_id: str) -> None:
        """The letter goes on paper: the organisation sends it by post."""
        with self.backend.transaction() as tx:
            tx.execute(
                "INSERT INTO paper VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (bericht_id, person_id, org_id, _now().date().isoformat()),
            )

    def paper(self, bericht_id: str) -> tuple[str, str] | None:
        """(person_id, org_id) of a letter that went on paper, or None."""
        row = self._one("SELECT person_id, org_id FROM paper WHERE bericht_id = ?", (bericht_id,))
        return None if row is None else (row["person_id"], row["org_id"])

    # -- attachment bytes --------------------------------------------------------------
    def put_bijlage(self, bijlage_id: str, letter_id: str, media_type: str, content: bytes) -> None:
        with self.backend.transaction() as tx:
            tx.execute(
                "INSERT INTO bijlagen VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (bijlage_id, letter_id, media_type, content),
            )

    def bijlage(self, bijlage_id: str, letter_id: str) -> bytes | None:
        row = self._one(
            "SELECT content FROM bijlagen WHERE bijlage_id = ? AND letter_id = ?",
            (bijlage_id, letter_id),
        )
        return None if row is None else bytes(row["content"])

    # -- the operator's side (issue 17, docs/operator.md) ---------------------------
    def record_visit(self, person_id: str, day: date | None = None) -> None:
        """The person signed in or asked for their list on ``day`` (today)."""
        when = (day or _now().date()).isoformat()
        with self.backend.transaction() as tx:
            tx.execute(
                "INSERT INTO visits VALUES (?, ?) ON CONFLICT (person_id) DO UPDATE"
                " SET day = excluded.day WHERE excluded.day > visits.day",
                (person_id, when),
            )

    def visits(self) -> dict[str, date]:
        """person_id -> the last day of a visit."""
        return {
            r["person_id"]: date.fromisoformat(r["day"])
            for r in self.backend.rows("SELECT person_id, day FROM visits")
        }

    def set_notification(
        self,
        bericht_id: str,
        person_id: str,
        org_id: str,
        state: str,
        *,
        attempts: int = 0,
        detail: str = "",
    ) -> None:
        """Where the e-mail notification of one letter stands: ``pending``,
        ``delivered``, ``deferred``, ``bounced`` (refused for good), ``failed``
        (gave up after the retries) or ``no-address``."""
        with self.backend.transaction() as tx:
            tx.execute(
                "INSERT INTO notifications VALUES (?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (bericht_id) DO UPDATE SET state = excluded.state,"
                " attempts = excluded.attempts, detail = excluded.detail,"
                " updated = excluded.updated",
                (bericht_id, person_id, org_id, state, attempts, detail, _now().isoformat()),
            )

    def notifications(self) -> list[Mapping[str, Any]]:
        return self.backend.rows(
            "SELECT bericht_id, person_id, org_id, state, attempts, detail, updated"
            " FROM notifications ORDER BY bericht_id"
        )

    def mark_contact(self, person_id: str, reason: str) -> None:
        """Reach this person another way (``no-address``, ``bounced``); the first
        reason and day stay."""
        with self.backend.transaction() as tx:
            tx.execute(
                "INSERT INTO contact_marks VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                (person_id, reason, _now().date().isoformat()),
            )

    def unmark_contact(self, person_id: str) -> None:
        with self.backend.transaction() as tx:
            tx.execute("DELETE FROM contact_marks WHERE person_id = ?", (person_id,))

    def contact_marks(self) -> dict[str, str]:
        return {
            r["person_id"]: r["reason"]
            for r in self.backend.rows("SELECT person_id, reason FROM contact_marks")
        }

    def covered(self) -> set[tuple[str, str]]:
        """(person_id, item) of everything a paper contact letter told already."""
        return {
            (r["person_id"], r["item"])
            for r in self.backend.rows("SELECT person_id, item FROM contact_items")
        }

    def add_contact(
        self,
        contact_id: str,
        person_id: str,
        day: date,
        reasons: list[str],
        letter: dict,
        items: list[str],
    ) -> bool:
        """Record one paper contact letter and what it covers, all or nothing;
        False (nothing recorded) when any item was covered already (a round
        that ran at the same time): never twice for the same letter."""
        with self.backend.transaction() as tx:
            marks = ",".join("?" * len(items))
            if items and tx.rows(
                f"SELECT 1 AS one FROM contact_items WHERE person_id = ? AND item IN ({marks})",
                [person_id, *items],
            ):
                return False
            tx.execute(
                "INSERT INTO contacts VALUES (?, ?, ?, ?, ?)",
                (
                    contact_id,
                    person_id,
                    day.isoformat(),
                    json.dumps(reasons),
                    json.dumps(letter, ensure_ascii=False),
                ),
            )
            for item in items:
                tx.execute(
                    "INSERT INTO contact_items VALUES (?, ?, ?, ?)",
                    (person_id, item, contact_id, day.isoformat()),
                )
        return True

    def contacts(self, day: date | None = None) -> list[dict[str, Any]]:
        """The paper contact letters (of ``day``), in the order they were made."""
        sql = "SELECT id, person_id, day, reasons, letter FROM contacts"
        params: list[Any] = []
        if day is not None:
            sql += " WHERE day = ?"
            params.append(day.isoformat())
        rows = self.backend.rows(sql + " ORDER BY day, id", params)
        return [
            {
                "id": r["id"],
                "person_id": r["person_id"],
                "day": date.fromisoformat(r["day"]),
                "reasons": json.loads(r["reasons"]),
                "letter": json.loads(r["letter"]),
            }
            for r in rows
        ]

    def set_webhook(self, org_id: str, url: str) -> str:
        """The organisation's webhook; returns the new signing secret (kept as it
        is: the server must sign with it)."""
        secret = secrets.token_urlsafe(32)
        with self.backend.transaction() as tx:
            tx.execute(
                "INSERT INTO webhooks VALUES (?, ?, ?) ON CONFLICT (org_id) DO UPDATE"
                " SET url = excluded.url, secret = excluded.secret",
                (org_id, url, secret),
            )
        return secret

    def webhooks(self) -> dict[str, tuple[str, str]]:
        """org_id -> (url, secret)."""
        return {
            r["org_id"]: (r["url"], r["secret"])
            for r in self.backend.rows("SELECT org_id, url, secret FROM webhooks")
        }

    def queue_event(
        self,
        event_id: str,
        org_id: str,
        bericht_id: str,
        kind: str,
        body: str,
        at: datetime,
        state: str = "pending",
    ) -> bool:
        """Put one event in the outbox (``no-webhook``: kept, never sent); False
        when it is there already."""
        with self.backend.transaction() as tx:
            added = tx.execute(
                "INSERT INTO webhook_outbox (id, org_id, bericht_id, kind, body, state,"
                " next_at, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT DO NOTHING",
                (event_id, org_id, bericht_id, kind, body, state, at.isoformat(), at.isoformat()),
            )
        return bool(added)

    def due_events(self, at: datetime) -> list[Mapping[str, Any]]:
        return self.backend.rows(
            "SELECT id, org_id, bericht_id, kind, body, attempts FROM webhook_outbox"
            " WHERE state = 'pending' AND next_at <= ? ORDER BY created, id",
            (at.isoformat(),),
        )

    def event_tried(
        self, event_id: str, state: str, attempts: int, next_at: datetime, status: str
    ) -> None:
        with self.backend.transaction() as tx:
            tx.execute(
                "UPDATE webhook_outbox SET state = ?, attempts = ?, next_at = ?,"
                " last_status = ? WHERE id = ?",
                (state, attempts, next_at.isoformat(), status, event_id),
            )

    def events_out(self) -> list[Mapping[str, Any]]:
        return self.backend.rows(
            "SELECT id, org_id, bericht_id, kind, state, attempts, last_status"
            " FROM webhook_outbox ORDER BY created, id"
        )
