"""Plain words for letters: deadlines, amounts, dates and the table's summary.

Everything here is translated through gettext and formatted through Babel for
the current language, at the moment it is shown.
"""

from __future__ import annotations

from datetime import date

from app import i18n
from app.i18n import gettext as _
from app.i18n import ngettext
from app.model import PAPER, Action, Letter, Urgency, urgency

#: Dutch month names, as Babel's Dutch locale writes them (tests/core/test_plain_dates.py
#: checks every month against Babel): the table's cards are painted in Dutch
#: before the first frame, and Babel's first locale load costs 30 to 40 ms there.
DUTCH_MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


def dutch_date(day: date, *, with_year: bool = True) -> str:
    """ "15 december 2026" (or "15 december"), as Babel's nl_NL writes it, in any
    interface language: the text of a Dutch letter is Dutch."""
    day_month = f"{day.day} {DUTCH_MONTHS[day.month - 1]}"
    return f"{day_month} {day.year}" if with_year else day_month


def format_date(day: date | None, fmt: str = "long") -> str:
    """A date in the current language; empty when there is no date.

    In Dutch the two formats the cards use ("long": 15 december 2026, and
    "d MMMM": 15 december) are written here; everything else goes through Babel."""
    if day is None:
        return ""
    if fmt in ("long", "d MMMM") and i18n.language() == "nl":
        return dutch_date(day, with_year=fmt == "long")
    from babel.dates import format_date as babel_format_date

    return babel_format_date(day, format=fmt, locale=i18n.locale())


def format_amount(cents: int) -> str:
    from babel.numbers import format_currency

    return format_currency(cents / 100, "EUR", locale=i18n.locale())


def deadline_phrase(deadline: date | None, today: date) -> str:
    """'nog 5 dagen', 'morgen', 'vandaag', '3 dagen te laat'; '' without deadline."""
    if deadline is None:
        return ""
    left = (deadline - today).days
    if left < 0:
        late = -left
        return ngettext("%(n)d dag te laat", "%(n)d dagen te laat", late) % {"n": late}
    if left == 0:
        return _("vandaag")
    if left == 1:
        return _("morgen")
    if left <= 31:
        return ngettext("nog %(n)d dag", "nog %(n)d dagen", left) % {"n": left}
    from babel.dates import format_timedelta

    return format_timedelta(
        deadline - today, granularity="day", threshold=1.0, add_direction=True, locale=i18n.locale()
    )


def action_label(action: Action) -> str:
    return _(action.label)


def letter_sentence(letter: Letter, today: date) -> str:
    """The whole card as one sentence, for a screen reader."""
    parts = [_("Brief van %(sender)s.") % {"sender": letter.sender}]
    if letter.source == PAPER:  # added by the person from paper or a PDF
        parts.append(_("Papieren brief") + ".")
    if not letter.read:
        parts.insert(0, _("Nieuw."))
    parts.append(letter.summary)
    parts.append(_("Wat moet u doen: %(action)s.") % {"action": action_label(letter.action)})
    if letter.deadline is not None:
        parts.append(
            _("Uiterlijk %(date)s, %(left)s.")
            % {
                "date": format_date(letter.deadline),
                "left": deadline_phrase(letter.deadline, today),
            }
        )
    # A decision one can still object to says until when, as its card does
    # (only a certain date: a guess is hedged on the letter screen, not said here).
    from app.explain import objection

    found = objection(letter)
    if found is not None and found.certain and found.until >= today:
        day = format_date(found.until)
        if found.kind == "beroep":
            parts.append(_("U kunt beroep instellen tot %(date)s.") % {"date": day})
        else:
            parts.append(_("U kunt bezwaar maken tot %(date)s.") % {"date": day})
    return " ".join(p for p in parts if p)


def table_summary(letters: list[Letter], today: date) -> str:
    """'Er liggen 4 brieven op tafel. 1 is nieuw. 1 moet deze week af.'"""
    count = len(letters)
    if count == 0:
        return _("Er liggen geen brieven op tafel. U hoeft nu niets te doen.")
    parts = [
        ngettext("Er ligt %(n)d brief op tafel.", "Er liggen %(n)d brieven op tafel.", count)
        % {"n": count}
    ]
    new = sum(1 for letter in letters if not letter.read)
    if new:
        parts.append(ngettext("%(n)d is nieuw.", "%(n)d zijn nieuw.", new) % {"n": new})
    late = sum(1 for letter in letters if urgency(letter, today) is Urgency.OVERDUE)
    if late:
        parts.append(ngettext("%(n)d is te laat.", "%(n)d zijn te laat.", late) % {"n": late})
    soon = sum(1 for letter in letters if urgency(letter, today) is Urgency.SOON)
    if soon:
        parts.append(
            ngettext("%(n)d moet deze week af.", "%(n)d moeten deze week af.", soon) % {"n": soon}
        )
    return " ".join(parts)
