"""The journeys of PEOPLE.md with the keyboard only, at 200 % on a 1366 x 768 laptop.

Each journey presses real keys (Tab, Enter, Space) on the focused widget, as a
person does, and counts them. After every press the screen must fit (tests/fit.py:
no nested scrolling, every action in the window, the top bar one row, the focus
in view). The counts have a ceiling, so a change that adds key presses to a
journey fails here; the note of issue 10 gives the counts as measured.
"""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QApplication

from app.session import Session
from keys import Keys
from practice_folder import practice_copy
from ui.shell import theme
from ui.shell.main_window import MainWindow

TODAY = date(2026, 11, 28)
LAPTOP = (1366, 700)  # a 1366 x 768 screen less the desktop's bar and the title bar


@pytest.fixture
def laptop(qtbot, tmp_path):
    """A window for one practice person at 200 % on a 1366 x 768 laptop."""
    made = []

    def make(person: str) -> MainWindow:
        folder = practice_copy(tmp_path / person, lambda: TODAY, person_id=person)
        session = Session.open_practice(folder, person_id=person, today=lambda: TODAY)
        theme.apply(QApplication.instance(), theme.MAX_SCALE)
        window = MainWindow(session, pdf_folder=tmp_path / "pdf")
        qtbot.addWidget(window)
        window.set_scale(theme.MAX_SCALE)
        window.show()
        qtbot.waitExposed(window)
        window.showNormal()
        window.resize(*LAPTOP)
        window.activateWindow()
        QApplication.processEvents()
        made.append(session)
        return window

    yield make
    for session in made:
        session.close()


def test_koen_opens_his_most_urgent_letter_and_puts_it_away(laptop):
    window = laptop("koen")
    keys = Keys(window)
    keys.tab_to("start_own")  # the welcome choice, first start only
    keys.enter()
    assert QApplication.focusWidget() is window.table_screen.view
    first = window.table_screen.current_letter_id()
    keys.enter()  # Enter on the list opens the card
    assert window.current_screen() is window.letter_screen
    keys.tab_to("put_away")
    keys.enter()
    assert window.current_screen() is window.table_screen
    assert not window.session.is_on_table(first)
    assert window.table_screen.undo_box.isVisible()
    assert keys.problems == []
    assert keys.count <= 12, keys.count


def test_corry_asks_whether_her_berichtenbox_is_on(laptop):
    window = laptop("corry")
    keys = Keys(window)
    keys.tab_to("start_own")
    keys.enter()
    keys.tab_to("open_account_status")
    keys.enter()
    assert window.current_screen().objectName() == "status_screen"
    assert keys.problems == []
    assert keys.count <= 13, keys.count


def test_kees_asks_for_all_his_post_on_paper(laptop):
    window = laptop("kees")
    keys = Keys(window)
    keys.tab_to("start_own")
    keys.enter()
    keys.tab_to("paper_button")
    keys.enter()
    assert window.current_screen().objectName() == "paper_review_screen"
    keys.tab_to("paper_confirm")
    keys.enter()
    assert window.current_screen().objectName() == "paper_status_screen"
    assert window.session.mailbox.paper_requests("kees")
    assert keys.problems == []
    assert keys.count <= 21, keys.count
