"""Notifications with health: an e-mail per new letter through the outbox
(:mod:`app.outbox`, its own SQLite file), every attempt recorded per letter and
person, and a person with no address or a bouncing one marked for contact
another way (which the watching rules then find).

The e-mail names the sender, the kind of message, the action and the deadline,
as the Wmebv asks, and nothing of the letter's content.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from app.i18n import gettext as _
from app.model import Letter
from app.outbox import MailAddressProblem, MailSettings, Outbox, State, is_address
from app.plain import action_label, format_date

#: The outbox's file in the data folder.
OUTBOX_FILE = "notificaties.sqlite3"
#: Tries after which a notification that still waits counts as failed (the
#: outbox keeps trying; the person is reached another way meanwhile).
FAILED_AFTER_TRIES = 5
KEY = "notificatie:"


@dataclass(frozen=True)
class Mail:
    outbox: Outbox
    settings: MailSettings


def open_mail(data_dir: Path, settings: MailSettings) -> Mail:
    return Mail(Outbox(Path(data_dir) / OUTBOX_FILE), settings)


def kind_words(message_type: str) -> str:
    return {
        "betaalverzoek": _("een betaalverzoek"),
        "uitnodiging": _("een uitnodiging"),
        "verzoek": _("een verzoek"),
    }.get(message_type, _("een bericht"))


def mail_text(letter: Letter, sender: str, today: date) -> tuple[str, str]:
    """Subject and body of one notification: who, what kind, what to do, until when."""
    subject = _("Er staat een nieuw bericht in uw Berichtenbox")
    lines = [
        _("Er staat een nieuw bericht voor u klaar in uw Berichtenbox op MijnOverheid."),
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


def notify_round(box: Any, store: Any, mail: Mail, today: date) -> list[str]:
    """Queue a notification for every unread letter of an activated account
    not notified before, send what is due, record each result. Returns lines
    for the round's output (no address, no name)."""
    known = {r["bericht_id"] for r in store.notifications()}
    orgs = {o.id: o for o in box.organisations()}
    out = []
    for person in box.practice_people(with_mandates=True):
        status = box.account_status(person.id)
        if not status.active:
            continue
        address = (status.email or "").strip()
        for letter in box.letters(person.id).letters:
            if letter.read or letter.id in known:
                continue
            org = orgs.get(letter.org_id)
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
        letter_id = message.key.removeprefix(KEY)
        row = states.get(letter_id)
        if row is None or not message.attempts:
            continue
        last = message.attempts[-1]
        if message.state is State.SENT:
            state = "delivered"
        elif message.state is State.FAILED:
            state = "bounced"
        elif message.state is State.UNSURE:
            state = "unsure"
        elif message.tries >= FAILED_AFTER_TRIES:
            state = "failed"
        else:
            state = "deferred"
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
