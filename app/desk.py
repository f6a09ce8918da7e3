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

from app.model import SOON_DAYS, Letter, table_order_key
from app.search import match_expression
from app.storage import Notice, open_database, transaction
from app.validate import BadRecord, SetAside, clean_text, decode

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


def _add_triggers(c: sqlite3.Connection) -> None:
    have = {r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    for name, sql in TRIGGERS.items():
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
        #: letters parsed once per change: person -> id -> (rev, letter)
        self._kept: dict[str, dict[str, tuple[int, Letter]]] = {}
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
        )
        if not _has_triggers(self.conn):  # a new file: its triggers, once
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
        kept = self._kept.get(person_id, {})
        fresh = [i for i, rev in rows if kept.get(i, (-1,))[0] != rev]
        found = self.letters_by_id(person_id, fresh) if fresh else {}
        now: dict[str, tuple[int, Letter]] = {}
        for letter_id, rev in rows:
            letter = found.get(letter_id)
            if letter is not None:
                now[letter_id] = (rev, letter)
            elif letter_id in kept and letter_id not in fresh:
                now[letter_id] = kept[letter_id]
        self._kept[person_id] = {**kept, **now} if len(kept) < KEPT_LETTERS else now
        return [now[i][1] for i, _rev in rows if i in now]

    # -- the table and search by columns, letters fetched when shown (issue 14) --
    def table_order(self, person_id: str) -> list[tuple[str, int]]:
        """(id, rev) of the letters on the table in :func:`table_order_key`'s order,
        from the indexed columns (no letter is parsed); ``rev`` changes whenever
        what a card shows changes. Rows that cannot be read are left out."""
        today = self._today()
        soon = today.toordinal() + SOON_DAYS
        return self._ids(
            "SELECT CAST(id AS BLOB), rev FROM letters"
            " WHERE person_id = ? AND on_table = 1 AND ok = 1"
            " ORDER BY CASE WHEN deadline < ? THEN 0 WHEN deadline <= ? THEN 1"
            " WHEN read = 0 THEN 2 ELSE 3 END,"
            " coalesce(deadline, '9999-12-31'), received DESC, id",
            (person_id, today.isoformat(), date.fromordinal(soon).isoformat()),
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
        """The letters of these ids that are on the desk and can be read."""
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
        where = "person_id = ? AND ok = 1" + (" AND on_table = 1" if on_table else "")
        ids = [
            bytes(r[0]).decode("utf-8", "replace")
            for r in self.conn.execute(
                f"SELECT CAST(id AS BLOB) FROM letters WHERE {where}"
                " ORDER BY summary_chars DESC LIMIT 40",
                (person_id,),
            )
        ]
        return [x.summary for x in self.letters_by_id(person_id, ids).values()]

    def search(
        self,
        person_id: str,
        query: str,
        *,
        org_id: str | None = None,
        year: int | None = None,
    ) -> list[tuple[str, int]]:
        """(id, rev) of this person's letters (on the table and put away) that
        have every word of ``query`` in their sender, subject, summary, text,
        reference or amount (prefixes, diacritics and dots left out: see
        :mod:`app.search`), of ``org_id`` and received in ``year`` when given;
        newest first. A blank query finds every letter (of the filters); a query
        without any word in it finds none. Never raises on what was typed."""
        where = ["l.person_id = ?", "l.ok = 1"]
        args: list[object] = [person_id]
        if org_id is not None:
            where.append("l.org_id = ?")
            args.append(org_id)
        if year is not None:
            where.append("l.received >= ? AND l.received < ?")
            args += [f"{year:04d}-01-01", f"{year + 1:04d}-01-01"]
        order = " ORDER BY l.received DESC, l.id"
        if not query.strip():
            sql = f"SELECT CAST(l.id AS BLOB), l.rev FROM letters l WHERE {' AND '.join(where)}"
            return self._ids(sql + order, tuple(args))
        expression = match_expression(query)
        if expression is None:
            return []
        sql = (
            "SELECT CAST(l.id AS BLOB), l.rev FROM letters_search s"
            " JOIN letters l ON l.person_id = s.person_id AND l.id = s.letter_id"
            f" WHERE letters_search MATCH ? AND s.person_id = ? AND {' AND '.join(where)}"
        )
        return self._ids(sql + order, (expression, person_id, *args))

    def search_choices(self, person_id: str) -> tuple[list[tuple[str, str]], list[int]]:
        """What the search can be narrowed to: (org_id, sender) of every
        organisation this person has letters of, by name; the years, newest first."""
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
        return orgs, years

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


def _has_triggers(conn) -> bool:
    found = conn.execute(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name IN (?, ?, ?, ?)",
        tuple(TRIGGERS),
    ).fetchone()[0]
    return found == len(TRIGGERS)


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
