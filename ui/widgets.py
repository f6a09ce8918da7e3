"""Small building blocks shared by all screens."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtWidgets import (QFrame, QLabel, QLayout, QPushButton, QScrollArea, QSizePolicy,
                               QVBoxLayout, QWidget)


def label(text: str = "", role: str | None = None, *, name: str | None = None) -> QLabel:
    """A wrapped plain-text label. Sender text is never interpreted as rich text."""
    widget = QLabel(text)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    widget.setWordWrap(True)
    widget.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    if role:
        widget.setProperty("role", role)
    if name:
        widget.setObjectName(name)
    return widget


def button(text: str, *, name: str, secondary: bool = False) -> QPushButton:
    widget = QPushButton(text)
    widget.setObjectName(name)
    widget.setAutoDefault(False)
    widget.setDefault(False)
    if secondary:
        widget.setProperty("role", "secondary")
    return widget


def box() -> QFrame:
    frame = QFrame()
    frame.setProperty("role", "box")
    return frame


def scrolling(content: QWidget) -> QScrollArea:
    """Vertical scrolling only: nothing ever needs horizontal scrolling."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(content)
    return area


class Screen(QWidget):
    """One screen of the main window.

    Subclasses set their texts in :meth:`retranslate_ui` (called on a language
    change) and update their content in :meth:`refresh` (called when shown).
    """

    def __init__(self, window, parent: QWidget | None = None):
        super().__init__(parent)
        self.window_ = window
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(24, 16, 24, 16)
        self.layout_.setSpacing(14)

    @property
    def session(self):
        return self.window_.session

    def title(self) -> str:
        raise NotImplementedError

    def help_text(self) -> str:
        return ""

    def retranslate_ui(self) -> None:
        """Set every text of this screen in the current language."""

    def refresh(self) -> None:
        """Bring the content up to date; called each time the screen is shown."""

    def first_focus(self) -> QWidget | None:
        return None


class FlowLayout(QLayout):
    """Lays widgets in a row and wraps to the next line when the row is full.

    Used for button rows, so that at 200 % text nothing is cut off and nothing
    needs horizontal scrolling. Follows the layout direction (right to left for
    Arabic). A stretch can be asked for with :meth:`addStretch`: the items after
    it go to the far end of the row when they fit.
    """

    def __init__(self, parent: QWidget | None = None, spacing: int = 10):
        super().__init__(parent)
        self._items: list = []
        self._stretch_at: int | None = None
        self.setSpacing(spacing)
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item) -> None:  # noqa: N802 - Qt API
        self._items.append(item)

    def addStretch(self, _stretch: int = 1) -> None:  # noqa: N802 - mirrors QBoxLayout
        self._stretch_at = len(self._items)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int):  # noqa: N802 - Qt API
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int):  # noqa: N802 - Qt API
        if 0 <= index < len(self._items):
            if self._stretch_at is not None and index < self._stretch_at:
                self._stretch_at -= 1
            return self._items.pop(index)
        return None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 - Qt API
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt API
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt API
        return self._arrange(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 - Qt API
        super().setGeometry(rect)
        self._arrange(rect, apply=True)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return self.minimumSize()

    def minimumSize(self) -> QSize:  # noqa: N802 - Qt API
        size = QSize()
        for item in self._visible():
            size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def _visible(self):
        return [i for i in self._items if not (i.widget() and i.widget().isHidden())]

    def _rows(self, width: int) -> list[list]:
        rows: list[list] = [[]]
        used = 0
        for item in self._visible():
            w = item.sizeHint().width()
            if rows[-1] and used + self.spacing() + w > width:
                rows.append([])
                used = 0
            used += (self.spacing() if rows[-1] else 0) + w
            rows[-1].append(item)
        return rows

    def _arrange(self, rect: QRect, apply: bool) -> int:
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        rtl = self.parentWidget() is not None and self.parentWidget().isRightToLeft()
        stretch_item = (self._items[self._stretch_at]
                        if self._stretch_at is not None and self._stretch_at < len(self._items)
                        else None)
        y = area.y()
        for row in self._rows(area.width()):
            height = max((i.sizeHint().height() for i in row), default=0)
            total = sum(i.sizeHint().width() for i in row) + self.spacing() * max(0, len(row) - 1)
            gap = area.width() - total
            x = 0
            for item in row:
                if item is stretch_item and gap > 0:
                    x += gap
                hint = item.sizeHint()
                if apply:
                    left = area.x() + (area.width() - x - hint.width() if rtl else x)
                    item.setGeometry(QRect(left, y + (height - hint.height()) // 2,
                                           hint.width(), hint.height()))
                x += hint.width() + self.spacing()
            y += height + self.spacing()
        return y - self.spacing() - rect.y() + margins.bottom()
