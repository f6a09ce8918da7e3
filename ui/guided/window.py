"""Guided mode: a volunteer helps a visitor step by step, and nothing stays behind.

The window is the normal main window on a throwaway session (``app.guided.Visit``)
with a guide beside it. The guide shows, per step, in large type: "Zeg" (what
to say), "Doe" (what to click; that control gets a thick outline) and "Waarom"
(one line of background). Steps come from ``resources/guided/scripts.json``;
this module has one page for every script, so a new script needs no widget.

The visitor decides what the volunteer sees: letters and the table stay
covered until the visitor presses "Laat zien" (``ui/guided/cover.py``).
"Sessie afsluiten", closing the window, or the next start after a crash
removes everything of the visit.

F6 moves the keyboard between the guide and the screen.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QHBoxLayout, QStackedWidget, QVBoxLayout, QWidget

from app import guided
from app.i18n import gettext as _
from app.plain import deadline_phrase, format_date
from ui.shell import printing
from ui.guided.cover import Highlight, LetterCover, TableCover
from ui.shell.main_window import MainWindow
from ui.shell.printing import PrintDocument
from ui.shell.widgets import FlowLayout, box, button, label, scrolling

HANDOUT_POINT_SIZE = 18   # large print for the visitor


class HandoutDocument(PrintDocument):
    """A print document in large type (18 pt body, 25 pt headings)."""

    def heading(self, text: str) -> PrintDocument:
        self._block(HANDOUT_POINT_SIZE * 1.4, True, 14)
        self._cursor.insertText(text)
        return self

    def paragraph(self, text: str, *, bold: bool = False) -> PrintDocument:
        for part in text.split("\n"):
            self._block(HANDOUT_POINT_SIZE, bold, 6)
            self._cursor.insertText(part)
        return self


def handout_document(handout: guided.Handout, today: date) -> HandoutDocument:
    doc = HandoutDocument(_("Briefje van het Informatiepunt"))
    doc.heading(_("Uw briefje van het Informatiepunt"))
    if handout.training:
        doc.paragraph(_("OEFENING. Dit is geen echte post."), bold=True)
    doc.paragraph(_("Datum: %(date)s") % {"date": format_date(today)})
    doc.heading(_("Wat we vandaag hebben gedaan"))
    done = [line for result in handout.results for line in result.done]
    for line in done or [_("We hebben samen gekeken naar uw post.")]:
        doc.paragraph(f"• {line}")
    doc.heading(_("Wat u nog moet doen"))
    todo = handout.todo()
    if not todo:
        doc.paragraph(_("U hoeft nu niets te doen."))
    for item in todo:
        doc.paragraph(f"• {item.text}", bold=item.by is not None)
        if item.by is not None:
            doc.paragraph("   " + _("Uiterlijk %(date)s (%(left)s).") % {
                "date": format_date(item.by), "left": deadline_phrase(item.by, today)})
    doc.heading(_("Hier krijgt u hulp"))
    for line in handout.help:
        doc.paragraph(f"• {line}")
    return doc


class GuidePanel(QWidget):
    """The volunteer's side: choose a mode, a script, then step by step."""

    MODE, CHOOSE, STEP, PAUSED, DONE, END = range(6)

    def __init__(self, controller):
        super().__init__()
        self.setObjectName("guide_panel")
        self.c = controller
        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 12, 12, 12)
        self.training_label = label(role="practice", name="guided_training_banner")
        outer.addWidget(self.training_label)
        self.pages = QStackedWidget()
        outer.addWidget(self.pages, 1)
        self._build_mode()
        self._build_choose()
        self._build_step()
        self._build_paused()
        self._build_done()
        self._build_end()

    # -- pages ------------------------------------------------------------------
    def _page(self) -> tuple[QWidget, QVBoxLayout]:
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        self.pages.addWidget(scrolling(content))
        return content, layout

    def _build_mode(self) -> None:
        _page, layout = self._page()
        self.mode_title = label(role="title", name="guided_mode_title")
        self.mode_text = label(role="summary", name="guided_mode_text")
        self.visitor_button = button("", name="guided_mode_visitor")
        self.training_button = button("", name="guided_mode_training", secondary=True)
        for w in (self.mode_title, self.mode_text, self.visitor_button, self.training_button):
            layout.addWidget(w)
        layout.addStretch(1)
        self.visitor_button.clicked.connect(lambda: self.c.choose_mode(training=False))
        self.training_button.clicked.connect(lambda: self.c.choose_mode(training=True))

    def _build_choose(self) -> None:
        _page, layout = self._page()
        self.choose_title = label(role="title", name="guided_choose_title")
        layout.addWidget(self.choose_title)
        self.script_buttons: list = []
        self.script_abouts: list = []
        self.script_titles: list = []
        for script in self.c.scripts:
            block = box()
            inner = QVBoxLayout(block)
            title = label(role="title", name=f"guided_script_{script.id}_title")
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
        row = FlowLayout()
        self.choose_print = button("", name="guided_print_handout", secondary=True)
        self.choose_end = button("", name="guided_end_session", secondary=True)
        row.addWidget(self.choose_print)
        row.addWidget(self.choose_end)
        layout.addLayout(row)
        layout.addStretch(1)
        self.choose_print.clicked.connect(self.c.print_handout)
        self.choose_end.clicked.connect(self.c.ask_end)

    def _build_step(self) -> None:
        _page, layout = self._page()
        self.step_title = label(role="title", name="guided_step_title")
        self.progress = label(role="summary", name="guided_progress")
        layout.addWidget(self.step_title)
        layout.addWidget(self.progress)
        self.parts = {}
        for key in ("say", "do", "why"):
            block = box()
            inner = QVBoxLayout(block)
            heading = label(role="title", name=f"guided_{key}_heading")
            text = label(role="summary" if key != "why" else None, name=f"guided_{key}")
            text.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
            inner.addWidget(heading)
            inner.addWidget(text)
            layout.addWidget(block)
            self.parts[key] = (heading, text)
        self.reveal_note = label(role="notice", name="guided_reveal_note")
        layout.addWidget(self.reveal_note)
        row = FlowLayout()
        self.back = button("", name="guided_back", secondary=True)
        self.next = button("", name="guided_next")
        self.to_target = button("", name="guided_to_target", secondary=True)
        self.pause = button("", name="guided_pause", secondary=True)
        self.stop = button("", name="guided_stop", secondary=True)
        for b in (self.back, self.next, self.to_target, self.pause, self.stop):
            row.addWidget(b)
        layout.addLayout(row)
        self.keys_hint = label(name="guided_keys_hint")
        layout.addWidget(self.keys_hint)
        layout.addStretch(1)
        self.back.clicked.connect(self.c.previous_step)
        self.next.clicked.connect(self.c.next_step)
        self.to_target.clicked.connect(self.c.focus_target)
        self.pause.clicked.connect(self.c.pause)
        self.stop.clicked.connect(self.c.stop_script)

    def _build_paused(self) -> None:
        _page, layout = self._page()
        self.paused_title = label(role="title", name="guided_paused_title")
        self.paused_text = label(role="summary", name="guided_paused_text")
        self.resume = button("", name="guided_resume")
        for w in (self.paused_title, self.paused_text, self.resume):
            layout.addWidget(w)
        layout.addStretch(1)
        self.resume.clicked.connect(self.c.resume)

    def _build_done(self) -> None:
        _page, layout = self._page()
        self.done_title = label(role="title", name="guided_done_title")
        self.done_text = label(role="summary", name="guided_done_text")
        self.done_list = label(name="guided_done_list")
        layout.addWidget(self.done_title)
        layout.addWidget(self.done_text)
        layout.addWidget(self.done_list)
        row = FlowLayout()
        self.done_print = button("", name="guided_done_print")
        self.done_more = button("", name="guided_more", secondary=True)
        self.done_end = button("", name="guided_done_end", secondary=True)
        for b in (self.done_print, self.done_more, self.done_end):
            row.addWidget(b)
        layout.addLayout(row)
        self.printed_note = label(role="notice", name="guided_printed_note")
        layout.addWidget(self.printed_note)
        layout.addStretch(1)
        self.done_print.clicked.connect(self.c.print_handout)
        self.done_more.clicked.connect(self.c.show_choose)
        self.done_end.clicked.connect(self.c.ask_end)

    def _build_end(self) -> None:
        _page, layout = self._page()
        self.end_title = label(role="title", name="guided_end_title")
        self.end_text = label(role="summary", name="guided_end_text")
        row = FlowLayout()
        self.end_yes = button("", name="guided_end_yes")
        self.end_no = button("", name="guided_end_no", secondary=True)
        row.addWidget(self.end_yes)
        row.addWidget(self.end_no)
        for w in (self.end_title, self.end_text):
            layout.addWidget(w)
        layout.addLayout(row)
        layout.addStretch(1)
        self.end_yes.clicked.connect(self.c.end_session)
        self.end_no.clicked.connect(self.c.cancel_end)

    # -- texts ------------------------------------------------------------------
    def retranslate_ui(self) -> None:
        self.training_label.setText(_("Oefenen: u oefent met voorbeeldpost. Er is geen bezoeker."))
        self.mode_title.setText(_("Begeleide sessie"))
        self.mode_text.setText(_(
            "Voor het Informatiepunt Digitale Overheid. U helpt, de bezoeker beslist. "
            "Na afloop wordt alles van de bezoeker gewist."))
        self.visitor_button.setText(_("Er is een bezoeker"))
        self.training_button.setText(_("Oefenen zonder bezoeker"))
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
        self.reveal_note.setText(_(
            "Alleen de bezoeker drukt op 'Laat zien'. Tot dan blijft de post afgedekt. "
            "U kijkt pas mee als de bezoeker dat wil."))
        self.back.setText(_("Vorige stap"))
        self.to_target.setText(_("Naar de knop"))
        self.to_target.setAccessibleName(_("Naar de knop die oplicht"))
        self.pause.setText(_("Even pauzeren"))
        self.stop.setText(_("Andere vraag kiezen"))
        self.keys_hint.setText(_("Met de toets F6 gaat u heen en weer tussen de hulp en het scherm."))
        self.paused_title.setText(_("Even pauze"))
        self.paused_text.setText(_("Neem rustig de tijd. Er loopt geen tijd. Alles blijft staan."))
        self.resume.setText(_("Verder gaan"))
        self.done_text.setText(_("Dit komt op het briefje voor de bezoeker:"))
        self.done_print.setText(_("Briefje printen"))
        self.done_print.setAccessibleName(_("Briefje printen voor de bezoeker"))
        self.done_more.setText(_("Nog iets anders regelen"))
        self.done_end.setText(_("Sessie afsluiten"))
        self.end_title.setText(_("Sessie afsluiten?"))
        self.end_text.setText(_(
            "Alles van de bezoeker wordt nu gewist van deze computer. "
            "Heeft de bezoeker het briefje al? Print het dan eerst."))
        self.end_yes.setText(_("Ja, sessie afsluiten"))
        self.end_yes.setAccessibleName(_("Ja, sessie afsluiten en alles wissen"))
        self.end_no.setText(_("Nee, nog niet"))
        self.c.refresh_texts()


class GuidedController:
    """Runs a visit: which script, which step, what is covered, what goes on the handout."""

    def __init__(self, window: GuidedWindow, visit: guided.Visit):
        self.window = window
        self.visit = visit
        self.scripts = guided.load_scripts()
        self.general_help = guided.load_general_help()
        self.script: guided.Script | None = None
        self.index = 0
        self.results: list[guided.ScriptResult] = []
        self.revealed_in_script: list = []
        self.printed = False
        self.return_page = GuidePanel.CHOOSE
        self.print_message = ""

    # -- mode and scripts -------------------------------------------------------
    def choose_mode(self, *, training: bool) -> None:
        self.visit.training = training
        self.window.update_training()
        self.show_choose()

    def show_choose(self) -> None:
        self.script = None
        self.window.highlight.point_at(None)
        panel = self.window.panel
        panel.choose_print.setVisible(bool(self.results))
        self._page(GuidePanel.CHOOSE, panel.script_buttons[0][1])

    def start_script(self, script: guided.Script) -> None:
        if self.visit.training and script.practice_person:
            self.window.use_person(script.practice_person)
        self.script = script
        self.index = 0
        self.revealed_in_script: list = []
        self.window.go_home()
        self.show_step()

    def show_step(self) -> None:
        script = self.script
        if script is None:
            return
        panel = self.window.panel
        step = script.steps[self.index]
        total = len(script.steps)
        panel.step_title.setText(_(script.title))
        panel.progress.setText(_("Stap %(n)d van %(total)d") % {"n": self.index + 1, "total": total})
        panel.parts["say"][1].setText(_(step.say))
        panel.parts["do"][1].setText(_(step.do))
        panel.parts["why"][1].setText(_(step.why))
        panel.reveal_note.setVisible(step.reveal)
        panel.back.setEnabled(self.index > 0)
        panel.next.setText(_("Klaar") if self.index == total - 1 else _("Volgende stap"))
        target = self.target_widget()
        self.window.highlight.point_at(target)
        self.window.highlight.bring_into_view()
        panel.to_target.setVisible(bool(step.targets))
        panel.to_target.setEnabled(target is not None)
        self._page(GuidePanel.STEP, panel.next)

    def target_widget(self) -> QWidget | None:
        """The control the step points at: the first of its objectNames found."""
        if self.script is None:
            return None
        for name in self.script.steps[self.index].targets:
            found = self.window.findChild(QWidget, name)
            if found is not None and found is not self.window.panel:
                return found
        return None

    def next_step(self) -> None:
        if self.script is None:
            return
        if self.index + 1 < len(self.script.steps):
            self.index += 1
            self.show_step()
        else:
            self.finish_script()

    def previous_step(self) -> None:
        if self.script is not None and self.index > 0:
            self.index -= 1
            self.show_step()

    def focus_target(self) -> None:
        target = self.target_widget()
        if target is not None and target.isVisible() and target.isEnabled():
            self.window.highlight.bring_into_view()
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def pause(self) -> None:
        self.window.highlight.hide()
        self._page(GuidePanel.PAUSED, self.window.panel.resume)

    def resume(self) -> None:
        self.show_step()

    def stop_script(self) -> None:
        self.show_choose()

    def on_revealed(self, letter) -> None:
        if letter is not None:
            if self.script is not None and letter not in self.revealed_in_script:
                self.revealed_in_script.append(letter)
        if self.script is not None:   # the next thing to click may be there now
            self.window.highlight.point_at(self.target_widget())
            self.window.panel.to_target.setEnabled(self.target_widget() is not None)

    def finish_script(self) -> None:
        script = self.script
        assert script is not None
        result = guided.script_result(script, self.window.session,
                                      list(self.revealed_in_script))
        self.results = [r for r in self.results if r.script_id != script.id] + [result]
        self.script = None
        self.window.highlight.point_at(None)
        panel = self.window.panel
        panel.done_title.setText(_("Klaar: %(title)s") % {"title": result.title})
        lines = [f"• {line}" for line in result.done]
        lines += [f"• {item.text}" + (f" ({format_date(item.by)})" if item.by else "")
                  for item in result.todo]
        panel.done_list.setText("\n".join(lines) or _("Niets bijzonders."))
        panel.printed_note.setVisible(False)
        self._page(GuidePanel.DONE, panel.done_print)

    # -- handout and end ---------------------------------------------------------
    def handout(self) -> guided.Handout:
        return guided.build_handout(self.results, training=self.visit.training,
                                    help_texts=self.general_help)

    def print_handout(self) -> None:
        doc = handout_document(self.handout(), self.window.session.today())
        window = self.window
        if printing.has_printer() and window.pdf_folder is None:
            window.print_document(doc)
            self.print_message = _("Het briefje is naar de printer gestuurd.")
        else:
            folder = window.pdf_folder or (self.visit.folder / "briefje")
            folder.mkdir(parents=True, exist_ok=True)
            try:
                path = printing.print_to_pdf(doc, folder / "briefje.pdf")
            except OSError:
                self.print_message = _("Printen is niet gelukt. Probeer het nog eens.")
            else:
                window.last_pdf = path
                self.print_message = _(
                    "Er is geen printer. Het briefje staat als PDF klaar: %(path)s. "
                    "Bij het afsluiten wordt het gewist.") % {"path": path}
        self.printed = True
        panel = window.panel
        panel.printed_note.setText(self.print_message)
        panel.printed_note.setVisible(True)
        if panel.pages.currentIndex() != GuidePanel.DONE:
            self.show_choose()

    def ask_end(self) -> None:
        self.return_page = self.window.panel.pages.currentIndex()
        self.window.highlight.hide()
        self._page(GuidePanel.END, self.window.panel.end_no)

    def cancel_end(self) -> None:
        if self.return_page == GuidePanel.DONE:
            self._page(GuidePanel.DONE, self.window.panel.done_print)
        else:
            self.show_choose()

    def end_session(self) -> None:
        self.window.close()

    # -- helpers ---------------------------------------------------------------
    def _page(self, page: int, focus: QWidget | None) -> None:
        self.window.panel.pages.setCurrentIndex(page)
        if focus is not None:
            focus.setFocus(Qt.FocusReason.OtherFocusReason)

    def refresh_texts(self) -> None:
        if self.script is not None:
            self.show_step()


class GuidedWindow(MainWindow):
    """The main window on a visit's session, with the guide beside it.

    Signals:
        sig_closed(): the window closed and the visit is removed.
    """

    sig_closed = Signal()

    def __init__(self, visit: guided.Visit, *, pdf_folder=None):
        session = visit.session or visit.open_session()
        self.visit = visit
        self.controller = None
        super().__init__(session, pdf_folder=pdf_folder)
        self.setObjectName("guided_window")
        self.controller = GuidedController(self, visit)
        central = self.takeCentralWidget()
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(central, 1)
        self.panel = GuidePanel(self.controller)
        self.panel.setMinimumWidth(380)
        row.addWidget(self.panel, 1)
        self.setCentralWidget(holder)
        self.highlight = Highlight(self)
        self.table_cover = TableCover(self.table_screen)
        self.letter_cover = LetterCover(self.letter_screen)
        for cover in (self.table_cover, self.letter_cover):
            cover.sig_revealed.connect(self.controller.on_revealed)
        self.stack.currentChanged.connect(self._on_screen_changed)
        self.switch_focus = QShortcut(QKeySequence(Qt.Key.Key_F6), self)
        self.switch_focus.activated.connect(self.toggle_focus)
        self.retranslate_ui()
        self.update_training()
        self.resize(1500, 900)
        self.panel.pages.setCurrentIndex(GuidePanel.MODE)
        self.panel.visitor_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        if getattr(self, "panel", None) is not None:
            self.panel.retranslate_ui()
            self.table_cover.retranslate_ui()
            self.letter_cover.retranslate_ui()
            self.update_training()

    def update_training(self) -> None:
        training = self.visit.training
        self.panel.training_label.setVisible(training)
        if training:
            self.practice_label.setText(_("Oefenen: dit is voorbeeldpost voor vrijwilligers. "
                                          "Er gebeurt niets echt."))
        self.practice_label.setVisible(self.session.is_practice or training)

    def use_person(self, person_id: str) -> None:
        """Training: switch to the practice story that fits the script."""
        if self.session.person.id == person_id:
            return
        self.go_home()
        self.session = self.visit.open_session(person_id)
        self.table_cover.cover()
        self.go_home()

    def _on_screen_changed(self, _index: int) -> None:
        current = self.stack.currentWidget()
        if current is not self.letter_screen:
            self.letter_cover.screen_left()
        cover = {self.letter_screen: self.letter_cover,
                 self.table_screen: self.table_cover}.get(current)
        if cover is not None:
            cover.apply()
            if cover.covered:
                cover.reveal_button.setFocus(Qt.FocusReason.OtherFocusReason)
        if self.controller is not None and self.controller.script is not None:
            self.highlight.point_at(self.controller.target_widget())
            self.highlight.bring_into_view()
            self.panel.to_target.setEnabled(self.controller.target_widget() is not None)

    def toggle_focus(self) -> None:
        focus = QApplication.focusWidget()
        if focus is not None and self.panel.isAncestorOf(focus):
            target = self.controller.target_widget() if self.controller.script else None
            if target is not None and target.isVisible() and target.isEnabled():
                target.setFocus(Qt.FocusReason.ShortcutFocusReason)
                return
            screen = self.current_screen()
            first = screen.first_focus()
            if first is not None and first.isVisible() and first.isEnabled():
                first.setFocus(Qt.FocusReason.ShortcutFocusReason)
            else:
                self.home_button.setFocus(Qt.FocusReason.ShortcutFocusReason)
            return
        page = self.panel.pages.currentIndex()
        default = {GuidePanel.MODE: self.panel.visitor_button,
                   GuidePanel.CHOOSE: self.panel.script_buttons[0][1],
                   GuidePanel.STEP: self.panel.next, GuidePanel.PAUSED: self.panel.resume,
                   GuidePanel.DONE: self.panel.done_print,
                   GuidePanel.END: self.panel.end_no}[page]
        default.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _show(self, screen, *, remember: bool = True) -> None:
        super()._show(screen, remember=remember)
        if getattr(self, "letter_cover", None) is None:
            return
        cover = {self.letter_screen: self.letter_cover,
                 self.table_screen: self.table_cover}.get(screen)
        if cover is not None and cover.covered:
            cover.reveal_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        self.highlight.point_at(None)
        super().closeEvent(event)
        if event.isAccepted():
            self.end_visit()
            self.sig_closed.emit()

    def end_visit(self) -> bool:
        """Remove everything of the visit. Safe to call more than once."""
        return self.visit.end()


def run_guided(app, args, *, root=None) -> int:
    """Start a guided session; whatever happens, end it and remove everything."""
    from app import i18n
    from ui.shell import theme

    i18n.set_language(args.language or "nl")
    try:
        from ui.language.screen import apply_qt_language
    except ImportError:  # pragma: no cover - the language feature is not there
        pass
    else:
        apply_qt_language(app)
    visit = guided.Visit.start(root)
    try:
        visit.open_session(args.person)
        window = GuidedWindow(visit)
        window.set_scale(args.scale if args.scale is not None else theme.MIN_SCALE)
        window.show()
        return app.exec()
    finally:
        visit.end()
