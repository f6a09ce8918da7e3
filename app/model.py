"""The domain: organisations, people, accounts and letters.

Plain dataclasses, no Qt, no storage. Identifiers are strings so that the
practice mailbox and a remote FBS server (UUIDs, ``BSN:...``) fit the same model.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from app import validate as v
from app.i18n import N_
from app.lazy import names as lazy_names

if TYPE_CHECKING:
    from app.model_more import AccountStatus as AccountStatus
    from app.model_more import Attachment

#: names of app.model made when first asked for (app/model_more.py): a start on
#: the table makes neither (issue 14)
_LATER = frozenset({"AccountStatus", "Attachment"})


__getattr__ = lazy_names(__name__, dict.fromkeys(_LATER, "app.model_more"))


class Action(enum.StrEnum):
    """What the sender expects of the reader (Open Inwoner's handelingsperspectief)."""

    PAY = "betalen"
    RESPOND = "reageren"
    READ = "lezen"

    @property
    def label(self) -> str:
        """Untranslated label; pass through ``_()`` when shown."""
        return {
            Action.PAY: N_("Betalen"),
            Action.RESPOND: N_("Reageren"),
            Action.READ: N_("Alleen lezen"),
        }[self]


@dataclass(frozen=True)
class Organisation:
    id: str
    name: str
    full_name: str
    sends: str
    phone: str
    phone_hours: str = ""
    postal_address: tuple[str, ...] = ()
    fixed_by_law: bool = False
    joins_later: bool = False
    paper_route: dict | None = None
    #: the number to dial from outside the Netherlands ("" when none is known:
    #: 0800, 0900 and 14 numbers cannot be dialled from abroad)
    phone_abroad: str = ""
    #: where each fact was read: field name -> https address (organisations.json)
    sources: dict[str, str] | None = None

    @classmethod
    def from_record(cls, record: dict) -> Organisation:
        """From a stored record; :class:`~app.validate.BadRecord` names the bad field."""
        return v.checked("organisation", record, cls._from_record)

    @classmethod
    def _from_record(cls, org_id: str, record: dict) -> Organisation:
        name = v.text(record, "name", required=True)
        route = record.get("paper_route")
        if route is not None and not isinstance(route, dict):
            raise v.BadRecord("paper_route")
        return cls(
            id=org_id,
            name=name,
            full_name=v.text(record, "full_name", default=name) or name,
            sends=v.text(record, "sends"),
            phone=v.text(record, "phone"),
            phone_hours=v.text(record, "phone_hours"),
            postal_address=v.texts(record, "postal_address"),
            fixed_by_law=v.flag(record, "fixed_by_law"),
            joins_later=v.flag(record, "joins_later"),
            paper_route=route,
            phone_abroad=v.text(record, "phone_abroad"),
            sources=v.sources(record, "sources"),
        )


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    bsn: str
    birth_date: date | None = None
    address: tuple[str, ...] = ()
    email: str | None = None
    story: str = ""

    @classmethod
    def from_record(cls, record: dict) -> Person:
        """From a stored record; :class:`~app.validate.BadRecord` names the bad field."""
        return v.checked("person", record, cls._from_record)

    @classmethod
    def _from_record(cls, person_id: str, record: dict) -> Person:
        return cls(
            id=person_id,
            name=v.text(record, "name", required=True),
            bsn=v.text(record, "bsn"),
            birth_date=v.iso_date(record, "birth_date"),
            address=v.texts(record, "address"),
            email=v.optional_text(record, "email"),
            story=v.text(record, "story"),
        )


#: ``Letter.source`` of a letter the person added from paper or a PDF (issue 15)
PAPER = "papier"


@dataclass(frozen=True)
class Letter:
    """One message. ``store_id`` is where it lives (FBS ``magazijnId``): a
    remote mailbox needs it to mark the letter read or to move it."""

    id: str
    recipient: str
    org_id: str
    sender: str
    subject: str
    summary: str
    body: str
    action: Action
    received: date
    deadline: date | None = None
    amount_cents: int | None = None
    reference: str = ""
    phone: str = ""
    what_to_do: str = ""
    message_type: str = "notificatie"
    read: bool = False
    store_id: str = ""
    attachments: tuple[Attachment, ...] = ()
    #: which rule of app/explain wrote ``summary`` and ``what_to_do`` ("onbekend":
    #: none knew the letter); "" when they are the sender's own (issue 15)
    explained_by: str = ""
    #: where the letter came from: "" from the mailbox, :data:`PAPER` for a paper
    #: or PDF letter the person added (app/importing.py; the original is kept)
    source: str = ""

    @classmethod
    def from_record(cls, record: dict) -> Letter:
        """The letter from a record of its fields (as :func:`dataclasses.asdict`
        gives them, dates as ``YYYY-MM-DD``, attachments as records).

        Every value is checked here, once: text must be text (lone surrogates
        become U+FFFD), dates ISO and real, the amount whole cents, the action
        one of :class:`Action`. Anything else raises
        :class:`~app.validate.BadRecord` with the field and the letter's id,
        never the value. Unknown fields are ignored.

        A letter the rules explained at sync (``explained_by``, see
        :func:`app.session.Session.sync`) has that explanation said again in the
        language in use; every other letter comes out as it was stored.
        """
        letter = v.checked("letter", record, cls._from_record)
        if not letter.explained_by:
            return letter
        from app.explain import explained

        return explained(letter)

    @classmethod
    def _from_record(cls, letter_id: str, record: dict) -> Letter:
        attachments: list[Attachment] = []
        for item in v.records(record, "attachments"):
            from app.model_more import Attachment

            try:
                attachments.append(Attachment.from_record(item))
            except v.BadRecord:
                break
        else:
            return cls._build(letter_id, record, tuple(attachments))
        raise v.BadRecord("attachments")

    @classmethod
    def _build(cls, letter_id: str, record: dict, attachments: tuple[Attachment, ...]) -> Letter:
        return cls(
            id=letter_id,
            recipient=v.text(record, "recipient", required=True),
            org_id=v.text(record, "org_id", required=True),
            sender=v.text(record, "sender", required=True),
            subject=v.text(record, "subject"),
            summary=v.text(record, "summary"),
            body=v.text(record, "body"),
            action=v.choice(record, "action", Action),
            received=v.required_date(record, "received"),
            deadline=v.iso_date(record, "deadline"),
            amount_cents=v.cents(record, "amount_cents"),
            reference=v.text(record, "reference"),
            phone=v.text(record, "phone"),
            what_to_do=v.text(record, "what_to_do"),
            message_type=v.text(record, "message_type", default="notificatie"),
            read=v.flag(record, "read"),
            store_id=v.text(record, "store_id"),
            attachments=attachments,
            explained_by=v.text(record, "explained_by"),
            source=v.text(record, "source"),
        )

    def days_left(self, today: date) -> int | None:
        return None if self.deadline is None else (self.deadline - today).days


class Urgency(enum.IntEnum):
    """Order of the table: what needs doing first comes first."""

    OVERDUE = 0
    SOON = 1
    NEW = 2
    REST = 3


SOON_DAYS = 7


def urgency(letter: Letter, today: date) -> Urgency:
    left = letter.days_left(today)
    if left is not None:
        if left < 0:
            return Urgency.OVERDUE
        if left <= SOON_DAYS:
            return Urgency.SOON
    if not letter.read:
        return Urgency.NEW
    return Urgency.REST


def table_order_key(letter: Letter, today: date) -> tuple:
    """Sort key: urgency, then earliest deadline, then newest first."""
    far = date.max
    return (urgency(letter, today), letter.deadline or far, -letter.received.toordinal(), letter.id)
