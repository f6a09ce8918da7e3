"""The domain: organisations, people, accounts and letters.

Plain dataclasses, no Qt, no storage. Identifiers are strings so that the
practice mailbox and a remote FBS server (UUIDs, ``BSN:...``) fit the same model.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from app.i18n import N_


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


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    bsn: str
    birth_date: date | None = None
    address: tuple[str, ...] = ()
    email: str | None = None
    story: str = ""


@dataclass(frozen=True)
class AccountStatus:
    """How an account stands. Reading it never changes it."""

    person_id: str
    active: bool
    activated_on: date | None
    ticked: frozenset[str] = frozenset()
    email: str | None = None
    repeat_reminder: bool = False


@dataclass(frozen=True)
class Attachment:
    """A file that came with a letter (FBS ``bijlage``). The content is fetched
    only when asked for; the letter carries what it is."""

    id: str
    name: str
    media_type: str = "application/pdf"
    size: int = 0


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
