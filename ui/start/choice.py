"""The first-start choice: "Ik regel mijn eigen post" or "Ik help iemand anders (bibliotheek)".

It is a box at the top of the table, not a dialog: the letters are visible
under it, and nothing has to be answered first. "Ik regel mijn eigen post" is
remembered in the desk's settings, so the box does not come back. Helping
someone opens a guided session (ui/guided/window.py) in its own window, on a
throwaway profile; when it ends, this window comes back. Helping is not
remembered: a library PC asks every time. The box is never shown in a guided
window itself.

Someone who signed in and acts for others (Piet, Monique: issue 13) answered
the question by signing in: they are not asked it. They start on the overview
of everyone they look after, whose first line says it ("U regelt de post voor
10 anderen. Kies voor wie."), and their own table has no box above it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QVBoxLayout

from app import people
from app.i18n import gettext as _
from ui.shell.widgets import FlowLayout, box, button, label

SETTING = "start_choice"
OWN = "own"


class StartChoice(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.guided_window = None
        self._closed: list = []
        table = window.table_screen
        self.box = box()
        self.box.setObjectName("start_choice")
        # Compact, so the cards stay in sight under it: one line of text (the
        # welcome and the question together) and one row of buttons.
        layout = QVBoxLayout(self.box)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.setSpacing(6)
        self.text = label(role="summary", name="start_choice_text")
        self.text.setMinimumHeight(1)  # laid out at the page's width, not a narrow one
        self.heading = self.text
        layout.addWidget(self.text)
        row = FlowLayout()
        self.own_button = button("", name="start_own")
        self.guided_button = button("", name="start_guided", secondary=True)
        row.addWidget(self.own_button)
        row.addWidget(self.guided_button)
        layout.addLayout(row)
        table.set_greeting(self.box)
        self.own_button.clicked.connect(self.choose_own)
        self.guided_button.clicked.connect(self.choose_guided)
        self.retranslate_ui()
        self.box.installEventFilter(self)
        self.box.setVisible(window.session.setting(SETTING) is None and not acts_for_others(window))

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt API
        if watched is self.box and event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        return False

    def retranslate_ui(self) -> None:
        # One line, at 200 % too; the buttons say the rest.
        self.text.setText(_("Welkom! Wie gebruikt Brieventafel nu?"))
        self.own_button.setText(_("Ik regel mijn eigen post"))
        # Short, so both buttons stand on one row at 200 %; where, in the description.
        self.guided_button.setText(_("Ik help iemand anders"))
        self.guided_button.setAccessibleDescription(
            _("Bijvoorbeeld als vrijwilliger in de bibliotheek.")
        )

    def choose_own(self) -> None:
        self.window.session.set_setting(SETTING, OWN)
        self.box.hide()
        table = self.window.table_screen
        table.view.setFocus(Qt.FocusReason.OtherFocusReason)
        table.view.keep_current_in_view()

    def choose_guided(self) -> None:
        from app.guided import Visit
        from ui.guided.window import GuidedWindow

        visit = Visit.start()
        visit.open_session()
        guided = GuidedWindow(visit, pdf_folder=self.window.pdf_folder)
        guided.set_scale(self.window.scale)
        guided.sig_closed.connect(self._guided_closed)
        self.guided_window = guided
        guided.show()
        self.window.hide()

    def _guided_closed(self) -> None:
        # Called from the guided window's closeEvent: let Qt delete it later, never
        # inside its own event (the reference is kept until then).
        done, self.guided_window = self.guided_window, None
        if done is not None:
            self._closed.append(done)
            done.deleteLater()
        from PySide6.QtWidgets import QApplication

        from ui.shell import theme

        theme.apply(
            QApplication.instance(), self.window.scale, getattr(self.window, "high_contrast", False)
        )  # the owner's size, not saved again
        self.window.show()
        self.window.go_home()


def acts_for_others(window) -> bool:
    """Whether the signed-in person looks after someone else's post (desk only)."""
    return len(people.represented(window.session)) > 1


def install(window) -> StartChoice | None:
    if getattr(window, "visit", None) is not None:  # a guided window asks nothing
        return None
    return StartChoice(window)
