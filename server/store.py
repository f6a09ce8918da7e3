"""What the server keeps beside the practice box: logins, tokens, organisations'
keys, folders (FBS ``map``), events, paper deliveries and attachment bytes.

Its own SQLite file (``server.sqlite`` in the data folder), opened the same safe
way as every store of the app (:func:`app.storage.open_database`). No rule lives
here: which letter may be delivered is the practice box's decision.

Secrets are never stored as they are: a bearer token as its SHA-256, an
organisation's key as its SHA-256 (both are 256 random bits), a PIN with
PBKDF2 and a salt (a PIN is short).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from app.storage import open_database, transaction

SCHEMA_VERSION = 1
SCHEMA = """
CREATE TABLE tokens (
    hash TEXT PRIMARY KEY,
    person_id TEXT NOT NULL,
    created TEXT NOT NULL,
    expires TEXT NOT NULL,
    revoked INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE pins (person_id TEXT PRIMARY KEY, salt TEXT NOT NULL, hash TEXT NOT NULL);
CREATE TABLE afnemers (oin TEXT PRIMARY KEY, org_id TEXT NOT NULL UNIQUE, key_hash TEXT NOT NULL);
CREATE TABLE maps (letter_id TEXT PRIMARY KEY, map TEXT NOT NULL);
CREATE TABLE events (
    source TEXT NOT NULL,
    id TEXT NOT NULL,
    bericht_id TEXT NOT NULL,
    outcome TEXT NOT NULL,
    received TEXT NOT NULL,
    PRIMARY KEY (source, id)
);
CREATE TABLE paper (
    bericht_id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL,
    org_id TEXT NOT NULL,
    day TEXT NOT NULL
);
CREATE TABLE bijlagen (
    bijlage_id TEXT PRIMARY KEY,
    letter_id TEXT NOT NULL,
    media_type TEXT NOT NULL,
    content BLOB NOT NULL
)
"""
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


class ServerStore:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.db, self.notices = open_database(
            self.path,
            store="server",
            schema=SCHEMA,
            version=SCHEMA_VERSION,
            salvage_tables=TABLES,
        )

    def close(self) -> None:
        self.db.close()

    # -- tokens ------------------------------------------------------------------
    def new_token(self, person_id: str, hours: float = TOKEN_HOURS) -> tuple[str, datetime]:
        """A fresh bearer token for ``person_id``; only its hash is kept."""
        token = secrets.token_urlsafe(32)
        now = _now()
        expires = now + timedelta(hours=hours)
        with transaction(self.db) as c:
            c.execute(
                "INSERT INTO tokens (hash, person_id, created, expires) VALUES (?, ?, ?, ?)",
                (token_hash(token), person_id, now.isoformat(), expires.isoformat()),
            )
        return token, expires

    def token_person(self, token: str) -> str | None:
        """Whose token this is, or None: unknown, expired or revoked."""
        row = self.db.execute(
            "SELECT person_id, expires, revoked FROM tokens WHERE hash = ?", (token_hash(token),)
        ).fetchone()
        if row is None or row["revoked"]:
            return None
        if datetime.fromisoformat(row["expires"]) <= _now():
            return None
        return row["person_id"]

    def revoke(self, token: str) -> None:
        with transaction(self.db) as c:
            c.execute("UPDATE tokens SET revoked = 1 WHERE hash = ?", (token_hash(token),))

    # -- PINs (practice login) -----------------------------------------------------
    def set_pin(self, person_id: str, pin: str) -> None:
        salt = secrets.token_hex(16)
        with transaction(self.db) as c:
            c.execute(
                "INSERT OR REPLACE INTO pins VALUES (?, ?, ?)",
                (person_id, salt, _pin_hash(pin, salt)),
            )

    def has_pin(self, person_id: str) -> bool:
        return (
            self.db.execute("SELECT 1 FROM pins WHERE person_id = ?", (person_id,)).fetchone()
            is not None
        )

    def check_pin(self, person_id: str, pin: str) -> bool:
        row = self.db.execute(
            "SELECT salt, hash FROM pins WHERE person_id = ?", (person_id,)
        ).fetchone()
        if row is None:
            _pin_hash(pin, "00" * 16)  # the same time for an unknown person
            return False
        return hmac.compare_digest(_pin_hash(pin, row["salt"]), row["hash"])

    # -- organisations that deliver (afnemers) -------------------------------------
    def add_afnemer(self, oin: str, org_id: str) -> str | None:
        """Register an organisation with a fresh key, returned once; None when
        it is registered already (its key stays)."""
        key = secrets.token_urlsafe(32)
        with transaction(self.db) as c:
            added = c.execute(
                "INSERT OR IGNORE INTO afnemers VALUES (?, ?, ?)", (oin, org_id, token_hash(key))
            ).rowcount
        return key if added else None

    def afnemer(self, oin: str, key: str) -> Afnemer | None:
        row = self.db.execute(
            "SELECT oin, org_id, key_hash FROM afnemers WHERE oin = ?", (oin,)
        ).fetchone()
        if row is None or not hmac.compare_digest(token_hash(key), row["key_hash"]):
            return None
        return Afnemer(row["oin"], row["org_id"])

    def oins(self) -> dict[str, str]:
        """org_id -> OIN of every registered organisation."""
        return {r["org_id"]: r["oin"] for r in self.db.execute("SELECT oin, org_id FROM afnemers")}

    # -- folders (FBS map) -----------------------------------------------------------
    def maps(self, letter_ids: list[str]) -> dict[str, str]:
        if not letter_ids:
            return {}
        marks = ",".join("?" * len(letter_ids))
        return {
            r["letter_id"]: r["map"]
            for r in self.db.execute(
                f"SELECT letter_id, map FROM maps WHERE letter_id IN ({marks})", letter_ids
            )
        }

    def set_map(self, letter_id: str, name: str) -> None:
        with transaction(self.db) as c:
            c.execute("INSERT OR REPLACE INTO maps VALUES (?, ?)", (letter_id, name))

    def forget_letter(self, letter_id: str) -> None:
        with transaction(self.db) as c:
            c.execute("DELETE FROM maps WHERE letter_id = ?", (letter_id,))
            c.execute("DELETE FROM bijlagen WHERE letter_id = ?", (letter_id,))

    # -- events (aanmeldingen) ---------------------------------------------------------
    def event_outcome(self, source: str, event_id: str) -> str | None:
        row = self.db.execute(
            "SELECT outcome FROM events WHERE source = ? AND id = ?", (source, event_id)
        ).fetchone()
        return None if row is None else row["outcome"]

    def record_event(self, source: str, event_id: str, bericht_id: str, outcome: str) -> None:
        with transaction(self.db) as c:
            c.execute(
                "INSERT OR IGNORE INTO events VALUES (?, ?, ?, ?, ?)",
                (source, event_id, bericht_id, outcome, _now().isoformat()),
            )

    def record_paper(self, bericht_id: str, person_id: str, org_id: str) -> None:
        """The letter goes on paper: the organisation sends it by post."""
        with transaction(self.db) as c:
            c.execute(
                "INSERT OR IGNORE INTO paper VALUES (?, ?, ?, ?)",
                (bericht_id, person_id, org_id, _now().date().isoformat()),
            )

    # -- attachment bytes --------------------------------------------------------------
    def put_bijlage(self, bijlage_id: str, letter_id: str, media_type: str, content: bytes) -> None:
        with transaction(self.db) as c:
            c.execute(
                "INSERT OR IGNORE INTO bijlagen VALUES (?, ?, ?, ?)",
                (bijlage_id, letter_id, media_type, content),
            )

    def bijlage(self, bijlage_id: str, letter_id: str) -> bytes | None:
        row = self.db.execute(
            "SELECT content FROM bijlagen WHERE bijlage_id = ? AND letter_id = ?",
            (bijlage_id, letter_id),
        ).fetchone()
        return None if row is None else bytes(row["content"])
