"""The explanation rules as data (``resources/explain/rules.json``) and the small
code that reads a letter with them: which rule fits, and the facts it finds.

A new sender is one entry in that file: its sender ids, a pattern on the
subject and text, the action, the texts (Dutch B1 msgids) and, per fact, the
patterns that find it. Nothing here guesses: a fact no pattern finds is None.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from datetime import date

from app.model import Action
from app.paths import resources_dir
from app.plain import DUTCH_MONTHS

#: month name -> number, for reading dates written out in a letter ("15 januari 2027")
MONTH_NUMBERS = {name: number for number, name in enumerate(DUTCH_MONTHS, start=1)}
_FLAGS = re.IGNORECASE | re.MULTILINE


@dataclass(frozen=True)
class FieldPattern:
    pattern: re.Pattern[str]
    label: str = ""


@dataclass(frozen=True)
class Rule:
    id: str
    senders: frozenset[str]
    sender_names: re.Pattern[str] | None
    match: re.Pattern[str]
    action: Action
    action_by_text: tuple[tuple[re.Pattern[str], Action], ...]
    #: True, False, or a pattern: a decision when the subject or text matches it
    decision: bool | re.Pattern[str]
    texts: dict[str, str]
    fields: dict[str, tuple[FieldPattern, ...]] = field(default_factory=dict)

    def fits(self, org_id: str, sender: str, subject: str, body: str) -> bool:
        by_sender = org_id in self.senders or (
            self.sender_names is not None and self.sender_names.search(sender) is not None
        )
        if not by_sender:
            return False
        return self.match.search(subject) is not None or self.match.search(body) is not None

    def action_for(self, text: str) -> Action:
        for pattern, action in self.action_by_text:
            if pattern.search(text):
                return action
        return self.action

    def is_decision(self, text: str) -> bool:
        if isinstance(self.decision, bool):
            return self.decision
        return self.decision.search(text) is not None

    def find(self, name: str, text: str) -> tuple[str, str] | None:
        """(label, raw value) of the first pattern of fact ``name`` that matches."""
        for item in self.fields.get(name, ()):
            found = item.pattern.search(text)
            if found is not None:
                return item.label, found.group("v").strip()
        return None


@dataclass(frozen=True)
class Route:
    """Where an organisation takes an objection: ``kind`` "bezwaar" or "beroep"
    (the CJIB's fines go to the officier van justitie as an appeal)."""

    kind: str
    online: str
    address: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class Rules:
    rules: tuple[Rule, ...]
    routes: dict[str, Route]
    sent: tuple[re.Pattern[str], ...]
    by_id: dict[str, Rule]

    def matching(self, org_id: str, sender: str, subject: str, body: str) -> Rule | None:
        for rule in self.rules:
            if rule.fits(org_id, sender, subject, body):
                return rule
        return None


def _compile(pattern: str, shared: dict[str, str]) -> re.Pattern[str]:
    for name, value in shared.items():
        pattern = pattern.replace("{" + name + "}", value)
    return re.compile(pattern, _FLAGS)


def parse_rules(data: dict) -> Rules:
    """The rules of a rules.json document; ValueError/KeyError for a broken one
    (tests/explain check the shipped file)."""
    shared = dict(data.get("shared", {}))
    rules = []
    for item in data["rules"]:
        fields: dict[str, tuple[FieldPattern, ...]] = {}
        for name, patterns in item.get("fields", {}).items():
            found = []
            for entry in patterns:
                label, pattern = (entry[0], entry[1]) if isinstance(entry, list) else ("", entry)
                found.append(FieldPattern(_compile(pattern, shared), label))
            fields[name] = tuple(found)
        decision = item.get("decision", False)
        rules.append(
            Rule(
                id=item["id"],
                senders=frozenset(item.get("senders", ())),
                sender_names=_compile(item["sender_names"], shared)
                if item.get("sender_names")
                else None,
                match=_compile(item["match"], shared),
                action=Action(item["action"]),
                action_by_text=tuple(
                    (_compile(p, shared), Action(a)) for p, a in item.get("action_by_text", ())
                ),
                decision=decision if isinstance(decision, bool) else _compile(decision, shared),
                texts={k: v for k, v in item.items() if k.startswith(("summary", "what_to_do"))},
                fields=fields,
            )
        )
    routes = {
        org: Route(r["kind"], r.get("online", ""), tuple(r.get("address", ())), r["source"])
        for org, r in data.get("organisations", {}).items()
    }
    sent = tuple(_compile(p, shared) for p in data.get("sent", ()))
    return Rules(tuple(rules), routes, sent, {r.id: r for r in rules})


@functools.cache
def rules() -> Rules:
    """The shipped rules, read once."""
    path = resources_dir() / "explain" / "rules.json"
    return parse_rules(json.loads(path.read_text(encoding="utf-8")))


# -- facts as values ---------------------------------------------------------------
_AMOUNT = re.compile(r"([0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)(?:,([0-9]{2}|-{1,2}))?")
_NUMERIC_DATE = re.compile(r"([0-9]{1,2})-([0-9]{1,2})-([0-9]{4})")
_WORD_DATE = re.compile(r"([0-9]{1,2})\s+([a-z]+)\s+([0-9]{4})", re.IGNORECASE)


def parse_amount(raw: str) -> int | None:
    """'1.234,56' -> 123456 cents; '127,-' -> 12700; None for anything else."""
    found = _AMOUNT.fullmatch(raw.strip())
    if found is None:
        return None
    euros = int(found.group(1).replace(".", ""))
    cents = found.group(2)
    return euros * 100 + (int(cents) if cents and cents.isdigit() else 0)


def parse_date(raw: str) -> date | None:
    """'15 januari 2027' or '15-01-2027' as a date; None when it is no real day."""
    raw = raw.strip()
    numeric = _NUMERIC_DATE.fullmatch(raw)
    worded = _WORD_DATE.fullmatch(raw)
    try:
        if numeric is not None:
            return date(int(numeric.group(3)), int(numeric.group(2)), int(numeric.group(1)))
        if worded is not None and worded.group(2).lower() in MONTH_NUMBERS:
            month = MONTH_NUMBERS[worded.group(2).lower()]
            return date(int(worded.group(3)), month, int(worded.group(1)))
    except ValueError:
        return None  # 31 februari
    return None


def sent_date(text: str) -> date | None:
    """The date written on the letter (dagtekening), when the text says it."""
    for pattern in rules().sent:
        found = pattern.search(text)
        if found is not None:
            day = parse_date(found.group("v"))
            if day is not None:
                return day
    return None
