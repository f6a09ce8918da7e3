"""Who may see and handle whose post: mandates, legal representatives, the access log.

The first floor of issue 13, as a pure core: no Qt, no SQL, no I/O. The
practice box and the server will both ask :func:`decide` (one set of rules),
on every call that carries whose post it is (FBS ``X-Ontvanger``). The rules
in plain words, and the choices made, are in ``docs/mandates.md``.

- A :class:`Mandate` (machtiging) is given by a person to a helper: for some
  organisations or for all, to read or to read and act, from a start date to
  a mandatory end date; either side can revoke it at once.
- A :class:`LegalRepresentation` comes from a court decision: a
  bewindvoerder (financial organisations), a mentor (care), a curator
  (everything). A person under curatele cannot grant a mandate.
- :class:`AccessLogEntry` is what the represented person reads in
  "Wie heeft mijn post bekeken?" (:func:`access_log_lines`).

Records from outside become these types through ``from_record``, checked
once; a bad one is a :class:`~app.validate.BadRecord` naming the field.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from app import validate as v
from app.lazy import names as lazy_names

if TYPE_CHECKING:
    from app.access_log import AccessLogEntry as AccessLogEntry
    from app.access_log import Event as Event
    from app.access_log import access_log_lines as access_log_lines
    from app.access_log import access_log_text as access_log_text
    from app.access_log import log_entry as log_entry

#: names of app.mandates made when first asked for (app/access_log.py): only a
#: helper's access, and the person reading their log, need them (issue 14)
_LATER = frozenset({"AccessLogEntry", "Event", "access_log_lines", "access_log_text", "log_entry"})


__getattr__ = lazy_names(__name__, dict.fromkeys(_LATER, "app.access_log"))


#: how many days before the end the helper and the person are told
WARN_DAYS = 7


class Rights(enum.StrEnum):
    """What a mandate lets the helper do."""

    READ = "read"
    READ_AND_ACT = "read_and_act"


class Kind(enum.StrEnum):
    """The kind of legal representation (a court decision)."""

    BEWINDVOERDER = "bewindvoerder"  # financial organisations (beschermingsbewind)
    MENTOR = "mentor"  # care (mentorschap)
    CURATOR = "curator"  # everything (curatele)


class Access(enum.StrEnum):
    """What someone asks to do with a person's post."""

    READ = "read"  # see the list, open a letter
    PUT_AWAY = "put-away"
    MARK_READ = "mark-read"
    ASK_PAPER = "ask-paper"
    ACTIVATE = "activate"


#: what a read-only mandate does not allow
ACTS = frozenset({Access.PUT_AWAY, Access.MARK_READ, Access.ASK_PAPER})
#: what changes the person's account with the organisations (not just their table)
ACCOUNT_ACTS = frozenset({Access.ASK_PAPER, Access.ACTIVATE})


class Reason(enum.StrEnum):
    """Why :func:`decide` said yes or no: stable codes the UI words."""

    OWN_POST = "own-post"  # yes: the person's own post
    MANDATE = "mandate"  # yes: a mandate allows it
    REPRESENTATIVE = "representative"  # yes: a court decision allows it
    #: after the end date: letters received until the end can still be read;
    #: anything newer, and every act, is refused
    MANDATE_ENDED = "mandate-ended"
    MANDATE_NOT_STARTED = "mandate-not-started"
    REVOKED = "revoked"
    READ_ONLY = "read-only"  # the mandate allows reading only
    OUTSIDE_MANDATE = "outside-mandate"  # the mandate is for other organisations
    #: a bewindvoerder for a non-financial organisation, a mentor outside care
    OUTSIDE_REPRESENTATION = "outside-representation"
    REPRESENTATION_ENDED = "representation-ended"
    REPRESENTATION_NOT_STARTED = "representation-not-started"
    #: the person is under curatele: a mandate they gave counts for nothing
    CURATELE_CANNOT_GRANT = "curatele-cannot-grant"
    #: the person is under curatele: their curator asks for paper or activates
    CURATOR_ACTS = "curator-acts"
    #: activating someone else's Berichtenbox: only their curator
    CURATOR_ONLY = "curator-only"
    NO_MANDATE = "no-mandate"


@dataclass(frozen=True)
class Decision:
    """The answer of :func:`decide`.

    ``ends_on`` is the last day of the mandate or representation used (None
    for one's own post, or a court decision without an end); ``warn_end`` is
    True in the last :data:`WARN_DAYS` days of an allowing mandate.
    """

    allowed: bool
    reason: Reason
    ends_on: date | None = None
    warn_end: bool = False


def _ids(record: dict, field: str) -> frozenset[str] | None:
    """``"all"`` (None) or a non-empty list of organisation ids."""
    value = record.get(field)
    if value == "all":
        return None
    if (
        not isinstance(value, list)
        or not value
        or not all(isinstance(item, str) and item.strip() for item in value)
    ):
        raise v.BadRecord(field)
    return frozenset(v.clean_text(item) for item in value)


@dataclass(frozen=True)
class Mandate:
    """A machtiging: ``person_id`` lets ``helper_id`` see (and perhaps handle)
    their post from ``organisations`` (None: all), from ``starts_on`` until
    ``ends_on`` (both days included). From ``revoked_on`` on it allows nothing;
    ``revoked_by`` is the person or the helper."""

    id: str
    person_id: str
    helper_id: str
    organisations: frozenset[str] | None
    rights: Rights
    starts_on: date
    ends_on: date
    revoked_on: date | None = None
    revoked_by: str | None = None

    def covers(self, org_id: str) -> bool:
        return self.organisations is None or org_id in self.organisations

    @classmethod
    def from_record(cls, record: object) -> Mandate:
        """From a stored record (dates ``YYYY-MM-DD``); a bad one raises
        :class:`~app.validate.BadRecord` naming the field and the mandate's id."""
        return v.checked("mandate", record, cls._from_record)

    @classmethod
    def _from_record(cls, mandate_id: str, record: dict) -> Mandate:
        person = v.text(record, "person_id", required=True)
        helper = v.text(record, "helper_id", required=True)
        if helper == person:
            raise v.BadRecord("helper_id")
        starts = v.required_date(record, "starts_on")
        ends = v.iso_date(record, "ends_on", required=True)  # mandatory, never open-ended
        if ends is None or ends < starts:
            raise v.BadRecord("ends_on")
        revoked_on = v.iso_date(record, "revoked_on")
        revoked_by = v.optional_text(record, "revoked_by")
        if (revoked_on is None) != (revoked_by is None) or revoked_by not in (None, person, helper):
            raise v.BadRecord("revoked_by")
        return cls(
            id=mandate_id,
            person_id=person,
            helper_id=helper,
            organisations=_ids(record, "organisations"),
            rights=v.choice(record, "rights", Rights),
            starts_on=starts,
            ends_on=ends,
            revoked_on=revoked_on,
            revoked_by=revoked_by,
        )


def revoke(mandate: Mandate, by: str, on: date) -> Mandate:
    """The mandate revoked by ``by`` (the person or the helper) from ``on``, at once.

    A mandate revoked earlier keeps its first revocation."""
    if by not in (mandate.person_id, mandate.helper_id):
        raise ValueError("only the person or the helper can revoke a mandate")
    if mandate.revoked_on is not None and mandate.revoked_on <= on:
        return mandate
    return replace(mandate, revoked_on=on, revoked_by=by)


@dataclass(frozen=True)
class LegalRepresentation:
    """A representative appointed by a court (``court``, decision ``decision_number``
    of ``decision_date``, from which day it counts) for ``person_id``;
    ``ends_on`` is the last day when the court ended it (None: it runs)."""

    id: str
    person_id: str
    representative_id: str
    kind: Kind
    decision_number: str
    decision_date: date
    court: str
    ends_on: date | None = None

    def in_force(self, today: date) -> bool:
        return self.decision_date <= today and (self.ends_on is None or today <= self.ends_on)

    @classmethod
    def from_record(cls, record: object) -> LegalRepresentation:
        """From a stored record; a bad one raises :class:`~app.validate.BadRecord`."""
        return v.checked("representation", record, cls._from_record)

    @classmethod
    def _from_record(cls, rep_id: str, record: dict) -> LegalRepresentation:
        person = v.text(record, "person_id", required=True)
        representative = v.text(record, "representative_id", required=True)
        if representative == person:
            raise v.BadRecord("representative_id")
        decided = v.required_date(record, "decision_date")
        ends = v.iso_date(record, "ends_on")
        if ends is not None and ends < decided:
            raise v.BadRecord("ends_on")
        return cls(
            id=rep_id,
            person_id=person,
            representative_id=representative,
            kind=v.choice(record, "kind", Kind),
            decision_number=v.text(record, "decision_number", required=True),
            decision_date=decided,
            court=v.text(record, "court", required=True),
            ends_on=ends,
        )


@dataclass(frozen=True)
class Areas:
    """Which organisations a bewindvoerder (financial) and a mentor (care) cover.
    Data, from ``resources/practice/mandates.json``; an organisation may be in both."""

    financial: frozenset[str]
    care: frozenset[str]

    def covers(self, kind: Kind, org_id: str) -> bool:
        if kind is Kind.CURATOR:
            return True
        return org_id in (self.financial if kind is Kind.BEWINDVOERDER else self.care)

    @classmethod
    def from_record(cls, record: object) -> Areas:
        if not isinstance(record, dict):
            raise v.BadRecord("areas")
        return cls(_required_ids(record, "financial"), _required_ids(record, "care"))


def _required_ids(record: dict, field: str) -> frozenset[str]:
    ids = _ids(record, field)
    if ids is None:  # "all" is no area
        raise v.BadRecord(field)
    return ids


# -- the one decision --------------------------------------------------------------
def under_curatele(
    person_id: str, today: date, representations: Iterable[LegalRepresentation]
) -> LegalRepresentation | None:
    """The curatorship in force for the person today, or None."""
    for rep in representations:
        if rep.person_id == person_id and rep.kind is Kind.CURATOR and rep.in_force(today):
            return rep
    return None


def _warn(ends_on: date | None, today: date) -> bool:
    return ends_on is not None and 0 <= (ends_on - today).days <= WARN_DAYS


def _by_mandate(
    m: Mandate, access: Access, org_id: str | None, today: date, received: date | None
) -> Decision:
    if access is Access.ACTIVATE:
        return Decision(False, Reason.CURATOR_ONLY)
    assert org_id is not None
    if not m.covers(org_id):
        return Decision(False, Reason.OUTSIDE_MANDATE, m.ends_on)
    if m.revoked_on is not None and m.revoked_on <= today:
        return Decision(False, Reason.REVOKED, m.ends_on)
    if today < m.starts_on:
        return Decision(False, Reason.MANDATE_NOT_STARTED, m.ends_on)
    if today > m.ends_on:
        # nothing new: a letter received until the end may still be read
        old = access is Access.READ and received is not None and received <= m.ends_on
        return Decision(old, Reason.MANDATE_ENDED, m.ends_on)
    if access in ACTS and m.rights is Rights.READ:
        return Decision(False, Reason.READ_ONLY, m.ends_on)
    return Decision(True, Reason.MANDATE, m.ends_on, _warn(m.ends_on, today))


def _by_representation(
    rep: LegalRepresentation, access: Access, org_id: str | None, today: date, areas: Areas
) -> Decision:
    if access is Access.ACTIVATE:
        if rep.kind is not Kind.CURATOR:
            return Decision(False, Reason.CURATOR_ONLY)
    elif not areas.covers(rep.kind, org_id or ""):
        return Decision(False, Reason.OUTSIDE_REPRESENTATION, rep.ends_on)
    if today < rep.decision_date:
        return Decision(False, Reason.REPRESENTATION_NOT_STARTED, rep.ends_on)
    if rep.ends_on is not None and today > rep.ends_on:
        return Decision(False, Reason.REPRESENTATION_ENDED, rep.ends_on)
    return Decision(True, Reason.REPRESENTATIVE, rep.ends_on, _warn(rep.ends_on, today))


#: which refusal to tell when several grants refuse: the one nearest to a yes first
_REFUSAL_ORDER = (
    Reason.CURATELE_CANNOT_GRANT,
    Reason.READ_ONLY,
    Reason.MANDATE_ENDED,
    Reason.REVOKED,
    Reason.MANDATE_NOT_STARTED,
    Reason.REPRESENTATION_ENDED,
    Reason.REPRESENTATION_NOT_STARTED,
    Reason.CURATOR_ONLY,
    Reason.OUTSIDE_REPRESENTATION,
    Reason.OUTSIDE_MANDATE,
)


def decide(
    holder_id: str,
    person_id: str,
    access: Access,
    *,
    org_id: str | None,
    today: date,
    mandates: Iterable[Mandate],
    representations: Iterable[LegalRepresentation],
    areas: Areas,
    received: date | None = None,
) -> Decision:
    """May ``holder_id`` do ``access`` with the post of ``person_id`` today?

    ``org_id`` is the letter's (or, for asking paper, the organisation's)
    organisation; it may be None only for :attr:`Access.ACTIVATE`.
    ``received`` is the letter's date, when a letter is read: after a
    mandate's end only letters received until the end stay readable.
    The rules are in ``docs/mandates.md``.
    """
    access = Access(access)
    if org_id is None and access is not Access.ACTIVATE:
        raise ValueError("an organisation is needed for this access")
    representations = tuple(representations)
    curatele = under_curatele(person_id, today, representations)
    if holder_id == person_id:
        if curatele is not None and access in ACCOUNT_ACTS:
            return Decision(False, Reason.CURATOR_ACTS)
        return Decision(True, Reason.OWN_POST)
    answers: list[Decision] = []
    for rep in representations:
        if rep.person_id == person_id and rep.representative_id == holder_id:
            answers.append(_by_representation(rep, access, org_id, today, areas))
    for m in mandates:
        if m.person_id == person_id and m.helper_id == holder_id:
            if curatele is not None:
                answers.append(Decision(False, Reason.CURATELE_CANNOT_GRANT, m.ends_on))
            else:
                answers.append(_by_mandate(m, access, org_id, today, received))
    allowed = [d for d in answers if d.allowed]
    if allowed:
        # the grant that runs longest (a court decision without an end first);
        # a full yes before an ended mandate's read of an old letter
        return max(
            allowed,
            key=lambda d: (d.reason is not Reason.MANDATE_ENDED, d.ends_on or date.max),
        )
    if not answers:
        return Decision(False, Reason.NO_MANDATE)
    return min(answers, key=lambda d: _REFUSAL_ORDER.index(d.reason))


def ending_soon(person_or_helper: str, today: date, mandates: Iterable[Mandate]) -> list[Mandate]:
    """The mandates given or held by this person that end within :data:`WARN_DAYS`
    days and are not revoked: the helper and the person are both told."""
    return sorted(
        (
            m
            for m in mandates
            if person_or_helper in (m.person_id, m.helper_id)
            and m.starts_on <= today
            and _warn(m.ends_on, today)
            and (m.revoked_on is None or m.revoked_on > today)
        ),
        key=lambda m: (m.ends_on, m.id),
    )


# -- practice data ------------------------------------------------------------------
def practice_record(item: object, today: date) -> dict:
    """A practice record with its days relative to ``today`` made into dates.

    Practice data says ``"ends_in_days": 30`` (as the practice letters say
    ``deadline_in_days``), so the sample stays current; each ``<x>_in_days``
    (a whole number, negative for the past, or null) becomes ``<x>_on``."""
    if not isinstance(item, dict):
        raise v.BadRecord("record")
    out = dict(item)
    for key, value in item.items():
        if not key.endswith("_in_days"):
            continue
        target = key.removesuffix("_in_days") + "_on"
        if type(value) is not int and value is not None or target in item:
            raise v.BadRecord(key, item.get("id") if isinstance(item.get("id"), str) else None)
        del out[key]
        out[target] = None if value is None else (today + timedelta(days=value)).isoformat()
    return out


@dataclass(frozen=True)
class Grants:
    """Every mandate and representation, with the areas: what :func:`decide` needs."""

    mandates: tuple[Mandate, ...]
    representations: tuple[LegalRepresentation, ...]
    areas: Areas

    @classmethod
    def from_practice(cls, data: object, today: date) -> Grants:
        """From the parsed ``resources/practice/mandates.json``, days relative to ``today``."""
        if not isinstance(data, dict):
            raise v.BadRecord("mandates")
        return cls(
            mandates=tuple(
                Mandate.from_record(practice_record(item, today))
                for item in v.records(data, "mandates")
            ),
            representations=tuple(
                LegalRepresentation.from_record(practice_record(item, today))
                for item in v.records(data, "representations")
            ),
            areas=Areas.from_record(data.get("areas")),
        )

    def decide(
        self,
        holder_id: str,
        person_id: str,
        access: Access,
        *,
        org_id: str | None,
        today: date,
        received: date | None = None,
    ) -> Decision:
        return decide(
            holder_id,
            person_id,
            access,
            org_id=org_id,
            today=today,
            mandates=self.mandates,
            representations=self.representations,
            areas=self.areas,
            received=received,
        )


__all__ = [
    "ACTS",
    "Access",
    "AccessLogEntry",
    "Areas",
    "Decision",
    "Event",
    "Grants",
    "Kind",
    "LegalRepresentation",
    "Mandate",
    "Reason",
    "Rights",
    "WARN_DAYS",
    "access_log_lines",
    "access_log_text",
    "decide",
    "ending_soon",
    "log_entry",
    "practice_record",
    "revoke",
    "under_curatele",
]
