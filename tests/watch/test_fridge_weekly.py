"""The weekly fridge list by itself (issue 16): when the person chose it, the
watcher mails the fridge list to the trusted person once per ISO week through the
outbox, never twice (a kill included); a real SMTP server on loopback (aiosmtpd),
the real practice box, real processes where a process is the point."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton
from smtp_servers import MailServer, free_port
from watch_cli import cli

from app import fridge, watch
from app.desk import Desk
from app.outbox import FILE_NAME as OUTBOX_FILE
from app.outbox import MailSettings, Outbox, State
from app.reminders import TrustedPerson
from app.session import PRACTICE_FOLDER
from finders import screen, widget

ROOT = Path(__file__).resolve().parents[2]
MONDAY = date(2026, 11, 30)  # ISO week 49
LIST_SUBJECT = "De brievenlijst van "


@pytest.fixture
def server():
    s = MailServer().start()
    yield s
    s.stop()


@pytest.fixture(autouse=True)
def config_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))  # never the real one


def choose(data_dir: Path, port: int, *, weekly: bool = True, person: str = "koen") -> None:
    watch.save_mail_settings(data_dir, MailSettings("127.0.0.1", port, security="none"))
    desk = Desk(data_dir / PRACTICE_FOLDER)
    try:
        watch.set_trusted_person(desk, person, TrustedPerson("Anna", "anna@example.org"))
        if weekly:
            fridge.set_weekly(desk, person, True)
    finally:
        desk.close()


def run(data_dir: Path, day: date, person: str = "koen") -> watch.RunResult:
    at = datetime(day.year, day.month, day.day, 9, 0, tzinfo=UTC)
    return watch.run_once(data_dir, person_id=person, today=lambda: day, clock=lambda: at)


def lists(server) -> list:
    return [r for r in server.received if r.mail["Subject"].startswith(LIST_SUBJECT)]


def test_off_until_the_person_chooses_it(tmp_path, server):
    choose(tmp_path, server.port, weekly=False)
    run(tmp_path, MONDAY)
    assert server.received  # the trusted person's own mail about letters still goes
    assert lists(server) == []
    desk = Desk(tmp_path / PRACTICE_FOLDER)
    try:
        assert not fridge.weekly(desk, "koen")
    finally:
        desk.close()


def test_once_per_iso_week_and_a_dead_server_only_delays_it(tmp_path, server):
    # the first run finds no mail server: the list waits in the outbox
    choose(tmp_path, free_port())
    waiting = run(tmp_path, MONDAY)
    assert any("wacht nog" in line for line in waiting.lines)
    outbox = Outbox(tmp_path / OUTBOX_FILE)
    try:
        key = fridge.fridge_key(PRACTICE_FOLDER, "koen", MONDAY)
        assert outbox.message(key).state is State.WAITING
    finally:
        outbox.close()
    # the server is up a day later: sent, once
    choose(tmp_path, server.port)
    sent = run(tmp_path, MONDAY + timedelta(days=1))
    assert "De koelkastlijst van deze week is naar Anna gestuurd." in sent.lines
    (mail,) = lists(server)
    assert mail.recipients == ["anna@example.org"]
    body = mail.mail.get_payload(decode=True).decode("utf-8")
    assert "Beste Anna," in body and "Week 49" in body and "Kijk samen in Brieventafel." in body
    # the rest of that week: nothing more
    for day in range(2, 7):
        quiet = run(tmp_path, MONDAY + timedelta(days=day))
        assert not any("koelkastlijst" in line for line in quiet.lines)
    assert len(lists(server)) == 1
    # the next ISO week: the next list
    assert (
        "De koelkastlijst van deze week is naar Anna gestuurd."
        in run(tmp_path, MONDAY + timedelta(days=7)).lines
    )
    assert len(lists(server)) == 2
    assert "Week 50" in lists(server)[1].mail.get_payload(decode=True).decode("utf-8")


def test_pressed_this_week_already_means_not_again(tmp_path, server):
    choose(tmp_path, server.port)
    desk = Desk(tmp_path / PRACTICE_FOLDER, today=lambda: MONDAY)
    try:
        line = fridge.send_fridge_list(
            desk, "koen", "Koen", tmp_path, place=PRACTICE_FOLDER, today=MONDAY
        )
    finally:
        desk.close()
    assert line == "De lijst is naar Anna gestuurd."
    run(tmp_path, MONDAY + timedelta(days=2))
    assert len(lists(server)) == 1


def test_no_trusted_person_no_list(tmp_path, server):
    watch.save_mail_settings(tmp_path, MailSettings("127.0.0.1", server.port, security="none"))
    desk = Desk(tmp_path / PRACTICE_FOLDER)
    try:
        fridge.set_weekly(desk, "koen", True)
    finally:
        desk.close()
    run(tmp_path, MONDAY)
    assert server.received == []


KILLER = """
import os, signal, sys
from datetime import UTC, date, datetime
from pathlib import Path
sys.path.insert(0, {root!r})
from app import outbox, watch

moment = {moment!r}
if moment == "after-queue":  # the list is in the outbox; nothing was handed over
    def send_due(self, settings):
        os.kill(os.getpid(), signal.SIGKILL)
    outbox.Outbox.send_due = send_due
else:  # the server answered 250 to the list; the outbox has not written it down
    finish = outbox.Outbox._finish
    def finish_or_die(self, c, key, now, outcome):
        if "/fridge/" in key and outcome.state is outbox.State.SENT:
            os.kill(os.getpid(), signal.SIGKILL)
        finish(self, c, key, now, outcome)
    outbox.Outbox._finish = finish_or_die
day = date(2026, 11, 30)
at = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
watch.run_once(Path({data!r}), person_id="koen", today=lambda: day, clock=lambda: at)
print("not killed")
"""


@pytest.mark.parametrize("moment", ["after-queue", "after-250"])
def test_never_twice_after_a_kill(tmp_path, server, moment):
    choose(tmp_path, server.port)
    code = KILLER.format(root=str(ROOT), moment=moment, data=str(tmp_path))
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert done.returncode == -9, done.stderr  # killed, not finished
    at_server = len(lists(server))
    assert at_server == (1 if moment == "after-250" else 0)
    # the same week, after the kill: the list is there once in all, never twice
    later = run(tmp_path, MONDAY + timedelta(days=1))
    run(tmp_path, MONDAY + timedelta(days=2))
    assert len(lists(server)) == 1
    outbox = Outbox(tmp_path / OUTBOX_FILE)
    try:
        key = fridge.fridge_key(PRACTICE_FOLDER, "koen", MONDAY)
        state = outbox.message(key).state
    finally:
        outbox.close()
    if moment == "after-250":
        assert state is State.UNSURE  # the person sees it and may choose to send again
        assert "Wij weten niet zeker of de e-mail aan Anna is aangekomen." in later.lines
    else:
        assert state is State.SENT
        assert "De koelkastlijst van deze week is naar Anna gestuurd." in later.lines


def test_the_command_line_switches_it_on_and_off(tmp_path, server):
    chosen = cli(
        tmp_path,
        "--set-mail-server",
        f"127.0.0.1:{server.port}",
        "--mail-security",
        "none",
        "--set-trusted-person",
        "Anna",
        "anna@example.org",
        "--fridge-list-weekly",
        "on",
        "--person",
        "koen",
    )
    assert chosen.returncode == 0, chosen.stderr
    assert "De koelkastlijst gaat nu elke week vanzelf naar Anna." in chosen.stdout
    first = cli(tmp_path, "--watch", "--once", "--person", "koen")
    assert first.returncode == 0, first.stderr
    assert (
        first.stdout.splitlines().count("De koelkastlijst van deze week is naar Anna gestuurd.")
        == 1
    )
    assert len(lists(server)) == 1
    off = cli(tmp_path, "--fridge-list-weekly", "off", "--person", "koen")
    assert off.returncode == 0 and "niet meer elke week" in off.stdout
    desk = Desk(tmp_path / "data" / PRACTICE_FOLDER)
    try:
        assert not fridge.weekly(desk, "koen")
        assert watch.trusted_person(desk, "koen") is not None  # the rest is kept
    finally:
        desk.close()
    wrong = cli(tmp_path, "--fridge-list-weekly", "maybe")
    assert wrong.returncode != 0 and "Traceback" not in wrong.stderr


@pytest.mark.gui
def test_the_check_box_on_herinneringen(window, qtbot, session):
    settings = screen(window, "settings_screen")
    window.show_screen(settings)
    qtbot.mouseClick(widget(settings, QPushButton, "settings_reminders"), Qt.MouseButton.LeftButton)
    page = window.stack.currentWidget()
    from ui.shell.accessible import VisibleCheckBox

    check = widget(page, VisibleCheckBox, "reminders_fridge_weekly")
    assert not check.isVisible()  # no one to mail it to yet
    assert check.accessibleName() == "Elke week vanzelf mailen"
    watch.set_trusted_person(
        session.desk, session.person.id, TrustedPerson("Anna", "anna@example.org")
    )
    page.refresh()
    assert check.isVisible() and not check.isChecked()  # off until chosen
    assert check.accessibleName() == "Elke week vanzelf mailen naar Anna"
    qtbot.mouseClick(check, Qt.MouseButton.LeftButton)
    assert fridge.weekly(session.desk, session.person.id)
    assert widget(page, QLabel, "reminders_result").text() == (
        "De koelkastlijst gaat nu elke week vanzelf naar Anna."
    )
    qtbot.mouseClick(check, Qt.MouseButton.LeftButton)
    assert not fridge.weekly(session.desk, session.person.id)
    page.refresh()
    assert not check.isChecked()
