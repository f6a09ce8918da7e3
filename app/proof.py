"""A proof pack per letter: what happened to it, for an objection ("ik heb die
brief nooit gezien"). The Wmebv gives a right to a copy of the sending and
reading log; this is the part Brieventafel itself can show, in plain words.

:func:`gather` collects the facts (a mailbox call for the access log and, on
a server, the letter's delivery log: run it in the background);
:func:`proof_sections` turns them into headings and lines, for screen and
paper. Nothing of the letter's text goes in: who sent it, its subject, the days.

From the desk: received, opened (yes or no), put away and laid back (the
desk's actions with their times), the desktop reminders and "Ik weet het,
herinner me over 3 dagen". From the outbox: every mail to the trusted person
that named the letter, with each attempt (time, result, the server's code).
From the mailbox: who else opened it (the access log), and on a server the
notifications the Berichtenbox sent (channel, time, delivered or bounced).
"""

from __future__ import annotations

import contextlib
import json
import logging
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from app.i18n import gettext as _
from app.model import Letter

if TYPE_CHECKING:
    from app.mailbox import DeliveryLog

log = logging.getLogger(__name__)

#: how many of the newest letters on the table are asked for their delivery log
BOUNCE_LETTERS = 10


# -- a server's delivery log (GET /berichten/{id}/_bezorging, docs/server.md) ----------
def delivery_log(session, letter: Letter) -> DeliveryLog | None:
    """The server's delivery log of this letter, or None where none is kept (the
    practice box has no ``delivery_log``: an optional capability, as
    ``grants()``). A mailbox call; MailboxError as the mailbox's own."""
    read = getattr(session.mailbox, "delivery_log", None)
    if not callable(read):
        return None
    return read(session.person.id, letter.id)


def notification_bounces(session) -> list[str]:
    """On a server: what the mail server said to the person's own notifications
    that bounced, for the newest letters on the table (empty in practice, and
    for a helper: the log is the person's own). A letter whose log cannot be
    read is skipped; a server that cannot be asked now is asked no further."""
    from app.mailbox import ErrorCode, MailboxError

    if getattr(session, "is_practice", True) or getattr(session, "acts_for_someone_else", False):
        return []
    if not callable(getattr(session.mailbox, "delivery_log", None)):
        return []
    found: list[str] = []
    letters = sorted(session.desk.table(session.person.id), key=lambda l: l.received)
    for letter in letters[-BOUNCE_LETTERS:]:
        try:
            answer = delivery_log(session, letter)
        except MailboxError as error:
            log.info("delivery log not read: %s", error.code)
            if error.code in (ErrorCode.UNKNOWN_LETTER, ErrorCode.BAD_ANSWER):
                continue
            break  # down, busy, signed out: the other letters would say the same
        for step in answer.steps if answer is not None else ():
            if step.kind in ("notificatie", "herhaling") and step.result == "bounced":
                reply = " ".join((step.reply or "").split())[:200]
                if reply not in found:
                    found.append(reply)
    return found


# -- the facts --------------------------------------------------------------------------
@dataclass(frozen=True)
class Event:
    at: datetime | None
    text: str


@dataclass(frozen=True)
class ProofFacts:
    letter: Letter
    person_name: str
    on_table: bool
    events: list[Event] = field(default_factory=list)
    #: who else opened or put it away (the access log), in plain words
    access: list[str] | None = None
    #: the server's delivery log, a line per step (None: no server log)
    delivery: list[str] | None = None
    #: the server keeps a log, but it could not be read now
    delivery_unread: bool = False
    #: the paper letters the server sent about it, their lines as sent
    paper: list[str] = field(default_factory=list)


def _when(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _moment(at: datetime | None) -> str:
    from app.plain import format_date

    if at is None:
        return ""
    local = at.astimezone() if at.tzinfo is not None else at
    return f"{format_date(local.date())}, {local:%H:%M}"


def _desk_events(desk, person_id: str, letter: Letter) -> list[Event]:
    from app import watch
    from app.reminders import Kind

    events: list[Event] = []
    kinds = {
        Kind.NEW.value: _("herinnering op de computer: nieuwe brief"),
        Kind.UNOPENED.value: _("herinnering op de computer: nog niet geopend"),
        Kind.SOON.value: _("herinnering op de computer: de termijn is bijna om"),
        Kind.TOMORROW.value: _("herinnering op de computer: morgen is de laatste dag"),
        Kind.TODAY.value: _("herinnering op de computer: vandaag is de laatste dag"),
        Kind.LATE.value: _("herinnering op de computer: de termijn is voorbij"),
        Kind.OBJECTION.value: _("herinnering op de computer: de bezwaartermijn is bijna om"),
        Kind.APPEAL.value: _("herinnering op de computer: de beroepstermijn is bijna om"),
    }
    for entry in watch.reminder_log(desk, person_id):
        if entry.get("letter") == letter.id:
            # a kind this list does not know yet still shows that a reminder came
            said = kinds.get(str(entry.get("kind")), _("herinnering op de computer"))
            events.append(Event(_when(entry.get("at")), said))
    words = {
        "put_away": _("opgeborgen"),
        "lay_back": _("terug op tafel gelegd"),
    }
    for row in desk.conn.execute(
        "SELECT kind, at, undone FROM actions WHERE person_id = ? AND letter_id = ? ORDER BY id",
        (person_id, letter.id),
    ):
        text = words.get(row["kind"])
        if text:
            if row["undone"]:
                text = _("%(what)s (ongedaan gemaakt)") % {"what": text}
            events.append(Event(_when(row["at"]), text))
    return events


def _trusted_events(desk, person_id: str, letter: Letter, data_dir: Path) -> list[Event]:
    from app import watch
    from app.outbox import FILE_NAME, Outbox, Reason, State

    mails = {}
    with contextlib.suppress(ValueError, TypeError):
        mails = json.loads(desk.setting(person_id, watch.MAILS) or "{}")
    keys = {
        key: entry
        for key, entry in mails.items()
        if isinstance(entry, dict) and letter.id in entry.get("letters", [])
    }
    path = Path(data_dir) / FILE_NAME
    if not keys or not path.exists():
        return []
    outbox = Outbox(path)
    try:
        messages = [m for m in outbox.messages() if m.key in keys]
    finally:
        outbox.close()
    results = {
        State.SENT: _("aangenomen door de mailserver"),
        State.FAILED: _("kwam niet aan"),
        State.UNSURE: _("misschien niet verstuurd"),
        State.WAITING: _("wacht nog"),
        State.SENDING: _("wordt verstuurd"),
    }
    events = []
    for message in messages:
        name = keys[message.key].get("name", "")
        events.append(
            Event(
                message.created,
                _("e-mail aan %(name)s klaargezet (vertrouwd persoon)") % {"name": name},
            )
        )
        for attempt in message.attempts:
            if attempt.reason is Reason.RESEND:
                text = _("e-mail aan %(name)s: opnieuw versturen gevraagd") % {"name": name}
            else:
                text = _("e-mail aan %(name)s: %(result)s") % {
                    "name": name,
                    "result": results.get(attempt.state, ""),
                }
                if attempt.code:
                    text += f" ({attempt.code})"
            events.append(Event(attempt.at, text))
    return events


def _delivery_lines(answer: DeliveryLog | None) -> list[str] | None:
    from app.plain import format_date

    if answer is None:
        return None
    lines = []
    for step in answer.steps:
        when = _moment(step.at) if step.at is not None else format_date(step.day)
        text = step.text or step.kind
        lines.append(f"{when}: {text}" + (f" ({step.reply})" if step.reply else ""))
    return lines


def _paper_lines(session, letter_id: str) -> list[str]:
    """The paper contact letters the server sent about this letter, as sent. A
    mailbox call; MailboxError as the mailbox's own."""
    from app.plain import format_date

    read = getattr(session.mailbox, "paper_contacts", None)
    if not callable(read):
        return []
    lines: list[str] = []
    for contact in read(session.person.id):
        if letter_id in contact.letter_ids:
            lines.append(
                _("Verstuurd op %(date)s. Hierin stond:") % {"date": format_date(contact.day)}
            )
            lines.extend(contact.lines)
    return lines


def gather(session, letter_id: str, data_dir: Path) -> ProofFacts:
    """Everything there is to say about one letter. Mailbox calls: run in the
    background. A part that cannot be read is left out and said so, never faked."""
    from app import mandates as mnd
    from app.mailbox import MailboxError

    desk, person = session.desk, session.person
    letter = desk.letter(person.id, letter_id)
    on_table = any(l.id == letter_id for l in desk.table(person.id))
    events = _desk_events(desk, person.id, letter) + _trusted_events(
        desk, person.id, letter, data_dir
    )
    access: list[str] | None = None
    read_log = getattr(session.mailbox, "access_log", None)
    if callable(read_log):
        try:
            entries = [e for e in read_log(person.id) if e.letter_id == letter_id]
            names = dict(getattr(session, "names_known", {}) or {})
            organisations = {o.id: o.name for o in session.mailbox.organisations()}
            access = mnd.access_log_lines(
                entries, person.id, names=names, organisations=organisations, today=session.today()
            )
        except MailboxError as error:
            log.info("access log not read: %s", error.code)
    delivery: list[str] | None = None
    unread = False
    paper: list[str] = []
    # The log is the recipient's own: a helper is not shown it (the service refuses).
    if not session.is_practice and not getattr(session, "acts_for_someone_else", False):
        try:
            found = delivery_log(session, letter)
        except MailboxError as error:
            log.info("delivery log not read: %s", error.code)
            found, unread = None, True
        delivery = _delivery_lines(found)
        if found is not None and any(s.kind == "contactherstel" for s in found.steps):
            try:
                paper = _paper_lines(session, letter_id)
            except MailboxError as error:
                log.info("paper contacts not read: %s", error.code)
                paper = [_("Dit kunnen wij hier niet lezen.")]
    return ProofFacts(letter, person.name, on_table, events, access, delivery, unread, paper)


def proof_sections(facts: ProofFacts) -> list[tuple[str, list[str]]]:
    """The pack as (heading, lines), oldest first within each part."""
    from app.plain import format_date

    letter = facts.letter
    about = [
        _("Van: %(sender)s") % {"sender": letter.sender},
        _("Onderwerp: %(subject)s") % {"subject": " ".join(letter.subject.split())[:200]},
        _("Voor: %(name)s") % {"name": facts.person_name},
        _("Ontvangen in de Berichtenbox: %(date)s") % {"date": format_date(letter.received)},
    ]
    if letter.deadline is not None:
        about.append(_("Uiterlijk: %(date)s") % {"date": format_date(letter.deadline)})
    about.append(_("Geopend: ja") if letter.read else _("Geopend: nee, nog niet"))
    about.append(_("Ligt nog op tafel.") if facts.on_table else _("Is opgeborgen."))
    timeline = [
        f"{_moment(e.at)}: {e.text}"
        for e in sorted(
            (e for e in facts.events if e.text), key=lambda e: (e.at is None, _sortable(e.at))
        )
    ]
    sections = [
        (_("De brief"), about),
        (
            _("Wat Brieventafel deed en zag"),
            timeline or [_("Brieventafel heeft over deze brief nog niets gedaan.")],
        ),
    ]
    if facts.access is None:
        sections.append((_("Wie opende de brief?"), [_("Dit kunnen wij hier niet lezen.")]))
    else:
        sections.append(
            (
                _("Wie opende de brief?"),
                facts.access or [_("Niemand anders heeft deze brief geopend of opgeborgen.")],
            )
        )
    if facts.delivery is not None:
        sections.append(
            (
                _("Wat de Berichtenbox bijhield"),
                facts.delivery or [_("De Berichtenbox gaf geen gegevens.")],
            )
        )
    elif facts.delivery_unread:
        sections.append((_("Wat de Berichtenbox bijhield"), [_("Dit kunnen wij hier niet lezen.")]))
    else:
        sections.append(
            (
                _("Wat de Berichtenbox bijhield"),
                [
                    _(
                        "Dit staat niet in Brieventafel. Vraag het bij de organisatie "
                        "die de brief stuurde. U hebt recht op een kopie."
                    )
                ],
            )
        )
    if facts.paper:
        sections.append((_("De brief op papier"), facts.paper))
    return sections


def _sortable(at: datetime | None) -> float:
    if at is None:
        return 0.0
    return at.timestamp() if at.tzinfo is not None else at.astimezone().timestamp()


def proof_title(letter: Letter) -> str:
    return _("Bewijs: brief van %(sender)s") % {"sender": letter.sender}


__all__ = [
    "ProofFacts",
    "delivery_log",
    "gather",
    "notification_bounces",
    "proof_sections",
    "proof_title",
]
