"""'Wie heeft mijn post bekeken?': the represented person reads, in plain words,
who opened, put away or asked paper for which of their letters, and when.

The log is the mailbox's (append-only: a helper can never change it); it is
asked in the background (``window.tasks``) each time the screen is shown, and
worded by the core (``session.access_log_lines``, ``app/mandates.py``). It can
be printed in large type (``PrintDocument``): the person's name is on it.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from app.i18n import gettext as _
from app.mailbox import MailboxError
from app.problems import problem_text
from ui.shell.printing import PrintDocument
from ui.shell.widgets import Screen, button, label


def log_lines(session) -> list[str]:
    """The person's log in plain words, newest first (a mailbox call: background only)."""
    return list(session.access_log_lines())


class AccessLogScreen(Screen):
    """One page that scrolls: the title, one line per access; "Printen" and
    "Terug" in the fixed bar."""

    def __init__(self, window, parent=None):
        super().__init__(window, parent)
        self.heading = label(role="title", name="access_log_title")
        self.intro = label(role="summary", name="access_log_intro")
        self.empty = label(name="access_log_empty")
        self.empty.hide()
        self.layout_.addWidget(self.heading)
        self.layout_.addWidget(self.intro)
        self.layout_.addWidget(self.empty)
        self.line_labels: list[QLabel] = []
        self._lines_at = self.layout_.count()
        self.layout_.addStretch(1)
        self.print_button = button("", name="access_log_print")
        self.back_button = button("", name="access_log_back", secondary=True)
        self.add_action(self.print_button)
        self.add_action(self.back_button, at_end=True)
        self.print_button.clicked.connect(self.print_log)
        self.back_button.clicked.connect(lambda: self.window_.go_back())
        #: what the mailbox said at the last look (None: not asked yet, or it failed)
        self.lines: list[str] | None = None
        self.problem: str = ""
        self.retranslate_ui()

    def title(self) -> str:
        return _("Wie heeft mijn post bekeken?")

    def help_text(self) -> str:
        return _(
            "Hier ziet u wie uw post heeft bekeken. U ziet ook wat diegene deed. "
            "Niemand kan dit veranderen. Kies 'Printen' om het op papier te hebben."
        )

    def retranslate_ui(self) -> None:
        self.heading.setText(self.title())
        self.intro.setText(
            _("Hier staat wie uw brieven opende of opborg, en wanneer. Het nieuwste staat boven.")
        )
        self.print_button.setText(_("Printen"))
        self.print_button.setAccessibleName(_("Wie heeft mijn post bekeken? Printen"))
        self.back_button.setText(_("Terug"))
        # The lines are the core's words in the language of the moment: ask again.
        if self.lines is not None and self.isVisible():
            self.refresh()
        self._show_lines()

    def refresh(self) -> None:
        session = self.session
        self.run(
            lambda: log_lines(session),
            self._got_lines,
            on_error=self._failed,
            label="access_log",
        )

    def _got_lines(self, lines: list[str]) -> None:
        self.lines = lines
        self.problem = ""
        self._show_lines()
        self.print_button.setEnabled(True)

    def _failed(self, error: MailboxError) -> None:
        self.lines = None
        self.problem = problem_text(error)
        self._show_lines()
        self.print_button.setEnabled(False)
        self.window_.tell(self.problem)

    def _show_lines(self) -> None:
        lines = self.lines or []
        while len(self.line_labels) < len(lines):
            line = label(name="access_log_line")
            self.layout_.insertWidget(self._lines_at + len(self.line_labels), line)
            self.line_labels.append(line)
        for i, line in enumerate(self.line_labels):
            if i < len(lines):
                line.setText(lines[i])
                line.show()
            else:
                line.hide()
        if self.lines is None:
            self.empty.setText(self.problem)
        else:
            self.empty.setText(_("Niemand anders heeft uw post bekeken."))
        self.empty.setVisible(not lines and bool(self.empty.text()))

    def first_focus(self):
        return self.print_button if self.print_button.isEnabled() else self.back_button

    def print_document(self) -> PrintDocument:
        doc = PrintDocument(self.title())
        doc.heading(self.title())
        person = self.session.person
        doc.paragraph(_("Post van %(name)s") % {"name": person.name}, bold=True)
        lines = self.lines or []
        if lines:
            doc.lines(lines)
        else:
            doc.paragraph(_("Niemand anders heeft uw post bekeken."))
        return doc

    def print_log(self) -> None:
        if self.lines is None:
            return
        self.window_.print_document(self.print_document())
