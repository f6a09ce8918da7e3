"""Issue 10's measures for the screens of issue 13: the overview (per person and
all letters by date), the log, and the table and a letter of someone else's post
fit a 1366 x 700 and a 1280 x 652 window, at 100 % and 200 %, in Dutch and in
Arabic (tests/fit.py); the keyboard reaches every action; the badges' colours
carry their text at 4.5:1 or more in both themes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QListView, QPushButton, QWidget

from app.model import Person
from finders import screen, widget
from fit import fit_problems, settle
from ui.people import badge
from ui.shell import theme
from ui.shell.widgets import reading_order

pytestmark = pytest.mark.gui

SIZES = [QSize(1366, 700), QSize(1280, 652)]


def measure(window, where: str, problems: list[str]) -> None:
    for size in SIZES:
        window.resize(size)
        settle(window)
        problems.extend(
            f"{where} | {size.width()}x{size.height()} | {p}" for p in fit_problems(window)
        )


@pytest.mark.parametrize(
    ("scale", "language"), [(100, "nl"), (200, "nl"), (100, "ar"), (200, "ar")]
)
def test_people_screens_fit(qtbot, helper_window, scale, language):
    from ui.language.screen import change_language

    window = helper_window("piet")
    window.set_scale(scale)
    if language != "nl":
        change_language(window, language)
    problems: list[str] = []
    overview = screen(window, "overview_screen")
    measure(window, "overview", problems)
    widget(overview, QPushButton, "overview_by_date").click()
    measure(window, "overview by date", problems)
    widget(overview, QPushButton, "overview_by_date").click()
    overview.sig_chosen.emit("wim", "")
    measure(window, "wim's table", problems)
    letter_id = window.table_screen.current_letter_id()
    window.session.set_handler(letter_id, "Piet Jansen", "Gebeld met CJIB, regeling loopt")
    window.go_home()  # the card with who handles it
    measure(window, "wim's table, handled", problems)
    window.open_letter(letter_id)
    measure(window, "wim's letter", problems)
    widget(window.letter_screen, QLineEdit, "letter_note").setFocus()
    measure(window, "wim's letter, the note", problems)
    widget(window.letter_screen, QPushButton, "take_letter").setFocus()
    measure(window, "wim's letter, taking it up", problems)
    window.show_screen(screen(window, "access_log_screen"))
    measure(window, "log", problems)
    assert problems == []


def test_the_keyboard_reaches_every_action_of_the_overview(qtbot, helper_window):
    window = helper_window("piet")
    overview = screen(window, "overview_screen")
    order = [w for w in reading_order(window.central) if overview.isAncestorOf(w)]
    names = [w.objectName() for w in order]
    assert names == ["overview_filter", "overview_list", "overview_choose", "overview_by_date"]
    # and Tab goes that way, from the first focus (the list)
    assert QApplication.focusWidget() is widget(overview, QListView, "overview_list")
    seen: list[str] = []
    focus: QWidget | None = widget(overview, QLineEdit, "overview_filter")
    assert focus is not None
    focus.setFocus()
    for _ in range(3):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget().objectName())
    assert seen == ["overview_list", "overview_choose", "overview_by_date"]


def test_the_keyboard_reaches_the_log_and_the_switch(qtbot, helper_window):
    window = helper_window("sanne")
    window.show_help()
    names = [w.objectName() for w in reading_order(window.central)]
    assert "help_access_log" in names
    window.close()
    window = helper_window("monique")
    window.go_home()
    names = [w.objectName() for w in reading_order(window.central)]
    assert names.index("switch_person") == names.index("nav_help") + 1  # in the top bar
    window.show_screen(screen(window, "access_log_screen"))
    names = [w.objectName() for w in reading_order(window.central)]
    assert names[-2:] == ["access_log_print", "access_log_back"]


@pytest.mark.parametrize("high_contrast", [False, True])
def test_every_badge_colour_carries_its_text(high_contrast):
    palette = badge.PALETTE_HIGH_CONTRAST if high_contrast else badge.PALETTE
    card = (theme.HIGH_CONTRAST if high_contrast else theme.COLORS)["card"]
    for background, text in palette:
        assert theme.contrast_ratio(background, text) >= badge.MIN_BADGE_CONTRAST
        # the badge stands out from the card it is on (non-text contrast, 3:1)
        assert theme.contrast_ratio(background, card) >= theme.MIN_NON_TEXT_CONTRAST


def test_a_badge_is_the_same_for_the_same_person():
    sanne = Person("sanne", "Sanne Bos", "")
    assert badge.colour_index("sanne") == badge.colour_index("sanne")
    assert badge.initial(sanne.name) == "S"
    assert badge.initial("  el Amrani") == "E"
    assert badge.initial("") == "?"
    assert badge.whose_post_text(sanne) == "Post van Sanne"
    assert badge.whose_post_long(sanne) == "Post van Sanne Bos"
    # ten clients spread over the palette: not all one colour
    ids = ["wim", "fatima", "henk", "truus", "mohamed", "ans", "gerrit", "yvonne", "dirk", "marja"]
    assert len({badge.colour_index(i) for i in ids}) >= 4


def test_the_keyboard_reaches_taking_up_a_letter_in_the_order_seen(qtbot, helper_window):
    window = helper_window("piet")
    screen(window, "overview_screen").sig_chosen.emit("wim", "t-wim-001")
    settle(window)
    letter = window.letter_screen
    order = [
        w.objectName()
        for w in reading_order(window.central)
        if letter.isAncestorOf(w) and w.objectName()
    ]
    # the note comes before the letter's text, the bar after the page
    assert order.index("letter_note") < order.index("letter_paper") < order.index("put_away")
    assert order[order.index("put_away") :] == [
        "put_away",
        "take_letter",
        "print_letter",
        "letter_back",
    ]
    # Tab goes that way: from the first action round the window to the note and on
    assert QApplication.focusWidget().objectName() == "put_away"
    seen = []
    for _ in range(40):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        name = QApplication.focusWidget().objectName()
        if name == "put_away":
            break
        seen.append(name)
    mine = [name for name in seen if letter.isAncestorOf(widget(window, QWidget, name))]
    assert mine[:3] == ["take_letter", "print_letter", "letter_back"]
    assert mine[3:] == [n for n in order if n != "put_away"][: len(mine) - 3]
    assert "letter_note" in mine
