"""What was put away: a folder per organisation, per year."""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QStyledItemDelegate,
    QTreeWidget,
    QTreeWidgetItem,
)

from app.i18n import gettext as _
from app.i18n import ngettext
from app.model import Letter
from app.plain import format_date
from ui.search.screen import SearchBox
from ui.shell.printing import PrintDocument, letters_document
from ui.shell.widgets import Screen, button, label
from ui.table.model import shown

LETTER_ID = Qt.ItemDataRole.UserRole + 1
FOLDER_ORG = Qt.ItemDataRole.UserRole + 2  # on a folder (organisation) and its years
FOLDER_YEAR = Qt.ItemDataRole.UserRole + 3  # on a year
#: Up to this many put-away letters the tree shows every letter at once; with
#: more, a year shows its letters when it is opened (issue 14: 3,333 put away
#: are 44 folder rows at first, not 3,377 rows).
OPEN_ALL = 200


class _WrappingDelegate(QStyledItemDelegate):
    """Rows as tall as their wrapped text at the tree's width: long subjects
    wrap onto more lines and are never cut off, even at 200 % text."""

    def __init__(self, tree: QTreeWidget):
        super().__init__(tree)
        self._tree = tree

    def sizeHint(self, option, index) -> QSize:  # noqa: N802 - Qt API
        hint = super().sizeHint(option, index)
        depth, parent = 0, index.parent()
        while parent.isValid():
            depth, parent = depth + 1, parent.parent()
        width = self._tree.viewport().width() - self._tree.indentation() * (depth + 1) - 16
        text = index.data(Qt.ItemDataRole.DisplayRole) or ""
        rect = QFontMetrics(option.font).boundingRect(
            QRect(0, 0, max(50, width), 100000), int(Qt.TextFlag.TextWordWrap), text
        )
        return QSize(hint.width(), max(hint.height(), rect.height() + 12))


class FoldersScreen(Screen):
    """The tree of folders is the screen's one scroll area and takes the height
    the heading and the lines above it leave; the buttons are in the fixed bar."""

    scrolls_itself = True

    def __init__(self, window, parent=None):
        super().__init__(window, parent)
        self.layout_.setContentsMargins(24, 8, 24, 8)
        self.layout_.setSpacing(8)
        self.heading = label(role="title", name="folders_title")
        self.intro = label(role="summary", name="folders_intro")
        # What was just done ("ligt weer op tafel"), in sight under the heading.
        self.result = label(role="notice", name="folders_result")
        self.result.hide()
        # "Zoeken" for every letter, put away or on the table (issue 14), beside
        # the heading: the tree keeps its height at 200 %
        self.search_box = SearchBox(window, "folders_search")
        top = QHBoxLayout()
        top.setSpacing(16)
        top.addWidget(self.heading)
        top.addWidget(self.search_box, 1)
        self.layout_.addLayout(top)
        for line in (self.heading, self.intro, self.result):
            line.setMinimumHeight(1)  # laid out at the page's width: the window stays small
            if line is not self.heading:
                self.layout_.addWidget(line)
        self.tree = QTreeWidget()
        self.tree.setObjectName("folders_tree")
        self.tree.setHeaderHidden(True)
        self.tree.setColumnCount(1)
        # Long subjects wrap onto more lines; they are never cut off with "...".
        self.tree.setWordWrap(True)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.tree.setUniformRowHeights(False)
        self.tree.setItemDelegate(_WrappingDelegate(self.tree))
        self.tree.header().setStretchLastSection(True)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.layout_.addWidget(self.tree, 1)
        self.open_button = button("", name="folder_open")
        self.lay_back_button = button("", name="folder_lay_back")
        self.add_action(self.open_button)
        self.add_action(self.lay_back_button)
        self.print_button = button("", name="folder_print", secondary=True)
        self.add_action(self.print_button, at_end=True)
        self.print_button.clicked.connect(self._print)
        self.tree.itemActivated.connect(lambda item, _col: self._open(item))
        self.tree.itemExpanded.connect(self._fill)
        #: (org_id, year) -> its year row; the letters are added when it opens
        self._years: dict[tuple[str, int], QTreeWidgetItem] = {}
        self._filled: set[tuple[str, int]] = set()
        self._counts: list[tuple[str, str, int, int]] = []
        self._built_for: object = None  # the desk's version the tree was built from
        self.tree.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.open_button.clicked.connect(lambda: self._open(self.tree.currentItem()))
        self.lay_back_button.clicked.connect(self._on_lay_back)
        self.retranslate_ui()

    def title(self) -> str:
        return _("Opgeborgen brieven")

    def help_text(self) -> str:
        return _(
            "Hier staan de brieven die u hebt opgeborgen. Elke organisatie heeft een map. "
            "In de map staan de brieven per jaar. Wilt u een brief weer op tafel? "
            "Kies de brief en dan 'Terug op tafel leggen'."
        )

    def retranslate_ui(self) -> None:
        self.heading.setText(self.title())
        self.search_box.retranslate_ui()
        self.print_button.setText(_("Map afdrukken"))
        self.print_button.setAccessibleName(_("De gekozen map afdrukken"))
        self.open_button.setText(_("Brief openen"))
        self.lay_back_button.setText(_("Terug op tafel leggen"))
        self.tree.setAccessibleName(_("Mappen met opgeborgen brieven"))
        self._built_for = None  # the rows' words are in the language
        if getattr(self.window_, "session", None) is not None:
            self.refresh()

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt API: a result is said once
        super().hideEvent(event)
        self.result.hide()

    def refresh(self) -> None:
        """The folders as the desk holds them now: an organisation per folder, its
        years (with how many letters) in it; a year's letters are added when it
        is opened, or all at once while there are few (:data:`OPEN_ALL`). Built
        again only when the desk changed since (or the language)."""
        desk, person_id = self.session.desk, self.session.person.id
        built_for = (id(desk), person_id, desk.version())
        if built_for != self._built_for:
            self._build(desk.folder_counts(person_id))
            self._built_for = built_for
        counts = self._counts
        total = sum(n for *_rest, n in counts)
        if counts and total > OPEN_ALL:
            self.intro.setText(_("Kies een map en een jaar. Druk op Enter om de brieven te zien."))
        elif counts:
            self.intro.setText(_("Kies een map. Open een brief met Enter."))
        elif self.result.isVisibleTo(self):  # the last letter went back on the table
            self.intro.setText(_("Er liggen nu geen brieven in de mappen."))
        else:
            self.intro.setText(_("U hebt nog geen brieven opgeborgen."))
        self.tree.setVisible(bool(counts))  # no empty box
        first = self.tree.topLevelItem(0)
        if first is not None:
            self.tree.setCurrentItem(first)
        self._update_buttons()

    def _build(self, counts: list[tuple[str, str, int, int]]) -> None:
        opened = {key for key, year in self._years.items() if year.isExpanded()}
        self.tree.clear()
        self._counts = counts
        self._years.clear()
        self._filled.clear()
        by_org: dict[str, QTreeWidgetItem] = {}
        for org_id, sender, year_number, count in counts:
            top = by_org.get(org_id)
            if top is None:
                top = QTreeWidgetItem([shown(sender)])
                top.setData(0, FOLDER_ORG, org_id)
                self.tree.addTopLevelItem(top)
                by_org[org_id] = top
            year = QTreeWidgetItem(
                [
                    ngettext("%(year)d: %(n)d brief", "%(year)d: %(n)d brieven", count)
                    % {"year": year_number, "n": count}
                ]
            )
            year.setData(0, FOLDER_ORG, org_id)
            year.setData(0, FOLDER_YEAR, year_number)
            year.setChildIndicatorPolicy(QTreeWidgetItem.ChildIndicatorPolicy.ShowIndicator)
            top.addChild(year)
            self._years[(org_id, year_number)] = year
        if sum(n for *_rest, n in counts) <= OPEN_ALL:
            for year in self._years.values():
                self._fill(year)
            self.tree.expandAll()
        else:
            for top in by_org.values():
                top.setExpanded(True)
            for key in opened & set(self._years):  # the years that were open stay open
                self._years[key].setExpanded(True)

    def _fill(self, year: QTreeWidgetItem) -> None:
        """A year's letters as rows under it, the first time it is opened."""
        org_id, year_number = year.data(0, FOLDER_ORG), year.data(0, FOLDER_YEAR)
        if year_number is None or (org_id, year_number) in self._filled:
            return
        self._filled.add((org_id, year_number))
        letters = self.session.desk.folder_letters(self.session.person.id, org_id, year_number)
        items = []
        for letter in letters:
            item = QTreeWidgetItem([self._row_text(letter)])
            item.setData(
                0,
                Qt.ItemDataRole.AccessibleDescriptionRole,
                _("Onderwerp van de brief: %(subject)s") % {"subject": shown(letter.subject)},
            )
            item.setData(0, LETTER_ID, letter.id)
            items.append(item)
        year.addChildren(items)
        year.setChildIndicatorPolicy(
            QTreeWidgetItem.ChildIndicatorPolicy.DontShowIndicatorWhenChildless
        )

    @staticmethod
    def _row_text(letter: Letter) -> str:
        """'25 november: <the plain summary> (<the official subject>)': the plain
        words first. At most ~300 characters; the letter itself opens whole."""
        day = format_date(letter.received, "d MMMM")
        summary, subject = shown(letter.summary), shown(letter.subject)  # cheap for 1 MB
        if not summary or not subject or summary == subject:
            return f"{day}: {summary or subject}"
        return f"{day}: {shown(f'{summary} ({subject})')}"

    def selected_letter_id(self) -> str | None:
        item = self.tree.currentItem()
        return item.data(0, LETTER_ID) if item is not None else None

    def select_letter(self, letter_id: str) -> bool:
        """Choose this put-away letter in the tree (its year opened for it)."""
        try:
            letter = self.session.letter(letter_id)
        except LookupError:
            return False
        year = self._years.get((letter.org_id, letter.received.year))
        if year is not None:
            self._fill(year)
            year.setExpanded(True)
        for item in self._letter_items():
            if item.data(0, LETTER_ID) == letter_id:
                self.tree.setCurrentItem(item)
                return True
        return False

    def _letter_items(self) -> Iterator[QTreeWidgetItem]:
        def children(item: QTreeWidgetItem | None) -> Iterator[QTreeWidgetItem]:
            if item is not None:
                for n in range(item.childCount()):
                    child = item.child(n)
                    if child is not None:
                        yield child

        for i in range(self.tree.topLevelItemCount()):
            for year in children(self.tree.topLevelItem(i)):
                yield from children(year)

    def _update_buttons(self) -> None:
        has_letter = self.selected_letter_id() is not None
        self.open_button.setEnabled(has_letter)
        self.lay_back_button.setEnabled(has_letter)
        self.print_button.setEnabled(self.tree.currentItem() is not None)

    def chosen_folder(self) -> tuple[str, int | None] | None:
        """(organisation, year) of the chosen map: the year of a chosen letter or
        year, or (organisation, None) for a whole organisation's map."""
        item = self.tree.currentItem()
        if item is not None and item.data(0, LETTER_ID):
            item = item.parent()
        if item is None or not item.data(0, FOLDER_ORG):
            return None
        return str(item.data(0, FOLDER_ORG)), item.data(0, FOLDER_YEAR)

    def print_document(self) -> PrintDocument | None:
        """The chosen map as one document: every letter in it, newest first."""
        chosen = self.chosen_folder()
        if chosen is None:
            return None
        org_id, year = chosen
        senders = [f[1] for f in self._counts if f[0] == org_id and year in (None, f[2])]
        letters = self.session.desk.folder_letters(self.session.person.id, org_id, year)
        if not senders or not letters:
            return None
        sender = shown(senders[0], 80)
        if year is None:
            title = _("Map %(sender)s") % {"sender": sender}
        else:
            title = _("Map %(sender)s, %(year)d") % {"sender": sender, "year": year}
        count = len(letters)
        intro = ngettext("%(n)d brief in deze map.", "%(n)d brieven in deze map.", count) % {
            "n": count
        }
        return letters_document(title, intro, letters)

    def _print(self) -> None:
        doc = self.print_document()
        if doc is not None:
            self.window_.print_document(doc)

    def _open(self, item) -> None:
        letter_id = item.data(0, LETTER_ID) if item is not None else None
        if letter_id:
            self.window_.open_letter(letter_id)
        elif item is not None and item.data(0, FOLDER_YEAR) is not None:
            item.setExpanded(not item.isExpanded())  # Enter on a year opens it

    def _on_lay_back(self) -> None:
        letter_id = self.selected_letter_id()
        if letter_id:
            self.session.lay_back(letter_id)
            try:
                sender = shown(self.session.letter(letter_id).sender, 80)
            except LookupError:  # gone from the desk meanwhile: say nothing untrue
                sender = ""
            if sender:
                self.result.setText(
                    _("De brief van %(sender)s ligt weer op tafel.") % {"sender": sender}
                )
                self.result.show()
            self.refresh()
            target = self.first_focus()
            if target is not None:
                target.setFocus(Qt.FocusReason.OtherFocusReason)

    def first_focus(self):
        return self.tree if self.tree.isVisibleTo(self) else None
