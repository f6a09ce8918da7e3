"""Herinneringen: the explained choice to be reminded, the trusted person, and
"Wat hebben wij gestuurd?" (issue 16).

Reached from the settings screen ("Herinneringen"). Everything here is local
and fast (the desk's settings, the outbox's SQLite file, the autostart file),
so the screen calls it directly, never the mailbox. Nothing is switched on
until the person presses the button for it; switching off is as easy. A
guided visit gets no such screen: nothing of a visitor may start at the next
login of a library PC.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout

from app import autostart, watch
from app.i18n import gettext as _
from app.outbox import is_address
from app.reminders import TrustedPerson
from ui.shell.accessible import WrappingCheck
from ui.shell.widgets import Screen, box, button, label


def data_dir_of(session) -> Path:
    """The data folder: the desk lives in ``<data folder>/<practice or server>/``."""
    return Path(session.desk.path).parent.parent


class RemindersScreen(Screen):
    def __init__(self, window, parent=None):
        super().__init__(window, parent)
        self.heading = label(role="title", name="reminders_title")
        self.intro = label(role="summary", name="reminders_intro")
        self.state = label(role="factname", name="reminders_state")
        self.result = label(role="notice", name="reminders_result")
        self.result.hide()
        self.switch_button = button("", name="reminders_switch")
        self.layout_.addWidget(self.heading)
        self.layout_.addWidget(self.result)
        self.layout_.addWidget(self.intro)
        self.layout_.addWidget(self.state)

        trusted = box()
        trusted.setObjectName("reminders_trusted")
        inner = QVBoxLayout(trusted)
        self.trusted_heading = label(role="factname", name="reminders_trusted_heading")
        self.trusted_intro = label(name="reminders_trusted_intro")
        self.name_label = label(name="reminders_name_label")
        self.name_field = QLineEdit()
        self.name_field.setObjectName("reminders_name")
        self.email_label = label(name="reminders_email_label")
        self.email_field = QLineEdit()
        self.email_field.setObjectName("reminders_email")
        self.name_label.setBuddy(self.name_field)
        self.email_label.setBuddy(self.email_field)
        self.subject_check = WrappingCheck("reminders_subject")
        self.save_button = button("", name="reminders_save")
        self.forget_button = button("", name="reminders_forget", secondary=True)
        for widget in (
            self.trusted_heading,
            self.trusted_intro,
            self.name_label,
            self.name_field,
            self.email_label,
            self.email_field,
            self.subject_check,
            self.save_button,
            self.forget_button,
        ):
            inner.addWidget(widget)
        self.layout_.addWidget(trusted)

        sent = box()
        sent.setObjectName("reminders_sent")
        self.sent_layout = QVBoxLayout(sent)
        self.sent_heading = label(role="factname", name="reminders_sent_heading")
        self.sent_layout.addWidget(self.sent_heading)
        self.sent_lines: list[QLabel] = []
        self.layout_.addWidget(sent)
        self.layout_.addStretch(1)

        self.back_button = button("", name="reminders_back", secondary=True)
        # the choice itself stands in the fixed bar: always in sight, on or off
        self.add_action(self.switch_button)
        self.add_action(self.back_button, at_end=True)
        self.switch_button.clicked.connect(self.on_switch)
        self.save_button.clicked.connect(self.on_save)
        self.forget_button.clicked.connect(self.on_forget)
        self.back_button.clicked.connect(lambda: self.window_.go_back())
        self.retranslate_ui()

    def title(self) -> str:
        return _("Herinneringen")

    def help_text(self) -> str:
        return _(
            "Hier kiest u of Brieventafel u herinnert aan brieven. "
            "U kunt ook iemand kiezen die een e-mail krijgt als een brief blijft liggen."
        )

    def first_focus(self):
        return self.switch_button

    # -- what is there --------------------------------------------------------------
    def _trusted(self) -> TrustedPerson | None:
        return watch.trusted_person(self.session.desk, self.session.person.id)

    def refresh(self) -> None:
        trusted = self._trusted()
        self.name_field.setText(trusted.name if trusted else "")
        self.email_field.setText(trusted.email if trusted else "")
        self.subject_check.check.setChecked(bool(trusted and trusted.show_subject))
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.heading.setText(_("Herinneringen"))
        self.intro.setText(
            _(
                "Brieventafel kan op uw post letten, ook als het venster dicht is. "
                "Komt er een brief? Of is een termijn bijna om? "
                "Dan ziet u een herinnering op uw computer. "
                "Dit staat uit tot u het aanzet. U kunt het altijd weer uitzetten."
            )
        )
        on = autostart.is_enabled()
        self.state.setText(_("Herinneringen staan aan.") if on else _("Herinneringen staan uit."))
        self.switch_button.setText(
            _("Herinneringen uitzetten") if on else _("Herinneringen aanzetten")
        )
        self.trusted_heading.setText(_("Iemand die u vertrouwt"))
        self.trusted_intro.setText(
            _(
                "Ligt een brief 7 dagen ongeopend? Of moet u over 3 dagen iets doen? "
                "Dan krijgt deze persoon een e-mail. "
                "Daarin staat wie de brief stuurde en wanneer het klaar moet zijn. "
                "Er staat niets uit de brief zelf in."
            )
        )
        self.name_label.setText(_("Naam"))
        self.name_field.setAccessibleName(_("Naam"))
        self.email_label.setText(_("E-mailadres"))
        self.email_field.setAccessibleName(_("E-mailadres"))
        self.subject_check.set_text(_("Het onderwerp van de brief mag in de e-mail staan."))
        self.save_button.setText(_("Bewaren"))
        self.forget_button.setText(_("Niemand meer mailen"))
        self.forget_button.setVisible(self._trusted() is not None)
        self.sent_heading.setText(_("Wat hebben wij gestuurd?"))
        self.back_button.setText(_("Terug"))
        self._show_history()

    def _show_history(self) -> None:
        for line in self.sent_lines:
            self.sent_layout.removeWidget(line)
            line.setParent(None)  # gone from the screen now, not at the next event loop
            line.deleteLater()
        self.sent_lines = []
        try:
            sent = watch.history(
                self.session.desk, self.session.person.id, data_dir_of(self.session)
            )
        except Exception:  # a damaged outbox never keeps the screen from opening
            sent = []
        texts = [s.text for s in sent] or [_("Wij hebben nog niemand gemaild.")]
        for number, text in enumerate(texts):
            line = label(text, name=f"reminders_sent_{number}")
            self.sent_layout.addWidget(line)
            self.sent_lines.append(line)

    def say(self, text: str) -> None:
        self.result.setText(text)
        self.result.setVisible(bool(text))

    # -- the person's choices ----------------------------------------------------------
    def on_switch(self) -> None:
        try:
            if autostart.is_enabled():
                autostart.disable()
                self.say(_("Herinneringen staan nu uit."))
            else:
                autostart.enable(data_dir_of(self.session))
                self.say(_("Herinneringen staan nu aan. Ze beginnen als u de computer aanzet."))
        except OSError:
            self.say(_("Dit lukte niet. Er is niets veranderd."))
        self.retranslate_ui()

    def on_save(self) -> None:
        name = " ".join(self.name_field.text().split())
        email = self.email_field.text().strip()
        if not name:
            self.say(_("Vul een naam in voor de vertrouwde persoon."))
            self.name_field.setFocus()
            return
        if not is_address(email):
            self.say(_("Dit e-mailadres klopt niet. Kijk het na. Bijvoorbeeld: anna@example.nl."))
            self.email_field.setFocus()
            return
        show_subject = self.subject_check.check.isChecked()
        watch.set_trusted_person(
            self.session.desk, self.session.person.id, TrustedPerson(name, email, show_subject)
        )
        self.say(
            _("Bewaard. %(name)s krijgt een e-mail als een brief blijft liggen.") % {"name": name}
        )
        self.retranslate_ui()

    def on_forget(self) -> None:
        watch.set_trusted_person(self.session.desk, self.session.person.id, None)
        self.refresh()
        self.say(_("Er is nu geen vertrouwde persoon. Wij mailen niemand meer."))


def snooze_applies(session, letter) -> bool:
    """Whether "Ik weet het, herinner me over 3 dagen" means something for this
    letter now: one's own post, on the table, with a deadline reminder due today
    (once a letter is open, only its deadline reminds)."""
    from dataclasses import replace

    from app.reminders import reminder_for

    if letter is None or session.acts_for_someone_else:
        return False
    on_table = {l.id for l in session.desk.table(session.person.id)}
    if letter.id not in on_table:
        return False
    return (
        reminder_for(replace(letter, read=True), session.today(), reminded_before=True) is not None
    )


class RemindersFeature(QObject):
    """The screen (built when first shown), its button on the settings screen,
    and "Later herinneren" in the letter screen's fixed bar (through the window's
    ``when_built`` hook: the letter screen itself is not this feature's file)."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        window.add_screen_factory("reminders_screen", lambda: RemindersScreen(window))
        self.settings_button = button("", name="settings_reminders", secondary=True)
        self.settings_button.clicked.connect(lambda: window.show_screen("reminders_screen"))
        self.settings_button.installEventFilter(self)
        self.letter_screen = None
        self.snooze_button = button("", name="letter_snooze", secondary=True)
        self.snooze_button.hide()
        self.snooze_button.clicked.connect(self.on_snooze)
        self.snooze_button.installEventFilter(self)
        window.when_built("settings_screen", self._on_settings_built)
        window.when_built("letter_screen", self._on_letter_built)
        self.retranslate_ui()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt API
        if (
            watched in (self.settings_button, self.snooze_button)
            and event.type() == QEvent.Type.LanguageChange
        ):
            self.retranslate_ui()
        if watched is self.letter_screen and event.type() == QEvent.Type.Show:
            self._place_snooze()
        return False

    def _on_letter_built(self, letter_screen) -> None:
        # "Ik weet het, herinner me over 3 dagen" in full does not fit the bar on
        # one row at 200 % (844 px beside Klaar opbergen / Printen / Terug in a
        # 1256 px bar): the bar would take two rows and the letter 86 px less.
        # So the bar says "Later herinneren"; the full sentence is its tooltip and
        # accessible description, and the notice says the day.
        self.letter_screen = letter_screen
        letter_screen.add_action(self.snooze_button)
        letter_screen.installEventFilter(self)

    def _place_snooze(self) -> None:
        screen = self.letter_screen
        letter = getattr(screen, "letter", None)
        try:
            applies = snooze_applies(self.window.session, letter)
        except Exception:  # the desk could not be read: no button, the letter still shows
            applies = False
        self.snooze_button.setVisible(applies)

    def on_snooze(self) -> None:
        letter = getattr(self.letter_screen, "letter", None)
        if letter is None:
            return
        session = self.window.session
        try:
            until = watch.snooze(session.desk, session.person.id, letter.id, session.today())
        except Exception:
            self.window.tell(_("Dit lukte niet. Er is niets veranderd."))
            return
        self.window.tell(watch.snooze_words(until))

    def _on_settings_built(self, settings_screen) -> None:
        settings_screen.add_action(self.settings_button)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        from app.reminders import snooze_label

        self.settings_button.setText(_("Herinneringen"))
        self.snooze_button.setText(_("Later herinneren"))
        self.snooze_button.setToolTip(snooze_label())
        self.snooze_button.setAccessibleDescription(snooze_label())


def install(window) -> RemindersFeature | None:
    guided = sys.modules.get("ui.guided.window")
    if guided is not None and isinstance(window, guided.GuidedWindow):
        return None  # nothing of a library visitor may start at the next login
    return RemindersFeature(window)
