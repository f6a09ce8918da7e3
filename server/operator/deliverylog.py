"""The delivery log of one letter (the Wmebv's sending and reading log): when
it was delivered, each notification attempt and its result, when it was read,
what went on paper, and what the sender was told. For the recipient (with a
line in plain words per step) and for the organisation that sent it.

Most of it is on record already: the notifications' attempts in the outbox
(:mod:`app.outbox`, ``notificaties.sqlite3``), the letter's notification state,
the paper contact letters (``contact_items``), the paper deliveries (``paper``)
and the events for the sender (``webhook_outbox``). Two moments are written
here, once each, in a table of this module's own (``delivery_log``, made when
missing on SQLite and PostgreSQL alike): ``bezorgd`` when an organisation
delivered a letter digitally, and ``gelezen`` the first time the person
(never a helper) marked it read. A practice letter seeded before has only its
day of arrival; one read before the log existed has ``gelezen`` without a
moment.

Never in it: an address, an e-mail address, the letter's text, a name.
"""

# ruff: noqa: N815 - the wire's names (berichtId, ontvangenOp), as in server/schemas.py
from __future__ import annotations

import contextlib
import enum
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from app.i18n import gettext as _
from app.model import Letter

from .events import TYPES
from .notify import KEY, OUTBOX_FILE, REPEAT_KEY

TABLE = (
    "CREATE TABLE IF NOT EXISTS delivery_log ("
    " bericht_id TEXT NOT NULL, event TEXT NOT NULL, person_id TEXT NOT NULL,"
    " org_id TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (bericht_id, event))"
)
DELIVERED = "bezorgd"
READ = "gelezen"


class Soort(enum.StrEnum):
    """What one step of the log is."""

    BEZORGD = "bezorgd"  # in the person's Berichtenbox
    OP_PAPIER = "op-papier"  # not digital: the organisation sends it by post
    NOTIFICATIE = "notificatie"  # one attempt of the e-mail notification
    HERHALING = "herhaling"  # one attempt of the repeat notification
    GELEZEN = "gelezen"  # the person opened it
    CONTACTHERSTEL = "contactherstel"  # a paper letter about it (issue 17)
    AFZENDER = "afzender-geinformeerd"  # an event to the sender's webhook


class Stap(BaseModel):
    soort: Soort
    datum: date
    moment: datetime | None = None
    #: notification: delivered, deferred, bounced, unsure, no-address;
    #: event: pending, sent, failed, no-webhook
    resultaat: str | None = None
    poging: int | None = None
    #: the mail server's reason and code (``accepted 250``, ``refused 550``), or the
    #: webhook's HTTP status
    antwoord: str | None = None
    #: the event's type (``nl.brieventafel.bericht.niet-gelezen``...)
    gebeurtenis: str | None = None
    #: the paper contact letter's own id
    brief: str | None = None
    #: the line the recipient reads (not in the sender's log)
    tekst: str | None = None


class Bezorglog(BaseModel):
    berichtId: str
    organisatie: str
    bezorging: str  # digitaal, papier
    ontvangenOp: date
    gelezen: bool
    stappen: list[Stap]


def _ready(store: Any) -> None:
    if getattr(store, "_delivery_log_ready", False):
        return
    with store.backend.transaction() as tx:  # takes the writers' lock on PostgreSQL too
        tx.execute(TABLE)
    store._delivery_log_ready = True


def record(store: Any, bericht_id: str, event: str, person_id: str, org_id: str) -> None:
    """``event`` (:data:`DELIVERED`, :data:`READ`) happened now; the first time stays."""
    _ready(store)
    with store.backend.transaction() as tx:
        tx.execute(
            "INSERT INTO delivery_log VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (bericht_id, event, person_id, org_id, datetime.now(UTC).isoformat()),
        )


def recorded(store: Any, bericht_id: str) -> dict[str, datetime]:
    _ready(store)
    return {
        r["event"]: datetime.fromisoformat(r["at"])
        for r in store.backend.rows(
            "SELECT event, at FROM delivery_log WHERE bericht_id = ?", (bericht_id,)
        )
    }


def sender_of(store: Any, bericht_id: str) -> tuple[str, str] | None:
    """(person_id, org_id) of a letter delivered digitally and logged, or None."""
    _ready(store)
    rows = store.backend.rows(
        "SELECT person_id, org_id FROM delivery_log WHERE bericht_id = ? AND event = ?",
        (bericht_id, DELIVERED),
    )
    return (rows[0]["person_id"], rows[0]["org_id"]) if rows else None


def _line(step: Stap) -> str:
    """The recipient's line for one step, in plain words."""
    if step.soort is Soort.BEZORGD:
        return _("De brief kwam in uw Berichtenbox.")
    if step.soort is Soort.OP_PAPIER:
        return _("Deze brief komt op papier, met de post.")
    if step.soort is Soort.GELEZEN:
        return _("U hebt de brief geopend.")
    if step.soort is Soort.CONTACTHERSTEL:
        return _("Wij stuurden u een brief op papier over deze brief.")
    if step.soort is Soort.AFZENDER:
        return _("Wij lieten de afzender weten dat u de brief nog niet las.")
    if step.resultaat == "no-address":
        return _("Wij hebben geen e-mailadres van u.")
    if step.resultaat == "delivered":
        if step.soort is Soort.HERHALING:
            return _("Wij stuurden u een herinnering per e-mail.")
        return _("Wij stuurden u een e-mail over deze brief.")
    if step.resultaat == "bounced":
        return _("Onze e-mail over deze brief kwam niet aan.")
    if step.resultaat == "unsure":
        return _("Wij weten niet zeker of onze e-mail aankwam.")
    return _("Onze e-mail lukte nog niet. Wij proberen het opnieuw.")


def _attempt_result(state: str) -> str:
    return {"sent": "delivered", "failed": "bounced", "unsure": "unsure"}.get(state, "deferred")


def _notifications(store: Any, data_dir: Path, letter_id: str) -> list[Stap]:
    """Every attempt of the letter's notification and its repeat (the outbox's
    record, in the server's database on PostgreSQL); none when the server never
    sent mail (on SQLite: no outbox file)."""
    from server.operator.notify import open_outbox

    backend = getattr(store, "backend", None)
    on_postgresql = backend is not None and backend.kind == "postgresql"
    if not on_postgresql and not (Path(data_dir) / OUTBOX_FILE).exists():
        return []
    steps = []
    outbox = open_outbox(data_dir, backend if on_postgresql else None)
    try:
        for soort, key in ((Soort.NOTIFICATIE, KEY), (Soort.HERHALING, REPEAT_KEY)):
            message = outbox.message(key + letter_id)
            for number, attempt in enumerate(message.attempts if message else [], 1):
                steps.append(
                    Stap(
                        soort=soort,
                        datum=attempt.at.date(),
                        moment=attempt.at,
                        resultaat=_attempt_result(attempt.state.value),
                        poging=number,
                        antwoord=f"{attempt.reason.value} {attempt.code or ''}".strip(),
                    )
                )
    finally:
        outbox.close()
    return steps


def for_letter(
    store: Any, data_dir: Path, person_id: str, letter: Letter, *, recipient: bool
) -> Bezorglog:
    """The log of one letter in the person's box; ``recipient``: with their lines."""
    moments = recorded(store, letter.id)
    steps = [
        Stap(
            soort=Soort.BEZORGD,
            datum=moments[DELIVERED].date() if DELIVERED in moments else letter.received,
            moment=moments.get(DELIVERED),
        )
    ]
    steps += _notifications(store, data_dir, letter.id)
    for row in store.notifications():
        if row["bericht_id"] == letter.id and row["state"] == "no-address":
            moment = datetime.fromisoformat(row["updated"])
            steps.append(
                Stap(
                    soort=Soort.NOTIFICATIE,
                    datum=moment.date(),
                    moment=moment,
                    resultaat="no-address",
                )
            )
    if READ in moments:
        steps.append(Stap(soort=Soort.GELEZEN, datum=moments[READ].date(), moment=moments[READ]))
    for row in store.backend.rows(
        "SELECT contact_id, day FROM contact_items WHERE person_id = ? AND item = ?",
        (person_id, f"letter:{letter.id}"),
    ):
        steps.append(
            Stap(
                soort=Soort.CONTACTHERSTEL,
                datum=date.fromisoformat(row["day"]),
                brief=row["contact_id"],
            )
        )
    for event in store.events_out():
        if event["bericht_id"] == letter.id:
            created = _event_created(store, event["id"])
            steps.append(
                Stap(
                    soort=Soort.AFZENDER,
                    datum=created.date(),
                    moment=created,
                    resultaat=event["state"],
                    poging=event["attempts"],
                    antwoord=event["last_status"] or None,
                    gebeurtenis=TYPES.get(event["kind"], event["kind"]),
                )
            )
    steps.sort(key=lambda x: (x.datum, x.moment or datetime.combine(x.datum, time.min, UTC)))
    if letter.read and READ not in moments:  # read before this log was kept: no moment
        steps.append(Stap(soort=Soort.GELEZEN, datum=steps[-1].datum))
    if recipient:
        for step in steps:
            step.tekst = _line(step)
    return Bezorglog(
        berichtId=_fbs_id(letter.id),
        organisatie=letter.org_id,
        bezorging="digitaal",
        ontvangenOp=letter.received,
        gelezen=letter.read,
        stappen=steps,
    )


def on_paper(bericht_id: str, org_id: str, day: date, *, recipient: bool) -> Bezorglog:
    """The log of a letter that went on paper (not in the box): the
    organisation sends it by post."""
    step = Stap(soort=Soort.OP_PAPIER, datum=day)
    if recipient:
        step.tekst = _line(step)
    return Bezorglog(
        berichtId=bericht_id,
        organisatie=org_id,
        bezorging="papier",
        ontvangenOp=day,
        gelezen=False,
        stappen=[step],
    )


def paper_day(store: Any, bericht_id: str) -> date:
    rows = store.backend.rows("SELECT day FROM paper WHERE bericht_id = ?", (bericht_id,))
    with contextlib.suppress(IndexError, ValueError):
        return date.fromisoformat(rows[0]["day"])
    return datetime.now(UTC).date()


def _event_created(store: Any, event_id: str) -> datetime:
    rows = store.backend.rows("SELECT created FROM webhook_outbox WHERE id = ?", (event_id,))
    return datetime.fromisoformat(rows[0]["created"])


def _fbs_id(letter_id: str) -> str:
    from .. import fbs

    return fbs.fbs_id(letter_id)


class Contactbrief(BaseModel):
    """One paper contact letter on record for the person (their proof pack)."""

    id: str
    datum: date
    #: the rules that found it (unread, undeliverable, no-email, email-bounces)
    redenen: list[str]
    #: "persoon", or "curator" when it went to their curator
    aan: str
    #: the letters it was about (FBS berichtId)
    berichten: list[str]
    #: the letter's lines as sent, without the address
    regels: list[str]


def contact_letters(store: Any, person_id: str) -> list[Contactbrief]:
    """The paper contact letters about this person, oldest first."""
    items: dict[str, list[str]] = {}
    for row in store.backend.rows(
        "SELECT contact_id, item FROM contact_items WHERE person_id = ? ORDER BY item",
        (person_id,),
    ):
        if row["item"].startswith("letter:"):
            items.setdefault(row["contact_id"], []).append(
                _fbs_id(row["item"].removeprefix("letter:"))
            )
    return [
        Contactbrief(
            id=c["id"],
            datum=c["day"],
            redenen=c["reasons"],
            aan="curator" if c["letter"].get("aan") else "persoon",
            berichten=items.get(c["id"], []),
            regels=[text for _kind, text in c["letter"].get("regels", [])],
        )
        for c in store.contacts()
        if c["person_id"] == person_id
    ]
