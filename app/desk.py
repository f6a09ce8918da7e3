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
from dataclasses import asdict
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from app.lazy import names as lazy_names
from app.model import SOON_DAYS, Letter, table_order_key
from app.search import match_expression
from app.storage import Notice, open_database, transaction
from app.validate import BadRecord, clean_text, decode

if TYPE_CHECKING:
    from app.desk_rows import Folder as Folder
    from app.desk_rows import Handler as Handler
    from app.set_aside import SetAside

#: names of app.desk made when first asked for (app/desk_rows.py): the table's
#: first frame shows neither a folder nor who handles a letter (issue 14)
_LATER = frozenset({"Folder", "Handler"})


__getattr__ = lazy_names(__name__, dict.fromkeys(_LATER, "app.desk_rows"))


log = logging.getLogger(__name__)

SCHEMA_VERSION = 3
#: What the table sorts and filters on is kept beside each letter's JSON in
#: plain columns (version 3, issue 14), filled by the triggers below from
#: ``data`` whoever writes it: ``ok`` says the row reads as a letter.
SEARCH_SCHEMA = """
CREATE INDEX letters_order ON letters (person_id, on_table, ok, deadline, received, read, rev, id);
CREATE INDEX letters_found ON letters (person_id, ok, received);
CREATE VIRTUAL TABLE letters_search USING fts5(
    person_id UNINDEXED, letter_id UNINDEXED,
    sender, subject, summary, body, reference, amount,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
)
"""
SCHEMA = (
    """
CREATE TABLE letters (
    person_id TEXT NOT NULL,
    id TEXT NOT NULL,
    data TEXT NOT NULL,
    read INTEGER NOT NULL DEFAULT 0,
    on_table INTEGER NOT NULL DEFAULT 1,
    folder TEXT,
    put_away_at TEXT,
    org_id TEXT,
    sender TEXT,
    received TEXT,
    deadline TEXT,
    summary_chars INTEGER,
    ok INTEGER NOT NULL DEFAULT 0,
    rev INTEGER NOT NULL DEFAULT 0,
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
);
"""
    + SEARCH_SCHEMA
)
#: The schema of version 2, which the step from version 1 builds (the step
#: from 2 to 3 then adds what version 3 has).
SCHEMA_V2 = """
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
CREATE TABLE settings (
    person_id TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (person_id, key)
)
"""


def _j(field: str) -> str:
    """A field of the new row's JSON, as SQL (only inside a json_valid CASE)."""
    return f"json_extract(new.data, '$.{field}')"


def _text_of(field: str) -> str:
    """A field as searchable text: dots out, so 'W.O.Z.' is found by 'WOZ'."""
    return f"replace(coalesce(CAST({_j(field)} AS TEXT), ''), '.', '')"


_VALID = "json_valid(new.data) AND json_type(new.data) = 'object'"
_OK = (
    f"CASE WHEN {_VALID} THEN ("
    + " AND ".join(
        [
            *(
                f"typeof({_j(f)}) = 'text' AND trim({_j(f)}) <> ''"
                for f in ("id", "org_id", "sender", "recipient")
            ),
            f"{_j('action')} IN ('betalen', 'reageren', 'lezen')",
            f"typeof({_j('received')}) = 'text' AND date({_j('received')}) IS {_j('received')}",
            f"(coalesce({_j('deadline')}, '') = '' OR (typeof({_j('deadline')}) = 'text'"
            f" AND date({_j('deadline')}) IS {_j('deadline')}))",
            f"({_j('amount_cents')} IS NULL OR typeof({_j('amount_cents')}) = 'integer')",
        ]
    )
    + ") ELSE 0 END"
)
_AMOUNT = (
    f"CASE WHEN typeof({_j('amount_cents')}) = 'integer' THEN printf('%d,%02d %d',"
    f" {_j('amount_cents')} / 100, abs({_j('amount_cents')}) % 100, {_j('amount_cents')} / 100)"
    " ELSE '' END"
)
_FILL = f"""
    UPDATE letters SET
        org_id = CASE WHEN {_VALID} THEN CAST({_j("org_id")} AS TEXT) END,
        sender = CASE WHEN {_VALID} THEN CAST({_j("sender")} AS TEXT) END,
        received = CASE WHEN {_VALID} THEN CAST({_j("received")} AS TEXT) END,
        deadline = CASE WHEN {_VALID} THEN NULLIF(CAST({_j("deadline")} AS TEXT), '') END,
        summary_chars = CASE WHEN {_VALID} THEN length(CAST({_j("summary")} AS TEXT)) END,
        ok = {_OK}
    WHERE rowid = new.rowid;
    INSERT INTO letters_search
        (rowid, person_id, letter_id, sender, subject, summary, body, reference, amount)
    SELECT new.rowid, new.person_id, new.id, {_text_of("sender")}, {_text_of("subject")},
        {_text_of("summary")}, {_text_of("body")} || ' ' || {_text_of("what_to_do")},
        {_text_of("reference")}, {_AMOUNT}
    WHERE {_VALID};
"""
#: Whoever writes a letter's ``data`` (this desk, a rescue, another program),
#: its columns and its place in the search index follow; ``rev`` counts the
#: changes a card shows (content, read), so the table redraws only those.
TRIGGERS = {
    "letters_indexed": f"CREATE TRIGGER letters_indexed AFTER INSERT ON letters BEGIN {_FILL} END",
    "letters_reindexed": (
        "CREATE TRIGGER letters_reindexed AFTER UPDATE OF data ON letters BEGIN"
        " DELETE FROM letters_search WHERE rowid = old.rowid;"
        f" {_FILL} END"
    ),
    "letters_changed": (
        "CREATE TRIGGER letters_changed AFTER UPDATE OF data, read ON letters"
        " WHEN new.data IS NOT old.data OR new.read IS NOT old.read BEGIN"
        " UPDATE letters SET rev = old.rev + 1 WHERE rowid = new.rowid; END"
    ),
    "letters_unindexed": (
        "CREATE TRIGGER letters_unindexed AFTER DELETE ON letters BEGIN"
        " DELETE FROM letters_search WHERE rowid = old.rowid; END"
    ),
}


#: Indexes for the first page of Home, the cards' room and the folder tree
#: (issue 14: 10,000 letters), made when a desk of version 3 opens without them.
INDEXES = {
    "letters_summary": (
        "CREATE INDEX letters_summary ON letters (person_id, on_table, ok, summary_chars)"
    ),
    "letters_folders": (
        "CREATE INDEX letters_folders ON letters (person_id, on_table, ok, org_id, received)"
    ),
}


def _add_triggers(c: sqlite3.Connection) -> None:
    have = {r[0] for r in c.execute("SELECT name FROM sqlite_master")}
    for name, sql in {**TRIGGERS, **INDEXES}.items():
        if name not in have:
            c.execute(sql)


def _reindex(c: sqlite3.Connection) -> None:
    """Fill every letter's columns and search entry again from its JSON."""
    _add_triggers(c)
    c.execute("DELETE FROM letters_search")
    c.execute("UPDATE letters SET data = data")


#: parsed letters a desk keeps per person (beyond this it keeps only the last read)
KEPT_LETTERS = 20_000
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
    for statement in SCHEMA_V2.split(";"):
        if statement.strip():
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


def _migrate_2_to_3(c: sqlite3.Connection) -> None:
    """Version 3: what the table sorts on in columns, and the search index.
    Every row stays as it is; the columns are filled from its JSON."""
    for column in (
        "org_id TEXT",
        "sender TEXT",
        "received TEXT",
        "deadline TEXT",
        "summary_chars INTEGER",
        "ok INTEGER NOT NULL DEFAULT 0",
        "rev INTEGER NOT NULL DEFAULT 0",
    ):
        c.execute(f"ALTER TABLE letters ADD COLUMN {column}")
    for statement in SEARCH_SCHEMA.split(";"):
        if statement.strip():
            c.execute(statement)
    _reindex(c)


MIGRATIONS = {1: _migrate_1_to_2, 2: _migrate_2_to_3}


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


class Desk:
    """Every person's table and folders, kept in ``folder/desk.sqlite3``.

    Each person's letters, undo and settings are their own: every method
    takes the ``person_id`` and never reads or changes another person's rows.
    The desk never talks to a mailbox; :class:`app.session.Session` does.
    """

    def __init__(self, folder: Path, *, today: Callable[[], date] = date.today):
        self.path = Path(folder) / FILE_NAME
        self._today = today
        #: letters parsed once per change: person -> id -> (rev, letter)
        self._kept: dict[str, dict[str, tuple[int, Letter]]] = {}
        #: counts this desk's own writes (see :meth:`version`)
        self._writes = 0
        self._choices: dict[str, tuple[object, tuple[list[tuple[str, str]], list[int]]]] = {}
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
            after_rescue=_after_rescue,
            made=_add_triggers,
        )
        if not _has_triggers(self.conn):  # a rescued file: its triggers and indexes, once
            with transaction(self.conn) as c:
                _add_triggers(c)

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
        self._wrote()
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
        self._wrote()
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
                from app.desk_rows import Handler

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
        self._wrote()
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

    def lay_down(self, person_id: str, letter: Letter) -> bool:
        """Lay one letter the person added (a paper or PDF letter, issue 15) on
        the table; False when a letter with its id is there already (it is left
        as it is). The sync cursor is not touched."""
        self._wrote()
        with transaction(self.conn) as c:
            added = c.execute(
                "INSERT INTO letters (person_id, id, data, read) VALUES (?, ?, ?, ?)"
                " ON CONFLICT(person_id, id) DO NOTHING",
                (person_id, letter.id, _letter_to_json(letter), int(letter.read)),
            ).rowcount
        return added == 1

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
                    from app.set_aside import SetAside

                    set_aside.append(
                        SetAside(letter_id, _org_of_damaged(r["data"]), error.field, "desk")
                    )
        return letters

    def table(self, person_id: str, *, set_aside: list[SetAside] | None = None) -> list[Letter]:
        """Letters on the table, what needs doing first at the top. Rows that
        cannot be read are left out (and named in ``set_aside``, when given)."""
        if set_aside is None:  # the order from the columns, the letters kept parsed
            return self._parsed(person_id, self.table_order(person_id))
        today = self._today()
        letters = self._rows("person_id = ? AND on_table = 1", (person_id,), set_aside)
        return sorted(letters, key=lambda letter: table_order_key(letter, today))

    def _parsed(self, person_id: str, rows: list[tuple[str, int]]) -> list[Letter]:
        """The letters of these (id, rev) rows, in this order. A letter is parsed
        and checked once per change (``rev``) and kept: a table of thousands is
        not parsed again each time it is read. Rows that cannot be read are left
        out. Only this person's rows in ``rows`` are kept."""
        kept = self._kept.setdefault(person_id, {})
        fresh = {i for i, rev in rows if kept.get(i, (-1,))[0] != rev}
        found = self._read_by_id(person_id, list(fresh)) if fresh else {}
        for letter_id in fresh:  # changed: the new letter, or none (unreadable now)
            kept.pop(letter_id, None)
        if len(kept) + len(found) > KEPT_LETTERS:  # beyond this: only these rows
            kept = self._kept[person_id] = {i: kept[i] for i, _rev in rows if i in kept}
        for letter_id, rev in rows:
            letter = found.get(letter_id)
            if letter is not None:
                kept[letter_id] = (rev, letter)
        return [kept[i][1] for i, _rev in rows if i in kept]

    # -- the table and search by columns, letters fetched when shown (issue 14) --
    def table_order(
        self, person_id: str, *, limit: int | None = None, offset: int = 0
    ) -> list[tuple[str, int]]:
        """(id, rev) of the letters on the table in :func:`table_order_key`'s order,
        from the indexed columns (no letter is parsed); ``rev`` changes whenever
        what a card shows changes. Rows that cannot be read are left out. With
        ``limit``, only that many from ``offset`` on (Home asks for its first
        page: a top-N sort over the covering index, not the whole table)."""
        today = self._today()
        soon = today.toordinal() + SOON_DAYS
        return self._ids(
            "SELECT CAST(id AS BLOB), rev FROM letters"
            " WHERE person_id = ? AND on_table = 1 AND ok = 1"
            " ORDER BY CASE WHEN deadline < ? THEN 0 WHEN deadline <= ? THEN 1"
            " WHEN read = 0 THEN 2 ELSE 3 END,"
            " coalesce(deadline, '9999-12-31'), received DESC, id"
            " LIMIT ? OFFSET ?",
            (
                person_id,
                today.isoformat(),
                date.fromordinal(soon).isoformat(),
                -1 if limit is None else limit,
                max(0, offset),
            ),
        )

    def table_tally(self, person_id: str) -> tuple[int, int, int, int]:
        """On the table: (letters, unread, overdue, due within a week), one query."""
        today = self._today()
        soon = date.fromordinal(today.toordinal() + SOON_DAYS).isoformat()
        row = self.conn.execute(
            "SELECT COUNT(*), SUM(read = 0), SUM(deadline < ?),"
            " SUM(deadline >= ? AND deadline <= ?) FROM letters"
            " WHERE person_id = ? AND on_table = 1 AND ok = 1",
            (today.isoformat(), today.isoformat(), soon, person_id),
        ).fetchone()
        return (int(row[0]), int(row[1] or 0), int(row[2] or 0), int(row[3] or 0))

    def letters_by_id(self, person_id: str, letter_ids: list[str]) -> dict[str, Letter]:
        """The letters of these ids that are on the desk and can be read (each
        parsed once per change and kept: a card shown again is not parsed again)."""
        rows = self._revs(person_id, list(dict.fromkeys(letter_ids)))
        return {x.id: x for x in self._parsed(person_id, rows)}

    def _read_by_id(self, person_id: str, letter_ids: list[str]) -> dict[str, Letter]:
        """The letters of these ids, read and parsed now."""
        out: dict[str, Letter] = {}
        ids = list(dict.fromkeys(letter_ids))
        for start in range(0, len(ids), 500):
            part = ids[start : start + 500]
            marks = ", ".join("?" * len(part))
            for letter in self._rows(f"person_id = ? AND id IN ({marks})", (person_id, *part)):
                out[letter.id] = letter
        return out

    def longest_summaries(self, person_id: str, *, on_table: bool = True) -> list[str]:
        """The longest summaries among this person's letters (on the table, or
        all), longest first: the cards make room for these (ui/table)."""
        # on the table: along the index letters_summary, 40 rows, not the table
        where = "person_id = ? AND ok = 1" + (" AND on_table = 1" if on_table else "")
        args = (person_id,)
        ids = [
            bytes(r[0]).decode("utf-8", "replace")
            for r in self.conn.execute(
                f"SELECT CAST(id AS BLOB) FROM letters WHERE {where}"
                " ORDER BY summary_chars DESC LIMIT 40",
                args,
            )
        ]
        return [x.summary for x in self._parsed(person_id, self._revs(person_id, ids))]

    def _revs(self, person_id: str, letter_ids: list[str]) -> list[tuple[str, int]]:
        """(id, rev) of these ids, in this order (those that are on the desk).
        One primary-key look-up per id (CROSS JOIN keeps that order of the loops:
        with ``id IN (...)`` SQLite chose to scan letters_order, 10,000 rows)."""
        revs = dict(
            self._ids(
                "SELECT CAST(l.id AS BLOB), l.rev FROM json_each(?) AS j"
                " CROSS JOIN letters AS l WHERE l.person_id = ? AND l.id = j.value",
                (json.dumps(letter_ids), person_id),
            )
        )
        return [(i, revs[i]) for i in letter_ids if i in revs]

    def _found(
        self, person_id: str, query: str, org_id: str | None, year: int | None
    ) -> tuple[str, list[object]] | None:
        """The WHERE of a search over ``letters`` (None: no word to look for)."""
        where = ["person_id = ?", "ok = 1"]
        args: list[object] = [person_id]
        if org_id is not None:
            where.append("org_id = ?")
            args.append(org_id)
        if year is not None:
            where.append("received >= ? AND received < ?")
            args += [f"{year:04d}-01-01", f"{year + 1:04d}-01-01"]
        if query.strip():
            expression = match_expression(query)
            if expression is None:
                return None
            # the index's rowid is the letter's (the triggers), so FTS5 answers
            # once and the letters are walked newest first along letters_found
            where.append("rowid IN (SELECT rowid FROM letters_search WHERE letters_search MATCH ?)")
            args.append(expression)
        return " AND ".join(where), args

    def search(
        self,
        person_id: str,
        query: str,
        *,
        org_id: str | None = None,
        year: int | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[tuple[str, int]]:
        """(id, rev) of this person's letters (on the table and put away) that
        have every word of ``query`` in their sender, subject, summary, text,
        reference or amount (prefixes, diacritics and dots left out: see
        :mod:`app.search`), of ``org_id`` and received in ``year`` when given;
        newest first. A blank query finds every letter (of the filters); a query
        without any word in it finds none. Never raises on what was typed. With
        ``limit``, only that many from ``offset`` on (a page of results; the
        number found is :meth:`search_count`)."""
        found = self._found(person_id, query, org_id, year)
        if found is None:
            return []
        where, args = found
        return self._ids(
            f"SELECT CAST(id AS BLOB), rev FROM letters WHERE {where}"
            " ORDER BY received DESC, id LIMIT ? OFFSET ?",
            (*args, -1 if limit is None else limit, max(0, offset)),
        )

    def search_count(
        self, person_id: str, query: str, *, org_id: str | None = None, year: int | None = None
    ) -> int:
        """How many letters :meth:`search` finds, counted, none of them read."""
        found = self._found(person_id, query, org_id, year)
        if found is None:
            return 0
        where, args = found
        return int(
            self.conn.execute(f"SELECT COUNT(*) FROM letters WHERE {where}", args).fetchone()[0]
        )

    def search_choices(self, person_id: str) -> tuple[list[tuple[str, str]], list[int]]:
        """What the search can be narrowed to: (org_id, sender) of every
        organisation this person has letters of, by name; the years, newest first.
        Kept until the desk changes (:meth:`version`)."""
        key = (person_id, self.version())
        kept = self._choices.get(person_id)
        if kept is not None and kept[0] == key:
            return kept[1]
        orgs = [
            (str(r[0]), str(r[1]))
            for r in self.conn.execute(
                "SELECT org_id, MAX(sender) FROM letters WHERE person_id = ? AND ok = 1"
                " GROUP BY org_id ORDER BY lower(MAX(sender))",
                (person_id,),
            )
        ]
        years = [
            int(r[0])
            for r in self.conn.execute(
                "SELECT DISTINCT substr(received, 1, 4) AS y FROM letters"
                " WHERE person_id = ? AND ok = 1 ORDER BY y DESC",
                (person_id,),
            )
            if str(r[0]).isdigit()
        ]
        self._choices[person_id] = (key, (orgs, years))
        return orgs, years

    def version(self) -> tuple[int, int]:
        """Changes when anything on the desk changed, by this desk object (any
        thread) or by another connection (``PRAGMA data_version``): what was
        read before that may be kept while it stays the same."""
        return self._writes, int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    def _wrote(self) -> None:
        self._writes += 1

    def _ids(self, sql: str, args: tuple) -> list[tuple[str, int]]:
        return [
            (bytes(r[0]).decode("utf-8", "replace"), int(r[1]))
            for r in self.conn.execute(sql, args)
        ]

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
        from app.desk_rows import Folder

        groups: dict[tuple[str, int], list[Letter]] = {}
        if set_aside is None:  # from the columns, the letters kept parsed
            rows = self._ids(
                "SELECT CAST(id AS BLOB), rev FROM letters"
                " WHERE person_id = ? AND on_table = 0 AND ok = 1",
                (person_id,),
            )
            letters = self._parsed(person_id, rows)
        else:
            letters = self._rows("person_id = ? AND on_table = 0", (person_id,), set_aside)
        for letter in letters:
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

    def folder_counts(self, person_id: str) -> list[tuple[str, str, int, int]]:
        """(org_id, sender, year, letters) of every folder, in :meth:`folders`'
        order (by sender, newest year first): counted along the index
        letters_folders, no letter parsed (the tree of 3,333 put-away letters
        shows its folders at once and a year's letters when it is opened)."""
        groups = self.conn.execute(
            "SELECT org_id, substr(received, 1, 4) AS y, COUNT(*), MIN(rowid) FROM letters"
            " WHERE person_id = ? AND on_table = 0 AND ok = 1 GROUP BY org_id, y",
            (person_id,),
        ).fetchall()
        rowids = [g[3] for g in groups]
        senders: dict[int, str] = {}
        for start in range(0, len(rowids), 500):
            part = rowids[start : start + 500]
            senders.update(
                (int(r[0]), bytes(r[1]).decode("utf-8", "replace"))
                for r in self.conn.execute(
                    "SELECT rowid, CAST(sender AS BLOB) FROM letters"
                    f" WHERE rowid IN ({', '.join('?' * len(part))})",
                    part,
                )
            )
        folders = [
            (str(org), senders.get(rowid, ""), int(year), int(n))
            for org, year, n, rowid in groups
            if str(year).isdigit()
        ]
        return sorted(folders, key=lambda f: (f[1].lower(), -f[2]))

    def folder_letters(self, person_id: str, org_id: str, year: int | None) -> list[Letter]:
        """The put-away letters of one folder (a year, or every year when None),
        newest first; kept parsed as :meth:`table` keeps them."""
        where = "person_id = ? AND on_table = 0 AND ok = 1 AND org_id = ?"
        args: list[object] = [person_id, org_id]
        if year is not None:
            where += " AND received >= ? AND received < ?"
            args += [f"{year:04d}-01-01", f"{year + 1:04d}-01-01"]
        rows = self._ids(
            f"SELECT CAST(id AS BLOB), rev FROM letters WHERE {where} ORDER BY received DESC, id",
            tuple(args),
        )
        return self._parsed(person_id, rows)

    # -- changing --------------------------------------------------------------
    def mark_read(self, person_id: str, letter_id: str) -> None:
        """Remember that the letter was opened. It stays on the table."""
        self._wrote()
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
        self._wrote()
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
        self._wrote()
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


def _has_triggers(conn) -> bool:
    """Every trigger and index of :data:`TRIGGERS` and :data:`INDEXES` is there."""
    names = (*TRIGGERS, *INDEXES)
    found = conn.execute(
        f"SELECT COUNT(*) FROM sqlite_master WHERE name IN ({', '.join('?' * len(names))})",
        names,
    ).fetchone()[0]
    return found == len(names)


def _after_rescue(c: sqlite3.Connection) -> None:
    """A rescued desk: its columns and search index made again from the rows
    that were saved, and every person syncs from the start."""
    _reindex(c)
    _forget_sync_cursors(c)


def _forget_sync_cursors(c: sqlite3.Connection) -> None:
    """After a rescue: every person's next sync fetches every letter again.
    Letters still known keep their place (receive only adds and refreshes)."""
    c.execute("DELETE FROM sync")


__all__ = ["Desk", "Folder", "Handler", "Notice"]
