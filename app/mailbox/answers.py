"""What the mailbox answers besides letters and people: a batch of letters, a
tick changed, a paper request, an activation offer.

Only a sync (after the first frame), the practice and remote boxes and the
activation and paper screens make these, so they are made when first asked for
(``from app.mailbox import TickChange`` works as before): a start on the table
never needs them, and each frozen dataclass costs about 1 ms to make (issue 14).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.model import Letter
    from app.validate import SetAside


@dataclass(frozen=True)
class LetterBatch:
    letters: list[Letter]
    cursor: str  # pass back as ``since`` to get only what changed after this batch
    #: letters the mailbox could not read and kept back (by id; asked for again later)
    set_aside: tuple[SetAside, ...] = ()


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


@dataclass(frozen=True)
class PaperRequest:
    """A request to get one organisation's post on paper again.

    ``state``: "asked" (unticked; paper from ``paper_from``), "prepared"
    (Belastingdienst: phone script and letter ready, the person still has to
    phone or post), "sent" (the person phoned or posted), "done" (post comes on
    paper). ``new`` is False when the request already stood and nothing changed.
    """

    org_id: str
    route: str
    state: str
    requested_on: date
    paper_from: date | None = None
    done_on: date | None = None
    new: bool = True


@dataclass(frozen=True)
class ActivationOffer:
    """What activating the Berichtenbox would do, shown on the guide's last screen.

    ``token`` proves the person saw exactly this offer; pass it back to
    ``Mailbox.activate`` with ``confirmed=True``. It holds only for this person,
    these organisations and ``offered_on`` (the same day). ``org_ids`` are the
    organisations the person chose; ``by_law`` are ticked anyway (the
    Belastingdienst); ``paper_ids`` keep sending paper.
    """

    token: str
    person_id: str
    org_ids: tuple[str, ...]
    by_law: tuple[str, ...]
    paper_ids: tuple[str, ...]
    offered_on: date
