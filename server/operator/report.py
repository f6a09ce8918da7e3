"""The operator's view: the figures the Ombudsman quotes, for this server, and
what the watching rounds did. Counts only: no personal data in it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from . import rules as r
from .notify import REPEAT_DAYS


def figures(
    box: Any, store: Any, today: date, days: int = r.UNREAD_DAYS, repeat_days: int = REPEAT_DAYS
) -> dict[str, Any]:
    """``withRepeatReminders``: repeats are on by default (``repeat_days`` > 0),
    so every activated account with an address; with them off, those who
    asked for one in their account."""
    facts = r.gather(box, store)
    found = r.findings(facts, today, days)
    active = {a.person_id for a in facts.accounts if a.active}
    repeat = sum(
        1
        for a in facts.accounts
        if a.active
        and (
            (repeat_days > 0 and (a.email or "").strip())
            or box.account_status(a.person_id).repeat_reminder
        )
    )
    year_ago = today - timedelta(days=365)
    states = [n["state"] for n in store.notifications()]
    out = [e["state"] for e in store.events_out()]
    return {
        "accounts": len(facts.accounts),
        "activated": len(active),
        "activatedWithoutEmail": sum(
            1 for a in facts.accounts if a.active and not (a.email or "").strip()
        ),
        "withRepeatReminders": repeat,
        "withLettersUnreadOverAYear": len(
            {
                x.person_id
                for x in facts.letters
                if x.person_id in active and not x.read and x.received <= year_ago
            }
        ),
        "findings": {rule: sum(f.rule == rule for f in found) for rule in r.RULES},
        "notifications": {s: states.count(s) for s in sorted(set(states))},
        "notificationsBounced": states.count("bounced") + states.count("failed"),
        "markedForOtherContact": len(store.contact_marks()),
        "paperContactsSent": len(store.contacts()),
        "events": {s: out.count(s) for s in sorted(set(out))},
    }


def lines(data: dict[str, Any]) -> list[str]:
    out = []
    for key, value in data.items():
        if isinstance(value, dict):
            out += [f"{key}.{k}: {v}" for k, v in value.items()] or [f"{key}: 0"]
        else:
            out.append(f"{key}: {value}")
    return out
