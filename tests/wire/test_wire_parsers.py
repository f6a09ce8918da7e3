"""The client's parsers over anything a server could send: a Letter or a set-aside
record out, a MailboxError for a bad answer, never another exception."""

from __future__ import annotations

import contextlib
import json

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from app.mailbox import MailboxError
from app.mailbox.remote import (
    _json,
    _refusal,
    make_cursor,
    parse_account,
    parse_cursor,
    parse_letter,
    parse_organisation,
    parse_page,
    parse_person,
    retry_after_seconds,
    set_aside_for,
)
from app.model import Letter
from app.validate import BadRecord, SetAside

GOOD = {
    "berichtId": "0b6f6c8e-3f0e-5d0a-9d2a-5a1c2b3d4e5f",
    "onderwerp": "APK",
    "afzender": "RDW",
    "publicatietijdstip": "2026-11-20T00:00:00+01:00",
    "magazijnId": "00000099000000000003",
    "status": "ongelezen",
    "inhoud": "Tekst",
    "handelingsperspectief": "betalen",
    "einddatumHandelingstermijn": "2026-12-01",
    "bedragInCenten": 1250,
    "organisatie": "rdw",
    "bijlagen": [{"bijlageId": "b", "naam": "apk.pdf", "mimeType": "application/pdf"}],
}
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
MUTATED = st.builds(
    lambda changes, dropped: {
        **{k: v for k, v in GOOD.items() if k not in dropped},
        **changes,
    },
    st.dictionaries(st.sampled_from(sorted(GOOD)), JSON, max_size=4),
    st.sets(st.sampled_from(sorted(GOOD)), max_size=3),
)


def test_a_good_record_is_a_letter():
    letter = parse_letter(GOOD, "koen")
    assert letter.amount_cents == 1250 and letter.org_id == "rdw" and not letter.read
    assert letter.received.isoformat() == "2026-11-20"


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(MUTATED, JSON))
def test_any_record_is_a_letter_or_set_aside(record):
    try:
        letter = parse_letter(record, "koen")
    except BadRecord as error:
        aside = set_aside_for(record, error, 7)
        assert isinstance(aside, SetAside) and aside.where == "mailbox"
        assert aside.letter_id == "#7" or len(aside.letter_id) == 36
    else:
        assert isinstance(letter, Letter) and letter.recipient == "koen"


@settings(max_examples=80, deadline=None)
@given(JSON)
def test_other_records_never_raise_anything_but_bad_record(record):
    for parse in (parse_page, parse_organisation, parse_person, lambda r: parse_account(r, "k")):
        with contextlib.suppress(BadRecord):
            parse(record)


@settings(max_examples=80, deadline=None)
@given(st.binary(max_size=200) | JSON.map(lambda x: json.dumps(x).encode()), st.integers(300, 599))
def test_bodies_and_refusals_are_mailbox_errors(raw, status):
    with contextlib.suppress(MailboxError):
        _json(raw, "application/json")
    error = _refusal(status, raw, "application/problem+json", None)
    assert isinstance(error, MailboxError)


@given(st.text(max_size=60))
@example("²")  # a digit to str.isdigit, not to int(): found by hypothesis
def test_retry_after_and_cursor_take_any_text(value):
    wait = retry_after_seconds(value)
    assert wait is None or 0 <= wait <= 86_400
    assert parse_cursor(value) == [] or value.startswith("fbs1:")
    ids = parse_cursor(make_cursor([GOOD["berichtId"], value]))
    assert ids[0] == GOOD["berichtId"]


def test_retry_after_is_ascii_digits_or_an_http_date():
    """RFC 9110: delay-seconds is ASCII digits; other digits ("²", an Arabic-Indic
    three) are no number of seconds (and "²" made int() raise)."""
    assert retry_after_seconds(" 7 ") == 7.0
    assert retry_after_seconds("²") is None
    assert retry_after_seconds("\u0663") is None
