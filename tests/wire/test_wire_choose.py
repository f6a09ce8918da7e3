"""Choosing the Berichtenbox on the settings screen, remembered for the next start."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

import pytest
from PySide6.QtCore import Qt
from wire_server import ROOT

from app import server_choice


def test_a_choice_is_kept_private_and_an_odd_file_means_the_practice_box(tmp_path):
    server_choice.save(tmp_path, server_choice.Choice("https://post.example.nl", "koen"))
    path = tmp_path / server_choice.FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert server_choice.load(tmp_path) == server_choice.Choice("https://post.example.nl", "koen")
    for odd in ("{", "[]", json.dumps({"server": "http://post.example.nl", "person": "koen"})):
        path.write_text(odd, encoding="utf-8")
        assert server_choice.load(tmp_path) is None, odd  # never plain http over a network
    server_choice.save(tmp_path, None)
    assert not path.exists()


def test_the_settings_screen_remembers_a_server(qtbot, window, tmp_path):
    window.data_dir = tmp_path
    window.show_screen(window.settings_screen)
    qtbot.mouseClick(window.settings_screen.box_button, Qt.MouseButton.LeftButton)
    chooser = window.choose_server_screen
    assert window.current_screen() is chooser
    assert chooser.now.text() == "Nu gebruikt u de oefenpost."
    qtbot.keyClicks(chooser.address, "http://post.example.nl")
    qtbot.keyClicks(chooser.person, "koen")
    qtbot.mouseClick(chooser.use_button, Qt.MouseButton.LeftButton)
    assert chooser.result.text().startswith("Dit serveradres kunnen wij niet gebruiken")
    assert server_choice.load(tmp_path) is None
    chooser.address.setText("https://post.example.nl")
    qtbot.mouseClick(chooser.use_button, Qt.MouseButton.LeftButton)
    assert server_choice.load(tmp_path) == server_choice.Choice("https://post.example.nl", "koen")
    assert chooser.result.text().startswith("Start Brieventafel opnieuw.")
    qtbot.mouseClick(chooser.practice_button, Qt.MouseButton.LeftButton)
    assert server_choice.load(tmp_path) is None


def test_a_remembered_server_that_does_not_answer_opens_the_practice_box(tmp_path):
    """The real launcher (offscreen, its event loop ended by the test's own script):
    a remembered server that is not there must never lock the person out."""
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    server_choice.save(data, server_choice.Choice("http://127.0.0.1:9", "koen"))
    script = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "import ui.shell.main as m\n"
        "from app.__main__ import parse_args, check_args\n"
        "args = parse_args(['--data-dir', sys.argv[1]])\n"
        "assert check_args(args) is None\n"
        "real = QApplication.exec\n"
        "def once(self=None):\n"
        "    w = [x for x in QApplication.topLevelWidgets() if x.objectName() == 'main_window']\n"
        "    print('PRACTICE' if w[0].session.is_practice else 'SERVER')\n"
        "    print('TOLD', w[0]._notices[0][0] if w[0]._notices else '')\n"
        "    return 0\n"
        "QApplication.exec = once\n"
        "sys.exit(m.run(args))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script, str(data)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "BRIEVENTAFEL_TOKEN": "x"},
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert "PRACTICE" in run.stdout
    assert "U ziet nu de oefenpost." in run.stdout
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize("scale", [100, 200])
def test_the_sign_in_window_and_the_chooser_fit_a_laptop_with_their_answer_in_sight(
    qtbot, window, tmp_path, scale
):
    from PySide6.QtWidgets import QApplication

    from fit import fit_problems
    from ui.shell import theme
    from ui.signin.window import SignInWindow

    theme.apply(QApplication.instance(), scale)
    try:
        sign_in = SignInWindow("https://post.example.nl", lambda who, pin: "", person="koen")
        qtbot.addWidget(sign_in)
        sign_in.show()
        sign_in.resize(1366, 700)
        sign_in.say("De naam of de pincode klopt niet. Probeer het nog eens.")
        QApplication.processEvents()
        assert fit_problems(sign_in) == []
        assert sign_in.result.visibleRegion().boundingRect().height() == sign_in.result.height()

        window.set_scale(scale)
        window.data_dir = tmp_path
        window.showNormal()
        window.resize(1366, 700)
        window.show_screen(window.choose_server_screen)
        window.choose_server_screen.use_server()  # nothing filled in: the kind refusal
        QApplication.processEvents()
        assert fit_problems(window) == []
        shown = window.choose_server_screen.result
        assert shown.visibleRegion().boundingRect().height() == shown.height()
    finally:
        theme.apply(QApplication.instance(), 100)
