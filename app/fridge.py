"""The fridge list: one large-print page of the letters on the table with their
deadlines, per person, for the fridge door, and the same list by e-mail to the
trusted person (once per week: its outbox key is the ISO week), when the person
presses the button or, when they chose it (:func:`weekly`), by the watcher itself.

Pure text here; ui/watch prints it (ui/shell/printing.py, large type) and
:func:`send_fridge_list` queues the mail through the outbox. The printed list
is the person's own and shows each letter's subject; the mail names only the
sender and the deadline (the subject when the person allowed it), never the
letter's text.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

from app.i18n import gettext as _
from app.i18n import ngettext
from app.model import Letter
from app.reminders import TrustedPerson


def _order(letters: Iterable[Letter]) -> list[Letter]:
    return sorted(letters, key=lambda l: (l.deadline or date.max, l.received, l.id))


def fridge_title(person_name: str) -> str:
    return _("Brieven op tafel van %(name)s") % {"name": person_name}


def week_line(today: date) -> str:
    from app.plain import format_date

    return _("Week %(week)d, gemaakt op %(date)s") % {
        "week": today.isocalendar().week,
        "date": format_date(today),
    }


#: at most this many dated letters on the page: the list stays one page
DATED_LINES = 14


def letter_line(letter: Letter, today: date, *, subject: bool) -> str:
    """ "Uiterlijk 3 december 2026: RDW (nog 5 dagen)"; the subject when asked."""
    from app.plain import deadline_phrase, format_date

    who = letter.sender
    if subject and letter.subject:
        who += ", " + " ".join(letter.subject.split())[:80]
    if letter.deadline is None:
        return who
    return _("Uiterlijk %(date)s: %(letter)s (%(left)s)") % {
        "letter": who,
        "date": format_date(letter.deadline),
        "left": deadline_phrase(letter.deadline, today),
    }


def fridge_lines(on_table: Iterable[Letter], today: date, *, subject: bool = False) -> list[str]:
    """The count, one line per letter with a deadline (the nearest first), then
    one line naming the senders of the letters without one. Short lines, so the
    whole table fits one page in large type."""
    letters = _order(on_table)
    if not letters:
        return [_("Er liggen geen brieven op tafel.")]
    count = ngettext(
        "Er ligt %(n)d brief op tafel.", "Er liggen %(n)d brieven op tafel.", len(letters)
    ) % {"n": len(letters)}
    dated = [l for l in letters if l.deadline is not None]
    undated = [l for l in letters if l.deadline is None]
    lines = [count, *(letter_line(l, today, subject=subject) for l in dated[:DATED_LINES])]
    if len(dated) > DATED_LINES:
        more = len(dated) - DATED_LINES
        lines.append(
            ngettext(
                "En nog %(n)d brief met een datum. Kijk in Brieventafel.",
                "En nog %(n)d brieven met een datum. Kijk in Brieventafel.",
                more,
            )
            % {"n": more}
        )
    if undated:
        names = list(dict.fromkeys(l.sender for l in undated))
        senders = ", ".join(names[:4]) + (", ..." if len(names) > 4 else "")
        lines.append(
            ngettext(
                "%(n)d brief zonder datum, van: %(senders)s.",
                "%(n)d brieven zonder datum, van: %(senders)s.",
                len(undated),
            )
            % {"n": len(undated), "senders": senders}
        )
    return lines


def fridge_mail_text(
    on_table: Iterable[Letter], today: date, *, person_name: str, trusted: TrustedPerson
) -> tuple[str, str]:
    subject = _("De brievenlijst van %(name)s") % {"name": person_name}
    paragraphs = [
        _("Beste %(name)s,") % {"name": trusted.name},
        _("Dit is de lijst van %(name)s voor deze week.") % {"name": person_name},
        week_line(today),
        "\n".join(
            "- " + line for line in fridge_lines(on_table, today, subject=trusted.show_subject)
        ),
        _("Kijk samen in Brieventafel."),
        _("In deze e-mail staat niets uit de brief zelf."),
        _("Deze e-mail is verstuurd door Brieventafel."),
    ]
    return subject, "\n\n".join(paragraphs) + "\n"


def fridge_key(place: str, person_id: str, today: date) -> str:
    iso = today.isocalendar()
    return f"{place}/{person_id}/fridge/{iso.year}-W{iso.week:02d}"


#: the person's desk setting: "1" when the watcher mails the list by itself each week
WEEKLY = "koelkast.wekelijks"


def weekly(desk, person_id: str) -> bool:
    """Whether the person chose to have the list mailed by itself each week (off
    until chosen)."""
    return desk.setting(person_id, WEEKLY) == "1"


def set_weekly(desk, person_id: str, on: bool) -> None:
    desk.set_setting(person_id, WEEKLY, "1" if on else "0")


def queue_fridge_list(
    desk, person_id: str, person_name: str, outbox, trusted: TrustedPerson, *, place: str, today
) -> tuple[str, bool]:
    """Put this week's list for the trusted person in the outbox: its key and
    whether it is new. The key is the ISO week, so a second call that week (the
    button, the watcher, a run after a kill) adds nothing: never twice.
    :class:`app.outbox.MailAddressProblem` for an address that is none."""
    subject, body = fridge_mail_text(
        desk.table(person_id), today, person_name=person_name, trusted=trusted
    )
    key = fridge_key(place, person_id, today)
    return key, outbox.add(key, trusted.email, subject, body)


def send_fridge_list(
    desk, person_id: str, person_name: str, data_dir: Path, *, place: str, today: date, clock=None
) -> str:
    """Queue this week's list for the trusted person and hand it to the mail
    server; one line in plain words about what happened."""
    from app import watch
    from app.outbox import FILE_NAME, MailAddressProblem, Outbox, State

    trusted = watch.trusted_person(desk, person_id)
    if trusted is None:
        return _("Kies eerst iemand die u vertrouwt. Dan kunnen wij de lijst mailen.")
    outbox = Outbox(Path(data_dir) / FILE_NAME, **({"clock": clock} if clock else {}))
    try:
        try:
            key, new = queue_fridge_list(
                desk, person_id, person_name, outbox, trusted, place=place, today=today
            )
        except MailAddressProblem:
            return _("Het e-mailadres van %(name)s klopt niet. Kijk het na bij Herinneringen.") % {
                "name": trusted.name
            }
        settings = watch.load_mail_settings(data_dir)
        if settings is not None:
            outbox.send_due(settings)
        message = outbox.message(key)
    finally:
        outbox.close()
    words = {"name": trusted.name}
    if message is None:
        return ""
    if message.state is State.SENT:
        if not new:
            return _("De lijst van deze week is al naar %(name)s gestuurd.") % words
        return _("De lijst is naar %(name)s gestuurd.") % words
    if message.state is State.FAILED:
        return _("De lijst kwam niet aan bij %(name)s. Kijk of het adres klopt.") % words
    if settings is None:
        return _("Er wacht een e-mail. Kies eerst een mailserver bij Herinneringen.")
    return _("De e-mail aan %(name)s wacht nog. %(why)s") % {
        **words,
        "why": watch.reason_text(message.reason),
    }


__all__ = [
    "fridge_key",
    "fridge_lines",
    "fridge_mail_text",
    "fridge_title",
    "queue_fridge_list",
    "send_fridge_list",
    "set_weekly",
    "weekly",
    "week_line",
]
