"""Issue 10 for the table, the letter and the folders: each fits a laptop's window.

The window's client area is set to 1366 x 700 and 1280 x 652 (a 1366 x 768 and a
1280 x 720 laptop minus the desktop's bars), at 100 % and 200 % text, and the real
widgets are measured: how many whole cards the list shows, whether every button
of the fixed action bar (and Kees's "Ik wil mijn post op papier") lies inside the
window, how many scroll areas can scroll, and whether the letter that was chosen
is still in sight when the person comes back to the table.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QAbstractButton, QAbstractScrollArea, QWidget

from fit import fit_problems, settle, visible_part
from ui.shell import printing

pytestmark = pytest.mark.gui

SIZES = [QSize(1366, 700), QSize(1280, 652)]
LAPTOP = SIZES[0]


def at_size(window, size: QSize, scale: int = 100) -> None:
    if window.scale != scale:
        window.set_scale(scale)
    if window.isMaximized():  # the offscreen screen is small: the laptop is simulated
        window.showNormal()
    window.resize(size)
    settle(window)
    assert window.size() == size, f"the window stays {window.width()}x{window.height()}"


def rect_in_window(widget: QWidget, window: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def whole_cards(view) -> list[int]:
    """The rows whose card lies wholly inside the list's viewport."""
    seen = view.viewport().rect()
    return [
        row
        for row in range(view.model().rowCount())
        if seen.contains(view.visualRect(view.model().index(row, 0)))
    ]


def card_in_sight(window, view) -> bool:
    """Whether the current card lies wholly in what the window shows of the list."""
    card = view.visualRect(view.currentIndex()).translated(view.viewport().mapTo(window, QPoint()))
    return visible_part(view.viewport(), window).contains(card)


def scrollable_areas(screen: QWidget) -> list[str]:
    """The shown scroll areas of a screen that can scroll (a range above zero)."""
    return [
        area.objectName() or type(area).__name__
        for area in screen.findChildren(QAbstractScrollArea)
        if area.isVisible()
        and (area.verticalScrollBar().maximum() > 0 or area.horizontalScrollBar().maximum() > 0)
    ]


def bar_buttons(screen) -> list[QAbstractButton]:
    return [
        b
        for b in screen.action_bar.findChildren(QAbstractButton)
        if b.isVisible() and b.isEnabled()
    ]


# -- the table ----------------------------------------------------------------------
def test_three_whole_cards_at_100_percent_with_the_welcome_box(window):
    at_size(window, LAPTOP)
    table = window.table_screen
    assert window.findChild(QWidget, "start_choice").isVisible()  # the first start
    cards = whole_cards(table.view)
    assert len(cards) >= 3, f"only {len(cards)} whole cards in {table.view.viewport().size()}"
    assert table.view.verticalScrollBar().maximum() > 0  # the list is the one that scrolls
    assert scrollable_areas(table) == ["letter_table"]
    window.findChild(QAbstractButton, "start_own").click()
    settle(window)
    assert len(whole_cards(table.view)) >= 3  # the title and summary are back
    assert table.heading.isVisible() and table.summary.isVisible()
    assert 0 in whole_cards(table.view)  # the chosen letter is still in view


@pytest.mark.parametrize("scale", [100, 200])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s.width()}x{s.height()}")
def test_the_paper_button_and_every_action_is_in_the_window(window, scale, size):
    at_size(window, size, scale)
    table = window.table_screen
    paper = window.findChild(QAbstractButton, "paper_button")
    assert paper is not None and paper.isVisible()
    buttons = bar_buttons(table)
    assert paper in buttons and table.open_button in buttons and table.folders_button in buttons
    room = window.rect()
    for b in buttons:
        assert room.contains(rect_in_window(b, window)), f"{b.objectName()} is cut off"
    assert fit_problems(window) == []
    window.findChild(QAbstractButton, "start_own").click()
    assert fit_problems(window) == []
    if size == LAPTOP:  # at least one whole card, even at 200 %
        assert whole_cards(table.view), f"no whole card at {scale} %"


def test_the_list_does_not_grow_the_window_at_200_percent(window):
    at_size(window, QSize(1280, 652), 200)
    assert window.minimumSizeHint().height() <= 652
    assert window.table_screen.view.minimumHeight() <= window.table_screen.view.height()


@pytest.mark.parametrize("scale", [100, 200])
def test_back_on_the_table_the_chosen_letter_is_in_view(qtbot, window, scale):
    window.findChild(QAbstractButton, "start_own").click()
    at_size(window, LAPTOP, scale)
    table = window.table_screen
    view = table.view
    last = view.model().index(view.model().rowCount() - 1, 0)
    view.setCurrentIndex(last)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert window.current_screen() is window.letter_screen
    view.scrollToTop()  # as if the list had scrolled back meanwhile
    qtbot.mouseClick(window.letter_screen.back_button, Qt.MouseButton.LeftButton)
    settle(window)
    assert window.current_screen() is table
    assert view.currentIndex().row() == last.row()
    assert card_in_sight(window, view)
    # And from the folders, back with "Tafel".
    window.show_folders()
    view.scrollToTop()
    window.go_home()
    settle(window)
    assert card_in_sight(window, view)


@pytest.mark.parametrize("scale", [100, 200])
def test_after_putting_away_the_result_line_is_in_sight_above_the_list(qtbot, window, scale):
    window.findChild(QAbstractButton, "start_own").click()
    at_size(window, LAPTOP, scale)
    table = window.table_screen
    window.open_letter(table.current_letter_id())
    qtbot.mouseClick(window.letter_screen.put_away_button, Qt.MouseButton.LeftButton)
    settle(window)
    assert window.current_screen() is table
    line = rect_in_window(table.undo_box, window)
    assert table.undo_box.isVisible() and window.rect().contains(line)
    assert line.bottom() < rect_in_window(table.view, window).top()  # directly above it
    assert fit_problems(window) == []
    # Tab reaches "Ongedaan maken" before the list, and Shift+Tab from the list does too.
    assert table.undo_button.nextInFocusChain() is table.view
    table.view.setFocus()
    qtbot.keyClick(table.view, Qt.Key.Key_Backtab)
    assert table.undo_button.hasFocus()
    qtbot.keyClick(table.undo_button, Qt.Key.Key_Tab)
    assert table.view.hasFocus()


@pytest.mark.parametrize("scale", [100, 200])
def test_after_the_welcome_the_list_and_the_chosen_letter_stay_in_view(qtbot, window, scale):
    at_size(window, LAPTOP, scale)
    view = window.table_screen.view
    view.setCurrentIndex(view.model().index(2, 0))
    own = window.findChild(QAbstractButton, "start_own")
    own.setFocus()
    qtbot.keyClick(own, Qt.Key.Key_Space)
    settle(window)
    assert view.hasFocus() and card_in_sight(window, view)
    assert fit_problems(window) == []


def test_the_welcome_choice_is_one_row_of_buttons(window):
    at_size(window, LAPTOP)
    own = window.findChild(QAbstractButton, "start_own")
    guided = window.findChild(QAbstractButton, "start_guided")
    assert own.y() == guided.y()
    choice = window.findChild(QWidget, "start_choice")
    assert choice.height() <= 2.4 * own.height(), f"the welcome box is {choice.height()} px"


# -- the letter ---------------------------------------------------------------------
@pytest.mark.parametrize("scale", [100, 200])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s.width()}x{s.height()}")
def test_the_letter_has_one_scroll_and_its_actions_in_the_bar(window, scale, size):
    at_size(window, size, scale)
    window.open_letter(window.table_screen.current_letter_id())
    settle(window)
    screen = window.letter_screen
    assert window.current_screen() is screen
    assert scrollable_areas(screen) in ([], ["page_area"])
    assert scrollable_areas(screen) == ["page_area"] or scale == 100
    assert screen.paper.verticalScrollBar().maximum() == 0  # the letter grows in the page
    for b in (screen.print_button, screen.put_away_button, screen.back_button):
        assert b in bar_buttons(screen), b.objectName()
        assert window.rect().contains(rect_in_window(b, window)), b.objectName()
    assert fit_problems(window) == []
    # The title and what to do are seen with the bar: at 100 % the whole "Wat moet
    # ik doen?" box, at 200 % its heading and text (the facts may lie below).
    seen = rect_in_window(screen.page_area.viewport(), window)
    parts = [screen.sender_label, screen.todo_heading, screen.todo_text]
    for part in parts if scale == 200 else [*parts, screen.todo_box]:
        assert seen.contains(rect_in_window(part, window)), part.objectName()


def test_a_long_letter_grows_in_the_page_and_every_line_is_shown(window, session):
    body = "\n".join(f"Regel {n} van een lange brief." for n in range(400))
    session.mailbox.deliver(
        {
            "id": "lang",
            "recipient": "koen",
            "org": "rdw",
            "subject": "Lang",
            "summary": "Een lange brief.",
            "action": "lezen",
            "received_days_ago": 0,
            "body": body,
            "what_to_do": "Lees de brief.",
        }
    )
    session.sync()
    at_size(window, LAPTOP)
    window.open_letter("lang")
    settle(window)
    screen = window.letter_screen
    assert "Regel 399 van een lange brief." in screen.paper.toPlainText()
    assert screen.paper.verticalScrollBar().maximum() == 0
    assert screen.paper.height() > 400 * screen.paper.fontMetrics().lineSpacing()
    assert scrollable_areas(screen) == ["page_area"]


def test_a_megabyte_body_shows_its_start_and_prints_whole(qtbot, window, session, monkeypatch):
    monkeypatch.setattr(printing, "has_printer", lambda: False)  # no print dialog in CI
    body = ("Woord " * 200_000)[:1_000_000] + "HET EINDE"
    session.mailbox.deliver(
        {
            "id": "mega",
            "recipient": "koen",
            "org": "rdw",
            "subject": "Groot",
            "summary": "Een grote brief.",
            "action": "lezen",
            "received_days_ago": 0,
            "body": body,
            "what_to_do": "Lees de brief.",
        }
    )
    session.sync()
    at_size(window, LAPTOP)
    window.open_letter("mega")
    settle(window)
    screen = window.letter_screen
    shown = screen.paper.toPlainText()
    assert "Woord Woord" in shown and "HET EINDE" not in shown
    note = screen.paper_note
    assert note.isVisible() and "Printen" in note.text()
    assert screen.paper.verticalScrollBar().maximum() == 0
    assert "HET EINDE" in screen.print_document().document.toPlainText()
    assert fit_problems(window) == []


# -- the folders --------------------------------------------------------------------
def put_away_all_but_one(window, session) -> list[str]:
    ids = [letter.id for letter in session.table()]
    for letter_id in ids[:-1]:
        session.put_away(letter_id)
    return ids[:-1]


@pytest.mark.parametrize("scale", [100, 200])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s.width()}x{s.height()}")
def test_the_folders_have_one_scroll_a_tall_tree_and_the_bar(window, session, scale, size):
    put_away_all_but_one(window, session)
    at_size(window, size, scale)
    window.show_folders()
    settle(window)
    screen = window.folders_screen
    assert len(scrollable_areas(screen)) <= 1
    tree = screen.tree
    row = tree.visualItemRect(tree.topLevelItem(0)).height()
    rows = 4 if size == LAPTOP else 3
    assert tree.viewport().height() >= rows * row, f"the tree shows {tree.viewport().height()} px"
    assert screen.select_letter(session.folders()[0].letters[0].id)
    for b in (screen.open_button, screen.lay_back_button):
        assert b in bar_buttons(screen), b.objectName()
        assert window.rect().contains(rect_in_window(b, window)), b.objectName()
    assert fit_problems(window) == []


def test_after_laying_back_the_folders_say_so_in_sight(qtbot, window, session):
    at_size(window, LAPTOP, 200)
    letter_id = session.table()[0].id
    session.put_away(letter_id)
    window.show_folders()
    screen = window.folders_screen
    assert screen.select_letter(letter_id)
    qtbot.mouseClick(screen.lay_back_button, Qt.MouseButton.LeftButton)
    settle(window)
    sender = session.letter(letter_id).sender
    said = screen.result.text()
    assert said == f"De brief van {sender} ligt weer op tafel."
    assert screen.result.isVisible()
    assert window.rect().contains(rect_in_window(screen.result, window))
    assert screen.heading.isVisible()
    assert window.rect().contains(rect_in_window(screen.heading, window))
    assert not screen.tree.isVisible()  # nothing left in the folders: no empty box
    assert "nog geen brieven" not in screen.intro.text()
    assert fit_problems(window) == []
