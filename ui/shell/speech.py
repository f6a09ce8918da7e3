"""Read aloud: the letter or the main text of a screen, through QtTextToSpeech.

On Linux the "speechd" engine (speech-dispatcher) speaks with a voice for the
language in use; elsewhere the platform's own engine. Where there is no
engine, pressing "Voorlezen" explains why in plain words; nothing breaks.

The engine starts only when someone presses "Voorlezen", so start-up does not
load speech at all. Qt's "mock" engine (for Qt's own tests) is never used.

Starting or preparing the engine can take seconds. From the press until the
engine reports Speaking the button says "Voorlezen start…" (its own state
signals end that, no timer); pressed again, it stops.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, QObject, Signal
from PySide6.QtWidgets import QPushButton, QWidget

from app import i18n
from app.i18n import gettext as _
from app.speech_service import speechd_answers

if TYPE_CHECKING:  # imported on first use: QtTextToSpeech needs libpulse
    from PySide6.QtTextToSpeech import QTextToSpeech

#: Engines that do not really speak; never chosen.
NOT_SPEAKING = {"mock"}


def choose_engine(available: list[str], platform: str = sys.platform) -> str | None:
    """The engine to use from the ones Qt found, or None when none really speaks."""
    usable = [name for name in available if name not in NOT_SPEAKING]
    if platform.startswith("linux") and "speechd" in usable:
        return "speechd"
    return usable[0] if usable else None


class ReadAloud(QObject):
    """One voice for the whole app.

    After speak() the voice is first *waiting* (the engine is starting or preparing;
    speech-dispatcher takes seconds) and *speaking* only once the engine reports
    Speaking. Both come from the engine's own state signals, never from a timer.

    Signals:
        sig_speaking_changed(bool): speaking started (True) or ended (False).
        sig_waiting_changed(bool): waiting for the engine started (True) or ended (False).
        sig_problem(str): the engine failed after speak(); a plain explanation.
    """

    sig_speaking_changed = Signal(bool)
    sig_waiting_changed = Signal(bool)
    sig_problem = Signal(str)

    def __init__(
        self,
        engine: str | None = None,
        parent: QObject | None = None,
        engine_parameters: dict[str, object] | None = None,
    ):
        super().__init__(parent)
        self._wanted_engine = engine
        self._engine_parameters = dict(engine_parameters or {})
        self._speech: QTextToSpeech | None = None  # made on first use
        self._problem: str | None = None
        self._pending: str | None = None
        self._speaking = False
        self._waiting = False
        self.engine_name: str | None = None

    # -- the engine ---------------------------------------------------------------
    def _start(self) -> None:
        """Start the engine once. Afterwards either _speech or _problem is set."""
        if self._speech is not None or self._problem is not None:
            return
        try:
            from PySide6.QtTextToSpeech import QTextToSpeech
        except (ImportError, OSError):
            self._problem = _(
                "Voorlezen werkt niet op deze computer. Het onderdeel voor spraak ontbreekt."
            )
            return
        available = list(QTextToSpeech.availableEngines())
        name = self._wanted_engine or choose_engine(available)
        if name is None or name not in available:
            self._problem = self._no_engine_text()
            return
        if name == "speechd" and speechd_answers() is False:
            self._problem = _(
                "Voorlezen reageert nu niet. Het voorleesprogramma hangt. "
                "Start de computer opnieuw op. Er is niets verloren."
            )
            return
        speech = QTextToSpeech(name, self._engine_parameters, self)
        still_starting = speech.errorReason() == QTextToSpeech.ErrorReason.NoError
        if speech.state() == QTextToSpeech.State.Error and not still_starting:
            self._problem = self._no_engine_text()
            speech.deleteLater()
            return
        self._speech = speech
        self.engine_name = name
        speech.stateChanged.connect(self._on_state)
        self._choose_voice()

    @staticmethod
    def _no_engine_text() -> str:
        text = _(
            "Voorlezen werkt niet. Er is geen voorleesprogramma op deze computer. "
            "Vraag iemand om dat te installeren."
        )
        if sys.platform.startswith("linux"):
            text += " " + _("Het programma heet speech-dispatcher.")
        return text

    def _choose_voice(self) -> None:
        """A voice for the language in use (Dutch by default), when the engine has one."""
        speech = self._speech
        if speech is None:
            return
        wanted = QLocale(i18n.locale())
        locales = list(speech.availableLocales())
        same = [loc for loc in locales if loc.name() == wanted.name()]
        language = [loc for loc in locales if loc.language() == wanted.language()]
        if same or language:
            speech.setLocale((same or language)[0])

    def problem(self) -> str | None:
        """Why reading aloud cannot work here, in plain words; None when it can."""
        self._start()
        if self._speech is not None and self._is_error():
            return self._engine_error_text()
        return self._problem

    @staticmethod
    def _engine_error_text() -> str:
        return _(
            "Voorlezen werkt nu niet. Het voorleesprogramma geeft een fout. "
            "Probeer het later nog eens."
        )

    def is_ready(self) -> bool:
        """True when the engine is there and waits for text."""
        self._start()
        if self._speech is None:
            return False
        from PySide6.QtTextToSpeech import QTextToSpeech

        return self._speech.state() == QTextToSpeech.State.Ready

    def voice_language(self) -> str:
        """The language of the voice, e.g. 'nl' ('' without engine)."""
        if self._speech is None:
            return ""
        return self._speech.locale().name().split("_")[0]

    def _is_error(self) -> bool:
        """A real error; an engine that is still starting (Error without a reason) is none."""
        from PySide6.QtTextToSpeech import QTextToSpeech

        speech = self._speech
        return (
            speech is not None
            and speech.state() == QTextToSpeech.State.Error
            and speech.errorReason() != QTextToSpeech.ErrorReason.NoError
        )

    # -- speaking -------------------------------------------------------------------
    def speak(self, text: str) -> str | None:
        """Read text aloud. Returns a plain explanation when that cannot be done."""
        problem = self.problem()
        if problem is not None:
            return problem
        text = " ".join(text.split())
        if not text:
            return _("Op dit scherm staat geen tekst om voor te lezen.")
        self._choose_voice()  # the language may have changed
        from PySide6.QtTextToSpeech import QTextToSpeech

        assert self._speech is not None  # problem() is None: the engine was made
        ready = self._speech.state() in (
            QTextToSpeech.State.Ready,
            QTextToSpeech.State.Speaking,
            QTextToSpeech.State.Paused,
        )
        if ready:
            self._speech.stop()  # before waiting: its Ready must not end the wait
        self._set_speaking(False)
        self._set_waiting(True)  # until the engine reports Speaking
        if ready:
            self._speech.say(text)
        else:  # still starting: speak as soon as it is ready
            self._pending = text
        return None

    def stop(self) -> None:
        self._pending = None
        was_busy = self._waiting or self._speaking
        self._set_waiting(False)
        self._set_speaking(False)
        if self._speech is not None and was_busy:
            self._speech.stop()

    def is_speaking(self) -> bool:
        """True once the engine really speaks (not while it is still starting)."""
        return self._speaking

    def is_waiting(self) -> bool:
        """True after speak() until the engine speaks, fails or is stopped."""
        return self._waiting

    def _on_state(self, state) -> None:
        from PySide6.QtTextToSpeech import QTextToSpeech

        if state == QTextToSpeech.State.Ready and self._pending and self._speech is not None:
            text, self._pending = self._pending, None
            self._speech.say(text)
            return
        if state == QTextToSpeech.State.Speaking:
            if not (self._waiting or self._speaking):
                return  # stopped before it spoke: stay quiet
            self._set_waiting(False)
            self._set_speaking(True)
        elif state == QTextToSpeech.State.Ready:
            self._set_waiting(False)
            self._set_speaking(False)
        elif state == QTextToSpeech.State.Error:
            was_busy = self._waiting or self._speaking
            self._pending = None
            self._set_waiting(False)
            self._set_speaking(False)
            if was_busy:
                self.sig_problem.emit(self._engine_error_text())

    def _set_waiting(self, waiting: bool) -> None:
        if waiting != self._waiting:
            self._waiting = waiting
            self.sig_waiting_changed.emit(waiting)

    def _set_speaking(self, speaking: bool) -> None:
        if speaking != self._speaking:
            self._speaking = speaking
            self.sig_speaking_changed.emit(speaking)


class ReadAloudButton(QPushButton):
    """'Voorlezen' in the top bar: reads the screen that is shown; pressed again, it stops.

    Where there is no engine, it tells why through ``window.tell(text)`` (a notice
    that stays until the person closes it).
    """

    def __init__(self, window, voice: ReadAloud | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.window_ = window
        self.voice = voice or ReadAloud(parent=self)
        self.setObjectName("read_aloud")
        self.setProperty("role", "secondary")
        self.setAutoDefault(False)
        self.voice.sig_speaking_changed.connect(lambda _speaking: self.retranslate_ui())
        self.voice.sig_waiting_changed.connect(lambda _waiting: self.retranslate_ui())
        self.voice.sig_problem.connect(self.window_.tell)
        self.clicked.connect(self._on_clicked)
        self._starting = False  # True while this button starts the engine
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        if self._starting or self.voice.is_waiting():
            self.setText(_("Voorlezen start…"))
            self.setAccessibleName(_("Voorlezen start. Druk nog een keer om te stoppen."))
        elif self.voice.is_speaking():
            self.setText(_("Stop voorlezen"))
            self.setAccessibleName(_("Stop met voorlezen"))
        else:
            self.setText(_("Voorlezen"))
            self.setAccessibleName(_("Lees dit scherm voor"))

    def _on_clicked(self) -> None:
        if self.voice.is_speaking() or self.voice.is_waiting():
            self.voice.stop()
            return
        screen = self.window_.current_screen()
        text = screen.read_aloud_text() if hasattr(screen, "read_aloud_text") else ""
        # Starting the engine can block for seconds: show the sign first.
        self._starting = True
        self.retranslate_ui()
        self.repaint()
        try:
            problem = self.voice.speak(text)
        finally:
            self._starting = False
            self.retranslate_ui()
        if problem is not None:
            self.window_.tell(problem)
