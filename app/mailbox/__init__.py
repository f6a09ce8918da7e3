"""The one seam between Brieventafel and the Berichtenbox.

Everything the client needs from the outside world goes through
:class:`Mailbox`. The practice mailbox (``app.mailbox.practice``) implements it
over a local SQLite file; a remote implementation speaks the same protocol over
HTTP. ``person_id`` names whose post is meant (``X-Ontvanger`` in the FBS API),
so acting for someone else under a mandate needs no new methods.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from app.lazy import names as lazy_names
from app.mailbox.errors import TRANSIENT, ErrorCode, MailboxError
from app.mandates import LegalRepresentation, Mandate
from app.model import Letter, Organisation, Person

if TYPE_CHECKING:
    from app.access_log import AccessLogEntry as AccessLogEntry
    from app.mailbox.answers import ActivationOffer as ActivationOffer
    from app.mailbox.answers import LetterBatch as LetterBatch
    from app.mailbox.answers import PaperRequest as PaperRequest
    from app.mailbox.answers import TickChange as TickChange
    from app.mailbox.delivery import DeliveryLog, DeliveryStep, PaperContact
    from app.model_more import AccountStatus as AccountStatus
    from app.set_aside import SetAside as SetAside

#: names of app.mailbox made when first asked for, by the module they are in
#: (app/mailbox/delivery.py, app/mailbox/answers.py): a start needs none of them
_LATER = {
    "DeliveryLog": "app.mailbox.delivery",
    "DeliveryStep": "app.mailbox.delivery",
    "PaperContact": "app.mailbox.delivery",
    "LetterBatch": "app.mailbox.answers",
    "TickChange": "app.mailbox.answers",
    "PaperRequest": "app.mailbox.answers",
    "ActivationOffer": "app.mailbox.answers",
    # imported here once, for the protocol's types
    "AccessLogEntry": "app.access_log",
    "AccountStatus": "app.model_more",
    "SetAside": "app.set_aside",
}


__getattr__ = lazy_names(__name__, _LATER)


@dataclass(frozen=True)
class SyncProgress:
    """How far fetching is: FBS ``_ophalen`` asks each store (magazijn) in turn.

    ``store`` is the organisation or store just asked; ``done`` of ``total``
    stores have answered. ``failed`` is True when that store gave an error
    (``ophalen-fout``); the others still count.
    """

    done: int
    total: int
    store: str = ""
    failed: bool = False


#: Called on the worker thread with each step of a sync; must be quick.
ProgressCallback = Callable[[SyncProgress], None]


#: How a paper request travels: unticking in the Berichtenbox, or (for the
#: Belastingdienst, fixed by law) a request the person phones or posts.
PAPER_ROUTE_UNTICK = "untick"
PAPER_ROUTE_HELPDESK = "helpdesk"


#: the kinds a delivery step may be (docs/server.md, "A letter's delivery log")
DELIVERY_STEP_KINDS = frozenset(
    {
        "bezorgd",
        "op-papier",
        "notificatie",
        "herhaling",
        "gelezen",
        "contactherstel",
        "afzender-geinformeerd",
    }
)


@runtime_checkable
class Mailbox(Protocol):
    """What the client may ask of a Berichtenbox."""

    #: True for the embedded practice mailbox: every screen says so.
    is_practice: bool

    def me(self) -> Person:
        """The signed-in person."""

    def people(self) -> list[Person]:
        """The people whose post the signed-in person may read (self first)."""

    def organisations(self) -> list[Organisation]: ...

    def organisation(self, org_id: str) -> Organisation:
        """One organisation; MailboxError "unknown-organisation"."""

    def account_status(self, person_id: str) -> AccountStatus:
        """How the account stands. Never changes anything."""

    def letters(
        self, person_id: str, since: str | None = None, *, progress: ProgressCallback | None = None
    ) -> LetterBatch:
        """Letters new or changed since ``since`` (all when None).

        ``progress`` is called (on the calling thread) as each store answers.
        """

    def letter(self, person_id: str, letter_id: str) -> Letter:
        """One letter of this person; MailboxError "unknown-letter" for a letter
        that is not there or not theirs."""

    def mark_read(self, person_id: str, letter_id: str) -> None:
        """Tell the mailbox the person opened the letter (FBS PATCH status)."""

    def set_tick(self, person_id: str, org_id: str, ticked: bool) -> TickChange:
        """Tick or untick an organisation; refused for a dormant account and
        for organisations fixed by law (MailboxError)."""

    def tick_history(self, person_id: str) -> list[TickChange]: ...

    # -- paper --
    def request_paper(self, person_id: str, org_id: str) -> PaperRequest:
        """Ask for one organisation's post on paper: untick and record it in one
        step, or (Belastingdienst) record a request to phone or post. Asking
        again returns the request that stands (``new`` False)."""

    def request_paper_all(self, person_id: str) -> list[PaperRequest]:
        """Ask paper of every organisation that sends digitally, one at a time.
        Each organisation is all or nothing; asking again completes the rest.
        MailboxError("not-active") for a dormant account."""

    def paper_offer(self, person_id: str) -> list[PaperRequest]:
        """What :meth:`request_paper_all` would do now, changing nothing: the
        requests that stand (``new`` False) and those it would make (``new``
        True, with the day paper would come as the service decides it).
        MailboxError("not-active") for a dormant account."""

    def paper_requests(self, person_id: str) -> list[PaperRequest]:
        """Every paper request with its state as of today. Changes nothing."""

    def set_paper_request_state(self, person_id: str, org_id: str, state: str) -> PaperRequest:
        """The person phoned or posted ("sent"), or the paper comes ("done");
        only for the Belastingdienst route."""

    # -- activation --
    def activation_offer(self, person_id: str, org_ids: Iterable[str]) -> ActivationOffer:
        """What activating with ``org_ids`` ticked would do, with a token for
        :meth:`activate`. Changes nothing. Refused with MailboxError:
        "already-active", "unknown-organisation", "unknown-person"."""

    def activate(
        self, person_id: str, offer_token: str, org_ids: Iterable[str], *, confirmed: bool = False
    ) -> AccountStatus:
        """Activate the account: the one and only way. Cannot be undone.

        Ticks exactly ``org_ids`` plus the organisations fixed by law. Refused
        with MailboxError: "confirmation-required" (``confirmed`` is not True),
        "invalid-confirmation" (token missing, forged, or for another person or
        other organisations), "confirmation-expired" (an offer of another day),
        "already-active", "unknown-organisation", "unknown-person"."""

    def new_organisations(self, person_id: str) -> list[Organisation]:
        """Organisations that joined after the person activated and that the
        person was not asked about yet. Empty for a dormant account. Changes
        nothing."""

    def answer_new_organisation(
        self, person_id: str, org_id: str, ticked: bool = False
    ) -> TickChange:
        """Record the one answer about a newly joined organisation; "no"
        (``ticked=False``) is the default and keeps its post on paper.
        Refused with MailboxError: "already-asked", "not-new", "not-active"."""

    # -- lifetime --
    def sign_out(self) -> None:
        """ "Afmelden": forget the sign-in (a server revokes the token). The
        practice box has no sign-in: nothing happens."""

    def close(self) -> None:
        """Let go of files and connections. Nothing may be called after it."""


@runtime_checkable
class MandateMailbox(Mailbox, Protocol):
    """A mailbox that knows mandates and representatives (issue 13).

    Every call of :class:`Mailbox` is then checked with
    :func:`app.mandates.decide` for the signed-in person (the holder): a
    refusal is MailboxError ``FORBIDDEN`` whose ``detail`` is the reason code
    (``docs/mandates.md``). A list of letters leaves out what is refused.
    Apart from :class:`Mailbox` until every mailbox has these two methods.
    """

    def mandates(self, person_id: str) -> list[Mandate | LegalRepresentation]:
        """The grants about this person, as helper or representative and as the
        person whose post it is; a helper asking about someone else gets only the
        grants between the two of them. Changes nothing."""

    def put_away(self, person_id: str, letter_id: str) -> None:
        """Before a helper puts someone else's letter away on their desk (the
        desk keeps placement): FORBIDDEN ``read-only`` (or another reason) when
        the helper may not, and then the desk must not put it away; allowed,
        it is in the person's log. Nothing happens for one's own post."""

    def access_log(self, person_id: str) -> list[AccessLogEntry]:
        """ "Wie heeft mijn post bekeken?": every access by someone else to this
        person's post, oldest first (words: :func:`app.mandates.access_log_lines`).
        Written with each access, in the same transaction; there is no call to
        change or remove an entry. A helper sees only their own entries."""


@runtime_checkable
class DeliveryLogMailbox(Mailbox, Protocol):
    """A mailbox that keeps each letter's delivery log (a server, issue 17).

    Optional, as :class:`MandateMailbox`'s calls are: the practice box keeps no
    delivery log and has neither method, so a caller asks
    ``getattr(mailbox, "delivery_log", None)`` and says "not kept here" when it
    is missing (``app/proof.py``). Only the recipient themselves may read these:
    a helper, even a curator, gets MailboxError ``FORBIDDEN``.
    """

    def delivery_log(self, person_id: str, letter_id: str) -> DeliveryLog:
        """The letter's delivery log: delivered, every notification attempt and
        its answer, read, on paper, the sender told. Changes nothing.
        MailboxError "unknown-letter", "forbidden", "bad-answer"."""

    def paper_contacts(self, person_id: str) -> list[PaperContact]:
        """The paper contact letters on record about this person, oldest first.
        Changes nothing. MailboxError "forbidden", "bad-answer"."""


__all__ = [
    "ActivationOffer",
    "DELIVERY_STEP_KINDS",
    "DeliveryLog",
    "DeliveryLogMailbox",
    "DeliveryStep",
    "ErrorCode",
    "LetterBatch",
    "Mailbox",
    "MailboxError",
    "MandateMailbox",
    "PAPER_ROUTE_HELPDESK",
    "PAPER_ROUTE_UNTICK",
    "PaperContact",
    "PaperRequest",
    "ProgressCallback",
    "SyncProgress",
    "TRANSIENT",
    "TickChange",
]
