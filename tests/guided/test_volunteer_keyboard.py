"""A volunteer's visit with the keyboard only, at 200 % on a 1366 x 768 laptop.

Real keys (Tab, Shift+Tab, F6, Enter) on whatever has the focus, counted, as in
tests/a11y/test_keyboard_journeys.py for Koen, Corry and Kees: the volunteer
starts a visit, reads a letter together with the visitor (the visitor presses
"Laat zien"), prints the handout and ends with "Volgende bezoeker". After every
press the window must fit (tests/fit.py). The count has a ceiling; the note of
issue 10 gives it as measured.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.guided import Visit
from keys import Keys
from practice_folder import practice_copy
from ui.guided.window import GuidedWindow
from ui.shell import theme

pytestmark = pytest.mark.gui
LAPTOP = (1366, 700)


def test_a_volunteer_reads_a_letter_with_a_visitor_and_starts_the_next(
    qtbot, tmp_path, today, file_keyring
):
    visit = Visit.start(tmp_path / "begeleid", today=today)
    practice_copy(visit.folder, today, into=True)  # seeded once, copied
    visit.open_session()
    theme.apply(QApplication.instance(), theme.MAX_SCALE)
    window = GuidedWindow(visit, pdf_folder=visit.folder / "briefje")
    fresh: list[GuidedWindow] = []
    window.sig_next_visitor.connect(fresh.append)
    window.set_scale(theme.MAX_SCALE)
    window.show()
    qtbot.waitExposed(window)
    window.showNormal()
    window.resize(*LAPTOP)
    window.activateWindow()
    QApplication.processEvents()
    keys = Keys(window, tab_limit=12)
    old_folder = visit.folder
    try:
        keys.enter("guided_mode_visitor")  # the first focus: "Er is een bezoeker"
        keys.tab_to("guided_script_letter")
        keys.enter("guided_script_letter")  # "Samen een brief lezen"
        keys.press(Qt.Key.Key_F6)  # from the guide to the screen: "Laat zien"
        keys.enter(window.table_cover.reveal_button.objectName())
        keys.press(Qt.Key.Key_F6)
        keys.press(Qt.Key.Key_F6)  # to the button the guide lights up
        keys.enter("open_letter")
        keys.enter(window.letter_cover.reveal_button.objectName())
        assert window.current_screen() is window.letter_screen
        keys.press(Qt.Key.Key_F6)  # back to the guide
        keys.enter("guided_next")  # "Volgende stap"
        keys.enter("guided_next")  # "Klaar"
        keys.enter("guided_done_print")  # "Briefje printen"
        assert window.last_pdf is not None and window.last_pdf.is_file()
        keys.tab_to("guided_done_end")
        keys.enter("guided_done_end")  # "Sessie afsluiten": asks first, focus on "Nee"
        assert keys.focused() == "guided_end_no"
        keys.tab_to("guided_next_visitor", back=True)
        keys.enter("guided_next_visitor")
    finally:
        for new in fresh:
            qtbot.addWidget(new)
    assert visit.ended and not old_folder.exists()
    assert len(fresh) == 1 and not fresh[0].visit.ended
    assert keys.problems == []
    assert keys.count <= 22, keys.count
    fresh[0].close()
    fresh[0].visit.end()
