"""The desk: letters stay on the table until the person puts them away."""

import subprocess
import sys
import textwrap
from datetime import date, timedelta

from app.desk import Desk
from app.mailbox.practice import PracticeMailbox, load_practice_data
from app.model import Urgency, urgency
from app.session import Session


def test_practice_data_is_rich_enough():
    data = load_practice_data()
    koen = [l for l in data["letters"] if l["recipient"] == "koen"]
    assert len(koen) >= 20
    assert len({l["org"] for l in koen}) >= 8
    orgs = {o["id"] for o in data["organisations"]}
    assert {"rdw", "cjib", "belastingdienst", "toeslagen", "gemeente", "svb", "uwv", "duo",
            "pensioenfonds"} <= orgs
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
    action = session.desk.put_away(first.id)
    assert first.id not in {l.id for l in session.table()}
    folders = session.desk.folders(session.person.id)
    assert [(f.org_id, [l.id for l in f.letters]) for f in folders] == [
        (first.org_id, [first.id])]
    assert session.desk.undo(action) == first.id
    assert session.table()[0].id == first.id
    assert session.desk.undo() is None      # nothing left to undo
    session.desk.put_away(first.id)
    session.desk.lay_back(first.id)
    assert session.desk.folders(session.person.id) == []
    assert first.id in {l.id for l in session.table()}


def test_folders_are_per_organisation_and_year(session):
    for letter in session.table():
        session.desk.put_away(letter.id)
    folders = session.desk.folders(session.person.id)
    assert len({f.org_id for f in folders}) >= 8
    for folder in folders:
        assert {l.org_id for l in folder.letters} == {folder.org_id}
        assert {l.received.year for l in folder.letters} == {folder.year}
    assert session.table() == []


def test_new_letters_arrive_and_known_letters_keep_their_place(session):
    kept = session.table()[0]
    session.desk.put_away(kept.id)
    session.mailbox.deliver({
        "id": "koen-new", "recipient": "koen", "org": "rdw", "subject": "Nieuw",
        "summary": "Een nieuwe brief.", "action": "lezen", "received_days_ago": 0,
        "deadline_in_days": None, "reference": "X1", "body": "Tekst", "what_to_do": "Niets."})
    assert session.sync() == 1
    ids = {l.id for l in session.table()}
    assert "koen-new" in ids and kept.id not in ids


def test_put_away_survives_a_kill(data_dir, today, tmp_path):
    """The process is killed right after put_away returns: the action is kept."""
    Session.open_practice(data_dir, today=today).close()
    script = textwrap.dedent(f"""
        import os, signal, sys
        sys.path.insert(0, {str(__import__('pathlib').Path(__file__).resolve().parents[2])!r})
        from datetime import date
        from app.session import Session
        s = Session.open_practice({str(data_dir)!r}, today=lambda: date(2026, 11, 28))
        first = s.table()[0]
        s.desk.put_away(first.id)
        print(first.id, flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert run.returncode == -9
    gone = run.stdout.strip()
    s = Session.open_practice(data_dir, today=today)
    try:
        assert gone and gone not in {l.id for l in s.table()}
        assert any(gone in [l.id for l in f.letters] for f in s.desk.folders(s.person.id))
    finally:
        s.close()


def test_mailbox_and_desk_folders_are_injectable(tmp_path, today):
    mailbox = PracticeMailbox(tmp_path / "a" / "p.sqlite3", today=today)
    desk = Desk(tmp_path / "b", today=today)
    try:
        assert desk.sync(mailbox, "koen") >= 20
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
