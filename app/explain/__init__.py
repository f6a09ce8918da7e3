"""Every letter explained (issue 15): what a letter that came without a plain
explanation wants, and until when one can object to a decision.

* :func:`explain` reads a letter with the rules (:mod:`app.explain.rules`,
  ``resources/explain/rules.json``) and says, in B1 Dutch through gettext, what
  it is, what to do, the deadline, the amount and the reference. A fact the
  rule cannot find is said to be missing, never made up; a letter no rule knows
  gets the honest line and the sender's phone number.
* :func:`explained` is the seam: :meth:`app.model.Letter.from_record` calls it,
  so a letter without a summary and without a "what to do" gets them when it is
  read into the model (at sync, from the desk), in the language in use. Subject
  and text stay as they came; a letter with its own explanation keeps it.
* :func:`objection` gives the objection date of a decision (Awb 6:7, 6:8 and
  the Algemene termijnenwet, :mod:`app.explain.terms`) and the sender's route;
  :func:`objection_text` says it ("U kunt bezwaar maken tot 16 februari 2027.").
  The card calls these; they work for every letter, practice letters too.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import logging
import re
from dataclasses import dataclass
from datetime import date

from app.explain.rules import Route, Rule, parse_amount, parse_date, rules, sent_date
from app.explain.terms import objection_end
from app.i18n import gettext as _
from app.model import Action, Letter
from app.paths import resources_dir

#: ``Letter.explained_by`` of a letter no rule knows
UNKNOWN = "onbekend"
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")
#: what makes an unknown letter look like a decision (then the date is hedged)
_DECISION_WORDS = re.compile(r"\b(?:besluit|beschikking|aanslag)\b", re.IGNORECASE)
_NOT_A_DECISION = re.compile(r"\b(?:voorlopige aanslag|aanmaning|herinnering)\b", re.IGNORECASE)
_SUFFIX = {Action.PAY: "_pay", Action.RESPOND: "_respond", Action.READ: "_read"}
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Explanation:
    """What the rules make of a letter. ``rule_id`` is :data:`UNKNOWN` when no
    rule fits; ``missing`` names the facts the rule needed and did not find."""

    rule_id: str
    summary: str
    what_to_do: str
    action: Action
    deadline: date | None
    amount_cents: int | None
    reference: str
    phone: str
    missing: tuple[str, ...] = ()

    @property
    def known(self) -> bool:
        return self.rule_id != UNKNOWN


@dataclass(frozen=True)
class Objection:
    """Until when one can object to a decision, and where.

    ``sent`` is the day the term counts from: the date on the letter when the
    text gives one (never later than the day it arrived), else the day it
    arrived. ``certain`` is False for a letter no rule knows that only looks
    like a decision (its words say besluit, beschikking or aanslag)."""

    until: date
    sent: date
    kind: str = "bezwaar"
    route: Route | None = None
    certain: bool = True


@functools.cache
def _phones() -> dict[str, str]:
    """Organisation id -> phone number, from the organisations the app knows."""
    path = resources_dir() / "practice" / "organisations.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {
        o["id"]: o["phone"]
        for o in data
        if isinstance(o, dict) and isinstance(o.get("id"), str) and isinstance(o.get("phone"), str)
    }


def phone_of(letter: Letter) -> str:
    """The letter's own phone number, else the one the app knows for its sender."""
    return letter.phone or _phones().get(letter.org_id, "")


def _rule_for(letter: Letter) -> Rule | None:
    known = rules()
    by_id = known.by_id.get(letter.explained_by)
    if by_id is not None:
        return by_id
    return known.matching(letter.org_id, letter.sender, letter.subject, letter.body)


def _text(letter: Letter) -> str:
    return f"{letter.subject}\n{letter.body}"


def _call_sentence(letter: Letter, phone: str) -> str:
    if phone:
        return _("Twijfelt u? Bel %(sender)s op %(phone)s.") % {
            "sender": letter.sender,
            "phone": phone,
        }
    return _("Twijfelt u? Vraag dan iemand om hulp.")


def _unknown(letter: Letter, phone: str) -> Explanation:
    summary = _("Wij weten niet precies wat deze brief vraagt. Bel de afzender of vraag hulp.")
    if phone:
        what = _("Het telefoonnummer van %(sender)s is %(phone)s.") % {
            "sender": letter.sender,
            "phone": phone,
        }
    else:
        what = _("Vraag iemand om hulp die de brief met u leest.")
    found = _objection(letter, None)
    if found is not None:
        what = f"{what} {objection_text(found)}"
    return Explanation(
        UNKNOWN,
        summary,
        what,
        letter.action,
        letter.deadline,
        letter.amount_cents,
        letter.reference,
        phone,
    )


def explain(letter: Letter) -> Explanation:
    """The explanation of ``letter`` by the rules, in the language in use.

    Facts the letter already has (deadline, amount, reference, phone, an action
    other than "only read") are kept; the rule fills only what is empty."""
    from app.plain import format_amount, format_date

    phone = phone_of(letter)
    rule = _rule_for(letter)
    if rule is None:
        return _unknown(letter, phone)
    text = _text(letter)
    action = letter.action if letter.action is not Action.READ else rule.action_for(text)
    deadline = letter.deadline
    amount = letter.amount_cents
    reference = letter.reference
    if deadline is None and (raw := rule.find("deadline", text)) is not None:
        deadline = parse_date(raw[1])
    if amount is None and (raw := rule.find("amount", text)) is not None:
        amount = parse_amount(raw[1])
    if not reference and (raw := rule.find("reference", text)) is not None:
        label, value = raw
        reference = f"{label} {value}" if label else value
    suffix = _SUFFIX[action]
    summary = rule.texts.get("summary" + suffix) or rule.texts["summary"]
    template = rule.texts.get("what_to_do" + suffix) or rule.texts["what_to_do"]
    values = {
        "amount": format_amount(amount) if amount is not None else None,
        "deadline": format_date(deadline) if deadline is not None else None,
        "reference": reference or None,
    }
    needed = _PLACEHOLDER.findall(template)
    missing = tuple(name for name in needed if values.get(name) is None)
    if missing:
        parts = [_(rule.texts.get("what_to_do_plain") or template)]
        if "amount" in missing:
            parts.append(_("Wij vinden het bedrag niet in de brief. Kijk goed in de brief."))
        if "deadline" in missing:
            parts.append(_("Wij vinden niet tot wanneer dat moet. Kijk goed in de brief."))
        if "reference" in missing:
            parts.append(_("Wij vinden het kenmerk niet in de brief."))
        parts.append(_call_sentence(letter, phone))
        what = " ".join(parts)
    else:
        what = _(template) % {name: values[name] for name in needed}
    found = _objection(letter, rule)
    if found is not None:
        what = f"{what} {objection_text(found)}"
    return Explanation(
        rule.id, _(summary), what, action, deadline, amount, reference, phone, missing
    )


def needs_explaining(letter: Letter) -> bool:
    """Whether the rules speak for this letter: it came without a summary and
    without a "what to do", or they explained it before (``explained_by``)."""
    return bool(letter.explained_by) or not (letter.summary or letter.what_to_do)


def explained(letter: Letter) -> Letter:
    """The letter with the rules' explanation where it had none of its own (the
    seam, :meth:`app.model.Letter.from_record`); every other letter as it is.

    Subject, text, sender and attachments are never changed. A fault of ours in
    a rule leaves the letter as it came (logged by type only: no letter text)."""
    if not needs_explaining(letter):
        return letter
    try:
        found = explain(letter)
    except Exception as error:  # a broken rule must never cost a letter
        log.warning("explaining a letter failed: %s", type(error).__name__)
        return letter
    return dataclasses.replace(
        letter,
        summary=found.summary,
        what_to_do=found.what_to_do,
        action=found.action,
        deadline=found.deadline,
        amount_cents=found.amount_cents,
        reference=found.reference,
        phone=found.phone,
        explained_by=found.rule_id,
    )


# -- decisions and their objection date -------------------------------------------
def _objection(letter: Letter, rule: Rule | None) -> Objection | None:
    text = _text(letter)
    if rule is not None:
        if not rule.is_decision(text):
            return None
        certain = True
    else:
        if _DECISION_WORDS.search(letter.subject) is None or _NOT_A_DECISION.search(text):
            return None
        certain = False
    written = sent_date(text)
    sent = written if written is not None and written <= letter.received else letter.received
    route = rules().routes.get(letter.org_id)
    kind = route.kind if route is not None else "bezwaar"
    return Objection(objection_end(sent), sent, kind, route, certain)


def objection(letter: Letter) -> Objection | None:
    """Until when one can object to this letter, when it is a decision (besluit,
    beschikking, aanslag); None when it is not, or when we cannot tell."""
    rule = _rule_for(letter) if letter.explained_by != UNKNOWN else None
    return _cached_objection(letter, rule.id if rule is not None else "")


@functools.lru_cache(maxsize=1024)
def _cached_objection(letter: Letter, rule_id: str) -> Objection | None:
    return _objection(letter, rules().by_id.get(rule_id))


def objection_text(found: Objection) -> str:
    """ "U kunt bezwaar maken tot 16 februari 2027." and the route, in words."""
    from app.plain import format_date

    day = format_date(found.until)
    if not found.certain:
        first = _(
            "Dit lijkt een besluit. Dan kunt u bezwaar maken tot %(date)s. "
            "Kijk in de brief of dat klopt."
        ) % {"date": day}
    elif found.kind == "beroep":
        first = _("U kunt beroep instellen tot %(date)s.") % {"date": day}
    else:
        first = _("U kunt bezwaar maken tot %(date)s.") % {"date": day}
    route = found.route
    if route is None:
        return first
    address = ", ".join(route.address)
    if route.online and address:
        how = _("Dat kan via %(online)s, of met een brief aan %(address)s.") % {
            "online": route.online,
            "address": address,
        }
    elif route.online:
        how = _("Dat kan via %(online)s.") % {"online": route.online}
    else:
        how = _("Stuur dan een brief aan %(address)s.") % {"address": address}
    return f"{first} {how}"


__all__ = [
    "UNKNOWN",
    "Explanation",
    "Objection",
    "explain",
    "explained",
    "needs_explaining",
    "objection",
    "objection_text",
    "phone_of",
]
