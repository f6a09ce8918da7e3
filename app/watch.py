"""The watcher: check the mailbox, remind the person, tell the trusted person.

``brieventafel --watch --once`` runs :func:`run_once`: it opens the same
Berichtenbox the window would (the practice box, or the remembered server with
the token from the keyring), fetches new letters onto the desk, and does what
:mod:`app.reminders` says is due today:

* desktop reminders: kept on the desk (``herinnering.getoond``, the last day
  per letter, and the log below) and returned as lines; the tray (ui/watch)
  shows them;
* the trusted person's e-mail: queued in the outbox (``outbox.sqlite3`` in the
  data folder, :mod:`app.outbox`) and handed to the mail server chosen with
  ``--set-mail-server`` (``mail.json`` in the data folder, 0600, no password).

What was done is kept so the person can see it ("Wij hebben Anna gemaild op 3
december over de brief van RDW"): :func:`history` reads the desk's log and the
outbox's states. Queueing is safe against a kill: the mail is first written
down on the desk as *pending*, then queued (the outbox key makes a repeat a
no-op), then its items are marked told and the pending mail cleared; a run
that finds a pending mail queues it again first.

Everything about a person stays in their desk settings (one row per key):
``vertrouwd.naam``, ``vertrouwd.email``, ``vertrouwd.onderwerp`` ("1": the
person allowed the subject), ``vertrouwd.verteld`` (items told), ``vertrouwd.wacht``
(a pending mail), ``vertrouwd.mails`` (each mail queued: its outbox key, the
trusted person's name then, the senders it named), ``herinnering.later``
(snoozes), ``herinnering.log`` (desktop reminders, the newest 500).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from app.i18n import gettext as _
from app.outbox import FILE_NAME as OUTBOX_FILE
from app.outbox import MailSettings, Outbox, Reason, State
from app.reminders import (
    Reminder,
    TrustedPerson,
    desktop_reminders,
    snooze_until,
    trusted_mail,
)

MAIL_FILE = "mail.json"
TOKEN_ENV = "BRIEVENTAFEL_TOKEN"
TRUSTED_NAME = "vertrouwd.naam"
TRUSTED_EMAIL = "vertrouwd.email"
TRUSTED_SUBJECT = "vertrouwd.onderwerp"
TOLD = "vertrouwd.verteld"
PENDING = "vertrouwd.wacht"
REMINDED = "herinnering.getoond"
SNOOZED = "herinnering.later"
LOG = "herinnering.log"
MAILS = "vertrouwd.mails"
#: the holder's own setting: per represented person, per letter, the last day
#: the helper was reminded of it (kept apart from the person's own record, so a
#: person who shares the desk with their helper still hears of their own letter)
OTHERS_REMINDED = "herinnering.anderen"
#: the log keeps this many entries (newest): enough for months of reminders
LOG_ENTRIES = 500


# -- small files ------------------------------------------------------------------------
def _write_private(path: Path, text: str) -> None:
    from app.paths import write_atomically

    write_atomically(path, text)


def save_mail_settings(data_dir: Path, settings: MailSettings) -> None:
    """Keep where mail goes (never a password: that is in the keyring)."""
    _write_private(Path(data_dir) / MAIL_FILE, json.dumps(asdict(settings), ensure_ascii=False))


def load_mail_settings(data_dir: Path) -> MailSettings | None:
    try:
        raw = json.loads((Path(data_dir) / MAIL_FILE).read_text(encoding="utf-8"))
        settings = MailSettings(
            host=str(raw["host"]),
            port=int(raw["port"]),
            security=str(raw.get("security", "starttls")),
            user=str(raw.get("user", "")),
            sender=str(raw.get("sender", "")),
            timeout_s=float(raw.get("timeout_s", 20.0)),
            ca_file=str(raw.get("ca_file", "")),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return settings


def parse_host_port(text: str) -> tuple[str, int] | None:
    """'smtp.example.nl:587' -> ('smtp.example.nl', 587); None when it is not that."""
    host, sep, port = text.strip().rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        return None
    return host, int(port)


# -- where a person's desk is ------------------------------------------------------------
def desk_folder(data_dir: Path, server: str | None) -> Path:
    """The desk's folder, as :class:`app.session.Session` opens it."""
    from app.session import PRACTICE_FOLDER

    if not server:
        return Path(data_dir) / PRACTICE_FOLDER
    from app.secrets import service_name

    key = hashlib.sha256(service_name(server).encode("utf-8")).hexdigest()[:16]
    return Path(data_dir) / f"server-{key}"


def place_of(data_dir: Path, server: str | None) -> str:
    return desk_folder(data_dir, server).name


# -- settings on the desk ---------------------------------------------------------------
def _json_setting(desk, person_id: str, key: str, default):
    raw = desk.setting(person_id, key)
    if not raw:
        return default
    try:
        value = json.loads(raw)
    except ValueError:
        return default
    return value if isinstance(value, type(default)) else default


def trusted_person(desk, person_id: str) -> TrustedPerson | None:
    name = desk.setting(person_id, TRUSTED_NAME) or ""
    email = desk.setting(person_id, TRUSTED_EMAIL) or ""
    if not name or not email:
        return None
    return TrustedPerson(name, email, show_subject=desk.setting(person_id, TRUSTED_SUBJECT) == "1")


def set_trusted_person(desk, person_id: str, person: TrustedPerson | None) -> None:
    """Choose (or, with None, forget) the trusted person."""
    desk.set_setting(person_id, TRUSTED_NAME, person.name if person else "")
    desk.set_setting(person_id, TRUSTED_EMAIL, person.email if person else "")
    desk.set_setting(person_id, TRUSTED_SUBJECT, "1" if person and person.show_subject else "0")


def snooze(desk, person_id: str, letter_id: str, today: date) -> date:
    """ "Ik weet het, herinner me over 3 dagen"; returns the day it reminds again."""
    until = snooze_until(today)
    snoozed = _json_setting(desk, person_id, SNOOZED, {})
    snoozed[letter_id] = until.isoformat()
    desk.set_setting(person_id, SNOOZED, json.dumps(snoozed))
    return until


def snoozed_until(desk, person_id: str, letter_id: str, today: date) -> date | None:
    """The day this letter may remind again, when the person snoozed it and that
    day is still to come; else None."""
    until = _days(_json_setting(desk, person_id, SNOOZED, {})).get(letter_id)
    return until if until is not None and until > today else None


def snooze_words(until: date) -> str:
    """What the person reads after "Ik weet het, herinner me over 3 dagen"."""
    from app.plain import format_date

    return _("Goed. Wij herinneren u weer op %(date)s.") % {"date": format_date(until, "d MMMM")}


def snooze_at(
    data_dir: Path, server: str | None, person_id: str | None, letter_id: str, today: date
) -> date:
    """:func:`snooze` on the desk of this data folder (the tray has no session open)."""
    from app.desk import Desk

    desk = Desk(desk_folder(data_dir, server))
    try:
        return snooze(desk, person_id or _default_person(), letter_id, today)
    finally:
        desk.close()


def _days(mapping: dict) -> dict[str, date]:
    days = {}
    for key, value in mapping.items():
        with contextlib.suppress(TypeError, ValueError):
            days[str(key)] = date.fromisoformat(value)
    return days


def _log(desk, person_id: str, entries: list[dict]) -> None:
    log = _json_setting(desk, person_id, LOG, [])
    log.extend(entries)
    desk.set_setting(person_id, LOG, json.dumps(log[-LOG_ENTRIES:], ensure_ascii=False))


def reminder_log(desk, person_id: str) -> list[dict]:
    """The desktop reminders given: {"at": ISO time, "kind": Kind value, "letter": id}."""
    return [e for e in _json_setting(desk, person_id, LOG, []) if isinstance(e, dict)]


# -- the people the holder acts for (issue 13) --------------------------------------------
@dataclass(frozen=True)
class ForSomeone(Reminder):
    """A reminder about the post of someone the signed-in person acts for: its
    text names whose post it is ("Post van Wim: nieuwe brief van CJIB.")."""

    person_id: str = ""
    person_name: str = ""

    @property
    def text(self) -> str:
        from app.i18n import language

        said = super().text
        if language() == "nl" and said[:1].isupper() and said[1:2].islower():
            said = said[:1].lower() + said[1:]  # Dutch goes on in lower case after a colon
        return _("Post van %(name)s: %(text)s") % {"name": self.person_name, "text": said}


def _first_name(name: str) -> str:
    return name.split()[0] if name.split() else name


def represented_reminders(session, today: date) -> list[ForSomeone]:
    """Today's desktop reminders about the post of everyone the holder acts for
    (not their own, not the person shown): only letters of the organisations the
    mandate or the court decision covers (the service gives no others; this is
    the desk's own check, for letters kept from before), none for a mandate
    that ended or was revoked, and a read-only helper is told too (reading is
    allowed). Each person in the order of :func:`app.people.represented`."""
    from app import people

    desk, holder = session.desk, session.holder
    stored = _json_setting(desk, holder.id, OTHERS_REMINDED, {})
    snoozed = _days(_json_setting(desk, holder.id, SNOOZED, {}))
    due: list[ForSomeone] = []
    for item in people.represented(session):
        if item.is_self or item.ended or item.person.id in (holder.id, session.person.id):
            continue
        covered = item.organisations
        letters = [
            letter
            for letter in desk.table(item.person.id)
            if covered is None or letter.org_id in covered
        ]
        theirs = stored.get(item.person.id)
        reminded = _days(theirs) if isinstance(theirs, dict) else {}
        name = _first_name(item.person.name)
        for r in desktop_reminders(letters, today, reminded=reminded, snoozed=snoozed):
            due.append(
                ForSomeone(
                    r.letter_id,
                    r.kind,
                    r.sender,
                    r.deadline,
                    r.days_unopened,
                    r.today,
                    person_id=item.person.id,
                    person_name=name,
                )
            )
    return due


def _keep_represented(desk, holder_id: str, due: list[ForSomeone], today: date, now) -> None:
    """Remember today's reminders about others: in the holder's own record, and
    in each person's reminder log (the proof pack of that letter on this desk),
    marked with who was reminded."""
    if not due:
        return
    stored = _json_setting(desk, holder_id, OTHERS_REMINDED, {})
    by_person: dict[str, list[ForSomeone]] = {}
    for reminder in due:
        by_person.setdefault(reminder.person_id, []).append(reminder)
    for person_id, theirs in by_person.items():
        days = stored.get(person_id)
        days = days if isinstance(days, dict) else {}
        for reminder in theirs:
            days[reminder.letter_id] = today.isoformat()
        stored[person_id] = days
        _log(
            desk,
            person_id,
            [
                {
                    "at": now.isoformat(timespec="seconds"),
                    "kind": r.kind.value,
                    "letter": r.letter_id,
                    "for": holder_id,
                }
                for r in theirs
            ],
        )
    desk.set_setting(holder_id, OTHERS_REMINDED, json.dumps(stored))


# -- one run -----------------------------------------------------------------------------
@dataclass(frozen=True)
class RunResult:
    lines: list[str]
    reminders: int = 0
    mails_sent: int = 0
    problem: str = ""
    #: today's desktop reminders themselves (the tray offers "Ik weet het,
    #: herinner me over 3 dagen" on each); their texts are in ``lines`` too
    due: tuple[Reminder, ...] = ()


def open_session(data_dir: Path, person_id: str | None, server: str | None, today):
    """The session the window would open; MailboxError when a server cannot be used."""
    from app.session import Session

    if not server:
        return Session.open_practice(data_dir, person_id=person_id, today=today, sync=False)
    from app import secrets
    from app.mailbox import MailboxError
    from app.mailbox.errors import ErrorCode

    token = os.environ.get(TOKEN_ENV) or (
        secrets.load_token(server, person_id) if person_id else None
    )
    if not token or not person_id:
        raise MailboxError(ErrorCode.UNAUTHORIZED, "watch: no token kept")
    return Session.open_remote(data_dir, server, person_id, token, today=today, sync=False)


def check_session(
    session,
    data_dir: Path,
    *,
    server: str | None = None,
    today: date | None = None,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> RunResult:
    """What :func:`run_once` does once the session is open (the tray calls this too)."""
    from app.problems import problem_text

    today = today or session.today()
    desk, person = session.desk, session.person
    lines: list[str] = []
    now = clock()
    if session.is_practice and practice_letter_due(desk, person.id, now):
        _deliver_to(session.mailbox, person.id, now)
        desk.set_setting(person.id, PRACTICE_DELIVERED, now.isoformat(timespec="seconds"))
    session.sync()
    problem = problem_text(session.sync_error) if session.sync_error is not None else ""
    if problem:
        lines.append(problem)
    on_table = desk.table(person.id)

    # the desktop
    reminded = _days(_json_setting(desk, person.id, REMINDED, {}))
    snoozed = _days(_json_setting(desk, person.id, SNOOZED, {}))
    due = desktop_reminders(on_table, today, reminded=reminded, snoozed=snoozed)
    if due:
        stored = _json_setting(desk, person.id, REMINDED, {})
        for reminder in due:
            stored[reminder.letter_id] = today.isoformat()
        desk.set_setting(person.id, REMINDED, json.dumps(stored))
        _log(
            desk,
            person.id,
            [
                {
                    "at": now.isoformat(timespec="seconds"),
                    "kind": r.kind.value,
                    "letter": r.letter_id,
                }
                for r in due
            ],
        )
        lines.extend(reminder_line(r) for r in due)

    # the people the signed-in person acts for (the sync above fetched their post)
    others = represented_reminders(session, today)
    _keep_represented(desk, session.holder.id, others, today, now)
    lines.extend(reminder_line(r) for r in others)

    # the trusted person: the person's own choice, so only for their own post; a
    # helper's watcher never mails a represented person's trusted person
    outbox = Outbox(Path(data_dir) / OUTBOX_FILE, clock=clock)
    sent = 0
    try:
        queued = _queue_pending(desk, person.id, outbox)
        if queued:
            lines.append(queued)
        trusted = trusted_person(desk, person.id) if person.id == session.holder.id else None
        if trusted is not None:
            mail = trusted_mail(
                on_table,
                today,
                person_name=person.name,
                trusted=trusted,
                told=_json_setting(desk, person.id, TOLD, []),
                key_prefix=f"{place_of(data_dir, server)}/{person.id}/",
                practice=session.is_practice,
            )
            if mail is not None:
                desk.set_setting(
                    person.id,
                    PENDING,
                    json.dumps(
                        {
                            "key": mail.key,
                            "to": mail.to,
                            "subject": mail.subject,
                            "body": mail.body,
                            "items": list(mail.items),
                            "senders": mail.senders,
                            "name": trusted.name,
                        },
                        ensure_ascii=False,
                    ),
                )
                queued = _queue_pending(desk, person.id, outbox)
                if queued:
                    lines.append(queued)
        fridge = _queue_weekly_fridge(
            desk, person, trusted, outbox, place_of(data_dir, server), today, lines
        )
        mine = _mine(desk, person.id)
        if fridge:
            mine[fridge] = {"key": fridge, "name": trusted.name if trusted else "", "fridge": True}
        settings = load_mail_settings(data_dir)
        if settings is not None and any(
            m.key in mine and m.state is State.WAITING for m in outbox.messages()
        ):
            for attempt in outbox.send_due(settings):
                if attempt.key not in mine:
                    continue
                entry = mine[attempt.key]
                if entry.get("fridge"):
                    lines.append(_fridge_attempt_line(attempt.state, attempt.reason, entry))
                else:
                    lines.append(_attempt_line(attempt.state, attempt.reason, entry))
                sent += attempt.state is State.SENT
        elif settings is None and any(
            m.key in mine and m.state is State.WAITING for m in outbox.messages()
        ):
            lines.append(_("Er wacht een e-mail. Kies eerst een mailserver bij Herinneringen."))
    finally:
        outbox.close()
    every = (*due, *others)
    return RunResult(lines, len(every), sent, problem, every)


def _queue_weekly_fridge(desk, person, trusted, outbox, place: str, today: date, lines) -> str:
    """When the person chose it and has a trusted person: this ISO week's fridge
    list in the outbox (a no-op when it is there already, also after a kill or
    when the person pressed the button this week); its key, or "" when none."""
    from app import fridge
    from app.outbox import MailAddressProblem

    if trusted is None or not fridge.weekly(desk, person.id):
        return ""
    try:
        key, _new = fridge.queue_fridge_list(
            desk, person.id, person.name, outbox, trusted, place=place, today=today
        )
    except MailAddressProblem:
        lines.append(
            _("Het e-mailadres van %(name)s klopt niet. Kijk het na bij Herinneringen.")
            % {"name": trusted.name}
        )
        return ""
    return key


def _fridge_attempt_line(state: State, reason: Reason, entry: dict) -> str:
    words = {"name": entry.get("name", "")}
    if state is State.SENT:
        return _("De koelkastlijst van deze week is naar %(name)s gestuurd.") % words
    if state is State.FAILED:
        return _("De lijst kwam niet aan bij %(name)s. Kijk of het adres klopt.") % words
    if state is State.UNSURE:
        return _("Wij weten niet zeker of de e-mail aan %(name)s is aangekomen.") % words
    return _("De e-mail aan %(name)s wacht nog. %(why)s") % {**words, "why": reason_text(reason)}


def reminder_line(reminder: Reminder) -> str:
    """A desktop reminder as one printed line ("Herinnering: ..."); about someone
    else's post it names whose ("Post van Wim: nieuwe brief van CJIB.")."""
    if isinstance(reminder, ForSomeone):
        return reminder.text
    return _("Herinnering: %(text)s") % {"text": reminder.text}


def _queue_pending(desk, person_id: str, outbox: Outbox) -> str | None:
    """Queue the pending mail; a problem in plain words when it cannot be (it is
    then dropped, not marked told: once the address is put right, it goes)."""
    from app.outbox import MailAddressProblem

    pending = _json_setting(desk, person_id, PENDING, {})
    if not pending:
        return None
    try:
        outbox.add(pending["key"], pending["to"], pending["subject"], pending["body"])
    except MailAddressProblem:
        desk.set_setting(person_id, PENDING, "")
        return _("Het e-mailadres van %(name)s klopt niet. Kijk het na bij Herinneringen.") % {
            "name": pending.get("name", "")
        }
    told = _json_setting(desk, person_id, TOLD, [])
    told.extend(item for item in pending["items"] if item not in told)
    desk.set_setting(person_id, TOLD, json.dumps(told))
    mails = _json_setting(desk, person_id, MAILS, {})
    mails[pending["key"]] = {
        "key": pending["key"],
        "name": pending["name"],
        "senders": sorted(set(pending["senders"].values())),
        "letters": sorted(pending["senders"]),
    }
    desk.set_setting(person_id, MAILS, json.dumps(mails, ensure_ascii=False))
    desk.set_setting(person_id, PENDING, "")
    return None


def _mine(desk, person_id: str) -> dict[str, dict]:
    mails = _json_setting(desk, person_id, MAILS, {})
    return {key: entry for key, entry in mails.items() if isinstance(entry, dict)}


def _about(senders: list[str]) -> str:
    if len(senders) == 1:
        return _("de brief van %(sender)s") % {"sender": senders[0]}
    return _("de brieven van %(senders)s") % {"senders": ", ".join(senders)}


def _attempt_line(state: State, reason: Reason, entry: dict) -> str:
    words = {"name": entry.get("name", ""), "about": _about(list(entry.get("senders", [])))}
    if state is State.SENT:
        return _("E-mail verstuurd aan %(name)s over %(about)s.") % words
    if state is State.FAILED:
        return _("De e-mail aan %(name)s kwam niet aan. Kijk of het adres klopt.") % words
    if state is State.UNSURE:
        return _("Wij weten niet zeker of de e-mail aan %(name)s is aangekomen.") % words
    return _("De e-mail aan %(name)s wacht nog. %(why)s") % {**words, "why": reason_text(reason)}


def reason_text(reason: Reason | str) -> str:
    """Why a mail waits or failed, in plain words, with what to do."""
    texts = {
        Reason.DOWN: _("De mailserver antwoordt niet. Wij proberen het later opnieuw."),
        Reason.DROPPED: _("De verbinding viel weg. Wij proberen het later opnieuw."),
        Reason.BUSY: _("De mailserver wil het nu niet. Wij proberen het later opnieuw."),
        Reason.REFUSED: _("De mailserver weigert dit adres. Kijk of het adres klopt."),
        Reason.SIGN_IN: _("De mailserver kent de naam of het wachtwoord niet. Kijk ze na."),
        Reason.NO_PASSWORD: _("Het wachtwoord van de mailserver ontbreekt. Vul het in."),
        Reason.SECURITY: _("De verbinding met de mailserver is niet veilig. Wij sturen niets."),
        Reason.NOT_ALLOWED: _("Deze mailserver moet een beveiligde verbinding geven."),
        Reason.SENDER_REFUSED: _("De mailserver weigert het afzendadres. Kijk het na."),
        Reason.KILLED: _("Brieventafel stopte tijdens het versturen."),
        Reason.RESEND: _("U hebt gevraagd het opnieuw te sturen."),
        Reason.ACCEPTED: _("De mailserver heeft de e-mail aangenomen."),
    }
    try:
        return texts[Reason(reason)]
    except ValueError:
        return ""


# -- what the person sees: "Wat hebben wij gestuurd?" ------------------------------------
@dataclass(frozen=True)
class Sent:
    key: str
    state: State
    at: datetime | None
    text: str
    reason: str = ""
    reply: str = ""


def history(desk, person_id: str, data_dir: Path) -> list[Sent]:
    """Every mail to the trusted person about this person's post, newest first."""
    from app.plain import format_date

    mine = _mine(desk, person_id)
    path = Path(data_dir) / OUTBOX_FILE
    if not mine or not path.exists():
        return []
    outbox = Outbox(path)
    try:
        messages = [m for m in outbox.messages() if m.key in mine]
    finally:
        outbox.close()
    found = []
    for m in messages:
        entry = mine[m.key]
        words = {"name": entry.get("name", ""), "about": _about(list(entry.get("senders", [])))}
        if m.state is State.SENT and m.sent_at is not None:
            local = m.sent_at.astimezone()
            text = _("Wij hebben %(name)s gemaild op %(date)s over %(about)s.") % {
                **words,
                "date": format_date(local.date(), "d MMMM"),
            }
        elif m.state is State.FAILED:
            text = _("De e-mail aan %(name)s over %(about)s kwam niet aan.") % words
        elif m.state is State.UNSURE:
            text = _("Misschien niet verstuurd: de e-mail aan %(name)s over %(about)s.") % words
        else:
            text = _("Deze e-mail wacht nog: aan %(name)s over %(about)s.") % words
        found.append(Sent(m.key, m.state, m.sent_at or m.created, text, m.reason, m.reply))
    return sorted(found, key=lambda s: s.at or datetime.min.replace(tzinfo=UTC), reverse=True)


def run_once(
    data_dir: Path,
    *,
    person_id: str | None = None,
    server: str | None = None,
    today: Callable[[], date] = date.today,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> RunResult:
    """Open, check once, do what is due, close. Never raises for a mailbox or a
    mail server: a problem is a line in plain words."""
    from app.mailbox import MailboxError
    from app.problems import problem_text

    try:
        session = open_session(data_dir, person_id, server, today)
    except MailboxError as error:
        text = problem_text(error)
        return RunResult([text], problem=text)
    try:
        return check_session(session, data_dir, server=server, today=today(), clock=clock)
    finally:
        session.close()


PRACTICE_LETTER = {
    "org": "rdw",
    "subject": "Oefenbrief: uw kenteken",
    "summary": "Dit is een oefenbrief. Zo ziet een nieuwe brief eruit.",
    "action": "lezen",
    "berichtType": "notificatie",
    "received_days_ago": 0,
    "deadline_in_days": 14,
    "read": False,
    "what_to_do": "U hoeft niets te doen. Dit is een oefening.",
    "body": "Dit is een oefenbrief van Brieventafel. Er staat niets echts in.",
}


#: the watcher puts a practice letter in the practice box this often (the first
#: run included), so a person who learns sees a reminder happen
PRACTICE_EVERY_DAYS = 7
PRACTICE_DELIVERED = "oefen.bezorgd"


def practice_letter_due(desk, person_id: str, now: datetime) -> bool:
    last = _when_setting(desk.setting(person_id, PRACTICE_DELIVERED))
    return last is None or (now - last).days >= PRACTICE_EVERY_DAYS


def _when_setting(raw: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def _deliver_to(box, person: str, now: datetime, suffix: str = "") -> str:
    letter_id = f"{person}-oefen-{now.strftime('%Y%m%d%H%M%S')}{suffix}"
    box.publish(person, {**PRACTICE_LETTER, "id": letter_id})
    return letter_id


def deliver_practice_letter(data_dir: Path, person_id: str | None, now: datetime) -> str:
    """Put a new practice letter in the practice box; returns its id."""
    from app.mailbox.practice import DEFAULT_PERSON, PracticeMailbox
    from app.session import PRACTICE_FOLDER

    person = person_id or DEFAULT_PERSON
    box = PracticeMailbox(
        Path(data_dir) / PRACTICE_FOLDER / "practice.sqlite3", person_id=person, holder=person
    )
    try:
        import secrets

        # asked for by hand: never the same id as the watcher's own of that second
        return _deliver_to(box, person, now, f"-{secrets.token_hex(2)}")
    finally:
        box.close()


# -- does the person's own notification arrive? ---------------------------------------
TEST_PENDING = "melding.test"
TESTED = "melding.getest"
TEST_CODE_DIGITS = 4


@dataclass(frozen=True)
class TestStart:
    """A test message on its way: the code to type back (shown on screen only in
    practice, where no real e-mail goes) and what the person reads now."""

    code: str
    simulated: bool
    line: str


def _new_code() -> str:
    import secrets

    return f"{secrets.randbelow(10**TEST_CODE_DIGITS):0{TEST_CODE_DIGITS}d}"


def test_mail_text(code: str) -> tuple[str, str]:
    """The test message's subject and body: the code, nothing else of the person."""
    subject = _("Brieventafel: uw testcode")
    body = "\n\n".join(
        [
            _("Deze e-mail komt van Brieventafel. U vroeg om een test."),
            _("Uw code is: %(code)s") % {"code": code},
            _("Typ deze code in Brieventafel. Dan weet u dat uw e-mail aankomt."),
            _("Vroeg u niet om deze test? Dan kunt u deze e-mail weggooien."),
        ]
    )
    return subject, body + "\n"


def start_test(
    desk,
    person_id: str,
    address: str | None,
    data_dir: Path,
    *,
    server: str | None = None,
    place: str = "",
    practice: bool = False,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> TestStart:
    """Send a test message with a short code to the person's own linked address.

    In practice no real e-mail goes: the code is shown, as the mail would bring
    it. Otherwise the message goes through the outbox (and the mail server chosen
    with ``--set-mail-server``); its fate is read back by :func:`notification_health`.
    """
    from app.outbox import MailAddressProblem, is_address

    code = _new_code()
    now = clock()
    if practice:
        desk.set_setting(
            person_id,
            TEST_PENDING,
            json.dumps({"code": code, "key": "", "at": now.isoformat(timespec="seconds")}),
        )
        return TestStart(
            code,
            True,
            _("Oefening: er gaat geen echte e-mail. In de e-mail zou deze code staan: %(code)s.")
            % {"code": code},
        )
    if not address or not is_address(address):
        return TestStart("", False, _("Er is geen e-mailadres gekoppeld. Wij sturen niets."))
    prefix = f"{place or place_of(data_dir, server)}/{person_id}"
    key = f"{prefix}/test/{now.strftime('%Y%m%d%H%M%S')}-{code}"
    subject, body = test_mail_text(code)
    outbox = Outbox(Path(data_dir) / OUTBOX_FILE, clock=clock)
    try:
        try:
            outbox.add(key, address, subject, body)
        except MailAddressProblem:
            return TestStart("", False, _("Er is geen e-mailadres gekoppeld. Wij sturen niets."))
        desk.set_setting(
            person_id,
            TEST_PENDING,
            json.dumps({"code": code, "key": key, "at": now.isoformat(timespec="seconds")}),
        )
        settings = load_mail_settings(data_dir)
        if settings is not None:
            outbox.send_due(settings)
        message = outbox.message(key)
    finally:
        outbox.close()
    return TestStart("", False, _test_line(message, settings is not None))


def _test_line(message, has_server: bool) -> str:
    if message is None:
        return ""
    if message.state is State.SENT:
        return _("Wij hebben een testbericht gestuurd. Typ de code uit die e-mail hieronder.")
    if message.state is State.FAILED:
        return bounce_words(message)
    if not has_server:
        return _("Het testbericht wacht. Kies eerst een mailserver.")
    return _("Het testbericht wacht nog. %(why)s") % {"why": reason_text(message.reason)}


def bounce_reply(message) -> str:
    """What the mail server said, with its code ("550 5.1.1 No such user")."""
    code = next((a.code for a in reversed(message.attempts) if a.code), None)
    reply = message.reply or ""
    if code is not None and not reply.startswith(str(code)):
        return f"{code} {reply}".strip()
    return reply


def bounce_words(message) -> str:
    return _("Uw e-mail komt niet aan. De mailserver zei: %(reply)s") % {
        "reply": bounce_reply(message) or _("geen reden")
    }


def what_to_do_on_bounce() -> str:
    return _(
        "Kijk of uw e-mailadres goed is gespeld. Is uw mailbox vol? Ruim dan wat op. "
        "Een ander adres zet u op mijn.overheid.nl, bij Instellingen."
    )


def how_to_link() -> str:
    return _(
        "Zo koppelt u een e-mailadres: ga naar mijn.overheid.nl. Log in met DigiD. "
        "Kies Instellingen. Vul daar uw e-mailadres in."
    )


def confirm_test(desk, person_id: str, typed: str, today: date) -> bool:
    """The person typed the code back: True (and kept as the last test day) when it
    is the code of the test message."""
    pending = _json_setting(desk, person_id, TEST_PENDING, {})
    code = str(pending.get("code", ""))
    if not code or "".join(typed.split()) != code:
        return False
    desk.set_setting(person_id, TESTED, today.isoformat())
    desk.set_setting(person_id, TEST_PENDING, "")
    return True


def last_tested(desk, person_id: str) -> date | None:
    raw = desk.setting(person_id, TESTED) or ""
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


@dataclass(frozen=True)
class Health:
    """Does the person's own notification arrive, in plain lines for the screen."""

    linked: bool
    lines: list[str]
    #: the test message's or a notification's bounce, as the server said it
    bounce: str = ""
    #: a test message waits for its code to be typed back
    awaiting_code: bool = False


def notification_health(
    desk,
    person_id: str,
    data_dir: Path,
    email: str | None,
    *,
    server_bounces: list[str] | None = None,
) -> Health:
    """Whether an address is linked, the last good test, a test message's fate,
    and (with a server) notifications that bounced, each with what to do."""
    from app.plain import format_date

    lines: list[str] = []
    if email:
        lines.append(_("Uw e-mailadres in de Berichtenbox: %(email)s.") % {"email": email})
    else:
        lines.append(
            _("Er is geen e-mailadres gekoppeld. Dan krijgt u geen bericht bij nieuwe post.")
        )
        lines.append(how_to_link())
    tested = last_tested(desk, person_id)
    if tested is not None:
        lines.append(
            _("Uw e-mail komt aan. Laatst getest: %(date)s.")
            % {"date": format_date(tested, "d MMMM")}
        )
    pending = _json_setting(desk, person_id, TEST_PENDING, {})
    bounce = ""
    awaiting = bool(pending.get("code"))
    key = str(pending.get("key", ""))
    path = Path(data_dir) / OUTBOX_FILE
    if key and path.exists():
        outbox = Outbox(path)
        try:
            message = outbox.message(key)
        finally:
            outbox.close()
        if message is not None:
            if message.state is State.FAILED:
                bounce = bounce_reply(message)
                awaiting = False
                lines.append(bounce_words(message))
                lines.append(what_to_do_on_bounce())
            else:
                lines.append(_test_line(message, load_mail_settings(data_dir) is not None))
    for reply in server_bounces or []:
        bounce = bounce or reply
        lines.append(
            _("Een bericht over nieuwe post kwam niet aan. De mailserver zei: %(reply)s")
            % {"reply": reply}
        )
    if server_bounces:
        lines.append(what_to_do_on_bounce())
    return Health(bool(email), [line for line in lines if line], bounce, awaiting)


# -- the command line (app/__main__.py hands over) ----------------------------------------
def check_watch_args(args) -> str | None:
    """The first problem with the watcher's options, in plain words; None when all is well."""
    from app.outbox import is_address

    if getattr(args, "once", False) and not getattr(args, "watch", False):
        return _("--once hoort bij --watch. Typ: brieventafel --watch --once.")
    trusted = getattr(args, "set_trusted_person", None)
    if trusted is not None:
        name, email = trusted
        if not name.strip() or len(name) > 200 or any(ch in name for ch in "\r\n"):
            return _("Vul een naam in voor de vertrouwde persoon.")
        if not is_address(email):
            return _("Dit e-mailadres klopt niet: %(email)s. Bijvoorbeeld: anna@example.nl.") % {
                "email": email
            }
    server = getattr(args, "set_mail_server", None)
    if server is not None and parse_host_port(server) is None:
        return _("Schrijf de mailserver als naam:poort. Bijvoorbeeld: smtp.example.nl:587.")
    sender = getattr(args, "mail_from", None)
    if sender is not None and not is_address(sender):
        return _("Dit e-mailadres klopt niet: %(email)s. Bijvoorbeeld: anna@example.nl.") % {
            "email": sender
        }
    if server is None and (
        getattr(args, "mail_user", None) is not None
        or getattr(args, "mail_security", None) is not None
        or sender is not None
    ):
        return _("Deze keuzes horen bij --set-mail-server HOST:POORT.")
    return None


def run_command(args) -> int | None:
    """Do the watcher's options; returns the exit code, or None when the tray
    should run (``--watch`` without ``--once``)."""
    from app import server_choice
    from app.paths import default_data_dir

    data_dir = Path(args.data_dir) if args.data_dir is not None else default_data_dir()
    server, person_id = getattr(args, "server", None), args.person
    if not server:
        remembered = server_choice.load(data_dir)
        if remembered is not None:
            server, person_id = remembered.server, remembered.person
    if args.set_mail_server:
        host, port = parse_host_port(args.set_mail_server) or ("", 0)
        settings = MailSettings(
            host,
            port,
            security=args.mail_security or "starttls",
            user=args.mail_user or "",
            sender=args.mail_from or "",
        )
        save_mail_settings(data_dir, settings)
        print(_("De mailserver is bewaard: %(host)s.") % {"host": f"{host}:{port}"})
    weekly = getattr(args, "fridge_list_weekly", None)
    if args.set_trusted_person or args.forget_trusted_person or weekly:
        from app.desk import Desk

        desk = Desk(desk_folder(data_dir, server))
        try:
            who = person_id or _default_person()
            if args.set_trusted_person:
                name, email = args.set_trusted_person
                set_trusted_person(desk, who, TrustedPerson(name.strip(), email))
                print(_("%(name)s is nu de vertrouwde persoon.") % {"name": name.strip()})
            elif args.forget_trusted_person:
                set_trusted_person(desk, who, None)
                print(_("Er is nu geen vertrouwde persoon."))
            if weekly:
                from app import fridge

                fridge.set_weekly(desk, who, weekly == "on")
                chosen = trusted_person(desk, who)
                if weekly == "off":
                    print(_("De koelkastlijst gaat niet meer elke week vanzelf."))
                elif chosen is None:
                    print(_("Kies ook een vertrouwde persoon. Dan gaat de lijst elke week."))
                else:
                    print(
                        _("De koelkastlijst gaat nu elke week vanzelf naar %(name)s.")
                        % {"name": chosen.name}
                    )
        finally:
            desk.close()
    if args.autostart:
        from app import autostart

        if args.autostart == "on":
            autostart.enable(Path(args.data_dir) if args.data_dir is not None else None)
            print(_("Brieventafel let nu op uw post als u de computer aanzet."))
        else:
            autostart.disable()
            print(_("Brieventafel start niet meer vanzelf."))
    if args.deliver_practice_letter:
        if server:
            print(_("Een oefenbrief kan alleen in de oefenpost."))
            return 2
        deliver_practice_letter(data_dir, person_id, datetime.now(UTC))
        print(_("Er is een oefenbrief bezorgd."))
    if args.watch:
        if not args.once:
            return None
        result = run_once(data_dir, person_id=person_id, server=server)
        for line in result.lines:
            print(line)
    return 0


def _default_person() -> str:
    from app.mailbox.practice import DEFAULT_PERSON

    return DEFAULT_PERSON


__all__ = [
    "ForSomeone",
    "Health",
    "RunResult",
    "represented_reminders",
    "TestStart",
    "confirm_test",
    "notification_health",
    "start_test",
    "Sent",
    "check_session",
    "check_watch_args",
    "reminder_line",
    "reminder_log",
    "run_command",
    "deliver_practice_letter",
    "desk_folder",
    "history",
    "load_mail_settings",
    "parse_host_port",
    "reason_text",
    "run_once",
    "save_mail_settings",
    "set_trusted_person",
    "snooze",
    "snooze_at",
    "snooze_words",
    "snoozed_until",
    "trusted_person",
]
