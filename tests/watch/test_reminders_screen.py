"""The Herinneringen screen: the explained choice, the trusted person, and
"Wat hebben wij gestuurd?", on a real window over the practice box."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton
from smtp_servers import MailServer

from app import autostart, watch
from app.outbox import MailSettings
from finders import screen, widget
from ui.shell.accessible import VisibleCheckBox

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def config_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))  # never the real one
    return tmp_path / "config"


def open_reminders(window, qtbot):
    settings = screen(window, "settings_screen")
    window.show_screen(settings)
    qtbot.mouseClick(widget(settings, QPushButton, "settings_reminders"), Qt.MouseButton.LeftButton)
    shown = window.stack.currentWidget()
    assert shown.objectName() == "reminders_screen"
    return shown


def test_off_until_chosen_and_as_easy_to_switch_off(window, qtbot, config_home):
    page = open_reminders(window, qtbot)
    assert widget(page, QLabel, "reminders_state").text() == "Herinneringen staan uit."
    switch = widget(page, QPushButton, "reminders_switch")
    assert switch.text() == "Herinneringen aanzetten"
    qtbot.mouseClick(switch, Qt.MouseButton.LeftButton)
    assert autostart.is_enabled()
    assert (config_home / "autostart" / autostart.DESKTOP_FILE).exists()
    assert switch.text() == "Herinneringen uitzetten"
    qtbot.mouseClick(switch, Qt.MouseButton.LeftButton)
    assert not autostart.is_enabled()
    assert widget(page, QLabel, "reminders_result").text() == "Herinneringen staan nu uit."


def test_choosing_the_trusted_person_and_a_wrong_address_is_said_kindly(window, qtbot, session):
    page = open_reminders(window, qtbot)
    name, email = (
        widget(page, QLineEdit, "reminders_name"),
        widget(page, QLineEdit, "reminders_email"),
    )
    save = widget(page, QPushButton, "reminders_save")
    name.setText("Anna")
    email.setText("anna-at-example")
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert "Dit e-mailadres klopt niet" in widget(page, QLabel, "reminders_result").text()
    assert watch.trusted_person(session.desk, session.person.id) is None
    email.setText("anna@example.org")
    widget(page, VisibleCheckBox, "reminders_subject").setChecked(True)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    trusted = watch.trusted_person(session.desk, session.person.id)
    assert trusted is not None
    assert (trusted.name, trusted.email, trusted.show_subject) == ("Anna", "anna@example.org", True)
    forget = widget(page, QPushButton, "reminders_forget")
    assert forget.isVisible()
    qtbot.mouseClick(forget, Qt.MouseButton.LeftButton)
    assert watch.trusted_person(session.desk, session.person.id) is None
    assert name.text() == ""


def test_what_was_sent_and_when(window, qtbot, session, data_dir):
    page = open_reminders(window, qtbot)
    assert widget(page, QLabel, "reminders_sent_0").text() == "Wij hebben nog niemand gemaild."
    server = MailServer().start()
    try:
        watch.save_mail_settings(data_dir, MailSettings("127.0.0.1", server.port, security="none"))
        watch.set_trusted_person(
            session.desk, session.person.id, watch.TrustedPerson("Anna", "anna@example.org")
        )
        result = watch.run_once(data_dir, person_id=session.person.id)
        assert result.mails_sent == 1
    finally:
        server.stop()
    page.refresh()
    text = widget(page, QLabel, "reminders_sent_0").text()
    today = date.today()
    from app.plain import format_date

    assert text.startswith(f"Wij hebben Anna gemaild op {format_date(today, 'd MMMM')} over ")
