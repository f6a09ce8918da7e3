"""A letter's delivery log and the paper letters sent about unread post
(issue 17).

Only the remote mailbox and :mod:`app.proof` make or read these, so they are
made when first asked for (``from app.mailbox import DeliveryLog`` works as
before): a start never needs them, and each frozen dataclass costs about 1 ms
to make (issue 14).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class DeliveryStep:
    """One step of a letter's delivery log (the Wmebv's sending and reading log).

    ``kind``: "bezorgd" (in the box), "op-papier" (the organisation sends it by
    post), "notificatie" / "herhaling" (one attempt of the e-mail or its repeat),
    "gelezen" (the person opened it), "contactherstel" (a paper letter about it:
    ``paper_letter`` is that letter's id, see :class:`PaperContact`),
    "afzender-geinformeerd" (an event to the sender). ``result``: a notification's
    "delivered", "deferred", "bounced", "unsure", "no-address", an event's
    "pending", "sent", "failed", "no-webhook"; ``reply`` what the mail server or
    the webhook answered ("accepted 250", "refused 550", "500"); ``text`` the line
    the person reads, in the service's words (may be empty).
    """

    kind: str
    day: date
    at: datetime | None = None
    result: str | None = None
    attempt: int | None = None
    reply: str | None = None
    event: str | None = None
    paper_letter: str | None = None
    text: str = ""


@dataclass(frozen=True)
class DeliveryLog:
    """A letter's delivery log as the service keeps it, oldest step first."""

    letter_id: str
    org_id: str
    on_paper: bool
    received_on: date
    read: bool
    steps: tuple[DeliveryStep, ...] = ()


@dataclass(frozen=True)
class PaperContact:
    """A paper letter the service sent the person because post lay unread or
    e-mail did not arrive (issue 17): ``to`` is "person" or "curator";
    ``letter_ids`` the letters it was about; ``lines`` its text as sent (without
    the address). It holds the person's name: never log it."""

    id: str
    day: date
    reasons: tuple[str, ...]
    to: str
    letter_ids: tuple[str, ...]
    lines: tuple[str, ...]
