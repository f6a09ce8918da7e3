"""The model's types a start on the table never makes: how an account stands
(asked of the mailbox after the first frame) and a letter's attachment.

Made when first asked for (``from app.model import AccountStatus`` works as
before): each frozen dataclass costs about 1 ms to make (issue 14).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app import validate as v


@dataclass(frozen=True)
class AccountStatus:
    """How an account stands. Reading it never changes it."""

    person_id: str
    active: bool
    activated_on: date | None
    ticked: frozenset[str] = frozenset()
    email: str | None = None
    repeat_reminder: bool = False


@dataclass(frozen=True)
class Attachment:
    """A file that came with a letter (FBS ``bijlage``). The content is fetched
    only when asked for; the letter carries what it is."""

    id: str
    name: str
    media_type: str = "application/pdf"
    size: int = 0

    @classmethod
    def from_record(cls, record: dict) -> Attachment:
        return cls(
            id=v.text(record, "id", required=True),
            name=v.text(record, "name", required=True),
            media_type=v.text(record, "media_type", default="application/pdf"),
            size=v.whole(record, "size"),
        )
