"""Brieventafel itself on the real server: sign in, the table from HTTP, offline, sign out.

The server is the real one in a subprocess on loopback (wire_server.py); the
keyring is a real file keyring in a tmp folder (keyrings.alt), as in
test_wire_secrets.py: no OS keyring runs in CI.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date

import pytest
import requests
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from wire_server import ROOT

from app import secrets
from app.session import Session
from ui.shell import theme
from ui.shell.main_window import MainWindow
from ui.signin.window import SignInWindow

TODAY = date(2026, 11, 28)


@pytest.fixture
def file_keyring(tmp_path):
    keyring = pytest.importorskip("keyring")
    from keyrings.alt.file import PlaintextKeyring

    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path / "keyring" / "keyring_pass.cfg")
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def remote_window(qtbot, tmp_path, server, token: str) -> MainWindow:
    session = Session.open_remote(
        tmp_path / "data", server.base, "koen", token, today=lambda: TODAY, sync=False
    )
    theme.apply(QApplication.instance(), 100)
    window = MainWindow(session, pdf_folder=tmp_path / "pdf")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_sign_in_says_a_wrong_pin_plainly_and_gives_a_token_for_the_right_one(qtbot, server):
    from app.mailbox.remote import login

    window = SignInWindow(server.base, lambda who, pin: login(server.base, who, pin))
    qtbot.addWidget(window)
    window.show()
    assert window.focusWidget() is window.person_field
    window.sign_in()
    assert window.result.text() == "Vul uw naam en uw pincode in."
    qtbot.keyClicks(window.person_field, "koen")
    qtbot.keyClicks(window.pin_field, "00000")
    qtbot.keyClick(window.pin_field, Qt.Key.Key_Return)
    assert window.result.text() == "De naam of de pincode klopt niet. Probeer het nog eens."
    assert window.pin_field.text() == ""  # the PIN is asked again, never kept
    with qtbot.waitSignal(window.sig_signed_in) as signed:
        qtbot.keyClicks(window.pin_field, "11111")
        qtbot.mouseClick(window.sign_in_button, Qt.MouseButton.LeftButton)
    person, token = signed.args
    assert person == "koen"
    answer = requests.get(
        server.base + "/api/v1/berichten",
        headers={"Authorization": f"Bearer {token}", "X-Ontvanger": "BSN:999990019"},
        timeout=10,
    )
    assert answer.status_code in (200, 409)  # 409: the cache is filled by _ophalen


def test_the_rdw_letter_published_on_the_server_lies_on_koens_table(qtbot, tmp_path, server):
    window = remote_window(qtbot, tmp_path, server, server.token())
    assert not window.practice_label.isVisible()  # real post: no practice banner
    published = server.publish(
        "rdw", onderwerp="APK-herinnering", inhoud="Uw auto moet voor 6 januari gekeurd zijn."
    )
    assert published.status_code == 201, published.text
    window.sync()
    subjects = [letter.subject for letter in window.session.table()]
    assert "APK-herinnering" in subjects
    assert window.table_screen.model.rowCount() == len(subjects)
    assert not window.connection_label.isVisible()


def test_offline_the_letters_stay_with_one_calm_line(qtbot, tmp_path, own_server):
    window = remote_window(qtbot, tmp_path, own_server, own_server.token())
    window.sync()
    before = [letter.id for letter in window.session.table()]
    assert before
    own_server.stop()
    window.sync()
    assert window.connection_label.isVisible()
    assert window.connection_label.text().startswith("Geen verbinding. U ziet uw brieven van ")
    assert window._notices == []  # not a notice that piles up at every try
    assert [letter.id for letter in window.session.table()] == before
    window.go_home()  # going back to the table tries again: still offline, still one line
    assert window.connection_label.isVisible()


def test_sign_out_revokes_the_token_and_forgets_it(qtbot, tmp_path, server, file_keyring):
    token = server.token()
    secrets.save_token(server.base, "koen", token)
    window = remote_window(qtbot, tmp_path, server, token)
    window.show_screen(window.settings_screen)
    sign_out = window.settings_screen.sign_out_button
    assert sign_out.isVisible()
    qtbot.mouseClick(sign_out, Qt.MouseButton.LeftButton)
    assert secrets.load_token(server.base, "koen") is None
    answer = requests.get(
        server.base + "/api/v1/account",
        headers={"Authorization": f"Bearer {token}", "X-Ontvanger": "BSN:999990019"},
        timeout=10,
    )
    assert answer.status_code == 401
    assert window._notices[-1][0].startswith("U bent afgemeld.")


def test_practice_has_no_sign_out(window):
    assert not window.settings_screen.sign_out_button.isVisibleTo(window.settings_screen)


def test_self_test_paints_the_table_from_a_server(tmp_path, server):
    run = subprocess.run(
        [sys.executable, "-m", "app", "--self-test", "--server", server.base, "--person", "koen"]
        + ["--data-dir", str(tmp_path / "data")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "BRIEVENTAFEL_TOKEN": server.token(), "QT_QPA_PLATFORM": "offscreen"},
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert "Brieventafel self-test:" in run.stdout
    count = int(run.stdout.split("self-test:")[1].split()[0])
    assert count >= 22  # Koen's practice letters, over HTTP


def test_a_server_address_without_https_is_refused_in_plain_words(tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "app", "--self-test", "--server", "http://post.example.nl"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2
    assert "https://" in run.stderr and "Traceback" not in run.stderr


def test_an_expired_sign_in_asks_the_pin_again_and_loses_nothing(
    qtbot, tmp_path, server, file_keyring
):
    token = server.token()
    window = remote_window(qtbot, tmp_path, server, token)
    window.sync()
    before = [letter.id for letter in window.session.table()]
    requests.post(
        server.base + "/api/v1/_logout", headers={"Authorization": f"Bearer {token}"}, timeout=10
    )  # the token no longer holds, as after it expired
    window.sync()
    sign_in = window._sign_in
    assert sign_in is not None and sign_in.isVisible()
    assert sign_in.result.text().startswith("Uw aanmelding is verlopen.")
    assert sign_in.person_field.text() == "koen"
    assert [letter.id for letter in window.session.table()] == before
    published = server.publish("rdw", onderwerp="Na opnieuw aanmelden", inhoud="Nieuw.")
    assert published.status_code == 201, published.text
    qtbot.keyClicks(sign_in.pin_field, "11111")
    qtbot.keyClick(sign_in.pin_field, Qt.Key.Key_Return)
    assert window._sign_in is None
    assert "Na opnieuw aanmelden" in [letter.subject for letter in window.session.table()]
    assert secrets.load_token(server.base, "koen") not in (None, token)  # the new one is kept
