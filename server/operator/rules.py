"""The watching rules: pure functions of :class:`Facts` and today.

Nothing here reads a store or the clock; :func:`gather` (the one place that
reads) makes the facts from the practice box and the server store. Each rule
gives :class:`Finding` s; a finding names a person and, where it is about one
letter, that letter and its sender.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

#: Letters unread this many days, with no visit since they came, are a finding.
UNREAD_DAYS = 14

UNREAD = "unread"  # letters unread for N days and no visit since
UNDELIVERABLE = "undeliverable"  # the notification failed after the retries
NO_EMAIL = "no-email"  # an activated account without an e-mail address
EMAIL_BOUNCES = "email-bounces"  # an activated account whose address bounces
RULES = (UNREAD, UNDELIVERABLE, NO_EMAIL, EMAIL_BOUNCES)
#: Notification states that mean: this letter's e-mail never arrived.
FAILED_STATES = frozenset({"bounced", "failed"})


@dataclass(frozen=True)
class Account:
    person_id: str
    active: bool
    email: str | None = None


@dataclass(frozen=True)
class LetterFact:
    letter_id: str
    person_id: str
    org_id: str
    received: date
    deadline: date | None = None
    read: bool = False


@dataclass(frozen=True)
class Facts:
    accounts: tuple[Account, ...] = ()
    letters: tuple[LetterFact, ...] = ()
    #: person_id -> the last day they signed in or asked for their list
    visits: Mapping[str, date] = field(default_factory=dict)
    #: letter_id -> the state of its e-mail notification
    notifications: Mapping[str, str] = field(default_factory=dict)
    #: person_id -> why they are to be reached another way ("bounced", "no-address")
    marks: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, order=True)
class Finding:
    rule: str
    person_id: str
    letter_id: str = ""
    org_id: str = ""

    @property
    def item(self) -> str:
        """What a paper contact letter covers, once: the letter, or the rule."""
        return f"letter:{self.letter_id}" if self.letter_id else self.rule


def _active(facts: Facts) -> dict[str, Account]:
    return {a.person_id: a for a in facts.accounts if a.active}


def unread_unvisited(facts: Facts, today: date, days: int = UNREAD_DAYS) -> list[Finding]:
    """Letters of an activated account unread for ``days`` days or more, whose
    person has not visited since the letter came."""
    active = _active(facts)
    last = today - timedelta(days=days)
    found = []
    for letter in facts.letters:
        if letter.person_id not in active or letter.read or letter.received > last:
            continue
        visit = facts.visits.get(letter.person_id)
        if visit is not None and visit >= letter.received:
            continue
        found.append(Finding(UNREAD, letter.person_id, letter.letter_id, letter.org_id))
    return sorted(found)


def notification_failed(facts: Facts) -> list[Finding]:
    """Unread letters whose e-mail notification bounced or failed after the retries."""
    found = [
        Finding(UNDELIVERABLE, x.person_id, x.letter_id, x.org_id)
        for x in facts.letters
        if not x.read and facts.notifications.get(x.letter_id) in FAILED_STATES
    ]
    return sorted(found)


def without_email(facts: Facts) -> list[Finding]:
    """Activated accounts without an e-mail address, or whose address bounces."""
    found = []
    for account in _active(facts).values():
        if not (account.email or "").strip():
            found.append(Finding(NO_EMAIL, account.person_id))
        elif facts.marks.get(account.person_id) == "bounced":
            found.append(Finding(EMAIL_BOUNCES, account.person_id))
    return sorted(found)


def findings(facts: Facts, today: date, days: int = UNREAD_DAYS) -> list[Finding]:
    """Every rule's findings, each rule in the order of :data:`RULES`."""
    return unread_unvisited(facts, today, days) + notification_failed(facts) + without_email(facts)


def gather(box: Any, store: Any) -> Facts:
    """The facts from the practice box (accounts, letters and their read state)
    and the server store (visits, notifications, marks). Reads only."""
    accounts = []
    letters = []
    for person in box.practice_people(with_mandates=True):
        status = box.account_status(person.id)
        accounts.append(Account(person.id, status.active, status.email))
        for letter in box.letters(person.id).letters:
            letters.append(
                LetterFact(
                    letter.id,
                    person.id,
                    letter.org_id,
                    letter.received,
                    letter.deadline,
                    letter.read,
                )
            )
    return Facts(
        accounts=tuple(accounts),
        letters=tuple(letters),
        visits=store.visits(),
        notifications={r["bericht_id"]: r["state"] for r in store.notifications()},
        marks=store.contact_marks(),
    )
