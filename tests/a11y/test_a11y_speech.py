"""Read aloud: every screen has text to read, the letter reads as a letter, and
without a speech engine the button explains why instead of failing.

With speech-dispatcher and espeak-ng installed (Linux; .ci/run installs them),
one test starts the real engine and checks it is ready with a Dutch voice.

QtTextToSpeech needs libpulse.so.0 (libpulse0). Without it the tests that use
QtTextToSpeech directly are skipped with that name on a person's machine and fail
in CI (tests/system_libs.py); the app itself explains instead of failing.
"""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import Qt

from a11y_support import screen_name, show_each_screen, table_ids
from system_libs import system_library
from ui.shell import speech

pytestmark = pytest.mark.gui


def test_the_engine_choice_never_takes_the_silent_mock():
    assert speech.choose_engine([]) is None
    assert speech.choose_engine(["mock"]) is None
    assert speech.choose_engine(["mock", "speechd"], "linux") == "speechd"
    assert speech.choose_engine(["flite", "speechd"], "linux") == "speechd"
    assert speech.choose_engine(["mock", "sapi", "winrt"], "win32") == "sapi"
    assert speech.choose_engine(["darwin"], "darwin") == "darwin"


def test_every_screen_has_text_to_read_aloud(window):
    for screen in show_each_screen(window):
        text = screen.read_aloud_text()
        assert len(text.split()) >= 2, screen_name(screen)


def test_the_letter_screen_reads_the_letter(window, session):
    letter_id = table_ids(window)[0]
    window.open_letter(letter_id)
    text = window.current_screen().read_aloud_text()
    letter = session.letter(letter_id)
    assert text.startswith(f"Brief van {letter.sender}")
    assert "Wat moet ik doen?" in text
    assert letter.what_to_do in text
    assert letter.body.split("\n")[0] in text
    assert text.index("Wat moet ik doen?") < text.index("De brief zelf")


def test_the_table_reads_the_summary_and_every_card(window):
    text = window.table_screen.read_aloud_text()
    assert window.table_screen.summary.text() in text
    assert text.count("Brief van ") == len(table_ids(window))


def test_without_an_engine_the_button_explains_in_plain_dutch(qtbot, window):
    """An engine that does not exist: Qt reports none, the person gets an explanation."""
    voice = speech.ReadAloud(engine="geen-spraak-hier")
    button = speech.ReadAloudButton(window, voice)
    window.top_bar.addWidget(button)
    button.show()
    assert button.text() == "Voorlezen"
    assert button.accessibleName() == "Lees dit scherm voor"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert window.notice_row.isVisible()
    message = window.notice_label.text()
    assert message.startswith("Voorlezen werkt ")
    assert "geen voorleesprogramma" in message or "onderdeel voor spraak" in message
    assert all(len(sentence.split()) <= 20 for sentence in message.split(". "))
    assert not voice.is_speaking() and button.text() == "Voorlezen"
    # The message stays until the person closes it.
    qtbot.mouseClick(window.notice_button, Qt.MouseButton.LeftButton)
    assert not window.notice_row.isVisible()


def test_the_top_bar_button_explains_when_this_machine_has_no_engine(qtbot, window):
    """The app's own button on this machine: without an engine it explains (CI has none)."""
    voice = window.read_button.voice
    if voice.problem() is None:
        pytest.skip(
            f"this machine has a speech engine ({voice.engine_name}); "
            "the explanation is tested with an engine that does not exist"
        )
    window.open_letter(table_ids(window)[0])
    qtbot.mouseClick(window.read_button, Qt.MouseButton.LeftButton)
    assert window.notice_row.isVisible()
    assert window.notice_label.text() == voice.problem()


def test_the_button_speaks_and_stops_through_qt_test_engine(qtbot, window):
    """Qt's own test engine ('mock', shipped with Qt) goes through the real speaking states
    without sound; the app itself never chooses it."""
    if "mock" not in qt_text_to_speech().availableEngines():
        pytest.skip("Qt's test speech engine is not shipped here")
    voice = speech.ReadAloud(engine="mock")
    button = speech.ReadAloudButton(window, voice)
    window.top_bar.addWidget(button)
    window.open_letter(table_ids(window)[0])
    with qtbot.waitSignal(voice.sig_speaking_changed, timeout=10000):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert voice.is_speaking()
    assert button.text() == "Stop voorlezen"
    assert button.accessibleName() == "Stop met voorlezen"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert not voice.is_speaking()
    assert button.text() == "Voorlezen"
    assert not window.notice_row.isVisible()


def qt_text_to_speech():
    """QTextToSpeech; without libpulse0 a skip naming it (a failure in CI)."""
    with system_library("libpulse0"):
        from PySide6.QtTextToSpeech import QTextToSpeech
    return QTextToSpeech


def real_engine_or_skip():
    engine = speech.choose_engine(list(qt_text_to_speech().availableEngines()))
    if engine is None:
        pytest.skip("no speech engine (apt-get install speech-dispatcher espeak-ng)")
    if sys.platform.startswith("linux"):
        import shutil

        if engine == "speechd" and not shutil.which("speech-dispatcher"):
            pytest.skip("the speechd engine is there but speech-dispatcher is not installed")
    return engine


def test_the_real_engine_gets_ready_with_a_dutch_voice(qtbot):
    engine = real_engine_or_skip()
    voice = speech.ReadAloud()
    qtbot.waitUntil(lambda: voice.is_ready() or voice.problem() is not None, timeout=20000)
    if voice.problem() is not None:
        pytest.skip(f"the {engine} engine is installed but does not start here: {voice.problem()}")
    assert voice.engine_name == engine
    assert voice.voice_language() == "nl"
    # No sound is made here: a machine without audio can leave speech-dispatcher stuck.


def test_a_hanging_speech_service_is_told_not_waited_for(tmp_path, monkeypatch):
    """A speech-dispatcher that accepts but never answers: the app says so, it does not freeze."""
    import socket

    from app.speech_service import speechd_answers, speechd_socket

    path = tmp_path / "speechd.sock"
    monkeypatch.setenv("SPEECHD_ADDRESS", f"unix_socket:{path}")
    assert speechd_socket() == path
    assert speechd_answers() is None  # not running: the engine may start it
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(str(path))
        server.listen(1)  # accepts, never answers
        assert speechd_answers(limit_seconds=0.5) is False
        if "speechd" in qt_text_to_speech().availableEngines():
            voice = speech.ReadAloud(engine="speechd")
            assert voice.problem().startswith("Voorlezen reageert nu niet.")


# -- without libpulse0 --------------------------------------------------------------
LIBPULSE_MISSING = "libpulse.so.0: cannot open shared object file: No such file or directory"


@pytest.fixture
def without_libpulse(monkeypatch):
    """Importing QtTextToSpeech fails the way it does on a machine without libpulse0."""
    import builtins

    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name.startswith("PySide6.QtTextToSpeech"):
            raise ImportError(LIBPULSE_MISSING)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)


def test_without_libpulse_a_person_gets_a_skip_that_names_the_package(
    without_libpulse, monkeypatch, tmp_path
):
    monkeypatch.delenv("CI", raising=False)
    for needs_speech in (
        qt_text_to_speech,
        real_engine_or_skip,
        lambda: test_a_hanging_speech_service_is_told_not_waited_for(tmp_path, monkeypatch),
    ):
        with pytest.raises(pytest.skip.Exception) as skipped:
            needs_speech()
        reason = str(skipped.value)
        assert "libpulse.so.0" in reason and "apt-get install libpulse0" in reason, reason
    # The app itself explains instead of failing.
    assert speech.ReadAloud().problem().startswith("Voorlezen werkt niet op deze computer.")


def test_without_libpulse_ci_fails(without_libpulse, monkeypatch, tmp_path):
    monkeypatch.setenv("CI", "true")
    for needs_speech in (qt_text_to_speech, real_engine_or_skip):
        with pytest.raises(pytest.fail.Exception) as failed:
            needs_speech()
        assert "in CI" in str(failed.value) and "libpulse0" in str(failed.value)


def test_an_import_error_that_is_no_missing_library_is_not_hidden(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(ImportError, match="cannot import name"), system_library():
        raise ImportError("cannot import name 'QTextToSpeech' from 'PySide6'")


# -- a sign at once: "Voorlezen start…" until the engine speaks ------------------------
def mock_voice_or_skip(**parameters) -> speech.ReadAloud:
    """Qt's own test engine; with delayedInitialization it is still starting for a moment,
    like speech-dispatcher that takes seconds (the delay is inside Qt's engine, not ours)."""
    if "mock" not in qt_text_to_speech().availableEngines():
        pytest.skip("Qt's test speech engine is not shipped here")
    return speech.ReadAloud(engine="mock", engine_parameters=parameters)


def test_voorlezen_shows_it_is_starting_until_the_engine_speaks(qtbot, window):
    voice = mock_voice_or_skip(delayedInitialization=True)
    button = speech.ReadAloudButton(window, voice)
    window.top_bar.addWidget(button)
    window.open_letter(table_ids(window)[0])
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    # The engine is still starting: no silence without a sign, and no error either.
    assert not window.notice_row.isVisible()
    assert not voice.is_speaking()
    assert button.text() == "Voorlezen start…"
    assert button.accessibleName() == "Voorlezen start. Druk nog een keer om te stoppen."
    with qtbot.waitSignal(voice.sig_speaking_changed, timeout=10000):
        pass  # the engine reports Speaking
    assert voice.is_speaking()
    assert button.text() == "Stop voorlezen"
    assert button.accessibleName() == "Stop met voorlezen"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert not voice.is_speaking()
    assert button.text() == "Voorlezen"
    assert button.accessibleName() == "Lees dit scherm voor"
    assert not window.notice_row.isVisible()


def test_the_sign_is_there_while_the_engine_is_being_started(qtbot, window, monkeypatch):
    """Starting speech-dispatcher blocks for seconds: the button says so before that starts.

    A spy on the voice's own problem() (where the engine is started) records what the
    button shows at that moment; the engine itself is Qt's real test engine."""
    voice = mock_voice_or_skip()
    button = speech.ReadAloudButton(window, voice)
    window.top_bar.addWidget(button)
    shown_while_starting = []
    real_problem = voice.problem

    def problem_with_spy():
        shown_while_starting.append(button.text())
        return real_problem()

    monkeypatch.setattr(voice, "problem", problem_with_spy)
    window.open_letter(table_ids(window)[0])
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert shown_while_starting == ["Voorlezen start…"]
    assert voice.is_speaking() and button.text() == "Stop voorlezen"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert button.text() == "Voorlezen"


def test_stop_while_starting_never_speaks_afterwards(qtbot, window):
    voice = mock_voice_or_skip(delayedInitialization=True)
    button = speech.ReadAloudButton(window, voice)
    window.top_bar.addWidget(button)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert button.text() == "Voorlezen start…"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # stop before it spoke
    assert button.text() == "Voorlezen"
    qtbot.waitUntil(voice.is_ready, timeout=10000)  # the engine has started meanwhile
    assert not voice.is_speaking() and button.text() == "Voorlezen"


def test_an_engine_error_while_starting_is_explained(qtbot, window):
    """The engine reports Error after 'Voorlezen start…': the plain explanation, and the
    button is 'Voorlezen' again. Qt's test engine is made to report it through its own signal."""
    voice = mock_voice_or_skip(delayedInitialization=True)
    button = speech.ReadAloudButton(window, voice)
    window.top_bar.addWidget(button)
    window.open_letter(table_ids(window)[0])
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert button.text() == "Voorlezen start…"
    engine = voice._speech
    assert engine is not None
    engine.stateChanged.emit(qt_text_to_speech().State.Error)
    assert button.text() == "Voorlezen"
    assert window.notice_row.isVisible()
    assert window.notice_label.text().startswith("Voorlezen werkt nu niet.")
