"""Activation explained first, organisations chosen freely, nothing switched on by accident.

The feature adds three screens and one button on the table:

* "Staat mijn Berichtenbox aan?": the answer on its own screen, changing nothing;
* the guide (``ui/activation/guide.py``), reached only from that screen when the
  Berichtenbox is off, and never pushed;
* choosing organisations (``ui/activation/organisations.py``) when it is on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject

from app.i18n import gettext as _
from ui.shell.features import later
from ui.shell.widgets import Screen, button, label

if TYPE_CHECKING:
    from app import activation
    from ui.activation.guide import GuideScreen
    from ui.activation.organisations import OrganisationsScreen
else:  # loaded when the status screen is first built, not at start (issue 14)
    activation = later("app.activation")

RIGHT_TO_LEFT_MARK = "\u200f"  # as app.activation's


class StatusScreen(Screen):
    """The plain question, answered without changing anything."""

    def __init__(self, window, feature, parent=None):
        from ui.activation.guide import plain_text

        super().__init__(window, parent)
        self.feature = feature
        self.heading = label(role="title", name="status_title")
        # The answer is a text to read, not a field and not a Tab stop: a screen
        # reader hears it with the first action (its description).
        self.answer = plain_text(label(role="summary", name="status_answer"))
        self.details = plain_text(label(name="status_details"))
        self.new_note = label(role="notice", name="status_new_org")
        self.new_note.hide()
        # The page is the one scroll area; the two ways on in the fixed action bar.
        for widget in (self.heading, self.answer, self.details, self.new_note):
            self.layout_.addWidget(widget)
        self.layout_.addStretch(1)
        self.orgs_button = self.add_action(button("", name="status_orgs"))
        self.guide_button = self.add_action(button("", name="status_guide", secondary=True))
        self.orgs_button.clicked.connect(feature.show_organisations)
        self.guide_button.clicked.connect(feature.show_guide)
        self.retranslate_ui()

    def title(self) -> str:
        return _("Staat mijn Berichtenbox aan?")

    def help_text(self) -> str:
        return _(
            "Hier ziet u of uw Berichtenbox aan staat. Kijken verandert niets. "
            "Staat hij aan? Dan ziet u welke organisaties u digitale post sturen. "
            "Staat hij niet aan? Dan krijgt u bijna al uw post op papier. "
            "Alleen de Belastingdienst kan dan nog digitaal sturen. "
            "Wilt u weten wat aanzetten betekent? Kies dan 'Uitleg over de Berichtenbox'. "
            "Ook dat verandert niets."
        )

    def retranslate_ui(self) -> None:
        self.heading.setText(self.title())
        self.orgs_button.setText(_("Organisaties kiezen"))
        self.guide_button.setText(_("Uitleg over de Berichtenbox"))
        if self.facts is not None:
            self._render()

    facts: tuple | None = None

    def refresh(self) -> None:
        mailbox = self.session.mailbox
        person_id = self.session.person.id

        def ask():
            status = mailbox.account_status(person_id)
            return (
                status,
                mailbox.organisations(),
                mailbox.tick_history(person_id),
                mailbox.new_organisations(person_id) if status.active else [],
            )

        self.run(ask, self._loaded, label="account_status")

    def _loaded(self, facts: tuple) -> None:
        self.facts = facts
        self._render()
        self.settle_focus()

    def _render(self) -> None:
        assert self.facts is not None
        status, organisations, history, new = self.facts
        summary = activation.status_summary(status, organisations, history, self.session.today())
        self.answer.setText(summary.headline)
        lines = list(summary.lines)
        if summary.digital:
            lines[1:1] = [activation.bullet(name) for name in summary.digital]
        # In Arabic every line runs right to left, a bullet before a Dutch name too.
        self.details.setText("\n".join(activation.in_reading_direction(lines)))
        self.new_note.setVisible(bool(new))
        if new:
            self.new_note.setText(
                _(
                    "%(org)s doet nu ook mee. Wilt u daar iets over kiezen? "
                    "Kijk bij 'Organisaties kiezen'."
                )
                % {"org": new[0].name}
            )
        self.orgs_button.setVisible(status.active)
        self.guide_button.setVisible(not status.active)
        for action in (self.orgs_button, self.guide_button):
            action.setAccessibleDescription(summary.headline)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt API
        from ui.activation.guide import scroll_page_by_key

        if not scroll_page_by_key(self, event):
            super().keyPressEvent(event)

    def first_focus(self):
        """The way on, never the text (it is read with the button)."""
        if self.facts is None:
            return None
        return self.orgs_button if self.facts[0].active else self.guide_button


class ActivationFeature(QObject):
    """Holds the button and the screens (each built when first shown), and moves
    between them."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.status_button = button("", name="open_account_status", secondary=True)
        window.add_screen_factory("status_screen", lambda: StatusScreen(window, self))
        window.add_screen_factory("guide_screen", self._make_guide)
        window.add_screen_factory("organisations_screen", self._make_organisations)
        window.table_screen.extra_buttons.addWidget(self.status_button)
        self.status_button.clicked.connect(self.show_status)
        self.status_button.installEventFilter(self)
        self.retranslate_ui()

    def _make_guide(self) -> GuideScreen:
        from ui.activation.guide import GuideScreen

        return GuideScreen(self.window, self)

    def _make_organisations(self) -> OrganisationsScreen:
        from ui.activation.organisations import OrganisationsScreen

        return OrganisationsScreen(self.window)

    @property
    def status_screen(self) -> StatusScreen:
        return self.window.screen_named("status_screen")

    @property
    def guide_screen(self) -> GuideScreen:
        return self.window.screen_named("guide_screen")

    @property
    def organisations_screen(self) -> OrganisationsScreen:
        return self.window.screen_named("organisations_screen")

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt API
        if watched is self.status_button and event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        return False

    def retranslate_ui(self) -> None:
        self.status_button.setText(_("Staat mijn Berichtenbox aan?"))

    def show_status(self) -> None:
        self.window.show_screen(self.status_screen)

    def show_guide(self) -> None:
        self.guide_screen.start()
        self.window.show_screen(self.guide_screen)

    def show_organisations(self) -> None:
        self.window.show_screen(self.organisations_screen)

    def after_activation(self, guide: GuideScreen) -> None:
        """Activated: show the answer to the plain question, now "Ja"."""
        self.window.go_back()
        if self.window.current_screen() is not self.status_screen:
            self.window.show_screen(self.status_screen)


def install(window) -> ActivationFeature:
    return ActivationFeature(window)
