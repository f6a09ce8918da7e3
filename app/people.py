"""The people a signed-in person acts for, and the overview across them (issue 13).

A pure core over a :class:`~app.session.Session`: no Qt. What the holder may
do comes from the mailbox once (``Session.load_people``, a mailbox call, made
when the session opens and at each sync); everything here reads only that and
the desk, so the screens may call it on the GUI thread:

- :func:`represented`: the holder first, then everyone they may act for, with
  the relation (curator, bewindvoerder, mandate, ...), whether they may act,
  for which organisations, and until when.
- :func:`overview`: per person the letters on the table, the unread, the
  nearest deadline and the days since anyone looked (desk queries only).
- :func:`all_by_deadline`: every letter of every person, by deadline.
- :func:`mandate_words`, :func:`person_warnings`, :func:`refusal_words`: the
  plain words (B1 Dutch through gettext) for an ended or ending mandate, a
  read-only one, and each reason code of a refusal.

The rules themselves are in :mod:`app.mandates` (``docs/mandates.md``); the
service enforces them on every call. Nothing here decides what the service
allows: it only tells the person what to expect.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from app import mandates as mnd
from app.i18n import gettext as _
from app.lazy import names as lazy_names
from app.model import Letter, Person

if TYPE_CHECKING:
    from app.people_overview import OverviewRow
    from app.session import Session

#: relation codes of :class:`Represented`
SELF = "self"
MANDATE = "mandate"
RELATIONS = (SELF, "curator", "mentor", "bewindvoerder", MANDATE)


@dataclass(frozen=True)
class Represented:
    """Someone whose post the holder may see: themself (``relation`` "self") or
    someone they act for ("curator", "mentor", "bewindvoerder", "mandate").

    ``can_act`` is False for a read-only mandate (and for one that ended or has
    not started); ``organisations`` None means every organisation;
    ``ends_on`` the last day (None: no end); ``ended`` True once it is past (or
    revoked); ``ends_soon`` True in its last :data:`app.mandates.WARN_DAYS` days.
    """

    person: Person
    relation: str
    can_act: bool
    organisations: frozenset[str] | None
    ends_on: date | None
    ended: bool
    ends_soon: bool

    @property
    def is_self(self) -> bool:
        return self.relation == SELF


Grant = mnd.Mandate | mnd.LegalRepresentation


def _running(grant: Grant, today: date) -> bool:
    if isinstance(grant, mnd.Mandate):
        if grant.revoked_on is not None and grant.revoked_on <= today:
            return False
        return grant.starts_on <= today <= grant.ends_on
    return grant.in_force(today)


def _is_over(grant: Grant, today: date) -> bool:
    """Ended or revoked (not: not started yet)."""
    if isinstance(grant, mnd.Mandate):
        revoked = grant.revoked_on is not None and grant.revoked_on <= today
        return revoked or today > grant.ends_on
    return grant.ends_on is not None and today > grant.ends_on


def _organisations(grant: Grant, areas: mnd.Areas) -> frozenset[str] | None:
    if isinstance(grant, mnd.Mandate):
        return grant.organisations
    if grant.kind is mnd.Kind.CURATOR:
        return None
    return areas.financial if grant.kind is mnd.Kind.BEWINDVOERDER else areas.care


def _one(
    person: Person, holder_id: str, grants: Iterable[Grant], areas: mnd.Areas, today: date
) -> Represented:
    """How the holder stands to ``person``: the grant that runs (the longest,
    a court decision first), else the one that ended last."""
    mine = [
        g
        for g in grants
        if g.person_id == person.id
        and holder_id == (g.helper_id if isinstance(g, mnd.Mandate) else g.representative_id)
    ]
    if not mine:
        # The service lists them, but no grant is known here (its grants could
        # not be read): it still decides each call, and the screens offer only
        # reading until the grants are known.
        return Represented(person, MANDATE, False, None, None, False, False)

    def longest(g: Grant) -> tuple:
        return (isinstance(g, mnd.LegalRepresentation), g.ends_on or date.max)

    running = [g for g in mine if _running(g, today)]
    if running:
        grant = max(running, key=longest)
        ends_on = grant.ends_on
        acts = not (isinstance(grant, mnd.Mandate) and grant.rights is mnd.Rights.READ)
        soon = ends_on is not None and 0 <= (ends_on - today).days <= mnd.WARN_DAYS
        ended = False
    else:
        over = [g for g in mine if _is_over(g, today)]
        grant = max(over or mine, key=longest)
        ends_on = grant.ends_on
        if isinstance(grant, mnd.Mandate) and grant.revoked_on is not None:
            ends_on = min(grant.ends_on, grant.revoked_on)
        acts, soon, ended = False, False, bool(over)
    relation = MANDATE if isinstance(grant, mnd.Mandate) else grant.kind.value
    return Represented(person, relation, acts, _organisations(grant, areas), ends_on, ended, soon)


def represented(session: Session) -> list[Represented]:
    """The holder first, then everyone they may act for, in the service's order.

    Desk only: from what :meth:`Session.load_people` last heard. Someone whose
    mandate ended is in it (``ended``), so the screen can say why nothing new
    comes (:func:`mandate_words`)."""
    today = session.today()
    holder = session.holder
    out: list[Represented] = []
    for person in session.people_known or [holder]:
        if person.id == holder.id:
            out.insert(0, Represented(person, SELF, True, None, None, False, False))
        else:
            out.append(_one(person, holder.id, session.grants_known, session.areas_known, today))
    if not out or out[0].person.id != holder.id:
        out.insert(0, Represented(holder, SELF, True, None, None, False, False))
    return out


def find(session: Session, person_id: str) -> Represented | None:
    """The entry of :func:`represented` for this person, or None."""
    for item in represented(session):
        if item.person.id == person_id:
            return item
    return None


def overview(session: Session, today: date | None = None) -> list[OverviewRow]:
    """One row per represented person, in the order of :func:`represented`.

    Desk queries only (one aggregate over every table), never the mailbox: fast
    enough for an office of a hundred clients and twenty thousand letters."""
    from app.people_overview import OverviewRow

    today = today or session.today()
    people = represented(session)
    counts = session.desk.table_counts([p.person.id for p in people])
    looked = session.desk.last_looked_all()
    rows = []
    for item in people:
        on_table, unread, nearest = counts.get(item.person.id, (0, 0, None))
        at = looked.get(item.person.id)
        days = None if at is None else max(0, (today - at.date()).days)
        rows.append(OverviewRow(item, on_table, unread, nearest, days, item.ended, item.ends_soon))
    return rows


def filter_rows(rows: Iterable[OverviewRow], text: str) -> list[OverviewRow]:
    """The rows whose person's name holds ``text`` (case and accents as typed,
    spaces around ignored); all rows for an empty text. For the filter field."""
    needle = text.strip().casefold()
    if not needle:
        return list(rows)
    return [row for row in rows if needle in row.person.name.casefold()]


def _deadline_key(letter: Letter) -> tuple:
    return (letter.deadline is None, letter.deadline or date.max, letter.received)


def all_by_deadline(session: Session) -> list[tuple[Person, Letter]]:
    """Every letter on every represented person's table, the nearest deadline
    first (letters without a deadline last, oldest first). Desk only."""
    pairs = [
        (item.person, letter)
        for item in represented(session)
        for letter in session.desk.table(item.person.id)
    ]
    pairs.sort(key=lambda pair: (*_deadline_key(pair[1]), pair[0].name))
    return pairs


# -- words -----------------------------------------------------------------------------
def _first_name(person: Person) -> str:
    return person.name.split()[0] if person.name.split() else person.name


def _day(day: date, today: date) -> str:
    from babel.dates import format_skeleton

    from app.i18n import locale

    skeleton = "MMMMd" if day.year == today.year else "yMMMMd"
    return format_skeleton(skeleton, day, locale=locale())


def mandate_words(item: Represented, today: date) -> str | None:
    """What the helper reads about their right to this person's post, or None
    when there is nothing to say (their own post; a mandate that runs, may act
    and does not end soon)."""
    if item.is_self:
        return None
    values = {
        "name": _first_name(item.person),
        "date": _day(item.ends_on, today) if item.ends_on else "",
    }
    if item.relation == MANDATE:
        if item.ended:
            parts = [
                _("Uw machtiging voor %(name)s is op %(date)s gestopt.")
                if item.ends_on
                else _("Uw machtiging voor %(name)s is gestopt."),
                _("U ziet geen nieuwe brieven meer."),
                _("Vraag %(name)s om een nieuwe machtiging via DigiD Machtigen."),
            ]
        elif item.ends_soon:
            parts = [
                _("Uw machtiging voor %(name)s stopt op %(date)s."),
                _("Vraag %(name)s op tijd om een nieuwe machtiging via DigiD Machtigen."),
            ]
        else:
            parts = []
    elif item.ended:
        parts = [
            _("Uw taak voor %(name)s is op %(date)s gestopt.")
            if item.ends_on
            else _("Uw taak voor %(name)s is gestopt."),
            _("U ziet geen nieuwe brieven meer."),
            _("Dit besluit de rechter. Heeft u vragen? Bel dan de rechtbank."),
        ]
    elif item.ends_soon:
        parts = [_("Uw taak voor %(name)s stopt op %(date)s. Dit besluit de rechter.")]
    else:
        parts = []
    if not item.can_act and not item.ended:
        parts.append(_("U mag deze brieven alleen lezen."))
    if not parts:
        return None
    return " ".join(part % values for part in parts)


def person_warnings(session: Session) -> list[str]:
    """What the person whose post is shown reads about mandates THEY gave that
    end within a week: "Uw machtiging voor Ingrid stopt op 8 december. ..."
    Desk only (from :meth:`Session.load_people`)."""
    today = session.today()
    person = session.person
    names = session.names_known
    lines = []
    given = [g for g in session.grants_known if isinstance(g, mnd.Mandate)]
    for m in mnd.ending_soon(person.id, today, given):
        if m.person_id != person.id:
            continue
        known = names.get(m.helper_id)
        # the helper's first name, as one says it; without a name the whole "uw helper"
        name = known.split()[0] if known and known.strip() else _("uw helper")
        values = {"name": name, "date": _day(m.ends_on, today)}
        lines.append(
            " ".join(
                (
                    _("Uw machtiging voor %(name)s stopt op %(date)s.") % values,
                    _(
                        "Moet %(name)s uw post blijven zien? "
                        "Geef dan een nieuwe machtiging via DigiD Machtigen."
                    )
                    % values,
                )
            )
        )
    return lines


def refusal_words(reason: str, person: Person | None = None) -> str:
    """A refusal of the rules (MailboxError FORBIDDEN, its ``detail`` the reason
    code of :class:`app.mandates.Reason`) in plain words: why, and what to do."""
    name = _first_name(person) if person is not None else _("deze persoon")
    values = {"name": name}
    words = {
        mnd.Reason.MANDATE_ENDED: _(
            "Uw machtiging is gestopt. U ziet geen nieuwe brieven meer. "
            "Vraag %(name)s om een nieuwe machtiging via DigiD Machtigen."
        ),
        mnd.Reason.MANDATE_NOT_STARTED: _(
            "Uw machtiging begint later. Daarna kunt u de post van %(name)s zien."
        ),
        mnd.Reason.REVOKED: _(
            "De machtiging is ingetrokken. U kunt de post van %(name)s niet meer zien."
        ),
        mnd.Reason.READ_ONLY: _("U mag deze brieven alleen lezen. U kunt ze niet opbergen."),
        mnd.Reason.OUTSIDE_MANDATE: _(
            "Deze brief valt buiten uw machtiging. Vraag %(name)s om een ruimere machtiging."
        ),
        mnd.Reason.OUTSIDE_REPRESENTATION: _(
            "Deze brief hoort niet bij uw taak voor %(name)s. De rechter bepaalt uw taak."
        ),
        mnd.Reason.REPRESENTATION_ENDED: _(
            "Uw taak voor %(name)s is gestopt. Dit besluit de rechter."
        ),
        mnd.Reason.REPRESENTATION_NOT_STARTED: _(
            "Uw taak voor %(name)s begint later. Dit besluit de rechter."
        ),
        mnd.Reason.CURATELE_CANNOT_GRANT: _(
            "%(name)s staat onder curatele. Daarom telt deze machtiging niet. "
            "De curator regelt de post."
        ),
        mnd.Reason.CURATOR_ACTS: _("Dit regelt uw curator voor u."),
        mnd.Reason.CURATOR_ONLY: _(
            "Alleen een curator mag de Berichtenbox van %(name)s aanzetten."
        ),
    }
    try:
        text = words.get(mnd.Reason(reason))
    except ValueError:
        text = None
    if text is None:
        text = _("U mag de post van %(name)s niet zien. Vraag %(name)s om een machtiging.")
    return text % values


# OverviewRow is made when the overview first needs it: a start that shows
# the table never does (a frozen dataclass is about 1 ms to make, issue 14)
__getattr__ = lazy_names(__name__, {"OverviewRow": "app.people_overview"})


def looked_at(now: datetime | None = None) -> str:
    """The value the desk keeps for "last looked" (local time, seconds)."""
    return (now or datetime.now()).isoformat(timespec="seconds")


__all__ = [
    "OverviewRow",
    "RELATIONS",
    "Represented",
    "all_by_deadline",
    "filter_rows",
    "find",
    "mandate_words",
    "overview",
    "person_warnings",
    "refusal_words",
    "represented",
]
