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
        if getattr(self.window_, "session", None) is not None:
            self.refresh()

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt API: a result is said once
        super().hideEvent(event)
        self.result.hide()

    def refresh(self) -> None:
        self.tree.clear()
        folders = self.session.folders()
        self._folders = folders
        if folders:
            self.intro.setText(_("Kies een map. Open een brief met Enter."))
        elif self.result.isVisibleTo(self):  # the last letter went back on the table
            self.intro.setText(_("Er liggen nu geen brieven in de mappen."))
        else:
            self.intro.setText(_("U hebt nog geen brieven opgeborgen."))
        self.tree.setVisible(bool(folders))  # no empty box
        by_org: dict[str, QTreeWidgetItem] = {}
        for folder in folders:
            top = by_org.get(folder.org_id)
            if top is None:
                top = QTreeWidgetItem([shown(folder.sender)])
                top.setData(0, FOLDER_ORG, folder.org_id)
                self.tree.addTopLevelItem(top)
                by_org[folder.org_id] = top
            count = len(folder.letters)
            year = QTreeWidgetItem(
                [
                    ngettext("%(year)d: %(n)d brief", "%(year)d: %(n)d brieven", count)
                    % {"year": folder.year, "n": count}
                ]
            )
            year.setData(0, FOLDER_ORG, folder.org_id)
            year.setData(0, FOLDER_YEAR, folder.year)
            top.addChild(year)
            for letter in folder.letters:
                item = QTreeWidgetItem([self._row_text(letter)])
                item.setData(
                    0,
                    Qt.ItemDataRole.AccessibleDescriptionRole,
                    _("Onderwerp van de brief: %(subject)s") % {"subject": shown(letter.subject)},
                )
                item.setData(0, LETTER_ID, letter.id)
                year.addChild(item)
        self.tree.expandAll()
        first = self.tree.topLevelItem(0)
        if first is not None:
            self.tree.setCurrentItem(first)
        self._update_buttons()

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
        parts = [f for f in getattr(self, "_folders", []) if f.org_id == org_id]
        parts = [f for f in parts if year is None or f.year == year]
        if not parts:
            return None
        letters = [x for f in parts for x in f.letters]
        letters.sort(key=lambda x: x.received, reverse=True)
        sender = shown(parts[0].sender, 80)
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
