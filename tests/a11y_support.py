"""Helpers for the accessibility tests: walk every screen, list controls, read pixels.

The walk goes through ``window.screens``, so a screen that a feature adds later
is held to the same rules without changing the tests. Pages inside a screen
(a QStackedWidget, QTabWidget or QWizard) are walked one by one as well.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QAccessible, QColor
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QScrollBar,
    QStackedWidget,
    QTabWidget,
    QTextEdit,
    QWidget,
    QWizard,
)

from ui.shell.theme import contrast_ratio
from ui.table.model import LetterTableModel

Role = QAccessible.Role

#: Roles a person operates; each needs a name a screen reader can say.
INTERACTIVE_ROLES = {
    Role.PushButton,
    Role.CheckBox,
    Role.RadioButton,
    Role.ComboBox,
    Role.EditableText,
    Role.SpinBox,
    Role.Slider,
    Role.Dial,
    Role.List,
    Role.ListItem,
    Role.Tree,
    Role.TreeItem,
    Role.Table,
    Role.Cell,
    Role.PageTab,
    Role.Link,
    Role.ButtonMenu,
    Role.ButtonDropDown,
    Role.ButtonDropGrid,
    Role.MenuItem,
    Role.HotkeyField,
}

#: Widgets a person types into; each needs a label as its buddy.
FIELD_TYPES = (QLineEdit, QAbstractSpinBox, QComboBox, QTextEdit, QPlainTextEdit)


def settle(qtbot=None) -> None:
    """Let layouts and style changes finish (no waiting on the clock)."""
    for _ in range(3):
        QApplication.processEvents()


def table_ids(window) -> list[str]:
    model = window.table_screen.model
    return [model.index(r).data(LetterTableModel.IdRole) for r in range(model.rowCount())]


def pages_of(screen: QWidget):
    """Yield once per page of every page container inside the screen (at least once)."""
    containers = [
        w
        for w in screen.findChildren(QWidget)
        if isinstance(w, (QStackedWidget, QTabWidget, QWizard)) and w.isVisibleTo(screen)
    ]
    yield None
    for container in containers:
        if isinstance(container, QWizard):
            # Walk forward through the pages a person can reach, then start again.
            container.restart()
            seen = {container.currentId()}
            while True:
                container.next()
                settle()
                if container.currentId() in seen or container.currentId() == -1:
                    break
                seen.add(container.currentId())
                yield container.currentId()
            container.restart()
            settle()
            continue
        current = container.currentIndex()
        for index in range(container.count()):
            if index == current:
                continue
            container.setCurrentIndex(index)
            settle()
            yield index
        container.setCurrentIndex(current)
        settle()


def show_each_screen(window):
    """Show every screen of the window in turn (the letter screen with a letter)."""
    for screen in list(window.build_all_screens()):
        window.go_home()
        if screen is window.letter_screen:
            window.open_letter(table_ids(window)[0])
        elif screen is window.help_screen:
            window.show_help()
        elif screen is not window.table_screen:
            window.show_screen(screen)
        settle()
        assert window.current_screen() is screen, f"could not show {type(screen).__name__}"
        for _page in pages_of(screen):
            yield screen


def screen_name(screen) -> str:
    return type(screen).__name__


# -- accessibility tree ----------------------------------------------------------
def accessible_nodes(widget: QWidget, max_depth: int = 60):
    """Every accessible object under the widget: (interface, depth)."""
    root = QAccessible.queryAccessibleInterface(widget)
    stack = [(root, 0)]
    while stack:
        iface, depth = stack.pop()
        if iface is None or not iface.isValid():
            continue
        yield iface
        if depth >= max_depth:
            continue
        for i in range(iface.childCount() - 1, -1, -1):
            stack.append((iface.child(i), depth + 1))


def unnamed_controls(window) -> list[str]:
    """Showing interactive objects without a name, as a screen reader meets them."""
    problems = []
    for iface in accessible_nodes(window):
        state = iface.state()
        if state.invisible or state.offscreen:
            continue
        if iface.role() in INTERACTIVE_ROLES and not iface.text(QAccessible.Text.Name).strip():
            obj = iface.object()
            where = obj.objectName() if obj is not None else "?"
            problems.append(
                f"{iface.role().name} {where!r} "
                f"(in {type(obj).__name__ if obj is not None else '?'})"
            )
    return problems


def focusable_widgets(root: QWidget, *, visible_only: bool = True) -> list[QWidget]:
    out = []
    for w in root.findChildren(QWidget):
        if not (w.focusPolicy() & Qt.FocusPolicy.TabFocus):
            continue
        if isinstance(w, QScrollArea) and not isinstance(w, QAbstractItemView):
            continue  # the scroll area itself passes focus to its content
        if visible_only and not w.isVisible():
            continue
        out.append(w)
    return out


def is_control(w: QWidget) -> bool:
    """Something a person clicks, types in or moves."""
    return isinstance(
        w,
        (
            QAbstractButton,
            QComboBox,
            QLineEdit,
            QAbstractSpinBox,
            QAbstractSlider,
            QAbstractItemView,
            QTextEdit,
            QPlainTextEdit,
        ),
    ) or bool(w.focusPolicy() & Qt.FocusPolicy.TabFocus and not isinstance(w, QAbstractScrollArea))


def window_rect(w: QWidget) -> QRect:
    top_left = w.mapTo(w.window(), QPoint(0, 0))
    return QRect(top_left, w.size())


def inside_scroll_area(w: QWidget) -> bool:
    parent = w.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def small_targets(window) -> list[tuple[str, int, int]]:
    """Showing controls (and list rows) smaller than 44 x 44 px."""
    from ui.shell.theme import MIN_TARGET_PX as MIN

    small = []
    for w in window.findChildren(QWidget):
        if not w.isVisible() or not w.isEnabled() and not isinstance(w, QAbstractButton):
            continue
        if isinstance(w, QScrollBar):
            thickness = w.width() if w.orientation() == Qt.Orientation.Vertical else w.height()
            if thickness < MIN:
                small.append(
                    (f"scroll bar in {type(w.parentWidget()).__name__}", thickness, thickness)
                )
            continue
        if isinstance(w, QAbstractItemView):
            model = w.model()
            if model is not None and model.rowCount() and hasattr(w, "visualRect"):
                for index in _top_and_children(model):
                    rect = w.visualRect(index)
                    if rect.isValid() and rect.height() and rect.height() < MIN:
                        small.append(
                            (
                                f"row {index.data()!r} in {w.objectName()}",
                                rect.width(),
                                rect.height(),
                            )
                        )
            continue
        if isinstance(w, QAbstractScrollArea) and not isinstance(w, (QTextEdit, QPlainTextEdit)):
            continue
        if not is_control(w) or isinstance(w, QLabel):
            continue
        if w.width() < MIN or w.height() < MIN:
            small.append((f"{type(w).__name__} {w.objectName()!r}", w.width(), w.height()))
    return small


def _top_and_children(model, parent=None, depth=0):
    from PySide6.QtCore import QModelIndex

    parent = parent or QModelIndex()
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        yield index
        if depth < 4 and model.rowCount(index) > 0:
            yield from _top_and_children(model, index, depth + 1)


def smallest_target(window) -> tuple[int, int]:
    """The smallest width and height among the showing controls."""
    sizes = []
    for w in window.findChildren(QWidget):
        if w.isVisible() and is_control(w) and not isinstance(w, (QLabel, QAbstractScrollArea)):
            sizes.append((w.width(), w.height()))
    return min(s[0] for s in sizes), min(s[1] for s in sizes)


# -- pixels ------------------------------------------------------------------------
def colors_in(image, rect: QRect) -> dict[str, int]:
    """Count the colours inside rect of a QImage: name -> pixels."""
    counts: dict[str, int] = {}
    rect = rect.intersected(image.rect())
    for y in range(rect.top(), rect.bottom() + 1):
        for x in range(rect.left(), rect.right() + 1):
            name = QColor(image.pixel(x, y)).name()
            counts[name] = counts.get(name, 0) + 1
    return counts


def best_contrast(image, rect: QRect, background: str) -> float:
    """The highest contrast of any pixel in rect against the background (the text's core)."""
    return max((contrast_ratio(c, background) for c in colors_in(image, rect)), default=1.0)
