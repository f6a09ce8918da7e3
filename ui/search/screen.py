"""Finding any letter: one "Zoeken" box above the table and the folders.

Typing in the box on the table or the folders opens the search screen with what
was typed; every keystroke searches the desk (SQLite FTS5, :meth:`Desk.search`)
and the results are cards, as on the table. The count is said in the line above
the cards and to a screen reader ("3 brieven gevonden"). Search never sends
anything anywhere: it reads only the desk on this computer.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QWidget

from app.i18n import gettext as _
from app.i18n import ngettext
from ui.shell.widgets import FlowLayout, Screen, button, label
from ui.table.model import ROWS, LetterTableModel, shown

SCREEN = "search_screen"
QUERY_CHARS = 200  # what the box takes (a pasted page is cut here)


def _field_row(text_label, field: QWidget) -> QWidget:
    """A label and its field side by side, wrapping as one."""
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(text_label)
    layout.addWidget(field, 1)
    text_label.setBuddy(field)
    return row


class SearchBox(QWidget):
    """ "Zoeken" and a line to type in, on the page above the list. Typing opens
    the search screen with what was typed (and this box is empty again)."""

    def __init__(self, window, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.window_ = window
        self.setObjectName(f"{name}_box")
        self.text_label = label(name=f"{name}_label")
        self.text_label.setWordWrap(False)
        self.field = QLineEdit()
        self.field.setObjectName(name)
        self.field.setMaxLength(QUERY_CHARS)
        self.field.setClearButtonEnabled(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text_label)
        layout.addWidget(self.field, 1)
        self.text_label.setBuddy(self.field)
        self.field.textEdited.connect(self._typed)
        self.field.returnPressed.connect(lambda: self._typed(self.field.text()))
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.text_label.setText(_("Zoeken"))
        self.field.setAccessibleName(_("Zoeken in al uw brieven"))
        self.field.setPlaceholderText(_("Bijvoorbeeld: belasting"))

    def _typed(self, text: str) -> None:
        self.field.clear()
        open_search(self.window_, text)


def register(window) -> None:
    """The search screen is built when it is first needed (start-up stays small)."""
    add = getattr(window, "add_screen_factory", None)
    if add is not None and not window.has_screen(SCREEN):
        add(SCREEN, lambda: SearchScreen(window))


def open_search(window, text: str = "") -> SearchScreen:
    register(window)
    screen = window.screen_named(SCREEN)
    assert isinstance(screen, SearchScreen)
    screen.set_query(text)
    if window.current_screen() is not screen:
        window.show_screen(screen)
    screen.field.setFocus(Qt.FocusReason.OtherFocusReason)
    screen.field.end(False)
    return screen


class SearchScreen(Screen):
    """What was typed, narrowed by organisation and year, and the letters found
    as cards (the table's own view and card), newest first; "Brief openen" and
    "Afdrukken" in the fixed bar. The list of cards is the one scroll area."""

    scrolls_itself = True

    def __init__(self, window, parent=None):
        # here, not at the top: PySide makes QComboBox with its enums when it is
        # first imported, and the table's search box has none (issue 14)
        from PySide6.QtWidgets import QComboBox

        super().__init__(window, parent)
        self.layout_.setContentsMargins(24, 8, 24, 8)
        self.layout_.setSpacing(8)
        self.field_label = label(name="search_label")
        self.field_label.setWordWrap(False)
        self.field = QLineEdit()
        self.field.setObjectName("search_field")
        self.field.setMaxLength(QUERY_CHARS)
        self.org_label = label(name="search_org_label")
        self.org_label.setWordWrap(False)
        self.org = QComboBox()
        self.org.setObjectName("search_org")
        self.year_label = label(name="search_year_label")
        self.year_label.setWordWrap(False)
        self.year = QComboBox()
        self.year.setObjectName("search_year")
        fields = QWidget()
        flow = FlowLayout(fields)
        flow.setContentsMargins(0, 0, 0, 0)
        flow.addWidget(_field_row(self.field_label, self.field))
        flow.addWidget(_field_row(self.org_label, self.org))
        flow.addWidget(_field_row(self.year_label, self.year))
        self.layout_.addWidget(fields)
        self.count = label(role="summary", name="search_count")
        self.count.setMinimumHeight(1)
        self.layout_.addWidget(self.count)

        from ui.table.screen import LetterTableView

        self.model = LetterTableModel(today=lambda: self.session.today())
        self.view = LetterTableView()
        self.view.setObjectName("search_results")
        self.view.setModel(self.model)
        self.layout_.addWidget(self.view, 1)

        self.open_button = button("", name="search_open")
        self.print_button = button("", name="search_print", secondary=True)
        self.add_action(self.open_button)
        self.add_action(self.print_button, at_end=True)

        self.field.textEdited.connect(lambda _text: self.search())
        self.org.activated.connect(lambda _n: self.search())
        self.year.activated.connect(lambda _n: self.search())
        self.view.activated.connect(self._open)
        self.open_button.clicked.connect(lambda: self._open(self.view.currentIndex()))
        self.print_button.clicked.connect(self._print)
        self._said = ""
        self.retranslate_ui()

    def title(self) -> str:
        return _("Brieven zoeken")

    def help_text(self) -> str:
        return _(
            "Typ een woord uit de brief. Bijvoorbeeld de naam van de organisatie, "
            "het onderwerp of het kenmerk. U ziet meteen welke brieven het woord hebben. "
            "Kies een organisatie of een jaar om minder brieven te zien. "
            "Zoeken gebeurt alleen op deze computer."
        )

    def retranslate_ui(self) -> None:
        self.field_label.setText(_("Zoeken"))
        self.field.setAccessibleName(_("Zoeken in al uw brieven"))
        self.field.setPlaceholderText(_("Bijvoorbeeld: belasting"))
        self.org_label.setText(_("Van"))
        self.org.setAccessibleName(_("Van welke organisatie"))
        self.org.view().setAccessibleName(_("Van welke organisatie"))
        self.year_label.setText(_("Jaar"))
        self.year.setAccessibleName(_("Uit welk jaar"))
        self.year.view().setAccessibleName(_("Uit welk jaar"))
        self.open_button.setText(_("Brief openen"))
        self.print_button.setText(_("Afdrukken"))
        self.print_button.setAccessibleName(_("Gevonden brieven afdrukken"))
        self.view.setAccessibleName(_("Gevonden brieven"))
        self.model.retranslate()
        if getattr(self.window_, "session", None) is not None:
            self.refresh()

    def set_query(self, text: str) -> None:
        self.field.setText(text[:QUERY_CHARS])

    def first_focus(self):
        return self.field

    # -- searching ------------------------------------------------------------
    def refresh(self) -> None:
        """The choices and the results as the desk holds them now (a letter may
        have been put away or read since)."""
        self._fill_choices()
        self.search()

    def _fill_choices(self) -> None:
        orgs, years = self.session.desk.search_choices(self.session.person.id)
        org, year = self.org.currentData(), self.year.currentData()
        for combo, first, items, keep in (
            (self.org, _("Alle organisaties"), [(o, shown(n, 60)) for o, n in orgs], org),
            (self.year, _("Alle jaren"), [(y, str(y)) for y in years], year),
        ):
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(first, None)
            for value, text in items:
                combo.addItem(text, value)
            combo.setCurrentIndex(max(0, combo.findData(keep)) if keep is not None else 0)
            combo.blockSignals(False)

    def search(self) -> None:
        """Search the desk for what is in the box, with the chosen filters."""
        desk, person_id = self.session.desk, self.session.person.id
        query, org, year = self.field.text(), self.org.currentData(), self.year.currentData()
        # The first page of what was found, and the number counted; the rest
        # come as the list scrolls on (issue 14: "b" finds 10,000 letters).
        found = desk.search_count(person_id, query, org_id=org, year=year)
        rows = desk.search(person_id, query, org_id=org, year=year, limit=ROWS)
        self.model.set_ids(
            rows,
            lambda ids: desk.letters_by_id(person_id, ids),
            source=(id(desk), person_id, query, org, year),
            longest=[],
            total=found,
            more=lambda offset, limit: desk.search(
                person_id, query, org_id=org, year=year, limit=limit, offset=offset
            ),
        )
        self.view._fit_cards_to_summaries()
        if self.model.rowCount():
            self.view.setCurrentIndex(self.model.index(0))
        self.open_button.setEnabled(self.model.rowCount() > 0)
        self.print_button.setEnabled(self.model.rowCount() > 0)
        self._say(self.count_text(found, query, org, year))

    def count_text(self, n: int, query: str, org: str | None, year: int | None) -> str:
        if n == 0:
            return _("Geen brieven gevonden. Probeer een ander woord.")
        found = ngettext("%(n)d brief gevonden", "%(n)d brieven gevonden", n) % {"n": n}
        if not query.strip() and year is not None and org is None:
            return _("Alle brieven van %(year)d: %(found)s") % {"year": year, "found": found}
        return found

    def _say(self, text: str) -> None:
        """The count in the line above the cards, on the list, and once to a
        screen reader (an announcement: it does not take the focus)."""
        self.count.setText(text)
        self.view.setAccessibleDescription(text)
        if text != self._said:
            self._said = text
            # here, not at the top: PySide makes QAccessible with its enums when
            # it is first imported (2 to 3 ms before the first frame, issue 14)
            from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent

            if QAccessible.isActive():
                QAccessible.updateAccessibility(QAccessibleAnnouncementEvent(self.count, text))

    def result_ids(self) -> list[str]:
        return self.model.ids()

    # -- acting on a result -----------------------------------------------------
    def _open(self, index: QModelIndex) -> None:
        letter_id = index.data(LetterTableModel.IdRole) if index.isValid() else None
        if letter_id:
            self.window_.open_letter(letter_id)

    def print_title(self) -> str:
        query = " ".join(self.field.text().split())
        year = self.year.currentData()
        if query:
            return _("Gevonden brieven: %(query)s") % {"query": shown(query, 60)}
        if year is not None and self.org.currentData() is None:
            return _("Alle brieven van %(year)d") % {"year": year}
        return _("Gevonden brieven")

    def print_document(self):
        from ui.shell.printing import letters_document  # loads when something is printed

        parts = [self.count.text()]
        if self.org.currentData() is not None:
            parts.append(_("Van: %(org)s") % {"org": self.org.currentText()})
        if self.year.currentData() is not None:
            parts.append(_("Jaar: %(year)s") % {"year": self.year.currentText()})
        return letters_document(self.print_title(), ". ".join(parts), self.model.letters())

    def _print(self) -> None:
        if self.model.rowCount():
            self.window_.print_document(self.print_document())

    def read_aloud_text(self) -> str:
        return "\n".join(
            [
                self.count.text(),
                *(
                    self.model.index(r).data(Qt.ItemDataRole.AccessibleTextRole)
                    for r in range(min(self.model.rowCount(), 50))
                ),
            ]
        )
