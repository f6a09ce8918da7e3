"""Sign in to a Berichtenbox server: one calm window, two fields, one button.

Shown by ``brieventafel --server URL`` when no token for that server and person
is in the OS keyring (or the kept one no longer holds). The PIN goes to the
server once, in the background (ui/shell/tasks.py); the token that comes back is
kept in the keyring only (app/secrets.py), never in a file or a log. On a
computer without a keyring the token holds for this run only, and the person is
told so.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QLineEdit, QVBoxLayout, QWidget

from app.i18n import gettext as _
from app.mailbox import MailboxError
from app.problems import Doing, problem_text
from ui.shell.tasks import Tasks
from ui.shell.widgets import FlowLayout, button, label, scrolling

#: (person, pin) -> token; app.mailbox.remote.login with the server filled in
Login = Callable[[str, str], str]


def keep_token(server: str, person: str, token: str) -> str | None:
    """Keep a fresh token in the OS keyring (app/secrets.py); on a computer without
    one, the words to tell the person (the token then holds for this run only)."""
    from app import secrets

    try:
        secrets.save_token(server, person, token)
    except secrets.NoKeyring:
        return _("Deze computer kan uw aanmelding niet bewaren. Meld u de volgende keer weer aan.")
    return None


class SignInWindow(QWidget):
    """Signals:
    sig_signed_in(str, str): the person id and the token, after a good sign-in.
    """

    sig_signed_in = Signal(str, str)

    def __init__(self, server: str, login: Login, *, person: str = "", tasks: Tasks | None = None):
        super().__init__()
        self.setObjectName("sign_in_window")
        self.login = login
        self.tasks = tasks or Tasks(self)
        self.tasks.failed.connect(self._failed)
        # The calm frame of every screen: one page that scrolls when the text is
        # large, and the two buttons in a fixed row below it, always in sight.
        frame = QVBoxLayout(self)
        frame.setContentsMargins(0, 0, 0, 0)
        frame.setSpacing(0)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(32, 24, 32, 16)
        layout.setSpacing(14)
        self.heading = label(role="title", name="sign_in_title")
        self.where = label(role="summary", name="sign_in_server")
        self.where.setText(server)
        self.person_label = label(name="sign_in_person_label")
        self.person_field = QLineEdit(person)
        self.person_field.setObjectName("sign_in_person")
        self.pin_label = label(name="sign_in_pin_label")
        self.pin_field = QLineEdit()
        self.pin_field.setObjectName("sign_in_pin")
        self.pin_field.setEchoMode(QLineEdit.EchoMode.Password)
        self.person_label.setBuddy(self.person_field)
        self.pin_label.setBuddy(self.pin_field)
        # The answer stands right under the heading: in sight, whatever the text size.
        self.result = label(role="notice", name="sign_in_result")
        self.result.hide()
        for widget in (
            self.heading,
            self.where,
            self.result,
            self.person_label,
            self.person_field,
            self.pin_label,
            self.pin_field,
        ):
            layout.addWidget(widget)
        layout.addStretch(1)
        self.page_area = scrolling(page)
        self.page_area.setObjectName("page_area")
        self.page_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        frame.addWidget(self.page_area, 1)
        bar = QFrame()
        bar.setObjectName("action_bar")
        bar.setProperty("role", "action_bar")
        row = FlowLayout(bar)
        row.setContentsMargins(32, 8, 32, 8)
        self.sign_in_button = button("", name="sign_in")
        self.stop_button = button("", name="sign_in_stop", secondary=True)
        row.addWidget(self.sign_in_button)
        row.addWidget(self.stop_button)
        frame.addWidget(bar)
        self.sign_in_button.clicked.connect(self.sign_in)
        self.pin_field.returnPressed.connect(self.sign_in)
        self.stop_button.clicked.connect(self.close)
        self.retranslate_ui()
        (self.pin_field if person else self.person_field).setFocus(Qt.FocusReason.OtherFocusReason)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Aanmelden"))
        self.heading.setText(_("Aanmelden bij uw Berichtenbox"))
        self.person_label.setText(_("Uw naam bij de Berichtenbox"))
        self.person_field.setAccessibleName(_("Uw naam bij de Berichtenbox"))
        self.pin_label.setText(_("Uw pincode"))
        self.pin_field.setAccessibleName(_("Uw pincode"))
        self.sign_in_button.setText(_("Aanmelden"))
        self.stop_button.setText(_("Stoppen"))

    def say(self, text: str) -> None:
        self.result.setText(text)
        self.result.setVisible(bool(text))

    def sign_in(self) -> None:
        person = self.person_field.text().strip()
        pin = self.pin_field.text()
        if not person or not pin:
            self.say(_("Vul uw naam en uw pincode in."))
            (self.person_field if not person else self.pin_field).setFocus()
            return
        self.sign_in_button.setEnabled(False)
        self.say("")

        def work() -> str:
            return self.login(person, pin)

        self.tasks.run(
            work,
            lambda token: self._signed_in(person, token),
            on_error=self._refused,
            owner=self,
            label="sign_in",
        )

    def _signed_in(self, person: str, token: str) -> None:
        self.pin_field.clear()
        self.sign_in_button.setEnabled(True)
        self.sig_signed_in.emit(person, token)

    def _refused(self, error: MailboxError) -> None:
        self._failed(problem_text(error, Doing.SIGN_IN))

    def _failed(self, text: str) -> None:
        """Refused, unreachable, or a fault of ours (then a kind sentence, from the
        background helper): said in the window; the PIN is asked again."""
        self.sign_in_button.setEnabled(True)
        self.pin_field.clear()
        self.say(text)
        self.pin_field.setFocus()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        self.tasks.shutdown()
        super().closeEvent(event)
