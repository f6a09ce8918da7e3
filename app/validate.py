"""Values from outside, checked once at the edge before they enter the model.

A store file, a mailbox answer or a practice row can hold anything: a date
``morgen``, an amount ``'12,50'``, half a surrogate pair, bytes that are no
UTF-8. The parsers here turn such a value into the model's type or raise one
:class:`BadRecord` that names the field, never the value (values hold names,
BSNs and letter text, and errors end up in logs). Text that cannot be stored
(a lone surrogate) is cleaned to U+FFFD instead of refused.

A letter that cannot be read is set aside (:class:`SetAside`, by id) and the
person is told with :class:`LetterNotice`; :func:`unreadable_letters_text`
words it.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, TypeVar

from app.i18n import ngettext
from app.lazy import names as lazy_names

if TYPE_CHECKING:
    from app.set_aside import SetAside as SetAside


# made when first asked for (app/set_aside.py): a start never sets a letter aside
__getattr__ = lazy_names(__name__, {"SetAside": "app.set_aside"})


_SURROGATE = re.compile("[\ud800-\udfff]")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
E = TypeVar("E", bound=enum.Enum)


class BadRecord(ValueError):
    """A record from outside that cannot become a model value.

    ``field`` names what was wrong and ``record_id`` which record (ids are no
    personal data); the value itself is never kept or shown. It is raised
    outside any ``except`` block, so it chains no error that quotes the value
    (``ValueError: Invalid isoformat string: '...'``).
    """

    def __init__(self, field: str, record_id: str | None = None):
        self.field = field
        self.record_id = record_id
        where = f" {record_id}" if record_id else ""
        super().__init__(f"unreadable record{where}: field {field}")


R = TypeVar("R")


def checked(kind: str, record: object, build: Callable[[str, dict], R]) -> R:
    """``build(record_id, record)`` for a record of this ``kind``; any
    :class:`BadRecord` it raises comes out naming this record's id. Raised
    outside the ``except`` block, so no error quoting a value is chained."""
    if not isinstance(record, dict):
        raise BadRecord(kind)
    record_id = text(record, "id", required=True)
    try:
        return build(record_id, record)
    except BadRecord as error:
        field = error.field
    raise BadRecord(field, record_id)


def clean_text(value: str) -> str:
    """The text with every lone surrogate replaced by U+FFFD, so it can be stored.

    Called for every text field of every letter the table reads: plain ASCII, and
    text without a surrogate, come back as they are without building a new string."""
    if value.isascii() or _SURROGATE.search(value) is None:
        return value
    return _SURROGATE.sub("\ufffd", value)


def decode(raw: object, field: str) -> object:
    """A value read with ``CAST(... AS BLOB)`` (so sqlite3 never decodes it, and
    never quotes it in an error): bytes become strict UTF-8 text."""
    if not isinstance(raw, bytes):
        return raw
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    raise BadRecord(field)


def text(record: dict, field: str, *, required: bool = False, default: str = "") -> str:
    """A text field; ``required`` ones must be there and not empty."""
    value = record.get(field)
    if value is None and not required:
        return default
    if not isinstance(value, str) or (required and not value.strip()):
        raise BadRecord(field)
    return clean_text(value)


def optional_text(record: dict, field: str) -> str | None:
    return None if record.get(field) is None else text(record, field)


def iso_date(record: dict, field: str, *, required: bool = False) -> date | None:
    """``YYYY-MM-DD`` and a real day, nothing else (no ``20261231``, no ``morgen``).
    Missing or empty is None, unless ``required``."""
    value = record.get(field)
    if value is None or value == "":
        if required:
            raise BadRecord(field)
        return None
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass  # 2026-02-30
    raise BadRecord(field)


def choice(record: dict, field: str, kind: type[E]) -> E:
    """One of the values of the string enum ``kind``."""
    value = record.get(field)
    for member in kind:
        if isinstance(value, str) and member.value == value:
            return member
    raise BadRecord(field)


def required_date(record: dict, field: str) -> date:
    day = iso_date(record, field, required=True)
    assert day is not None
    return day


def cents(record: dict, field: str) -> int | None:
    """An amount in whole cents (an int, never text, a float or a bool), or None."""
    value = record.get(field)
    if value is None:
        return None
    if type(value) is not int:
        raise BadRecord(field)
    return value


def whole(record: dict, field: str, default: int = 0) -> int:
    value = record.get(field, default)
    if type(value) is not int or value < 0:
        raise BadRecord(field)
    return value


def flag(record: dict, field: str) -> bool:
    """A yes/no: a bool, or 0 / 1 as SQLite keeps it."""
    value = record.get(field, False)
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if type(value) is int and value in (0, 1):
        return bool(value)
    raise BadRecord(field)


def texts(record: dict, field: str) -> tuple[str, ...]:
    """A list of text lines (an address)."""
    value = record.get(field)
    if value is None:
        return ()
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise BadRecord(field)
    return tuple(clean_text(v) for v in value)


def sources(record: dict, field: str) -> dict[str, str] | None:
    """Where facts come from: field name -> an https address; None when absent."""
    value = record.get(field)
    if value is None:
        return None
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(u, str) and u.startswith("https://")
        for k, u in value.items()
    ):
        raise BadRecord(field)
    return {k: clean_text(u) for k, u in value.items()}


def records(record: dict, field: str) -> list[dict]:
    """A list of records (attachments)."""
    value = record.get(field)
    if value is None:
        return []
    if not isinstance(value, list | tuple) or not all(isinstance(v, dict) for v in value):
        raise BadRecord(field)
    return list(value)


# -- letters set aside, and what the person is told -------------------------------
@dataclass(frozen=True)
class LetterNotice:
    """Something to tell the person about their letters, in the ``Notice`` manner.

    kind "unreadable-letters": ``count`` letters could not be read and were
    set aside; ``senders`` are the organisations' names where known.
    """

    kind: str
    count: int
    senders: tuple[str, ...] = ()


def _names(names: tuple[str, ...]) -> str:
    """The names as a list in words (CJIB, RDW en UWV), in the language in use."""
    from babel.lists import format_list

    from app.i18n import locale

    return format_list(list(names), locale=locale())


def unreadable_letters_text(notice: LetterNotice) -> str:
    """The notice in plain words: what happened, that nothing is lost, what to do."""
    if notice.senders:
        first = ngettext(
            "Wij kunnen %(count)d brief van %(sender)s niet lezen.",
            "Wij kunnen %(count)d brieven van %(sender)s niet lezen.",
            notice.count,
        ) % {"count": notice.count, "sender": _names(notice.senders)}
    else:
        first = ngettext(
            "Wij kunnen %(count)d brief niet lezen.",
            "Wij kunnen %(count)d brieven niet lezen.",
            notice.count,
        ) % {"count": notice.count}
    rest = ngettext(
        "Die brief is beschadigd. Wij hebben hem apart gelegd en niets weggegooid. "
        "Uw andere brieven liggen gewoon op tafel. "
        "Heeft u die brief nodig? Vraag dan iemand om hulp.",
        "Die brieven zijn beschadigd. Wij hebben ze apart gelegd en niets weggegooid. "
        "Uw andere brieven liggen gewoon op tafel. "
        "Heeft u die brieven nodig? Vraag dan iemand om hulp.",
        notice.count,
    )
    return f"{first} {rest}"


__all__ = [
    "BadRecord",
    "LetterNotice",
    "SetAside",
    "clean_text",
    "decode",
    "unreadable_letters_text",
]
