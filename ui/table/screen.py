"""Home: the letters on the table, what needs doing first on top."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QSize, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QListView, QWidget

from app.i18n import gettext as _
from app.i18n import ngettext
from ui.search.screen import SearchBox, open_search
from ui.search.screen import register as register_search
from ui.shell.widgets import Screen, box, button, label
from ui.table.card_delegate import CardDelegate
from ui.table.model import ROWS, LetterTableModel, shown


def tally_text(count: int, new: int, late: int, soon: int) -> str:
    """'Er liggen 4 brieven op tafel. 1 is nieuw. 1 moet deze week af.', from the
    desk's counts (the words of :func:`app.plain.table_summary`, no letter parsed)."""
    if count == 0:
        return _("Er liggen geen brieven op tafel. U hoeft nu niets te doen.")
    parts = [
        ngettext("Er ligt %(n)d brief op tafel.", "Er liggen %(n)d brieven op tafel.", count)
        % {"n": count}
    ]
    if new:
        parts.append(ngettext("%(n)d is nieuw.", "%(n)d zijn nieuw.", new) % {"n": new})
    if late:
        parts.append(ngettext("%(n)d is te laat.", "%(n)d zijn te laat.", late) % {"n": late})
    if soon:
        parts.append(
            ngettext("%(n)d moet deze week af.", "%(n)d moeten deze week af.", soon) % {"n": soon}
        )
    return " ".join(parts)


class LetterTableView(QListView):
    """A list of cards of one height, keyboard driven; Enter opens a card."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        # A viewport made here, so PySide knows its type: the one Qt makes is
        # unknown to it, and the first viewport() call then made PySide resolve
        # dozens of its lazily made classes before the first frame (issue 14).
        self.setViewport(QWidget())
        self.card_delegate = CardDelegate(self)
        self.setItemDelegate(self.card_delegate)
        self.setUniformItemSizes(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTabKeyNavigation(False)
        self.setSpacing(0)
        self._keep_when_shown = False  # keep_current_in_view was asked while hidden

    def setModel(self, model) -> None:  # noqa: N802 - Qt API
        super().setModel(model)
        if model is not None:
            model.modelReset.connect(self._fit_cards_to_summaries)
            self._fit_cards_to_summaries()

    def _fit_cards_to_summaries(self) -> None:
        """Cards reserve room for the longest summaries on the table, no more."""
        longest = tuple(getattr(self.model(), "longest_summaries", ()))
        if longest != self.card_delegate.summaries:
            self.card_delegate.set_summaries(longest)
            self.scheduleDelayedItemsLayout()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        """The list takes the room the page leaves; it never makes the window taller."""
        hint = super().minimumSizeHint()
        return QSize(hint.width(), 2 * self.frameWidth())

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        width = self.viewport().width()
        if width != self.card_delegate.width:
            self.card_delegate.width = width
            self.scheduleDelayedItemsLayout()
        super().resizeEvent(event)
        # The list got its room (the window, the text size or the welcome box
        # changed): the chosen card stays in sight.
        self.keep_current_in_view()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if self._keep_when_shown:
            self._keep_when_shown = False
            self.keep_current_in_view()

    def changeEvent(self, event) -> None:  # noqa: N802 - font changes resize the cards
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.scheduleDelayedItemsLayout()

    def keep_current_in_view(self) -> None:
        """The chosen card in sight; no scrolling work when it is already. A list
        not shown yet does it once it is (:meth:`showEvent`), at its real width:
        asked earlier, it laid its cards out for a size it never has (the window's
        first frame measured them three times, issue 14)."""
        if not self.isVisible():
            self._keep_when_shown = True
            return
        current = self.currentIndex()
        if not current.isValid():
            return
        rect = self.visualRect(current)
        if rect.isValid() and self.viewport().rect().contains(rect):
            return
        self.scrollTo(current, QAbstractItemView.ScrollHint.EnsureVisible)


class _BarButtons:
    """Where features put their table buttons (``extra_buttons.addWidget``): in the
    action bar, after "Brief openen" and before "Opgeborgen brieven", which stays
    last, at the far end of the row. At 200 % the row wraps into as few rows as the
    buttons allow."""

    def __init__(self, screen: TableScreen):
        self._screen = screen

    def addWidget(self, widget: QWidget) -> None:  # noqa: N802 - mirrors QLayout
        bar, last = self._screen.actions_, self._screen.folders_button
        bar.removeWidget(last)
        bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(last)
        self._screen.action_bar.show()

    def count(self) -> int:
        return self._screen.actions_.count()

    def itemAt(self, index: int):  # noqa: N802 - mirrors QLayout
        return self._screen.actions_.itemAt(index)


class TableScreen(Screen):
    """The list of cards is the screen's one scroll area and takes all the height
    the title, the summary and the result line leave; the buttons are in the
    fixed action bar, so Kees's "Ik wil mijn post op papier" is always in sight.

    Signals:
    sig_letter_opened(str): a letter id the person chose to open.
    """

    sig_letter_opened = Signal(str)
    scrolls_itself = True

    def __init__(self, window, parent=None):
        super().__init__(window, parent)
        self.layout_.setContentsMargins(24, 8, 24, 8)
        self.layout_.setSpacing(8)
        self.heading = label(role="title", name="table_title")
        self.summary = label(role="summary", name="table_summary")
        # "Zoeken" for every letter, on the table and in the folders (issue 14)
        # made on the page it is shown on: moved there, it was restyled (issue 14)
        self.search_box = SearchBox(window, "table_search", self.page)
        register_search(window)
        # Ctrl+F once the first frame is up: QKeySequence's enums are not made
        # before it (issue 14); a window without that hook gets it at once
        after_first_frame = getattr(window, "after_first_frame", None)
        if after_first_frame is not None:
            after_first_frame(self._add_find_shortcut)
        else:
            self._add_find_shortcut()
        self.layout_.addWidget(self.search_box)
        self.layout_.addWidget(self.heading)
        self.layout_.addWidget(self.summary)
        # What the page lays out is each line's height at the page's width; their
        # height at some narrow width must not make the window taller than the screen.
        for line in (self.heading, self.summary):
            line.setMinimumHeight(1)

        self.undo_box = box()
        self.layout_.addWidget(self.undo_box)  # on the page before what it holds
        undo_row = QHBoxLayout(self.undo_box)
        undo_row.setContentsMargins(12, 6, 12, 6)
        self.undo_text = label(name="undo_text")
        self.undo_text.setMinimumHeight(1)
        self.undo_button = button("", name="undo_button")
        undo_row.addWidget(self.undo_text, 1)
        undo_row.addWidget(self.undo_button)
        self.undo_box.hide()

        self.model = LetterTableModel(today=lambda: self.session.today())
        self.view = LetterTableView()
        self.view.setObjectName("letter_table")
        self.view.setModel(self.model)
        self.layout_.addWidget(self.view, 1)

        self.open_button = button("", name="open_letter")
        self.folders_button = button("", name="open_folders", secondary=True)
        self.add_action(self.open_button)
        self.add_action(self.folders_button, at_end=True)
        # Features add their buttons here, in the action bar, before "Opgeborgen
        # brieven" (ui/paper/feature.py: "Ik wil mijn post op papier").
        self.extra_buttons = _BarButtons(self)

        self.greeting: QWidget | None = None  # the first start's welcome (set_greeting)
        self._tally_key: object = None
        self._tally_value: tuple[int, int, int, int] | None = None
        self.page.installEventFilter(self)
        self.view.activated.connect(self._on_activated)
        self.open_button.clicked.connect(self._on_open_clicked)
        self.folders_button.clicked.connect(lambda: self.window_.show_folders())
        self.undo_button.clicked.connect(self._on_undo)
        self._undo_action: int | None = None
        self._undo_letter: str | None = None
        self._laid_back: str | None = None  # the letter the result line says lies on the table
        self.retranslate_ui()

    def _add_find_shortcut(self) -> None:
        from PySide6.QtGui import QKeySequence, QShortcut

        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.activated.connect(lambda: open_search(self.window_))

    def title(self) -> str:
        return _("Uw brieven op tafel")

    def set_greeting(self, greeting: QWidget) -> None:
        """Show ``greeting`` (the first start's welcome choice) at the top of the page.
        While it is shown it stands in for the title and the summary: one message
        at a time, and the cards stay in sight under it."""
        self.greeting = greeting
        self.layout_.insertWidget(0, greeting)
        self._arrange_lines()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt API
        kind = event.type()
        if watched is self.page and kind in (QEvent.Type.Resize, QEvent.Type.LayoutRequest):
            self._arrange_lines()
        return False

    def _arrange_lines(self) -> None:
        """When the page cannot hold what it shows and one whole card (200 % text on
        a laptop), the title gives way, then the summary; they come back when there
        is room, then "Zoeken". The window's title and the list's name still say what
        this is, and 'Voorlezen' still reads the summary. While the welcome is shown
        it stands in for all three."""
        # "Zoeken" gives way last (a whole card first); Ctrl+F still opens the
        # search then, and the folders keep their box.
        lines = (self.heading, self.summary, self.search_box)
        searchable = not self.search_box.isHidden()
        if self.greeting is not None and not self.greeting.isHidden():
            for line in lines:
                line.hide()
        else:
            hidden = [line for line in lines if line.isHidden()]
            room = self.page.height()
            needed = self._needed_height()
            if needed > room and len(hidden) < len(lines):
                lines[len(hidden)].hide()
            elif hidden:
                last = hidden[-1]
                if not self.isVisible() or needed + self._line_height(last) <= room:
                    last.show()  # (a table out of view measures again when it is shown)
        if searchable != (not self.search_box.isHidden()) and self.isVisible():
            # "Zoeken" came or went: Tab reaches it where it is seen, above the list
            self.window_.reorder_tabs()

    def _width(self) -> int:
        margins = self.layout_.contentsMargins()
        return max(1, self.page.width() - margins.left() - margins.right())

    def _line_height(self, widget: QWidget) -> int:
        if not widget.hasHeightForWidth():
            return widget.sizeHint().height() + self.layout_.spacing()
        return widget.heightForWidth(self._width()) + self.layout_.spacing()

    def _needed_height(self) -> int:
        """The page's height for what it shows, with the list one whole card high."""
        margins = self.layout_.contentsMargins()
        heights = []
        for i in range(self.layout_.count()):
            item = self.layout_.itemAt(i)
            widget = item.widget() if item is not None else None
            if widget is None or widget.isHidden():
                continue
            if widget is self.view:
                rows = self.model.rowCount()
                card = self.view.card_delegate.card_height(self.view.font()) if rows else 0
                heights.append(card + 2 * self.view.frameWidth())
            elif widget.hasHeightForWidth():
                heights.append(widget.heightForWidth(self._width()))
            else:
                heights.append(widget.sizeHint().height())
        spacing = self.layout_.spacing() * max(0, len(heights) - 1)
        return margins.top() + margins.bottom() + sum(heights) + spacing

    def help_text(self) -> str:
        return _(
            "Hier liggen uw brieven. Bovenaan ligt wat het eerst moet. "
            "Kies een brief met de pijltjes. Druk op Enter om hem te openen. "
            "Een brief blijft liggen tot u hem zelf opbergt. "
            "Opgeborgen brieven vindt u bij 'Opgeborgen brieven'."
        )

    def retranslate_ui(self) -> None:
        self.heading.setText(self.title())
        self.search_box.retranslate_ui()
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
        """The table as the desk holds it now. Only what changed changes (a letter
        put away is one row less, a letter read one card redrawn); the letters
        are fetched when their cards are shown (issue 14: 10,000 letters)."""
        current = self.current_letter_id()
        desk, person_id = self.session.desk, self.session.person.id
        tally = self._tally()
        # The first rows only (as many as were held: the person may have
        # scrolled on); the rest come as the list scrolls (issue 14).
        rows = desk.table_order(person_id, limit=max(ROWS, self.model.held()))
        self.model.set_ids(
            rows,
            lambda ids: desk.letters_by_id(person_id, ids),
            source=(id(desk), person_id),
            longest=desk.longest_summaries(person_id),
            total=tally[0],
            more=lambda offset, limit: desk.table_order(person_id, limit=limit, offset=offset),
        )
        self.view._fit_cards_to_summaries()
        self.summary.setText(tally_text(*tally))
        row = self.model.row_of(current) if current else -1
        index = self.model.index(max(row, 0))
        if index != self.view.currentIndex():
            self.view.setCurrentIndex(index)
        self.view.keep_current_in_view()  # back from a letter or the folders: in sight
        self.open_button.setEnabled(self.model.rowCount() > 0)

    def _update_summary(self) -> None:
        if getattr(self.window_, "session", None) is None:
            return
        self.summary.setText(tally_text(*self._tally()))

    def _tally(self) -> tuple[int, int, int, int]:
        """The desk's counts for the summary, asked again only when the desk, the
        person or the day changed (a start and a language switch ask once)."""
        desk, person_id = self.session.desk, self.session.person.id
        key = (id(desk), person_id, desk.version(), self.session.today())
        if key != self._tally_key or self._tally_value is None:
            self._tally_value = desk.table_tally(person_id)
            self._tally_key = key
        return self._tally_value

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
        self._undo_before_list()

    def _undo_before_list(self) -> None:
        """Tab reaches "Ongedaan maken" where it is seen: just before the list, so
        Shift+Tab from the list reaches it too. (The window set the Tab order when
        the table was shown, while the line was still hidden.)"""
        before = self.view.previousInFocusChain()
        if before is not None and before is not self.undo_button:
            QWidget.setTabOrder(before, self.undo_button)
            QWidget.setTabOrder(self.undo_button, self.view)

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
