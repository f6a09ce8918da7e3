"""One button: "Ik wil mijn post op papier".

The feature adds one button to the table, always there. Once a request
stands and there is nothing new to ask, it opens "Wanneer komt mijn post weer
op papier?" (the status), so the person has one button for paper throughout.

* :class:`PaperReviewScreen`: one screen in plain words with what will change.
  One confirm, one cancel; nothing happens before the confirm.
* :class:`PaperStatusScreen`: each organisation with its state; stays until
  everything comes on paper. Prints the overview and the Belastingdienst letter.
* ``ui.paper.belastingdienst``: the phone script and the ready letter.

The rules live in the mailbox service (``request_paper_all``); the texts in
``app/paper.py``. This module only shows them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from app.i18n import gettext as _
from app.mailbox import MailboxError
from app.problems import Doing, problem_text
from ui.shell.features import later
from ui.shell.widgets import FlowLayout, Screen, box, button, label

if TYPE_CHECKING:
    from app import paper
    from ui.paper.belastingdienst import BelastingdienstScreen
    from ui.shell.printing import PrintDocument
else:  # loaded when the paper screens are first used, not at start (issue 14)
    paper = later("app.paper")


def _clear(layout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget()
        if widget is not None:
            widget.hide()
            widget.setParent(None)
            widget.deleteLater()


class PaperReviewScreen(Screen):
    """What will change, before anything changes."""

    def __init__(self, window, feature, parent=None):
        super().__init__(window, parent)
        self.feature = feature
        self.review: paper.PaperReview | None = None
        # One page that grows (the screen's page scrolls); the two choices in the bar.
        self.heading = label(role="title", name="paper_review_title")
        self.layout_.addWidget(self.heading)
        self.text_box = QWidget()
        self.text_box.setObjectName("paper_review_text")
        self.body = QVBoxLayout(self.text_box)
        self.body.setContentsMargins(0, 0, 0, 0)
        self.body.setSpacing(12)
        self.layout_.addWidget(self.text_box)
        self.layout_.addStretch(1)
        self.confirm_button = button("", name="paper_confirm")
        self.cancel_button = button("", name="paper_cancel", secondary=True)
        self.add_action(self.confirm_button)
        self.add_action(self.cancel_button, at_end=True)
        self.confirm_button.clicked.connect(self._on_confirm)
        self.cancel_button.clicked.connect(lambda: self.window_.go_home())
        self.retranslate_ui()

    def title(self) -> str:
        return _("Uw post weer op papier")

    def help_text(self) -> str:
        return _(
            "Hier leest u wat er verandert als u uw post op papier vraagt. "
            "Er gebeurt pas iets als u op 'Ja, stuur mijn post op papier' drukt. "
            "Wilt u niets veranderen? Kies dan 'Nee, niets veranderen'."
        )

    def retranslate_ui(self) -> None:
        self.heading.setText(self.title())
        self.confirm_button.setText(_("Ja, stuur mijn post op papier"))
        self.text_box.setAccessibleName(_("Wat er verandert"))
        # Redraw only what is on view, from what the service already said;
        # a hidden screen is drawn when shown.
        if self.isVisible() and self.review is not None:
            self._render()
        else:
            self.cancel_button.setText(_("Nee, niets veranderen"))

    def _add(self, text: str, role: str | None = None) -> None:
        self.body.addWidget(label(text, role))

    def refresh(self) -> None:
        self.feature.load(self._render)

    def _render(self) -> None:
        if self.feature.facts is None:
            return
        self.review = review = paper.make_review(self.feature.facts)
        _clear(self.body)
        texts: list[str] = [paper.review_intro(review)]
        self._add(texts[0], "summary")
        if review.active:
            for item in review.to_untick:
                texts.append(paper.untick_line(item))
                self._add(paper.bullet(texts[-1]))
            if review.asked:
                texts.append(_("Dit heeft u al eerder gevraagd:"))
                self._add(texts[-1], "factname")
                for item in review.asked:
                    texts.append(paper.asked_line(item))
                    self._add(paper.bullet(texts[-1]))
            for item in review.helpdesk:
                texts.append(item.org.name)
                self._add(paper.own_line(texts[-1]), "factname")
                texts.append(paper.helpdesk_text(item))
                self._add(texts[-1])
                if paper.phone_line(item.org):
                    texts.append(paper.phone_line(item.org))
                    self._add(texts[-1])
            texts.append(_("Wat blijft hetzelfde?"))
            self._add(texts[-1], "factname")
            texts.append(paper.unchanged_text())
            self._add(texts[-1])
        self.text_box.setAccessibleDescription(" ".join(texts))
        self.confirm_button.setVisible(review.active)
        self.cancel_button.setText(
            _("Nee, niets veranderen") if review.active else _("Terug naar de tafel")
        )

    def first_focus(self):
        # The safe choice has the focus: pressing a key twice changes nothing.
        return self.cancel_button

    def _on_confirm(self) -> None:
        mailbox, person_id = self.session.mailbox, self.session.person.id
        self.confirm_button.setEnabled(False)  # one press asks once
        self.run(
            lambda: mailbox.request_paper_all(person_id),
            lambda _requests: self._asked(None),
            on_error=self._asked,
            label="request_paper_all",
        )

    def _asked(self, error: MailboxError | None) -> None:
        self.confirm_button.setEnabled(True)
        self.feature.show_status(error=error, replace=True)


class PaperStatusScreen(Screen):
    """Wanneer komt mijn post weer op papier? One box per organisation."""

    def __init__(self, window, feature, parent=None):
        super().__init__(window, parent)
        self.feature = feature
        self.rows: list[paper.StatusRow] = []
        self.error: MailboxError | None = None
        # One page that grows (the screen's page scrolls); every action in the bar.
        outer = self.layout_
        self.heading = label(role="title", name="paper_status_title")
        self.summary = label(role="summary", name="paper_status_summary")
        self.error_label = label(role="notice", name="paper_status_error")
        self.error_label.hide()
        for widget in (self.heading, self.summary, self.error_label):
            outer.addWidget(widget)
        self.list_box = QWidget()
        self.list_box.setObjectName("paper_status_list")
        self.list_layout = QVBoxLayout(self.list_box)
        self.list_layout.setContentsMargins(0, 0, 0, 0)
        self.list_layout.setSpacing(10)
        outer.addWidget(self.list_box)
        # Printing is a choice, not a step: it stays with the list, in the page,
        # so the bar holds only what the person must press to go on (at 200 %
        # five buttons took three rows of the bar and pushed one out of the window).
        self.print_button = button("", name="paper_print_overview", secondary=True)
        self.letter_button = button("", name="paper_print_letter", secondary=True)
        prints = FlowLayout()
        prints.addWidget(self.print_button)
        prints.addWidget(self.letter_button)
        outer.addLayout(prints)
        outer.addStretch(1)
        # What the person still has to do for the Belastingdienst comes first; the
        # buttons stay in their places (hidden when not needed, never moved).
        self.how_button = button(
            "", name="paper_belastingdienst_how"
        )  # opens the page with the phone script and the letter
        self.sent_button = button("", name="paper_belastingdienst_sent", secondary=True)
        self.done_button = button("", name="paper_belastingdienst_done", secondary=True)
        self.home_button = button("", name="paper_status_home", secondary=True)
        for action in (self.how_button, self.sent_button, self.done_button):
            self.add_action(action)
        self.add_action(self.home_button, at_end=True)
        for action in (self.how_button, self.sent_button, self.done_button):
            action.hide()
        self._open_org: str | None = None  # the helpdesk organisation still to do
        self.how_button.clicked.connect(self.feature.show_belastingdienst)
        self.sent_button.clicked.connect(lambda: self._set_open_state("sent"))
        self.done_button.clicked.connect(lambda: self._set_open_state("done"))
        self.print_button.clicked.connect(self._on_print)
        self.letter_button.clicked.connect(self._on_print_letter)
        self.home_button.clicked.connect(lambda: self.window_.go_home())
        self.row_boxes: list[QFrame] = []
        self.retranslate_ui()

    def title(self) -> str:
        return _("Wanneer komt mijn post weer op papier?")

    def help_text(self) -> str:
        return _(
            "Hier ziet u per organisatie wanneer u gevraagd heeft om post op papier. "
            "U ziet ook vanaf wanneer die post ongeveer op papier komt. "
            "Dit scherm blijft tot al uw post op papier komt. "
            "U vindt het op de tafel."
        )

    def retranslate_ui(self) -> None:
        self.heading.setText(self.title())
        self.print_button.setText(_("Overzicht printen"))
        self.letter_button.setText(_("Brief aan de Belastingdienst printen"))
        self.home_button.setText(_("Terug naar de tafel"))
        self.how_button.setText(_("Zo belt of schrijft u"))
        self.sent_button.setText(_("Ik heb gebeld of de brief gestuurd"))
        self.done_button.setText(_("Ik krijg weer post op papier"))
        self.list_box.setAccessibleName(_("Uw aanvragen per organisatie"))
        if self.isVisible() and self.rows:  # a hidden screen is drawn when shown
            self._render()
        self.set_error(self.error)

    def set_error(self, error: MailboxError | None) -> None:
        self.error = error
        self.error_label.setVisible(error is not None)
        self.error_label.setText(problem_text(error, Doing.PAPER) if error else "")

    def refresh(self) -> None:
        self.feature.load(self._render)

    def _render(self) -> None:
        if self.feature.facts is None:
            return
        self.rows = paper.status_rows(self.feature.facts)
        self.summary.setText(paper.status_summary(self.rows))
        _clear(self.list_layout)
        self.row_boxes = []
        texts = []
        open_row = None
        for row in self.rows:
            frame = box()
            frame.setObjectName(f"paper_row_{row.org_id}")
            inner = QVBoxLayout(frame)
            inner.addWidget(label(paper.own_line(row.org_name), "factname"))
            lines = [row.asked, row.paper_from, row.state]
            if row.helpdesk and not row.done:
                org = self.feature.facts.organisation(row.org_id)
                if org is not None and paper.phone_line(org):
                    lines.append(paper.phone_line(org))
            for text in lines:
                inner.addWidget(label(text))
            texts.append(" ".join((row.org_name, *lines)))
            if row.helpdesk and row.request is not None and not row.done and open_row is None:
                open_row = row
            self.list_layout.addWidget(frame)
            self.row_boxes.append(frame)
        self._open_org = open_row.org_id if open_row is not None else None
        prepared = (
            open_row is not None
            and open_row.request is not None
            and open_row.request.state == "prepared"
        )
        self.how_button.setVisible(open_row is not None)
        self.sent_button.setVisible(prepared)
        self.done_button.setVisible(open_row is not None and not prepared)
        if open_row is not None:
            self.done_button.setAccessibleName(
                _("Ik krijg weer post op papier van de %(org)s") % {"org": open_row.org_name}
            )
        self.list_box.setAccessibleDescription(" ".join([self.summary.text(), *texts]))
        self.letter_button.setVisible(self.feature.belastingdienst_open())

    def first_focus(self):
        # The first action in the bar, always in sight: "zo doet u het" (it only
        # opens a page) while the Belastingdienst is still to do, else back to the
        # table. Never a button that records something.
        return self.how_button if not self.how_button.isHidden() else self.home_button

    def _set_open_state(self, state: str) -> None:
        if self._open_org is not None:
            self._set_state(self._open_org, state)

    def _set_state(self, org_id: str, state: str) -> None:
        mailbox, person_id = self.session.mailbox, self.session.person.id
        self.run(
            lambda: mailbox.set_paper_request_state(person_id, org_id, state),
            lambda _request: self._after_state(None),
            on_error=self._after_state,
        )

    def _after_state(self, error: MailboxError | None) -> None:
        if error is not None:
            self.set_error(error)

        def focus() -> None:
            self._render()
            self.first_focus().setFocus()

        self.feature.load(focus)

    def print_document(self) -> PrintDocument:
        from ui.shell.printing import PrintDocument

        doc = PrintDocument(_("Post op papier - overzicht"))
        doc.heading(self.title())
        doc.paragraph(paper.status_summary(self.rows))
        for row in self.rows:
            doc.paragraph(row.org_name, bold=True)
            doc.lines([row.asked, row.paper_from, row.state])
        return doc

    def _on_print(self) -> None:
        self.window_.print_document(self.print_document())

    def _on_print_letter(self) -> None:
        from ui.paper.belastingdienst import letter_document

        doc = letter_document(
            self.feature.facts.belastingdienst() if self.feature.facts else None, self.session
        )
        if doc is not None:
            self.window_.print_document(doc)


class PaperFeature(QObject):
    """Holds the one table button and the screens (each built when first shown)."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        table = window.table_screen
        # One button for paper, also once a request stands: pressed again, it
        # shows how the request stands (on_paper_pressed). A second table button
        # for that status did not fit the guided window's pane at 200 %.
        self.paper_button = button("", name="paper_button")
        table.extra_buttons.addWidget(self.paper_button)
        window.add_screen_factory("paper_review_screen", lambda: PaperReviewScreen(window, self))
        window.add_screen_factory("paper_status_screen", lambda: PaperStatusScreen(window, self))
        window.add_screen_factory("belastingdienst_screen", self._make_belastingdienst)
        #: what the service last said (paper.facts); None until first asked
        self.facts: paper.PaperFacts | None = None
        self.paper_button.clicked.connect(self.on_paper_pressed)
        self.paper_button.installEventFilter(self)
        self.retranslate_table_buttons()

    def _make_belastingdienst(self) -> BelastingdienstScreen:
        from ui.paper.belastingdienst import BelastingdienstScreen

        return BelastingdienstScreen(self.window, self)

    @property
    def review_screen(self) -> PaperReviewScreen:
        return self.window.screen_named("paper_review_screen")

    @property
    def status_screen(self) -> PaperStatusScreen:
        return self.window.screen_named("paper_status_screen")

    @property
    def belastingdienst_screen(self) -> BelastingdienstScreen:
        return self.window.screen_named("belastingdienst_screen")

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt API
        if watched is self.paper_button and event.type() == QEvent.Type.LanguageChange:
            self.retranslate_table_buttons()
        return False

    def retranslate_table_buttons(self) -> None:
        self.paper_button.setText(_("Ik wil mijn post op papier"))

    def load(self, then=None) -> None:
        """Ask the service for the paper facts in the background, then call ``then``."""
        session = self.window.session
        mailbox, person_id = session.mailbox, session.person.id

        def loaded(known: paper.PaperFacts) -> None:
            self.facts = known
            if then is not None:
                then()

        def refused(error: MailboxError) -> None:
            # Asked without waiting for the person (then is None): a server that
            # cannot tell (yet) just leaves things as they are.
            if then is not None:
                self.window.tell(problem_text(error))

        self.window.tasks.run(
            lambda: paper.facts(mailbox, person_id),
            loaded,
            on_error=refused,
            owner=self,
            label="paper_facts",
        )

    def belastingdienst_open(self) -> bool:
        return self.facts is not None and any(
            r.helpdesk and r.request is not None and not r.done
            for r in paper.status_rows(self.facts)
        )

    def on_paper_pressed(self) -> None:
        """A repeated press shows the request that stands, never a second one."""

        def decide() -> None:
            assert self.facts is not None
            review = paper.make_review(self.facts)
            if review.active and review.nothing_new:
                self.show_status()
            else:
                self.window.show_screen(self.review_screen)

        self.load(decide)

    def show_status(self, *, error: MailboxError | None = None, replace: bool = False) -> None:
        self.status_screen.set_error(error)
        if replace and self.window.current_screen() is self.review_screen:
            # After the confirm, Back leads to the table, not to the review.
            self.window.go_home()
        self.window.show_screen(self.status_screen)

    def show_belastingdienst(self) -> None:
        self.window.show_screen(self.belastingdienst_screen)


def install(window) -> PaperFeature:
    return PaperFeature(window)
