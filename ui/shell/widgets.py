"""Small building blocks shared by all screens."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:  # not made before the first frame: QScrollBar and QAbstractSlider
    # with its enums, 4.5 ms (the table's scroll bar is Qt's own; issue 14)
    from PySide6.QtWidgets import QScrollBar

ActionT = TypeVar("ActionT", bound=QWidget)


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


def scrolling(content: QWidget, area_class: type[QScrollArea] = QScrollArea) -> QScrollArea:
    """Vertical scrolling only: nothing ever needs horizontal scrolling."""
    area = area_class()
    area.setWidgetResizable(True)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    # Always on: a scroll area's accessible child count includes its scroll bar only
    # while it is visible, and Qt's QAccessibleAbstractScrollArea::child() does not
    # check the index. A screen reader that asks for the last child right after the
    # bar hid makes the app crash (tests/a11y/test_a11y_atspi.py).
    area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(content)
    quiet_when_idle(area.verticalScrollBar())
    # A page that was just shown, or just grew, has its widgets in their places
    # only once its layout settled, which changes the scroll range: the focused
    # control is brought into view again then (the window does it on each focus
    # change too).
    area.verticalScrollBar().rangeChanged.connect(lambda _low, _high: focus_in_view(area))
    return area


def _one_line(widget: QWidget) -> bool:
    """A one-line field, shown whole when it has the focus (see :func:`show_in_area`).
    The spin box and combo box classes are looked up here, not at import: PySide
    makes a class's enums with it, before the first frame (issue 14)."""
    from PySide6.QtWidgets import QAbstractSpinBox, QComboBox

    return isinstance(widget, (QLineEdit, QAbstractSpinBox, QComboBox))


def show_in_area(area: QScrollArea, widget: QWidget, margin: int = 8) -> None:
    """Scroll ``area`` so that ``widget`` (inside its content) is in sight.

    Qt's ensureWidgetVisible brings a text field into view only as far as its
    text cursor, so the lower edge of a focused field could stay below the fold:
    a one-line field is shown whole. A long text keeps Qt's way (its cursor)."""
    content = area.widget()
    if content is not None and _one_line(widget):
        middle = widget.mapTo(content, widget.rect().center())
        area.ensureVisible(middle.x(), middle.y(), margin, widget.height() // 2 + margin)
    else:
        area.ensureWidgetVisible(widget, margin, margin)


def focus_in_view(area: QScrollArea) -> None:
    """Scroll ``area`` so that the focused widget inside it is in sight."""
    focus = QApplication.focusWidget()
    content = area.widget()
    if focus is not None and content is not None and content.isAncestorOf(focus):
        show_in_area(area, focus)


def quiet_when_idle(bar: QScrollBar) -> None:
    """A scroll bar with nothing to scroll looks like empty space (the theme draws
    ``idle`` bars without border or handle). It stays in place, for the reason
    in :func:`scrolling`; only its look follows whether there is anything to scroll.
    An idle horizontal bar is only 2 px high (the theme): under a page shown to
    the width of its area (the original of a paper letter) it left an empty band
    of a button's height, 45 px at 200 % text. Its height never changes the
    area's width, so a page fitted to the width stays as it is."""

    def follow(_minimum: int, maximum: int) -> None:
        idle = maximum <= 0
        if bar.property("idle") != idle:
            bar.setProperty("idle", idle)
            bar.style().unpolish(bar)
            bar.style().polish(bar)

    bar.rangeChanged.connect(follow)
    follow(bar.minimum(), bar.maximum())


def reading_order(root: QWidget) -> list[QWidget]:
    """The shown widgets under root that take Tab focus, in layout order.

    Layout order is reading order: top to bottom, and along each row (a
    FlowLayout mirrors itself for right-to-left languages). A scrolling area
    comes before its content. Widgets outside any layout come after, in the order
    they were made.
    """
    found: list[QWidget] = []

    def visit_widget(widget: QWidget) -> None:
        if widget is not root and (widget.isHidden() or widget.isWindow()):
            return
        takes_tab = bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)
        if widget is not root and takes_tab and widget.focusProxy() is None:
            found.append(widget)
        if isinstance(widget, QScrollArea):
            content = widget.widget()
            if content is not None:
                visit_widget(content)
            return
        if takes_tab and widget is not root:
            return  # a control: its inner parts are its own business
        if isinstance(widget, QStackedWidget):
            # its pages, in their order: they are all its widgets. Neither its
            # layout nor its children are asked for: PySide would make
            # QStackedLayout with its enums (0.5 ms before the first frame, issue 14)
            for i in range(widget.count()):
                page = widget.widget(i)
                if page is not None:
                    visit_widget(page)
            return
        seen: set[int] = set()
        own = widget.layout()
        if own is not None:
            visit_layout(own, seen)
        for child in widget.findChildren(
            QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly
        ):
            if id(child) not in seen:
                visit_widget(child)

    def visit_layout(layout: QLayout, seen: set[int]) -> None:
        for i in range(layout.count()):
            item = layout.itemAt(i)
            if item is None:
                continue
            child, inner = item.widget(), item.layout()
            if child is not None:
                seen.add(id(child))
                visit_widget(child)
            elif inner is not None:
                visit_layout(inner, seen)

    visit_widget(root)
    return found


def set_tab_order(widgets: list[QWidget]) -> None:
    """Make Tab go through the widgets in this order."""
    for first, second in zip(widgets, widgets[1:], strict=False):
        QWidget.setTabOrder(first, second)


class Screen(QWidget):
    """One screen of the main window, in the calm frame every screen shares:

    * ``self.page`` holds the content (``self.layout_``). Unless the screen sets
      :attr:`scrolls_itself`, the page lies in the screen's one scroll area,
      ``self.page_area``: at 200 % text the page scrolls down, never sideways, and
      nothing inside it scrolls on its own (long text grows inside the page).
    * ``self.action_bar`` below it holds the screen's actions (``self.actions_``,
      or :meth:`add_action`). It never scrolls away: what the person must press is
      always in sight.

    Subclasses set their texts in :meth:`retranslate_ui` (called on a language
    change) and update their content in :meth:`refresh` (called when shown).
    """

    #: True for a screen whose page holds its own scrolling view (the table's list
    #: of cards): the page then fits the height of the window and is not wrapped in
    #: a scroll area, so there is still only one.
    scrolls_itself = False

    def __init__(self, window, parent: QWidget | None = None):
        super().__init__(parent)
        # Found by name in tests and in the guided mode: TableScreen -> "table_screen".
        self.setObjectName(re.sub(r"(?<!^)(?=[A-Z])", "_", type(self).__name__).lower())
        self.window_ = window
        frame = QVBoxLayout(self)
        frame.setContentsMargins(0, 0, 0, 0)
        frame.setSpacing(0)
        self.page = QWidget()
        self.page.setObjectName("page")
        self.layout_ = QVBoxLayout(self.page)
        self.layout_.setContentsMargins(24, 16, 24, 16)
        self.layout_.setSpacing(14)
        self.page_area: QScrollArea | None = None
        if self.scrolls_itself:
            frame.addWidget(self.page, 1)
        else:
            self.page_area = scrolling(self.page)
            self.page_area.setObjectName("page_area")
            self.page_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            frame.addWidget(self.page_area, 1)
        self.action_bar = QFrame()
        self.action_bar.setObjectName("action_bar")
        self.action_bar.setProperty("role", "action_bar")
        self.actions_ = FlowLayout(self.action_bar)
        self.actions_.setContentsMargins(16, 8, 16, 8)
        self.action_bar.hide()  # shown once it holds an action
        frame.addWidget(self.action_bar)

    def open_at_top(self) -> None:
        """Show the page from its heading. Called by the window each time the screen
        is shown: the focus passing through a control low on the page (as the stack
        changes screens) would leave it scrolled down, and a first focus in the fixed
        bar never scrolls it back."""
        if self.page_area is not None:
            self.page_area.verticalScrollBar().setValue(0)

    def add_action(self, widget: ActionT, *, at_end: bool = False) -> ActionT:
        """Put an action in the fixed bar at the bottom; ``at_end`` puts it (and
        every action added after it) at the far end of the row."""
        if at_end and self.actions_._stretch_at is None:
            self.actions_.addStretch(1)
        self.actions_.addWidget(widget)
        self.action_bar.show()
        return widget

    @property
    def session(self):
        return self.window_.session

    def settle_focus(self) -> None:
        """After content came from the background: when this screen is on view
        and the focus is not in it yet, put the focus where :meth:`first_focus` says."""
        if self.window_.current_screen() is not self:
            return
        focus = QApplication.focusWidget()
        if focus is not None and (focus is self or self.isAncestorOf(focus)):
            return
        target = self.first_focus()
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def run(self, work, on_done=None, **options):
        """Mailbox work in the background (ui/shell/tasks.py); answers come to
        this screen on the GUI thread, and not at all once it is gone."""
        return self.window_.tasks.run(work, on_done, owner=self, **options)

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

    def read_aloud_text(self) -> str:
        """The main text of this screen for 'Voorlezen': by default every shown label."""
        texts = [w.text() for w in self.findChildren(QLabel) if w.isVisibleTo(self) and w.text()]
        return "\n".join(texts) or self.title()


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
        # heightForWidth per width, until the layout is invalidated (a child shown,
        # hidden, retexted or restyled; spacing or margins changed), as QBoxLayout
        # keeps its own: Qt asks the same width many times in one layout pass.
        self._heights: dict[int, int] = {}
        self.setSpacing(spacing)
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item) -> None:  # noqa: N802 - Qt API
        self._items.append(item)
        self.invalidate()

    def invalidate(self) -> None:
        self._heights = {}
        super().invalidate()

    def addStretch(self, _stretch: int = 1) -> None:  # noqa: N802 - mirrors QBoxLayout
        self._stretch_at = len(self._items)
        self.invalidate()

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int):  # noqa: N802 - Qt API
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int):  # noqa: N802 - Qt API
        if 0 <= index < len(self._items):
            if self._stretch_at is not None and index < self._stretch_at:
                self._stretch_at -= 1
            self.invalidate()
            return self._items.pop(index)
        return None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 - Qt API
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt API
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt API
        height = self._heights.get(width)
        if height is None:
            height = self._heights[width] = self._arrange(QRect(0, 0, width, 0), apply=False)
        return height

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

    def _rows(self, width: int) -> list[list[tuple[object, int, int]]]:
        """The shown items in rows, each as (item, width, height) of its size hint:
        each hint asked once per arrangement, not four times (issue 14)."""
        rows: list[list[tuple[object, int, int]]] = [[]]
        used = 0
        spacing = self.spacing()
        for item in self._visible():
            hint = item.sizeHint()
            w = hint.width()
            if rows[-1] and used + spacing + w > width:
                rows.append([])
                used = 0
            used += (spacing if rows[-1] else 0) + w
            rows[-1].append((item, w, hint.height()))
        return rows

    def _arrange(self, rect: QRect, apply: bool) -> int:
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        parent = self.parentWidget()
        rtl = parent is not None and parent.isRightToLeft()
        stretch_item = (
            self._items[self._stretch_at]
            if self._stretch_at is not None and self._stretch_at < len(self._items)
            else None
        )
        spacing = self.spacing()
        left_x, top_y, room = area.x(), area.y(), area.width()
        y = top_y
        for row in self._rows(room):
            height = max((h for _i, _w, h in row), default=0)
            total = sum(w for _i, w, _h in row) + spacing * max(0, len(row) - 1)
            gap = room - total
            x = 0
            for item, w, h in row:
                if item is stretch_item and gap > 0:
                    x += gap
                if apply:
                    left = left_x + (room - x - w if rtl else x)
                    item.setGeometry(QRect(left, y + (height - h) // 2, w, h))  # type: ignore[attr-defined]
                x += w + spacing
            y += height + spacing
        return y - spacing - rect.y() + margins.bottom()


class ScreenStack(QStackedWidget):
    """A stack whose size is that of the screen shown, not of the tallest screen.

    QStackedWidget sizes itself for its largest page. And it is never
    height-for-width: the window does not scroll, so a screen that would like
    more height than the window has (a wrapped action bar at 200 %) must not make
    the window taller than its screen; the screen's page scrolls instead.
    """

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.currentChanged.connect(lambda _i: self.updateGeometry())

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        current = self.currentWidget()
        return current.sizeHint() if current is not None else super().sizeHint()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        current = self.currentWidget()
        return current.minimumSizeHint() if current is not None else super().minimumSizeHint()

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt API
        return False
