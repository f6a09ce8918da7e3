"""The desk: which letters lie on the table and which are put away where.

Its own SQLite file (``desk.sqlite3`` in an injectable folder). Letters never
leave the table by themselves: not when read, not when time passes, not when
the mailbox forgets them. Only :meth:`Desk.put_away` does, and it can be undone.
Every change is one transaction: once a method returns, the change survives a
kill of the app at any moment.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sqlite3
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path

from app.model import Letter, table_order_key
from app.storage import Notice, open_database, transaction
from app.validate import BadRecord, SetAside, clean_text, decode

log = logging.getLogger(__name__)

SCHEMA_VERSION = 2
SCHEMA = """
CREATE TABLE letters (
    person_id TEXT NOT NULL,
    id TEXT NOT NULL,
    data TEXT NOT NULL,
    read INTEGER NOT NULL DEFAULT 0,
    on_table INTEGER NOT NULL DEFAULT 1,
    folder TEXT,
    put_away_at TEXT,
    PRIMARY KEY (person_id, id)
);
CREATE INDEX letters_table ON letters (person_id, on_table);
CREATE TABLE actions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id TEXT NOT NULL,
    letter_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    at TEXT NOT NULL,
    undone INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX actions_person ON actions (person_id, undone);
CREATE TABLE sync (person_id TEXT PRIMARY KEY, cursor TEXT NOT NULL);
CREATE TABLE settings (
    person_id TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (person_id, key)
)
"""
TABLES = ("letters", "actions", "sync", "settings")
FILE_NAME = "desk.sqlite3"
#: Settings kept before there was one row per person (desk version 1) apply
#: to everyone until a person sets their own.
EARLIER = "*"
#: Per person (in ``settings``, so a rescued desk keeps them): when a letter of
#: theirs was last opened here, and who handles which letter (issue 13).
LOOKED_SETTING = "mensen.laatst_bekeken"
HANDLER_SETTING = "brief.behandelaar:"


def _migrate_1_to_2(c: sqlite3.Connection) -> None:
    """Version 1 kept one table for everybody: give every row its person."""
    c.execute("ALTER TABLE letters RENAME TO letters_v1")
    c.execute("ALTER TABLE actions RENAME TO actions_v1")
    c.execute("ALTER TABLE settings RENAME TO settings_v1")
    c.execute("DROP INDEX IF EXISTS letters_table")
    for statement in SCHEMA.split(";"):
        if "TABLE sync" not in statement and statement.strip():
            c.execute(statement)
    c.execute(
        "INSERT INTO letters (person_id, id, data, read, on_table, folder, put_away_at)"
        " SELECT person_id, id, data, read, on_table, folder, put_away_at FROM letters_v1"
    )
    c.execute(
        "INSERT INTO actions (id, person_id, letter_id, kind, at, undone)"
        " SELECT a.id, l.person_id, a.letter_id, a.kind, a.at, a.undone"
        " FROM actions_v1 a JOIN letters_v1 l ON l.id = a.letter_id"
    )
    c.execute(
        "INSERT INTO settings (person_id, key, value) SELECT ?, key, value FROM settings_v1",
        (EARLIER,),
    )
    for old in ("letters_v1", "actions_v1", "settings_v1"):
        c.execute(f"DROP TABLE {old}")


MIGRATIONS = {1: _migrate_1_to_2}


def _letter_to_json(letter: Letter) -> str:
    data = asdict(letter)
    data["action"] = letter.action.value
    data["received"] = letter.received.isoformat()
    data["deadline"] = letter.deadline.isoformat() if letter.deadline else None
    # Half a surrogate pair cannot be stored as UTF-8: it becomes U+FFFD.
    return clean_text(json.dumps(data, ensure_ascii=False))


def _letter_from_json(raw: bytes | str, read: bool) -> Letter:
    """A stored row as a letter, every value checked (:meth:`Letter.from_record`).

    ``raw`` is the row's bytes (read with ``CAST(data AS BLOB)``: sqlite3's own
    decoding error would quote the whole letter). BadRecord when it is no UTF-8,
    no JSON object, or a value is wrong.
    """
    text = decode(raw, "data")
    data = None
    if isinstance(text, str):
        with contextlib.suppress(ValueError, RecursionError):
            data = json.loads(text)
    if not isinstance(data, dict):
        raise BadRecord("data")
    data["read"] = read
    return Letter.from_record(data)


def _org_of_damaged(raw: object) -> str:
    """The organisation of a row that cannot be read, if what is left still says."""
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8", "replace")
    try:
        data = json.loads(raw) if isinstance(raw, str) else None
    except (ValueError, RecursionError):
        return ""
    org_id = data.get("org_id") if isinstance(data, dict) else None
    return clean_text(org_id) if isinstance(org_id, str) else ""


@dataclass(frozen=True)
class Handler:
    """Who handles a letter (a helper's name), a short note, and since when."""

    name: str
    note: str
    at: str


@dataclass(frozen=True)
class Folder:
    """Put-away letters of one organisation in one year."""

    org_id: str
    sender: str
    year: int
    letters: list[Letter]


class Desk:
    """Every person's table and folders, kept in ``folder/desk.sqlite3``.

    Each person's letters, undo and settings are their own: every method
    takes the ``person_id`` and never reads or changes another person's rows.
    The desk never talks to a mailbox; :class:`app.session.Session` does.
    """

    def __init__(self, folder: Path, *, today: Callable[[], date] = date.today):
        self.path = Path(folder) / FILE_NAME
        self._today = today
        self.conn, self.notices = open_database(
            self.path,
            store="desk",
            schema=SCHEMA,
            version=SCHEMA_VERSION,
            migrations=MIGRATIONS,
            salvage_tables=TABLES,
            # A rescued desk syncs from the start: a saved cursor with lost
            # letters would never bring them back. In the rescue's own
            # transaction, so a kill cannot keep the one without the other.
            after_rescue=_forget_sync_cursors,
        )

    def close(self) -> None:
        self.conn.close()

    # -- settings (per person) ------------------------------------------------
    def setting(self, person_id: str, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute(
            "SELECT value FROM settings WHERE key = ? AND person_id IN (?, ?)"
            " ORDER BY person_id = ? LIMIT 1",
            (key, person_id, EARLIER, EARLIER),
        ).fetchone()
        return row[0] if row else default

    def set_setting(self, person_id: str, key: str, value: str) -> None:
        with transaction(self.conn) as c:
            c.execute("INSERT OR REPLACE INTO settings VALUES (?, ?, ?)", (person_id, key, value))

    # -- per person: the overview, last looked, who handles a letter (issue 13) --
    def table_counts(self, person_ids: list[str]) -> dict[str, tuple[int, int, date | None]]:
        """Per person: letters on the table, of them unread, and the nearest
        deadline among them (overdue ones included). One aggregate query over
        the rows as stored, no letter parsed: the overview of an office with a
        hundred clients must not wait. People without letters are left out."""
        wanted = set(person_ids)
        out: dict[str, tuple[int, int, date | None]] = {}
        for r in self.conn.execute(
            "SELECT person_id, COUNT(*) AS n, SUM(read = 0) AS unread,"
            " MIN(CASE WHEN json_valid(data) THEN json_extract(data, '$.deadline') END) AS nearest"
            " FROM letters WHERE on_table = 1 GROUP BY person_id"
        ):
            if r["person_id"] not in wanted:
                continue
            nearest = None
            if isinstance(r["nearest"], str):
                with contextlib.suppress(ValueError):
                    nearest = date.fromisoformat(r["nearest"])
            out[r["person_id"]] = (int(r["n"]), int(r["unread"] or 0), nearest)
        return out

    def set_looked(self, person_id: str, at: datetime | None = None) -> None:
        """Someone opened a letter of this person's on this desk now (or ``at``)."""
        when = (at or datetime.now()).isoformat(timespec="seconds")
        self.set_setting(person_id, LOOKED_SETTING, when)

    def last_looked_all(self) -> dict[str, datetime]:
        """When a letter of each person was last opened on this desk."""
        out: dict[str, datetime] = {}
        for r in self.conn.execute(
            "SELECT person_id, value FROM settings WHERE key = ?", (LOOKED_SETTING,)
        ):
            with contextlib.suppress(ValueError, TypeError):
                out[r["person_id"]] = datetime.fromisoformat(r["value"])
        return out

    def set_handler(self, person_id: str, letter_id: str, name: str, note: str = "") -> None:
        """Who handles this letter of this person, with a short note, when several
        helpers share the work. An empty name clears it. KeyError for a letter
        that is not on this desk."""
        if not self.conn.execute(
            "SELECT 1 FROM letters WHERE person_id = ? AND id = ?", (person_id, letter_id)
        ).fetchone():
            raise KeyError(letter_id)
        key = HANDLER_SETTING + letter_id
        name, note = clean_text(name).strip(), clean_text(note).strip()
        with transaction(self.conn) as c:
            if not name:
                c.execute("DELETE FROM settings WHERE person_id = ? AND key = ?", (person_id, key))
                return
            value = json.dumps(
                {"name": name, "note": note, "at": datetime.now().isoformat(timespec="seconds")},
                ensure_ascii=False,
            )
            c.execute("INSERT OR REPLACE INTO settings VALUES (?, ?, ?)", (person_id, key, value))

    def handlers(self, person_id: str) -> dict[str, Handler]:
        """Who handles which of this person's letters, by letter id."""
        out: dict[str, Handler] = {}
        for r in self.conn.execute(
            "SELECT key, value FROM settings WHERE person_id = ? AND key >= ? AND key < ?",
            (person_id, HANDLER_SETTING, HANDLER_SETTING[:-1] + chr(ord(HANDLER_SETTING[-1]) + 1)),
        ):
            with contextlib.suppress(ValueError, TypeError, KeyError, AttributeError):
                data = json.loads(r["value"])
                out[r["key"][len(HANDLER_SETTING) :]] = Handler(
                    str(data["name"]), str(data.get("note", "")), str(data.get("at", ""))
                )
        return out

    def handler(self, person_id: str, letter_id: str) -> Handler | None:
        return self.handlers(person_id).get(letter_id)

    # -- filling from the mailbox ---------------------------------------------
    def cursor(self, person_id: str) -> str | None:
        """Where the last sync of this person ended (None: never synced)."""
        row = self.conn.execute(
            "SELECT cursor FROM sync WHERE person_id = ?", (person_id,)
        ).fetchone()
        return row[0] if row else None

    def receive(self, person_id: str, letters: list[Letter], cursor: str) -> int:
        """Lay letters new since the last sync on the table; returns how many are new.

        Letters already known keep their place (table or folder); their
        content is refreshed. Nothing is ever removed. The cursor is stored
        in the same transaction, so a kill keeps both or neither.
        """
        with transaction(self.conn) as c:
            known = {
                bytes(r[0]).decode("utf-8", "replace")
                for r in c.execute(
                    "SELECT CAST(id AS BLOB) FROM letters WHERE person_id = ?", (person_id,)
                )
            }
            for letter in letters:
                c.execute(
                    "INSERT INTO letters (person_id, id, data, read) VALUES (?, ?, ?, ?)"
                    " ON CONFLICT(person_id, id) DO UPDATE SET data = excluded.data,"
                    " read = MAX(letters.read, excluded.read)",
                    (person_id, letter.id, _letter_to_json(letter), int(letter.read)),
                )
            c.execute("INSERT OR REPLACE INTO sync VALUES (?, ?)", (person_id, cursor))
        return sum(1 for letter in letters if letter.id not in known)

    # -- reading ---------------------------------------------------------------
    def _rows(
        self, where: str, args: tuple, set_aside: list[SetAside] | None = None
    ) -> list[Letter]:
        """The letters of the rows that can be read. A row that cannot is left
        where it is (nothing is deleted) and, by id, added to ``set_aside``."""
        letters = []
        for r in self.conn.execute(
            "SELECT CAST(id AS BLOB) AS id, CAST(data AS BLOB) AS data, read"
            f" FROM letters WHERE {where}",
            args,
        ):
            try:
                letters.append(_letter_from_json(r["data"], bool(r["read"])))
            except BadRecord as error:
                letter_id = bytes(r["id"]).decode("utf-8", "replace")
                log.debug("desk letter %s unreadable: field %s", letter_id, error.field)
                if set_aside is not None:
                    set_aside.append(
                        SetAside(letter_id, _org_of_damaged(r["data"]), error.field, "desk")
                    )
        return letters

    def table(self, person_id: str, *, set_aside: list[SetAside] | None = None) -> list[Letter]:
        """Letters on the table, what needs doing first at the top. Rows that
        cannot be read are left out (and named in ``set_aside``, when given)."""
        today = self._today()
        letters = self._rows("person_id = ? AND on_table = 1", (person_id,), set_aside)
        return sorted(letters, key=lambda letter: table_order_key(letter, today))

    def letter(self, person_id: str, letter_id: str) -> Letter:
        """The letter; KeyError when there is none, or when its row cannot be read."""
        letters = self._rows("person_id = ? AND id = ?", (person_id, letter_id))
        if not letters:
            raise KeyError(letter_id)
        return letters[0]

    def is_on_table(self, person_id: str, letter_id: str) -> bool:
        row = self.conn.execute(
            "SELECT on_table FROM letters WHERE person_id = ? AND id = ?", (person_id, letter_id)
        ).fetchone()
        return bool(row and row[0])

    def folders(self, person_id: str, *, set_aside: list[SetAside] | None = None) -> list[Folder]:
        """Put-away letters per organisation and year (of receipt), newest first
        within. Rows that cannot be read are left out (named in ``set_aside``)."""
        groups: dict[tuple[str, int], list[Letter]] = {}
        for letter in self._rows("person_id = ? AND on_table = 0", (person_id,), set_aside):
            groups.setdefault((letter.org_id, letter.received.year), []).append(letter)
        folders = [
            Folder(
                org,
                letters[0].sender,
                year,
                sorted(letters, key=lambda letter: letter.received, reverse=True),
            )
            for (org, year), letters in groups.items()
        ]
        return sorted(folders, key=lambda f: (f.sender.lower(), -f.year))

    # -- changing --------------------------------------------------------------
    def mark_read(self, person_id: str, letter_id: str) -> None:
        """Remember that the letter was opened. It stays on the table."""
        with transaction(self.conn) as c:
            c.execute(
                "UPDATE letters SET read = 1 WHERE person_id = ? AND id = ?", (person_id, letter_id)
            )

    @staticmethod
    def _place(c, person_id: str, letter_id: str, on_table: bool, now: str) -> None:
        row = c.execute(
            "SELECT data FROM letters WHERE person_id = ? AND id = ?", (person_id, letter_id)
        ).fetchone()
        if row is None:
            raise KeyError(letter_id)
        org_id = json.loads(row[0])["org_id"]
        c.execute(
            "UPDATE letters SET on_table = ?, folder = ?, put_away_at = ?"
            " WHERE person_id = ? AND id = ?",
            (
                int(on_table),
                None if on_table else org_id,
                None if on_table else now,
                person_id,
                letter_id,
            ),
        )

    def _move(self, person_id: str, letter_id: str, on_table: bool, kind: str) -> int:
        now = datetime.now().isoformat(timespec="seconds")
        with transaction(self.conn) as c:
            self._place(c, person_id, letter_id, on_table, now)
            action = c.execute(
                "INSERT INTO actions (person_id, letter_id, kind, at) VALUES (?, ?, ?, ?)",
                (person_id, letter_id, kind, now),
            ).lastrowid
            assert action is not None
            return action

    def put_away(self, person_id: str, letter_id: str) -> int:
        """File the letter in its organisation's folder; returns the action id for undo."""
        return self._move(person_id, letter_id, False, "put_away")

    def lay_back(self, person_id: str, letter_id: str) -> int:
        """Lay a put-away letter back on the table."""
        return self._move(person_id, letter_id, True, "lay_back")

    def last_undoable(self, person_id: str) -> tuple[int, str, str] | None:
        """(action id, kind, letter id) of this person's newest action not yet undone."""
        row = self.conn.execute(
            "SELECT id, kind, letter_id FROM actions WHERE person_id = ? AND undone = 0"
            " AND kind IN ('put_away', 'lay_back') ORDER BY id DESC LIMIT 1",
            (person_id,),
        ).fetchone()
        return (row[0], row[1], row[2]) if row else None

    def undo(self, person_id: str, action_id: int | None = None) -> str | None:
        """Undo this person's action (their newest when None); returns the letter
        id, or None when that action is not the newest of theirs any more."""
        last = self.last_undoable(person_id)
        if last is None or (action_id is not None and last[0] != action_id):
            return None
        action, kind, letter_id = last
        with transaction(self.conn) as c:
            self._place(
                c,
                person_id,
                letter_id,
                kind == "put_away",
                datetime.now().isoformat(timespec="seconds"),
            )
            c.execute("UPDATE actions SET undone = 1 WHERE id = ?", (action,))
        return letter_id


def _forget_sync_cursors(c: sqlite3.Connection) -> None:
    """After a rescue: every person's next sync fetches every letter again.
    Letters still known keep their place (receive only adds and refreshes)."""
    c.execute("DELETE FROM sync")


__all__ = ["Desk", "Folder", "Handler", "Notice"]
