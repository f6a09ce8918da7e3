"""The watcher watches everyone the signed-in person acts for (issues 13 and 16).

On the real practice box: Piet (bewindvoerder of ten clients), Monique (curator of
Sanne), Ali (whose mandate for Gerda ended), Ingrid (read only, for two
organisations of Willem); a real SMTP server on loopback where mail matters, and
one real ``--watch --once --person piet`` process."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from smtp_servers import MailServer
from watch_cli import cli

from app import people, watch
from app.desk import Desk
from app.outbox import FILE_NAME as OUTBOX_FILE
from app.outbox import MailSettings, Outbox
from app.reminders import Kind, TrustedPerson, desktop_reminders
from app.session import PRACTICE_FOLDER, Session

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 12, 1)
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
PIETS_CLIENTS = {"Wim", "Fatima", "Henk", "Truus", "Mohamed", "Ans", "Gerrit", "Yvonne", "Dirk"}
PIETS_CLIENTS |= {"Marja"}


def run(data_dir: Path, person: str, day: date = TODAY) -> watch.RunResult:
    return watch.run_once(
        data_dir, person_id=person, today=lambda: day, clock=lambda: NOW + (day - TODAY)
    )


def session_of(data_dir: Path, person: str, day: date = TODAY) -> Session:
    return Session.open_practice(data_dir, person_id=person, today=lambda: day)


def whose(line: str) -> str:
    assert line.startswith("Post van "), line
    return line.removeprefix("Post van ").split(":")[0]


def test_piet_hears_of_each_client_s_letters_named_once_a_day(tmp_path):
    first = run(tmp_path, "piet")
    assert first.problem == ""
    # every line names whose post it is, and all ten clients are in it
    assert {whose(line) for line in first.lines} == PIETS_CLIENTS
    assert "Post van Henk: nieuwe brief van CJIB." in first.lines
    assert first.reminders == len(first.lines) == len(first.due)
    # one line per letter due: the rules of app.reminders over each client's table
    session = session_of(tmp_path, "piet")
    try:
        expected = sum(
            len(desktop_reminders(session.desk.table(item.person.id), TODAY))
            for item in people.represented(session)
            if not item.is_self
        )
        assert len(first.lines) == expected > 50
        # the reminders are in each letter's log (the proof pack), marked for Piet
        wim = session.desk.table("wim")
        logged = watch.reminder_log(session.desk, "wim")
        assert {e["letter"] for e in logged} <= {l.id for l in wim}
        assert logged and all(e["for"] == "piet" for e in logged)
    finally:
        session.close()
    # the same day again: nothing new; the next day only what is due again
    assert run(tmp_path, "piet").lines == []
    later = run(tmp_path, "piet", TODAY + timedelta(days=1))
    assert later.lines and "nieuwe brief" not in " ".join(later.lines)


def test_a_snooze_from_the_tray_quiets_a_client_s_letter(tmp_path):
    first = run(tmp_path, "piet")
    henk = next(r for r in first.due if isinstance(r, watch.ForSomeone) and r.person_id == "henk")
    # the tray snoozes with the signed-in person and the letter's id (ui/watch/tray.py)
    until = watch.snooze_at(tmp_path, None, "piet", henk.letter_id, TODAY)
    for day in range(1, 3):
        later = run(tmp_path, "piet", TODAY + timedelta(days=day))
        assert henk.letter_id not in {r.letter_id for r in later.due}
    again = run(tmp_path, "piet", until)
    if henk.kind.value != "new":  # a new letter's reminder comes once; the others come back
        assert henk.letter_id in {r.letter_id for r in again.due}


def test_monique_hears_of_sanne_s_post_but_never_mails_sanne_s_trusted_person(tmp_path):
    server = MailServer().start()
    try:
        watch.save_mail_settings(tmp_path, MailSettings("127.0.0.1", server.port, security="none"))
        desk = Desk(tmp_path / PRACTICE_FOLDER)
        try:  # Sanne chose Joke on this (shared) desk
            watch.set_trusted_person(desk, "sanne", TrustedPerson("Joke", "joke@example.org"))
        finally:
            desk.close()
        # a week on, Sanne's letters lie unopened: Joke would be told, by Sanne's watcher
        day = TODAY + timedelta(days=8)
        result = run(tmp_path, "monique", day)
        assert result.lines and all(whose(line) == "Sanne" for line in result.lines)
        assert result.mails_sent == 0
        assert server.received == []
        outbox = Outbox(tmp_path / OUTBOX_FILE)
        try:
            assert outbox.messages() == []
        finally:
            outbox.close()
        # Sanne's own watcher on the same desk: her own reminders were not used up
        # by Monique's, and Joke is mailed once, by Sanne's choice
        own = run(tmp_path, "sanne", day)
        assert any(line.startswith("Herinnering: ") for line in own.lines)
        assert own.mails_sent == 1
        assert [r.recipients for r in server.received] == [["joke@example.org"]]
    finally:
        server.stop()


def test_nothing_of_an_ended_mandate(tmp_path):
    result = run(tmp_path, "ali")
    session = session_of(tmp_path, "ali")
    try:
        gerda = people.find(session, "gerda")
        assert gerda is not None and gerda.ended
        kept = session.desk.table("gerda")  # letters from while it ran stay on the desk
        assert kept and desktop_reminders(kept, TODAY)  # and would be due
    finally:
        session.close()
    assert not any(line.startswith("Post van") for line in result.lines)
    assert not any(getattr(r, "person_id", "") == "gerda" for r in result.due)


def test_a_read_only_helper_is_told_only_within_the_mandate(tmp_path):
    session = session_of(tmp_path, "ingrid")
    try:
        willem = people.find(session, "willem")
        assert willem is not None and not willem.can_act  # read only
        assert willem.organisations == {"svb", "pensioenfonds"}
        # the service gives Ingrid only those organisations' letters
        assert {l.org_id for l in session.desk.table("willem")} <= willem.organisations
        # a letter of another organisation on the desk (kept from a wider mandate)
        old = session.desk.table("willem")[0]
        outside = replace(
            old, id="willem-buiten", org_id="belastingdienst", sender="Belastingdienst", read=False
        )
        session.desk.receive("willem", [outside], session.desk.cursor("willem"))
        assert "willem-buiten" in {l.id for l in session.desk.table("willem")}
    finally:
        session.close()
    result = run(tmp_path, "ingrid")
    about = [line for line in result.lines if line.startswith("Post van")]
    assert about and all(whose(line) == "Willem" for line in about)
    assert "willem-buiten" not in {r.letter_id for r in result.due}
    assert not any("Belastingdienst" in line for line in about)


def test_watch_once_for_piet_prints_one_line_per_client_letter_due(tmp_path):
    first = cli(tmp_path, "--watch", "--once", "--person", "piet")
    assert first.returncode == 0, first.stderr
    assert "Traceback" not in first.stderr
    lines = first.stdout.splitlines()
    assert {whose(line) for line in lines} == PIETS_CLIENTS
    # as many lines as letters due today, by the rules, on the desk the run left
    session = Session.open_practice(tmp_path / "data", person_id="piet", sync=False)
    try:
        due = [
            letter
            for item in people.represented(session)
            if not item.is_self
            for letter in session.desk.table(item.person.id)
            if desktop_reminders([letter], date.today())
        ]
    finally:
        session.close()
    assert len(lines) == len(due)
    second = cli(tmp_path, "--watch", "--once", "--person", "piet")
    assert second.returncode == 0, second.stderr
    assert second.stdout == ""


def test_the_line_names_whose_post_it_is_in_every_language():
    from app import i18n

    reminder = watch.ForSomeone(
        "x", Kind.NEW, "CJIB", None, 0, TODAY, person_id="wim", person_name="Wim"
    )
    assert reminder.text == "Post van Wim: nieuwe brief van CJIB."
    assert watch.reminder_line(reminder) == reminder.text
    try:
        i18n.set_language("de")  # a German noun keeps its capital: no lower-casing there
        assert "Wim" in reminder.text and "CJIB" in reminder.text
    finally:
        i18n.set_language("nl")
