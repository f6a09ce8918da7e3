"""The practice mailbox: the Berichtenbox rules over a local SQLite file.

It is the app's default and the safe place to practise. It is filled from
``resources/practice/*.json``; dates there are relative to the day the file is
made, so the sample letters always look current.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from app import validate as v
from app.mailbox import (
    PAPER_ROUTE_HELPDESK,
    PAPER_ROUTE_UNTICK,
    ActivationOffer,
    LetterBatch,
    MailboxError,
    PaperRequest,
    ProgressCallback,
    SyncProgress,
    TickChange,
)
from app.model import AccountStatus, Action, Letter, Organisation, Person
from app.paths import resources_dir
from app.storage import Notice, open_database, transaction
from app.validate import BadRecord, SetAside

log = logging.getLogger(__name__)


SCHEMA_VERSION = 2
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
)
"""
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
)
#: Unticking brings paper back after about three weeks. The rule lives here,
#: in the service; clients ask :meth:`PracticeMailbox.paper_offer`.
PAPER_AFTER_DAYS = 21
DEFAULT_PERSON = "koen"


def _add_attachments(c: sqlite3.Connection) -> None:
    """Version 1 had no attachments (bijlagen)."""
    c.execute("ALTER TABLE letters ADD COLUMN attachments TEXT NOT NULL DEFAULT '[]'")


MIGRATIONS = {1: _add_attachments}


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


def _long_date(day: date) -> str:
    from babel.dates import format_date

    return format_date(day, format="long", locale="nl_NL")


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


LETTER_SELECT = (
    "SELECT seq, " + ", ".join(f"{_raw(c)} AS {c}" for c in LETTER_COLUMNS) + " FROM letters"
)


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


class PracticeMailbox:
    """The embedded Berichtenbox. Holds several practice people; one is signed in."""

    is_practice = True

    def __init__(
        self,
        path: Path,
        *,
        person_id: str = DEFAULT_PERSON,
        today: Callable[[], date] = date.today,
        data_folder: Path | None = None,
    ):
        self.path = Path(path)
        self._today = today
        self.conn, self.notices = open_database(
            self.path,
            store="practice",
            schema=SCHEMA,
            version=SCHEMA_VERSION,
            migrations=MIGRATIONS,
            salvage_tables=TABLES,
        )
        if self.conn.execute("SELECT COUNT(*) FROM letters").fetchone()[0] == 0:
            self._seed(load_practice_data(data_folder))
        self._orgs: dict[str, Organisation] = {}
        for r in self.conn.execute(
            "SELECT rowid, CAST(data AS BLOB) AS data FROM organisations ORDER BY rowid"
        ):
            try:
                org = _organisation(r["data"])
            except BadRecord as error:
                # Its letters still come, with the organisation's id as sender.
                log.warning("organisation row %s unreadable: field %s", r["rowid"], error.field)
                continue
            self._orgs[org.id] = org
        ids = [
            bytes(r[0]).decode("utf-8", "replace")
            for r in self.conn.execute("SELECT CAST(id AS BLOB) FROM people ORDER BY rowid")
        ]
        self._person_id = person_id if person_id in ids else (ids[0] if ids else person_id)

    # -- filling ---------------------------------------------------------------
    def _seed(self, data: dict[str, list[dict]]) -> None:
        data = _clean(data)
        today = self._today()
        with transaction(self.conn) as c:
            for org in data["organisations"]:
                c.execute(
                    "INSERT OR REPLACE INTO organisations VALUES (?, ?)",
                    (org["id"], json.dumps(org, ensure_ascii=False)),
                )
            for person in data["people"]:
                c.execute(
                    "INSERT OR REPLACE INTO people VALUES (?, ?)",
                    (person["id"], json.dumps(person, ensure_ascii=False)),
                )
                account = person.get("account", {})
                c.execute(
                    "INSERT OR REPLACE INTO accounts VALUES (?, ?, ?, ?, ?)",
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
                        "INSERT OR REPLACE INTO ticks VALUES (?, ?, 1, ?)",
                        (person["id"], org_id, account.get("activated_on") or today.isoformat()),
                    )
            for item in data["letters"]:
                received = today - timedelta(days=int(item.get("received_days_ago", 0)))
                left = item.get("deadline_in_days")
                deadline = None if left is None else today + timedelta(days=int(left))
                body = item.get("body", "")
                body = body.replace("{received}", _long_date(received))
                if deadline is not None:
                    body = body.replace("{deadline}", _long_date(deadline))
                org = next((o for o in data["organisations"] if o["id"] == item["org"]), {})
                c.execute(
                    "INSERT OR IGNORE INTO letters (id, recipient, org_id, subject, summary, body,"
                    " action, message_type, received, deadline, amount_cents, reference, phone,"
                    " what_to_do, read, attachments) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (
                        item["id"],
                        item["recipient"],
                        item["org"],
                        item["subject"],
                        item.get("summary", ""),
                        body,
                        v.choice({"action": item.get("action", "lezen")}, "action", Action).value,
                        item.get("berichtType", "notificatie"),
                        received.isoformat(),
                        deadline.isoformat() if deadline else None,
                        item.get("amount_cents"),
                        item.get("reference", ""),
                        item.get("phone") or org.get("phone", ""),
                        item.get("what_to_do", ""),
                        int(bool(item.get("read"))),
                        json.dumps(item.get("bijlagen", []), ensure_ascii=False),
                    ),
                )
            c.execute("INSERT OR REPLACE INTO meta VALUES ('seeded_on', ?)", (today.isoformat(),))

    # -- Mailbox ---------------------------------------------------------------
    def _person_row(self, person_id: str) -> None:
        """MailboxError "unknown-person" unless the person is there."""
        row = self.conn.execute("SELECT 1 FROM people WHERE id = ?", (person_id,)).fetchone()
        if row is None:
            raise MailboxError("unknown-person", person_id)

    def _read_person(self, person_id: str) -> Person:
        """The person, or MailboxError "bad-answer" when their row cannot be read
        (the detail names the field only: a person id may be a BSN)."""
        row = self.conn.execute(
            "SELECT CAST(data AS BLOB) AS data FROM people WHERE id = ?", (person_id,)
        ).fetchone()
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
        return [self.me()]

    def practice_people(self) -> list[Person]:
        """Every practice story that can be read; one can be chosen to try it.
        A damaged one is left out (signing in as it is a MailboxError)."""
        people = []
        for r in self.conn.execute(
            "SELECT rowid, CAST(data AS BLOB) AS data FROM people ORDER BY rowid"
        ):
            try:
                people.append(_person(r["data"]))
            except BadRecord as error:
                log.warning("practice person row %s left out: field %s", r["rowid"], error.field)
        return people

    def organisations(self) -> list[Organisation]:
        return list(self._orgs.values())

    def organisation(self, org_id: str) -> Organisation:
        try:
            return self._orgs[org_id]
        except KeyError:
            raise MailboxError("unknown-organisation", org_id) from None

    def account_status(self, person_id: str) -> AccountStatus:
        self._person_row(person_id)
        row = self.conn.execute(
            "SELECT * FROM accounts WHERE person_id = ?", (person_id,)
        ).fetchone()
        ticked = {
            r[0]
            for r in self.conn.execute(
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
        it is asked, as FBS ``_ophalen`` does."""
        self._person_row(person_id)
        after = int(since) if since and since.isdigit() else 0
        rows = self.conn.execute(
            f"{LETTER_SELECT} WHERE recipient = ? AND seq > ? ORDER BY seq", (person_id, after)
        ).fetchall()
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
        cursor = max([after] + [r["seq"] for r in rows])
        if set_aside:
            # Not past a letter set aside: the next sync asks for it again, so
            # it comes once its row is mended, and is not forgotten meanwhile.
            bad = {s.letter_id for s in set_aside}
            cursor = min(r["seq"] for r in rows if _row_id(r) in bad) - 1
        return LetterBatch(letters, str(cursor), tuple(set_aside))

    def letter(self, person_id: str, letter_id: str) -> Letter:
        row = self.conn.execute(
            f"{LETTER_SELECT} WHERE id = ? AND recipient = ?", (letter_id, person_id)
        ).fetchone()
        if row is None:
            raise MailboxError("unknown-letter", letter_id)
        try:
            return self._letter(row)
        except BadRecord as error:
            field = error.field
        log.warning("letter %s unreadable: field %s", letter_id, field)
        raise MailboxError("bad-answer", f"letter {letter_id} unreadable: field {field}")

    def mark_read(self, person_id: str, letter_id: str) -> None:
        self.letter(person_id, letter_id)
        with transaction(self.conn) as c:
            c.execute(
                "UPDATE letters SET read = 1 WHERE id = ? AND recipient = ?", (letter_id, person_id)
            )

    # -- organisations and ticks (the rules live here, for every client) -------
    def set_tick(self, person_id: str, org_id: str, ticked: bool) -> TickChange:
        """Tick (digital from now on) or untick (paper after about three weeks).

        Refused with MailboxError: "not-active" (a dormant account has no
        ticks), "fixed-by-law" (the Belastingdienst cannot be unticked here),
        "unknown-organisation". Ticking what is ticked changes nothing.
        """
        org = self.organisation(org_id)
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
        with transaction(self.conn) as c:
            self._write_tick(c, person_id, org_id, ticked, today, effective)
        return TickChange(org_id, ticked, today, effective)

    def _write_tick(
        self, c, person_id: str, org_id: str, ticked: bool, today: date, effective: date
    ) -> None:
        """Inside a transaction: change a tick and record it with its dates."""
        c.execute(
            "INSERT OR REPLACE INTO ticks VALUES (?, ?, ?, ?)",
            (person_id, org_id, int(ticked), today.isoformat()),
        )
        c.execute(
            "INSERT INTO tick_log (person_id, org_id, ticked, changed_on, effective_on)"
            " VALUES (?, ?, ?, ?, ?)",
            (person_id, org_id, int(ticked), today.isoformat(), effective.isoformat()),
        )

    def _effective(self, org_id: str, person_id: str, default: date) -> date:
        row = self.conn.execute(
            "SELECT effective_on FROM tick_log WHERE person_id = ? AND org_id = ?"
            " ORDER BY id DESC LIMIT 1",
            (person_id, org_id),
        ).fetchone()
        return date.fromisoformat(row[0]) if row else default

    def tick_history(self, person_id: str) -> list[TickChange]:
        """Every change of a tick, oldest first, with the day it takes effect."""
        return [
            TickChange(
                r["org_id"],
                bool(r["ticked"]),
                date.fromisoformat(r["changed_on"]),
                date.fromisoformat(r["effective_on"]),
            )
            for r in self.conn.execute(
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
        return self.conn.execute(
            "SELECT * FROM paper_requests WHERE person_id = ? AND org_id = ?", (person_id, org_id)
        ).fetchone()

    def _paper_request(self, row, *, new: bool = False) -> PaperRequest:
        """A stored request with its state as of today (reading changes nothing):
        an untick request is done once its paper day has come."""
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
        import sqlite3

        org = self.organisation(org_id)
        today = self._today()
        try:
            with transaction(self.conn) as c:
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
        except sqlite3.Error as error:
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
        results = []
        for org in ordered:
            if self._paper_row(person_id, org.id) is None and org.id not in status.ticked:
                continue  # already on paper, nothing to ask
            request = self.request_paper(person_id, org.id)
            results.append(request)
            if request.new and self.paper_step_hook is not None:
                self.paper_step_hook(org.id)
        return results

    def paper_offer(self, person_id: str) -> list[PaperRequest]:
        """What request_paper_all would do today, in its order; changes nothing."""
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
        order = {org_id: i for i, org_id in enumerate(self._orgs)}
        rows = self.conn.execute(
            "SELECT * FROM paper_requests WHERE person_id = ?", (person_id,)
        ).fetchall()
        rows.sort(key=lambda r: (r["route"] != PAPER_ROUTE_UNTICK, order.get(r["org_id"], 0)))
        return [self._paper_request(r) for r in rows]

    def set_paper_request_state(self, person_id: str, org_id: str, state: str) -> PaperRequest:
        """Belastingdienst route only: "sent" (the person phoned or posted; the
        request date becomes today), "done" (paper comes again), or back to
        "prepared". MailboxError "unknown-request" or "bad-state" otherwise."""
        row = self._paper_row(person_id, org_id)
        if row is None:
            raise MailboxError("unknown-request", org_id)
        if row["route"] != PAPER_ROUTE_HELPDESK or state not in ("prepared", "sent", "done"):
            raise MailboxError("bad-state", state)
        today = self._today().isoformat()
        with transaction(self.conn) as c:
            if state == "sent":
                c.execute(
                    "UPDATE paper_requests SET state = ?, requested_on = ?, done_on = NULL"
                    " WHERE person_id = ? AND org_id = ?",
                    (state, today, person_id, org_id),
                )
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
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'activation_secret'").fetchone()
        if row is not None:
            return row[0].encode("ascii")
        import secrets

        secret = secrets.token_hex(32)
        with transaction(self.conn) as c:
            c.execute("INSERT OR IGNORE INTO meta VALUES ('activation_secret', ?)", (secret,))
        return (
            self.conn.execute("SELECT value FROM meta WHERE key = 'activation_secret'")
            .fetchone()[0]
            .encode("ascii")
        )

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
        """What activating would do, and the token for activate(). Changes nothing."""
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
        with transaction(self.conn) as c:
            # Checked again inside the transaction: two clicks activate once.
            row = c.execute(
                "SELECT active FROM accounts WHERE person_id = ?", (person_id,)
            ).fetchone()
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
                        "INSERT OR REPLACE INTO asked VALUES (?, ?, ?, ?)",
                        (person_id, org.id, today.isoformat(), int(org.id in chosen)),
                    )
        return self.account_status(person_id)

    def new_organisations(self, person_id: str) -> list[Organisation]:
        """Organisations that joined after the person activated, not asked about yet."""
        if not self.account_status(person_id).active:
            return []
        asked = {
            r[0]
            for r in self.conn.execute("SELECT org_id FROM asked WHERE person_id = ?", (person_id,))
        }
        chosen = {
            r[0]
            for r in self.conn.execute("SELECT org_id FROM ticks WHERE person_id = ?", (person_id,))
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
        org = self.organisation(org_id)
        status = self.account_status(person_id)
        if not status.active:
            raise MailboxError("not-active", person_id)
        if not org.joins_later or org.fixed_by_law:
            raise MailboxError("not-new", org_id)
        if org not in self.new_organisations(person_id):
            raise MailboxError("already-asked", org_id)
        today = self._today()
        ticked = ticked is True
        with transaction(self.conn) as c:
            c.execute(
                "INSERT INTO asked VALUES (?, ?, ?, ?)",
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
        ``pagina``/``paginaGrootte``). Letters that cannot be read are set aside."""
        self._person_row(person_id)
        rows = self.conn.execute(
            f"{LETTER_SELECT} WHERE recipient = ? ORDER BY seq DESC LIMIT ? OFFSET ?",
            (person_id, max(0, int(limit)), max(0, int(offset))),
        ).fetchall()
        letters: list[Letter] = []
        set_aside: list[SetAside] = []
        for row in rows:
            try:
                letters.append(self._letter(row))
            except BadRecord as error:
                set_aside.append(self._set_aside(row, error))
        return letters, tuple(set_aside)

    def letter_ids(self, person_id: str) -> list[str]:
        """The ids of every letter of this person (readable or not), oldest first."""
        return [
            bytes(r[0]).decode("utf-8", "replace")
            for r in self.conn.execute(
                "SELECT CAST(id AS BLOB) FROM letters WHERE recipient = ? ORDER BY seq",
                (person_id,),
            )
        ]

    def has_letter(self, person_id: str, letter_id: str) -> bool:
        """Whether this person has a letter with this id (readable or not)."""
        row = self.conn.execute(
            "SELECT 1 FROM letters WHERE id = ? AND recipient = ?", (letter_id, person_id)
        ).fetchone()
        return row is not None

    def mark_unread(self, person_id: str, letter_id: str) -> None:
        """The opposite of :meth:`mark_read` (FBS PATCH status "ongelezen")."""
        self.letter(person_id, letter_id)
        with transaction(self.conn) as c:
            c.execute(
                "UPDATE letters SET read = 0 WHERE id = ? AND recipient = ?", (letter_id, person_id)
            )

    def delete_letter(self, person_id: str, letter_id: str) -> None:
        """Remove one letter of this person (FBS DELETE); MailboxError
        "unknown-letter" when it is not there (or no longer)."""
        with transaction(self.conn) as c:
            gone = c.execute(
                "DELETE FROM letters WHERE id = ? AND recipient = ?", (letter_id, person_id)
            ).rowcount
        if not gone:
            raise MailboxError("unknown-letter", letter_id)

    def sign_out(self) -> None:
        """The practice box has no sign-in: there is nothing to forget."""

    def close(self) -> None:
        self.conn.close()


__all__ = ["PracticeMailbox", "Notice", "load_practice_data"]
