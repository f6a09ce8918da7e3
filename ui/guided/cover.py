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
from PySide6.QtWidgets import QAbstractScrollArea, QScrollArea, QVBoxLayout, QWidget

from app.i18n import gettext as _
from ui.shell import theme
from ui.shell.widgets import FlowLayout, box, button, label


class _Cover(QObject):
    """A box in a screen's layout: covered (message + "Laat zien") or shown ("Weer afdekken")."""

    sig_revealed = Signal(object)

    def __init__(self, screen, *, index: int, name: str):
        super().__init__(screen)
        self.screen = screen
        self.covered = True
        self.box = box()
        self.box.setObjectName(f"guided_{name}_cover")
        layout = QVBoxLayout(self.box)
        self.heading = label(role="title", name=f"guided_{name}_cover_title")
        self.text = label(name=f"guided_{name}_cover_text")
        layout.addWidget(self.heading)
        layout.addWidget(self.text)
        row = FlowLayout()
        self.reveal_button = button("", name=f"guided_reveal_{name}")
        self.cover_button = button("", name=f"guided_cover_{name}", secondary=True)
        row.addWidget(self.reveal_button)
        row.addWidget(self.cover_button)
        layout.addLayout(row)
        # While covered the box takes the room of what it covers, its content at the top.
        screen.layout_.insertWidget(index, self.box, 0, Qt.AlignmentFlag.AlignTop)
        self.reveal_button.clicked.connect(self.reveal)
        self.cover_button.clicked.connect(self.cover)

    def _update(self) -> None:
        self.screen.layout_.setStretchFactor(self.box, 1 if self.covered else 0)
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


class TableCover(_Cover):
    def __init__(self, table_screen):
        super().__init__(
            table_screen, index=table_screen.layout_.indexOf(table_screen.view), name="table"
        )
        self.apply()

    def apply(self) -> None:
        view = self.screen.view
        view.setVisible(not self.covered)
        view.setEnabled(not self.covered)
        self._update()

    def reveal(self) -> None:
        self.covered = False
        self.apply()
        self.screen.view.setFocus(Qt.FocusReason.OtherFocusReason)
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
    """Covers the letter screen. Leaving the letter screen covers again."""

    def __init__(self, letter_screen):
        super().__init__(letter_screen, index=0, name="letter")
        self.scroll = letter_screen.findChild(QScrollArea)
        letter_screen.covered = True
        self.apply()

    def apply(self) -> None:
        screen = self.screen
        for widget in (self.scroll, screen.print_button):
            widget.setVisible(not self.covered)
            widget.setEnabled(not self.covered)
        if self.covered:  # put away or lay back only what the visitor has seen
            screen.put_away_button.hide()
            screen.lay_back_button.hide()
        self._update()

    def _refill(self) -> None:
        self.screen.covered = self.covered
        if self.screen.letter is not None:
            self.screen.show_letter(self.screen.letter)
        self.apply()

    def reveal(self) -> None:
        self.covered = False
        self._refill()
        self.screen.paper.setFocus(Qt.FocusReason.OtherFocusReason)
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
