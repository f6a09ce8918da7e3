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
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QVBoxLayout

from app.i18n import gettext as _
from ui.shell.features import later
from ui.shell.widgets import Screen, box, button, label

if TYPE_CHECKING:
    from app import autostart, watch
    from app.reminders import TrustedPerson
else:  # app.watch brings the outbox, smtplib and ssl: loaded when the screen is used
    autostart = later("app.autostart")
    watch = later("app.watch")

#: the fridge list's type: larger than a print's 14 pt body
FRIDGE_POINT_SIZE = 16


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
        from ui.shell.accessible import WrappingCheck

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

        # Does the person's own notification arrive? (linked, tested, bounced)
        health = box()
        health.setObjectName("reminders_health")
        self.health_layout = QVBoxLayout(health)
        self.health_heading = label(role="factname", name="reminders_health_heading")
        self.health_layout.addWidget(self.health_heading)
        self.health_lines: list[QLabel] = []
        self.health_lines_at = self.health_layout.count()
        self.test_button = button("", name="reminders_test", secondary=True)
        self.code_label = label(name="reminders_code_label")
        self.code_field = QLineEdit()
        self.code_field.setObjectName("reminders_code")
        self.code_field.setMaxLength(12)
        self.code_label.setBuddy(self.code_field)
        self.code_button = button("", name="reminders_code_check", secondary=True)
        for widget in (self.test_button, self.code_label, self.code_field, self.code_button):
            self.health_layout.addWidget(widget)
        self.layout_.addWidget(health)
        self.account_email: str | None = None
        self.account_known = False
        self.server_bounces: list[str] = []

        # On paper: the fridge list, and a proof pack per letter
        paper = box()
        paper.setObjectName("reminders_paper")
        inner_paper = QVBoxLayout(paper)
        self.paper_heading = label(role="factname", name="reminders_paper_heading")
        self.paper_intro = label(name="reminders_paper_intro")
        self.fridge_print_button = button("", name="reminders_fridge_print", secondary=True)
        self.fridge_send_button = button("", name="reminders_fridge_send", secondary=True)
        # the list by itself each week (off until chosen; the watcher mails it)
        self.fridge_weekly_check = WrappingCheck("reminders_fridge_weekly")
        self.proof_label = label(name="reminders_proof_label")
        self.proof_choice = QComboBox()
        self.proof_choice.setObjectName("reminders_proof_choice")
        self.proof_label.setBuddy(self.proof_choice)
        self.proof_button = button("", name="reminders_proof_print", secondary=True)
        for part in (
            self.paper_heading,
            self.paper_intro,
            self.fridge_print_button,
            self.fridge_send_button,
            self.fridge_weekly_check,
            self.proof_label,
            self.proof_choice,
            self.proof_button,
        ):
            inner_paper.addWidget(part)
        self.layout_.addWidget(paper)

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
        self.test_button.clicked.connect(self.on_test)
        self.fridge_print_button.clicked.connect(self.on_fridge_print)
        self.fridge_send_button.clicked.connect(self.on_fridge_send)
        self.fridge_weekly_check.check.clicked.connect(self.on_fridge_weekly)
        self.proof_button.clicked.connect(self.on_proof)
        self.code_button.clicked.connect(self.on_code)
        self.code_field.returnPressed.connect(self.on_code)
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
        from app.fridge import weekly

        self.fridge_weekly_check.check.setChecked(weekly(self.session.desk, self.session.person.id))
        self.retranslate_ui()
        self._ask_account()

    def _ask_account(self) -> None:
        """The linked address is the mailbox's (in the background); with a server,
        the delivery logs of the newest letters on the table say what bounced."""
        session = self.session

        def work():
            from app.proof import notification_bounces

            status = session.mailbox.account_status(session.person.id)
            return status.email, notification_bounces(session)

        def done(found) -> None:
            self.account_email, self.server_bounces = found
            self.account_known = True
            self._show_health()

        self.run(work, done, on_error=lambda _error: self._show_health())

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
        self.health_heading.setText(_("Komt uw e-mail aan?"))
        self.test_button.setText(_("Testbericht sturen"))
        self.code_label.setText(_("Code uit de e-mail:"))
        self.code_field.setAccessibleName(_("Code uit de e-mail"))
        self.code_button.setText(_("Code controleren"))
        self.paper_heading.setText(_("Op papier"))
        self.paper_intro.setText(
            _(
                "Een lijst voor op de koelkast: alle brieven op tafel, met hun datum. "
                "Of een bewijs van één brief: wat er met de brief gebeurde. "
                "Dat helpt als u bezwaar maakt."
            )
        )
        self.fridge_print_button.setText(_("Koelkastlijst printen"))
        trusted = self._trusted()
        self.fridge_send_button.setVisible(trusted is not None)
        self.fridge_send_button.setText(
            _("Koelkastlijst mailen naar %(name)s") % {"name": trusted.name}
            if trusted is not None
            else _("Koelkastlijst mailen")  # hidden: no one to mail it to yet
        )
        self.fridge_weekly_check.setVisible(trusted is not None)
        self.fridge_weekly_check.set_text(
            _("Elke week vanzelf mailen naar %(name)s") % {"name": trusted.name}
            if trusted is not None
            else _("Elke week vanzelf mailen")  # hidden: no one to mail it to yet
        )
        self.proof_label.setText(_("Bewijs van deze brief:"))
        self.proof_choice.setAccessibleName(_("Bewijs van deze brief"))
        self.proof_choice.view().setAccessibleName(_("Bewijs van deze brief"))
        self.proof_button.setText(_("Bewijs printen"))
        self._fill_proof_choice()
        self._show_history()
        self._show_health()

    def _fill_proof_choice(self) -> None:
        from app.plain import format_date

        session = self.session
        keep = self.proof_choice.currentData()
        self.proof_choice.clear()
        try:
            letters = list(session.desk.table(session.person.id))
            for folder in session.desk.folders(session.person.id):
                letters.extend(folder.letters)
        except Exception:
            letters = []
        letters.sort(key=lambda l: l.received, reverse=True)
        for letter in letters[:100]:
            self.proof_choice.addItem(
                f"{letter.sender[:60]}, {format_date(letter.received)}", letter.id
            )
        if keep is not None:
            index = self.proof_choice.findData(keep)
            if index >= 0:
                self.proof_choice.setCurrentIndex(index)
        self.proof_button.setEnabled(self.proof_choice.count() > 0)

    def fridge_document(self):
        from app.fridge import fridge_lines, fridge_title, week_line
        from ui.shell.printing import PrintDocument

        session = self.session
        today = session.today()
        doc = PrintDocument(fridge_title(session.person.name))
        doc.heading(fridge_title(session.person.name))
        doc.lines([week_line(today)])
        # large print (16 pt): the list is read on the fridge door
        for line in fridge_lines(session.desk.table(session.person.id), today):
            doc._block(FRIDGE_POINT_SIZE, False, 0)
            doc._cursor.insertText(line)
        return doc

    def on_fridge_print(self) -> None:
        self.window_.print_document(self.fridge_document())

    def on_fridge_send(self) -> None:
        from app.fridge import send_fridge_list

        session = self.session
        try:
            line = send_fridge_list(
                session.desk,
                session.person.id,
                session.person.name,
                data_dir_of(session),
                place=Path(session.desk.path).parent.name,
                today=session.today(),
            )
        except Exception:
            line = _("Dit lukte niet. Er is niets veranderd.")
        self.say(line)
        self._show_history()

    def on_fridge_weekly(self, checked: bool) -> None:
        """The person's choice, kept at once; the watcher mails the list once a week."""
        from app.fridge import set_weekly

        trusted = self._trusted()
        try:
            set_weekly(self.session.desk, self.session.person.id, checked)
        except Exception:
            self.fridge_weekly_check.check.setChecked(not checked)
            self.say(_("Dit lukte niet. Er is niets veranderd."))
            return
        if checked and trusted is not None:
            self.say(
                _("De koelkastlijst gaat nu elke week vanzelf naar %(name)s.")
                % {"name": trusted.name}
            )
        else:
            self.say(_("De koelkastlijst gaat niet meer elke week vanzelf."))

    def on_proof(self) -> None:
        from app import proof

        letter_id = self.proof_choice.currentData()
        if letter_id is None:
            return
        session, data_dir = self.session, data_dir_of(self.session)
        self.run(
            lambda: proof.gather(session, letter_id, data_dir),
            self._print_proof,
            on_error=lambda error: self.window_.tell(self.window_.problem_words(error)),
        )

    def proof_document(self, facts):
        from app import proof
        from ui.shell.printing import PrintDocument

        doc = PrintDocument(proof.proof_title(facts.letter))
        doc.heading(proof.proof_title(facts.letter))
        for heading, lines in proof.proof_sections(facts):
            doc.heading(heading)
            doc.lines(lines)
        return doc

    def _print_proof(self, facts) -> None:
        self.window_.print_document(self.proof_document(facts))

    def _show_health(self) -> None:
        for line in self.health_lines:
            self.health_layout.removeWidget(line)
            line.setParent(None)
            line.deleteLater()
        self.health_lines = []
        if not self.account_known:
            texts = [_("Wij kijken of er een e-mailadres is gekoppeld.")]
            health = None
        else:
            try:
                health = watch.notification_health(
                    self.session.desk,
                    self.session.person.id,
                    data_dir_of(self.session),
                    self.account_email,
                    server_bounces=self.server_bounces,
                )
                texts = health.lines
            except Exception:  # a damaged outbox never keeps the screen from opening
                health = None
                texts = [_("Dit lukte niet. Er is niets veranderd.")]
        for number, text in enumerate(texts):
            line = label(text, name=f"reminders_health_{number}")
            self.health_layout.insertWidget(self.health_lines_at + number, line)
            self.health_lines.append(line)
        linked = bool(health and health.linked)
        self.test_button.setVisible(linked)
        awaiting = bool(health and health.awaiting_code)
        for widget in (self.code_label, self.code_field, self.code_button):
            widget.setVisible(awaiting)

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
        from app.outbox import is_address
        from app.reminders import TrustedPerson

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

    def on_test(self) -> None:
        session = self.session
        started = watch.start_test(
            session.desk,
            session.person.id,
            self.account_email,
            data_dir_of(session),
            place=Path(session.desk.path).parent.name,
            practice=session.is_practice,
        )
        self.say(started.line)
        self._show_health()
        if self.code_field.isVisible():
            self.code_field.setFocus()

    def on_code(self) -> None:
        session = self.session
        today = session.today()
        if watch.confirm_test(session.desk, session.person.id, self.code_field.text(), today):
            from app.plain import format_date

            self.code_field.clear()
            self.say(
                _("Uw e-mail komt aan. Laatst getest: %(date)s.")
                % {"date": format_date(today, "d MMMM")}
            )
        else:
            self.say(_("Deze code klopt niet. Kijk in de e-mail en typ de code opnieuw."))
            self.code_field.setFocus()
        self._show_health()

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
    # One row asked, not the whole table: this runs each time the letter screen shows.
    if not session.is_on_table(letter.id):
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
        self.retranslate_ui()  # the button's full sentence, now that it is shown

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
        self.settings_button.setText(_("Herinneringen"))
        self.snooze_button.setText(_("Later herinneren"))
        if self.letter_screen is None:  # app.reminders loads with the letter screen
            return
        from app.reminders import snooze_label

        self.snooze_button.setToolTip(snooze_label())
        self.snooze_button.setAccessibleDescription(snooze_label())


def install(window) -> RemindersFeature | None:
    guided = sys.modules.get("ui.guided.window")
    if guided is not None and isinstance(window, guided.GuidedWindow):
        return None  # nothing of a library visitor may start at the next login
    return RemindersFeature(window)
