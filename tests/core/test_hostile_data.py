"""Damaged values in real store files: never a traceback, nothing personal told.

Each test makes a real practice mailbox and desk (SQLite files under
``tmp_path``), damages them with real bytes or values (through sqlite3, or by
writing bytes into the closed file), then opens a real ``Session.open_practice``
on them. What must hold: no exception; the good letters on the table; the
damaged letter set aside and named (by its id in ``Session.set_aside``, by its
sender in the notice); nothing personal in the notice text, in an error, or in
any log record.
"""

from __future__ import annotations

import json
import logging
import shutil
import sqlite3
from pathlib import Path

import pytest

from app.desk import FILE_NAME as DESK_FILE
from app.mailbox import ErrorCode, MailboxError
from app.mailbox.practice import load_practice_data
from app.session import PRACTICE_FOLDER, Session
from app.validate import BadRecord, LetterNotice, unreadable_letters_text

DATA = load_practice_data()
KOEN = next(p for p in DATA["people"] if p["id"] == "koen")
CORRY = next(p for p in DATA["people"] if p["id"] == "corry")
KOEN_LETTERS = {item["id"] for item in DATA["letters"] if item["recipient"] == "koen"}
BAD = "koen-001"  # CJIB, a fine to pay: on the table from the start
BAD_ITEM = next(item for item in DATA["letters"] if item["id"] == BAD)
#: What may never appear in a notice, an error or a log record.
PERSONAL = [
    KOEN["name"],
    KOEN["bsn"],
    KOEN["address"][0],
    KOEN["email"],
    CORRY["name"],
    CORRY["bsn"],
    BAD_ITEM["subject"],
    BAD_ITEM["reference"],
]


def practice_file(data_dir: Path) -> Path:
    return data_dir / PRACTICE_FOLDER / "practice.sqlite3"


def desk_file(data_dir: Path) -> Path:
    return data_dir / PRACTICE_FOLDER / DESK_FILE


_MADE: dict[tuple[object, bool], Path] = {}


def make(data_dir: Path, today, *, sync: bool) -> None:
    """Real files: the practice mailbox, and (with ``sync``) a desk filled from it.

    Made once per day and kind, then copied (closed files: the copy is the file)."""
    key = (today(), sync)
    if key not in _MADE or not _MADE[key].exists():
        import tempfile

        made = Path(tempfile.mkdtemp(prefix="hostile-template-")) / "data"
        Session.open_practice(made, today=today, sync=sync).close()
        _MADE[key] = made
    shutil.copytree(_MADE[key], data_dir)


@pytest.fixture(scope="module", autouse=True)
def _templates():
    yield
    for made in _MADE.values():
        shutil.rmtree(made.parent, ignore_errors=True)
    _MADE.clear()


def change(path: Path, sql: str, args: tuple = ()) -> None:
    """Damage a closed store through sqlite3, as another program would."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute(sql, args)
    finally:
        conn.close()


def overwrite_bytes(path: Path, old: bytes, new: bytes) -> None:
    """Write bytes straight into the closed file (what a bad disk or tool does)."""
    assert not path.with_name(path.name + "-wal").exists()  # closed: all in the file
    raw = path.read_bytes()
    assert raw.count(old) >= 1
    path.write_bytes(raw.replace(old, new))


def assert_nothing_personal(texts: list[str], extra: tuple[str, ...] = ()) -> None:
    for text in texts:
        for secret in [*PERSONAL, *extra]:
            assert secret not in text, (secret, text)


def log_texts(caplog) -> list[str]:
    texts = []
    for record in caplog.records:
        texts.append(record.getMessage())
        if record.exc_text:
            texts.append(record.exc_text)
    return texts


def assert_set_aside(session: Session, caplog, *, senders=("CJIB",), extra=()) -> None:
    """The damaged letter is set aside and named; every other letter is shown."""
    assert {letter.id for letter in session.table()} == KOEN_LETTERS - {BAD}
    assert [s.letter_id for s in session.set_aside] == [BAD]
    notice = session.letter_notice()
    assert notice == LetterNotice("unreadable-letters", 1, tuple(senders))
    text = unreadable_letters_text(notice)
    for sender in senders:
        assert sender in text
    assert_nothing_personal([text, *log_texts(caplog)], extra)
    assert any(BAD in t for t in log_texts(caplog))  # developers learn which letter


@pytest.fixture(autouse=True)
def all_logs(caplog):
    caplog.set_level(logging.DEBUG)
    return caplog


# -- values in a practice letter row, before it ever reached the desk --------------
@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("deadline", "2026-02-30"),
        ("deadline", "morgen"),
        ("deadline", "31-12-2026"),
        ("deadline", "20261231"),  # date.fromisoformat takes it; the model does not
        ("received", ""),
        ("received", 20261231),
        ("action", "betaal"),
        ("amount_cents", "12,50"),
        ("amount_cents", 12.5),
        ("attachments", "[{"),
        ("attachments", '[{"id": 5}]'),
    ],
)
def test_a_bad_value_in_a_practice_letter_sets_that_letter_aside(
    data_dir, today, caplog, column, value
):
    make(data_dir, today, sync=False)
    change(practice_file(data_dir), f"UPDATE letters SET {column} = ? WHERE id = ?", (value, BAD))
    session = Session.open_practice(data_dir, today=today)
    try:
        assert session.sync_error is None
        assert_set_aside(session, caplog, extra=(str(value),) if len(str(value)) > 3 else ())
    finally:
        session.close()


def test_invalid_utf8_in_a_practice_letter_sets_it_aside(data_dir, today, caplog):
    make(data_dir, today, sync=False)
    # The subject's first letter becomes a byte that is no UTF-8 at all.
    raw = BAD_ITEM["subject"].encode("utf-8")
    change(
        practice_file(data_dir),
        "UPDATE letters SET subject = CAST(? AS TEXT) WHERE id = ?",
        (b"\xff" + raw[1:], BAD),
    )
    session = Session.open_practice(data_dir, today=today)
    try:
        assert session.sync_error is None
        # sqlite3's own error quotes the whole text: it must not reach a log.
        assert_set_aside(session, caplog, extra=(BAD_ITEM["subject"][1:],))
    finally:
        session.close()


def test_the_set_aside_letter_comes_when_its_row_is_mended(data_dir, today, caplog):
    """Set aside is not forgotten: the next sync asks for it again."""
    make(data_dir, today, sync=False)
    change(practice_file(data_dir), "UPDATE letters SET action = 'betaal' WHERE id = ?", (BAD,))
    session = Session.open_practice(data_dir, today=today)
    session.close()
    change(practice_file(data_dir), "UPDATE letters SET action = 'betalen' WHERE id = ?", (BAD,))
    session = Session.open_practice(data_dir, today=today)
    try:
        assert {letter.id for letter in session.table()} == KOEN_LETTERS
        assert session.set_aside == [] and session.letter_notice() is None
    finally:
        session.close()


def test_a_lone_surrogate_in_a_practice_letter_is_replaced_not_a_crash(data_dir, today, caplog):
    make(data_dir, today, sync=False)
    # JSON may escape half of a surrogate pair; json.loads gives a str that
    # SQLite cannot store (UnicodeEncodeError).
    change(
        practice_file(data_dir),
        "UPDATE letters SET attachments = ? WHERE id = ?",
        ('[{"id": "b1", "name": "Bijlage \\ud800.pdf", "size": 10}]', BAD),
    )
    session = Session.open_practice(data_dir, today=today)
    try:
        assert session.sync_error is None
        assert {letter.id for letter in session.table()} == KOEN_LETTERS
        letter = session.open_letter(BAD)
        assert letter.attachments[0].name == "Bijlage \ufffd.pdf"
        assert session.letter_notice() is None
    finally:
        session.close()


def test_a_delivered_letter_with_a_lone_surrogate_is_stored_cleaned(data_dir, today):
    session = Session.open_practice(data_dir, today=today)
    try:
        item = dict(BAD_ITEM, id="koen-900", subject="Aanmaning \udc80 betalen")
        session.mailbox.deliver(item)  # type: ignore[attr-defined]
        assert session.sync() == 1
        assert session.letter("koen-900").subject == "Aanmaning \ufffd betalen"
    finally:
        session.close()


def test_a_bad_practice_row_of_a_letter_already_on_the_desk_opens_fine(data_dir, today, caplog):
    """Opening tells the mailbox; a row it cannot read there is no traceback."""
    make(data_dir, today, sync=True)
    change(
        practice_file(data_dir), "UPDATE letters SET amount_cents = '12,50' WHERE id = ?", (BAD,)
    )
    session = Session.open_practice(data_dir, today=today)
    try:
        letter = session.open_letter(BAD)
        assert letter.read and letter.amount_cents == BAD_ITEM["amount_cents"]
        with pytest.raises(MailboxError) as error:
            session.mailbox.letter("koen", BAD)
        assert error.value.code is ErrorCode.BAD_ANSWER
        assert "12,50" not in str(error.value)
    finally:
        session.close()


# -- one bad byte in a desk row ------------------------------------------------------
def damage_desk_json(data_dir: Path) -> None:
    """One byte: the ':' after "recipient" becomes ';' (JSONDecodeError)."""
    overwrite_bytes(
        desk_file(data_dir),
        b'"' + BAD.encode() + b'", "recipient":',
        b'"' + BAD.encode() + b'", "recipient";',
    )


def damage_desk_utf8(data_dir: Path) -> None:
    """One byte of the reference becomes 0xFF (sqlite3: Could not decode to UTF-8)."""
    reference = BAD_ITEM["reference"].encode()
    overwrite_bytes(desk_file(data_dir), reference, b"\xff" + reference[1:])


def damage_desk_amount(data_dir: Path) -> None:
    """The amount stored as text (TypeError when the letter is shown)."""
    change(
        desk_file(data_dir),
        "UPDATE letters SET data = json_set(data, '$.amount_cents', '12,50') WHERE id = ?",
        (BAD,),
    )


def damage_desk_action(data_dir: Path) -> None:
    change(
        desk_file(data_dir),
        "UPDATE letters SET data = json_set(data, '$.action', 'betaal') WHERE id = ?",
        (BAD,),
    )


def damage_desk_deadline(data_dir: Path) -> None:
    change(
        desk_file(data_dir),
        "UPDATE letters SET data = json_set(data, '$.deadline', '2026-02-30') WHERE id = ?",
        (BAD,),
    )


DESK_DAMAGE = [
    damage_desk_json,
    damage_desk_utf8,
    damage_desk_amount,
    damage_desk_action,
    damage_desk_deadline,
]


@pytest.mark.parametrize("damage", DESK_DAMAGE, ids=lambda f: f.__name__)
def test_a_damaged_desk_row_is_set_aside_when_the_mailbox_lost_it(data_dir, today, caplog, damage):
    make(data_dir, today, sync=True)
    damage(data_dir)
    # The mailbox no longer has the letter (a remote box may forget old post).
    change(practice_file(data_dir), "DELETE FROM letters WHERE id = ?", (BAD,))
    session = Session.open_practice(data_dir, today=today)
    try:
        assert session.sync_error is None
        # The sender is named when what is left of the row still says it.
        senders = () if damage is damage_desk_json else ("CJIB",)
        assert_set_aside(session, caplog, senders=senders)
        with pytest.raises(KeyError):
            session.letter(BAD)
        assert session.folders() == []
    finally:
        session.close()


@pytest.mark.parametrize("damage", DESK_DAMAGE, ids=lambda f: f.__name__)
def test_a_damaged_desk_row_is_mended_from_the_mailbox_in_its_place(
    data_dir, today, caplog, damage
):
    session = Session.open_practice(data_dir, today=today)
    session.put_away(BAD)  # in the CJIB folder: it must stay there
    session.close()
    damage(data_dir)
    session = Session.open_practice(data_dir, today=today)
    try:
        assert session.sync_error is None
        assert {letter.id for letter in session.table()} == KOEN_LETTERS - {BAD}
        assert [l.id for f in session.folders() for l in f.letters] == [BAD]
        assert session.letter(BAD).amount_cents == BAD_ITEM["amount_cents"]
        assert session.set_aside == [] and session.letter_notice() is None
        assert_nothing_personal(log_texts(caplog))
    finally:
        session.close()


def test_a_lone_surrogate_in_a_desk_row_is_replaced(data_dir, today, caplog):
    make(data_dir, today, sync=True)
    change(
        desk_file(data_dir),
        "UPDATE letters SET data = replace(data, 'Beschikking', 'Besch\\udc80ikking') WHERE id = ?",
        (BAD,),
    )
    session = Session.open_practice(data_dir, today=today)
    try:
        letter = session.letter(BAD)
        assert "\udc80" not in letter.subject and "Besch\ufffdikking" in letter.subject
        session.desk.receive("koen", [letter], session.desk.cursor("koen") or "0")
        assert session.letter_notice() is None
    finally:
        session.close()


# -- a bad practice people row --------------------------------------------------------
def damage_corry_json(data_dir: Path) -> None:
    change(
        practice_file(data_dir),
        "UPDATE people SET data = replace(data, '\"name\":', '\"name\";') WHERE id = 'corry'",
    )


def damage_corry_utf8(data_dir: Path) -> None:
    name = CORRY["name"].encode()
    overwrite_bytes(practice_file(data_dir), name, b"\xff" + name[1:])


@pytest.mark.parametrize("damage", [damage_corry_json, damage_corry_utf8], ids=lambda f: f.__name__)
def test_a_bad_people_row_leaves_the_others_working(data_dir, today, caplog, damage):
    make(data_dir, today, sync=False)
    damage(data_dir)
    session = Session.open_practice(data_dir, today=today)
    try:
        assert {letter.id for letter in session.table()} == KOEN_LETTERS
        people = session.mailbox.practice_people()  # type: ignore[attr-defined]
        assert [p.id for p in people] == ["koen", "kees", "lisa"]
    finally:
        session.close()
    with pytest.raises(MailboxError) as error:
        Session.open_practice(data_dir, person_id="corry", today=today)
    assert error.value.code is ErrorCode.BAD_ANSWER
    assert_nothing_personal([str(error.value), *log_texts(caplog)])
    # Nothing was left open: the next start works.
    Session.open_practice(data_dir, person_id="kees", today=today).close()


# -- any failure of a sync is kept, never raised ---------------------------------------
def test_a_locked_desk_during_sync_is_a_sync_error_not_a_traceback(data_dir, today):
    """A real second connection holds the desk's write lock while the session syncs."""
    make(data_dir, today, sync=False)
    session = Session.open_practice(data_dir, today=today, sync=False)
    session.desk.conn.execute("PRAGMA busy_timeout = 50")
    holder = sqlite3.connect(desk_file(data_dir), isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        assert session.sync() == 0
        assert session.sync_error is not None
        assert session.sync_error.code is ErrorCode.STORAGE_FAILED
        holder.execute("ROLLBACK")
        assert session.sync() == len(KOEN_LETTERS)
        assert session.sync_error is None
    finally:
        holder.close()
        session.close()


def test_a_store_error_in_the_mailbox_during_sync_is_kept_not_raised(data_dir, today, caplog):
    """Another program takes the practice letters away while the app runs: a real
    sqlite3 error (no MailboxError) inside the mailbox. It is kept, never raised."""
    make(data_dir, today, sync=False)
    session = Session.open_practice(data_dir, today=today, sync=False)
    try:
        change(practice_file(data_dir), "ALTER TABLE letters RENAME TO letters_elsewhere")
        assert session.sync() == 0
        assert session.sync_error is not None
        assert session.sync_error.code is ErrorCode.STORAGE_FAILED
        assert session.table() == []
        assert_nothing_personal([str(session.sync_error), *log_texts(caplog)])
        assert any("OperationalError" in t for t in log_texts(caplog))
    finally:
        session.close()


def test_several_letters_set_aside_are_told_once_with_each_sender(data_dir, today, caplog):
    make(data_dir, today, sync=False)
    for letter_id, value in (("koen-001", "morgen"), ("koen-003", "31-12-2026"), ("koen-014", "")):
        change(
            practice_file(data_dir),
            "UPDATE letters SET deadline = ?, received = ? WHERE id = ?",
            (value, value or "", letter_id),
        )
    session = Session.open_practice(data_dir, today=today)
    try:
        assert {letter.id for letter in session.table()} == KOEN_LETTERS - {
            "koen-001",
            "koen-003",
            "koen-014",
        }
        notice = session.letter_notice()
        assert notice == LetterNotice("unreadable-letters", 3, ("CJIB", "RDW"))
        text = unreadable_letters_text(notice)
        assert text.startswith("Wij kunnen 3 brieven van CJIB en RDW niet lezen.")
        assert_nothing_personal([text, *log_texts(caplog)])
    finally:
        session.close()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("received", "2026-02-30"),
        ("deadline", "morgen"),
        ("action", "betaal"),
        ("amount_cents", "12,50"),
        ("amount_cents", True),
        ("subject", ["Koen de Vries"]),
        ("attachments", [{"id": "b1", "name": "Koen de Vries.pdf", "size": "groot"}]),
    ],
)
def test_bad_record_names_the_field_never_the_value(field, value):
    """The error, and every error it chains, says which field, never what was in it."""
    from app.model import Letter

    good = {
        "id": "x-1",
        "recipient": "koen",
        "org_id": "cjib",
        "sender": "CJIB",
        "subject": "Aanmaning",
        "summary": "",
        "body": "",
        "action": "betalen",
        "received": "2026-11-01",
        "deadline": "2026-12-01",
        "amount_cents": 1250,
    }
    assert Letter.from_record(good).amount_cents == 1250
    with pytest.raises(BadRecord) as error:
        Letter.from_record(json.loads(json.dumps(dict(good, **{field: value}))))
    assert (error.value.field, error.value.record_id) == (field, "x-1")
    chained: BaseException | None = error.value
    while chained is not None:
        assert str(value) not in str(chained) and "Koen" not in str(chained)
        assert chained is error.value or isinstance(chained, BadRecord)
        chained = chained.__cause__ or chained.__context__
