"""On paper (issue 16): the fridge list (one large-print page, printable, and
mailed once a week to the trusted person through the outbox) and a proof pack
per letter, printed from Herinneringen and read back from the PDF."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QPushButton
from smtp_servers import MailServer

from app import watch
from app.outbox import MailSettings
from app.reminders import TrustedPerson
from finders import screen, widget

pytestmark = pytest.mark.gui


def pdf_text(path) -> tuple[str, int]:
    from PySide6.QtPdf import QPdfDocument

    pdf = QPdfDocument()
    assert pdf.load(str(path)) == QPdfDocument.Error.None_
    pages = pdf.pageCount()
    text = "\n".join(pdf.getAllText(p).text() for p in range(pages))
    pdf.close()
    return " ".join(text.split()), pages


@pytest.fixture(autouse=True)
def config_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


@pytest.fixture
def server():
    s = MailServer().start()
    yield s
    s.stop()


def open_reminders(window, qtbot):
    settings = screen(window, "settings_screen")
    window.show_screen(settings)
    qtbot.mouseClick(widget(settings, QPushButton, "settings_reminders"), Qt.MouseButton.LeftButton)
    return window.stack.currentWidget()


def press(page, name, qtbot):
    qtbot.mouseClick(widget(page, QPushButton, name), Qt.MouseButton.LeftButton)


def test_the_fridge_list_is_one_large_page_with_every_deadline(window, qtbot, session):
    page = open_reminders(window, qtbot)
    press(page, "reminders_fridge_print", qtbot)
    text, pages = pdf_text(window.last_pdf)
    assert pages == 1
    assert f"Brieven op tafel van {session.person.name}" in text
    table = session.table()
    assert f"Er liggen {len(table)} brieven op tafel." in text
    from app.plain import format_date

    dated = [l for l in table if l.deadline is not None]
    for letter in dated:
        assert f"Uiterlijk {format_date(letter.deadline)}: {letter.sender}" in text
    assert f"{len(table) - len(dated)} brieven zonder datum, van:" in text
    for letter in table:
        assert letter.body[:40] not in text  # the letter's text stays in the letter


def test_the_fridge_list_goes_to_the_trusted_person_once_a_week(
    window, qtbot, session, data_dir, server
):
    watch.save_mail_settings(data_dir, MailSettings("127.0.0.1", server.port, security="none"))
    watch.set_trusted_person(
        session.desk, session.person.id, TrustedPerson("Anna", "anna@example.org")
    )
    page = open_reminders(window, qtbot)
    send = widget(page, QPushButton, "reminders_fridge_send")
    assert send.isVisible() and send.text() == "Koelkastlijst mailen naar Anna"
    press(page, "reminders_fridge_send", qtbot)
    assert widget(page, QLabel, "reminders_result").text() == "De lijst is naar Anna gestuurd."
    press(page, "reminders_fridge_send", qtbot)
    assert widget(page, QLabel, "reminders_result").text() == (
        "De lijst van deze week is al naar Anna gestuurd."
    )
    (received,) = server.received
    mail = received.mail
    assert mail["Subject"] == f"De brievenlijst van {session.person.name}"
    body = mail.get_payload(decode=True).decode("utf-8")
    assert "Beste Anna," in body and "Kijk samen in Brieventafel." in body
    for letter in session.table():
        if letter.deadline is not None:
            assert letter.sender in body
        assert letter.subject not in body  # the subject only when allowed
        assert letter.body[:40] not in body


def test_a_proof_pack_tells_what_happened_to_one_letter(window, qtbot, session, data_dir, server):
    watch.save_mail_settings(data_dir, MailSettings("127.0.0.1", server.port, security="none"))
    watch.set_trusted_person(
        session.desk, session.person.id, TrustedPerson("Anna", "anna@example.org")
    )
    moment = datetime(2026, 11, 28, 9, 30, tzinfo=UTC)
    result = watch.run_once(
        data_dir, person_id=session.person.id, today=session.today, clock=lambda: moment
    )
    assert result.mails_sent == 1
    mails = watch._mine(session.desk, session.person.id)
    (entry,) = mails.values()
    told = entry["letters"][0]
    letter = session.desk.letter(session.person.id, told)
    session.put_away(told)

    page = open_reminders(window, qtbot)
    choice = widget(page, QComboBox, "reminders_proof_choice")
    choice.setCurrentIndex(choice.findData(told))
    press(page, "reminders_proof_print", qtbot)
    text, _pages = pdf_text(window.last_pdf)
    assert f"Bewijs: brief van {letter.sender}" in text
    assert "Ontvangen in de Berichtenbox:" in text
    assert "herinnering op de computer:" in text
    assert "e-mail aan Anna klaargezet (vertrouwd persoon)" in text
    assert "e-mail aan Anna: aangenomen door de mailserver (250)" in text
    assert "opgeborgen" in text and "Is opgeborgen." in text
    assert "Niemand anders heeft deze brief geopend of opgeborgen." in text
    assert "U hebt recht op een kopie." in text  # practice: no server log, said so
    assert letter.body[:40] not in text
