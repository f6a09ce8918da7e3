"""Runs a guided visit: which script, which step, what is covered, what goes on the handout."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from PySide6.QtCore import QMetaObject, QObject, Qt
from PySide6.QtWidgets import QAbstractButton, QWidget

from app import guided
from app.i18n import gettext as _
from app.plain import format_date
from ui.guided.handout import handout_document
from ui.guided.panel import GuidePanel, keep_width
from ui.shell import printing

if TYPE_CHECKING:
    from ui.guided.window import GuidedWindow


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
        # the step's target button and our connection to its clicked()
        self._listening: tuple[QAbstractButton, QMetaObject.Connection] | None = None

    # -- mode and scripts -------------------------------------------------------
    def choose_mode(self, *, training: bool) -> None:
        self.visit.training = training
        self.window.update_training()
        self.show_choose()

    def show_choose(self) -> None:
        self.script = None
        self.follow_target()
        panel = self.window.panel
        panel.choose_print.setVisible(bool(self.results))
        self._page(GuidePanel.CHOOSE, panel.script_buttons[0][1])

    def start_script(self, script: guided.Script) -> None:
        if self.visit.training and script.practice_person:
            # The story that fits the script; its letters come in the background.
            self.window.use_person(script.practice_person, then=lambda: self._begin(script))
        else:
            self._begin(script)

    def _begin(self, script: guided.Script) -> None:
        self.script = script
        self.index = 0
        self.revealed_in_script = []
        self.window.go_home()
        self.show_step()

    def show_step(self, *, take_focus: bool = True) -> None:
        script = self.script
        if script is None:
            return
        panel = self.window.panel
        step = script.steps[self.index]
        total = len(script.steps)
        panel.step_title.setText(_(script.title))
        panel.progress.setText(
            _("Stap %(n)d van %(total)d") % {"n": self.index + 1, "total": total}
        )
        panel.parts["say"][1].setText(_(step.say))
        panel.parts["do"][1].setText(_(step.do))
        panel.parts["why"][1].setText(_(step.why))
        panel.reveal_note.setVisible(step.reveal)
        panel.back.setEnabled(self.index > 0)
        # The buttons keep their places from step to step: "Klaar" is as wide as
        # "Volgende stap" (panel.py), and "Naar de knop" is only disabled when the
        # step points at nothing.
        panel.next.setText(_("Klaar") if self.index == total - 1 else _("Volgende stap"))
        keep_width(panel.next, panel.next_texts)
        self.follow_target()
        self._page(GuidePanel.STEP, panel.next if take_focus else None)
        self.window.highlight.bring_into_view()

    def target_widget(self) -> QWidget | None:
        """The control the step points at: the first of its objectNames found."""
        if self.script is None:
            return None
        for name in self.script.steps[self.index].targets:
            found = self.window.findChild(QWidget, name)
            if found is not None and found is not self.window.panel:
                return found
        return None

    def follow_target(self) -> QWidget | None:
        """Highlight the step's control and listen for its press; called whenever
        the step or the screen changes (a screen may bring the control)."""
        target = self.target_widget()
        self.window.highlight.point_at(target)
        self.window.panel.to_target.setEnabled(target is not None)
        self._listen(target if isinstance(target, QAbstractButton) else None)
        return target

    def _listen(self, button: QAbstractButton | None) -> None:
        if self._listening is not None and self._listening[0] is button:
            return
        listening, self._listening = self._listening, None
        if listening is not None:
            with contextlib.suppress(RuntimeError, TypeError):  # the button is gone
                QObject.disconnect(listening[1])
        if button is not None:
            # Connected after the button's own work: that runs first (a screen opens).
            self._listening = (button, button.clicked.connect(self._target_pressed))

    def _target_pressed(self, *_args) -> None:
        """The step's button was pressed: the guide moves on by itself, and the
        focus stays where the screen put it (a new screen's first control, "Laat
        zien"); the guide does not take it, not even for a moment (the window keeps
        the focused control in view, and that would scroll the next step's control
        away). The last step waits for "Klaar": the volunteer ends the script and
        checks what goes on the handout."""
        script = self.script
        if script is None or self.window.panel.pages.currentIndex() != GuidePanel.STEP:
            return  # paused, or not in a script: nothing moves by itself
        if self.index + 1 >= len(script.steps):
            return
        self.index += 1
        self.show_step(take_focus=False)

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
        if letter is not None and self.script is not None and letter not in self.revealed_in_script:
            self.revealed_in_script.append(letter)
        if self.script is not None:  # the next thing to click may be there now
            self.follow_target()

    def finish_script(self) -> None:
        """What the script did, read from the mailbox in the background, then shown."""
        script = self.script
        assert script is not None
        session, revealed = self.window.session, list(self.revealed_in_script)
        self.window.tasks.run(
            lambda: guided.script_result(script, session, revealed),
            self._show_result,
            owner=self.window.panel,
            label="script_result",
        )

    def _show_result(self, result: guided.ScriptResult) -> None:
        script = self.script
        assert script is not None
        self.results = [r for r in self.results if r.script_id != script.id] + [result]
        self.script = None
        self.follow_target()
        panel = self.window.panel
        panel.done_title.setText(_("Klaar: %(title)s") % {"title": result.title})
        lines = [guided.bullet(line) for line in result.done]
        lines += [
            guided.bullet(item.text + (f" ({format_date(item.by)})" if item.by else ""))
            for item in result.todo
        ]
        panel.done_list.setText("\n".join(lines) or _("Niets bijzonders."))
        panel.printed_note.setVisible(False)
        self._page(GuidePanel.DONE, panel.done_print)

    # -- handout and end ---------------------------------------------------------
    def handout(self) -> guided.Handout:
        return guided.build_handout(
            self.results, training=self.visit.training, help_texts=self.general_help
        )

    def print_handout(self) -> None:
        """The handout on the printer, or as a PDF in the visit's folder (removed
        at the end); the note says what really happened."""
        doc = handout_document(self.handout(), self.window.session.today())
        window = self.window
        done = printing.print_document(
            doc,
            window,
            window.pdf_destination(),
            use_printer=window.pdf_folder is None,
            print_to_file=False,
        )
        if done.kind == "printer":
            self.print_message = _("Het briefje is naar de printer gestuurd.")
        elif done.kind == "cancelled":
            self.print_message = _("Het briefje is niet geprint.")
        elif done.kind == "pdf":
            window.last_pdf = done.path
            self.print_message = _(
                "Er is geen printer. Het briefje staat als PDF klaar: %(path)s. "
                "Bij het afsluiten wordt het gewist."
            ) % {"path": done.path}
        else:
            self.print_message = _("Printen is niet gelukt. Probeer het nog eens.")
        self.printed = done.kind in ("printer", "pdf")
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

    def next_visitor(self) -> None:
        """Wipe this visit as closing does; a fresh visit waits at the first page."""
        self._listen(None)
        self.window.next_visitor()

    # -- helpers ---------------------------------------------------------------
    def _page(self, page: int, focus: QWidget | None) -> None:
        panel = self.window.panel
        panel.show_page(page)
        if focus is not None:
            # Lay the page out first: the window scrolls the focused button into
            # view, and it must know where the button is.
            shown = panel.pages.currentWidget()
            for layout in (panel.layout(), shown.layout() if shown is not None else None):
                if layout is not None:
                    layout.activate()
            focus.setFocus(Qt.FocusReason.OtherFocusReason)

    def refresh_texts(self) -> None:
        if self.script is not None:
            self.show_step()
