"""Home: the letters on the table, what needs doing first on top."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QListView, QWidget

from app.i18n import gettext as _
from app.plain import table_summary
from ui.shell.widgets import FlowLayout, Screen, box, button, label
from ui.table.card_delegate import CardDelegate, card_height
from ui.table.model import LetterTableModel, shown


class LetterTableView(QListView):
    """A list of cards of one height, keyboard driven; Enter opens a card."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.card_delegate = CardDelegate(self)
        self.setItemDelegate(self.card_delegate)
        self.setUniformItemSizes(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTabKeyNavigation(False)
        self.setSpacing(0)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        width = self.viewport().width()
        if width != self.card_delegate.width:
            self.card_delegate.width = width
            self.scheduleDelayedItemsLayout()
            self._keep_one_card_in_sight()
        super().resizeEvent(event)

    def changeEvent(self, event) -> None:  # noqa: N802 - font changes resize the cards
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.scheduleDelayedItemsLayout()
            self._keep_one_card_in_sight()

    def _keep_one_card_in_sight(self) -> None:
        """At large text the list never shrinks below one whole card and a bit."""
        wanted = (
            int(card_height(self.font(), self.card_delegate.width) * 1.3) + 2 * self.frameWidth()
        )
        if self.minimumHeight() != wanted:
            self.setMinimumHeight(wanted)


class TableScreen(Screen):
    """Signals:
    sig_letter_opened(str): a letter id the person chose to open.
    """

    sig_letter_opened = Signal(str)

    def __init__(self, window, parent=None):
        super().__init__(window, parent)
        self.heading = label(role="title", name="table_title")
        self.summary = label(role="summary", name="table_summary")
        self.layout_.addWidget(self.heading)
        self.layout_.addWidget(self.summary)

        self.undo_box = box()
        undo_row = QHBoxLayout(self.undo_box)
        self.undo_text = label(name="undo_text")
        self.undo_button = button("", name="undo_button")
        undo_row.addWidget(self.undo_text, 1)
        undo_row.addWidget(self.undo_button)
        self.undo_box.hide()
        self.layout_.addWidget(self.undo_box)

        self.model = LetterTableModel(today=lambda: self.session.today())
        self.view = LetterTableView()
        self.view.setObjectName("letter_table")
        self.view.setModel(self.model)
        self.layout_.addWidget(self.view, 1)

        row = FlowLayout()
        self.open_button = button("", name="open_letter")
        self.folders_button = button("", name="open_folders", secondary=True)
        row.addWidget(self.open_button)
        row.addStretch(1)
        row.addWidget(self.folders_button)
        self.layout_.addLayout(row)
        self.extra_buttons = row  # features add their buttons here (e.g. paper mail)

        self.view.activated.connect(self._on_activated)
        self.open_button.clicked.connect(self._on_open_clicked)
        self.folders_button.clicked.connect(lambda: self.window_.show_folders())
        self.undo_button.clicked.connect(self._on_undo)
        self._undo_action: int | None = None
        self._undo_letter: str | None = None
        self._laid_back: str | None = None  # the letter the result line says lies on the table
        self.retranslate_ui()

    def title(self) -> str:
        return _("Uw brieven op tafel")

    def help_text(self) -> str:
        return _(
            "Hier liggen uw brieven. Bovenaan ligt wat het eerst moet. "
            "Kies een brief met de pijltjes. Druk op Enter om hem te openen. "
            "Een brief blijft liggen tot u hem zelf opbergt. "
            "Opgeborgen brieven vindt u bij 'Opgeborgen brieven'."
        )

    def retranslate_ui(self) -> None:
        self.heading.setText(self.title())
        self.open_button.setText(_("Brief openen"))
        self.open_button.setAccessibleName(_("Brief openen"))
        self.folders_button.setText(_("Opgeborgen brieven"))
        self.undo_button.setText(_("Ongedaan maken"))
        self.view.setAccessibleName(_("Brieven op tafel"))
        self.view.setAccessibleDescription(
            _("Kies een brief met de pijltjes. Druk op Enter om hem te openen.")
        )
        self.model.retranslate()
        self._update_summary()

    def refresh(self) -> None:
        current = self.current_letter_id()
        self.model.set_letters(self.session.table())
        self._update_summary()
        row = self.model.row_of(current) if current else -1
        self.view.setCurrentIndex(self.model.index(max(row, 0)))
        self.open_button.setEnabled(self.model.rowCount() > 0)

    def _update_summary(self) -> None:
        if getattr(self.window_, "session", None) is None:
            return
        self.summary.setText(table_summary(self.model._letters, self.session.today()))

    def first_focus(self):
        return self.view

    def read_aloud_text(self) -> str:
        """The summary, then each card as one sentence, top to bottom."""
        cards = [
            self.model.index(row).data(Qt.ItemDataRole.AccessibleTextRole)
            for row in range(self.model.rowCount())
        ]
        return "\n".join([self.heading.text(), self.summary.text(), *cards])

    def current_letter_id(self) -> str | None:
        index = self.view.currentIndex()
        return index.data(LetterTableModel.IdRole) if index.isValid() else None

    def _on_activated(self, index: QModelIndex) -> None:
        letter_id = index.data(LetterTableModel.IdRole)
        if letter_id:
            self.sig_letter_opened.emit(letter_id)

    def _on_open_clicked(self) -> None:
        index = self.view.currentIndex()
        if index.isValid():
            self._on_activated(index)

    def show_undo(self, action_id: int, text: str) -> None:
        """Offer to undo the last put-away. It stays until the next action; no timer."""
        self._undo_action = action_id
        self._laid_back = None
        # Which letter, so that an undo that can no longer apply can say where it is.
        last = self.session.desk.last_undoable(self.session.person.id)
        self._undo_letter = last[2] if last is not None and last[0] == action_id else None
        self.undo_text.setText(text)
        self.undo_button.setAccessibleName(_("Ongedaan maken: %(what)s") % {"what": text})
        self.undo_button.show()
        self.undo_box.show()

    def show_laid_back(self, letter_id: str) -> None:
        """Say that a letter lies on the table again. Nothing to undo: it simply
        lies there, and 'Klaar, opbergen' puts it away again."""
        self._undo_action = None
        self._undo_letter = None
        self._laid_back = letter_id
        try:
            sender = shown(self.session.letter(letter_id).sender, 80)
        except LookupError:  # gone from the desk meanwhile: say nothing untrue
            self.hide_undo()
            return
        text = _("De brief van %(sender)s ligt weer op tafel.") % {"sender": sender}
        self.undo_text.setText(text)
        self.undo_button.hide()
        self.undo_box.show()

    def hide_undo(self) -> None:
        self._undo_action = None
        self._undo_letter = None
        self._laid_back = None
        self.undo_box.hide()

    def _keep_result_true(self) -> None:
        """The result line says what is true now. Another screen (the folders) or
        another window may have acted since it was written: then it follows the
        person's newest action, or goes away."""
        if self._undo_action is not None:
            last = self.session.desk.last_undoable(self.session.person.id)
            if last is not None and last[0] == self._undo_action:
                return
            if last is not None and last[1] == "lay_back" and self.session.is_on_table(last[2]):
                self.show_laid_back(last[2])
            else:
                self.hide_undo()
        elif self._laid_back is not None and not self.session.is_on_table(self._laid_back):
            self.hide_undo()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API: each time the table is shown
        super().showEvent(event)
        if getattr(self.window_, "session", None) is not None and self.undo_box.isVisibleTo(self):
            self._keep_result_true()

    def _on_undo(self) -> None:
        asked = self._undo_letter
        letter_id = self.session.undo(self._undo_action)
        self.hide_undo()
        self.refresh()
        if letter_id:
            row = self.model.row_of(letter_id)
            if row >= 0:
                self.view.setCurrentIndex(self.model.index(row))
        else:
            # Not this person's newest action any more: another window, or the
            # folder screen, acted after it. Nothing changed; say why, and where.
            self.window_.tell(self._undo_refused_text(asked))
        self.view.setFocus()

    def _undo_refused_text(self, letter_id: str | None) -> str:
        text = _("Dat kan niet meer ongedaan worden gemaakt.")
        try:
            letter = self.session.letter(letter_id) if letter_id else None
        except LookupError:  # gone from the desk meanwhile
            letter = None
        if letter is not None and self.session.is_on_table(letter.id):
            return text + " " + _("De brief ligt al weer op tafel.")
        text += " " + _("U heeft daarna al iets anders gedaan.")
        if letter is not None:
            text += " " + _("De brief ligt in de map %(sender)s.") % {"sender": letter.sender}
        return text
