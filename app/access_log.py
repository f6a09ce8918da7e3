"""The access log: what the represented person reads in "Wie heeft mijn post
bekeken?" (:func:`access_log_lines`), one entry per access by someone else.

Part of :mod:`app.mandates` (``from app.mandates import AccessLogEntry`` works
as before), made when first asked for: only a helper's access and the person
reading their log need it, and a frozen dataclass costs about 1 ms to make
(issue 14).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from app.i18n import gettext as _
from app.mandates import Access


class Event(enum.StrEnum):
    """What the represented person reads about in their log."""

    OPENED = "opened"
    PUT_AWAY = "put-away"
    ASKED_PAPER = "asked-paper"
    ACTIVATED = "activated"


_EVENT_OF = {
    Access.READ: Event.OPENED,
    Access.PUT_AWAY: Event.PUT_AWAY,
    Access.ASK_PAPER: Event.ASKED_PAPER,
    Access.ACTIVATE: Event.ACTIVATED,
}


@dataclass(frozen=True)
class AccessLogEntry:
    """``holder_id`` did ``event`` with the post of ``person_id`` at ``at``:
    a letter (``letter_id``, from ``org_id``), or for an organisation (paper)."""

    holder_id: str
    person_id: str
    event: Event
    at: datetime
    letter_id: str | None = None
    org_id: str | None = None

    def __post_init__(self) -> None:
        if self.event in (Event.OPENED, Event.PUT_AWAY) and not self.letter_id:
            raise ValueError("a letter event needs the letter")


def log_entry(
    holder_id: str,
    person_id: str,
    access: Access,
    at: datetime,
    *,
    letter_id: str | None = None,
    org_id: str | None = None,
) -> AccessLogEntry | None:
    """The entry for an allowed access, or None when there is nothing to tell the
    person: their own use of their post, and marking read (opening is logged)."""
    event = _EVENT_OF.get(Access(access))
    if event is None or holder_id == person_id:
        return None
    return AccessLogEntry(holder_id, person_id, event, at, letter_id, org_id)


def _day(at: datetime, today: date) -> str:
    from babel.dates import format_skeleton

    from app.i18n import locale

    skeleton = "MMMMd" if at.year == today.year else "yMMMMd"
    return format_skeleton(skeleton, at.date(), locale=locale())


def _line(entry: AccessLogEntry, name: str, day: str, org: str | None) -> str:
    values = {"name": name, "date": day, "org": org}
    if entry.event is Event.OPENED:
        text = (
            _("%(name)s opende op %(date)s uw brief van %(org)s.")
            if org
            else _("%(name)s opende op %(date)s een van uw brieven.")
        )
    elif entry.event is Event.PUT_AWAY:
        text = (
            _("%(name)s heeft op %(date)s uw brief van %(org)s opgeborgen.")
            if org
            else _("%(name)s heeft op %(date)s een van uw brieven opgeborgen.")
        )
    elif entry.event is Event.ASKED_PAPER:
        text = (
            _("%(name)s vroeg op %(date)s papieren post aan bij %(org)s.")
            if org
            else _("%(name)s vroeg op %(date)s papieren post voor u aan.")
        )
    else:
        text = _("%(name)s zette op %(date)s uw Berichtenbox aan.")
    return text % values


def access_log_lines(
    entries: Iterable[AccessLogEntry],
    person_id: str,
    *,
    names: Mapping[str, str],
    organisations: Mapping[str, str],
    today: date,
) -> list[str]:
    """ "Wie heeft mijn post bekeken?": one plain line per access by someone else
    to this person's post, newest first. ``names`` gives people's names and
    ``organisations`` organisations' names, by id."""
    mine = [e for e in entries if e.person_id == person_id and e.holder_id != person_id]
    mine.sort(key=lambda e: e.at, reverse=True)
    lines = []
    for entry in mine:
        name = names.get(entry.holder_id) or _("Iemand")
        org = organisations.get(entry.org_id) if entry.org_id else None
        lines.append(_line(entry, name, _day(entry.at, today), org))
    return lines


def access_log_text(lines: list[str]) -> str:
    """The log as one text to show or print, with its title."""
    title = _("Wie heeft mijn post bekeken?")
    if not lines:
        nobody = _("Niemand anders heeft uw post bekeken.")
        return f"{title}\n{nobody}"
    return "\n".join([title, *lines])
