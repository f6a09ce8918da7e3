"""Guided mode helpers: a cover the visitor lifts ("Laat zien"), and a highlight.

* :class:`LetterCover` keeps a letter off the screen until the visitor chooses
  "Laat zien". It uses the letter screen's ``covered`` hook, so the letter's
  text is never put into a widget while covered (not even a hidden one).
  Every newly opened letter starts covered again.
* :class:`TableCover` hides the cards on the table (senders and summaries are
  the visitor's too) until the visitor shows them.
* :class:`Highlight` draws a thick outline in the focus colour around the
  control the volunteer should use. It never takes focus or clicks.

Signals (covers):
    sig_revealed(object): the visitor showed something (the letter, or None for the table).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QAbstractScrollArea, QBoxLayout, QScrollArea, QVBoxLayout, QWidget

from app.i18n import gettext as _
from ui.shell import theme
from ui.shell.widgets import FlowLayout, box, button, label, scrolling

COVER_MIN_HEIGHT = 96


class _Cover(QObject):
    """A box in a screen's layout: covered (message + "Laat zien") or shown ("Weer afdekken")."""

    sig_revealed = Signal(object)

    def __init__(self, screen, *, layout: QBoxLayout, index: int, name: str, scrolls: bool):
        super().__init__(screen)
        self.screen = screen
        self.covered = True
        self.box = box()
        self.box.setObjectName(f"guided_{name}_cover")
        box_layout = QVBoxLayout(self.box)
        self.heading = label(role="title", name=f"guided_{name}_cover_title")
        self.text = label(name=f"guided_{name}_cover_text")
        box_layout.addWidget(self.heading)
        box_layout.addWidget(self.text)
        row = FlowLayout()
        self.reveal_button = button("", name=f"guided_reveal_{name}")
        self.cover_button = button("", name=f"guided_cover_{name}", secondary=True)
        row.addWidget(self.reveal_button)
        row.addWidget(self.cover_button)
        box_layout.addLayout(row)
        box_layout.addStretch(1)  # in its own scroll area the box may be taller
        # While covered the box takes the room of what it covers, its content at the
        # top. Where it is not in the page's scroll area it has its own, for 200 %
        # text (what it covers is hidden then: still one scroll area that scrolls).
        self.layout_ = layout
        self.holder: QWidget = self.box
        if scrolls:
            self.holder = scrolling(self.box)
            self.holder.setObjectName(f"guided_{name}_cover_area")
            # Lower than a scroll area's own minimum (about 200 px with its bar):
            # at 200 % the table's row of actions needs that room in the window.
            self.holder.setMinimumHeight(COVER_MIN_HEIGHT)
            self.holder.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            layout.insertWidget(index, self.holder, 0)
        else:
            layout.insertWidget(index, self.box, 0, Qt.AlignmentFlag.AlignTop)
        self.reveal_button.clicked.connect(self.reveal)
        self.cover_button.clicked.connect(self.cover)

    def _update(self) -> None:
        self.layout_.setStretchFactor(self.holder, 1 if self.covered else 0)
        # Shown: the heading and "Weer afdekken" only; what it covered gets the room.
        self.text.setVisible(self.covered)
        self.reveal_button.setVisible(self.covered)
        self.cover_button.setVisible(not self.covered)
        self.retranslate_ui()

    def first_focus(self):
        return self.reveal_button if self.covered else None

    def reveal(self) -> None:
        raise NotImplementedError

    def cover(self) -> None:
        raise NotImplementedError

    def apply(self) -> None:
        """Cover or show what this box covers (each kind of cover says how)."""
        raise NotImplementedError

    def retranslate_ui(self) -> None:
        raise NotImplementedError


def _named(screen: QWidget, name: str) -> QWidget:
    """The screen's widget called ``name``: screens are found by name, not by
    their layout, which changes as screens are built (tests/finders.py)."""
    found = screen.findChild(QWidget, name)
    if found is None:
        raise LookupError(f"no widget {name!r} in {screen.objectName()}")
    return found


class TableCover(_Cover):
    """Covers the table's cards (``letter_table``); the rest of the table (Kees's
    paper button) stays."""

    def __init__(self, table_screen):
        self.view = _named(table_screen, "letter_table")
        holder = self.view.parentWidget()
        layout = holder.layout() if holder is not None else None
        if not isinstance(layout, QBoxLayout) or layout.indexOf(self.view) < 0:
            layout, index = table_screen.layout_, 0
        else:
            index = layout.indexOf(self.view)
        super().__init__(
            table_screen,
            layout=layout,
            index=index,
            name="table",
            scrolls=bool(getattr(table_screen, "scrolls_itself", False)),
        )
        self.apply()

    def apply(self) -> None:
        view = self.view
        view.setVisible(not self.covered)
        view.setEnabled(not self.covered)
        self._update()

    def reveal(self) -> None:
        self.covered = False
        self.apply()
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)
        self.sig_revealed.emit(None)

    def cover(self) -> None:
        self.covered = True
        self.apply()
        self.reveal_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def retranslate_ui(self) -> None:
        if self.covered:
            self.heading.setText(_("Uw brieven zijn afgedekt"))
            self.text.setText(
                _(
                    "De bezoeker beslist wat de vrijwilliger ziet. "
                    "Wilt u de brieven samen bekijken? Druk dan op 'Laat zien'."
                )
            )
        else:
            self.heading.setText(_("U laat uw brieven zien"))
            self.text.setText(_("Wilt u ze weer afdekken? Druk dan op 'Weer afdekken'."))
        self.reveal_button.setText(_("Laat zien"))
        self.reveal_button.setAccessibleName(_("Laat de brieven zien"))
        self.cover_button.setText(_("Weer afdekken"))
        self.cover_button.setAccessibleName(_("De brieven weer afdekken"))


class LetterCover(_Cover):
    """Covers the whole page of the letter screen, and the buttons that act on the
    letter. The box stands above the page, in the screen's own frame (not in the
    page), so it is there whatever the page holds. Leaving the letter screen
    covers again."""

    #: the letter screen's buttons that act on the letter itself
    LETTER_ACTIONS = ("print_letter", "put_away", "lay_back")

    def __init__(self, letter_screen):
        frame = letter_screen.layout()
        assert isinstance(frame, QBoxLayout)  # Screen's frame: page (area), action bar
        super().__init__(letter_screen, layout=frame, index=0, name="letter", scrolls=True)
        page = letter_screen.page_area or letter_screen.page
        self.page: QWidget = page
        self.actions = [_named(letter_screen, name) for name in self.LETTER_ACTIONS]
        letter_screen.covered = True
        self.apply()

    def apply(self) -> None:
        self.page.setVisible(not self.covered)
        self.page.setEnabled(not self.covered)
        if self.covered:  # print, put away or lay back only what the visitor has seen
            for action in self.actions:
                action.hide()
        else:  # filling the letter showed the one of put away / lay back that fits
            self.actions[0].show()
        for action in self.actions:
            action.setEnabled(not self.covered)
        self._update()

    def _refill(self) -> None:
        self.screen.covered = self.covered
        if self.screen.letter is not None:
            self.screen.show_letter(self.screen.letter)
        self.apply()

    def reveal(self) -> None:
        self.covered = False
        self._refill()
        # The first action of the letter, never its text (issue 10).
        first = self.screen.first_focus()
        if first is not None and first.isVisible():
            first.setFocus(Qt.FocusReason.OtherFocusReason)
        self.sig_revealed.emit(self.screen.letter)

    def cover(self) -> None:
        self.covered = True
        self._refill()
        self.reveal_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def screen_left(self) -> None:
        """The letter screen was left: the next letter starts covered."""
        if not self.covered:
            self.cover()

    def retranslate_ui(self) -> None:
        if self.covered:
            self.heading.setText(_("Deze brief is afgedekt"))
            self.text.setText(
                _(
                    "De bezoeker beslist wat de vrijwilliger ziet. "
                    "Wilt u de brief samen lezen? Druk dan op 'Laat zien'."
                )
            )
        else:
            self.heading.setText(_("U laat deze brief zien"))
            self.text.setText(_("Wilt u hem weer afdekken? Druk dan op 'Weer afdekken'."))
        self.reveal_button.setText(_("Laat zien"))
        self.reveal_button.setAccessibleName(_("Laat de brief zien"))
        self.cover_button.setText(_("Weer afdekken"))
        self.cover_button.setAccessibleName(_("De brief weer afdekken"))


class Highlight(QWidget):
    """A thick outline around one control, drawn on top of the window. Not a control itself."""

    WIDTH = 6

    def __init__(self, window: QWidget):
        super().__init__(window)
        self.setObjectName("guided_highlight")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.target: QWidget | None = None
        self._watched: list[QWidget] = []
        self._scroll_wanted = False
        self.window_ = window
        window.installEventFilter(self)
        self.hide()

    def point_at(self, target: QWidget | None) -> None:
        for widget in self._watched:
            widget.removeEventFilter(self)
        self._watched = []
        self._scroll_wanted = False
        self.target = target
        if target is not None:
            watched: QWidget | None = target
            while watched is not None and watched is not self.window_:
                watched.installEventFilter(self)
                self._watched.append(watched)
                watched = watched.parentWidget()
            target.destroyed.connect(self._target_gone)
        self.place()

    def _target_gone(self, *_args) -> None:
        self.target = None
        self._watched = []
        self.hide()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt API
        kind = event.type()
        if kind in (
            QEvent.Type.Move,
            QEvent.Type.Resize,
            QEvent.Type.Show,
            QEvent.Type.Hide,
            QEvent.Type.LayoutRequest,
        ):
            if self._scroll_wanted and kind != QEvent.Type.Move:
                # The layout settled: scroll again (never on a user's scroll).
                self._scroll_into_view()
            self.place()
        return False

    def place(self) -> None:
        target = self.target
        if target is None or not target.isVisibleTo(self.window_) or not self.window_.isVisible():
            self.hide()
            return
        m = self.WIDTH + 2
        rect = QRect(target.mapTo(self.window_, QPoint(0, 0)), target.size()).adjusted(-m, -m, m, m)
        # Only the part that shows: clip to every scroll area the target sits in.
        widget = target.parentWidget()
        while widget is not None and widget is not self.window_:
            outer = widget.parentWidget()
            if isinstance(outer, QAbstractScrollArea) and widget is outer.viewport():
                rect = rect.intersected(
                    QRect(widget.mapTo(self.window_, QPoint(0, 0)), widget.size())
                )
            widget = widget.parentWidget()
        if rect.width() <= 2 * m or rect.height() <= 2 * m:
            self.hide()
            return
        self.setGeometry(rect)
        self.show()
        self.raise_()

    def bring_into_view(self) -> None:
        """Scroll every scroll area around the target so that it shows (now, and once
        the layout of a screen just shown has settled)."""
        self._scroll_wanted = self.target is not None
        self._scroll_into_view()
        self.place()

    def _scroll_into_view(self) -> None:
        target = self.target
        widget = target.parentWidget() if target is not None else None
        while target is not None and widget is not None and widget is not self.window_:
            if isinstance(widget, QScrollArea):
                widget.ensureWidgetVisible(target, 24, 24)
            widget = widget.parentWidget()

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        outer = QPen(QColor(theme.colors()["focus"]), self.WIDTH)
        outer.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        painter.setPen(outer)
        half = self.WIDTH // 2
        painter.drawRect(self.rect().adjusted(half, half, -half - 1, -half - 1))
        painter.setPen(QPen(QColor("#ffffff"), 2))
        inner = self.WIDTH + 1
        painter.drawRect(self.rect().adjusted(inner, inner, -inner - 1, -inner - 1))
        painter.end()


__all__ = ["Highlight", "LetterCover", "TableCover"]
