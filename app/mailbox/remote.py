"""A Berichtenbox on a server: the :class:`~app.mailbox.Mailbox` protocol over HTTP.

The server speaks FBS "Berichten Uitvraag" (docs/server.md). ``requests`` is
imported here only, and only when a remote mailbox is made: start-up on the
practice box never loads it.

How a bad network is met:

* **Timeouts on every call**: connect and read (``timeout``), and a limit on
  the whole body (``MAX_SECONDS``), so a server that drips one byte at a time
  cannot hold the worker.
* **Retries for idempotent calls only** (urllib3 ``Retry`` on the adapter):
  GET, HEAD, PUT, DELETE and PATCH. PATCH is not idempotent by method (RFC
  5789), but the only PATCH sent here is a JSON merge patch that *sets*
  ``status`` to a value: sent twice, it has the effect of once. The PUTs (a
  tick, a paper request's state) also set a value. POST (login, logout,
  activation, paper requests, the answer about a new organisation) is retried
  only when the connection was never made: once sent, never again.
* **Retry-After** is honoured up to ``MAX_WAIT`` seconds; a longer wait is not
  slept on the worker thread: the call gives up at once with
  :attr:`MailboxError.retry_after` set.
* **Bodies are capped** (``MAX_BODY`` bytes, read with ``stream=True``), must be
  JSON where JSON is meant, and every bad answer (HTML, garbage, a cut
  connection, a 5xx, problem+json) becomes a :class:`MailboxError` code.
* **TLS is always verified**: ``verify`` is True or a CA bundle path, never False.
* **Nothing personal in an error or a log**: no token, no BSN (X-Ontvanger is a
  header, never in a URL), no letter text. Errors are raised outside the
  ``except`` block, so no library error that quotes a URL is chained.

Incremental sync: the cursor holds the ids of the newest letters seen. The
server lists newest first, so a sync reads page 0 and stops at the first
letter it already had: a sync with nothing new is one request.

The text comes with the list: the list is asked with ``metInhoud=true``
(Brieventafel's marked extension, docs/server.md), so each item carries
``inhoud`` and ``bijlagen``. A server without the extension ignores the
parameter and sends the FBS list: an item without ``inhoud`` is then read
with one ``GET /berichten/{id}``, as FBS has it. A page too large to take in
one answer is asked again without the text.

Read status that could not be sent (offline, server down, signed out) waits in
a small outbox (a JSON file written atomically, 0600) and is sent at the next
sync.
"""

from __future__ import annotations

import contextlib
import email.utils
import json
import logging
import os
import re
import threading
import time
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app import mandates as mnd
from app import validate as v
from app.mailbox import (
    DELIVERY_STEP_KINDS,
    PAPER_ROUTE_HELPDESK,
    PAPER_ROUTE_UNTICK,
    ActivationOffer,
    DeliveryLog,
    DeliveryStep,
    LetterBatch,
    PaperContact,
    PaperRequest,
    ProgressCallback,
    SyncProgress,
    TickChange,
)
from app.mailbox.errors import ErrorCode, MailboxError
from app.model import AccountStatus, Action, Letter, Organisation, Person
from app.paths import write_atomically
from app.validate import BadRecord, SetAside

log = logging.getLogger(__name__)

API = "/api/v1"
#: The most a JSON answer may be (bytes). A page of 200 letters is about 200 kB.
MAX_BODY = 8 * 1024 * 1024
TOO_LARGE = "body too large"
#: The longest the body of one answer may take to arrive, in seconds.
MAX_SECONDS = 60.0
#: The longest Retry-After that is waited for on the worker thread, in seconds.
MAX_WAIT = 5.0
#: The first page of an incremental sync, then doubling up to ``PAGE_MAX``.
PAGE_FIRST = 25
PAGE_MAX = 200
#: How many of the newest ids the cursor keeps (a deleted newest letter still stops a sync).
CURSOR_IDS = 20
CURSOR_PREFIX = "fbs1:"
#: the FBS folder a helper's put away moves a letter to (the server checks and logs it)
PUT_AWAY_MAP = "archief"
_UUID = re.compile(r"[0-9a-fA-F-]{36}")
_ONTVANGER = re.compile(r"(BSN|RSIN|KVK|OIN):[0-9]{1,20}")
#: An organisation's id as it may stand in a path (the practice ids: ``rdw``, ``cak``).
_ORG_ID = re.compile(r"[A-Za-z0-9._~-]{1,100}")
_JSON_TYPES = ("application/json", "application/problem+json", "application/hal+json")

FBS_ACTION = {
    "betalen": Action.PAY,
    "informatie verstrekken": Action.RESPOND,
    "informatie ontvangen": Action.READ,
}


# -- parsers: a record from the wire into the model (never an exception but BadRecord) ------
def _day(record: dict, field: str) -> str | None:
    """The day of an ISO date-time (in the Netherlands), as ``YYYY-MM-DD``; None when missing."""
    value = record.get(field)
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > 64:
        raise BadRecord(field)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        moment = None
    if moment is None:
        raise BadRecord(field)
    if moment.tzinfo is not None:
        moment = moment.astimezone(_amsterdam())
    return moment.date().isoformat()


def _amsterdam():
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo("Europe/Amsterdam")
    except Exception:  # no time zone data on this machine: UTC is a day off at most at night
        return UTC


def letter_record(record: object, person_id: str, org_of: dict[str, str] | None = None) -> dict:
    """An FBS ``Bericht`` or ``BerichtSamenvatting`` as a record for
    :meth:`Letter.from_record`. Raises :class:`BadRecord` (field only) for what
    cannot be read; unknown fields are ignored."""
    if not isinstance(record, dict):
        raise BadRecord("bericht")
    bid = record.get("berichtId")
    if not isinstance(bid, str) or not _UUID.fullmatch(bid):
        raise BadRecord("berichtId")
    magazijn = v.text(record, "magazijnId", required=True)
    org_id = v.optional_text(record, "organisatie") or (org_of or {}).get(magazijn) or magazijn
    action = record.get("handelingsperspectief")
    if action is not None and (not isinstance(action, str) or action not in FBS_ACTION):
        raise BadRecord("handelingsperspectief")
    status = record.get("status")
    if status is not None and status not in ("gelezen", "ongelezen"):
        raise BadRecord("status")
    attachments = []
    for item in v.records(record, "bijlagen"):
        size = item.get("grootteInBytes")
        attachments.append(
            {
                "id": item.get("bijlageId"),
                "name": item.get("naam"),
                "media_type": item.get("mimeType") or "application/octet-stream",
                "size": 0 if size is None else size,
            }
        )
    return {
        "id": bid.lower(),
        "recipient": person_id,
        "org_id": org_id,
        "sender": record.get("afzender") or org_id,
        "subject": record.get("onderwerp"),
        "summary": record.get("samenvatting"),
        "body": record.get("inhoud"),
        "action": FBS_ACTION[action].value if action else Action.READ.value,
        "received": _day(record, "publicatietijdstip"),
        "deadline": record.get("einddatumHandelingstermijn"),
        "amount_cents": record.get("bedragInCenten"),
        "reference": record.get("referentie"),
        "phone": record.get("telefoon"),
        "what_to_do": record.get("watTeDoen"),
        "message_type": record.get("berichtType") or "notificatie",
        "read": status == "gelezen",
        "store_id": magazijn,
        "attachments": attachments,
    }


def parse_letter(record: object, person_id: str, org_of: dict[str, str] | None = None) -> Letter:
    """The letter of an FBS record; :class:`BadRecord` names the field, never the value."""
    return Letter.from_record(letter_record(record, person_id, org_of))


def set_aside_for(record: object, error: BadRecord, index: int) -> SetAside:
    """What is kept of a record that could not be read: its id (or its place) and organisation."""
    bid = record.get("berichtId") if isinstance(record, dict) else None
    org = record.get("organisatie") if isinstance(record, dict) else None
    letter_id = bid.lower() if isinstance(bid, str) and _UUID.fullmatch(bid) else f"#{index}"
    org_id = org if isinstance(org, str) and len(org) <= 64 and org.isprintable() else ""
    return SetAside(letter_id, org_id, error.field, "mailbox")


def _has_content(record: object) -> bool:
    """Whether a list item is a whole letter (``metInhoud``): it has ``inhoud`` and
    ``bijlagen``. Without them (the FBS list) the letter is read on its own."""
    return (
        isinstance(record, dict)
        and isinstance(record.get("inhoud"), str)
        and isinstance(record.get("bijlagen"), list)
    )


def parse_page(body: object) -> tuple[list[object], bool]:
    """The records of a ``BerichtenLijst`` and whether there is a next page."""
    if not isinstance(body, dict) or not isinstance(body.get("berichten"), list):
        raise BadRecord("berichten")
    links = body.get("_links")
    more = isinstance(links, dict) and isinstance(links.get("next"), dict)
    return list(body["berichten"]), more


def parse_organisation(record: object) -> Organisation:
    if not isinstance(record, dict):
        raise BadRecord("organisatie")
    return Organisation.from_record(
        {
            "id": record.get("id"),
            "name": record.get("naam"),
            "full_name": record.get("volledigeNaam"),
            "phone": record.get("telefoon"),
            "fixed_by_law": record.get("wettelijkVerplicht"),
        }
    )


def parse_person(record: object) -> tuple[Person, str]:
    """A person and their X-Ontvanger value."""
    if not isinstance(record, dict):
        raise BadRecord("persoon")
    ontvanger = v.text(record, "ontvanger", required=True)
    if not _ONTVANGER.fullmatch(ontvanger):
        raise BadRecord("ontvanger")
    kind, _, number = ontvanger.partition(":")
    person = Person.from_record(
        {"id": record.get("id"), "name": record.get("naam"), "bsn": number if kind == "BSN" else ""}
    )
    return person, ontvanger


def parse_account(record: object, person_id: str) -> AccountStatus:
    if not isinstance(record, dict):
        raise BadRecord("account")
    ticked = record.get("aangevinkt", [])
    if not isinstance(ticked, list) or not all(isinstance(t, str) for t in ticked):
        raise BadRecord("aangevinkt")
    return AccountStatus(
        person_id=person_id,
        active=v.flag(record, "actief"),
        activated_on=v.iso_date(record, "geactiveerdOp"),
        ticked=frozenset(ticked),
        email=v.optional_text(record, "eMailadres"),
        repeat_reminder=v.flag(record, "herinnering"),
    )


def _yes_no(record: dict, field: str, default: bool | None = None) -> bool:
    """A JSON boolean (``default`` when missing, if there is one)."""
    value = record.get(field, default)
    if not isinstance(value, bool):
        raise BadRecord(field)
    return value


def _one_of(record: dict, field: str, allowed) -> str:
    """A word from a closed list (``allowed``: a mapping or a set of the wire's words)."""
    value = record.get(field)
    if not isinstance(value, str) or value not in allowed:
        raise BadRecord(field)
    return value


def _ids(record: dict, field: str) -> tuple[str, ...]:
    """A list of organisation ids."""
    ids = v.texts(record, field)
    if len(ids) > 1000 or not all(0 < len(i) <= 100 and i.isprintable() for i in ids):
        raise BadRecord(field)
    return ids


def _org_id(record: dict, field: str = "organisatie") -> str:
    org_id = v.text(record, field, required=True)
    if len(org_id) > 100 or not org_id.isprintable():
        raise BadRecord(field)
    return org_id


def parse_tick_change(record: object) -> TickChange:
    """A ``VinkjeWijziging`` (docs/server.md)."""
    if not isinstance(record, dict):
        raise BadRecord("vinkje")
    return TickChange(
        org_id=_org_id(record),
        ticked=_yes_no(record, "aangevinkt"),
        changed_on=v.required_date(record, "gewijzigdOp"),
        effective_on=v.required_date(record, "ingangsdatum"),
        changed=_yes_no(record, "gewijzigd", True),
    )


#: A paper request's route and state on the wire (Dutch) and in the protocol.
PAPER_ROUTES = {"uitvinken": PAPER_ROUTE_UNTICK, "helpdesk": PAPER_ROUTE_HELPDESK}
PAPER_STATES = {
    "aangevraagd": "asked",
    "voorbereid": "prepared",
    "verstuurd": "sent",
    "klaar": "done",
}
PAPER_STATE_WIRE = {state: wire for wire, state in PAPER_STATES.items()}


def parse_paper_request(record: object) -> PaperRequest:
    """A ``Papieraanvraag`` (docs/server.md)."""
    if not isinstance(record, dict):
        raise BadRecord("papieraanvraag")
    route = _one_of(record, "route", PAPER_ROUTES)
    state = _one_of(record, "status", PAPER_STATES)
    return PaperRequest(
        org_id=_org_id(record),
        route=PAPER_ROUTES[route],
        state=PAPER_STATES[state],
        requested_on=v.required_date(record, "aangevraagdOp"),
        paper_from=v.iso_date(record, "papierVanaf"),
        done_on=v.iso_date(record, "klaarOp"),
        new=_yes_no(record, "nieuw", False),
    )


def parse_activation_offer(record: object, person_id: str) -> ActivationOffer:
    """An ``Activatieaanbod``: its token is passed back as it came (never logged)."""
    if not isinstance(record, dict):
        raise BadRecord("activatieaanbod")
    token = record.get("aanbodToken")
    if not isinstance(token, str) or not 0 < len(token) <= 500 or not token.isprintable():
        raise BadRecord("aanbodToken")
    return ActivationOffer(
        token=token,
        person_id=person_id,
        org_ids=_ids(record, "organisaties"),
        by_law=_ids(record, "wettelijkVerplicht"),
        paper_ids=_ids(record, "papier"),
        offered_on=v.required_date(record, "aangebodenOp"),
    )


#: the reason codes of app.mandates a 403 may carry as ``reden`` (docs/server.md)
_REASONS = frozenset(r.value for r in mnd.Reason)
#: a grant's rights and relation on the wire (Dutch) and in app.mandates
GRANT_RIGHTS = {"lezen": "read", "lezen-en-handelen": "read_and_act"}
GRANT_KINDS = {"curator", "mentor", "bewindvoerder"}
#: app.mandates' field names as the wire has them, for a BadRecord's field
_GRANT_FIELDS = {
    "person_id": "persoon",
    "helper_id": "helper",
    "representative_id": "helper",
    "organisations": "organisaties",
    "rights": "rechten",
    "starts_on": "ingangsdatum",
    "ends_on": "einddatum",
    "revoked_on": "ingetrokkenOp",
    "revoked_by": "ingetrokkenDoor",
    "kind": "relatie",
    "decision_number": "uitspraak.nummer",
    "decision_date": "uitspraak.datum",
    "court": "uitspraak.rechtbank",
}


def _short_id(record: dict, field: str) -> str:
    """An id of a person, a grant or an organisation: short, printable text."""
    value = v.text(record, field, required=True)
    if len(value) > 200 or not value.isprintable():
        raise BadRecord(field)
    return value


def parse_grant(
    record: object, person_id: str, holder_id: str
) -> tuple[mnd.Mandate | mnd.LegalRepresentation, tuple[str, ...] | None]:
    """One ``Machtiging`` of ``/personen`` (docs/server.md), listed with
    ``person_id``: on the holder's own entry one that someone holds over the
    holder's post, else one the holder holds over that person's. Read through
    ``Mandate.from_record`` / ``LegalRepresentation.from_record``, so it is the
    practice box's own type; with the organisations it names (None: all).
    BadRecord names the wire's field, never a value."""
    if not isinstance(record, dict):
        raise BadRecord("machtiging")
    grant_id = _short_id(record, "id")
    relation = v.text(record, "relatie", required=True)
    if relation != "machtiging" and relation not in GRANT_KINDS:
        raise BadRecord("relatie")
    whose = _short_id(record, "persoon")
    helper = record.get("helper")
    if not isinstance(helper, dict):
        raise BadRecord("helper")
    helper_id = _short_id(helper, "id")
    if helper.get("naam") is not None:
        v.text(helper, "naam")
    own = person_id == holder_id
    if whose != person_id or (helper_id == holder_id) == own:
        raise BadRecord("persoon" if whose != person_id else "helper")
    rights = GRANT_RIGHTS.get(record.get("rechten"))  # type: ignore[arg-type]
    if rights is None:
        raise BadRecord("rechten")
    orgs = record.get("organisaties")
    org_ids = None if orgs == "alle" else _ids(record, "organisaties")
    if org_ids is not None and not org_ids:
        raise BadRecord("organisaties")
    for field in ("beeindigd",):
        _yes_no(record, field, False)
    ends = v.iso_date(record, "einddatum")
    try:
        if relation == "machtiging":
            grant: mnd.Mandate | mnd.LegalRepresentation = mnd.Mandate.from_record(
                {
                    "id": grant_id,
                    "person_id": whose,
                    "helper_id": helper_id,
                    "organisations": "all" if org_ids is None else list(org_ids),
                    "rights": rights,
                    "starts_on": record.get("ingangsdatum"),
                    "ends_on": record.get("einddatum"),
                    "revoked_on": record.get("ingetrokkenOp"),
                    "revoked_by": record.get("ingetrokkenDoor"),
                }
            )
        else:
            decision = record.get("uitspraak")
            if not isinstance(decision, dict):
                raise BadRecord("uitspraak")
            if (relation == "curator") != (org_ids is None):
                raise BadRecord("organisaties")
            if v.required_date(record, "ingangsdatum") != v.required_date(decision, "datum"):
                raise BadRecord("ingangsdatum")
            grant = mnd.LegalRepresentation.from_record(
                {
                    "id": grant_id,
                    "person_id": whose,
                    "representative_id": helper_id,
                    "kind": relation,
                    "decision_number": decision.get("nummer"),
                    "decision_date": decision.get("datum"),
                    "court": decision.get("rechtbank"),
                    "ends_on": None if ends is None else ends.isoformat(),
                }
            )
    except BadRecord as error:
        wire = _GRANT_FIELDS.get(error.field, error.field)
        raise BadRecord(wire) from None
    return grant, org_ids


class _Personen:
    """One ``/personen`` answer, read once: the people (a record that cannot be
    read is left out, as before), the grants with the areas they show and the
    names in them; ``bad`` names the field of a grant that could not be read
    (then nothing of the grants counts), ``told`` is False for a server that
    sends no ``machtigingen``. ``seen``: which of people()/grants() read it."""

    def __init__(self, answer: object, holder_id: str):
        if not isinstance(answer, list) or len(answer) > 10_000:
            raise MailboxError(ErrorCode.BAD_ANSWER, "personen")
        self.people: list[tuple[Person, str]] = []
        self.names: dict[str, str] = {}
        self.bad: str | None = None
        self.told = False
        self.seen: set[str] = set()
        mandates: list[mnd.Mandate] = []
        reps: list[mnd.LegalRepresentation] = []
        areas: dict[str, frozenset[str]] = {}
        for record in answer:
            try:
                person, ontvanger = parse_person(record)
            except BadRecord as error:
                log.warning("person record unreadable: field %s", error.field)
                continue
            self.people.append((person, ontvanger))
            self.names[person.id] = person.name
            grants = record.get("machtigingen")
            if grants is None or self.bad is not None:
                continue
            self.told = True
            try:
                if not isinstance(grants, list) or len(grants) > 1000:
                    raise BadRecord("machtigingen")
                for item in grants:
                    grant, org_ids = parse_grant(item, person.id, holder_id)
                    if isinstance(grant, mnd.Mandate):
                        mandates.append(grant)
                    else:
                        reps.append(grant)
                        if org_ids is not None:
                            known = areas.setdefault(grant.kind.value, frozenset(org_ids))
                            if known != frozenset(org_ids):
                                raise BadRecord("organisaties")
                    helper = item["helper"]
                    if isinstance(helper.get("naam"), str) and helper["naam"].strip():
                        self.names.setdefault(helper["id"], v.clean_text(helper["naam"]))
            except BadRecord as error:
                log.warning("grant record unreadable: field %s", error.field)
                self.bad = error.field
        self.grants = mnd.Grants(
            tuple(mandates),
            tuple(reps),
            mnd.Areas(
                areas.get(mnd.Kind.BEWINDVOERDER.value, frozenset()),
                areas.get(mnd.Kind.MENTOR.value, frozenset()),
            ),
        )

    def checked(self) -> _Personen:
        """Itself, or MailboxError ``bad-answer`` when a grant could not be read."""
        if self.bad is not None:
            raise MailboxError(ErrorCode.BAD_ANSWER, f"personen: field {self.bad}")
        return self


def parse_access_entry(record: object, person_id: str) -> mnd.AccessLogEntry:
    """One item of ``/inzage`` (docs/server.md) as the practice box's entry."""
    if not isinstance(record, dict):
        raise BadRecord("inzage")
    holder = _short_id(record, "door")
    try:
        event = mnd.Event(str(record.get("wat")))
    except ValueError:
        raise BadRecord("wat") from None
    when = record.get("wanneer")
    at = None
    if isinstance(when, str) and len(when) <= 40:
        with contextlib.suppress(ValueError):
            at = datetime.fromisoformat(when)
    if at is None:
        raise BadRecord("wanneer")
    org = record.get("organisatie")
    if org is not None:
        org = _org_id(record)
    letter = record.get("berichtId")
    if letter is not None and not (isinstance(letter, str) and _UUID.fullmatch(letter)):
        raise BadRecord("berichtId")
    try:
        return mnd.AccessLogEntry(holder, person_id, event, at, letter, org)
    except ValueError:  # an open or put away without its letter
        raise BadRecord("berichtId") from None


#: a result or a reason on the wire: a short lower-case word (``delivered``, ``no-webhook``)
_WORD = re.compile(r"[a-z][a-z-]{0,39}")
#: to whom a paper contact letter went, on the wire (Dutch) and in the protocol
CONTACT_TO = {"persoon": "person", "curator": "curator"}


def _moment_of(record: dict, field: str) -> datetime | None:
    """An ISO date-time, or None when missing."""
    value = record.get(field)
    if value is None:
        return None
    moment = None
    if isinstance(value, str) and len(value) <= 64:
        with contextlib.suppress(ValueError):
            moment = datetime.fromisoformat(value)
    if moment is None:
        raise BadRecord(field)
    return moment


def _line(record: dict, field: str, limit: int) -> str | None:
    """A text as one line (no line breaks, no runs of spaces), at most ``limit``
    characters as sent; None when missing."""
    value = record.get(field)
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > limit:
        raise BadRecord(field)
    return " ".join(v.clean_text(value).split())


def _texts_of(record: dict, field: str, limit: int, check: Any = None) -> tuple[str, ...]:
    """A required list of texts, at most 1,000 of at most ``limit`` characters,
    each passing ``check`` (a compiled pattern) where given."""
    value = record.get(field)
    if not isinstance(value, list) or len(value) > 1000:
        raise BadRecord(field)
    if not all(isinstance(t, str) and len(t) <= limit for t in value):
        raise BadRecord(field)
    if check is not None and not all(check.fullmatch(t) for t in value):
        raise BadRecord(field)
    return tuple(v.clean_text(t) for t in value)


def parse_delivery_step(record: object) -> DeliveryStep:
    """One ``stap`` of a ``Bezorglog`` (docs/server.md); BadRecord names the field."""
    if not isinstance(record, dict):
        raise BadRecord("stap")
    kind = _one_of(record, "soort", DELIVERY_STEP_KINDS)
    result = record.get("resultaat")
    if result is not None and not (isinstance(result, str) and _WORD.fullmatch(result)):
        raise BadRecord("resultaat")
    attempt = record.get("poging")
    if attempt is not None and (type(attempt) is not int or not 0 <= attempt <= 100_000):
        raise BadRecord("poging")
    paper = None if record.get("brief") is None else _short_id(record, "brief")
    return DeliveryStep(
        kind=kind,
        day=v.required_date(record, "datum"),
        at=_moment_of(record, "moment"),
        result=result,
        attempt=attempt,
        reply=_line(record, "antwoord", 1000),
        event=_line(record, "gebeurtenis", 200),
        paper_letter=paper,
        text=_line(record, "tekst", 1000) or "",
    )


def parse_delivery_log(record: object, letter_id: str) -> DeliveryLog:
    """A ``Bezorglog`` (``GET /berichten/{id}/_bezorging``), checked that it is the
    log of ``letter_id``. BadRecord names the wire's field (``stappen.poging``)."""
    if not isinstance(record, dict):
        raise BadRecord("bezorglog")
    bid = record.get("berichtId")
    if not isinstance(bid, str) or bid.lower() != letter_id.lower():
        raise BadRecord("berichtId")
    delivery = record.get("bezorging")
    if delivery != "digitaal" and delivery != "papier":
        raise BadRecord("bezorging")
    items = record.get("stappen")
    if not isinstance(items, list) or len(items) > 10_000:
        raise BadRecord("stappen")
    steps: list[DeliveryStep] = []
    for item in items:
        try:
            steps.append(parse_delivery_step(item))
        except BadRecord as error:
            field = error.field
        else:
            continue
        raise BadRecord(f"stappen.{field}")
    return DeliveryLog(
        letter_id=bid.lower(),
        org_id=_org_id(record),
        on_paper=delivery == "papier",
        received_on=v.required_date(record, "ontvangenOp"),
        read=_yes_no(record, "gelezen"),
        steps=tuple(steps),
    )


def parse_paper_contact(record: object) -> PaperContact:
    """One ``Contactbrief`` of ``GET /contactherstel`` (docs/server.md)."""
    if not isinstance(record, dict):
        raise BadRecord("contactbrief")
    to = _one_of(record, "aan", CONTACT_TO)
    return PaperContact(
        id=_short_id(record, "id"),
        day=v.required_date(record, "datum"),
        reasons=_texts_of(record, "redenen", 40, _WORD),
        to=CONTACT_TO[to],
        letter_ids=tuple(i.lower() for i in _texts_of(record, "berichten", 36, _UUID)),
        lines=_texts_of(record, "regels", 2000),
    )


def parse_list(answer: object, parse: Any, field: str) -> list:
    """Every record of a JSON list, each read by ``parse``; BadRecord for any one."""
    if not isinstance(answer, list) or len(answer) > 10_000:
        raise BadRecord(field)
    return [parse(record) for record in answer]


def parse_cursor(cursor: str | None) -> list[str]:
    """The ids a cursor holds (none: a full sync)."""
    if not cursor or not cursor.startswith(CURSOR_PREFIX):
        return []
    ids = cursor[len(CURSOR_PREFIX) :].split(",")
    return [i for i in ids if _UUID.fullmatch(i)][:CURSOR_IDS]


def make_cursor(ids: Iterable[str]) -> str:
    kept: list[str] = []
    for i in ids:
        if i not in kept:
            kept.append(i)
        if len(kept) == CURSOR_IDS:
            break
    return CURSOR_PREFIX + ",".join(kept)


def retry_after_seconds(value: str | None) -> float | None:
    """Retry-After as seconds: a number, or an HTTP date (RFC 9110)."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():  # "²" and "٣" are digits to isdigit()
        return float(min(int(value[:9]), 86_400))
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, min((when - datetime.now(UTC)).total_seconds(), 86_400.0))


# -- the outbox: read status that still has to reach the server ------------------------------
class Outbox:
    """Letters marked read that the server has not heard of yet.

    Kept in a JSON file (written to a temporary file, fsynced, renamed; 0600)
    when ``path`` is given, else in memory. Holds person ids, letter ids
    (UUIDs) and store ids (OINs): no names, no BSNs, no text."""

    def __init__(self, path: Path | None = None):
        self.path = path
        self._lock = threading.Lock()
        self._items: list[tuple[str, str, str]] = self._load()

    def _load(self) -> list[tuple[str, str, str]]:
        if self.path is None or not self.path.exists():
            return []
        try:
            data = json.loads(self.path.read_bytes())
            items = data["read"] if isinstance(data, dict) else None
            return [
                (p, i, s)
                for p, i, s in items or []
                if isinstance(p, str) and isinstance(i, str) and isinstance(s, str)
            ]
        except (OSError, ValueError, TypeError, KeyError):
            log.warning("outbox unreadable; starting empty")
            return []

    def _save(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(self.path, json.dumps({"read": [list(item) for item in self._items]}))

    def add(self, person_id: str, letter_id: str, store_id: str) -> None:
        with self._lock:
            if not any(p == person_id and i == letter_id for p, i, _ in self._items):
                self._items.append((person_id, letter_id, store_id))
                self._save()

    def remove(self, person_id: str, letter_id: str) -> None:
        with self._lock:
            self._items = [x for x in self._items if (x[0], x[1]) != (person_id, letter_id)]
            self._save()

    def waiting(self, person_id: str) -> list[tuple[str, str]]:
        """(letter_id, store_id) still to send for this person, oldest first."""
        with self._lock:
            return [(i, s) for p, i, s in self._items if p == person_id]


# -- HTTP --------------------------------------------------------------------------------------
def _check_verify(verify: bool | str | os.PathLike) -> bool | str:
    if verify is True:
        return True
    if verify is False or verify is None or verify == "":
        raise ValueError("TLS is always verified: give True or a CA bundle path")
    return os.fspath(verify)


def _http_session(retries: bool = True):
    """A requests.Session with urllib3 Retry mounted for http and https."""
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.exceptions import MaxRetryError, ResponseError
    from urllib3.util.retry import Retry

    class _Retry(Retry):
        """Retry that gives up at once when the server asks a longer wait than MAX_WAIT:
        the answer (503 + Retry-After) then reaches the caller, who says when to try again."""

        def increment(  # type: ignore[override]
            self,
            method: str | None = None,
            url: str | None = None,
            response: Any = None,
            error: Exception | None = None,
            _pool: Any = None,
            _stacktrace: Any = None,
        ) -> Retry:
            if response is not None and self.respect_retry_after_header:
                wait = retry_after_seconds(response.headers.get("Retry-After"))
                if wait is not None and wait > MAX_WAIT:
                    raise MaxRetryError(_pool, url or "", ResponseError("long wait"))
            return super().increment(method, url, response, error, _pool, _stacktrace)

    policy = _Retry(
        total=3 if retries else 0,
        connect=2,
        read=1,
        status=2,
        other=0,
        redirect=0,
        backoff_factor=0.25,
        backoff_max=2.0,
        status_forcelist=(429, 500, 502, 503, 504),
        allowed_methods=frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH"}),
        respect_retry_after_header=True,
        raise_on_status=False,
        raise_on_redirect=False,
    )
    http = requests.Session()
    adapter = HTTPAdapter(max_retries=policy, pool_connections=2, pool_maxsize=4)
    http.mount("http://", adapter)
    http.mount("https://", adapter)
    http.trust_env = False  # no proxy or netrc from the environment: the token goes where asked
    http.headers["User-Agent"] = "Brieventafel"
    return http


def _failure_of(error: BaseException) -> tuple[ErrorCode, str]:
    """A requests error as a code and a detail without any value (type only)."""
    import requests

    name = type(error).__name__
    if isinstance(error, requests.exceptions.ConnectTimeout):
        return ErrorCode.UNREACHABLE, f"connect timeout {name}"
    if isinstance(error, requests.exceptions.Timeout):
        return ErrorCode.TIMEOUT, name
    if isinstance(error, requests.exceptions.SSLError):
        return ErrorCode.UNTRUSTED, f"tls {name}"
    if isinstance(error, requests.exceptions.ContentDecodingError):
        return ErrorCode.BAD_ANSWER, name
    if isinstance(error, requests.exceptions.RetryError):
        return ErrorCode.SERVER_ERROR, name
    if isinstance(error, requests.ConnectionError | requests.exceptions.ChunkedEncodingError):
        # A read that timed out on every retry comes as a ConnectionError around
        # urllib3's MaxRetryError: it connected, so it is a timeout.
        from urllib3.exceptions import MaxRetryError, ReadTimeoutError

        inner = error.args[0] if error.args else None
        if isinstance(inner, ReadTimeoutError) or (
            isinstance(inner, MaxRetryError) and isinstance(inner.reason, ReadTimeoutError)
        ):
            return ErrorCode.TIMEOUT, name
        return ErrorCode.UNREACHABLE, name
    if isinstance(error, requests.exceptions.InvalidURL | requests.exceptions.MissingSchema):
        return ErrorCode.UNREACHABLE, f"bad address {name}"
    return ErrorCode.UNREACHABLE, name


def _read_body(response, limit: int) -> bytes:
    """The body, at most ``limit`` bytes and ``MAX_SECONDS`` long, or MailboxError."""
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > limit:
        raise MailboxError(ErrorCode.BAD_ANSWER, f"{TOO_LARGE} ({response.status_code})")
    chunks: list[bytes] = []
    size = 0
    started = time.monotonic()
    failure: tuple[ErrorCode, str] | None = None
    try:
        for chunk in response.iter_content(64 * 1024):
            size += len(chunk)
            if size > limit:
                failure = (ErrorCode.BAD_ANSWER, f"{TOO_LARGE} ({response.status_code})")
                break
            if time.monotonic() - started > MAX_SECONDS:
                failure = (ErrorCode.TIMEOUT, "body too slow")
                break
            chunks.append(chunk)
    except Exception as error:  # requests' errors; nothing of their text is kept
        failure = _failure_of(error)
    if failure is not None:
        raise MailboxError(*failure)
    return b"".join(chunks)


def _json(raw: bytes, content_type: str) -> Any:
    kind = content_type.split(";")[0].strip().lower()
    if kind not in _JSON_TYPES and not kind.endswith("+json"):
        raise MailboxError(ErrorCode.BAD_ANSWER, "not json")
    bad = False
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        bad = True
    if bad:
        raise MailboxError(ErrorCode.BAD_ANSWER, "garbage json")


def _refusal(status: int, body: bytes, kind: str, retry_after: float | None) -> MailboxError:
    """An answer that is not 2xx as a MailboxError: the problem+json ``code`` where
    it is one of ours, else by status."""
    code: str | None = None
    reason: str | None = None
    with contextlib.suppress(MailboxError):
        problem = _json(body, kind) if len(body) < 64 * 1024 else None
        if isinstance(problem, dict) and isinstance(problem.get("code"), str):
            code = problem["code"]
        if isinstance(problem, dict) and problem.get("reden") in _REASONS:
            reason = problem["reden"]  # a refusal of the mandate rules: why, for the words
    known = {c.value for c in ErrorCode}
    if status == 401:
        typed = ErrorCode.UNAUTHORIZED
    elif status == 403:
        typed = ErrorCode.FORBIDDEN
    elif status in (429, 503) and retry_after is not None:
        typed = ErrorCode.BUSY
    elif code in known:
        typed = ErrorCode(code)
    elif status == 404:
        typed = ErrorCode.UNKNOWN_LETTER
    elif status == 409:
        typed = ErrorCode.NOT_READY  # FBS: the cache of the stores is not filled yet
    elif status >= 500 or status == 429:
        typed = ErrorCode.SERVER_ERROR
    else:
        typed = ErrorCode.BAD_ANSWER
    if typed is ErrorCode.FORBIDDEN and reason is not None:
        return MailboxError(typed, reason)
    return MailboxError(typed, f"status {status}", retry_after=retry_after)


class _Http:
    """One base address, one requests.Session, the rules above."""

    def __init__(self, base_url: str, verify, timeout, session=None, max_body: int = MAX_BODY):
        self.base = base_url.rstrip("/")
        if not self.base.endswith(API):
            self.base += API
        self.verify = _check_verify(verify)
        self.timeout = timeout
        self.max_body = max_body
        self.session = session if session is not None else _http_session()
        #: how many HTTP requests were sent (one per call; retries not counted)
        self.requests = 0

    def call(
        self,
        method: str,
        path: str,
        *,
        headers: dict[str, str] | None = None,
        params: dict[str, Any] | None = None,
        body: Any = None,
        content_type: str = "application/json",
        want_json: bool = True,
    ) -> Any:
        all_headers = {"Accept": "application/json, application/problem+json"}
        all_headers.update(headers or {})
        data = None
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            all_headers["Content-Type"] = content_type
        response = self.send(method, path, all_headers, params, data)
        try:
            raw = _read_body(response, self.max_body)
            kind = response.headers.get("Content-Type", "")
            if not 200 <= response.status_code < 300:
                wait = retry_after_seconds(response.headers.get("Retry-After"))
                raise _refusal(response.status_code, raw, kind, wait)
            if not want_json or response.status_code == 204:
                return None
            return _json(raw, kind)
        finally:
            response.close()

    def send(self, method: str, path: str, headers: dict, params=None, data=None):
        """The response, its body not read yet (``stream=True``), or MailboxError."""
        failure: tuple[ErrorCode, str] | None = None
        response = None
        self.requests += 1
        try:
            response = self.session.request(
                method,
                self.base + path,
                params=params,
                data=data,
                headers=headers,
                timeout=self.timeout,
                verify=self.verify,
                stream=True,
                allow_redirects=False,
            )
        except Exception as error:  # requests' errors quote the URL: keep only the type
            failure = _failure_of(error)
        if failure is not None or response is None:
            raise MailboxError(*(failure or (ErrorCode.UNREACHABLE, "no answer")))
        return response

    def events(self, path: str, headers: dict[str, str]) -> Iterator[dict]:
        """The events of a Server-Sent Events stream, each a JSON object (its
        ``event`` member set from an ``event:`` line where one came). A stream
        longer than ``max_body`` or ``MAX_SECONDS`` is cut off (MailboxError)."""
        response = self.send("GET", path, {**headers, "Accept": "text/event-stream"})
        try:
            if not 200 <= response.status_code < 300:
                raw = _read_body(response, self.max_body)
                wait = retry_after_seconds(response.headers.get("Retry-After"))
                raise _refusal(
                    response.status_code, raw, response.headers.get("Content-Type", ""), wait
                )
            kind = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
            if kind != "text/event-stream":
                raise MailboxError(ErrorCode.BAD_ANSWER, "not an event stream")
            yield from self._events(response)
        finally:
            response.close()

    def _events(self, response) -> Iterator[dict]:
        started = time.monotonic()
        size = 0
        name, data = "", []
        failure: tuple[ErrorCode, str] | None = None
        lines = response.iter_lines(chunk_size=1024)
        while failure is None:
            try:
                line = next(lines, None)
            except Exception as error:  # cut or timed out mid-stream
                failure = _failure_of(error)
                break
            if line is None:
                return
            size += len(line) + 1
            if size > self.max_body:
                failure = (ErrorCode.BAD_ANSWER, "event stream too long")
            elif time.monotonic() - started > MAX_SECONDS:
                failure = (ErrorCode.TIMEOUT, "event stream too slow")
            elif line.startswith(b"event:"):
                name = line[6:].strip().decode("utf-8", "replace")
            elif line.startswith(b"data:"):
                data.append(line[5:].strip())
            elif not line and data:
                event = None
                with contextlib.suppress(ValueError, RecursionError):
                    event = json.loads(b"\n".join(data))
                data = []
                if isinstance(event, dict):
                    if name:
                        event.setdefault("event", name)
                    yield event
                name = ""
        assert failure is not None
        raise MailboxError(*failure)

    def close(self) -> None:
        self.session.close()


def login(
    base_url: str,
    person: str,
    pin: str,
    *,
    verify: bool | str = True,
    timeout: tuple[float, float] = (3.05, 15),
) -> str:
    """A bearer token for ``person`` (practice login: person + PIN).

    MailboxError: UNAUTHORIZED (person or PIN wrong: the same answer for
    both), BUSY with ``retry_after`` (too many wrong PINs), UNREACHABLE, TIMEOUT.
    """
    http = _Http(base_url, verify, timeout)
    try:
        answer = http.call("POST", "/_login", body={"persoon": person, "pin": pin})
    finally:
        http.close()
    token = answer.get("token") if isinstance(answer, dict) else None
    if not isinstance(token, str) or not token or not token.isprintable() or len(token) > 4096:
        raise MailboxError(ErrorCode.BAD_ANSWER, "login without a token")
    return token


def logout(
    base_url: str,
    token: str,
    *,
    verify: bool | str = True,
    timeout: tuple[float, float] = (3.05, 15),
) -> None:
    """Revoke the token on the server. A token that no longer holds is fine."""
    http = _Http(base_url, verify, timeout)
    try:
        http.call("POST", "/_logout", headers={"Authorization": f"Bearer {token}"}, want_json=False)
    except MailboxError as error:
        if error.code is not ErrorCode.UNAUTHORIZED:
            raise
    finally:
        http.close()


class RemoteMailbox:
    """The Mailbox protocol over FBS HTTP (see the module's text)."""

    is_practice = False

    def __init__(
        self,
        base_url: str,
        person_id: str,
        token: str,
        *,
        verify: bool | str = True,
        timeout: tuple[float, float] = (3.05, 15),
        session=None,
        outbox: Path | None = None,
        max_body: int = MAX_BODY,
    ):
        self.person_id = person_id
        self._token = token
        self._http = _Http(base_url, verify, timeout, session, max_body)
        self.outbox = Outbox(outbox)
        #: the last ``/personen`` answer: people, grants, names (issue 13)
        self._personen: _Personen | None = None
        #: names the access log told, per person whose log it is
        self._log_names: dict[str, dict[str, str]] = {}
        self._orgs: list[Organisation] | None = None
        self._oin_org: dict[str, str] = {}
        #: letter id -> magazijnId, learnt from what the server sent
        self._stores: dict[str, str] = {}
        #: Ask the list with ``metInhoud=true`` (the text with the list). False: the
        #: FBS list and one GET per letter, as a client without the extension does.
        self.list_content = True

    def __repr__(self) -> str:  # never the token
        return f"RemoteMailbox({self._http.base!r})"

    @property
    def base_url(self) -> str:
        return self._http.base

    def sign_in(self, person: str, pin: str) -> str:
        """Sign in again (the token expired or was revoked): the new token is used
        from now on and returned, for the keyring. MailboxError as :func:`login`."""
        token = login(self._http.base, person, pin, verify=self._http.verify)
        self._token = token
        return token

    def sign_out(self) -> None:
        """ "Afmelden": the token is revoked on the server and forgotten here (the
        keyring entry goes too). A server that cannot be reached cannot revoke it:
        the token is still forgotten here, and MailboxError says the first."""
        from app import secrets

        failed: MailboxError | None = None
        try:
            self._http.call("POST", "/_logout", headers=self._auth(), want_json=False)
        except MailboxError as error:
            if error.code is not ErrorCode.UNAUTHORIZED:  # already gone there: fine
                failed = error
        self._token = ""
        with contextlib.suppress(secrets.NoKeyring):  # nothing was kept there
            secrets.forget_token(self._http.base, self.person_id)
        if failed is not None:
            raise failed

    @property
    def requests_sent(self) -> int:
        return self._http.requests

    # -- calls ---------------------------------------------------------------------
    def _auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._token}"}

    def _for(self, person_id: str) -> dict[str, str]:
        return {**self._auth(), "X-Ontvanger": self._ontvanger(person_id)}

    def _ontvanger(self, person_id: str) -> str:
        if _ONTVANGER.fullmatch(person_id):
            return person_id  # asked by X-Ontvanger itself
        for person, ontvanger in self._load_people():
            if person.id == person_id:
                return ontvanger
        raise MailboxError(ErrorCode.FORBIDDEN, "person not in /personen")

    def _fetch_personen(self) -> _Personen:
        answer = self._http.call("GET", "/personen", headers=self._auth())
        self._personen = _Personen(answer, self.person_id)
        return self._personen

    def _load_people(self) -> list[tuple[Person, str]]:
        """The people of the last ``/personen`` (asked once if none yet)."""
        return (self._personen or self._fetch_personen()).people

    def _personen_for(self, reader: str) -> _Personen:
        """The ``/personen`` answer for :meth:`people` or :meth:`grants`: asked again
        unless this reader has not seen the last one yet. So opening a session
        asks once (``me``, ``people``, ``grants``) and each ``load_people`` once."""
        known = self._personen
        if known is None or reader in known.seen:
            known = self._fetch_personen()
        known.seen.add(reader)
        return known.checked()

    # -- people and organisations ---------------------------------------------------
    def me(self) -> Person:
        for person, _ontvanger in self._load_people():
            if person.id == self.person_id:
                return person
        raise MailboxError(ErrorCode.UNKNOWN_PERSON, "signed-in person not in /personen")

    def people(self) -> list[Person]:
        """``/personen`` asked again (who may be seen changes: a mandate ends). A
        grant in it that cannot be read is ``bad-answer``: the caller keeps what
        it knew rather than guess what may be done for whom."""
        people = [p for p, _ in self._personen_for("people").people]
        return sorted(people, key=lambda p: p.id != self.person_id)

    # -- mandates (issue 13): what /personen and /inzage tell --------------------------
    def grants(self) -> mnd.Grants:
        """The mandates and court decisions the signed-in person is part of, as
        the server's practice box has them (``machtigingen`` in ``/personen``),
        with the areas they show. ``bad-answer`` for a grant that cannot be read,
        or a server that tells none."""
        known = self._personen_for("grants")
        if not known.told:
            raise MailboxError(ErrorCode.BAD_ANSWER, "personen: no machtigingen")
        return known.grants

    def names(self, person_id: str) -> dict[str, str]:
        """Names by id of the people in this person's grants (and of who looked at
        their post, as ``/inzage`` told); for someone else the two of them only,
        as the practice box's ``names``. From the last ``/personen``."""
        known = (self._personen or self._fetch_personen()).checked()
        ids = {person_id}
        every: list[mnd.Mandate | mnd.LegalRepresentation] = [
            *known.grants.mandates,
            *known.grants.representations,
        ]
        for grant in every:
            helper = grant.helper_id if isinstance(grant, mnd.Mandate) else grant.representative_id
            if person_id in (grant.person_id, helper):
                ids |= {grant.person_id, helper}
        names = {**self._log_names.get(person_id, {}), **known.names}
        if self.person_id != person_id:
            ids &= {self.person_id, person_id}
        return {i: names[i] for i in sorted(ids) if i in names}

    def access_log(self, person_id: str) -> list[mnd.AccessLogEntry]:
        """ "Wie heeft mijn post bekeken?" (``GET /inzage``), oldest first as the
        practice box gives it; a helper gets only their own accesses (the server
        decides). An answer that cannot be read is ``bad-answer``, naming the field."""
        answer = self._http.call("GET", "/inzage", headers=self._for(person_id))
        field = None
        try:
            if not isinstance(answer, list) or len(answer) > 100_000:
                raise BadRecord("inzage")
            entries = [parse_access_entry(record, person_id) for record in answer]
        except BadRecord as error:
            field = error.field
        if field is not None:
            log.warning("access log unreadable: field %s", field)
            raise MailboxError(ErrorCode.BAD_ANSWER, f"inzage: field {field}")
        told = self._log_names.setdefault(person_id, {})
        for record in answer:
            name = record.get("wie")
            if isinstance(name, str) and name.strip() and len(name) <= 200:
                told[record["door"]] = v.clean_text(name)
        return sorted(reversed(entries), key=lambda e: e.at)

    # -- a letter's delivery log and the paper contact letters (issue 17) ---------------
    def delivery_log(self, person_id: str, letter_id: str) -> DeliveryLog:
        """The letter's delivery log (``GET /berichten/{id}/_bezorging``): delivered,
        every notification attempt and the mail server's answer, read, on paper,
        the sender told. Only the recipient themselves: a helper gets FORBIDDEN
        (the server decides). An id that is no FBS id is not sent; an answer that
        cannot be read is ``bad-answer`` naming the field, never a value."""
        if not isinstance(letter_id, str) or not _UUID.fullmatch(letter_id):
            raise MailboxError(ErrorCode.UNKNOWN_LETTER, "not an FBS id")
        path = f"/berichten/{letter_id}/_bezorging"
        answer = self._http.call("GET", path, headers=self._for(person_id))
        try:
            return parse_delivery_log(answer, letter_id)
        except BadRecord as error:
            field = error.field
        log.warning("delivery log unreadable: field %s", field)
        raise MailboxError(ErrorCode.BAD_ANSWER, f"bezorging: field {field}")

    def paper_contacts(self, person_id: str) -> list[PaperContact]:
        """The paper contact letters on record about this person, oldest first
        (``GET /contactherstel``); only the recipient themselves (a helper:
        FORBIDDEN). Their lines hold the person's name: never logged."""
        answer = self._http.call("GET", "/contactherstel", headers=self._for(person_id))
        try:
            return parse_list(answer, parse_paper_contact, "contactherstel")
        except BadRecord as error:
            field = error.field
        log.warning("paper contacts unreadable: field %s", field)
        raise MailboxError(ErrorCode.BAD_ANSWER, f"contactherstel: field {field}")

    def put_away(self, person_id: str, letter_id: str) -> None:
        """Before a helper puts someone else's letter away on the desk: the server
        checks and logs it (``PATCH`` with ``map``), FORBIDDEN ``read-only`` (or
        another reason) when the helper may not. Nothing is sent for one's own
        post (the desk owns placement)."""
        if person_id == self.person_id:
            return
        if not _UUID.fullmatch(letter_id):
            raise MailboxError(ErrorCode.UNKNOWN_LETTER, "not an FBS id")
        store = self._stores.get(letter_id) or self.letter(person_id, letter_id).store_id
        self._http.call(
            "PATCH",
            f"/berichten/{letter_id}",
            headers=self._for(person_id),
            params={"magazijnId": store},
            body={"map": PUT_AWAY_MAP},
            content_type="application/merge-patch+json",
        )

    def organisations(self) -> list[Organisation]:
        if self._orgs is None:
            answer = self._http.call("GET", "/organisaties", headers=self._auth())
            if not isinstance(answer, list):
                raise MailboxError(ErrorCode.BAD_ANSWER, "organisaties")
            orgs = []
            for record in answer:
                try:
                    orgs.append(parse_organisation(record))
                except BadRecord as error:
                    log.warning("organisation record unreadable: field %s", error.field)
                    continue
                oin = record.get("oin") if isinstance(record, dict) else None
                if isinstance(oin, str):
                    self._oin_org[oin] = orgs[-1].id
            self._orgs = orgs
        return list(self._orgs)

    def organisation(self, org_id: str) -> Organisation:
        for org in self.organisations():
            if org.id == org_id:
                return org
        raise MailboxError(ErrorCode.UNKNOWN_ORGANISATION, org_id)

    def account_status(self, person_id: str) -> AccountStatus:
        answer = self._http.call("GET", "/account", headers=self._for(person_id))
        try:
            return parse_account(answer, person_id)
        except BadRecord as error:
            field = error.field
        raise MailboxError(ErrorCode.BAD_ANSWER, f"account: field {field}")

    # -- letters -------------------------------------------------------------------------
    def _flush_outbox(self, person_id: str) -> None:
        for letter_id, store in self.outbox.waiting(person_id):
            try:
                self._patch_read(person_id, letter_id, store)
            except MailboxError as error:
                if error.code in (ErrorCode.UNKNOWN_LETTER, ErrorCode.FORBIDDEN):
                    self.outbox.remove(person_id, letter_id)  # gone, or never theirs: drop it
                    continue
                raise
            self.outbox.remove(person_id, letter_id)

    def letters(
        self, person_id: str, since: str | None = None, *, progress: ProgressCallback | None = None
    ) -> LetterBatch:
        """New letters since ``since``: page 0 first (newest first), up to the first
        letter the cursor knows, each with its text (``metInhoud``); an item that
        came without ``inhoud`` (a server without the extension) costs one more
        request. Letters that cannot be read are set aside."""
        self._flush_outbox(person_id)
        headers = self._for(person_id)
        known = set(parse_cursor(since))
        size = PAGE_MAX if not known else PAGE_FIRST
        covered = 0
        fresh: list[tuple[int, object]] = []
        seen_ids: list[str] = []
        index = 0
        fetched = False
        with_content = self.list_content
        while True:
            params: dict[str, Any] = {"pagina": covered // size, "paginaGrootte": size}
            if with_content:
                params["metInhoud"] = "true"
            try:
                answer = self._http.call("GET", "/berichten", headers=headers, params=params)
            except MailboxError as error:
                if with_content and error.detail.startswith(TOO_LARGE):
                    # Too large with the texts: this page and the rest letter by letter.
                    with_content = False
                    continue
                if error.code is not ErrorCode.NOT_READY or fetched:
                    raise
                # FBS: the cache of the stores is not filled: fetch (_ophalen), then read.
                self._ophalen(headers, progress)
                fetched = True
                continue
            try:
                records, more = parse_page(answer)
            except BadRecord:
                raise MailboxError(ErrorCode.BAD_ANSWER, "berichten page") from None
            stop = False
            for record in records:
                index += 1
                bid = record.get("berichtId") if isinstance(record, dict) else None
                bid = bid.lower() if isinstance(bid, str) else None
                if bid is not None and bid in known:
                    stop = True
                    seen_ids.append(bid)
                    break
                if bid is not None and bid in seen_ids:
                    continue  # a letter came in while paging: offsets moved by one
                if bid is not None:
                    seen_ids.append(bid)
                fresh.append((index, record))
            covered += len(records)
            if stop or not more or not records:
                break
            bigger = min(size * 2, PAGE_MAX)
            if covered % bigger == 0:
                size = bigger
            elif covered % size:
                size = 1  # the server sent fewer than asked: go on one by one
        letters: list[Letter] = []
        aside: list[SetAside] = []
        org_of = self._oin_org
        for place, record in fresh:
            try:
                summary = parse_letter(record, person_id, org_of)
            except BadRecord as error:
                aside.append(set_aside_for(record, error, place))
                continue
            if _has_content(record):
                detail = record  # the list brought the text (metInhoud)
            else:
                try:
                    detail = self._http.call("GET", f"/berichten/{summary.id}", headers=headers)
                except MailboxError as error:
                    if error.code is ErrorCode.UNKNOWN_LETTER:
                        continue  # deleted while we read
                    raise
            try:
                letter = parse_letter(detail, person_id, org_of)
            except BadRecord as error:
                aside.append(set_aside_for(detail, error, place))
                continue
            if letter.id != summary.id:
                aside.append(SetAside(summary.id, summary.org_id, "berichtId", "mailbox"))
                continue
            self._stores[letter.id] = letter.store_id
            letters.append(letter)
        bad = {s.letter_id for s in aside}
        good_seen = [i for i in seen_ids if i not in bad]
        cursor = make_cursor(good_seen + [i for i in parse_cursor(since) if i not in bad])
        return LetterBatch(letters, cursor, tuple(aside))

    def _ophalen(self, headers: dict[str, str], progress: ProgressCallback | None) -> None:
        """Fill the server's cache (FBS ``_ophalen``, Server-Sent Events), telling
        ``progress`` as each store answers. MailboxError when the stream ends
        before ``ophalen-gereed``: NOT_READY (ended), UNREACHABLE (cut),
        SERVER_ERROR (``ophalen-fout``)."""
        total = 0
        with contextlib.suppress(MailboxError):
            total = len(self.organisations())
        done = 0
        for event in self._http.events("/berichten/_ophalen", headers):
            kind = event.get("event")
            if kind == "magazijn-bevraging-voltooid":
                done += 1
                name = event.get("naam")
                failed = event.get("status", "OK") != "OK"
                if progress is not None:
                    store = name if isinstance(name, str) and len(name) <= 200 else ""
                    progress(SyncProgress(done, max(total, done), store, failed))
            elif kind == "ophalen-gereed":
                return
            elif kind == "ophalen-fout":
                raise MailboxError(ErrorCode.SERVER_ERROR, "ophalen-fout")
        raise MailboxError(ErrorCode.NOT_READY, "event stream ended before ophalen-gereed")

    def letter(self, person_id: str, letter_id: str) -> Letter:
        if not _UUID.fullmatch(letter_id):
            raise MailboxError(ErrorCode.UNKNOWN_LETTER, "not an FBS id")
        detail = self._http.call("GET", f"/berichten/{letter_id}", headers=self._for(person_id))
        try:
            letter = parse_letter(detail, person_id, self._oin_org)
        except BadRecord as error:
            field = error.field
        else:
            self._stores[letter.id] = letter.store_id
            return letter
        raise MailboxError(ErrorCode.BAD_ANSWER, f"letter {letter_id}: field {field}")

    def _patch_read(self, person_id: str, letter_id: str, store: str) -> None:
        if not store:
            store = self._stores.get(letter_id) or self.letter(person_id, letter_id).store_id
        self._http.call(
            "PATCH",
            f"/berichten/{letter_id}",
            headers=self._for(person_id),
            params={"magazijnId": store},
            body={"status": "gelezen"},
            content_type="application/merge-patch+json",
        )

    def mark_read(self, person_id: str, letter_id: str) -> None:
        """PATCH status "gelezen". When the server cannot be told now (offline, busy,
        signed out), the letter waits in the outbox and is sent at the next sync;
        the error is still raised, so the caller knows."""
        try:
            self._patch_read(person_id, letter_id, self._stores.get(letter_id, ""))
        except MailboxError as error:
            if error.transient or error.code is ErrorCode.UNAUTHORIZED:
                self.outbox.add(person_id, letter_id, self._stores.get(letter_id, ""))
            raise

    # -- the account's rules, over Brieventafel's marked extensions (docs/server.md) ------
    # The server's box decides; a refusal comes back as problem+json with the
    # same code (MailboxError). Every answer is read at the edge (parse_*).
    def _account(
        self, method: str, path: str, person_id: str, parse: Any, what: str, body: Any = None
    ) -> Any:
        answer = self._http.call(method, "/account" + path, headers=self._for(person_id), body=body)
        try:
            return parse(answer)
        except BadRecord as error:
            field = error.field
        raise MailboxError(ErrorCode.BAD_ANSWER, f"{what}: field {field}")

    @staticmethod
    def _segment(org_id: str) -> str:
        """An organisation id as one path segment, never a way to another path: an
        id that is not one (a slash, a dot-dot, a space) is not sent at all."""
        if not isinstance(org_id, str) or not _ORG_ID.fullmatch(org_id) or set(org_id) == {"."}:
            raise MailboxError(ErrorCode.UNKNOWN_ORGANISATION, "not an organisation id")
        return org_id

    def set_tick(self, person_id: str, org_id: str, ticked: bool) -> TickChange:
        """PUT: it sets the tick, so sending it twice does what once does."""
        path = f"/vinkjes/{self._segment(org_id)}"
        body = {"aangevinkt": bool(ticked)}
        return self._account("PUT", path, person_id, parse_tick_change, "vinkje", body)

    def tick_history(self, person_id: str) -> list[TickChange]:
        def parse(answer: object) -> list[TickChange]:
            return parse_list(answer, parse_tick_change, "historie")

        return self._account("GET", "/vinkjes/_historie", person_id, parse, "historie")

    def _paper_list(self, method: str, path: str, person_id: str) -> list[PaperRequest]:
        def parse(answer: object) -> list[PaperRequest]:
            return parse_list(answer, parse_paper_request, "papier")

        return self._account(method, path, person_id, parse, "papier")

    def request_paper(self, person_id: str, org_id: str) -> PaperRequest:
        path = f"/papier/{self._segment(org_id)}"
        return self._account("POST", path, person_id, parse_paper_request, "papier")

    def request_paper_all(self, person_id: str) -> list[PaperRequest]:
        return self._paper_list("POST", "/papier/_alles", person_id)

    def paper_offer(self, person_id: str) -> list[PaperRequest]:
        return self._paper_list("GET", "/papier/_aanbod", person_id)

    def paper_requests(self, person_id: str) -> list[PaperRequest]:
        return self._paper_list("GET", "/papier", person_id)

    def set_paper_request_state(self, person_id: str, org_id: str, state: str) -> PaperRequest:
        """PUT: it sets the state. A state the wire has no word for is "bad-state",
        as the box says it, without asking the server."""
        wire = PAPER_STATE_WIRE.get(state) if isinstance(state, str) else None
        if wire is None:
            raise MailboxError(ErrorCode.BAD_STATE, "unknown state")
        path = f"/papier/{self._segment(org_id)}"
        body = {"status": wire}
        return self._account("PUT", path, person_id, parse_paper_request, "papier", body)

    def activation_offer(self, person_id: str, org_ids: Iterable[str]) -> ActivationOffer:
        body = {"organisaties": [org_ids] if isinstance(org_ids, str) else list(org_ids)}

        def parse(answer: object) -> ActivationOffer:
            return parse_activation_offer(answer, person_id)

        return self._account("POST", "/_activatieaanbod", person_id, parse, "aanbod", body)

    def activate(
        self, person_id: str, offer_token: str, org_ids: Iterable[str], *, confirmed: bool = False
    ) -> AccountStatus:
        """POST, sent once: an answer lost on the way is never sent again (asking
        again is the person's choice, and then "already-active" says it worked)."""
        body = {
            "aanbodToken": offer_token if isinstance(offer_token, str) else "",
            "organisaties": [org_ids] if isinstance(org_ids, str) else list(org_ids),
            "bevestigd": confirmed is True,
        }

        def parse(answer: object) -> AccountStatus:
            return parse_account(answer, person_id)

        return self._account("POST", "/_activeren", person_id, parse, "account", body)

    def new_organisations(self, person_id: str) -> list[Organisation]:
        def parse(answer: object) -> list[Organisation]:
            return parse_list(answer, parse_organisation, "nieuwe-organisaties")

        return self._account("GET", "/nieuwe-organisaties", person_id, parse, "nieuw")

    def answer_new_organisation(
        self, person_id: str, org_id: str, ticked: bool = False
    ) -> TickChange:
        path = f"/nieuwe-organisaties/{self._segment(org_id)}"
        body = {"aangevinkt": ticked is True}
        return self._account("POST", path, person_id, parse_tick_change, "antwoord", body)

    def close(self) -> None:
        self._http.close()


__all__ = [
    "MAX_BODY",
    "Outbox",
    "RemoteMailbox",
    "login",
    "logout",
    "make_cursor",
    "parse_activation_offer",
    "parse_cursor",
    "parse_delivery_log",
    "parse_letter",
    "parse_page",
    "parse_paper_contact",
    "parse_paper_request",
    "parse_tick_change",
    "retry_after_seconds",
]
