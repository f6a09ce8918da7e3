"""Which organisations send digitally: one large row each, with a switch.

Every change says when it takes effect. A newly joined organisation is asked
about once, with "Nee" first and in focus.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout

from app import activation
from app.i18n import gettext as _
from app.mailbox import MailboxError, TickChange
from app.model import Organisation
from app.problems import Doing, problem_text
from ui.activation.guide import scroll_page_by_key
from ui.activation.rows import OrganisationRow
from ui.shell.widgets import Screen, box, button, label


class OrganisationsScreen(Screen):
    def __init__(self, window, parent=None):
        super().__init__(window, parent)
        self.rows: dict[str, OrganisationRow] = {}
        self.asking: Organisation | None = None
        self.heading = label(role="title", name="orgs_title")
        self.layout_.addWidget(self.heading)
        # The page is the screen's one scroll area (Screen.page_area): at 200 % it
        # scrolls, and shows as many rows as fit; nothing in it scrolls on its own.
        self.list_layout = self.layout_
        # The question about a newly joined organisation: asked once, "Nee" first.
        # The question right under the title (in sight at 200 % too), its two
        # answers in the fixed action bar; their names for a screen reader say
        # which organisation they answer for.
        self.question = box()
        question = QVBoxLayout(self.question)
        question.setContentsMargins(16, 12, 16, 12)
        self.question_text = label(role="summary", name="new_org_question")
        question.addWidget(self.question_text)
        self.question.hide()
        self.list_layout.addWidget(self.question)
        self.intro = label(role="summary", name="orgs_intro")
        self.list_layout.addWidget(self.intro)
        self.no_button = self.add_action(button("", name="new_org_no"))
        self.yes_button = self.add_action(button("", name="new_org_yes", secondary=True))
        self.action_bar.hide()  # only while a question is asked

        self.message = label(role="notice", name="orgs_message")
        self.message.hide()
        self.list_layout.addWidget(self.message)
        self.list_layout.addStretch(1)

        self.no_button.clicked.connect(lambda: self._answer(False))
        self.yes_button.clicked.connect(lambda: self._answer(True))
        self.retranslate_ui()

    def title(self) -> str:
        return _("Organisaties kiezen")

    def help_text(self) -> str:
        return _(
            "Hier kiest u welke organisaties u digitale post sturen. "
            "Met een vinkje komt hun post in de Berichtenbox. "
            "Zonder vinkje komt hun post op papier. Dat duurt ongeveer drie weken. "
            "Onder elke organisatie ziet u wanneer een verandering ingaat. "
            "De Belastingdienst kunt u hier niet uitzetten. Dat staat in de wet."
        )

    def retranslate_ui(self) -> None:
        self.heading.setText(self.title())
        self.no_button.setText(_("Nee, op papier houden"))
        self.yes_button.setText(_("Ja, digitaal"))
        if self.facts is not None:
            self._render()  # from what the service said; no new question

    # -- content ---------------------------------------------------------------
    #: (status, organisations, tick history, new organisations) as last asked
    facts: tuple | None = None

    def _build_rows(self, organisations) -> None:
        if self.rows:
            return
        for org in organisations:
            row = OrganisationRow(org)
            row.check.toggled.connect(lambda on, org_id=org.id: self._on_toggled(org_id, on))
            self.rows[org.id] = row
            self.list_layout.insertWidget(self.list_layout.count() - 1, row)

    def refresh(self, then=None) -> None:
        """Ask the service in the background, draw, then call ``then``."""
        mailbox, person_id = self.session.mailbox, self.session.person.id

        def ask():
            return (
                mailbox.account_status(person_id),
                mailbox.organisations(),
                mailbox.tick_history(person_id),
                mailbox.new_organisations(person_id),
            )

        def loaded(facts) -> None:
            self.facts = facts
            self.message.hide()
            self._render()
            if then is not None:
                then()
            self.settle_focus()

        self.run(ask, loaded, label="organisations")

    def _render(self) -> None:
        assert self.facts is not None
        status, orgs, history, new = self.facts
        if not status.active:
            self.intro.setText(
                _(
                    "Uw Berichtenbox staat niet aan. Al uw post komt op papier. "
                    "U hoeft hier niets te kiezen."
                )
            )
            for row in self.rows.values():
                row.hide()
            self.asking = None
            self.question.hide()
            self.action_bar.hide()
            return
        self.intro.setText(
            _(
                "Met een vinkje komt de post digitaal, in de Berichtenbox. "
                "Zonder vinkje komt de post op papier."
            )
        )
        self._build_rows(orgs)
        phone = activation.helpdesk_phone(orgs)
        today = self.session.today()
        latest = {c.org_id: c for c in history}
        for org_id, row in self.rows.items():
            row.show()
            row.retranslate_ui(phone)
            row.check.blockSignals(True)
            row.check.setChecked(org_id in status.ticked)
            row.check.blockSignals(False)
            change = latest.get(org_id)
            pending = (
                change is not None and change.effective_on > today and not row.org.fixed_by_law
            )
            row.set_result(
                activation.change_sentence(change, row.org, today)
                if change is not None and pending
                else ""
            )
        self.asking = new[0] if new else None
        self.question.setVisible(self.asking is not None)
        self.action_bar.setVisible(self.asking is not None)
        if self.asking is not None:
            self.question_text.setText(
                _(
                    "Nieuw: %(org)s doet nu ook mee. %(sends)s "
                    "Wilt u post van %(org)s digitaal krijgen? "
                    "Kiest u niets? Dan blijft het op papier."
                )
                % {"org": self.asking.name, "sends": self.asking.sends}
            )
            self.no_button.setAccessibleName(
                _("Nee, post van %(org)s op papier houden") % {"org": self.asking.name}
            )
            self.yes_button.setAccessibleName(
                _("Ja, post van %(org)s digitaal") % {"org": self.asking.name}
            )

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt API
        if not scroll_page_by_key(self, event):
            super().keyPressEvent(event)

    def first_focus(self):
        if self.asking is not None:
            return self.no_button
        for row in self.rows.values():
            if row.check.isEnabled() and row.isVisibleTo(self):
                return row.check
        return None

    # -- changes ---------------------------------------------------------------
    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _on_toggled(self, org_id: str, on: bool) -> None:
        row = self.rows[org_id]
        mailbox, person_id = self.session.mailbox, self.session.person.id

        def refused(error: MailboxError) -> None:
            row.check.blockSignals(True)
            row.check.setChecked(not on)
            row.check.blockSignals(False)
            row.set_result(problem_text(error, Doing.ACTIVATION))

        def changed(change: TickChange) -> None:
            self._show_message("")
            row.set_result(activation.change_sentence(change, row.org, self.session.today()))
            # Keep the facts true for a later redraw (a language switch), quietly.
            self.run(
                lambda: (
                    mailbox.account_status(person_id),
                    mailbox.organisations(),
                    mailbox.tick_history(person_id),
                    mailbox.new_organisations(person_id),
                ),
                lambda facts: setattr(self, "facts", facts),
                label="organisations",
            )

        self.run(
            lambda: mailbox.set_tick(person_id, org_id, on),
            changed,
            on_error=refused,
            label="set_tick",
        )

    def _answer(self, yes: bool) -> None:
        org = self.asking
        if org is None:
            return
        mailbox, person_id = self.session.mailbox, self.session.person.id

        def answered(change: TickChange) -> None:
            today = self.session.today()
            text = (
                activation.change_sentence(change, org, today)
                if yes
                else _("Post van %(org)s blijft op papier komen. U kunt dit later nog veranderen.")
                % {"org": org.name}
            )

            def tell() -> None:
                self._show_message(text)
                row = self.rows.get(org.id)
                if row is not None:
                    row.set_result(text)
                    row.check.setFocus(Qt.FocusReason.OtherFocusReason)

            self.refresh(then=tell)

        self.run(
            lambda: mailbox.answer_new_organisation(person_id, org.id, ticked=yes),
            answered,
            on_error=lambda error: self._show_message(problem_text(error, Doing.ACTIVATION)),
            label="answer_new_organisation",
        )
