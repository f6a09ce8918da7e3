"""Building blocks of the activation screens: a check whose text wraps, and one
organisation as one large row with its name, what it sends, and a switch."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter, QPalette, QPen
from PySide6.QtWidgets import (QCheckBox, QFrame, QHBoxLayout, QLabel, QScrollArea, QStyle,
                               QStyleOptionButton, QVBoxLayout, QWidget)

from app.i18n import gettext as _
from app.model import Organisation
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
    return scrolling(content, InnerScrollArea)


def readable(widget: QLabel) -> QLabel:
    """Let a text take keyboard focus, with a visible focus frame, so a screen
    reader reads it first and Tab starts from it."""
    widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard
                                   | Qt.TextInteractionFlag.TextSelectableByMouse)
    widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    widget.setProperty("readable", True)   # ui/shell/theme.py draws the focus frame in both themes
    return widget


class _ClickThroughRow:
    """A click anywhere on the row is a click on its check (``self.check``)."""

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 - Qt API
        if event.button() == Qt.MouseButton.LeftButton and self.check.isEnabled():
            self.check.click()
            self.check.setFocus(Qt.FocusReason.MouseFocusReason)
            event.accept()
            return
        super().mouseReleaseEvent(event)


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


class WrappingCheck(_ClickThroughRow, QWidget):
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



class OrganisationRow(_ClickThroughRow, QFrame):
    """A whole-row-clickable block: a check with the organisation's name, a plain
    description of what it sends, and a line for what a change means.

    The organisation fixed by law shows a check that is on and cannot be
    changed, with the reason and the paper route under it.
    """

    def __init__(self, org: Organisation, parent=None):
        super().__init__(parent)
        self.org = org
        self.setProperty("role", "box")
        self.setObjectName(f"org_row_{org.id}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(4)
        self.header = WrappingCheck(f"org_check_{org.id}", bold=True)
        self.check = self.header.check
        self.sends = label(name=f"org_sends_{org.id}")
        self.note = label(name=f"org_note_{org.id}")
        self.note.setProperty("role", "factname")
        self.result = label(role="notice", name=f"org_result_{org.id}")
        self.result.hide()
        layout.addWidget(self.header)
        under = QVBoxLayout()
        under.setContentsMargins(62, 0, 0, 0)     # under the name, not under the box
        under.setSpacing(4)
        for widget in (self.sends, self.note, self.result):
            under.addWidget(widget)
        layout.addLayout(under)
        if org.fixed_by_law:
            self.check.setChecked(True)
            self.check.setEnabled(False)
        else:
            self.note.hide()
        self.retranslate_ui()

    def retranslate_ui(self, phone: str = "") -> None:
        org = self.org
        self.header.set_text(org.name, _("Digitale post van %(org)s") % {"org": org.name})
        self.sends.setText(org.sends)
        self.check.setAccessibleDescription(
            f"{org.sends} {self.result.text()}".strip() if self.result.isVisibleTo(self)
            else org.sends)
        if org.fixed_by_law:
            self.note.setText(_(
                "Post van %(org)s komt altijd digitaal. Dat staat in de wet. "
                "Wilt u toch papier? Bel dan %(phone)s.") % {
                "org": org.name, "phone": phone or org.phone})

    def set_result(self, text: str) -> None:
        """Show what the last change means; the check's description says it too."""
        self.result.setText(text)
        self.result.setVisible(bool(text))
        self.check.setAccessibleDescription(f"{self.org.sends} {text}".strip())

