"""When Brieventafel reminds the person, and when it tells their trusted person.

Pure functions of the letters on the table, today, and what was done before;
no files, no clock, no network. :mod:`app.watch` feeds them from the desk and
sends what they return. Every text is Dutch B1 through gettext, made when it
is shown (never at import).

On the desktop (:func:`desktop_reminders`), at most one reminder per letter per
day, for the most pressing of:

* the deadline: 3 and 2 days before it, the day before ("morgen"), on the day,
  and every day after it ("3 dagen te laat");
* unopened for 7 days or more: every day until it is opened;
* new: an unopened letter that was never reminded of, once;
* the objection term of a decision (issue 15, :func:`app.explain.objection`):
  a week before it ends ("Bezwaar maken tegen de brief van CJIB kan nog tot
  12 januari 2027.") and on its last day; only for a date the rules are sure
  of, never for a guess. It goes before the others on those two days: they come
  back every day, it does not. A week reminder missed (the computer was off on
  that day, or a snooze) comes on the first day after it in that week.

Every day again until the letter is put away (put away means handled: it is
no longer on the table, so nothing is due for it) or the person says "Ik weet
het, herinner me over 3 dagen" (:func:`snooze_until`): then nothing until that
day, when the rules above apply again.

The trusted person (:func:`trusted_mail`) hears about a letter once per
reason: when it lies unopened for 7 days, and when its deadline is 3 days away
or nearer while it is still on the table. One e-mail per run names every letter
newly due (the sender and the deadline) and says "Kijk samen in Brieventafel";
nothing of a letter's content, unless the person allowed the subject
(``show_subject``); the body and summary never. What was told is passed back
in as ``told`` (:attr:`TrustedMail.items`), so nothing is told twice; the mail's
key is made from its items, so queueing it again after a kill is a no-op.
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from app.i18n import gettext as _
from app.i18n import ngettext
from app.model import Letter

UNOPENED_DAYS = 7
DEADLINE_DAYS = 3
SNOOZE_DAYS = 3
OBJECTION_DAYS = 7  # the objection reminder: a week before the term ends


class Kind(enum.StrEnum):
    """Why a reminder is due, the most pressing first."""

    LATE = "late"
    TODAY = "today"
    OBJECTION = "objection"  # bezwaar: a week before the term ends, and its last day
    APPEAL = "appeal"  # beroep (the CJIB's decisions): the same days
    TOMORROW = "tomorrow"
    SOON = "soon"
    UNOPENED = "unopened"
    NEW = "new"


@dataclass(frozen=True)
class Reminder:
    letter_id: str
    kind: Kind
    sender: str
    #: the letter's deadline; for an objection reminder the last day to object
    deadline: date | None
    days_unopened: int
    today: date

    @property
    def text(self) -> str:
        """One short sentence in the current language."""
        from app.plain import deadline_phrase, format_date

        if self.kind is Kind.NEW:
            return _("Nieuwe brief van %(sender)s.") % {"sender": self.sender}
        if self.kind in (Kind.OBJECTION, Kind.APPEAL):
            words = {"sender": self.sender, "date": format_date(self.deadline)}
            last = self.deadline == self.today
            if self.kind is Kind.APPEAL:
                if last:
                    return (
                        _(
                            "Vandaag is de laatste dag om beroep in te stellen tegen de brief "
                            "van %(sender)s."
                        )
                        % words
                    )
                return _("Beroep instellen tegen de brief van %(sender)s kan nog tot %(date)s.") % (
                    words
                )
            if last:
                return (
                    _(
                        "Vandaag is de laatste dag om bezwaar te maken tegen de brief "
                        "van %(sender)s."
                    )
                    % words
                )
            return _("Bezwaar maken tegen de brief van %(sender)s kan nog tot %(date)s.") % words
        if self.kind is Kind.UNOPENED:
            n = self.days_unopened
            return ngettext(
                "De brief van %(sender)s ligt al %(n)d dag ongeopend.",
                "De brief van %(sender)s ligt al %(n)d dagen ongeopend.",
                n,
            ) % {"sender": self.sender, "n": n}
        return _("Brief van %(sender)s: uiterlijk %(date)s, %(left)s.") % {
            "sender": self.sender,
            "date": format_date(self.deadline),
            "left": deadline_phrase(self.deadline, self.today),
        }


def snooze_until(today: date) -> date:
    """ "Ik weet het, herinner me over 3 dagen": the first day it may remind again."""
    return today + timedelta(days=SNOOZE_DAYS)


def snooze_label() -> str:
    return _("Ik weet het, herinner me over 3 dagen")


def days_unopened(letter: Letter, today: date) -> int:
    return 0 if letter.read else max(0, (today - letter.received).days)


def _deadline_kind(letter: Letter, today: date) -> Kind | None:
    left = letter.days_left(today)
    if left is None or left > DEADLINE_DAYS:
        return None
    if left < 0:
        return Kind.LATE
    return {0: Kind.TODAY, 1: Kind.TOMORROW}.get(left, Kind.SOON)


def objection_due(
    letter: Letter, today: date, *, last_reminded: date | None = None
) -> tuple[Kind, date] | None:
    """The objection reminder due today, as (kind, last day to object), or None.

    Due on the term's last day, and a week before it; given ``last_reminded`` (the
    last day any reminder for this letter was shown), on every day of that week
    until one was shown in it (so a day the computer was off does not lose it).
    Only for a date the rules are sure of (``Objection.certain``)."""
    from app.explain import objection

    found = objection(letter)
    if found is None or not found.certain:
        return None
    left = (found.until - today).days
    if left < 0 or left > OBJECTION_DAYS:
        return None
    kind = Kind.APPEAL if found.kind == "beroep" else Kind.OBJECTION
    if left in (0, OBJECTION_DAYS):
        return kind, found.until
    week = found.until - timedelta(days=OBJECTION_DAYS)
    if last_reminded is not None and last_reminded < week:
        return kind, found.until
    return None


def reminder_for(
    letter: Letter,
    today: date,
    *,
    reminded_before: bool = False,
    last_reminded: date | None = None,
) -> Reminder | None:
    """The reminder this letter deserves today, ignoring snoozes and today's reminder.
    ``last_reminded``: the last day a reminder for it was shown, when known."""
    unopened = days_unopened(letter, today)
    claim = objection_due(letter, today, last_reminded=last_reminded)
    if claim is not None:
        return Reminder(letter.id, claim[0], letter.sender, claim[1], unopened, today)
    kind = _deadline_kind(letter, today)
    if kind is None and not letter.read:
        if unopened >= UNOPENED_DAYS:
            kind = Kind.UNOPENED
        elif not reminded_before:
            kind = Kind.NEW
    if kind is None:
        return None
    return Reminder(letter.id, kind, letter.sender, letter.deadline, unopened, today)


def desktop_reminders(
    on_table: Iterable[Letter],
    today: date,
    *,
    reminded: Mapping[str, date] | None = None,
    snoozed: Mapping[str, date] | None = None,
) -> list[Reminder]:
    """Today's desktop reminders, the most pressing first.

    ``on_table``: the letters on the table (put-away letters are never passed,
    so never reminded of). ``reminded``: per letter id the last day a reminder
    was shown. ``snoozed``: per letter id the first day it may remind again.
    """
    reminded = reminded or {}
    snoozed = snoozed or {}
    due = []
    for letter in on_table:
        last = reminded.get(letter.id)
        if last is not None and last >= today:
            continue  # once a day
        until = snoozed.get(letter.id)
        if until is not None and today < until:
            continue
        reminder = reminder_for(
            letter, today, reminded_before=last is not None, last_reminded=last or date.min
        )
        if reminder is not None:
            due.append(reminder)
    order = list(Kind)
    return sorted(due, key=lambda r: (order.index(r.kind), r.deadline or date.max, r.letter_id))


# -- the trusted person -------------------------------------------------------------------
@dataclass(frozen=True)
class TrustedPerson:
    name: str
    email: str
    #: the person allowed the subject of each letter in the mail (never its text)
    show_subject: bool = False


@dataclass(frozen=True)
class TrustedMail:
    key: str
    to: str
    subject: str
    body: str
    #: what this mail tells: "<letter id>:unopened" / "<letter id>:deadline"
    items: tuple[str, ...]
    #: the letters it names, by id, with their senders (for "Wat hebben wij gestuurd?")
    senders: dict[str, str] = field(default_factory=dict)


def trusted_items(letter: Letter, today: date) -> list[str]:
    """What the trusted person should hear about this letter (on the table) today."""
    items = []
    if not letter.read and days_unopened(letter, today) >= UNOPENED_DAYS:
        items.append(f"{letter.id}:unopened")
    left = letter.days_left(today)
    if left is not None and left <= DEADLINE_DAYS:
        items.append(f"{letter.id}:deadline")
    return items


def _letter_lines(letter: Letter, today: date, show_subject: bool) -> list[str]:
    from app.plain import deadline_phrase, format_date

    lines = [_("Een brief van %(sender)s.") % {"sender": letter.sender}]
    if show_subject and letter.subject:
        lines.append(_("Onderwerp: %(subject)s") % {"subject": " ".join(letter.subject.split())})
    if not letter.read:
        n = days_unopened(letter, today)
        lines.append(
            ngettext(
                "Nog niet geopend. De brief ligt er al %(n)d dag.",
                "Nog niet geopend. De brief ligt er al %(n)d dagen.",
                n,
            )
            % {"n": n}
        )
    if letter.deadline is not None:
        lines.append(
            _("Uiterlijk %(date)s, %(left)s.")
            % {
                "date": format_date(letter.deadline),
                "left": deadline_phrase(letter.deadline, today),
            }
        )
    return lines


def trusted_mail(
    on_table: Iterable[Letter],
    today: date,
    *,
    person_name: str,
    trusted: TrustedPerson,
    told: Iterable[str] = (),
    key_prefix: str = "",
    practice: bool = False,
) -> TrustedMail | None:
    """The one e-mail to the trusted person today, or None when nothing is new to tell."""
    told = set(told)
    named: list[tuple[Letter, list[str]]] = []
    for letter in sorted(on_table, key=lambda l: (l.deadline or date.max, l.received, l.id)):
        new = [item for item in trusted_items(letter, today) if item not in told]
        if new:
            named.append((letter, new))
    if not named:
        return None
    items = tuple(item for _letter, new in named for item in new)
    digest = hashlib.sha256("\n".join(items).encode("utf-8")).hexdigest()[:16]
    subject = _("Er ligt post voor %(name)s die aandacht nodig heeft") % {"name": person_name}
    if practice:
        subject = _("Oefening: %(subject)s") % {"subject": subject}
    paragraphs = [
        _("Beste %(name)s,") % {"name": trusted.name},
        _("%(name)s heeft u gekozen als vertrouwd persoon in Brieventafel.")
        % {"name": person_name},
        ngettext(
            "Er ligt een brief die aandacht nodig heeft:",
            "Er liggen %(n)d brieven die aandacht nodig hebben:",
            len(named),
        )
        % {"n": len(named)},
    ]
    for letter, _new in named:
        paragraphs.append("- " + "\n  ".join(_letter_lines(letter, today, trusted.show_subject)))
    paragraphs.append(_("Kijk samen in Brieventafel."))
    if practice:
        paragraphs.append(_("Dit is een oefening. Het gaat om oefenpost, niet om echte brieven."))
    if trusted.show_subject:
        paragraphs.append(_("In deze e-mail staat alleen het onderwerp, niet de brief zelf."))
    else:
        paragraphs.append(_("In deze e-mail staat niets uit de brief zelf."))
    paragraphs.append(_("Deze e-mail is vanzelf verstuurd door Brieventafel."))
    return TrustedMail(
        key=f"{key_prefix}trusted/{digest}",
        to=trusted.email,
        subject=subject,
        body="\n\n".join(paragraphs) + "\n",
        items=items,
        senders={letter.id: letter.sender for letter, _new in named},
    )


__all__ = [
    "Kind",
    "Reminder",
    "TrustedMail",
    "TrustedPerson",
    "desktop_reminders",
    "objection_due",
    "reminder_for",
    "snooze_label",
    "snooze_until",
    "trusted_items",
    "trusted_mail",
]
