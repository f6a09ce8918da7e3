"""The sender is told: a CloudEvent (1.0, JSON, structured mode) on the
organisation's own webhook, signed, sent from an outbox with back-off.

Each event is made once (its id is a UUID of the kind and the letter), put in
the outbox in its own transaction, and sent from there: a webhook that is down,
slow or answers 500 is tried again later (:data:`BACKOFF`), a kill loses
nothing, and an event that was sent is never sent again.

The body names the letter by its FBS ``berichtId`` (the sender knows whose it
is); no BSN, name, address or text. The signature is HMAC-SHA256 over the body
exactly as sent, with the webhook's secret, in the header
``Brieventafel-Signature: sha256=<hex>``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from .. import fbs
from . import rules as r

SIGNATURE_HEADER = "Brieventafel-Signature"
CONTENT_TYPE = "application/cloudevents+json; charset=utf-8"
SOURCE = "urn:brieventafel:berichtenbox"
#: The kinds of event, by the rule that finds them.
TYPES = {
    r.UNREAD: "nl.brieventafel.bericht.niet-gelezen",
    r.UNDELIVERABLE: "nl.brieventafel.notificatie.onbestelbaar",
}
#: Waits before the 2nd, 3rd ... try; after the last, the event is ``failed``.
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=12),
)
TIMEOUT_S = 10.0
_NAMESPACE = uuid.UUID("5b7f2a3e-1c7e-4d8e-9a57-0c3f6f1e2d17")


def event_id(kind: str, letter_id: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{kind}:{letter_id}"))


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, header: str) -> bool:
    """What a receiver does (documented in docs/operator.md)."""
    return hmac.compare_digest(sign(secret, body), header or "")


def cloud_event(
    finding: r.Finding, received: date | None, today: date, now: datetime, days: int
) -> dict[str, Any]:
    bericht_id = fbs.fbs_id(finding.letter_id)
    if finding.rule == r.UNREAD:
        what = f"bericht niet gelezen na {days} dagen"
    else:
        what = "notificatie onbestelbaar"
    data: dict[str, Any] = {
        "berichtId": bericht_id,
        "gebeurtenis": what,
        "vastgesteldOp": today.isoformat(),
    }
    if received is not None:
        data["ontvangenOp"] = received.isoformat()
        data["dagenOngelezen"] = (today - received).days
    return {
        "specversion": "1.0",
        "id": event_id(finding.rule, finding.letter_id),
        "source": SOURCE,
        "type": TYPES[finding.rule],
        "subject": bericht_id,
        "time": now.astimezone(UTC).isoformat(),
        "datacontenttype": "application/json",
        "data": data,
    }


@dataclass(frozen=True)
class Sent:
    event_id: str
    org_id: str
    kind: str
    state: str  # sent, pending (tried again later), failed
    status: str  # the HTTP status, or what went wrong (no text of the answer)
    attempts: int


def queue(
    store: Any,
    found: Iterable[r.Finding],
    received: dict[str, date],
    today: date,
    now: datetime,
    days: int = r.UNREAD_DAYS,
) -> list[str]:
    """Every letter finding of a kind in :data:`TYPES` into the outbox once;
    the ids of the events new now."""
    hooks = store.webhooks()
    new = []
    for f in found:
        if f.rule not in TYPES or not f.letter_id:
            continue
        event = cloud_event(f, received.get(f.letter_id), today, now, days)
        body = json.dumps(event, ensure_ascii=False, separators=(",", ":"))
        state = "pending" if f.org_id in hooks else "no-webhook"
        if store.queue_event(event["id"], f.org_id, f.letter_id, f.rule, body, now, state):
            new.append(event["id"])
    return new


def _post(url: str, body: bytes, signature: str, timeout: float) -> str:
    """One try: the status as text ("200"), or "timeout" / "unreachable"."""
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={"Content-Type": CONTENT_TYPE, SIGNATURE_HEADER: signature},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return str(answer.status)
    except urllib.error.HTTPError as error:
        return str(error.code)
    except TimeoutError:
        return "timeout"
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", None)
        return "timeout" if isinstance(reason, TimeoutError) else "unreachable"


def send_due(
    store: Any,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
    timeout: float = TIMEOUT_S,
) -> list[Sent]:
    """Send every event that is due, each once; a failure waits its back-off."""
    hooks = store.webhooks()
    done = []
    for row in store.due_events(now()):
        hook = hooks.get(row["org_id"])
        attempts = int(row["attempts"]) + 1
        if hook is None:
            status = "no-webhook"
        else:
            url, secret = hook
            body = row["body"].encode("utf-8")
            status = _post(url, body, sign(secret, body), timeout)
        if status.startswith("2") and len(status) == 3:
            state, next_at = "sent", now()
        elif attempts > len(BACKOFF):
            state, next_at = "failed", now()
        else:
            state, next_at = "pending", now() + BACKOFF[attempts - 1]
        store.event_tried(row["id"], state, attempts, next_at, status)
        done.append(Sent(row["id"], row["org_id"], row["kind"], state, status, attempts))
    return done
