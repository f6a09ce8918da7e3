"""Choose the Berichtenbox: the practice box, or a server (from the settings screen).

The choice is remembered in the data folder (app/server_choice.py) and used at
the next start: a session is not swapped under an open window. The sign-in
itself happens then, in the sign-in window.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from app import server_choice
from app.i18n import gettext as _
from ui.shell.widgets import Screen, button, label


class ChooseServerScreen(Screen):
    def __init__(self, window, parent=None):
        super().__init__(window, parent)
        self.heading = label(role="title", name="choose_server_title")
        self.now = label(role="summary", name="choose_server_now")
        self.address_label = label(name="choose_server_address_label")
        self.address = QLineEdit()
        self.address.setObjectName("choose_server_address")
        self.person_label = label(name="choose_server_person_label")
        self.person = QLineEdit()
        self.person.setObjectName("choose_server_person")
        self.address_label.setBuddy(self.address)
        self.person_label.setBuddy(self.person)
        self.result = label(role="notice", name="choose_server_result")
        self.result.hide()
        # The answer right under the heading, in sight at any text size.
        for widget in (
            self.heading,
            self.now,
            self.result,
            self.address_label,
            self.address,
            self.person_label,
            self.person,
        ):
            self.layout_.addWidget(widget)
        self.layout_.addStretch(1)
        self.use_button = self.add_action(button("", name="choose_server_use"))
        self.practice_button = self.add_action(
            button("", name="choose_server_practice", secondary=True)
        )
        self.use_button.clicked.connect(self.use_server)
        self.practice_button.clicked.connect(self.use_practice)
        self.address.returnPressed.connect(self.use_server)
        self.person.returnPressed.connect(self.use_server)
        self.retranslate_ui()

    def title(self) -> str:
        return _("Welke Berichtenbox?")

    def help_text(self) -> str:
        return _(
            "Hier kiest u welke Berichtenbox Brieventafel gebruikt. "
            "De oefenpost is om te oefenen. Een echte Berichtenbox heeft een adres. "
            "Dat adres krijgt u van wie de Berichtenbox beheert."
        )

    def retranslate_ui(self) -> None:
        self.heading.setText(self.title())
        self.address_label.setText(_("Adres van de Berichtenbox"))
        self.address.setAccessibleName(_("Adres van de Berichtenbox"))
        self.address.setPlaceholderText("https://")
        self.person_label.setText(_("Uw naam bij de Berichtenbox"))
        self.person.setAccessibleName(_("Uw naam bij de Berichtenbox"))
        self.use_button.setText(_("Deze Berichtenbox gebruiken"))
        self.practice_button.setText(_("Oefenpost gebruiken"))
        self._say_now()

    def _say_now(self) -> None:
        folder = getattr(self.window_, "data_dir", None)
        chosen = server_choice.load(folder) if folder is not None else None
        if chosen is None:
            self.now.setText(_("Nu gebruikt u de oefenpost."))
        else:
            self.now.setText(_("Nu gebruikt u: %(server)s") % {"server": chosen.server})

    def refresh(self) -> None:
        self.result.hide()
        self._say_now()

    def first_focus(self):
        return self.address

    def say(self, text: str) -> None:
        self.result.setText(text)
        self.result.show()

    def use_server(self) -> None:
        address, person = self.address.text().strip(), self.person.text().strip()
        problem = server_choice.address_problem(address) if address else None
        if not address or not person:
            self.say(_("Vul het adres en uw naam in."))
            (self.address if not address else self.person).setFocus(Qt.FocusReason.OtherFocusReason)
            return
        if problem is not None:
            self.say(problem)
            self.address.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self._remember(server_choice.Choice(address, person))

    def use_practice(self) -> None:
        self._remember(None)

    def _remember(self, choice: server_choice.Choice | None) -> None:
        folder = getattr(self.window_, "data_dir", None)
        if folder is None:
            self.say(_("Dat kan hier niet. Start Brieventafel met --server en het adres."))
            return
        try:
            server_choice.save(folder, choice)
        except OSError:
            self.say(_("Het opslaan is niet gelukt. Er is niets veranderd."))
            return
        self._say_now()
        self.say(_("Start Brieventafel opnieuw. Dan gebruikt u de gekozen Berichtenbox."))
