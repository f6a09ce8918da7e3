"""The desk: letters stay on the table until the person puts them away."""

import sqlite3
import subprocess
import sys
import textwrap
from datetime import date, timedelta

import pytest

from app.desk import SCHEMA_VERSION, Desk
from app.mailbox.practice import PracticeMailbox, load_practice_data
from app.model import Urgency, urgency
from app.session import Session


def test_practice_data_is_rich_enough():
    data = load_practice_data()
    koen = [l for l in data["letters"] if l["recipient"] == "koen"]
    assert len(koen) >= 20
    assert len({l["org"] for l in koen}) >= 8
    orgs = {o["id"] for o in data["organisations"]}
    assert {
        "rdw",
        "cjib",
        "belastingdienst",
        "toeslagen",
        "gemeente",
        "svb",
        "uwv",
        "duo",
        "pensioenfonds",
    } <= orgs
    for letter in data["letters"]:
        assert letter["org"] in orgs
        for key in ("subject", "summary", "action", "reference", "body", "what_to_do"):
            assert letter[key], (letter["id"], key)
        if letter["action"] == "betalen":
            assert letter["amount_cents"] and letter["deadline_in_days"] is not None
    fixed = [o["id"] for o in data["organisations"] if o.get("fixed_by_law")]
    assert fixed == ["belastingdienst"]


def test_table_is_ordered_by_what_needs_doing_first(session):
    letters = session.table()
    today = session.today()
    levels = [urgency(l, today) for l in letters]
    assert levels == sorted(levels)
    assert levels[0] is Urgency.OVERDUE
    assert Urgency.SOON in levels and Urgency.NEW in levels and Urgency.REST in levels
    soon = [l.deadline for l in letters if urgency(l, today) is Urgency.SOON]
    assert soon == sorted(soon)


def test_reading_and_time_never_take_a_letter_off_the_table(data_dir, today):
    s = Session.open_practice(data_dir, today=today)
    before = {l.id for l in s.table()}
    for letter_id in before:
        s.open_letter(letter_id)
    s.close()
    later = Session.open_practice(data_dir, today=lambda: today() + timedelta(days=400))
    try:
        assert {l.id for l in later.table()} == before
        assert all(l.read for l in later.table())
    finally:
        later.close()


def test_put_away_undo_and_lay_back(session):
    first = session.table()[0]
    action = session.put_away(first.id)
    assert first.id not in {l.id for l in session.table()}
    folders = session.folders()
    assert [(f.org_id, [l.id for l in f.letters]) for f in folders] == [(first.org_id, [first.id])]
    assert session.undo(action) == first.id
    assert session.table()[0].id == first.id
    assert session.undo() is None  # nothing left to undo
    session.put_away(first.id)
    session.lay_back(first.id)
    assert session.folders() == []
    assert first.id in {l.id for l in session.table()}


def test_folders_are_per_organisation_and_year(session):
    for letter in session.table():
        session.put_away(letter.id)
    folders = session.folders()
    assert len({f.org_id for f in folders}) >= 8
    for folder in folders:
        assert {l.org_id for l in folder.letters} == {folder.org_id}
        assert {l.received.year for l in folder.letters} == {folder.year}
    assert session.table() == []


def test_new_letters_arrive_and_known_letters_keep_their_place(session):
    kept = session.table()[0]
    session.put_away(kept.id)
    session.mailbox.deliver(
        {
            "id": "koen-new",
            "recipient": "koen",
            "org": "rdw",
            "subject": "Nieuw",
            "summary": "Een nieuwe brief.",
            "action": "lezen",
            "received_days_ago": 0,
            "deadline_in_days": None,
            "reference": "X1",
            "body": "Tekst",
            "what_to_do": "Niets.",
        }
    )
    assert session.sync() == 1
    ids = {l.id for l in session.table()}
    assert "koen-new" in ids and kept.id not in ids


def test_put_away_survives_a_kill(data_dir, today, tmp_path):
    """The process is killed right after put_away returns: the action is kept."""
    Session.open_practice(data_dir, today=today).close()
    script = textwrap.dedent(f"""
        import os, signal, sys
        sys.path.insert(0, {str(__import__("pathlib").Path(__file__).resolve().parents[2])!r})
        from datetime import date
        from app.session import Session
        s = Session.open_practice({str(data_dir)!r}, today=lambda: date(2026, 11, 28))
        first = s.table()[0]
        s.put_away(first.id)
        print(first.id, flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert run.returncode == -9
    gone = run.stdout.strip()
    s = Session.open_practice(data_dir, today=today)
    try:
        assert gone and gone not in {l.id for l in s.table()}
        assert any(gone in [l.id for l in f.letters] for f in s.folders())
    finally:
        s.close()


def test_mailbox_and_desk_folders_are_injectable(tmp_path, today):
    mailbox = PracticeMailbox(tmp_path / "a" / "p.sqlite3", today=today)
    desk = Desk(tmp_path / "b", today=today)
    try:
        batch = mailbox.letters("koen")
        assert desk.receive("koen", batch.letters, batch.cursor) >= 20
        assert (tmp_path / "b" / "desk.sqlite3").exists()
        assert mailbox.account_status("koen").active
    finally:
        desk.close()
        mailbox.close()


def test_dates_are_relative_to_the_day_the_box_is_made(tmp_path):
    mailbox = PracticeMailbox(tmp_path / "p.sqlite3", today=lambda: date(2030, 1, 15))
    try:
        letters = mailbox.letters("koen").letters
        assert max(l.received for l in letters) <= date(2030, 1, 15)
        assert "{deadline}" not in " ".join(l.body for l in letters)
    finally:
        mailbox.close()


# -- each person's desk is their own (issue 9) ----------------------------------------
def _fill(desk: Desk, mailbox: PracticeMailbox, person_id: str) -> list:
    batch = mailbox.letters(person_id)
    desk.receive(person_id, batch.letters, batch.cursor)
    return desk.table(person_id)


def test_undo_never_crosses_people(tmp_path, today):
    """Koen puts a letter away, then Corry does: Koen's undo still undoes Koen's
    own action, and Corry's undo can never lay Koen's letter back."""
    mailbox = PracticeMailbox(tmp_path / "p.sqlite3", today=today)
    desk = Desk(tmp_path / "desk", today=today)
    try:
        koen = _fill(desk, mailbox, "koen")[0]
        corry = _fill(desk, mailbox, "corry")[0]
        koen_action = desk.put_away("koen", koen.id)
        corry_action = desk.put_away("corry", corry.id)
        assert corry_action > koen_action  # Corry acted last on this desk
        assert desk.last_undoable("koen")[0] == koen_action
        assert desk.undo("corry", koen_action) is None  # not Corry's to undo
        assert not desk.is_on_table("koen", koen.id)
        assert desk.undo("koen") == koen.id  # Koen's own, though Corry acted after
        assert desk.is_on_table("koen", koen.id)
        assert not desk.is_on_table("corry", corry.id)
        assert desk.undo("koen") is None  # nothing of Koen's left
        assert desk.undo("corry") == corry.id
    finally:
        desk.close()
        mailbox.close()


def test_tables_folders_and_settings_are_per_person(tmp_path, today):
    mailbox = PracticeMailbox(tmp_path / "p.sqlite3", today=today)
    desk = Desk(tmp_path / "desk", today=today)
    try:
        koen = _fill(desk, mailbox, "koen")
        corry = _fill(desk, mailbox, "corry")
        assert {l.recipient for l in koen} == {"koen"}
        assert {l.recipient for l in corry} == {"corry"}
        desk.put_away("koen", koen[0].id)
        assert desk.folders("corry") == []
        with pytest.raises(KeyError):
            desk.letter("corry", koen[0].id)  # not Corry's letter
        with pytest.raises(KeyError):
            desk.put_away("corry", koen[1].id)
        desk.set_setting("koen", "text_scale", "200")
        assert desk.setting("koen", "text_scale") == "200"
        assert desk.setting("corry", "text_scale", "100") == "100"
    finally:
        desk.close()
        mailbox.close()


V1_SCHEMA = """
CREATE TABLE letters (id TEXT PRIMARY KEY, person_id TEXT NOT NULL, data TEXT NOT NULL,
    read INTEGER NOT NULL DEFAULT 0, on_table INTEGER NOT NULL DEFAULT 1, folder TEXT,
    put_away_at TEXT);
CREATE INDEX letters_table ON letters (person_id, on_table);
CREATE TABLE actions (id INTEGER PRIMARY KEY AUTOINCREMENT, letter_id TEXT NOT NULL,
    kind TEXT NOT NULL, at TEXT NOT NULL, undone INTEGER NOT NULL DEFAULT 0);
CREATE TABLE sync (person_id TEXT PRIMARY KEY, cursor TEXT NOT NULL);
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def test_a_version_1_desk_keeps_every_letter_action_and_setting(tmp_path, today):
    """A desk made by the first Brieventafel: migrated, a copy kept, nothing lost."""
    from app.desk import _letter_to_json

    mailbox = PracticeMailbox(tmp_path / "p.sqlite3", today=today)
    letters = mailbox.letters("koen").letters[:3]
    folder = tmp_path / "old"
    folder.mkdir()
    conn = sqlite3.connect(folder / "desk.sqlite3")
    conn.executescript(V1_SCHEMA)
    for letter in letters:
        conn.execute(
            "INSERT INTO letters (id, person_id, data) VALUES (?, 'koen', ?)",
            (letter.id, _letter_to_json(letter)),
        )
    conn.execute(
        "UPDATE letters SET on_table = 0, folder = ? WHERE id = ?",
        (letters[0].org_id, letters[0].id),
    )
    conn.execute(
        "INSERT INTO actions (letter_id, kind, at) VALUES (?, 'put_away', '2026-11-01')",
        (letters[0].id,),
    )
    conn.execute("INSERT INTO sync VALUES ('koen', '7')")
    conn.execute("INSERT INTO settings VALUES ('text_scale', '175')")
    conn.execute("PRAGMA user_version=1")
    conn.commit()
    conn.close()
    desk = Desk(folder, today=today)
    try:
        assert [n.kind for n in desk.notices] == ["migrated"]
        assert desk.notices[0].backup.exists()
        assert {l.id for l in desk.table("koen")} == {letters[1].id, letters[2].id}
        assert desk.cursor("koen") == "7"
        assert desk.setting("koen", "text_scale") == "175"  # kept for everyone
        assert desk.undo("koen") == letters[0].id  # the old action is Koen's
        assert desk.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    finally:
        desk.close()
        mailbox.close()


def test_a_letter_knows_its_store_and_carries_its_attachments(session):
    kees = Session.open_practice(
        session.desk.path.parent.parent, person_id="kees", today=session.today
    )
    try:
        letter = kees.letter("kees-005")
        assert letter.store_id == "oefenpost-uwv"
        assert [a.name for a in letter.attachments] == ["Verzekeringsbericht.pdf"]
        assert letter.attachments[0].media_type == "application/pdf"
    finally:
        kees.close()


def test_a_mailbox_gives_a_letter_only_to_its_own_person(tmp_path, today):
    from app.mailbox import MailboxError

    mailbox = PracticeMailbox(tmp_path / "p.sqlite3", today=today)
    try:
        koen = mailbox.letters("koen").letters[0]
        assert mailbox.letter("koen", koen.id).id == koen.id
        with pytest.raises(MailboxError) as refused:
            mailbox.letter("corry", koen.id)
        assert refused.value.code == "unknown-letter"
        with pytest.raises(MailboxError):
            mailbox.mark_read("corry", koen.id)
        assert not mailbox.letter("koen", koen.id).read
    finally:
        mailbox.close()
