"""Does the person's own notification arrive? A test message with a short code
the person types back, bounces with what the server said and what to do, and
the plain 'no address linked' with how to link one. Real aiosmtpd on loopback;
the screen on the real practice box (which simulates the mail)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton
from smtp_servers import MailServer

from app import watch
from app.desk import Desk
from app.outbox import MailSettings
from finders import screen, widget

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
KOEN = "koen.devries@example.nl"


@pytest.fixture
def server():
    s = MailServer().start()
    yield s
    s.stop()


@pytest.fixture
def desk(tmp_path):
    d = Desk(tmp_path / "data" / "oefenpost")
    yield d
    d.close()


def code_in(received) -> str:
    body = received.mail.get_payload(decode=True).decode("utf-8")
    found = re.search(r"Uw code is: (\d+)", body)
    assert found, body
    return found.group(1)


def test_a_test_message_with_a_code_typed_back(tmp_path, desk, server):
    data_dir = tmp_path / "data"
    watch.save_mail_settings(data_dir, MailSettings("127.0.0.1", server.port, security="none"))
    started = watch.start_test(desk, "koen", KOEN, data_dir, clock=lambda: NOW)
    assert not started.simulated and started.code == ""  # the code is in the mail only
    assert started.line.startswith("Wij hebben een testbericht gestuurd.")
    (received,) = server.received
    assert received.recipients == [KOEN]
    assert received.mail["Subject"] == "Brieventafel: uw testcode"
    code = code_in(received)
    health = watch.notification_health(desk, "koen", data_dir, KOEN)
    assert health.linked and health.awaiting_code
    assert not watch.confirm_test(desk, "koen", "0000" if code != "0000" else "1111", NOW.date())
    assert watch.confirm_test(desk, "koen", f" {code[:2]} {code[2:]} ", NOW.date())
    health = watch.notification_health(desk, "koen", data_dir, KOEN)
    assert "Uw e-mail komt aan. Laatst getest: 1 december." in health.lines
    assert not health.awaiting_code


def test_a_bounce_shows_what_the_server_said_and_what_to_do(tmp_path, desk, server):
    data_dir = tmp_path / "data"
    watch.save_mail_settings(data_dir, MailSettings("127.0.0.1", server.port, security="none"))
    server.handler.refuse_rcpt = "552 5.2.2 Mailbox full"
    started = watch.start_test(desk, "koen", KOEN, data_dir, clock=lambda: NOW)
    assert started.line == "Uw e-mail komt niet aan. De mailserver zei: 552 5.2.2 Mailbox full"
    health = watch.notification_health(desk, "koen", data_dir, KOEN)
    assert health.bounce == "552 5.2.2 Mailbox full"
    assert watch.what_to_do_on_bounce() in health.lines
    assert not health.awaiting_code  # no code will come: nothing to type
    assert server.received == []


def test_no_address_linked_is_said_plainly_with_how_to_link(tmp_path, desk):
    health = watch.notification_health(desk, "corry", tmp_path / "data", None)
    assert not health.linked
    assert health.lines[0] == (
        "Er is geen e-mailadres gekoppeld. Dan krijgt u geen bericht bij nieuwe post."
    )
    assert watch.how_to_link() in health.lines
    started = watch.start_test(desk, "corry", None, tmp_path / "data")
    assert started.line == "Er is geen e-mailadres gekoppeld. Wij sturen niets."


@pytest.fixture
def config_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


@pytest.mark.gui
def test_the_screen_simulates_it_in_practice(window, qtbot, session, config_home):
    settings = screen(window, "settings_screen")
    window.show_screen(settings)
    qtbot.mouseClick(widget(settings, QPushButton, "settings_reminders"), Qt.MouseButton.LeftButton)
    page = window.stack.currentWidget()
    first = widget(page, QLabel, "reminders_health_0")
    assert first.text() == f"Uw e-mailadres in de Berichtenbox: {KOEN}."
    code_field = widget(page, QLineEdit, "reminders_code")
    assert not code_field.isVisible()
    qtbot.mouseClick(widget(page, QPushButton, "reminders_test"), Qt.MouseButton.LeftButton)
    said = widget(page, QLabel, "reminders_result").text()
    assert said.startswith("Oefening: er gaat geen echte e-mail.")
    code = said.rsplit(" ", 1)[1].rstrip(".")
    assert code_field.isVisible()
    code_field.setText("x")
    qtbot.mouseClick(widget(page, QPushButton, "reminders_code_check"), Qt.MouseButton.LeftButton)
    assert widget(page, QLabel, "reminders_result").text().startswith("Deze code klopt niet.")
    code_field.setText(code)
    qtbot.mouseClick(widget(page, QPushButton, "reminders_code_check"), Qt.MouseButton.LeftButton)
    today = session.today()
    assert today == date(2026, 11, 28)
    assert widget(page, QLabel, "reminders_result").text() == (
        "Uw e-mail komt aan. Laatst getest: 28 november."
    )
    texts = [lbl.text() for lbl in page.findChildren(QLabel) if lbl.isVisibleTo(page)]
    assert "Uw e-mail komt aan. Laatst getest: 28 november." in texts
    assert not code_field.isVisible()
