"""Who handles a letter, with a short note (issue 13: "when several helpers
share the work"): on a letter of someone else's post, "Ik pak deze brief op"
with a short note; shown on the letter, on the card and in the overview.
Real practice box, real desk, real widgets, driven by keyboard."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPushButton

from finders import screen, widget
from fit import settle
from ui.people.overview import OverviewModel
from ui.shell.widgets import reading_order

pytestmark = pytest.mark.gui

NOTE = "Gebeld met CJIB, betaling regeling loopt"


def overview_lines(window, by_date: bool) -> dict[tuple[str, str], str]:
    overview = screen(window, "overview_screen")
    window.show_screen(overview)
    if overview.by_date != by_date:
        widget(overview, QPushButton, "overview_by_date").click()
    model = overview.proxy
    out = {}
    for row in range(model.rowCount()):
        index = model.index(row, 0)
        key = (index.data(OverviewModel.PersonIdRole), index.data(OverviewModel.LetterIdRole))
        out[key] = index.data(Qt.ItemDataRole.AccessibleTextRole)
    return out


def test_monique_takes_up_sannes_letter_with_a_note(qtbot, helper_window):
    window = helper_window("monique")
    screen(window, "overview_screen").sig_chosen.emit("sanne", "t-sanne-001")
    settle(window)
    letter = window.letter_screen
    assert window.current_screen() is letter
    state = widget(letter, QLabel, "letter_handler")
    note = widget(letter, QLineEdit, "letter_note")
    take = widget(letter, QPushButton, "take_letter")
    assert state.isVisible() and state.text() == "Nog niemand pakt deze brief op."
    assert take.isVisible() and take.text() == "Ik pak deze brief op"

    # the note field and the action come in the order seen: field, then the bar
    names = [w.objectName() for w in reading_order(window.central)]
    assert names.index("letter_note") < names.index("put_away") < names.index("take_letter")

    # by keyboard: type the note, Tab to "Ik pak deze brief op", press Space
    note.setFocus()
    qtbot.keyClicks(note, NOTE)
    take.setFocus()
    qtbot.keyClick(take, Qt.Key.Key_Space)
    settle(window)
    handler = window.session.handler("t-sanne-001")
    assert handler is not None and (handler.name, handler.note) == ("Monique Bos", NOTE)
    assert state.text() == f"U pakt deze brief op. Notitie: {NOTE}"
    assert take.text() == "Notitie opslaan"
    assert QApplication.focusWidget() is take

    # on the card: her initial and name
    window.go_home()
    settle(window)
    delegate = window.table_screen.view.card_delegate
    assert delegate.handler_text("t-sanne-001") == "Monique pakt dit op"
    assert delegate.handler_text("t-sanne-002") == ""

    # in the overview: per person, and per letter in "Alle brieven op datum"
    per_person = overview_lines(window, by_date=False)
    assert "Monique pakt 1 brief op." in per_person[("sanne", "")]
    assert "pakt" not in per_person[("monique", "")]
    by_date = overview_lines(window, by_date=True)
    assert "Monique pakt deze brief op." in by_date[("sanne", "t-sanne-001")]
    assert "pakt" not in by_date[("sanne", "t-sanne-002")]

    # the note is kept on the desk: the next start shows it again
    window.close()
    window = helper_window("monique")
    screen(window, "overview_screen").sig_chosen.emit("sanne", "t-sanne-001")
    settle(window)
    letter = window.letter_screen
    assert widget(letter, QLineEdit, "letter_note").text() == NOTE
    assert widget(letter, QPushButton, "take_letter").text() == "Notitie opslaan"


def test_a_changed_note_is_kept_and_an_other_helpers_name_is_shown(qtbot, helper_window):
    window = helper_window("piet")
    window.session.switch_person("wim")
    window.session.set_handler("t-wim-001", "Jan de Vries", "Brief gestuurd")
    screen(window, "overview_screen").sig_chosen.emit("wim", "t-wim-001")
    settle(window)
    letter = window.letter_screen
    state = widget(letter, QLabel, "letter_handler")
    assert state.text() == "Jan de Vries pakt deze brief op. Notitie: Brief gestuurd"
    take = widget(letter, QPushButton, "take_letter")
    assert take.text() == "Ik pak deze brief op"
    assert window.table_screen.view.card_delegate.handler_text("t-wim-001") == "Jan pakt dit op"
    note = widget(letter, QLineEdit, "letter_note")
    note.setFocus()
    note.selectAll()
    qtbot.keyClicks(note, "Regeling gevraagd")
    take.click()
    handler = window.session.handler("t-wim-001")
    assert (handler.name, handler.note) == ("Piet Jansen", "Regeling gevraagd")


def test_own_post_and_read_only_post_offer_no_taking_up(qtbot, helper_window):
    window = helper_window("monique")
    own = "t-monique-001"
    window.open_letter(own)
    settle(window)
    letter = window.letter_screen
    assert widget(letter, QPushButton, "take_letter").isHidden()
    assert not widget(letter, QLabel, "letter_handler").isVisible()
    assert not widget(letter, QLineEdit, "letter_note").isVisible()
    window.close()

    window = helper_window("ingrid")  # reads Willem's SVB letters only
    screen(window, "overview_screen").sig_chosen.emit("willem", "t-willem-001")
    settle(window)
    assert window.current_screen() is window.letter_screen
    assert widget(window.letter_screen, QPushButton, "take_letter").isHidden()
