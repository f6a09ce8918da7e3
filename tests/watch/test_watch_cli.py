"""``brieventafel --watch --once`` and the watcher's settings as real processes,
on a practice data folder, mailing through a real SMTP server on loopback."""

from __future__ import annotations

import os
import subprocess
import sys
from email import message_from_bytes
from pathlib import Path

import pytest
from smtp_servers import MailServer
from watch_cli import cli

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def server():
    s = MailServer().start()
    yield s
    s.stop()


def test_watch_once_mails_the_trusted_person_once(tmp_path, server):
    done = cli(
        tmp_path,
        "--set-mail-server",
        f"127.0.0.1:{server.port}",
        "--mail-security",
        "none",
        "--mail-from",
        "brieventafel@example.org",
        "--set-trusted-person",
        "Anna",
        "anna@example.org",
        "--person",
        "koen",
    )
    assert done.returncode == 0, done.stderr
    assert "Anna is nu de vertrouwde persoon." in done.stdout
    assert "Qt" not in done.stderr and "Traceback" not in done.stderr

    first = cli(tmp_path, "--watch", "--once", "--person", "koen")
    assert first.returncode == 0, first.stderr
    lines = first.stdout.splitlines()
    assert any(line.startswith("Herinnering: ") for line in lines)
    assert sum(line.startswith("E-mail verstuurd aan Anna") for line in lines) == 1
    assert len(server.received) == 1
    received = server.received[0]
    assert received.sender == "brieventafel@example.org"
    assert received.recipients == ["anna@example.org"]
    body = message_from_bytes(received.data).get_payload(decode=True).decode("utf-8")
    assert "RDW" in body and "Kijk samen in Brieventafel." in body
    assert "Geachte" not in body  # nothing of any letter's text

    second = cli(tmp_path, "--watch", "--once", "--person", "koen")
    assert second.returncode == 0, second.stderr
    assert second.stdout == ""  # reminded today already, nothing new to mail
    assert len(server.received) == 1


def test_a_practice_letter_arrives_and_is_reminded(tmp_path):
    assert cli(tmp_path, "--watch", "--once").returncode == 0  # the first day's reminders
    delivered = cli(tmp_path, "--deliver-practice-letter")
    assert delivered.returncode == 0 and "oefenbrief" in delivered.stdout
    after = cli(tmp_path, "--watch", "--once")
    assert after.stdout.splitlines() == ["Herinnering: Nieuwe brief van RDW."]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--once"], "--once hoort bij --watch"),
        (["--set-trusted-person", "Anna", "geen-adres"], "Dit e-mailadres klopt niet"),
        (["--set-mail-server", "smtp.example.nl"], "naam:poort"),
        (["--mail-user", "koen"], "--set-mail-server"),
        (["--mail-security", "tls"], "Deze opdracht begrijpen wij niet"),
    ],
)
def test_odd_watch_options_are_refused_plainly(tmp_path, args, words):
    done = cli(tmp_path, *args)
    assert done.returncode == 2
    assert words in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "data" / "mail.json").exists()


def test_watch_once_loads_no_qt(tmp_path):
    code = (
        "import sys; from app.__main__ import main; "
        f"rc = main(['--data-dir', {str(tmp_path / 'data')!r}, '--watch', '--once']); "
        "print('qt' if 'PySide6' in sys.modules else 'no qt', rc)"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT), XDG_DATA_HOME=str(tmp_path / "xdg"))
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.stdout.splitlines()[-1] == "no qt 0", done.stderr
