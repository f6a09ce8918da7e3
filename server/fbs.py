"""Letters of the practice box in FBS shape, and back.

FBS ids are UUIDs; practice letters have ids like ``koen-001``. A letter whose
id is a UUID keeps it; any other id gets a stable UUIDv5 (the same every
time, on every server), so ``berichtId`` never changes for a letter.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from app.mailbox.practice import store_id
from app.model import Action, Attachment, Letter

from . import BASE

_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://brieventafel.invalid/bericht")
_AMSTERDAM = ZoneInfo("Europe/Amsterdam")

ACTION_TO_FBS = {
    Action.PAY: "betalen",
    Action.RESPOND: "informatie verstrekken",
    Action.READ: "informatie ontvangen",
}
FBS_TO_ACTION = {v: k for k, v in ACTION_TO_FBS.items()}


def is_uuid(text: str) -> bool:
    try:
        return str(uuid.UUID(text)) == text.lower()
    except (ValueError, AttributeError, TypeError):
        return False


def fbs_id(local_id: str) -> str:
    """The FBS id (UUID) of a letter or attachment id."""
    return local_id.lower() if is_uuid(local_id) else str(uuid.uuid5(_NAMESPACE, local_id))


def published_at(day: date) -> str:
    """Midnight in the Netherlands on the day the letter came (the practice box keeps days)."""
    return datetime.combine(day, time(0), _AMSTERDAM).isoformat()


def magazijn(letter: Letter, oins: dict[str, str]) -> str:
    """FBS ``magazijnId``: the OIN of the sending organisation (or the practice
    store's name for one without an OIN)."""
    return oins.get(letter.org_id) or store_id(letter.org_id)


def _extensions(letter: Letter) -> dict:
    return {
        "handelingsperspectief": ACTION_TO_FBS[letter.action],
        "einddatumHandelingstermijn": letter.deadline.isoformat() if letter.deadline else None,
        "berichtType": letter.message_type
        if letter.message_type in ("notificatie", "betaalverzoek", "uitnodiging", "verzoek")
        else None,
        "referentie": letter.reference or None,
        "samenvatting": letter.summary or None,
        "watTeDoen": letter.what_to_do or None,
        "bedragInCenten": letter.amount_cents,
        "telefoon": letter.phone or None,
        "organisatie": letter.org_id,
    }


def summary(letter: Letter, oins: dict[str, str], folder: str) -> dict:
    bid = fbs_id(letter.id)
    return {
        "berichtId": bid,
        "onderwerp": letter.subject,
        "afzender": letter.sender,
        "publicatietijdstip": published_at(letter.received),
        "aantalBijlagen": len(letter.attachments),
        "map": folder,
        "status": "gelezen" if letter.read else "ongelezen",
        "magazijnId": magazijn(letter, oins),
        "_links": {"self": {"href": f"{BASE}/berichten/{bid}"}},
        **_extensions(letter),
    }


def attachment(letter_bid: str, item: Attachment) -> dict:
    aid = fbs_id(item.id)
    return {
        "bijlageId": aid,
        "naam": item.name,
        "mimeType": item.media_type,
        "grootteInBytes": item.size,
        "_links": {"self": {"href": f"{BASE}/berichten/{letter_bid}/bijlagen/{aid}"}},
    }


def with_content(letter: Letter, oins: dict[str, str], folder: str) -> dict:
    """A list item with what a client needs for the whole letter (``metInhoud=true``,
    Brieventafel's extension): the summary plus ``inhoud`` and ``bijlagen``."""
    record = summary(letter, oins, folder)
    record["inhoud"] = letter.body
    record["bijlagen"] = [attachment(record["berichtId"], a) for a in letter.attachments]
    return record


def detail(letter: Letter, oins: dict[str, str], folder: str) -> dict:
    record = summary(letter, oins, folder)
    del record["aantalBijlagen"]
    record["inhoud"] = letter.body
    record["bijlagen"] = [attachment(record["berichtId"], a) for a in letter.attachments]
    return record


def practice_pdf() -> bytes:
    """A small, valid one-page PDF for a practice attachment that has no bytes
    (the practice box keeps what an attachment is, not its content)."""
    text = "Oefenbijlage van Brieventafel"
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
