"""Activation explained first, organisations chosen freely, nothing switched on by accident.

The feature adds three screens and one button on the table:

* "Staat mijn Berichtenbox aan?": the answer on its own screen, changing nothing;
* the guide (``ui/activation/guide.py``), reached only from that screen when the
  Berichtenbox is off, and never pushed;
* choosing organisations (``ui/activation/organisations.py``) when it is on.
"""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from app import activation
from app.i18n import gettext as _
from app.i18n import is_right_to_left
from ui.activation.guide import GuideScreen
from ui.activation.organisations import OrganisationsScreen
from ui.shell.accessible import inner_scrolling, readable
from ui.shell.widgets import FlowLayout, Screen, button, label

RIGHT_TO_LEFT_MARK = "\u200f"


class StatusScreen(Screen):
    """The plain question, answered without changing anything."""

    def __init__(self, window, feature, parent=None):
        super().__init__(window, parent)
        self.feature = feature
        self.heading = label(role="title", name="status_title")
        self.answer = readable(label(role="summary", name="status_answer"))
        self.details = label(name="status_details")
        self.new_note = label(role="notice", name="status_new_org")
        self.new_note.hide()
        content = QWidget()
        inner = QVBoxLayout(content)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.setSpacing(14)
        for widget in (self.heading, self.answer, self.details, self.new_note):
            inner.addWidget(widget)
        row = FlowLayout()
        self.orgs_button = button("", name="status_orgs")
        self.guide_button = button("", name="status_guide", secondary=True)
        row.addWidget(self.orgs_button)
        row.addWidget(self.guide_button)
        inner.addLayout(row)
        inner.addStretch(1)
        self.layout_.addWidget(inner_scrolling(content), 1)
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
        self.feature.status_button.setText(_("Staat mijn Berichtenbox aan?"))
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
            lines[1:1] = [f"  \u2022 {name}" for name in summary.digital]
        if is_right_to_left():
            # Each line is a paragraph of its own, and Qt gives it the direction of its
            # first letter: "  \u2022 Belastingdienst" would run left to right, the
            # bullet on the left. The mark makes every line follow the interface;
            # the Dutch name inside still reads left to right.
            lines = [RIGHT_TO_LEFT_MARK + line for line in lines]
        self.details.setText("\n".join(lines))
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

    def first_focus(self):
        return self.answer


class ActivationFeature:
    """Holds the screens and the button, and moves between them."""

    def __init__(self, window):
        self.window = window
        self.status_button = button("", name="open_account_status", secondary=True)
        self.status_screen = StatusScreen(window, self)
        self.guide_screen = GuideScreen(window, self)
        self.organisations_screen = OrganisationsScreen(window)
        for screen in (self.status_screen, self.guide_screen, self.organisations_screen):
            window.add_screen(screen)
        window.table_screen.extra_buttons.addWidget(self.status_button)
        self.status_button.clicked.connect(self.show_status)

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
