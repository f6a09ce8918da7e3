"""The activation guide: one idea per screen, and saying no is as easy as going on.

Every step has the same three buttons in the same place, in the screen's fixed
action bar: "Terug", "Nee, nu niet" and "Verder". The last step shows exactly
what will happen, and "Ja, zet mijn Berichtenbox aan" takes the place of
"Verder"; it stays off until the person checks "Ik begrijp dat ..." (fixed
right above it), is never the default button and Enter alone does not press it
(NO_ENTER in ui/shell/main_window.py). Nothing changes before it is pressed.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app import activation
from app.i18n import gettext as _
from app.mailbox import ActivationOffer, ErrorCode, MailboxError
from app.model import Organisation
from app.plain import format_date
from app.problems import Doing, problem_text
from ui.activation.rows import IndicatorFollowsText, OrganisationRow
from ui.shell.accessible import WrappingCheck
from ui.shell.printing import PrintDocument
from ui.shell.widgets import (
    Screen,
    box,
    button,
    label,
    reading_order,
    set_tab_order,
)


def scroll_page_by_key(screen: Screen, event) -> bool:
    """Page Up / Page Down scroll the screen's page from wherever the focus is (a
    button in the action bar passes them on): a text is no Tab stop, so this is
    how a keyboard reads on at 200 %."""
    area = screen.page_area
    keys = {Qt.Key.Key_PageDown: 1, Qt.Key.Key_PageUp: -1}
    if area is None or event.key() not in keys:
        return False
    bar = area.verticalScrollBar()
    bar.setValue(bar.value() + keys[event.key()] * bar.pageStep())
    event.accept()
    return True


def plain_text(widget: QLabel) -> QLabel:
    """A text to read, not a field: selectable with the mouse, never a Tab stop,
    no text cursor and no frame."""
    widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return widget


class GuideScreen(Screen):
    """Signals: none; it tells the feature through ``on_activated``."""

    def __init__(self, window, feature, parent=None):
        super().__init__(window, parent)
        self.feature = feature
        self.step = 0
        self.chosen: set[str] = set()
        self.offer: ActivationOffer | None = None
        self.rows: dict[str, OrganisationRow] = {}
        #: what the service said when the screen was shown: (active, organisations)
        self._active_now = False
        self._orgs: list[Organisation] = []
        self._loaded = False

        self.counter = label(name="guide_counter")
        self.heading = label(role="title", name="guide_title")
        # A plain text, not a field: no frame, no text cursor, no stop for Tab (it
        # cost four key presses a step); the mouse may select it. A screen reader
        # hears it with the step's first action (its description).
        self.body = plain_text(label(role="summary", name="guide_body"))

        # The page is the screen's one scroll area (Screen.page_area): nothing in
        # it scrolls on its own; at 200 % the page scrolls, the actions stay.
        inner = self.layout_
        inner.addWidget(self.counter)
        inner.addWidget(self.heading)
        inner.addWidget(self.body)

        # Choose: every organisation as a large row, none ticked.
        self.choose_page = QWidget()
        self.choose_layout = QVBoxLayout(self.choose_page)
        self.choose_layout.setContentsMargins(0, 0, 0, 0)
        self.choose_layout.setSpacing(10)
        inner.addWidget(self.choose_page)

        # Confirm: print and the summary in the page; "Ik begrijp dat ..." fixed
        # right above the action bar, next to "Ja", so both are always in sight.
        self.confirm_page = box()
        confirm = QVBoxLayout(self.confirm_page)
        confirm.setContentsMargins(16, 12, 16, 12)
        self.summary = plain_text(label(name="guide_summary"))
        confirm.addWidget(self.summary)
        inner.addWidget(self.confirm_page)

        self.error = label(role="notice", name="guide_error")
        self.error.hide()
        inner.addWidget(self.error)
        inner.addStretch(1)

        # The last step's own strip, fixed above the action bar (it never scrolls
        # away): "Samenvatting printen", its first focus (the page stays at its top,
        # the summary in sight), and "Ik begrijp dat ...", right above "Ja".
        self.confirm_strip = QFrame()
        self.confirm_strip.setObjectName("guide_confirm_strip")
        self.confirm_strip.setProperty("role", "action_bar")
        strip = QHBoxLayout(self.confirm_strip)
        strip.setContentsMargins(24, 10, 24, 0)
        strip.setSpacing(24)
        self.print_button = button("", name="guide_print", secondary=True)
        strip.addWidget(self.print_button, 0, Qt.AlignmentFlag.AlignTop)
        self.understand_row = WrappingCheck("guide_understand")
        self.understand = self.understand_row.check
        IndicatorFollowsText(self.understand)
        # its own height, level with the button (stretched, the text sank below the box)
        strip.addWidget(self.understand_row, 1, Qt.AlignmentFlag.AlignVCenter)
        self.confirm_strip.hide()
        frame = self.layout()
        assert isinstance(frame, QVBoxLayout)
        frame.insertWidget(frame.indexOf(self.action_bar), self.confirm_strip)

        # The fixed action bar: "Terug" and "Nee, nu niet" always in the same place,
        # and at the far end "Verder", or on the last step "Ja, zet ... aan" in its
        # place. The two share one slot: the bar's far end is one shown widget.
        self.back_button = self.add_action(button("", name="guide_back"))
        self.not_now_button = self.add_action(button("", name="guide_not_now"))
        forward = QWidget()
        forward.setObjectName("guide_forward")
        slot = QHBoxLayout(forward)
        slot.setContentsMargins(0, 0, 0, 0)
        self.next_button = button("", name="guide_next")
        self.confirm_button = button("", name="guide_confirm")
        self.confirm_button.setEnabled(False)
        self.confirm_button.hide()
        slot.addWidget(self.next_button)
        slot.addWidget(self.confirm_button)
        self.add_action(forward, at_end=True)

        self.back_button.clicked.connect(self.previous_step)
        self.not_now_button.clicked.connect(self.not_now)
        self.next_button.clicked.connect(self.next_step)
        self.understand.toggled.connect(self._on_understand)
        self.confirm_button.clicked.connect(self._on_confirm)
        self.print_button.clicked.connect(
            lambda: self.window_.print_document(self.print_document())
        )
        self.retranslate_ui()

    # -- Screen ----------------------------------------------------------------
    def title(self) -> str:
        return _("Uitleg over de Berichtenbox")

    def help_text(self) -> str:
        return _(
            "Deze uitleg vertelt wat de Berichtenbox is. Lezen verandert niets. "
            "Met 'Verder' gaat u naar de volgende stap. Met 'Terug' gaat u een stap terug. "
            "Met 'Nee, nu niet' stopt u. Dan blijft alles zoals het was. "
            "Alleen de knop 'Ja, zet mijn Berichtenbox aan' zet de Berichtenbox aan."
        )

    def retranslate_ui(self) -> None:
        self._set_back_text()
        self.not_now_button.setText(_("Nee, nu niet"))
        self.not_now_button.setAccessibleName(_("Nee, nu niet. Stoppen. Er verandert niets."))
        self.next_button.setText(_("Verder"))
        self.next_button.setAccessibleName(_("Verder naar de volgende stap"))
        self.print_button.setText(_("Samenvatting printen"))
        self.understand_row.set_text(_(activation.UNDERSTAND))
        self.confirm_button.setText(_("Ja, zet mijn Berichtenbox aan"))
        if self._loaded:
            self._render()  # from what the service said; no new question

    def refresh(self) -> None:
        mailbox, person_id = self.session.mailbox, self.session.person.id
        self.run(
            lambda: (mailbox.account_status(person_id).active, mailbox.organisations()),
            self._on_loaded,
            label="guide",
        )

    def _on_loaded(self, found: tuple[bool, list[Organisation]]) -> None:
        self._active_now, self._orgs = found
        self._loaded = True
        self._render()
        self.settle_focus()

    def _set_back_text(self) -> None:
        """Always 'Terug', in the same place (it was 'Vorige stap' from step 2 on,
        and 'Verder' moved sideways); a screen reader hears where it goes."""
        self.back_button.setText(_("Terug"))
        self.back_button.setAccessibleName(
            _("Terug naar de vorige stap") if self.step and not self._active() else _("Terug")
        )

    def first_focus(self):
        """The step's first action, never its text, and always in the fixed rows, so
        every step opens at its top, its title and text in sight (at 200 % a box in
        the page would scroll them away): "Verder", in the same place on every step
        (on the choosing step too: choosing nothing is fine); on the last step
        "Samenvatting printen", not the way to "Ja" (that takes a deliberate check)."""
        if not self._loaded:
            return None  # settle_focus() puts it there once the service answered
        if self._active():
            return self.back_button
        if self.current.kind == "confirm":
            return self.print_button
        return self.next_button

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt API
        if not scroll_page_by_key(self, event):
            super().keyPressEvent(event)

    # -- the steps -------------------------------------------------------------
    def start(self) -> None:
        """Begin at the first step with nothing chosen."""
        self.step = 0
        self.chosen = set()
        self.offer = None
        for row in self.rows.values():
            if not row.org.fixed_by_law:
                row.check.setChecked(False)

    @property
    def current(self) -> activation.GuideStep:
        return activation.GUIDE_STEPS[self.step]

    def _active(self) -> bool:
        return self._active_now

    def _organisations(self) -> list[Organisation]:
        return self._orgs

    def _build_rows(self) -> None:
        if self.rows:
            return
        for org in self._organisations():
            row = OrganisationRow(org)
            row.check.toggled.connect(lambda on, org_id=org.id: self._on_choice(org_id, on))
            self.rows[org.id] = row
            self.choose_layout.addWidget(row)

    def _render(self) -> None:
        self.error.hide()
        if self._active():
            self.counter.hide()
            self.heading.setText(_("Uw Berichtenbox staat al aan"))
            self.body.setText(
                _("U hoeft hier niets te doen. Uw organisaties kiest u bij 'Organisaties kiezen'.")
            )
            self.choose_page.hide()
            self.confirm_page.hide()
            self.confirm_strip.hide()
            self.next_button.hide()
            self.confirm_button.hide()
            self.not_now_button.hide()
            self._set_back_text()
            self._follow_reading_order()
            return
        self._set_back_text()
        self.counter.show()
        self.not_now_button.show()
        self._build_rows()
        step = self.current
        orgs = self._organisations()
        heading, body = activation.step_texts(step, orgs)
        self.counter.setText(
            _("Stap %(n)d van %(total)d")
            % {"n": self.step + 1, "total": len(activation.GUIDE_STEPS)}
        )
        self.heading.setText(heading)
        self.body.setText(body)
        self.body.setAccessibleName(heading)
        # What the first focus says to a screen reader: the step itself.
        self.next_button.setAccessibleDescription(f"{heading}. {body}")
        self.print_button.setAccessibleDescription(f"{heading}. {body}")
        phone = activation.helpdesk_phone(orgs)
        for row in self.rows.values():
            row.retranslate_ui(phone)
        confirming = step.kind == "confirm"
        self.choose_page.setVisible(step.kind == "choose")
        self.confirm_page.setVisible(confirming)
        self.confirm_strip.setVisible(confirming)
        self.next_button.setVisible(not confirming)
        self.confirm_button.setVisible(confirming)
        self._follow_reading_order()
        if confirming:
            self._show_summary()

    def _follow_reading_order(self) -> None:
        """Tab goes as the eye does, through what this step shows (the window sets
        the order when a screen is shown; a step shows other widgets)."""
        central = getattr(self.window_, "central", None)
        if central is not None and self.window_.current_screen() is self:
            set_tab_order(reading_order(central))

    def _show_summary(self) -> None:
        """The offer for exactly what is chosen: asked of the service once, then redrawn."""
        chosen = sorted(self.chosen)
        if self.offer is not None and list(self.offer.org_ids) == [
            o.id for o in self._orgs if o.id in self.chosen and not o.fixed_by_law
        ]:
            self._draw_summary()
            return
        self.offer = None
        self._on_understand(self.understand.isChecked())
        mailbox, person_id = self.session.mailbox, self.session.person.id
        self.run(
            lambda: mailbox.activation_offer(person_id, chosen),
            self._on_offer,
            on_error=self._on_offer_refused,
            label="activation_offer",
        )

    def _on_offer(self, offer: ActivationOffer) -> None:
        self.offer = offer
        self._draw_summary()

    def _on_offer_refused(self, error: MailboxError) -> None:
        self.offer = None
        self._show_error(error)
        self.summary.setText("")

    def _draw_summary(self) -> None:
        assert self.offer is not None
        lines = activation.summary_lines(self.offer, self._organisations())
        self.summary.setText("\n".join(lines))
        self.summary.setAccessibleName(_("Samenvatting"))
        self._on_understand(self.understand.isChecked())

    def next_step(self) -> None:
        if self.step < len(activation.GUIDE_STEPS) - 1:
            self.step += 1
            self.understand.setChecked(False)
            self._render()
            self._focus_first()

    def previous_step(self) -> None:
        if self.step == 0 or self._active():
            self.window_.go_back()
            return
        self.step -= 1
        self.understand.setChecked(False)
        self._render()
        self._focus_first()

    def _focus_first(self) -> None:
        target = self.first_focus()
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def not_now(self) -> None:
        """Stop: nothing changes, and the next time the guide starts afresh."""
        self.start()
        self.understand.setChecked(False)
        self.window_.go_back()

    def _on_choice(self, org_id: str, on: bool) -> None:
        if self.rows[org_id].org.fixed_by_law:
            return
        if on:
            self.chosen.add(org_id)
        else:
            self.chosen.discard(org_id)

    def _on_understand(self, on: bool) -> None:
        self.confirm_button.setEnabled(bool(on) and self.offer is not None)

    def _show_error(self, error: MailboxError) -> None:
        self.error.setText(problem_text(error, Doing.ACTIVATION))
        self.error.show()

    def _on_confirm(self) -> None:
        offer = self.offer
        if offer is None:
            return
        mailbox, person_id = self.session.mailbox, self.session.person.id
        confirmed = self.understand.isChecked()
        self.confirm_button.setEnabled(False)  # one press activates once
        self.run(
            lambda: mailbox.activate(person_id, offer.token, offer.org_ids, confirmed=confirmed),
            self._on_activated,
            on_error=self._on_refused,
            label="activate",
        )

    def _on_activated(self, _status) -> None:
        self._active_now = True
        self.start()
        self.understand.setChecked(False)
        self.feature.after_activation(self)

    def _on_refused(self, error: MailboxError) -> None:
        self._on_understand(self.understand.isChecked())
        self._show_error(error)
        if error.code == ErrorCode.ALREADY_ACTIVE:
            self._active_now = True
            self.feature.after_activation(self)

    # -- printing --------------------------------------------------------------
    def print_document(self) -> PrintDocument:
        doc = PrintDocument(_("Samenvatting Berichtenbox aanzetten"))
        doc.heading(_("Wat er gebeurt als u de Berichtenbox aanzet"))
        doc.paragraph(_("Voor: %(name)s") % {"name": self.session.person.name})
        doc.paragraph(_("Gemaakt op %(date)s") % {"date": format_date(self.session.today())})
        doc.paragraph(
            _(
                "Dit is nog niet aangezet. Er gebeurt pas iets als u "
                "op 'Ja, zet mijn Berichtenbox aan' drukt."
            ),
            bold=True,
        )
        if self.offer is not None:
            doc.lines(activation.summary_lines(self.offer, self._organisations()))
        phone = activation.helpdesk_phone(self._organisations())
        if phone:
            doc.paragraph(
                _("Post op papier van de Belastingdienst? Bel %(phone)s.") % {"phone": phone}
            )
        return doc
