"""Does a window fit? The measures of issue 10's "Done when", usable from any test.

``fit_problems(window)`` lists, in readable lines, what does not fit:

a. a scroll area that can scroll lies inside another one that can scroll;
b. an action (a shown, enabled button) lies outside the visible window, or is
   cut off by what it stands in; a button inside a scroll area's content may
   be scrolled away, but then the scroll area itself must be fully in sight.
   Buttons in ``action_bar`` or ``top_bar`` must always be fully in sight;
c. the top bar (the widget named ``top_bar``) takes more than one row;
d. the focused widget is out of view (outside a viewport it is in, or the window).

"Can scroll" is the scroll bar's range (``maximum() > 0``), never whether the bar
is shown: the app keeps its bars always on (a bar that comes and goes makes Qt's
accessibility bridge crash, ui/shell/widgets.py ``scrolling``).
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtWidgets import QAbstractButton, QAbstractScrollArea, QApplication, QWidget

#: widgets whose buttons must always be in full sight, scroll area or not
ALWAYS_SHOWN = ("action_bar", "top_bar")
#: a one-row bar is at most this many times as tall as its tallest child
ROW_FACTOR = 1.6


def describe(widget: QWidget) -> str:
    """A widget named for a reader: its object name, its class, and where it stands."""
    kind = type(widget).__name__
    name = widget.objectName()
    own = f"{kind} {name!r}" if name else kind
    text = getattr(widget, "text", None)
    if isinstance(widget, QAbstractButton) and callable(text) and text():
        own += f" ({text()!r})"
    parent = widget.parentWidget()
    while parent is not None and not parent.objectName():
        parent = parent.parentWidget()
    if parent is not None and not widget.isWindow():
        own += f" in {parent.objectName()}"
    return own


def settle(window: QWidget) -> None:
    """Let pending layouts and style changes finish, so sizes are real."""
    for _ in range(3):
        QApplication.processEvents()
    layout = window.layout()
    if layout is not None:
        layout.activate()
    QApplication.processEvents()


def rect_in(widget: QWidget, ancestor: QWidget) -> QRect:
    """The widget's own rect in the ancestor's coordinates."""
    return QRect(widget.mapTo(ancestor, QPoint(0, 0)), widget.size())


def visible_part(widget: QWidget, window: QWidget, room: QRect | None = None) -> QRect:
    """What is left of the widget in window coordinates once every ancestor up to
    the window (and the window itself) has cut off what lies outside its own rect,
    and the room on the screen (``room``, window coordinates) what lies outside it."""
    rect = rect_in(widget, window)
    parent = widget.parentWidget()
    while parent is not None:
        rect = rect.intersected(rect_in(parent, window))
        if parent is window:
            break
        parent = parent.parentWidget()
    return rect.intersected(room) if room is not None else rect


def can_scroll(area: QAbstractScrollArea) -> bool:
    return area.verticalScrollBar().maximum() > 0 or area.horizontalScrollBar().maximum() > 0


def scroll_areas_around(widget: QWidget, window: QWidget) -> list[QAbstractScrollArea]:
    """The scroll areas that widget stands in, innermost first (not widget itself)."""
    found = []
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if isinstance(parent, QAbstractScrollArea):
            found.append(parent)
        parent = parent.parentWidget()
    return found


def shown(widget: QWidget, window: QWidget) -> bool:
    return widget.isVisibleTo(window) and widget.isVisible()


def in_named(widget: QWidget, names: tuple[str, ...], window: QWidget) -> QWidget | None:
    """The nearest ancestor of widget (or widget itself) named one of names."""
    node: QWidget | None = widget
    while node is not None:
        if node.objectName() in names:
            return node
        if node is window:
            return None
        node = node.parentWidget()
    return None


def _whole(part: QRect, full: QRect) -> bool:
    return part.width() >= full.width() and part.height() >= full.height()


def _nested_scrolling(areas: list[QAbstractScrollArea], window: QWidget) -> list[str]:
    problems = []
    for area in areas:
        if not can_scroll(area):
            continue
        for outer in scroll_areas_around(area, window):
            if can_scroll(outer):
                problems.append(
                    f"scroll area {describe(area)} can scroll inside "
                    f"scroll area {describe(outer)}, which can scroll too"
                )
                break
    return problems


def _actions_in_sight(window: QWidget, room: QRect) -> list[str]:
    problems = []
    cut_areas: dict[int, tuple[QAbstractScrollArea, QRect, list[QAbstractButton]]] = {}
    for button in window.findChildren(QAbstractButton):
        if not shown(button, window) or not button.isEnabled():
            continue
        if button.width() <= 0 or button.height() <= 0:
            continue
        full = rect_in(button, window)
        bar = in_named(button, ALWAYS_SHOWN, window)
        areas = scroll_areas_around(button, window)
        if areas and bar is None:
            # May be scrolled away, but the outermost scroll area must be in sight.
            outer = areas[-1]
            if not shown(outer, window):
                continue
            part = visible_part(outer, window, room)
            if not _whole(part, rect_in(outer, window)):
                cut_areas.setdefault(id(outer), (outer, part, []))[2].append(button)
            continue
        part = visible_part(button, window, room)
        if not _whole(part, full):
            where = f" (in {bar.objectName()})" if bar is not None else ""
            problems.append(
                f"button {describe(button)}{where} is outside the visible window: "
                f"{_cut(part, full)}"
            )
    for outer, part, buttons in cut_areas.values():
        names = ", ".join(b.objectName() or type(b).__name__ for b in buttons)
        problems.append(
            f"scroll area {describe(outer)} is cut off ({_cut(part, rect_in(outer, window))}), "
            f"and with it its buttons {names}"
        )
    return problems


def _cut(part: QRect, full: QRect) -> str:
    if part.isEmpty():
        return f"none of its {full.width()}x{full.height()} px at {full.x()},{full.y()} is seen"
    return (
        f"{part.width()}x{part.height()} of {full.width()}x{full.height()} px seen "
        f"at {full.x()},{full.y()}"
    )


def _one_row(window: QWidget) -> list[str]:
    problems = []
    bars = [w for w in window.findChildren(QWidget, "top_bar") if shown(w, window)]
    if window.objectName() == "top_bar":
        bars.insert(0, window)
    for bar in bars:
        children = [
            c
            for c in bar.findChildren(QWidget, options=_direct())
            if shown(c, window) and c.height() > 0
        ]
        if not children:
            continue
        rows: list[tuple[int, int]] = []  # top, bottom of each band of overlapping children
        for child in sorted(children, key=lambda c: c.y()):
            top, bottom = child.y(), child.y() + child.height()
            if rows and top < rows[-1][1]:
                rows[-1] = (rows[-1][0], max(rows[-1][1], bottom))
            else:
                rows.append((top, bottom))
        if len(rows) > 1:
            problems.append(f"top bar {describe(bar)} takes {len(rows)} rows, not one")
        tallest = max(c.height() for c in children)
        layout = bar.layout()
        margins = layout.contentsMargins() if layout is not None else None
        own = bar.height() - (margins.top() + margins.bottom() if margins else 0)
        if own > ROW_FACTOR * tallest:
            problems.append(
                f"top bar {describe(bar)} is {own} px high (margins aside), more than "
                f"{ROW_FACTOR} x its tallest control ({tallest} px)"
            )
    return problems


def _direct():
    from PySide6.QtCore import Qt

    return Qt.FindChildOption.FindDirectChildrenOnly


def _in_sight(part: QRect, full: QRect, room: QRect) -> bool:
    """All of full is seen, or, where full is bigger than the room it is seen in,
    it fills that room (a tall text field cannot be seen whole)."""
    return part.width() >= min(full.width(), room.width()) and part.height() >= min(
        full.height(), room.height()
    )


def _focus_in_view(window: QWidget, room: QRect) -> list[str]:
    focus = QApplication.focusWidget()
    if focus is None or not (focus is window or window.isAncestorOf(focus)):
        return []
    if not shown(focus, window):
        return [f"the focus is on {describe(focus)}, which is hidden"]
    problems = []
    full = rect_in(focus, window)
    for area in scroll_areas_around(focus, window):
        seen = rect_in(area.viewport(), window)
        if not _in_sight(seen.intersected(full), full, seen):
            problems.append(
                f"the focused {describe(focus)} is out of view in scroll area "
                f"{describe(area)}: {_cut(seen.intersected(full), full)}"
            )
    part = visible_part(focus, window, room)
    if not problems and not _in_sight(part, full, room):
        problems.append(
            f"the focused {describe(focus)} is outside the visible window: {_cut(part, full)}"
        )
    return problems


def fit_problems(window: QWidget, room: QRect | None = None) -> list[str]:
    """Everything in the shown window that does not fit, one readable line each;
    empty when it fits. Hidden widgets (and hidden pages of a stack) are skipped.

    ``room`` is the part of the window a person can see (window coordinates); by
    default all of it. A window that cannot be made as small as the screen is
    measured against the screen's room, not against its own size.
    """
    settle(window)
    room = window.rect() if room is None else room.intersected(window.rect())
    areas = [a for a in window.findChildren(QAbstractScrollArea) if shown(a, window)]
    return (
        _nested_scrolling(areas, window)
        + _actions_in_sight(window, room)
        + _one_row(window)
        + _focus_in_view(window, room)
    )


#: the laptop client areas every screen must fit (issue 10)
LAPTOPS = (QSize(1366, 700), QSize(1280, 652))


def fit_problems_at(window: QWidget, where: str, sizes=LAPTOPS) -> list[str]:
    """:func:`fit_problems` with the window resized to each size in turn, each
    line led by ``where`` and the size; what lies beyond the size is out of sight."""
    problems: list[str] = []
    for size in sizes:
        window.resize(size)
        settle(window)
        room = QRect(QPoint(0, 0), size)
        at = f"{size.width()}x{size.height()}"
        problems.extend(f"{where} | {at} | {p}" for p in fit_problems(window, room))
    return problems
