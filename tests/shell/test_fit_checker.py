"""The fit checker (tests/fit.py) catches each thing issue 10 names, on purpose-built
bad screens, and says nothing about a screen that fits.

Each screen here is a small real Qt window, shown offscreen at a fixed size.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from fit import fit_problems
from ui.shell.widgets import FlowLayout

#: the font of a fresh QApplication on the offscreen platform
PLAIN_FONT = QFont("Sans Serif", 9)


@pytest.fixture(autouse=True)
def plain_qt(qapp):
    """The sizes below are Qt's own, without our theme: an earlier test in this
    worker may have left the application styled at 200 %."""
    sheet, font = qapp.styleSheet(), qapp.font()
    qapp.setStyleSheet("")
    qapp.setFont(PLAIN_FONT)
    yield
    qapp.setFont(font)
    qapp.setStyleSheet(sheet)


pytestmark = pytest.mark.gui

LONG_TEXT = "\n".join(f"Regel {i} van een lange brief." for i in range(200))


def show(qtbot, window: QWidget, width: int, height: int) -> QWidget:
    qtbot.addWidget(window)
    window.resize(width, height)
    window.show()
    qtbot.waitExposed(window)
    with qtbot.waitActive(window):
        window.activateWindow()
    # The focus starts on the window itself (in view), unless a test moves it.
    window.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    window.setFocus(Qt.FocusReason.OtherFocusReason)
    return window


def tall_page(*widgets: QWidget) -> QWidget:
    """A page taller than any window here: a long label, then the widgets."""
    page = QWidget()
    layout = QVBoxLayout(page)
    filler = QLabel("Een lange pagina.")
    filler.setMinimumHeight(900)
    layout.addWidget(filler)
    for w in widgets:
        layout.addWidget(w)
    return page


def scroll(content: QWidget, name: str) -> QScrollArea:
    area = QScrollArea()
    area.setObjectName(name)
    area.setWidgetResizable(True)
    area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
    area.setWidget(content)
    return area


def good_screen() -> tuple[QWidget, QPushButton]:
    """A top bar of one row, one scrolling page, a fixed action bar; focus in sight."""
    window = QWidget()
    window.setObjectName("good_window")
    outer = QVBoxLayout(window)
    top = QWidget()
    top.setObjectName("top_bar")
    row = QHBoxLayout(top)
    for text in ("Tafel", "Terug", "Hulp"):
        row.addWidget(QPushButton(text))
    row.addStretch(1)
    outer.addWidget(top)
    text = QPlainTextEdit(LONG_TEXT)  # grows inside the page: it does not scroll itself
    text.setObjectName("letter_text")
    text.setMinimumHeight(3000)
    page_button = QPushButton("Meer lezen")  # scrolled away, but its page is in sight
    page_button.setObjectName("page_button")
    outer.addWidget(scroll(tall_page(text, page_button), "page_area"), 1)
    bar = QFrame()
    bar.setObjectName("action_bar")
    actions = QHBoxLayout(bar)
    done = QPushButton("Klaar")
    done.setObjectName("done")
    actions.addWidget(done)
    actions.addWidget(QPushButton("Printen"))
    outer.addWidget(bar)
    return window, done


def test_a_screen_that_fits_has_no_problems(qtbot):
    window, done = good_screen()
    show(qtbot, window, 600, 400)
    done.setFocus()
    page = window.findChild(QScrollArea, "page_area")
    assert page.verticalScrollBar().maximum() > 0  # the page does scroll: that is fine
    assert fit_problems(window) == []


def test_a_scroll_area_that_scrolls_inside_one_that_scrolls_is_caught(qtbot):
    window = QWidget()
    layout = QVBoxLayout(window)
    inner = QPlainTextEdit(LONG_TEXT)
    inner.setObjectName("letter_text")
    inner.setFixedHeight(150)
    layout.addWidget(scroll(tall_page(inner), "page_area"))
    show(qtbot, window, 500, 300)
    problems = fit_problems(window)
    assert len(problems) == 1, problems
    assert "'letter_text'" in problems[0] and "'page_area'" in problems[0]


def test_a_short_text_field_inside_a_scrolling_page_is_no_problem(qtbot):
    window = QWidget()
    layout = QVBoxLayout(window)
    inner = QPlainTextEdit("Twee regels.\nMeer niet.")
    inner.setFixedHeight(150)
    layout.addWidget(scroll(tall_page(inner), "page_area"))
    show(qtbot, window, 500, 300)
    assert fit_problems(window) == []


def test_a_button_below_the_window_is_caught(qtbot):
    window = QWidget()
    layout = QVBoxLayout(window)
    layout.addWidget(QLabel("Bovenaan"))
    cut = QPushButton("Klaar, opbergen", window)  # outside the layout: pushed down
    cut.setObjectName("put_away")
    gone = QPushButton("Terug", window)
    gone.setObjectName("back")
    hidden = QPushButton("Verborgen", window)
    show(qtbot, window, 400, 200)
    window.setFixedSize(400, 200)
    cut.setGeometry(10, 180, 200, 50)  # 20 of its 50 px are in the window
    gone.setGeometry(10, 260, 200, 50)  # not at all in the window
    hidden.setGeometry(10, 400, 200, 50)
    hidden.hide()  # a hidden button is not an action on view
    problems = fit_problems(window)
    assert len(problems) == 2, problems
    assert "'put_away'" in problems[0] and "200x20 of 200x50" in problems[0]
    assert "'back'" in problems[1] and "none of its" in problems[1]


def test_a_button_cut_off_by_the_widget_it_stands_in_is_caught(qtbot):
    window = QWidget()
    layout = QVBoxLayout(window)
    holder = QFrame()
    holder.setObjectName("holder")
    holder.setFixedHeight(40)
    layout.addWidget(holder)
    layout.addStretch(1)
    inside = QPushButton("Ja", holder)
    inside.setObjectName("yes")
    inside.setGeometry(0, 20, 100, 50)  # in the window, but the holder cuts it off
    show(qtbot, window, 400, 300)
    problems = fit_problems(window)
    assert len(problems) == 1 and "'yes'" in problems[0], problems


def test_an_action_bar_in_a_scrolling_page_is_caught(qtbot):
    """Buttons of a scrolling page may be scrolled away; the action bar's may not."""
    window = QWidget()
    layout = QVBoxLayout(window)
    bar = QFrame()
    bar.setObjectName("action_bar")
    QHBoxLayout(bar).addWidget(QPushButton("Klaar"))
    layout.addWidget(scroll(tall_page(bar), "page_area"))
    show(qtbot, window, 400, 300)
    problems = fit_problems(window)
    assert len(problems) == 1, problems
    assert "'Klaar'" in problems[0] and "action_bar" in problems[0]


def test_a_scroll_area_cut_off_by_the_window_is_caught(qtbot):
    """A button inside a scroll area is fine only when that area is in full sight."""
    window = QWidget()
    window.setFixedSize(400, 300)
    further = QPushButton("Verder")
    further.setObjectName("verder")
    area = scroll(tall_page(further), "page_area")
    area.setParent(window)
    show(qtbot, window, 400, 300)
    area.setGeometry(0, 100, 400, 400)  # its bottom 200 px are below the window
    problems = fit_problems(window)
    assert len(problems) == 1, problems
    assert "'page_area' is cut off" in problems[0] and "buttons verder" in problems[0]


def test_a_top_bar_that_wraps_is_caught(qtbot):
    window = QWidget()
    layout = QVBoxLayout(window)
    top = QWidget()
    top.setObjectName("top_bar")
    flow = FlowLayout(top)
    for i in range(12):
        b = QPushButton(f"Een grote knop {i}")
        b.setMinimumSize(160, 44)
        flow.addWidget(b)
    layout.addWidget(top)
    layout.addStretch(1)
    show(qtbot, window, 700, 600)
    problems = fit_problems(window)
    rows = [p for p in problems if "rows, not one" in p]
    tall = [p for p in problems if "tallest control" in p]
    assert len(rows) == 1 and len(tall) == 1, problems
    assert "takes 3 rows" in rows[0] or "takes 4 rows" in rows[0], rows


def test_a_top_bar_of_one_row_is_no_problem(qtbot):
    window = QWidget()
    layout = QVBoxLayout(window)
    top = QWidget()
    top.setObjectName("top_bar")
    flow = FlowLayout(top)
    for text in ("Tafel", "Terug", "Hulp"):
        flow.addWidget(QPushButton(text))
    layout.addWidget(top)
    layout.addStretch(1)
    show(qtbot, window, 700, 300)
    assert fit_problems(window) == []


def test_a_focused_button_scrolled_out_of_view_is_caught(qtbot):
    window = QWidget()
    layout = QVBoxLayout(window)
    far = QPushButton("Ver weg")
    far.setObjectName("far_button")
    area = scroll(tall_page(far), "page_area")
    layout.addWidget(area)
    show(qtbot, window, 400, 300)
    far.setFocus(Qt.FocusReason.OtherFocusReason)  # no scrolling to it, as a bad screen does
    assert QApplication.focusWidget() is far
    problems = fit_problems(window)
    focus = [p for p in problems if "focused" in p]
    assert len(focus) == 1 and "'far_button'" in focus[0], problems
    area.ensureWidgetVisible(far)  # the fix: scroll it into view
    assert fit_problems(window) == []


def test_a_window_larger_than_the_screen_is_measured_against_the_screen(qtbot):
    """A window that cannot shrink to the screen: what lies below the screen is out of sight."""
    window = QWidget()
    layout = QVBoxLayout(window)
    layout.addStretch(1)
    low = QPushButton("Verder")
    low.setObjectName("low_button")
    layout.addWidget(low)
    show(qtbot, window, 400, 400)
    assert fit_problems(window) == []
    problems = fit_problems(window, QRect(0, 0, 400, 300))
    assert len(problems) == 1 and "'low_button'" in problems[0], problems
