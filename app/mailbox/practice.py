"""The practice mailbox: the Berichtenbox rules, over a local SQLite file or a
:class:`~app.mailbox.storage.Backend` (the server's PostgreSQL).

It is the app's default and the safe place to practise. It is filled from
``resources/practice/*.json``; dates there are relative to the day the file is
made, so the sample letters always look current.

The rules (ticks, activation with its signed offer, paper requests, delivery)
are written once, here, and run the same on either backend: every statement goes
through the backend's ``rows``/``execute``/``transaction`` (app/mailbox/storage.py).
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from app import mandates as mnd
from app import validate as v
from app.mailbox import (
    PAPER_ROUTE_HELPDESK,
    PAPER_ROUTE_UNTICK,
    ErrorCode,
    MailboxError,
    ProgressCallback,
    SyncProgress,
)
from app.mailbox.storage import Backend, SqliteBackend, as_text, is_database_url, open_postgres
from app.model import Action, Letter, Organisation, Person
from app.paths import resources_dir
from app.storage import Notice
from app.validate import BadRecord

if TYPE_CHECKING:
    from app.mailbox.answers import ActivationOffer, LetterBatch, PaperRequest, TickChange
    from app.model_more import AccountStatus
    from app.set_aside import SetAside

log = logging.getLogger(__name__)


SCHEMA_VERSION = 3
SCHEMA = """
CREATE TABLE organisations (id TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE people (id TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE accounts (
    person_id TEXT PRIMARY KEY,
    active INTEGER NOT NULL DEFAULT 0,
    activated_on TEXT,
    email TEXT,
    repeat_reminder INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE ticks (
    person_id TEXT NOT NULL,
    org_id TEXT NOT NULL,
    ticked INTEGER NOT NULL,
    changed_on TEXT NOT NULL,
    PRIMARY KEY (person_id, org_id)
);
CREATE TABLE letters (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT UNIQUE NOT NULL,
    recipient TEXT NOT NULL,
    org_id TEXT NOT NULL,
    subject TEXT NOT NULL,
    summary TEXT NOT NULL,
    body TEXT NOT NULL,
    action TEXT NOT NULL,
    message_type TEXT NOT NULL,
    received TEXT NOT NULL,
    deadline TEXT,
    amount_cents INTEGER,
    reference TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    what_to_do TEXT NOT NULL DEFAULT '',
    read INTEGER NOT NULL DEFAULT 0,
    attachments TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE tick_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id TEXT NOT NULL,
    org_id TEXT NOT NULL,
    ticked INTEGER NOT NULL,
    changed_on TEXT NOT NULL,
    effective_on TEXT NOT NULL
);
CREATE TABLE asked (
    person_id TEXT NOT NULL,
    org_id TEXT NOT NULL,
    asked_on TEXT NOT NULL,
    answer INTEGER NOT NULL,
    PRIMARY KEY (person_id, org_id)
);
CREATE TABLE paper_requests (
    person_id TEXT NOT NULL,
    org_id TEXT NOT NULL,
    requested_on TEXT NOT NULL,
    paper_from TEXT,
    route TEXT NOT NULL,
    state TEXT NOT NULL,
    done_on TEXT,
    PRIMARY KEY (person_id, org_id)
);
"""
#: Version 3 (issue 13): the practice people of the mandate stories, the
#: mandates and court decisions (each kept as its checked record, read back
#: through ``from_record``) and the access log. The log is append-only: no
#: method of the box changes or removes a row of it.
MANDATE_SCHEMA = """
CREATE TABLE people_more (id TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE mandates (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL,
    helper_id TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE TABLE representations (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL,
    representative_id TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE TABLE access_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id TEXT NOT NULL,
    holder_id TEXT NOT NULL,
    event TEXT NOT NULL,
    at TEXT NOT NULL,
    letter_id TEXT,
    org_id TEXT
)
"""
SCHEMA = SCHEMA + MANDATE_SCHEMA
TABLES = (
    "organisations",
    "people",
    "accounts",
    "ticks",
    "letters",
    "meta",
    "tick_log",
    "asked",
    "paper_requests",
    "people_more",
    "mandates",
    "representations",
    "access_log",
)
#: Unticking brings paper back after about three weeks. The rule lives here,
#: in the service; clients ask :meth:`PracticeMailbox.paper_offer`.
PAPER_AFTER_DAYS = 21
DEFAULT_PERSON = "koen"


def _add_attachments(c: sqlite3.Connection) -> None:
    """Version 1 had no attachments (bijlagen)."""
    c.execute("ALTER TABLE letters ADD COLUMN attachments TEXT NOT NULL DEFAULT '[]'")


def _add_mandates(c: sqlite3.Connection) -> None:
    """Version 2 had no mandates; they are seeded when the box is next opened."""
    for statement in MANDATE_SCHEMA.split(";"):
        c.execute(statement)


MIGRATIONS = {1: _add_attachments, 2: _add_mandates}

_ORDERED = "(id TEXT PRIMARY KEY, data TEXT NOT NULL)"
#: The same tables on PostgreSQL, made when missing; their version is ``meta``'s
#: ``schema_version``. SQLite's ``rowid`` (the order organisations and people
#: were added in) is a column of its own there.
PG_SCHEMA = (
    SCHEMA.replace("CREATE TABLE ", "CREATE TABLE IF NOT EXISTS ")
    .replace(
        "INTEGER PRIMARY KEY AUTOINCREMENT", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"
    )
    .replace(_ORDERED, _ORDERED[:-1] + ", rowid BIGINT GENERATED BY DEFAULT AS IDENTITY)")
)
assert PG_SCHEMA.count("rowid BIGINT") == 3 and "AUTOINCREMENT" not in PG_SCHEMA


def _make_pg_tables(backend: Backend) -> None:
    """The practice tables on PostgreSQL, once (two servers starting at once take turns)."""
    with backend.transaction() as tx:
        for statement in PG_SCHEMA.split(";"):
            tx.execute(statement)
        tx.execute(
            "INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', ?)",
            (str(SCHEMA_VERSION),),
        )
        found = tx.rows("SELECT value FROM meta WHERE key = 'schema_version'")
        if int(found[0]["value"]) < SCHEMA_VERSION:
            # The new tables were made above (IF NOT EXISTS); they are seeded on open.
            tx.execute(
                "UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION),)
            )
    if int(found[0]["value"]) > SCHEMA_VERSION:
        raise RuntimeError("the practice tables are of a newer version of Brieventafel")


def practice_backend(where: Path | str) -> Backend:
    """The practice box's storage: a ``postgresql://`` URL, or a SQLite file's path."""
    if is_database_url(where):
        backend = open_postgres(str(where))
        try:
            _make_pg_tables(backend)
        except BaseException:
            backend.close()
            raise
        return backend
    return SqliteBackend(
        Path(where),
        store="practice",
        schema=SCHEMA,
        version=SCHEMA_VERSION,
        migrations=MIGRATIONS,
        salvage_tables=TABLES,
    )


def has_practice_box(backend: Backend) -> bool:
    """Whether this database holds a practice box already (people in it)."""
    if backend.kind == "postgresql" and not backend.rows(
        "SELECT 1 AS one FROM information_schema.tables"
        " WHERE table_schema = current_schema() AND table_name = 'people'"
    ):
        return False
    return bool(backend.rows("SELECT 1 AS one FROM people LIMIT 1"))


def store_id(org_id: str) -> str:
    """The practice box keeps each organisation's letters in its own store,
    as FBS keeps them in the organisation's magazijn."""
    return f"oefenpost-{org_id}"


def load_practice_data(folder: Path | None = None) -> dict[str, list[dict]]:
    folder = folder or resources_dir() / "practice"
    return {
        name: json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
        for name in ("organisations", "people", "letters")
    }


def load_mandate_data(folder: Path | None = None) -> tuple[list[dict], dict]:
    """The practice people of the mandate stories and the mandates, court
    decisions and areas (``people_more.json``, ``mandates.json``); empty when
    the folder has none (a test's own practice data)."""
    folder = folder or resources_dir() / "practice"
    people_file, grants_file = folder / "people_more.json", folder / "mandates.json"
    people = json.loads(people_file.read_text(encoding="utf-8")) if people_file.exists() else []
    grants = (
        json.loads(grants_file.read_text(encoding="utf-8"))
        if grants_file.exists()
        else {"areas": {}, "mandates": [], "representations": []}
    )
    return people, grants


#: Refusals that still put a person in the helper's list of people: the UI
#: says why (and how to renew) instead of the person silently disappearing.
_SHOWN_REFUSALS = frozenset(
    {
        mnd.Reason.MANDATE_ENDED,
        mnd.Reason.MANDATE_NOT_STARTED,
        mnd.Reason.REPRESENTATION_ENDED,
        mnd.Reason.REPRESENTATION_NOT_STARTED,
    }
)


def _text_or_none(raw: object) -> str | None:
    """A raw column (bytes from ``Backend.text``) as text, or None when damaged."""
    if isinstance(raw, bytes | bytearray | memoryview):
        try:
            return bytes(raw).decode("utf-8")
        except UnicodeDecodeError:
            return None
    return raw if isinstance(raw, str) else None


def _long_date(day: date) -> str:
    """A date in a letter's text, always Dutch ("3 december 2026", as Babel's
    nl_NL "long"), written here: Babel's first load cost 30 to 40 ms of a fresh
    start, before the first frame (issue 14; tests/shell/test_startup.py)."""
    from app.plain import dutch_date

    return dutch_date(day)


#: The columns of a letter row, each read as it is stored: text as bytes
#: (``CAST(... AS BLOB)``), so that sqlite3 never decodes it itself. Its
#: "Could not decode to UTF-8" error quotes the whole row, name and BSN too.
LETTER_COLUMNS = (
    "id",
    "recipient",
    "org_id",
    "subject",
    "summary",
    "body",
    "action",
    "message_type",
    "received",
    "deadline",
    "amount_cents",
    "reference",
    "phone",
    "what_to_do",
    "read",
    "attachments",
)


def _raw(column: str) -> str:
    """SQL for a column as stored: text as bytes, numbers as they are."""
    return f"CASE typeof({column}) WHEN 'text' THEN CAST({column} AS BLOB) ELSE {column} END"


def letter_select(text: Callable[[str], str] = _raw) -> str:
    """The SELECT of a letter row, each column read as stored (``Backend.text``)."""
    return "SELECT seq, " + ", ".join(f"{text(c)} AS {c}" for c in LETTER_COLUMNS) + " FROM letters"


LETTER_SELECT = letter_select()


def _json_record(raw: object, field: str) -> object:
    """A JSON column read as bytes: strict UTF-8, then JSON; BadRecord(field) if not."""
    text = v.decode(raw, field)
    if isinstance(text, str):
        try:
            return json.loads(text)
        except (ValueError, RecursionError):
            pass
    raise BadRecord(field)


def _organisation(raw: object) -> Organisation:
    record = _json_record(raw, "data")
    if not isinstance(record, dict):
        raise BadRecord("data")
    return Organisation.from_record(record)


def _person(raw: object) -> Person:
    record = _json_record(raw, "data")
    if not isinstance(record, dict):
        raise BadRecord("data")
    return Person.from_record(record)


def _row_id(row) -> str:
    """A letter row's id for logs and notices, even when it is damaged."""
    raw = row["id"]
    if isinstance(raw, bytes):
        return raw.decode("utf-8", "replace")
    return raw if isinstance(raw, str) and raw else f"#{row['seq']}"


#: A tick set (or set again): one row per person and organisation.
_TICK_UPSERT = (
    "INSERT INTO ticks (person_id, org_id, ticked, changed_on) VALUES (?, ?, ?, ?)"
    " ON CONFLICT (person_id, org_id) DO UPDATE"
    " SET ticked = excluded.ticked, changed_on = excluded.changed_on"
)


def _one(rows):
    return rows[0] if rows else None


def _grant_people(grant: mnd.Mandate | mnd.LegalRepresentation) -> set[str]:
    if isinstance(grant, mnd.Mandate):
        return {grant.person_id, grant.helper_id}
    return {grant.person_id, grant.representative_id}


def _attachment_records(raw: object) -> list:
    """The practice box keeps bijlagen as FBS sends them (``mediaType``)."""
    items = _json_record(raw if raw is not None else "[]", "attachments")
    if not isinstance(items, list):
        raise BadRecord("attachments")
    return [
        {
            "id": a.get("id"),
            "name": a.get("name"),
            "media_type": a.get("mediaType", "application/pdf"),
            "size": a.get("size", 0),
        }
        if isinstance(a, dict)
        else a
        for a in items
    ]


def _clean(item):
    """A delivered letter's texts, cleaned so that SQLite can store them."""
    if isinstance(item, str):
        return v.clean_text(item)
    if isinstance(item, list):
        return [_clean(x) for x in item]
    if isinstance(item, dict):
        return {_clean(k): _clean(x) for k, x in item.items()}
    return item


def _insert_letter(c, item: dict, orgs: dict[str, dict], today: date) -> None:
    """Inside a transaction: one practice letter (the shape of letters.json, days
    relative to ``today``); one already there is left as it is."""
    received = today - timedelta(days=int(item.get("received_days_ago", 0)))
    left = item.get("deadline_in_days")
    deadline = None if left is None else today + timedelta(days=int(left))

    def filled(text: str) -> str:
        """The dates of a template filled in, in the body and in what the card says."""
        text = text.replace("{received}", _long_date(received))
        return text if deadline is None else text.replace("{deadline}", _long_date(deadline))

    body = filled(item.get("body", ""))
    org = orgs.get(item["org"], {})
    c.execute(
        "INSERT OR IGNORE INTO letters (id, recipient, org_id, subject, summary, body,"
        " action, message_type, received, deadline, amount_cents, reference, phone,"
        " what_to_do, read, attachments) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            item["id"],
            item["recipient"],
            item["org"],
            item["subject"],
            filled(item.get("summary", "")),
            body,
            v.choice({"action": item.get("action", "lezen")}, "action", Action).value,
            item.get("berichtType", "notificatie"),
            received.isoformat(),
            deadline.isoformat() if deadline else None,
            item.get("amount_cents"),
            item.get("reference", ""),
            item.get("phone") or org.get("phone", ""),
            filled(item.get("what_to_do", "")),
            int(bool(item.get("read"))),
            json.dumps(item.get("bijlagen", []), ensure_ascii=False),
        ),
    )


def _euro(cents: int) -> str:
    whole = f"{cents // 100:,}".replace(",", ".")
    return f"€ {whole},{cents % 100:02d}"


def _from_template(
    template: dict, letter_id: str, person: dict, days_ago: int, rng, *, read: bool
) -> dict:
    """One letter in the shape of letters.json from a template of letters_more.json."""
    deadline_after = template.get("deadline_after_days")
    amount = None
    if template.get("amount_cents"):
        low, high = template["amount_cents"]
        amount = low if low == high else rng.randrange(low, high + 1, 5)
    values = {
        "aanhef": f"Geachte {person.get('name', '')}".rstrip(),
        "ref": " ".join(f"{rng.randrange(10000):04d}" for _ in range(3)),
        "plate": f"{rng.randrange(1, 99)}-{''.join(rng.choice('GHJKLNPRSTXZ') for _ in range(3))}"
        f"-{rng.randrange(1, 9)}",
        "amount": _euro(amount) if amount is not None else "",
    }

    def fill(text: str) -> str:
        for key, value in values.items():
            text = text.replace("{" + key + "}", value)
        return text

    item = {
        "id": letter_id,
        "recipient": person["id"],
        "org": template["org"],
        "subject": template["subject"],
        "summary": template.get("summary", ""),
        "action": template.get("action", "lezen"),
        "berichtType": template.get("berichtType", "notificatie"),
        "received_days_ago": days_ago,
        "deadline_in_days": None if deadline_after is None else deadline_after - days_ago,
        "amount_cents": amount,
        "reference": fill(template.get("reference", "")),
        "read": read,
        "what_to_do": fill(template.get("what_to_do", "")),
        "body": fill(template.get("body", "")),
    }
    return item


def story_letters(stories: dict, people: list[dict]) -> list[dict]:
    """The letters of the mandate stories (``letters_more.json``), the same on
    every run: the listed ones, and ``per_person`` letters for each generated
    person, from templates chosen by a random generator seeded with the
    person's id, received over ``received_within_days`` days, deadlines spread
    after them (a few overdue, as in a real pile). Days stay relative to the
    day the box is made; ``{deadline}`` and ``{received}`` are filled in then."""
    import random

    templates = {t["key"]: t for t in stories.get("templates", [])}
    by_id = {p["id"]: p for p in people}
    letters: list[dict] = []
    counts: dict[str, int] = {}
    for listed in stories.get("letters", []):
        person = by_id.get(listed["recipient"], {"id": listed["recipient"]})
        n = counts[person["id"]] = counts.get(person["id"], 0) + 1
        rng = random.Random(f"{person['id']}:{n}")
        letters.append(
            _from_template(
                templates[listed["template"]],
                f"{person['id']}-{n:03d}",
                person,
                int(listed.get("received_days_ago", 0)),
                rng,
                read=bool(listed.get("read")),
            )
        )
    generated = stories.get("generated") or {}
    keys = sorted(templates)
    within = int(generated.get("received_within_days", 120))
    for person_id in generated.get("people", []):
        person = by_id.get(person_id, {"id": person_id})
        rng = random.Random(f"{generated.get('seed', 13)}:{person_id}")
        for n in range(1, int(generated.get("per_person", 0)) + 1):
            days_ago = rng.randrange(within + 1)
            letters.append(
                _from_template(
                    templates[rng.choice(keys)],
                    f"{person_id}-{n:03d}",
                    person,
                    days_ago,
                    rng,
                    read=days_ago > 10 and rng.random() < 0.8,
                )
            )
    return letters


def load_story_letters(folder: Path | None = None) -> dict:
    """``letters_more.json`` (empty when the folder has none: a test's own data)."""
    path = (folder or resources_dir() / "practice") / "letters_more.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


class PracticeMailbox:
    """The embedded Berichtenbox. Holds several practice people; one is signed in."""

    is_practice = True

    def __init__(
        self,
        path: Path | str | Backend,
        *,
        person_id: str = DEFAULT_PERSON,
        holder: str | None = None,
        today: Callable[[], date] = date.today,
        data_folder: Path | None = None,
        story_letters: bool = False,
    ):
        """Over a SQLite file (``path``, the app's own box), a ``postgresql://``
        URL, or a :class:`Backend` that is open already (the server shares one
        with its own tables; the caller closes it then).

        ``holder`` signs a person in (and is :meth:`me`): every call about
        someone else's post then asks :func:`app.mandates.decide` (refused:
        MailboxError FORBIDDEN with the reason code). Without it nothing is
        checked, as before mandates: ``person_id`` is only who :meth:`me` is
        (the rules' own tests, the server's shared box, which asks
        :meth:`for_holder` per request with the token's person).

        ``story_letters`` adds, once, the letters of the mandate stories
        (``letters_more.json``: Sanne's, a few hundred among Piet's clients,
        Willem's, Gerda's): the app's practice box has them; the server's
        practice box does not (its letters come from the organisations). They
        are written when a letter is first asked for (:meth:`_stories_ready`),
        not here: in a first start that is the first sync, after the window's
        first frame (about 120 ms of 350 before, issue 14)."""
        self._owns_backend = isinstance(path, str | Path)
        self.backend: Backend = practice_backend(path) if isinstance(path, str | Path) else path
        if not self._owns_backend and self.backend.kind == "postgresql":
            _make_pg_tables(self.backend)
        #: The SQLite file, or None on PostgreSQL.
        self.path = getattr(self.backend, "path", None)
        #: SQLite only: the file's connections (tests reach in to break them).
        self.conn = getattr(self.backend, "db", None)
        self.notices = self.backend.notices
        self._today = today
        self._text = self.backend.text
        self._letter_select = letter_select(self._text)
        #: whether the story letters are still to be written, and from which
        #: data folder; the lock keeps two threads from writing them twice
        self._stories_pending = False
        self._stories_folder = data_folder
        self._stories_lock = threading.RLock()
        self._seeding_stories = False
        try:
            self._load(holder or person_id, holder is not None, data_folder)
            self._stories_pending = story_letters
        except BaseException:
            if self._owns_backend:
                self.backend.close()
            raise

    def _rows(self, sql: str, params=()) -> list:
        return self.backend.rows(sql, params)

    def _row(self, sql: str, params=()):
        return _one(self.backend.rows(sql, params))

    def _load(self, person_id: str, checked: bool, data_folder: Path | None) -> None:
        if self._row("SELECT COUNT(*) AS n FROM letters")["n"] == 0:
            self._seed(load_practice_data(data_folder))
        self._orgs: dict[str, Organisation] = {}
        for r in self._rows(
            f"SELECT rowid, {self._text('data')} AS data FROM organisations ORDER BY rowid"
        ):
            try:
                org = _organisation(r["data"])
            except BadRecord as error:
                # Its letters still come, with the organisation's id as sender.
                log.warning("organisation row %s unreadable: field %s", r["rowid"], error.field)
                continue
            self._orgs[org.id] = org
        if self._row("SELECT value FROM meta WHERE key = 'mandates_seeded_on'") is None:
            self._seed_mandates(*load_mandate_data(data_folder))
        ids = [
            as_text(r["id"])
            for table in ("people", "people_more")
            for r in self._rows(f"SELECT {self._text('id')} AS id FROM {table} ORDER BY rowid")
        ]
        if checked:  # a holder is who they are, also when unknown (then: nothing of anyone)
            self._person_id = person_id
        else:
            self._person_id = person_id if person_id in ids else (ids[0] if ids else person_id)
        #: The signed-in person whose rights are checked; None: nobody is checked.
        self.holder: str | None = person_id if checked else None

    def for_holder(self, holder_id: str) -> PracticeMailbox:
        """The same box (same backend, nothing copied) with ``holder_id``
        signed in: what the server asks per request, with the token's person."""
        import copy

        view = copy.copy(self)
        view._owns_backend = False  # the box it came from closes the backend
        view._person_id = view.holder = holder_id
        return view

    # -- filling ---------------------------------------------------------------
    def _seed_mandates(self, people: list[dict], grants: dict) -> None:
        """The mandate stories, once: their people (with accounts and ticks),
        the mandates and court decisions (days relative to today, checked
        through ``from_record`` before anything is stored) and the areas."""
        today = self._today()
        people = _clean(people)
        checked = mnd.Grants.from_practice(grants, today)  # BadRecord: nothing stored
        records = {
            "mandates": [mnd.practice_record(m, today) for m in v.records(grants, "mandates")],
            "representations": [
                mnd.practice_record(r, today) for r in v.records(grants, "representations")
            ],
        }
        assert len(records["mandates"]) == len(checked.mandates)
        with self.backend.transaction() as c:
            if c.rows("SELECT value FROM meta WHERE key = 'mandates_seeded_on'"):
                return  # another process seeded them meanwhile
            self._seed_people(c, people, "people_more", today)
            for m in records["mandates"]:
                c.execute(
                    "INSERT INTO mandates (id, person_id, helper_id, data) VALUES (?, ?, ?, ?)"
                    " ON CONFLICT (id) DO UPDATE SET data = excluded.data",
                    (m["id"], m["person_id"], m["helper_id"], json.dumps(m, ensure_ascii=False)),
                )
            for r in records["representations"]:
                c.execute(
                    "INSERT INTO representations (id, person_id, representative_id, data)"
                    " VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET data = excluded.data",
                    (
                        r["id"],
                        r["person_id"],
                        r["representative_id"],
                        json.dumps(r, ensure_ascii=False),
                    ),
                )
            for key, value in (
                ("mandate_areas", json.dumps(grants.get("areas", {}), ensure_ascii=False)),
                ("mandates_seeded_on", today.isoformat()),
            ):
                c.execute(
                    "INSERT INTO meta (key, value) VALUES (?, ?)"
                    " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (key, value),
                )

    def _stories_ready(self) -> None:
        """Before any letter is read or changed: the story letters are in.
        Another thread asking meanwhile waits; a failure is raised to the one
        who asked and tried again at the next ask."""
        if not self._stories_pending:
            return
        with self._stories_lock:
            if not self._stories_pending or self._seeding_stories:  # done, or this thread
                return
            self._seeding_stories = True
            try:
                self._seed_story_letters(self._stories_folder)
            finally:
                self._seeding_stories = False
            self._stories_pending = False

    def _seed_story_letters(self, data_folder: Path | None) -> None:
        """The letters of the mandate stories, once per box (also into a box made
        before they existed)."""
        if self._row("SELECT value FROM meta WHERE key = 'story_letters_seeded_on'"):
            return
        stories = load_story_letters(data_folder)
        people, _grants = load_mandate_data(data_folder)
        letters = _clean(story_letters(stories, people))
        orgs = {org.id: {"id": org.id, "phone": org.phone} for org in self._orgs.values()}
        today = self._today()
        with self.backend.transaction() as c:
            if c.rows("SELECT value FROM meta WHERE key = 'story_letters_seeded_on'"):
                return  # another process seeded them meanwhile
            for item in letters:
                _insert_letter(c, item, orgs, today)
            c.execute(
                "INSERT INTO meta (key, value) VALUES ('story_letters_seeded_on', ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (today.isoformat(),),
            )

    def _seed_people(self, c, people: list[dict], table: str, today: date) -> None:
        """Inside a transaction: people with their accounts and ticks."""
        for person in people:
            c.execute(
                f"INSERT INTO {table} (id, data) VALUES (?, ?)"
                " ON CONFLICT (id) DO UPDATE SET data = excluded.data",
                (person["id"], json.dumps(person, ensure_ascii=False)),
            )
            account = person.get("account", {})
            c.execute(
                "INSERT INTO accounts (person_id, active, activated_on, email,"
                " repeat_reminder) VALUES (?, ?, ?, ?, ?) ON CONFLICT (person_id) DO UPDATE"
                " SET active = excluded.active, activated_on = excluded.activated_on,"
                " email = excluded.email, repeat_reminder = excluded.repeat_reminder",
                (
                    person["id"],
                    int(bool(account.get("active"))),
                    account.get("activated_on"),
                    person.get("email"),
                    int(bool(account.get("repeat_reminder"))),
                ),
            )
            for org_id in account.get("ticked", []):
                c.execute(
                    _TICK_UPSERT,
                    (person["id"], org_id, 1, account.get("activated_on") or today.isoformat()),
                )

    def _seed(self, data: dict[str, list[dict]]) -> None:
        data = _clean(data)
        today = self._today()
        with self.backend.transaction() as c:
            for org in data["organisations"]:
                c.execute(
                    "INSERT INTO organisations (id, data) VALUES (?, ?)"
                    " ON CONFLICT (id) DO UPDATE SET data = excluded.data",
                    (org["id"], json.dumps(org, ensure_ascii=False)),
                )
            self._seed_people(c, data["people"], "people", today)
            orgs = {org["id"]: org for org in data["organisations"]}
            for item in data["letters"]:
                _insert_letter(c, item, orgs, today)
            c.execute(
                "INSERT INTO meta (key, value) VALUES ('seeded_on', ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (today.isoformat(),),
            )

    # -- Mailbox ---------------------------------------------------------------
    def _person_row(self, person_id: str) -> None:
        """MailboxError "unknown-person" unless the person is there."""
        row = self._row(
            "SELECT 1 AS one FROM people WHERE id = ?"
            " UNION ALL SELECT 1 AS one FROM people_more WHERE id = ?",
            (person_id, person_id),
        )
        if row is None:
            raise MailboxError("unknown-person", person_id)

    def _read_person(self, person_id: str) -> Person:
        """The person, or MailboxError "bad-answer" when their row cannot be read
        (the detail names the field only: a person id may be a BSN)."""
        row = self._row(
            f"SELECT {self._text('data')} AS data FROM people WHERE id = ?"
            f" UNION ALL SELECT {self._text('data')} AS data FROM people_more WHERE id = ?",
            (person_id, person_id),
        )
        if row is None:
            raise MailboxError("unknown-person", person_id)
        try:
            return _person(row["data"])
        except BadRecord as error:
            field = error.field
        log.warning("practice person row unreadable: field %s", field)
        raise MailboxError("bad-answer", f"person record unreadable: field {field}")

    def me(self) -> Person:
        return self._read_person(self._person_id)

    def people(self) -> list[Person]:
        """The holder first, then everyone they may see the post of, in the
        box's order. Someone whose mandate ended (or has not started) is in it
        too, so the screen can say why nothing new comes; a revoked mandate,
        one a person under curatele gave, or one for nothing: not. The
        relation to each is in :meth:`mandates`."""
        me = self.me()
        if self.holder is None:
            return [me]
        grants = self._grants()
        theirs = {m.person_id for m in grants.mandates if m.helper_id == self.holder}
        theirs |= {
            r.person_id for r in grants.representations if r.representative_id == self.holder
        }
        theirs.discard(self.holder)
        people = [me]
        for table in ("people", "people_more"):
            for r in self._rows(f"SELECT {self._text('id')} AS id FROM {table} ORDER BY rowid"):
                person_id = as_text(r["id"])
                if person_id not in theirs:
                    continue
                answer = self._person_decision(grants, person_id, received=date.min)
                if not answer.allowed and answer.reason not in _SHOWN_REFUSALS:
                    continue
                try:
                    people.append(self._read_person(person_id))
                except MailboxError:
                    log.warning("practice person row left out of people()")
        return people

    # -- mandates (issue 13): who may see and handle whose post -----------------
    def _grants(self) -> mnd.Grants:
        """Every mandate and court decision, each read back through its
        ``from_record``; a row that cannot be read counts for nothing (logged
        by id, never by its values)."""
        mandates: list[mnd.Mandate] = []
        reps: list[mnd.LegalRepresentation] = []
        for table, make, out in (
            ("mandates", mnd.Mandate.from_record, mandates),
            ("representations", mnd.LegalRepresentation.from_record, reps),
        ):
            for r in self._rows(f"SELECT id, {self._text('data')} AS data FROM {table}"):
                try:
                    out.append(make(_json_record(r["data"], "data")))  # type: ignore[arg-type]
                except BadRecord as error:
                    log.warning(
                        "%s row %s counts for nothing: field %s", table, r["id"], error.field
                    )
        row = self._row(
            f"SELECT {self._text('value')} AS value FROM meta WHERE key = 'mandate_areas'"
        )
        try:
            areas = mnd.Areas.from_record(_json_record(row["value"], "areas") if row else None)
        except BadRecord:
            areas = mnd.Areas(frozenset(), frozenset())  # no area: a bewindvoerder covers nothing
        return mnd.Grants(tuple(mandates), tuple(reps), areas)

    def _refuse(self, decision: mnd.Decision) -> None:
        if not decision.allowed:
            raise MailboxError(ErrorCode.FORBIDDEN, decision.reason.value)

    def _decide(
        self,
        person_id: str,
        access: mnd.Access,
        org_id: str | None,
        *,
        received: date | None = None,
        grants: mnd.Grants | None = None,
    ) -> mnd.Decision | None:
        """None when nothing is checked (no holder, or the holder's own post for
        what never needs a curator); else the decision, FORBIDDEN when refused."""
        if self.holder is None or (self.holder == person_id and access not in mnd.ACCOUNT_ACTS):
            return None
        grants = grants or self._grants()
        decision = grants.decide(
            self.holder, person_id, access, org_id=org_id, today=self._today(), received=received
        )
        self._refuse(decision)
        return decision

    def _person_decision(
        self, grants: mnd.Grants, person_id: str, *, received: date | None = None
    ) -> mnd.Decision:
        """May the holder read anything of this person's (any organisation)?
        ``received=date.min`` asks whether an old letter could still be read."""
        assert self.holder is not None
        answers = [
            grants.decide(
                self.holder,
                person_id,
                mnd.Access.READ,
                org_id=org_id,
                today=self._today(),
                received=received,
            )
            for org_id in self._orgs
        ]
        for answer in answers:
            if answer.allowed:
                return answer
        outside = (mnd.Reason.OUTSIDE_MANDATE, mnd.Reason.OUTSIDE_REPRESENTATION)
        told = [a for a in answers if a.reason not in outside] or answers
        return told[0] if told else mnd.Decision(False, mnd.Reason.NO_MANDATE)

    def _check_person(self, person_id: str) -> None:
        """Reading about someone else's account (status, ticks, paper): the
        holder must be able to read something of theirs today."""
        if self.holder is None or self.holder == person_id:
            return
        self._refuse(self._person_decision(self._grants(), person_id))

    def _visible(self, grants: mnd.Grants | None, row) -> bool:
        """Whether the holder may read this letter row (raw columns); a row
        whose organisation or date cannot be read is not shown to a helper."""
        if grants is None:
            return True
        org_id = _text_or_none(row["org_id"])
        received_text = _text_or_none(row["received"])
        try:
            received = date.fromisoformat(received_text) if received_text else None
        except ValueError:
            received = None
        if org_id is None or received is None:
            return False
        assert self.holder is not None
        return grants.decide(
            self.holder,
            _text_or_none(row["recipient"]) or "",
            mnd.Access.READ,
            org_id=org_id,
            today=self._today(),
            received=received,
        ).allowed

    def _helper_grants(self, person_id: str) -> mnd.Grants | None:
        """For someone else's letters: the grants (FORBIDDEN when nothing at
        all, not even an older letter, may be read); None for one's own."""
        if self.holder is None or self.holder == person_id:
            return None
        grants = self._grants()
        self._refuse(self._person_decision(grants, person_id, received=date.min))
        return grants

    def _log(
        self,
        c,
        person_id: str,
        access: mnd.Access,
        *,
        letter_id: str | None = None,
        org_id: str | None = None,
    ) -> None:
        """Inside the access's own transaction: the line the person reads in
        "Wie heeft mijn post bekeken?" (nothing for their own use)."""
        if self.holder is None:
            return
        at = datetime.combine(self._today(), datetime.now().time())
        entry = mnd.log_entry(
            self.holder, person_id, access, at, letter_id=letter_id, org_id=org_id
        )
        if entry is None:
            return
        c.execute(
            "INSERT INTO access_log (person_id, holder_id, event, at, letter_id, org_id)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (
                entry.person_id,
                entry.holder_id,
                entry.event.value,
                entry.at.isoformat(),
                entry.letter_id,
                entry.org_id,
            ),
        )

    def _log_now(self, person_id: str, access: mnd.Access, **where) -> None:
        """An access that writes nothing else (opening a letter): the log line
        alone, in its own transaction; when it cannot be written the letter is
        not given (storage-failed): no look without its line."""
        if self.holder is None or self.holder == person_id:
            return
        try:
            with self.backend.transaction() as c:
                self._log(c, person_id, access, **where)
        except self.backend.errors as error:
            raise MailboxError("storage-failed", type(error).__name__) from error

    def mandates(self, person_id: str) -> list[mnd.Mandate | mnd.LegalRepresentation]:
        """The grants about this person, as helper or representative and as the
        person; a holder asking about someone else gets only the grants between
        the two of them. Court decisions first, each in the box's order."""
        grants = self._grants()
        every: list[mnd.Mandate | mnd.LegalRepresentation] = [
            *grants.representations,
            *grants.mandates,
        ]
        if self.holder is None or self.holder == person_id:
            return [g for g in every if person_id in _grant_people(g)]
        pair = {self.holder, person_id}
        return [g for g in every if _grant_people(g) == pair]

    def grants(self) -> mnd.Grants:
        """The mandates and court decisions the holder is part of (as helper or
        representative, or as the person who gave them), with the areas: what
        the app needs to say, without asking again, whom the holder acts for and
        how (``app/people.py``). Without a holder: all of them. Changes nothing."""
        grants = self._grants()
        if self.holder is None:
            return grants
        holder = self.holder
        return mnd.Grants(
            tuple(m for m in grants.mandates if holder in (m.person_id, m.helper_id)),
            tuple(
                r for r in grants.representations if holder in (r.person_id, r.representative_id)
            ),
            grants.areas,
        )

    def names(self, person_id: str) -> dict[str, str]:
        """Names by id of the people who appear in this person's grants (their
        helpers and representatives, or whom they act for), for the access log
        and the warnings. A holder asking about someone else gets the two of
        them only. Changes nothing."""
        ids = {person_id}
        for grant in self.mandates(person_id):
            ids |= _grant_people(grant)
        if self.holder is not None and self.holder != person_id:
            ids &= {self.holder, person_id}
        names = {}
        for pid in sorted(ids):
            try:
                names[pid] = self._read_person(pid).name
            except MailboxError:
                continue  # unknown or unreadable: the log says "Iemand"
        return names

    def access_log(self, person_id: str) -> list[mnd.AccessLogEntry]:
        """Every access by someone else to this person's post, oldest first. A
        helper gets only their own accesses. Nothing changes or removes a row."""
        self._check_person(person_id)
        sql = (
            "SELECT person_id, holder_id, event, at, letter_id, org_id FROM access_log"
            " WHERE person_id = ?"
        )
        params: tuple = (person_id,)
        if self.holder is not None and self.holder != person_id:
            sql += " AND holder_id = ?"
            params = (person_id, self.holder)
        entries = []
        for r in self._rows(sql + " ORDER BY id", params):
            entries.append(
                mnd.AccessLogEntry(
                    holder_id=r["holder_id"],
                    person_id=r["person_id"],
                    event=mnd.Event(r["event"]),
                    at=datetime.fromisoformat(r["at"]),
                    letter_id=r["letter_id"],
                    org_id=r["org_id"],
                )
            )
        return entries

    def practice_people(self, *, with_mandates: bool = False) -> list[Person]:
        """Every practice story that can be read; one can be chosen to try it.
        A damaged one is left out (signing in as it is a MailboxError).
        ``with_mandates`` adds the people of the mandate stories
        (``people_more.json``: Monique and Sanne, Piet and his clients, ...),
        whom the server must know by BSN to serve a helper."""
        people = []
        tables = ("people", "people_more") if with_mandates else ("people",)
        for table in tables:
            for r in self._rows(
                f"SELECT rowid, {self._text('data')} AS data FROM {table} ORDER BY rowid"
            ):
                try:
                    people.append(_person(r["data"]))
                except BadRecord as error:
                    log.warning(
                        "practice person row %s left out: field %s", r["rowid"], error.field
                    )
        return people

    def organisations(self) -> list[Organisation]:
        return list(self._orgs.values())

    def organisation(self, org_id: str) -> Organisation:
        try:
            return self._orgs[org_id]
        except KeyError:
            raise MailboxError("unknown-organisation", org_id) from None

    def account_status(self, person_id: str) -> AccountStatus:
        from app.model_more import AccountStatus

        self._check_person(person_id)
        self._person_row(person_id)
        row = self._row("SELECT * FROM accounts WHERE person_id = ?", (person_id,))
        ticked = {
            r["org_id"]
            for r in self._rows(
                "SELECT org_id FROM ticks WHERE person_id = ? AND ticked = 1", (person_id,)
            )
        }
        active = bool(row and row["active"])
        if active:
            ticked |= {o.id for o in self._orgs.values() if o.fixed_by_law}
        return AccountStatus(
            person_id=person_id,
            active=active,
            activated_on=date.fromisoformat(row["activated_on"])
            if row and row["activated_on"]
            else None,
            ticked=frozenset(ticked),
            email=row["email"] if row else None,
            repeat_reminder=bool(row and row["repeat_reminder"]),
        )

    def _letter(self, row) -> Letter:
        """A row of :data:`LETTER_SELECT` as a letter, every value checked
        (:meth:`Letter.from_record`); BadRecord with the field and the id."""
        letter_id = _row_id(row)
        try:
            return self._checked_letter(row)
        except BadRecord as error:
            field = error.field
        raise BadRecord(field, letter_id)

    def _checked_letter(self, row) -> Letter:
        record = {c: v.decode(row[c], c) for c in LETTER_COLUMNS}
        org_id = record["org_id"]
        if not isinstance(org_id, str):
            raise BadRecord("org_id")
        org = self._orgs.get(org_id)
        record["sender"] = org.name if org else org_id
        record["store_id"] = store_id(org_id)
        record["attachments"] = _attachment_records(record["attachments"])
        return Letter.from_record(record)

    def _set_aside(self, row, error: BadRecord) -> SetAside:
        from app.set_aside import SetAside

        raw_org = row["org_id"]
        org_id = raw_org.decode("utf-8", "replace") if isinstance(raw_org, bytes) else ""
        org = self._orgs.get(org_id)
        letter_id = _row_id(row)
        log.debug("letter %s set aside: field %s unreadable", letter_id, error.field)
        return SetAside(letter_id, org_id, error.field, "mailbox", org.name if org else "")

    def letters(
        self, person_id: str, since: str | None = None, *, progress: ProgressCallback | None = None
    ) -> LetterBatch:
        """New letters since the cursor; each organisation's store reports as
        it is asked, as FBS ``_ophalen`` does. For someone else's post only
        the letters the holder may read come (the others are left out here,
        never only on the screen); FORBIDDEN when none may be read at all."""
        from app.mailbox.answers import LetterBatch

        self._stories_ready()
        grants = self._helper_grants(person_id)
        self._person_row(person_id)
        after = int(since) if since and since.isdigit() else 0
        every = self._rows(
            f"{self._letter_select} WHERE recipient = ? AND seq > ? ORDER BY seq",
            (person_id, after),
        )
        rows = [r for r in every if self._visible(grants, r)]
        if progress is not None:
            orgs = list(self._orgs.values())
            for done, org in enumerate(orgs, 1):
                progress(SyncProgress(done, len(orgs), org.name))
        letters: list[Letter] = []
        set_aside: list[SetAside] = []
        for row in rows:
            try:
                letters.append(self._letter(row))
            except BadRecord as error:
                set_aside.append(self._set_aside(row, error))
        cursor = max([after] + [r["seq"] for r in every])
        if set_aside:
            # Not past a letter set aside: the next sync asks for it again, so
            # it comes once its row is mended, and is not forgotten meanwhile.
            bad = {s.letter_id for s in set_aside}
            cursor = min(r["seq"] for r in rows if _row_id(r) in bad) - 1
        return LetterBatch(letters, str(cursor), tuple(set_aside))

    def letter(self, person_id: str, letter_id: str) -> Letter:
        """One letter. For someone else's post: refused (FORBIDDEN with the
        reason) unless the holder may read it, and logged as opened."""
        letter = self._checked(person_id, letter_id, mnd.Access.READ)
        self._log_now(person_id, mnd.Access.READ, letter_id=letter.id, org_id=letter.org_id)
        return letter

    def _checked(self, person_id: str, letter_id: str, access: mnd.Access) -> Letter:
        """The letter, after asking whether the holder may do ``access`` with it."""
        self._stories_ready()
        grants = self._helper_grants(person_id)
        row = self._row(
            f"{self._letter_select} WHERE id = ? AND recipient = ?", (letter_id, person_id)
        )
        if row is None:
            raise MailboxError("unknown-letter", letter_id)
        try:
            letter = self._letter(row)
        except BadRecord as error:
            field = error.field
            log.warning("letter %s unreadable: field %s", letter_id, field)
            raise MailboxError(
                "bad-answer", f"letter {letter_id} unreadable: field {field}"
            ) from None
        if grants is not None:
            self._decide(person_id, access, letter.org_id, received=letter.received, grants=grants)
        return letter

    def put_away(self, person_id: str, letter_id: str) -> None:
        """A helper puts this letter away on their own desk (the desk keeps
        where letters lie; the person's table is not touched): asked first, so
        a helper with read rights only is refused (``read-only``), and logged
        as put away for the person. For one's own post nothing happens here."""
        if self.holder is None or self.holder == person_id:
            return
        letter = self._checked(person_id, letter_id, mnd.Access.PUT_AWAY)
        self._log_now(person_id, mnd.Access.PUT_AWAY, letter_id=letter.id, org_id=letter.org_id)

    def mark_read(self, person_id: str, letter_id: str) -> None:
        """The person opened the letter. A helper opening it (the client says so
        with this same call) does NOT mark it read for the person, who would
        lose sight of a new letter: it is checked as reading and logged as
        opened, and the person's unread stays as it is."""
        letter = self._checked(person_id, letter_id, mnd.Access.READ)
        if self.holder is not None and self.holder != person_id:
            self._log_now(person_id, mnd.Access.READ, letter_id=letter.id, org_id=letter.org_id)
            return
        self.backend.execute(
            "UPDATE letters SET read = 1 WHERE id = ? AND recipient = ?", (letter_id, person_id)
        )

    # -- organisations and ticks (the rules live here, for every client) -------
    def set_tick(self, person_id: str, org_id: str, ticked: bool) -> TickChange:
        """Tick (digital from now on) or untick (paper after about three weeks).

        Refused with MailboxError: "not-active" (a dormant account has no
        ticks), "fixed-by-law" (the Belastingdienst cannot be unticked here),
        "unknown-organisation". Ticking what is ticked changes nothing.
        """
        from app.mailbox.answers import TickChange

        org = self.organisation(org_id)
        self._decide(person_id, mnd.Access.ASK_PAPER, org_id)
        status = self.account_status(person_id)
        if not status.active:
            raise MailboxError("not-active", person_id)
        if org.fixed_by_law:
            if ticked:
                return TickChange(org_id, True, self._today(), self._today(), changed=False)
            raise MailboxError("fixed-by-law", org_id)
        today = self._today()
        if (org_id in status.ticked) == ticked:
            return TickChange(
                org_id, ticked, today, self._effective(org_id, person_id, today), changed=False
            )
        effective = today if ticked else today + timedelta(days=PAPER_AFTER_DAYS)
        with self.backend.transaction() as c:
            self._write_tick(c, person_id, org_id, ticked, today, effective)
        return TickChange(org_id, ticked, today, effective)

    def _write_tick(
        self, c, person_id: str, org_id: str, ticked: bool, today: date, effective: date
    ) -> None:
        """Inside a transaction: change a tick and record it with its dates."""
        c.execute(_TICK_UPSERT, (person_id, org_id, int(ticked), today.isoformat()))
        c.execute(
            "INSERT INTO tick_log (person_id, org_id, ticked, changed_on, effective_on)"
            " VALUES (?, ?, ?, ?, ?)",
            (person_id, org_id, int(ticked), today.isoformat(), effective.isoformat()),
        )

    def _effective(self, org_id: str, person_id: str, default: date) -> date:
        row = self._row(
            "SELECT effective_on FROM tick_log WHERE person_id = ? AND org_id = ?"
            " ORDER BY id DESC LIMIT 1",
            (person_id, org_id),
        )
        return date.fromisoformat(row["effective_on"]) if row else default

    def tick_history(self, person_id: str) -> list[TickChange]:
        """Every change of a tick, oldest first, with the day it takes effect."""
        from app.mailbox.answers import TickChange

        self._check_person(person_id)
        return [
            TickChange(
                r["org_id"],
                bool(r["ticked"]),
                date.fromisoformat(r["changed_on"]),
                date.fromisoformat(r["effective_on"]),
            )
            for r in self._rows(
                "SELECT * FROM tick_log WHERE person_id = ? ORDER BY id", (person_id,)
            )
        ]

    # -- paper -----------------------------------------------------------------
    #: Test seam: when set, called with the org_id right after each new paper
    #: request is committed in :meth:`request_paper_all`, before the next
    #: organisation. Tests raise here (a service error halfway) or kill the
    #: process (SIGKILL) to prove each organisation is all or nothing.
    paper_step_hook: Callable[[str], None] | None = None

    def _paper_row(self, person_id: str, org_id: str):
        return self._row(
            "SELECT * FROM paper_requests WHERE person_id = ? AND org_id = ?", (person_id, org_id)
        )

    def _paper_request(self, row, *, new: bool = False) -> PaperRequest:
        """A stored request with its state as of today (reading changes nothing):
        an untick request is done once its paper day has come."""
        from app.mailbox.answers import PaperRequest

        paper_from = date.fromisoformat(row["paper_from"]) if row["paper_from"] else None
        done_on = date.fromisoformat(row["done_on"]) if row["done_on"] else None
        state = row["state"]
        if (
            row["route"] == PAPER_ROUTE_UNTICK
            and state == "asked"
            and paper_from is not None
            and paper_from <= self._today()
        ):
            state, done_on = "done", paper_from
        return PaperRequest(
            org_id=row["org_id"],
            route=row["route"],
            state=state,
            requested_on=date.fromisoformat(row["requested_on"]),
            paper_from=paper_from,
            done_on=done_on,
            new=new,
        )

    def request_paper(self, person_id: str, org_id: str) -> PaperRequest:
        """Ask for one organisation's post on paper again.

        An ordinary organisation is unticked and the request recorded in ONE
        transaction (paper after about three weeks). The Belastingdienst cannot
        be unticked: a request is recorded as "prepared" (the person phones its
        Helpdesk Digitale Post or posts a letter). A request that already stands
        is returned unchanged (``new`` False). Refused with MailboxError:
        "not-active", "not-ticked" (post already comes on paper),
        "unknown-organisation", "storage-failed" (nothing was changed).
        """
        from app.mailbox.answers import PaperRequest

        org = self.organisation(org_id)
        self._decide(person_id, mnd.Access.ASK_PAPER, org_id)
        today = self._today()
        try:
            with self.backend.transaction() as c:
                row = self._paper_row(person_id, org_id)
                if row is not None:
                    return self._paper_request(row)
                status = self.account_status(person_id)
                if not status.active:
                    raise MailboxError("not-active", person_id)
                if org.fixed_by_law:
                    route, state, paper_from = PAPER_ROUTE_HELPDESK, "prepared", None
                else:
                    if org_id not in status.ticked:
                        raise MailboxError("not-ticked", org_id)
                    route, state = PAPER_ROUTE_UNTICK, "asked"
                    paper_from = today + timedelta(days=PAPER_AFTER_DAYS)
                    self._write_tick(c, person_id, org_id, False, today, paper_from)
                c.execute(
                    "INSERT INTO paper_requests (person_id, org_id, requested_on, paper_from,"
                    " route, state, done_on) VALUES (?, ?, ?, ?, ?, ?, NULL)",
                    (
                        person_id,
                        org_id,
                        today.isoformat(),
                        paper_from.isoformat() if paper_from else None,
                        route,
                        state,
                    ),
                )
                self._log(c, person_id, mnd.Access.ASK_PAPER, org_id=org_id)
        except self.backend.errors as error:
            raise MailboxError("storage-failed", str(error)) from error
        return PaperRequest(org_id, route, state, today, paper_from, None, new=True)

    def request_paper_all(self, person_id: str) -> list[PaperRequest]:
        """Ask paper of every organisation that sends digitally, then the Belastingdienst.

        One transaction per organisation, so a failure halfway leaves each one
        either unticked and recorded, or untouched; calling again completes the
        rest and returns the requests that already stood with ``new`` False.
        """
        status = self.account_status(person_id)
        if not status.active:
            raise MailboxError("not-active", person_id)
        ordered = sorted(self._orgs.values(), key=lambda o: o.fixed_by_law)
        ordered = [
            o
            for o in ordered
            if self._paper_row(person_id, o.id) is not None or o.id in status.ticked
        ]  # the others send on paper already: nothing to ask
        grants = self._grants() if self.holder is not None else None
        for org in ordered:  # a helper may ask all of them, or nothing changes
            self._decide(person_id, mnd.Access.ASK_PAPER, org.id, grants=grants)
        results = []
        for org in ordered:
            request = self.request_paper(person_id, org.id)
            results.append(request)
            if request.new and self.paper_step_hook is not None:
                self.paper_step_hook(org.id)
        return results

    def paper_offer(self, person_id: str) -> list[PaperRequest]:
        """What request_paper_all would do today, in its order; changes nothing."""
        from app.mailbox.answers import PaperRequest

        self._check_person(person_id)
        status = self.account_status(person_id)
        if not status.active:
            raise MailboxError("not-active", person_id)
        today = self._today()
        offer = []
        for org in sorted(self._orgs.values(), key=lambda o: o.fixed_by_law):
            row = self._paper_row(person_id, org.id)
            if row is not None:
                offer.append(self._paper_request(row))
            elif org.fixed_by_law:
                offer.append(PaperRequest(org.id, PAPER_ROUTE_HELPDESK, "prepared", today))
            elif org.id in status.ticked:
                offer.append(
                    PaperRequest(
                        org.id,
                        PAPER_ROUTE_UNTICK,
                        "asked",
                        today,
                        today + timedelta(days=PAPER_AFTER_DAYS),
                    )
                )
        return offer

    def paper_requests(self, person_id: str) -> list[PaperRequest]:
        """Every paper request with its state as of today: ordinary organisations
        first, the Belastingdienst last. Changes nothing."""
        self._check_person(person_id)
        order = {org_id: i for i, org_id in enumerate(self._orgs)}
        rows = self._rows("SELECT * FROM paper_requests WHERE person_id = ?", (person_id,))
        rows.sort(key=lambda r: (r["route"] != PAPER_ROUTE_UNTICK, order.get(r["org_id"], 0)))
        return [self._paper_request(r) for r in rows]

    def set_paper_request_state(self, person_id: str, org_id: str, state: str) -> PaperRequest:
        """Belastingdienst route only: "sent" (the person phoned or posted; the
        request date becomes today), "done" (paper comes again), or back to
        "prepared". MailboxError "unknown-request" or "bad-state" otherwise."""
        self._decide(person_id, mnd.Access.ASK_PAPER, org_id)
        row = self._paper_row(person_id, org_id)
        if row is None:
            raise MailboxError("unknown-request", org_id)
        if row["route"] != PAPER_ROUTE_HELPDESK or state not in ("prepared", "sent", "done"):
            raise MailboxError("bad-state", state)
        today = self._today().isoformat()
        with self.backend.transaction() as c:
            if state == "sent":
                c.execute(
                    "UPDATE paper_requests SET state = ?, requested_on = ?, done_on = NULL"
                    " WHERE person_id = ? AND org_id = ?",
                    (state, today, person_id, org_id),
                )
                # the helper phoned or posted the request: the person reads it
                self._log(c, person_id, mnd.Access.ASK_PAPER, org_id=org_id)
            else:
                c.execute(
                    "UPDATE paper_requests SET state = ?, done_on = ?"
                    " WHERE person_id = ? AND org_id = ?",
                    (state, today if state == "done" else None, person_id, org_id),
                )
        return self._paper_request(self._paper_row(person_id, org_id))

    # -- activation --------------------------------------------------------------
    # Looking never activates: only activate() does, and only with the token of
    # an offer the person saw and confirmed on the guide's last screen.
    def _activation_secret(self) -> bytes:
        found = "SELECT value FROM meta WHERE key = 'activation_secret'"
        row = self._row(found)
        if row is not None:
            return row["value"].encode("ascii")
        import secrets

        secret = secrets.token_hex(32)
        self.backend.execute(
            "INSERT OR IGNORE INTO meta (key, value) VALUES ('activation_secret', ?)", (secret,)
        )
        return self._row(found)["value"].encode("ascii")

    def _chosen(self, org_ids) -> tuple[str, ...]:
        """The chosen organisations in the box's order, without those fixed by law."""
        if isinstance(org_ids, str):
            org_ids = [org_ids]
        wanted = set(org_ids)
        for org_id in wanted:
            self.organisation(org_id)
        return tuple(o.id for o in self._orgs.values() if o.id in wanted and not o.fixed_by_law)

    def _offer_mac(self, person_id: str, chosen: tuple[str, ...], day: date) -> str:
        import hashlib
        import hmac

        message = "\n".join(["activate", person_id, day.isoformat(), *chosen]).encode("utf-8")
        return hmac.new(self._activation_secret(), message, hashlib.sha256).hexdigest()

    def activation_offer(self, person_id: str, org_ids) -> ActivationOffer:
        """What activating would do, and the token for activate(). Changes nothing.
        For someone else: only their curator (FORBIDDEN ``curator-only``)."""
        from app.mailbox.answers import ActivationOffer

        self._decide(person_id, mnd.Access.ACTIVATE, None)
        if self.account_status(person_id).active:
            raise MailboxError("already-active", person_id)
        chosen = self._chosen(org_ids)
        today = self._today()
        by_law = tuple(o.id for o in self._orgs.values() if o.fixed_by_law)
        paper = tuple(
            o.id for o in self._orgs.values() if o.id not in chosen and not o.fixed_by_law
        )
        token = f"{today.isoformat()}.{self._offer_mac(person_id, chosen, today)}"
        return ActivationOffer(
            token=token,
            person_id=person_id,
            org_ids=chosen,
            by_law=by_law,
            paper_ids=paper,
            offered_on=today,
        )

    def activate(
        self, person_id: str, offer_token: str, org_ids, *, confirmed: bool = False
    ) -> AccountStatus:
        """Activate: the only way. Ticks exactly ``org_ids`` plus the
        Belastingdienst. Cannot be undone (Regeling voorzieningen GDI)."""
        import hmac

        self._decide(person_id, mnd.Access.ACTIVATE, None)
        if self.account_status(person_id).active:
            raise MailboxError("already-active", person_id)
        if confirmed is not True:
            raise MailboxError("confirmation-required", person_id)
        chosen = self._chosen(org_ids)
        today = self._today()
        day, _, mac = (offer_token or "").partition(".")
        if not mac:
            raise MailboxError("invalid-confirmation", "no offer token")
        try:
            offered_on = date.fromisoformat(day)
        except ValueError:
            raise MailboxError("invalid-confirmation", "bad offer token") from None
        if not hmac.compare_digest(mac, self._offer_mac(person_id, chosen, offered_on)):
            raise MailboxError(
                "invalid-confirmation", "the offer was for another person or other organisations"
            )
        if offered_on != today:
            raise MailboxError("confirmation-expired", offered_on.isoformat())
        by_law = [o.id for o in self._orgs.values() if o.fixed_by_law]
        with self.backend.transaction() as c:
            # Checked again inside the transaction: two clicks activate once.
            row = _one(c.rows("SELECT active FROM accounts WHERE person_id = ?", (person_id,)))
            if row is not None and row["active"]:
                raise MailboxError("already-active", person_id)
            c.execute("INSERT OR IGNORE INTO accounts (person_id) VALUES (?)", (person_id,))
            c.execute(
                "UPDATE accounts SET active = 1, activated_on = ? WHERE person_id = ?",
                (today.isoformat(), person_id),
            )
            c.execute("DELETE FROM ticks WHERE person_id = ?", (person_id,))
            for org_id in [*by_law, *chosen]:
                self._write_tick(c, person_id, org_id, True, today, today)
            # Whoever activates chooses among every organisation there is now:
            # nobody is asked again about one that joined before.
            for org in self._orgs.values():
                if org.joins_later:
                    c.execute(
                        "INSERT INTO asked (person_id, org_id, asked_on, answer)"
                        " VALUES (?, ?, ?, ?) ON CONFLICT (person_id, org_id) DO UPDATE"
                        " SET asked_on = excluded.asked_on, answer = excluded.answer",
                        (person_id, org.id, today.isoformat(), int(org.id in chosen)),
                    )
            self._log(c, person_id, mnd.Access.ACTIVATE)
        return self.account_status(person_id)

    def new_organisations(self, person_id: str) -> list[Organisation]:
        """Organisations that joined after the person activated, not asked about yet."""
        self._check_person(person_id)
        if not self.account_status(person_id).active:
            return []
        asked = {
            r["org_id"]
            for r in self._rows("SELECT org_id FROM asked WHERE person_id = ?", (person_id,))
        }
        chosen = {
            r["org_id"]
            for r in self._rows("SELECT org_id FROM ticks WHERE person_id = ?", (person_id,))
        }
        return [
            o
            for o in self._orgs.values()
            if o.joins_later and not o.fixed_by_law and o.id not in asked | chosen
        ]

    def answer_new_organisation(
        self, person_id: str, org_id: str, ticked: bool = False
    ) -> TickChange:
        """The one answer about a newly joined organisation; "no" is the default."""
        from app.mailbox.answers import TickChange

        org = self.organisation(org_id)
        self._decide(person_id, mnd.Access.ASK_PAPER, org_id)
        status = self.account_status(person_id)
        if not status.active:
            raise MailboxError("not-active", person_id)
        if not org.joins_later or org.fixed_by_law:
            raise MailboxError("not-new", org_id)
        if org not in self.new_organisations(person_id):
            raise MailboxError("already-asked", org_id)
        today = self._today()
        ticked = ticked is True
        with self.backend.transaction() as c:
            c.execute(
                "INSERT INTO asked (person_id, org_id, asked_on, answer) VALUES (?, ?, ?, ?)",
                (person_id, org_id, today.isoformat(), int(ticked)),
            )
            if ticked:
                self._write_tick(c, person_id, org_id, True, today, today)
        return TickChange(org_id, ticked, today, today, changed=ticked)

    # -- practice only ---------------------------------------------------------
    def deliver(self, letter: dict) -> None:
        """Put a new letter in the box (tests, training, the server's /aanmeldingen)."""
        self._seed({"organisations": [], "people": [], "letters": [letter]})

    # -- what the server (``server/``) asks of the same rules ---------------------
    def delivery_route(self, person_id: str, org_id: str) -> str:
        """How a new letter from ``org_id`` reaches ``person_id`` today:
        "digital" or "paper". Changes nothing.

        A dormant account gets everything on paper. The Belastingdienst (fixed
        by law) sends digitally unless its paper request is done. An unticked
        organisation sends digitally until the untick takes effect (about
        three weeks), then on paper."""
        org = self.organisation(org_id)
        status = self.account_status(person_id)
        if not status.active:
            return "paper"
        row = self._paper_row(person_id, org_id)
        if row is not None and self._paper_request(row).state == "done":
            return "paper"
        if org.fixed_by_law or org_id in status.ticked:
            return "digital"
        today = self._today()
        return "digital" if self._effective(org_id, person_id, today) > today else "paper"

    def publish(self, person_id: str, letter: dict) -> str:
        """Deliver ``letter`` (a record as in resources/practice/letters.json,
        ``org`` its sender) if :meth:`delivery_route` says "digital"; returns the
        route. A letter whose id is already there is left as it is."""
        route = self.delivery_route(person_id, letter["org"])
        if route == "digital":
            self.deliver({**letter, "recipient": person_id})
        return route

    def letters_page(
        self, person_id: str, offset: int, limit: int
    ) -> tuple[list[Letter], tuple[SetAside, ...]]:
        """One page of the person's letters, newest delivered first (FBS
        ``pagina``/``paginaGrootte``). Letters that cannot be read are set aside.
        For someone else's post the page counts only the letters the holder may read."""
        self._stories_ready()
        grants = self._helper_grants(person_id)
        self._person_row(person_id)
        if grants is None:
            rows = self._rows(
                f"{self._letter_select} WHERE recipient = ? ORDER BY seq DESC LIMIT ? OFFSET ?",
                (person_id, max(0, int(limit)), max(0, int(offset))),
            )
        else:
            every = self._rows(
                f"{self._letter_select} WHERE recipient = ? ORDER BY seq DESC", (person_id,)
            )
            start = max(0, int(offset))
            rows = [r for r in every if self._visible(grants, r)][
                start : start + max(0, int(limit))
            ]
        letters: list[Letter] = []
        set_aside: list[SetAside] = []
        for row in rows:
            try:
                letters.append(self._letter(row))
            except BadRecord as error:
                set_aside.append(self._set_aside(row, error))
        return letters, tuple(set_aside)

    def letter_ids(self, person_id: str) -> list[str]:
        """The ids of every letter of this person (readable or not), oldest first;
        for someone else's post only those the holder may read."""
        self._stories_ready()
        grants = self._helper_grants(person_id)
        columns = ", ".join(
            self._text(c) + f" AS {c}" for c in ("id", "recipient", "org_id", "received")
        )
        return [
            as_text(r["id"])
            for r in self._rows(
                f"SELECT {columns} FROM letters WHERE recipient = ? ORDER BY seq", (person_id,)
            )
            if self._visible(grants, r)
        ]

    def has_letter(self, person_id: str, letter_id: str) -> bool:
        """Whether this person has a letter with this id (readable or not); for
        someone else's post only one the holder may read."""
        self._stories_ready()
        grants = self._helper_grants(person_id)
        columns = ", ".join(self._text(c) + f" AS {c}" for c in ("recipient", "org_id", "received"))
        row = self._row(
            f"SELECT {columns} FROM letters WHERE id = ? AND recipient = ?", (letter_id, person_id)
        )
        return row is not None and self._visible(grants, row)

    def mark_unread(self, person_id: str, letter_id: str) -> None:
        """The opposite of :meth:`mark_read` (FBS PATCH status "ongelezen"); as
        with :meth:`mark_read`, a helper never changes the person's read status."""
        self._checked(person_id, letter_id, mnd.Access.READ)
        if self.holder is not None and self.holder != person_id:
            return
        self.backend.execute(
            "UPDATE letters SET read = 0 WHERE id = ? AND recipient = ?", (letter_id, person_id)
        )

    def delete_letter(self, person_id: str, letter_id: str) -> None:
        """Remove one letter of this person (FBS DELETE); MailboxError
        "unknown-letter" when it is not there (or no longer). A helper needs
        "read and act" (as for putting away), and the person reads it in their log."""
        self._stories_ready()
        letter = None
        if self.holder is not None and self.holder != person_id:
            letter = self._checked(person_id, letter_id, mnd.Access.PUT_AWAY)
        with self.backend.transaction() as c:
            gone = c.execute(
                "DELETE FROM letters WHERE id = ? AND recipient = ?", (letter_id, person_id)
            )
            if gone and letter is not None:
                self._log(
                    c, person_id, mnd.Access.PUT_AWAY, letter_id=letter.id, org_id=letter.org_id
                )
        if not gone:
            raise MailboxError("unknown-letter", letter_id)

    def sign_out(self) -> None:
        """The practice box has no sign-in: there is nothing to forget."""

    def close(self) -> None:
        """Closes the backend it opened (a shared one is its owner's to close)."""
        if self._owns_backend:
            self.backend.close()


__all__ = ["PracticeMailbox", "Notice", "load_practice_data"]
