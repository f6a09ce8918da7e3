"""Accessible building blocks any screen can use: a text a screen reader reads
first, a scroll area that keeps a screen's buttons in view, and check boxes
that are easy to see and easy to hit (the whole row clicks, the text wraps)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QStyle,
    QStyleOptionButton,
    QWidget,
)

from ui.shell import theme
from ui.shell.widgets import label, scrolling


class InnerScrollArea(QScrollArea):
    """Scrolls a screen's content while its buttons stay in view below it.

    It asks for little height, so the screen fits the window's own scrolling
    area without a second scroll bar; the layout stretches it to fill."""

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(super().sizeHint().width(), 4 * theme.MIN_TARGET_PX)


def inner_scrolling(content: QWidget) -> InnerScrollArea:
    """Like ui.shell.widgets.scrolling: vertical only, never sideways."""
    area = scrolling(content, InnerScrollArea)
    assert isinstance(area, InnerScrollArea)
    return area


def readable(widget: QLabel) -> QLabel:
    """Let a text take keyboard focus, with a visible focus frame, so a screen
    reader reads it first and Tab starts from it."""
    widget.setTextInteractionFlags(
        Qt.TextInteractionFlag.TextSelectableByKeyboard
        | Qt.TextInteractionFlag.TextSelectableByMouse
    )
    widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    widget.setProperty("readable", True)  # ui/shell/theme.py draws the focus frame in both themes
    return widget


class ClickThroughRow:
    """A click anywhere on the row is a click on its check (``self.check``).

    Mixed in before a QWidget subclass (not a QWidget itself: two Qt bases in one
    class crash PySide6); the row sets ``self.check``."""

    check: QAbstractButton

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 - Qt API
        if event.button() == Qt.MouseButton.LeftButton and self.check.isEnabled():
            self.check.click()
            self.check.setFocus(Qt.FocusReason.MouseFocusReason)
            event.accept()
            return
        super().mouseReleaseEvent(event)  # type: ignore[misc]  # the QWidget after us


class VisibleCheckBox(QCheckBox):
    """A check box whose empty box is always clearly visible: a dark frame in
    the text colour is drawn around the indicator (the style's own frame is
    too faint on a white card)."""

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().paintEvent(event)
        option = QStyleOptionButton()
        self.initStyleOption(option)
        box = self.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, self)
        painter = QPainter(self)
        pen = QPen(self.palette().color(QPalette.ColorRole.WindowText))
        pen.setWidth(2)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(box.adjusted(1, 1, -1, -1))
        painter.end()


class WrappingCheck(ClickThroughRow, QWidget):
    """A check box with a text that wraps (a QCheckBox's own text never wraps,
    so at 200 % a long one would be cut off). Clicking the text clicks the
    check; the check carries the text as its accessible name."""

    def __init__(self, name: str, *, bold: bool = False, parent=None):
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        self.check = VisibleCheckBox()
        self.check.setObjectName(name)
        self.text = label(name=f"{name}_text")
        if bold:
            self.text.setProperty("role", "factname")
        layout.addWidget(self.check, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.text, 1)

    def set_text(self, text: str, accessible_name: str | None = None) -> None:
        self.text.setText(text)
        self.check.setAccessibleName(accessible_name or text)
