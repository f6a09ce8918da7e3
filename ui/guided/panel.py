"""The volunteer's guide: choose a mode, a script, then step by step.

Per step, in large type: "Zeg" (what to say), "Doe" (what to click; that
control gets a thick outline) and "Waarom" (one line of background). One page
serves every script, so a new script in ``resources/guided/scripts.json``
needs no widget. The panel only shows; :class:`ui.guided.controller.GuidedController`
decides what.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.i18n import gettext as _
from ui.shell.widgets import FlowLayout, box, button, label, scrolling


def keep_width(widget: QPushButton, texts: tuple[str, ...]) -> None:
    """Make a button as wide as the widest of its texts, so that changing its text
    ("Volgende stap" -> "Klaar") moves no button of its row. Measured in the
    button's font of now (call again after the text size changed)."""
    own = widget.text()
    widths = []
    for text in texts or (own,):
        widget.setText(text)
        widths.append(widget.sizeHint().width())
    widget.setText(own)
    widget.setMinimumWidth(max(widths))


class GuidePanel(QWidget):
    """The volunteer's side: choose a mode, a script, then step by step.

    Each page is built as a screen of the main window is (ui/shell/widgets.py
    ``Screen``): its text in one scroll area, its buttons in a fixed bar below
    (``action_bar``) that never scrolls away and keeps its places from step to step.
    """

    MODE, CHOOSE, STEP, PAUSED, DONE, END = range(6)

    def __init__(self, controller):
        super().__init__()
        self.setObjectName("guide_panel")
        self.c = controller
        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 0, 12, 12)
        # Below the text of the page shown, in its scrolling part: at 200 % it
        # takes four lines, too many for a fixed place above the guide (the banner
        # across the window says "Oefenen" too).
        self.training_label = label(role="practice", name="guided_training_banner")
        self.contents: list[QVBoxLayout] = []
        self.areas: dict[QWidget, QScrollArea] = {}  # each page's content: its scroll area
        self.pages = QStackedWidget()
        outer.addWidget(self.pages, 1)
        self._build_mode()
        self._build_choose()
        self._build_step()
        self._build_paused()
        self._build_done()
        self._build_end()
        self.show_page(self.MODE)

    def show_page(self, page: int) -> None:
        """Show one page; only the page shown counts for the panel's size."""
        self.pages.setCurrentIndex(page)
        if 0 <= page < len(self.contents):
            content = self.contents[page]
            if content.indexOf(self.training_label) < 0:
                shown = not self.training_label.isHidden()  # a new parent hides it
                for other in self.contents:
                    other.removeWidget(self.training_label)
                content.insertWidget(content.count() - 1, self.training_label)  # before the stretch
                self.training_label.setVisible(shown)
        for i in range(self.pages.count()):
            widget = self.pages.widget(i)
            policy = QSizePolicy.Policy.Preferred if i == page else QSizePolicy.Policy.Ignored
            if widget is not None:
                widget.setSizePolicy(policy, policy)
        self.pages.updateGeometry()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt API
        kind = event.type()
        if watched is getattr(self, "next", None) and kind in (
            QEvent.Type.FontChange,
            QEvent.Type.StyleChange,
        ):
            keep_width(self.next, self.next_texts)
        elif kind == QEvent.Type.Resize and watched in getattr(self, "areas", {}):
            # A page's text settled after the focus came (a new page, 200 % text):
            # the focused button is scrolled into view again.
            area = self.areas[watched]
            focus = QApplication.focusWidget()
            if focus is not None and watched.isAncestorOf(focus):
                area.ensureWidgetVisible(focus, 8, 8)
        return False

    # -- pages ------------------------------------------------------------------
    def _page(self) -> tuple[QWidget, QVBoxLayout, FlowLayout]:
        """A page: its content (scrolls when it must) and its fixed row of buttons."""
        holder = QWidget()
        frame = QVBoxLayout(holder)
        frame.setContentsMargins(0, 0, 0, 0)
        frame.setSpacing(0)
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 12)
        layout.setSpacing(12)
        area = scrolling(content)
        self.areas[content] = area
        content.installEventFilter(self)
        area.setObjectName("guide_page_area")
        area.setMinimumHeight(48)  # the text scrolls; the bar below must fit the window
        area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        frame.addWidget(area, 1)
        bar = QFrame()
        bar.setObjectName("action_bar")
        bar.setProperty("role", "action_bar")
        actions = FlowLayout(bar)
        actions.setContentsMargins(0, 10, 0, 0)
        frame.addWidget(bar)
        self.pages.addWidget(holder)
        self.contents.append(layout)
        return content, layout, actions

    def _build_mode(self) -> None:
        _page, layout, actions = self._page()
        self.mode_title = label(role="pane_title", name="guided_mode_title")
        self.mode_text = label(role="summary", name="guided_mode_text")
        self.visitor_button = button("", name="guided_mode_visitor")
        self.training_button = button("", name="guided_mode_training", secondary=True)
        for w in (self.mode_title, self.mode_text):
            layout.addWidget(w)
        layout.addStretch(1)
        actions.addWidget(self.visitor_button)
        actions.addWidget(self.training_button)
        self.visitor_button.clicked.connect(lambda: self.c.choose_mode(training=False))
        self.training_button.clicked.connect(lambda: self.c.choose_mode(training=True))

    def _build_choose(self) -> None:
        _page, layout, actions = self._page()
        self.choose_title = label(role="pane_title", name="guided_choose_title")
        layout.addWidget(self.choose_title)
        self.script_buttons: list = []
        self.script_abouts: list = []
        self.script_titles: list = []
        for script in self.c.scripts:
            block = box()
            inner = QVBoxLayout(block)
            title = label(role="pane_title", name=f"guided_script_{script.id}_title")
            about = label(name=f"guided_script_{script.id}_about")
            b = button("", name=f"guided_script_{script.id}")
            row = FlowLayout()
            row.addWidget(b)
            inner.addWidget(title)
            inner.addWidget(about)
            inner.addLayout(row)
            self.script_titles.append((script, title))
            layout.addWidget(block)
            b.clicked.connect(lambda _checked=False, s=script: self.c.start_script(s))
            self.script_buttons.append((script, b))
            self.script_abouts.append((script, about))
        self.choose_print = button("", name="guided_print_handout", secondary=True)
        self.choose_end = button("", name="guided_end_session", secondary=True)
        actions.addWidget(self.choose_print)
        actions.addWidget(self.choose_end)
        layout.addStretch(1)
        self.choose_print.clicked.connect(self.c.print_handout)
        self.choose_end.clicked.connect(self.c.ask_end)

    def _build_step(self) -> None:
        _page, layout, actions = self._page()
        self.step_title = label(role="pane_title", name="guided_step_title")
        self.progress = label(role="summary", name="guided_progress")
        layout.addWidget(self.step_title)
        layout.addWidget(self.progress)
        self.parts = {}
        for key in ("say", "do", "why"):
            block = box()
            inner = QVBoxLayout(block)
            heading = label(role="pane_title", name=f"guided_{key}_heading")
            text = label(role="summary" if key != "why" else None, name=f"guided_{key}")
            text.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
            inner.addWidget(heading)
            inner.addWidget(text)
            layout.addWidget(block)
            self.parts[key] = (heading, text)
        self.reveal_note = label(role="notice", name="guided_reveal_note")
        layout.addWidget(self.reveal_note)
        self.next = button("", name="guided_next")
        self.next_texts: tuple[str, ...] = ()
        self.next.installEventFilter(self)  # its width follows the text size
        self.back = button("", name="guided_back", secondary=True)
        self.to_target = button("", name="guided_to_target", secondary=True)
        self.pause = button("", name="guided_pause", secondary=True)
        self.stop = button("", name="guided_stop", secondary=True)
        # The way on in the fixed bar, in the same places on every step; the
        # other choices below the texts (at 200 % five buttons would fill the bar).
        actions.addWidget(self.next)
        actions.addWidget(self.back)
        more = FlowLayout()
        for b in (self.to_target, self.pause, self.stop):
            more.addWidget(b)
        layout.addLayout(more)
        self.keys_hint = label(name="guided_keys_hint")
        layout.addWidget(self.keys_hint)
        layout.addStretch(1)
        self.back.clicked.connect(self.c.previous_step)
        self.next.clicked.connect(self.c.next_step)
        self.to_target.clicked.connect(self.c.focus_target)
        self.pause.clicked.connect(self.c.pause)
        self.stop.clicked.connect(self.c.stop_script)

    def _build_paused(self) -> None:
        _page, layout, actions = self._page()
        self.paused_title = label(role="pane_title", name="guided_paused_title")
        self.paused_text = label(role="summary", name="guided_paused_text")
        self.resume = button("", name="guided_resume")
        for w in (self.paused_title, self.paused_text):
            layout.addWidget(w)
        actions.addWidget(self.resume)
        layout.addStretch(1)
        self.resume.clicked.connect(self.c.resume)

    def _build_done(self) -> None:
        _page, layout, actions = self._page()
        self.done_title = label(role="pane_title", name="guided_done_title")
        self.done_text = label(role="summary", name="guided_done_text")
        self.done_list = label(name="guided_done_list")
        layout.addWidget(self.done_title)
        layout.addWidget(self.done_text)
        layout.addWidget(self.done_list)
        self.done_print = button("", name="guided_done_print")
        self.done_more = button("", name="guided_more", secondary=True)
        self.done_end = button("", name="guided_done_end", secondary=True)
        for b in (self.done_print, self.done_more, self.done_end):
            actions.addWidget(b)
        self.printed_note = label(role="notice", name="guided_printed_note")
        layout.addWidget(self.printed_note)
        layout.addStretch(1)
        self.done_print.clicked.connect(self.c.print_handout)
        self.done_more.clicked.connect(self.c.show_choose)
        self.done_end.clicked.connect(self.c.ask_end)

    def _build_end(self) -> None:
        _page, layout, actions = self._page()
        self.end_title = label(role="pane_title", name="guided_end_title")
        self.end_text = label(role="summary", name="guided_end_text")
        self.end_next = button("", name="guided_next_visitor")
        self.end_yes = button("", name="guided_end_yes")
        self.end_no = button("", name="guided_end_no", secondary=True)
        actions.addWidget(self.end_next)
        actions.addWidget(self.end_yes)
        actions.addWidget(self.end_no)
        for w in (self.end_title, self.end_text):
            layout.addWidget(w)
        layout.addStretch(1)
        self.end_next.clicked.connect(self.c.next_visitor)
        self.end_yes.clicked.connect(self.c.end_session)
        self.end_no.clicked.connect(self.c.cancel_end)

    # -- texts ------------------------------------------------------------------
    def retranslate_ui(self) -> None:
        self.training_label.setText(_("Oefenen: u oefent met voorbeeldpost. Er is geen bezoeker."))
        self.mode_title.setText(_("Begeleide sessie"))
        self.mode_text.setText(
            _(
                "Voor het Informatiepunt Digitale Overheid. U helpt, de bezoeker beslist. "
                "Na afloop wordt alles van de bezoeker gewist."
            )
        )
        self.visitor_button.setText(_("Er is een bezoeker"))
        # Short words on the buttons: at 200 % the guide is about 500 px wide.
        self.training_button.setText(_("Oefenen"))
        self.training_button.setAccessibleName(_("Oefenen zonder bezoeker"))
        self.choose_title.setText(_("Waarvoor komt de bezoeker?"))
        for script, b in self.script_buttons:
            b.setText(_("Dit kiezen"))
            b.setAccessibleName(_("Kiezen: %(title)s") % {"title": _(script.title)})
            b.setAccessibleDescription(_(script.about))
        for script, about in self.script_abouts:
            about.setText(_(script.about))
        for script, title in self.script_titles:
            title.setText(_(script.title))
        self.choose_print.setText(_("Briefje printen"))
        self.choose_print.setAccessibleName(_("Briefje printen voor de bezoeker"))
        self.choose_end.setText(_("Sessie afsluiten"))
        for key, name in (("say", _("Zeg")), ("do", _("Doe")), ("why", _("Waarom"))):
            self.parts[key][0].setText(name)
        self.reveal_note.setText(
            _(
                "Alleen de bezoeker drukt op 'Laat zien'. Tot dan blijft de post afgedekt. "
                "U kijkt pas mee als de bezoeker dat wil."
            )
        )
        self.next_texts = (_("Volgende stap"), _("Klaar"))
        keep_width(self.next, self.next_texts)
        self.back.setText(_("Vorige stap"))
        self.to_target.setText(_("Naar de knop"))
        self.to_target.setAccessibleName(_("Naar de knop die oplicht"))
        self.pause.setText(_("Even pauzeren"))
        self.stop.setText(_("Andere vraag kiezen"))
        self.keys_hint.setText(
            _("Met de toets F6 gaat u heen en weer tussen de hulp en het scherm.")
        )
        self.paused_title.setText(_("Even pauze"))
        self.paused_text.setText(_("Neem rustig de tijd. Er loopt geen tijd. Alles blijft staan."))
        self.resume.setText(_("Verder gaan"))
        self.done_text.setText(_("Dit komt op het briefje voor de bezoeker:"))
        self.done_print.setText(_("Briefje printen"))
        self.done_print.setAccessibleName(_("Briefje printen voor de bezoeker"))
        self.done_more.setText(_("Nog een vraag"))
        self.done_more.setAccessibleName(_("Nog iets anders regelen"))
        self.done_end.setText(_("Sessie afsluiten"))
        self.end_title.setText(_("Sessie afsluiten?"))
        self.end_text.setText(
            _(
                "Alles van de bezoeker wordt nu gewist van deze computer. "
                "Heeft de bezoeker het briefje al? Print het dan eerst."
            )
        )
        self.end_next.setText(_("Volgende bezoeker"))
        self.end_next.setAccessibleName(_("Volgende bezoeker: alles wissen en opnieuw beginnen"))
        self.end_yes.setText(_("Ja, sessie afsluiten"))
        self.end_yes.setAccessibleName(_("Ja, sessie afsluiten en alles wissen"))
        self.end_no.setText(_("Nee, nog niet"))
        self.c.refresh_texts()
