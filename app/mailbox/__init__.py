"""The one seam between Brieventafel and the Berichtenbox.

Everything the client needs from the outside world goes through
:class:`Mailbox`. The practice mailbox (``app.mailbox.practice``) implements it
over a local SQLite file; a remote implementation speaks the same protocol over
HTTP. ``person_id`` names whose post is meant (``X-Ontvanger`` in the FBS API),
so acting for someone else under a mandate needs no new methods.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol, runtime_checkable

from app.model import AccountStatus, Letter, Organisation, Person


class MailboxError(Exception):
    """The mailbox refused or could not do something.

    ``code`` is stable and machine-readable (e.g. ``"confirmation-required"``,
    ``"unreachable"``); the UI turns it into plain words.
    """

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class LetterBatch:
    letters: list[Letter]
    cursor: str   # pass back as ``since`` to get only what changed after this batch


@dataclass(frozen=True)
class TickChange:
    """A tick changed (or asked to change) for one organisation.

    ``effective_on``: from that day post comes digitally (ticked) or on paper
    again (unticked, about three weeks later). ``changed`` is False when the
    tick already stood that way and nothing was recorded.
    """

    org_id: str
    ticked: bool
    changed_on: date
    effective_on: date
    changed: bool = True


@runtime_checkable
class Mailbox(Protocol):
    """What the client may ask of a Berichtenbox."""

    #: True for the embedded practice mailbox: every screen says so.
    is_practice: bool

    def me(self) -> Person: ...

    def people(self) -> list[Person]:
        """The people whose post the signed-in person may read (self first)."""

    def organisations(self) -> list[Organisation]: ...

    def account_status(self, person_id: str) -> AccountStatus:
        """How the account stands. Never changes anything."""

    def letters(self, person_id: str, since: str | None = None) -> LetterBatch:
        """Letters new or changed since ``since`` (all when None)."""

    def letter(self, letter_id: str) -> Letter: ...

    def mark_read(self, letter_id: str) -> None: ...

    def set_tick(self, person_id: str, org_id: str, ticked: bool) -> TickChange:
        """Tick or untick an organisation; refused for a dormant account and
        for organisations fixed by law (MailboxError)."""

    def tick_history(self, person_id: str) -> list[TickChange]: ...
