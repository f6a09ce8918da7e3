"""Notifications with health: an e-mail per new letter through the outbox
(:mod:`app.outbox`: its own SQLite file in the data folder, or, with
``--database-url``, tables in the server's PostgreSQL database, shared by every
server process on it), every attempt recorded per letter and
person, and a person with no address or a bouncing one marked for contact
another way (which the watching rules then find).

The e-mail names the sender, the kind of message, the action and the deadline,
as the Wmebv asks, and nothing of the letter's content.

Repeat notifications are on by default: a letter still unread
:data:`REPEAT_DAYS` days after its first notification was delivered gets one
more (``herhaling:`` in the outbox; ``repeat_days=0`` turns them off). Every
attempt of either is kept by the outbox with the server's reply
(:meth:`Outbox.messages`); the letter's row in the server's ``notifications``
table keeps the first notification's state, which the watching rules read.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from app.i18n import gettext as _
from app.model import Letter
from app.outbox import MailAddressProblem, MailSettings, Outbox, State, is_address
from app.plain import action_label, format_date

#: The outbox's file in the data folder (not with PostgreSQL: see open_outbox).
OUTBOX_FILE = "notificaties.sqlite3"
#: Tries after which a notification that still waits counts as failed (the
#: outbox keeps trying; the person is reached another way meanwhile).
FAILED_AFTER_TRIES = 5
KEY = "notificatie:"
#: The outbox key of a letter's repeat notification.
REPEAT_KEY = "herhaling:"
#: Days after the first notification was delivered that a letter still unread
#: gets a repeat (on by default; 0: off).
REPEAT_DAYS = 7


@dataclass(frozen=True)
class Mail:
    outbox: Outbox
    settings: MailSettings


def open_outbox(data_dir: Path, database: Any = None) -> Outbox:
    """The notifications' outbox: in the server's database when that is
    PostgreSQL (``database``, its open Backend, borrowed: every server process
    on it shares one outbox), else its own file in the data folder."""
    if database is not None and database.kind == "postgresql":
        return Outbox(database)
    return Outbox(Path(data_dir) / OUTBOX_FILE)


def open_mail(data_dir: Path, settings: MailSettings, database: Any = None) -> Mail:
    """The outbox (see :func:`open_outbox`) and where it sends."""
    return Mail(open_outbox(data_dir, database), settings)


def kind_words(message_type: str) -> str:
    return {
        "betaalverzoek": _("een betaalverzoek"),
        "uitnodiging": _("een uitnodiging"),
        "verzoek": _("een verzoek"),
    }.get(message_type, _("een bericht"))


def mail_text(
    letter: Letter, sender: str, today: date, *, first_sent: date | None = None
) -> tuple[str, str]:
    """Subject and body of one notification: who, what kind, what to do, until
    when. With ``first_sent``: the repeat of the one sent that day."""
    if first_sent is None:
        subject = _("Er staat een nieuw bericht in uw Berichtenbox")
        opening = [_("Er staat een nieuw bericht voor u klaar in uw Berichtenbox op MijnOverheid.")]
    else:
        subject = _("Herinnering: er staat een bericht in uw Berichtenbox")
        opening = [
            _("Er staat een bericht voor u klaar in uw Berichtenbox op MijnOverheid."),
            _("U kreeg op {date} al een e-mail over dit bericht.").format(
                date=format_date(first_sent)
            ),
            _("U hebt het bericht nog niet gelezen."),
        ]
    lines = [
        *opening,
        "",
        _("Van: {org}").format(org=sender),
        _("Soort: {kind}").format(kind=kind_words(letter.message_type)),
        _("Wat moet u doen: {action}").format(action=action_label(letter.action)),
    ]
    if letter.deadline is not None:
        lines.append(_("Termijn: tot {date}").format(date=format_date(letter.deadline)))
    lines += [
        "",
        _("Lees het bericht op mijn.overheid.nl. Log in met DigiD."),
        _("Deze e-mail is automatisch verstuurd. U kunt er niet op antwoorden."),
    ]
    return subject, "\n".join(lines) + "\n"


def _outcome(message: Any) -> str:
    """The server's word for where one outbox message stands."""
    if message.state is State.SENT:
        return "delivered"
    if message.state is State.FAILED:
        return "bounced"
    if message.state is State.UNSURE:
        return "unsure"
    if message.tries >= FAILED_AFTER_TRIES:
        return "failed"
    return "deferred"


def repeat_due(first_sent: date | None, read: bool, today: date, repeat_days: int) -> bool:
    """A repeat is due for an unread letter whose first notification was
    delivered ``repeat_days`` days ago or longer (0: never)."""
    if repeat_days <= 0 or read or first_sent is None:
        return False
    return (today - first_sent).days >= repeat_days


def notify_round(
    box: Any, store: Any, mail: Mail, today: date, *, repeat_days: int = REPEAT_DAYS
) -> list[str]:
    """Queue a notification for every unread letter of an activated account
    not notified before, and a repeat for one still unread ``repeat_days``
    after the first was delivered; send what is due, record each result.
    Returns lines for the round's output (no address, no name)."""
    known = {r["bericht_id"] for r in store.notifications()}
    messages = {m.key: m for m in mail.outbox.messages()}
    orgs = {o.id: o for o in box.organisations()}
    out = []
    for person in box.practice_people(with_mandates=True):
        status = box.account_status(person.id)
        if not status.active:
            continue
        address = (status.email or "").strip()
        for letter in box.letters(person.id).letters:
            org = orgs.get(letter.org_id)
            first = messages.get(KEY + letter.id)
            sent = first.sent_at.date() if first and first.sent_at else None
            if (
                letter.id in known
                and REPEAT_KEY + letter.id not in messages
                and repeat_due(sent, letter.read, today, repeat_days)
                and is_address(address)
            ):
                subject, body = mail_text(
                    letter, org.name if org else letter.sender, today, first_sent=sent
                )
                # is_address passed; a header the outbox still refuses: no repeat
                with contextlib.suppress(MailAddressProblem):
                    mail.outbox.add(REPEAT_KEY + letter.id, address, subject, body)
            if letter.read or letter.id in known:
                continue
            if not is_address(address):
                store.set_notification(letter.id, person.id, letter.org_id, "no-address")
                store.mark_contact(person.id, "no-address")
                out.append(f"notificatie geen-adres organisatie={letter.org_id}")
                continue
            subject, body = mail_text(letter, org.name if org else letter.sender, today)
            try:
                mail.outbox.add(KEY + letter.id, address, subject, body)
            except MailAddressProblem:
                store.set_notification(letter.id, person.id, letter.org_id, "no-address")
                store.mark_contact(person.id, "no-address")
                continue
            store.set_notification(letter.id, person.id, letter.org_id, "pending")
    mail.outbox.send_due(mail.settings)
    states = {r["bericht_id"]: r for r in store.notifications()}
    for message in mail.outbox.messages():
        if message.key.startswith(REPEAT_KEY):
            out += _repeat_outcome(store, states, message, messages.get(message.key))
            continue
        letter_id = message.key.removeprefix(KEY)
        row = states.get(letter_id)
        if row is None or not message.attempts:
            continue
        last = message.attempts[-1]
        state = _outcome(message)
        detail = f"{last.reason.value} {last.code or ''}".strip()
        if (state, message.tries, detail) == (row["state"], row["attempts"], row["detail"]):
            continue
        store.set_notification(
            letter_id, row["person_id"], row["org_id"], state, attempts=message.tries, detail=detail
        )
        if state in ("bounced", "failed"):
            store.mark_contact(row["person_id"], "bounced")
        out.append(
            f"notificatie {state} organisatie={row['org_id']} poging={message.tries}"
            f" antwoord={detail}"
        )
    return out


def _repeat_outcome(store: Any, states: dict, message: Any, before: Any) -> list[str]:
    """A line for each new attempt of a repeat; its bounce marks the person."""
    row = states.get(message.key.removeprefix(REPEAT_KEY))
    if row is None or not message.attempts:
        return []
    if before is not None and len(before.attempts) == len(message.attempts):
        return []  # nothing new this round
    state = _outcome(message)
    if state in ("bounced", "failed"):
        store.mark_contact(row["person_id"], "bounced")
    last = message.attempts[-1]
    detail = f"{last.reason.value} {last.code or ''}".strip()
    return [
        f"notificatie herhaling {state} organisatie={row['org_id']} poging={message.tries}"
        f" antwoord={detail}"
    ]
