"""One letter on one calm screen: what to do, the letter itself, and big buttons."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.i18n import gettext as _
from app.i18n import is_right_to_left
from app.model import Letter, Organisation
from app.plain import action_label, deadline_phrase, format_amount, format_date
from ui.shell.printing import PrintDocument
from ui.shell.widgets import Screen, box, button, label
from ui.table.model import shown

TODO_CHARS = 2000  # "Wat moet ik doen?" is a few sentences; more is cut with "…"
TODO_LINES = 30
NOTE_CHARS = 200  # "Gebeld met CJIB, betaling regeling loopt": a short note


def bounded(text: str, limit: int = TODO_CHARS, lines: int = TODO_LINES) -> str:
    """Text that keeps its lines, at most ``limit`` characters and ``lines`` lines."""
    cut = text[:limit]
    kept = cut.split("\n")[:lines]
    short = "\n".join(kept)
    return short if short == text else short.rstrip() + "…"


def paper_text(letter: Letter, sender_lines: list[str], recipient_lines: list[str]) -> str:
    """The letter as it would look on paper, as plain text: every word of it. A
    subject is one line on paper (100,000 line breaks in one would take seconds)."""
    parts = [
        "\n".join(sender_lines),
        "",
        "\n".join(recipient_lines),
        "",
        format_date(letter.received),
    ]
    if letter.reference:
        parts.append(_("Kenmerk: %(ref)s") % {"ref": letter.reference})
    parts += ["", " ".join(letter.subject.split()), "", letter.body]
    return "\n".join(parts)


PAPER_LINE_CHARS = 2000  # a longer line is shown as several (every word stays)


def screen_lines(text: str) -> str:
    """``text`` with every line longer than PAPER_LINE_CHARS broken at a space.

    The letter field lays out only the lines in view, but a line is laid out
    whole: one 1 MB line took a second or more; 500 lines of 2,000 take nothing.
    A real letter's paragraphs are far shorter and stay as they are."""
    out: list[str] = []
    for line in text.split("\n"):
        while len(line) > PAPER_LINE_CHARS:
            cut = line.rfind(" ", PAPER_LINE_CHARS // 2, PAPER_LINE_CHARS)
            cut = cut if cut > 0 else PAPER_LINE_CHARS
            out.append(line[:cut])
            line = line[cut:].lstrip(" ")
        out.append(line)
    return "\n".join(out)


#: Facts written in Latin letters and digits whatever the language: reference and phone
#: numbers. In a right-to-left interface "020 656 56 56" would otherwise come out as
#: "56 56 656 020".
LATIN_FACTS = ("reference", "phone")
LEFT_TO_RIGHT_ISOLATE = "\u2066"
POP_DIRECTIONAL_ISOLATE = "\u2069"


def left_to_right(text: str) -> str:
    """``text`` kept left to right inside a right-to-left interface (unchanged otherwise)."""
    if not text or not is_right_to_left():
        return text
    return f"{LEFT_TO_RIGHT_ISOLATE}{text}{POP_DIRECTIONAL_ISOLATE}"


def plain(text: str) -> str:
    """``text`` without the marks of :func:`left_to_right` (for reading aloud)."""
    return text.replace(LEFT_TO_RIGHT_ISOLATE, "").replace(POP_DIRECTIONAL_ISOLATE, "")


#: The letter shows at most this much of its text (some 20 pages); a longer one
#: shows its start and says that "Printen" gives all of it. Laying out a 1 MB
#: letter in a page that grows with it would take seconds at every resize.
SHOWN_LETTER_CHARS = 60_000


def shown_part(text: str, limit: int = SHOWN_LETTER_CHARS) -> tuple[str, bool]:
    """The start of ``text`` that the screen shows (cut at a line or a space near
    ``limit``), and whether that is not all of it."""
    if len(text) <= limit:
        return text, False
    cut = max(text.rfind("\n", limit // 2, limit), text.rfind(" ", limit // 2, limit))
    return text[: cut if cut > 0 else limit].rstrip(), True


def objection_fact(letter, today) -> tuple[str, str]:
    """("Bezwaar:" or "Beroep:", until when and how) for a decision whose term
    still runs, else ("", ""). Not when "what to do" says it already (the rules
    add it to the letters they explain; a letter with its own explanation, a
    practice letter, gets it here)."""
    from app.explain import objection, objection_text

    found = objection(letter)
    if found is None or not found.certain or found.until < today:
        return "", ""
    sentence = objection_text(found)
    if sentence in letter.what_to_do:
        return "", ""
    return (_("Beroep:") if found.kind == "beroep" else _("Bezwaar:")), sentence


class GrowingText(QPlainTextEdit):
    """Read-only text as tall as its content: it never scrolls on its own, the
    page around it does (one scroll area on the screen). Its height follows the
    text and the width it gets."""

    def __init__(self, parent: QWidget | None = None):
        self._height = 0
        super().__init__(parent)
        self.setReadOnly(True)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.document().contentsChanged.connect(self.fit_height)

    def content_height(self) -> int:
        doc = self.document()
        layout = doc.documentLayout()
        high = 0.0
        block = doc.begin()
        while block.isValid():
            high += layout.blockBoundingRect(block).height()
            block = block.next()
        return int(high + 2 * doc.documentMargin()) + 2 * self.frameWidth() + 1

    def fit_height(self) -> None:
        height = self.content_height()
        if height != self._height:
            self._height = height
            self.setFixedHeight(height)
            self.updateGeometry()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self.fit_height()  # lines wrap anew at the new width

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt API: text size
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.fit_height()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(super().sizeHint().width(), max(self._height, 1))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return self.sizeHint()


class LetterScreen(Screen):
    #: Guided mode sets this (ui/guided/cover.py): while True no text of the letter is shown.
    covered = False

    def __init__(self, window, parent=None):
        super().__init__(window, parent)
        self.letter: Letter | None = None
        self.organisation: Organisation | None = None
        # One scroll area, the page: the letter grows in it. ``content`` holds all
        # of the letter (the guided mode covers it until the visitor says so).
        self.content = QWidget()
        self.content.setObjectName("letter_content")
        inner = QVBoxLayout(self.content)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.setSpacing(10)
        self.sender_label = label(role="title", name="letter_sender")
        self.subject = label(role="summary", name="letter_subject")
        self.summary = label(name="letter_summary")
        inner.addWidget(self.sender_label)

        self.todo_box = box()
        todo = QVBoxLayout(self.todo_box)
        todo.setSpacing(6)
        self.todo_heading = label(role="title", name="todo_heading")
        self.todo_text = label(name="todo_text")
        todo.addWidget(self.todo_heading)
        todo.addWidget(self.todo_text)
        self.facts = QGridLayout()
        self.facts.setVerticalSpacing(2)
        # The values' column takes the room; each value sits at its leading edge, right
        # next to its name, in both directions (see _place_facts).
        self.facts.setColumnStretch(1, 1)
        todo.addLayout(self.facts)
        # The title, then what to do: at 200 % they are seen together with the bar.
        inner.addWidget(self.todo_box)
        # Someone else's post (issue 13): who handles this letter, with a short
        # note, when several helpers share the work. "Ik pak deze brief op" is
        # in the bar; the note is typed here first (optional).
        self.handler_box = box()
        self.handler_box.setObjectName("letter_handler_box")
        handling = QVBoxLayout(self.handler_box)
        handling.setSpacing(6)
        self.handler_label = label(name="letter_handler")
        handling.addWidget(self.handler_label)
        note_row = QHBoxLayout()
        note_row.setSpacing(8)
        self.note_label = label(name="letter_note_label")
        self.note_label.setWordWrap(False)
        self.note_field = QLineEdit()
        self.note_field.setObjectName("letter_note")
        self.note_field.setMaxLength(NOTE_CHARS)
        self.note_label.setBuddy(self.note_field)
        note_row.addWidget(self.note_label)
        note_row.addWidget(self.note_field, 1)
        handling.addLayout(note_row)
        self.handler_box.hide()
        inner.addWidget(self.handler_box)
        inner.addWidget(self.subject)
        inner.addWidget(self.summary)
        self.fact_labels: dict[str, tuple] = {}
        for row, key in enumerate(
            ("action", "deadline", "objection", "amount", "reference", "phone")
        ):
            name = label(name=f"fact_{key}_name")
            value = label(name=f"fact_{key}")
            name.setProperty("role", "factname")
            self.facts.addWidget(name, row, 0, Qt.AlignmentFlag.AlignTop)
            self.facts.addWidget(value, row, 1)
            self.fact_labels[key] = (name, value)

        self.paper_heading = label(role="summary", name="paper_heading")
        inner.addWidget(self.paper_heading)
        # A paper letter (issue 15): its kept original, shown as it is
        # (ui/importing/original.py). Here, by the letter itself: the bar is full at 200 %.
        self.original_button = button("", name="letter_original", secondary=True)
        self.original_button.hide()
        original_row = QHBoxLayout()
        original_row.setContentsMargins(0, 0, 0, 0)
        original_row.addWidget(self.original_button)
        original_row.addStretch(1)
        inner.addLayout(original_row)
        self.paper = GrowingText()
        self.paper.setObjectName("letter_paper")
        self.paper.setProperty("role", "paper")
        self.paper.setTabChangesFocus(True)
        self.paper_heading.setBuddy(self.paper)  # the heading names the letter field
        inner.addWidget(self.paper)
        # Only for a letter too long to show whole: where the rest is.
        self.paper_note = label(role="notice", name="letter_paper_note")
        self.paper_note.hide()
        inner.addWidget(self.paper_note)
        # A helper with read rights only (issue 13): said above the letter, and
        # "Klaar, opbergen" is not offered (Session.may_act).
        self.read_only_note = label(role="notice", name="letter_read_only")
        self.read_only_note.hide()
        self.layout_.addWidget(self.read_only_note)
        self.layout_.addWidget(self.content)
        self.layout_.addStretch(1)

        # The actions, in the fixed bar: always in sight.
        self.print_button = button("", name="print_letter", secondary=True)
        self.put_away_button = button("", name="put_away")
        self.lay_back_button = button("", name="lay_back")
        self.take_button = button("", name="take_letter", secondary=True)
        self.take_button.hide()
        self.back_button = button("", name="letter_back", secondary=True)
        for b in (self.put_away_button, self.lay_back_button, self.take_button, self.print_button):
            self.add_action(b)
        self.add_action(self.back_button, at_end=True)

        self.print_button.clicked.connect(self._on_print)
        self.put_away_button.clicked.connect(self._on_put_away)
        self.lay_back_button.clicked.connect(self._on_lay_back)
        self.take_button.clicked.connect(self._on_take)
        self.note_field.returnPressed.connect(self._on_take)
        self.back_button.clicked.connect(lambda: self.window_.go_back())
        self.original_button.clicked.connect(self._on_original)
        self.retranslate_ui()

    def title(self) -> str:
        return _("Brief")

    def help_text(self) -> str:
        return _(
            "Hier leest u één brief. In het vak 'Wat moet ik doen?' staat wat u moet doen. "
            "Daar staat ook wanneer het af moet. Daaronder staat de brief zelf. "
            "Bent u klaar met de brief? Kies dan 'Klaar, opbergen'. "
            "Dat kunt u altijd weer ongedaan maken."
        )

    def retranslate_ui(self) -> None:
        self.todo_heading.setText(_("Wat moet ik doen?"))
        self.paper_heading.setText(_("De brief zelf"))
        self.paper.setAccessibleName(_("De brief zelf"))
        self.original_button.setText(_("Origineel bekijken"))
        self.original_button.setAccessibleDescription(
            _("Bekijk de PDF of de foto van de brief, zoals hij was.")
        )
        self.print_button.setText(_("Printen"))
        self.put_away_button.setText(_("Klaar, opbergen"))
        self.lay_back_button.setText(_("Terug op tafel leggen"))
        self.back_button.setText(_("Terug"))
        self.paper_note.setText(
            _("Dit is het begin van de brief. Kies 'Printen' voor de hele brief.")
        )
        self.read_only_note.setText(_("U mag deze brieven alleen lezen."))
        self.note_label.setText(_("Korte notitie:"))
        self.take_button.setText(_("Ik pak deze brief op"))  # "Notitie opslaan": _show_handler
        self.note_field.setAccessibleName(_("Korte notitie"))
        self.note_field.setPlaceholderText(_("Bijvoorbeeld: gebeld, betaling loopt"))
        names = {
            "action": _("Wat:"),
            "deadline": _("Wanneer:"),
            "objection": _("Bezwaar:"),
            "amount": _("Bedrag:"),
            "reference": _("Kenmerk:"),
            "phone": _("Bellen:"),
        }
        for key, (name, _value) in self.fact_labels.items():
            name.setText(names[key])
        self._place_facts()
        if self.letter is not None:
            self._fill(self.letter)

    def _place_facts(self) -> None:
        """Each value right next to its name, in the interface's direction.

        A value in Latin letters ("Klantnummer 331844207") would otherwise follow its
        own direction in Arabic and stand at the far left, away from "Kenmerk:".
        """
        leading = Qt.AlignmentFlag.AlignRight if is_right_to_left() else Qt.AlignmentFlag.AlignLeft
        for _name, value in self.fact_labels.values():
            value.setAlignment(leading | Qt.AlignmentFlag.AlignAbsolute | Qt.AlignmentFlag.AlignTop)

    def show_letter(self, letter: Letter, organisation: Organisation | None = None) -> None:
        """Show a letter; ``organisation`` (fetched with it in the background)
        gives the sender's full name and address for the letter as on paper."""
        self.letter = letter
        self.organisation = organisation
        self._fill(letter)

    def _fill(self, letter: Letter) -> None:
        if self.covered:  # the visitor has not chosen "Laat zien" (guided mode)
            for widget in (
                self.sender_label,
                self.subject,
                self.summary,
                self.todo_text,
                self.paper,
                *(value for _name, value in self.fact_labels.values()),
            ):
                widget.clear()
            self.paper_note.hide()
            self.original_button.hide()
            return
        today = self.session.today()
        # Titles bounded (a 1 MB subject would take seconds to lay out); the whole
        # text is in the letter as on paper, below.
        self.sender_label.setText(_("Brief van %(sender)s") % {"sender": shown(letter.sender)})
        self.subject.setText(shown(letter.subject))
        self.summary.setText(shown(letter.summary))
        self.todo_text.setText(bounded(letter.what_to_do))
        values = {
            "action": action_label(letter.action),
            "deadline": (
                _("uiterlijk %(date)s (%(left)s)")
                % {
                    "date": format_date(letter.deadline),
                    "left": deadline_phrase(letter.deadline, today),
                }
            )
            if letter.deadline
            else "",
            "amount": format_amount(letter.amount_cents) if letter.amount_cents else "",
            "reference": shown(letter.reference, 100),
            "phone": shown(letter.phone, 100),
        }
        objection_name, values["objection"] = objection_fact(letter, today)
        if objection_name:
            self.fact_labels["objection"][0].setText(objection_name)
        for key, (name, value) in self.fact_labels.items():
            value.setText(left_to_right(values[key]) if key in LATIN_FACTS else values[key])
            value.setAccessibleName(f"{name.text()} {values[key]}")
            name.setVisible(bool(values[key]))
            value.setVisible(bool(values[key]))
        whole = paper_text(letter, self._sender_lines(letter), self._recipient_lines())
        part, cut = shown_part(whole)
        self.paper.setPlainText(screen_lines(part))
        self.paper_note.setVisible(cut)
        self.original_button.setVisible(self._has_original(letter))
        on_table = self.session.is_on_table(letter.id)
        may_act = self.session.may_act()
        self.put_away_button.setVisible(on_table and may_act)
        self.lay_back_button.setVisible(not on_table and may_act)
        self.read_only_note.setVisible(not may_act)
        self._show_handler(letter, keep_note=False)

    def _has_original(self, letter: Letter) -> bool:
        """A paper letter, in a window that can show its original."""
        from app.model import PAPER
        from ui.importing.feature import ORIGINAL

        has_screen = getattr(self.window_, "has_screen", None)
        return letter.source == PAPER and has_screen is not None and has_screen(ORIGINAL)

    def _on_original(self) -> None:
        if self.letter is not None and self._has_original(self.letter):
            from ui.importing.feature import ORIGINAL

            self.window_.show_screen(ORIGINAL)  # it shows this screen's letter

    # -- who handles this letter (someone else's post) ---------------------------
    def _handles(self) -> bool:
        """Whether "Ik pak deze brief op" is offered: a letter of someone else's
        post that the holder may act on (not their own post, not read only)."""
        session = self.session
        return session.acts_for_someone_else and session.may_act() and not self.covered

    def _show_handler(self, letter: Letter, *, keep_note: bool) -> None:
        shown_here = self._handles()
        self.handler_box.setVisible(shown_here)
        self.take_button.setVisible(shown_here)
        if not shown_here:
            return
        handler = self.session.handler(letter.id)
        mine = handler is not None and handler.name == self.session.holder.name
        if handler is None:
            text = _("Nog niemand pakt deze brief op.")
        elif mine:
            text = _("U pakt deze brief op.")
        else:
            text = _("%(name)s pakt deze brief op.") % {"name": shown(handler.name, 80)}
        if handler is not None and handler.note:
            text += " " + _("Notitie: %(note)s") % {"note": shown(handler.note, NOTE_CHARS)}
        self.handler_label.setText(text)
        self.take_button.setText(_("Notitie opslaan") if mine else _("Ik pak deze brief op"))
        if not keep_note:
            self.note_field.setText(handler.note if handler is not None else "")

    def _on_take(self) -> None:
        """ "Ik pak deze brief op": the holder's name and the note on the desk
        (desk only); the letter says so at once, the card and the overview too."""
        letter = self.letter
        if letter is None or not self._handles():
            return
        from app.storage import StoreProblem
        from app.store_words import problem_text as store_problem_text

        session = self.session
        try:
            session.set_handler(letter.id, session.holder.name, self.note_field.text())
        except StoreProblem as problem:  # the typed note stays in its field
            self.window_.tell(store_problem_text(problem))
            return
        self._show_handler(letter, keep_note=True)
        if not self.take_button.hasFocus():
            self.take_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _sender_lines(self, letter: Letter) -> list[str]:
        org = self.organisation
        if org is None or org.id != letter.org_id:
            return [" ".join(letter.sender.split())]
        return [org.full_name, *org.postal_address]

    def _recipient_lines(self) -> list[str]:
        person = self.session.person
        return [person.name, *person.address]

    def first_focus(self):
        # A letter is read from its top: the window opens every page there.
        for action in (self.put_away_button, self.lay_back_button):
            if not action.isHidden():
                return action
        return self.print_button  # read only: nothing to put away

    def read_aloud_text(self) -> str:
        """What to do first, then the letter itself."""
        if self.letter is None:
            return ""
        facts = [
            f"{name.text()} {plain(value.text())}"
            for name, value in self.fact_labels.values()
            if value.text()
        ]
        return "\n".join(
            [
                self.sender_label.text(),
                self.subject.text(),
                self.todo_heading.text(),
                self.todo_text.text(),
                *facts,
                self.paper_heading.text(),
                self.paper.toPlainText(),
            ]
        )

    def print_document(self) -> PrintDocument:
        letter = self.letter
        assert letter is not None
        doc = PrintDocument(f"{shown(letter.sender, 80)} - {shown(letter.subject, 120)}")
        doc.heading(_("Wat moet ik doen?"))
        doc.paragraph(bounded(letter.what_to_do))
        for _key, (name, value) in self.fact_labels.items():
            if value.text():
                doc.paragraph(f"{name.text()} {value.text()}")
        doc.heading(_("De brief zelf"))
        # On paper the letter's text in full; its subject and sender as on screen
        # (a 1 MB subject would be hundreds of pages).
        on_paper = replace(letter, subject=shown(letter.subject), sender=shown(letter.sender))
        doc.paragraph(
            paper_text(
                on_paper,
                [shown(line) for line in self._sender_lines(on_paper)],
                self._recipient_lines(),
            )
        )
        return doc

    def _on_print(self) -> None:
        self.window_.print_document(self.print_document())

    def _on_put_away(self) -> None:
        letter = self.letter
        if letter is None:
            return
        session = self.session
        if session.acts_for_someone_else:
            # Someone else's post: the service is asked first (and logs it), in
            # the background; a refusal is told and the letter stays.
            self.run(
                lambda: session.put_away(letter.id),
                lambda action: self._put_away(letter, action),
                on_error=lambda error: self.window_.tell(self.window_.problem_words(error)),
            )
            return
        self._put_away(letter, session.put_away(letter.id))

    def _put_away(self, letter: Letter, action: int) -> None:
        self.window_.go_home()
        self.window_.table_screen.show_undo(
            action,
            _("De brief van %(sender)s is opgeborgen in de map %(sender)s.")
            % {"sender": shown(letter.sender, 80)},
        )

    def _on_lay_back(self) -> None:
        letter = self.letter
        if letter is None:
            return
        self.session.lay_back(letter.id)
        self.window_.go_home()
        self.window_.table_screen.show_laid_back(letter.id)
