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
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from app.mailbox.storage import Backend, SqliteBackend, is_database_url, open_postgres

SCHEMA_VERSION = 1
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
)
"""
#: The SQLite schema (its version is kept by open_database).
SCHEMA = _SCHEMA.format(exists="", blob="BLOB")
#: The PostgreSQL schema: made when missing, its version in ``server_meta``.
PG_SCHEMA = _SCHEMA.format(exists="IF NOT EXISTS ", blob="BYTEA") + (
    ";\nCREATE TABLE IF NOT EXISTS server_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
)
TABLES = ("tokens", "pins", "afnemers", "maps", "events", "paper", "bijlagen")
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
        Path(where), store="server", schema=SCHEMA, version=SCHEMA_VERSION, salvage_tables=TABLES
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
