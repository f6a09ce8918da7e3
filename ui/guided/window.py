"""Guided mode: a volunteer helps a visitor step by step, and nothing stays behind.

The window is the normal main window on a throwaway session (``app.guided.Visit``)
with the guide (``ui/guided/panel.py``) beside it; ``ui/guided/controller.py``
runs the visit, ``ui/guided/handout.py`` prints the visitor's handout and
``ui/guided/start.py`` starts it all from the command line (``--guided``).

The visitor decides what the volunteer sees: letters and the table stay
covered until the visitor presses "Laat zien" (``ui/guided/cover.py``).
"Sessie afsluiten", closing the window, or the next start after a crash
removes everything of the visit. "Volgende bezoeker" removes it the same way
and opens a fresh visit in a fresh window, in the same process.

F6 moves the keyboard between the guide and the screen.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QHBoxLayout, QMessageBox, QVBoxLayout, QWidget

from app import guided
from app.i18n import gettext as _
from ui.guided.controller import GuidedController
from ui.guided.cover import Highlight, LetterCover, TableCover, _Cover
from ui.guided.panel import GuidePanel
from ui.shell.main_window import MainWindow
from ui.shell.printing import PrintDocument, Printed
from ui.shell.widgets import reading_order, set_tab_order

#: the size the guided window opens at where there is room: the screen, and the guide
GUIDED_SIZE = QSize(1500, 900)
#: the guide is never narrower than this (its buttons may make it wider at 200 %)
PANEL_MIN_WIDTH = 380
#: from this text size on the screen gets two thirds of the width, the guide one
LARGE_TEXT = 175


def next_visit_failed(window: QWidget) -> QMessageBox:
    """The plain message when "Volgende bezoeker" cannot start a new visit: a small
    window of its own, as the guided window closes (nothing of the visitor stays
    on screen). No path and no reason in it: nothing of anyone to read."""
    box = QMessageBox(QMessageBox.Icon.Warning, _("Volgende bezoeker"), "", parent=None)
    box.setObjectName("guided_next_failed")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setText(_("Er kan nu geen nieuwe bezoeker beginnen."))
    box.setInformativeText(
        _(
            "Alles van de vorige bezoeker is gewist. "
            "Start Brieventafel opnieuw. Lukt dat niet? Start dan de computer opnieuw."
        )
    )
    ok = box.addButton(_("Begrepen"), QMessageBox.ButtonRole.AcceptRole)
    ok.setObjectName("guided_next_failed_ok")
    box.setDefaultButton(ok)
    box.setLayoutDirection(window.layoutDirection())
    box.setWindowModality(Qt.WindowModality.NonModal)
    _messages.append(box)  # Python keeps it until it is closed
    box.destroyed.connect(lambda *_: _messages.remove(box) if box in _messages else None)
    box.show()
    ok.setFocus(Qt.FocusReason.OtherFocusReason)
    return box


_messages: list[QMessageBox] = []


class GuidedWindow(MainWindow):
    """The main window on a visit's session, with the guide beside it.

    Signals:
        sig_closed(): the window closed and the visit is removed.
        sig_next_visitor(GuidedWindow): "Volgende bezoeker": this visit is removed
            and this fresh window, on a fresh visit, replaces this one.
    """

    sig_closed = Signal()
    sig_next_visitor = Signal(object)

    def __init__(self, visit: guided.Visit, *, pdf_folder=None):
        session = visit.session or visit.open_session(sync=False)
        self.visit = visit
        self.first_person = session.person.id  # a training story may replace it
        self.controller: GuidedController | None = None
        super().__init__(session, pdf_folder=pdf_folder)
        self.setObjectName("guided_window")
        self.controller = GuidedController(self, visit)
        central = self.takeCentralWidget()
        assert central is not None  # MainWindow made it
        # The top bar and the practice banner run across the whole window, above
        # the screen and the guide: one row at 200 % too (beside the guide, half
        # as wide, the bar would not fit). Below them the screen and, narrower,
        # the guide; in Arabic the guide is on the left.
        holder = QWidget()
        holder.setObjectName("guided_frame")
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(8)
        header = QVBoxLayout()
        header.setContentsMargins(12, 12, 12, 0)
        header.setSpacing(8)
        for widget in (self.top_bar_row, self.practice_label):
            header.addWidget(widget)  # taken out of the screen's column
        column.addLayout(header)
        frame = central.layout()
        if frame is not None:
            margins = frame.contentsMargins()
            frame.setContentsMargins(margins.left(), 0, margins.right(), margins.bottom())
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(central, 3)
        self.panel = GuidePanel(self.controller)
        self.panel.setMinimumWidth(PANEL_MIN_WIDTH)
        row.addWidget(self.panel, 2)
        column.addLayout(row, 1)
        self.panes = row
        self._share_the_width()
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
        self.fit_to_screen()
        self.panel.show_page(GuidePanel.MODE)
        self.panel.visitor_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def fit_to_screen(self) -> None:
        """Wider than the main window (the guide stands beside the screen), but
        never larger than the room on its screen; maximised where that is small
        (a 1366 x 768 laptop)."""
        screen = self.screen() or QApplication.primaryScreen()
        if screen is None or getattr(self, "panel", None) is None:
            super().fit_to_screen()  # MainWindow.__init__: the guide is not there yet
            return
        room = screen.availableGeometry().size()
        self.resize(GUIDED_SIZE.boundedTo(room))
        if room.width() < GUIDED_SIZE.width() or room.height() < GUIDED_SIZE.height():
            self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)

    # -- printing: nothing of a visit outside its folder --------------------------
    def pdf_destination(self) -> Path:
        """Where this visit's PDFs go: always inside the visit's folder (removed at
        the end), whatever ``pdf_folder`` the window was given."""
        chosen, own = self.pdf_folder, self.visit.folder
        if chosen is not None:
            resolved, own_resolved = Path(chosen).resolve(), own.resolve()
            if resolved != own_resolved and own_resolved in resolved.parents:
                return Path(chosen)
        return own / "pdf"

    def print_document(
        self,
        doc: PrintDocument,
        *,
        pdf_folder: Path | None = None,
        use_printer: bool | None = None,
        print_to_file: bool = False,
    ) -> Printed:
        """A printer if there is one (without "print to file"), else a PDF in the
        visit's folder; never the Documents folder."""
        return super().print_document(
            doc,
            pdf_folder=self.pdf_destination(),
            use_printer=self.pdf_folder is None if use_printer is None else use_printer,
            print_to_file=False,
        )

    def set_scale(self, scale: int) -> None:
        super().set_scale(scale)
        if hasattr(self, "panes"):  # MainWindow.__init__ sets the scale before the panes exist
            self._share_the_width()

    def _share_the_width(self) -> None:
        """The screen 3 : the guide 2; at large text the screen 5 : 3, so that the
        screen's own row of buttons (four on the table) still fits the window."""
        large = self.scale >= LARGE_TEXT
        self.panes.setStretch(0, 5 if large else 3)
        self.panes.setStretch(1, 3 if large else 2)

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
        if training:  # one line at 200 % too; the guide and the longer text say more
            self.practice_label.setText(_("Oefenen: er gebeurt niets echt."))
            self.practice_label.setAccessibleDescription(
                _("Oefenen: dit is voorbeeldpost voor vrijwilligers. Er gebeurt niets echt.")
            )
        self.practice_label.setVisible(self.session.is_practice or training)

    def use_person(self, person_id: str, then=None) -> None:
        """Training: switch to the practice story that fits the script, then call
        ``then``. Opening the story (its mailbox and letters) runs in the background."""
        if self.session.person.id == person_id:
            if then is not None:
                then()
            return
        self.go_home()

        def opened(session) -> None:
            self.session = session
            self.table_cover.cover()
            self.go_home()
            if then is not None:
                then()

        visit = self.visit
        self.tasks.run(
            lambda: visit.open_session(person_id), opened, owner=self, label="open_session"
        )

    def _on_screen_changed(self, _index: int) -> None:
        current = self.stack.currentWidget()
        if current is not self.letter_screen:
            self.letter_cover.screen_left()
        covers: dict[QWidget, _Cover] = {
            self.letter_screen: self.letter_cover,
            self.table_screen: self.table_cover,
        }
        cover = covers.get(current) if current is not None else None
        if cover is not None:
            cover.apply()
            if cover.covered:
                cover.reveal_button.setFocus(Qt.FocusReason.OtherFocusReason)
        if self.controller is not None and self.controller.script is not None:
            self.controller.follow_target()
            self.highlight.bring_into_view()

    def toggle_focus(self) -> None:
        focus = QApplication.focusWidget()
        controller = self.controller
        if focus is not None and controller is not None and self.panel.isAncestorOf(focus):
            target = controller.target_widget() if controller.script else None
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
        default = {
            GuidePanel.MODE: self.panel.visitor_button,
            GuidePanel.CHOOSE: self.panel.script_buttons[0][1],
            GuidePanel.STEP: self.panel.next,
            GuidePanel.PAUSED: self.panel.resume,
            GuidePanel.DONE: self.panel.done_print,
            GuidePanel.END: self.panel.end_no,
        }[page]
        default.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def reorder_tabs(self) -> None:
        top_bar_row = getattr(self, "top_bar_row", None)
        if top_bar_row is None:  # (still being built: MainWindow's own order)
            super().reorder_tabs()
            return
        # The top bar stands above the screen here, outside MainWindow's column.
        set_tab_order([*reading_order(top_bar_row), *reading_order(self.central)])

    def _show(self, screen, *, remember: bool = True) -> None:
        super()._show(screen, remember=remember)
        if getattr(self, "letter_cover", None) is None:
            return
        cover = {self.letter_screen: self.letter_cover, self.table_screen: self.table_cover}.get(
            screen
        )
        if cover is not None and cover.covered:
            cover.reveal_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        self.highlight.point_at(None)
        super().closeEvent(event)
        if event.isAccepted():
            self.end_visit()
            self.sig_closed.emit()

    def next_visitor(self) -> GuidedWindow | None:
        """Remove everything of this visit, as closing does, then open a fresh
        visit in a fresh window at the guide's first page; this window closes and
        is deleted, so no widget of it keeps the visitor's letters. Returns the
        new window (None when no new visit can start: then this one just closes)."""
        old = self.visit
        self.highlight.point_at(None)
        self.tasks.shutdown()  # the work on the old session ends before it closes
        self.end_visit()
        own = self.pdf_folder
        try:
            visit = guided.Visit.start(old.root, today=old.today)
        except Exception:  # noqa: BLE001 - whatever it is, the volunteer must be told
            visit = None
        if visit is not None:
            try:
                visit.open_session(self.first_person, sync=False)  # the window fetches
            except Exception:  # noqa: BLE001 - e.g. the folder is full
                visit.end()
                visit = None
        if visit is None:
            # The old visit is gone already; this window, with what it showed of the
            # visitor, closes too. What happened, in plain words, stays on screen.
            next_visit_failed(self)
            self.close()
            self.deleteLater()
            return None
        if own is not None and old.folder in Path(own).parents:
            own = visit.folder / Path(own).relative_to(old.folder)
        window = GuidedWindow(visit, pdf_folder=own)
        # The volunteer's text size and contrast stay (restyling costs a second).
        if window.high_contrast != self.high_contrast:
            window.contrast_button.setChecked(self.high_contrast)
        if window.scale != self.scale:
            window.set_scale(self.scale)
        window.setGeometry(self.geometry())
        if self.isMaximized():
            window.showMaximized()
        else:
            window.show()
        self.sig_next_visitor.emit(window)
        self.close()
        self.deleteLater()
        window.activateWindow()  # the keyboard goes on in the new window
        window.panel.visitor_button.setFocus(Qt.FocusReason.OtherFocusReason)
        return window

    def end_visit(self) -> bool:
        """Remove everything of the visit. Safe to call more than once."""
        return self.visit.end()
