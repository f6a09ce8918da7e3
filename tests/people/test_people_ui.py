"""Issue 13 in the window, driven as the people would: keyboard first, real
widgets found by their object names, the real practice box and desk.

- Monique handles her daughter Sanne's letters: she starts on the overview,
  chooses Sanne, sees whose post it is (top bar, cards, print), puts a letter away.
- Piet sees his ten clients by deadline, all their letters by date, and finds
  one by name.
- Ali, whose mandate for Gerda ended, sees nothing new and is told why.
- Ingrid, who may only read Willem's SVB letters, is not offered "Klaar, opbergen".
- Sanne and Willem see every access in "Wie heeft mijn post bekeken?", on screen
  and in the printed PDF.
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from people_letters import PIETS_CLIENTS, TODAY
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QListView, QPushButton

from app import people
from finders import screen, widget
from fit import settle
from ui.people.feature import PeopleFeature
from ui.people.overview import OverviewModel

pytestmark = pytest.mark.gui


def pdf_text(path) -> str:
    from PySide6.QtPdf import QPdfDocument

    pdf = QPdfDocument()
    assert pdf.load(str(path)) == QPdfDocument.Error.None_
    text = "\n".join(pdf.getAllText(p).text() for p in range(pdf.pageCount()))
    pdf.close()
    return " ".join(text.split())  # lines wrap on paper; compare words


def table_ids(window) -> list[str]:
    model = window.table_screen.model
    return [model.index(r).data(model.IdRole) for r in range(model.rowCount())]


def choose_in_overview(qtbot, window, person_id: str) -> None:
    """Arrow down to the person's row and press Enter, as a keyboard user does."""
    overview = screen(window, "overview_screen")
    view = widget(overview, QListView, "overview_list")
    view.setFocus()
    view.setCurrentIndex(view.model().index(0, 0))
    for _ in range(view.model().rowCount()):
        if view.currentIndex().data(OverviewModel.PersonIdRole) == person_id:
            break
        qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.currentIndex().data(OverviewModel.PersonIdRole) == person_id
    qtbot.keyClick(view, Qt.Key.Key_Return)
    settle(window)


def notices(window) -> list[str]:
    """Every message waiting in the notice row, by pressing "Begrepen" through them."""
    said = []
    ok = widget(window, QPushButton, "notice_ok")
    label = widget(window, QLabel, "notice_text")
    while ok.isVisible():
        said.append(label.text())
        ok.click()
    return said


def test_monique_handles_sannes_letters(qtbot, helper_window):
    window = helper_window("monique")
    # she starts on the overview: herself and Sanne
    assert window.current_screen().objectName() == "overview_screen"
    overview = screen(window, "overview_screen")
    assert overview.person_ids() == ["monique", "sanne"]
    choose_in_overview(qtbot, window, "sanne")

    # Sanne's table, and whose it is on the top bar, on the cards and for a screen reader
    assert window.current_screen() is window.table_screen
    assert window.session.person.id == "sanne"
    assert {"t-sanne-001", "t-sanne-002"} <= set(table_ids(window))
    assert widget(window, QPushButton, "switch_person").text() == "Post van Sanne"
    assert window.table_screen.view.card_delegate.person.id == "sanne"
    assert "Sanne Bos" in window.table_screen.view.accessibleName()
    assert QApplication.focusWidget() is window.table_screen.view

    # she opens the first letter with Enter and prints it: her daughter's name is on it
    view = window.table_screen.view
    qtbot.keyClick(view, Qt.Key.Key_Return)
    settle(window)
    letter = window.letter_screen
    assert window.current_screen() is letter
    first = letter.letter.id
    widget(letter, QPushButton, "print_letter").click()
    assert "Post van Sanne Bos" in pdf_text(window.last_pdf)

    # and puts it away: the service is asked (in the background), the desk moves it
    put_away = widget(letter, QPushButton, "put_away")
    assert put_away.isVisible()
    put_away.setFocus()
    qtbot.keyClick(put_away, Qt.Key.Key_Space)
    settle(window)
    assert window.current_screen() is window.table_screen
    assert first not in table_ids(window)
    assert widget(window, QPushButton, "switch_person").isVisible()

    # "Post van Sanne" in the top bar is one action from the table: back to her own post
    widget(window, QPushButton, "switch_person").click()
    choose_in_overview(qtbot, window, "monique")
    assert window.session.person.id == "monique"
    assert widget(window, QPushButton, "switch_person").text() == "Post van Monique"


def test_piet_sees_his_ten_clients_by_deadline(qtbot, helper_window):
    window = helper_window("piet")
    overview = screen(window, "overview_screen")
    assert window.current_screen() is overview
    ids = overview.person_ids()
    assert ids[0] == "piet"  # his own post first
    assert sorted(ids[1:]) == sorted(PIETS_CLIENTS)
    # then by nearest deadline: Dirk's UWV letter is 2 days late, so he is first
    nearest = {row.person.id: row.nearest_deadline for row in people.overview(window.session)}
    deadlines = [nearest[i] for i in ids[1:]]
    assert all(d is not None for d in deadlines)
    assert deadlines == sorted(deadlines)
    assert ids[1] == "dirk"
    assert "10 anderen" in widget(overview, QLabel, "overview_summary").text()

    # every letter of everyone in one list by deadline
    widget(overview, QPushButton, "overview_by_date").click()
    model = overview.proxy
    rows = [model.index(r, 0) for r in range(model.rowCount())]
    letter_ids = [r.data(OverviewModel.LetterIdRole) for r in rows]
    ours = [lid for lid in letter_ids if lid.startswith("t-")]
    assert len(ours) == 21
    pairs = people.all_by_deadline(window.session)
    assert letter_ids == [letter.id for _person, letter in pairs]
    deadlines = [letter.deadline for _person, letter in pairs if letter.deadline is not None]
    assert deadlines == sorted(deadlines)
    assert ours[:2] == ["t-dirk-003", "t-wim-001"]
    dirk = rows[letter_ids.index("t-dirk-003")].data(Qt.ItemDataRole.AccessibleTextRole)
    assert "Dirk Meijer: UWV" in dirk and "2 dagen te laat" in dirk

    # choosing a letter there shows it, in its person's post
    view = widget(overview, QListView, "overview_list")
    view.setCurrentIndex(model.index(letter_ids.index("t-wim-001"), 0))
    widget(overview, QPushButton, "overview_choose").click()
    settle(window)
    assert window.session.person.id == "wim"
    assert window.current_screen() is window.letter_screen
    assert window.letter_screen.letter.id == "t-wim-001"


def test_filter_by_name_is_quick_per_keystroke(qtbot, helper_window):
    window = helper_window("piet")
    overview = screen(window, "overview_screen")
    box = widget(overview, QLineEdit, "overview_filter")
    box.setFocus()
    worst = 0.0
    for key in "fat":
        start = time.perf_counter()
        qtbot.keyClicks(box, key)
        QApplication.processEvents()
        worst = max(worst, time.perf_counter() - start)
    assert overview.person_ids() == ["fatima"]
    assert worst < 0.030, f"a keystroke took {worst * 1000:.1f} ms"
    box.clear()
    assert len(overview.person_ids()) == 11
    qtbot.keyClicks(box, "xyz")
    assert overview.person_ids() == []
    assert widget(overview, QLabel, "overview_empty").isVisible()
    assert not widget(overview, QPushButton, "overview_choose").isEnabled()


def test_a_relative_whose_mandate_ended_sees_nothing_new_and_is_told_why(qtbot, helper_window):
    window = helper_window("ali")
    overview = screen(window, "overview_screen")
    assert overview.person_ids() == ["ali", "gerda"]
    row = overview.proxy.index(1, 0).data(Qt.ItemDataRole.AccessibleTextRole)
    assert "afgelopen" in row
    notices(window)  # whatever the start said
    choose_in_overview(qtbot, window, "gerda")
    # the letter of before the end is there; the new one (2 days ago) is not
    assert "t-gerda-001" in table_ids(window)
    assert "t-gerda-002" not in table_ids(window)
    said = notices(window)
    assert any("gestopt" in text and "DigiD Machtigen" in text for text in said), said


def test_a_helper_with_read_rights_is_not_offered_put_away(qtbot, helper_window):
    window = helper_window("ingrid")
    choose_in_overview(qtbot, window, "willem")
    # SVB and pension only: the Belastingdienst letter is not Ingrid's to see
    assert "t-willem-001" in table_ids(window)
    assert "t-willem-002" not in table_ids(window)
    assert any("alleen lezen" in text for text in notices(window))
    qtbot.keyClick(window.table_screen.view, Qt.Key.Key_Return)
    settle(window)
    letter = window.letter_screen
    assert window.current_screen() is letter
    assert widget(letter, QPushButton, "put_away").isHidden()
    assert widget(letter, QPushButton, "lay_back").isHidden()
    note = widget(letter, QLabel, "letter_read_only")
    assert note.isVisible() and note.text() == "U mag deze brieven alleen lezen."
    assert QApplication.focusWidget() is widget(letter, QPushButton, "print_letter")


def test_a_week_before_the_end_the_helper_and_the_person_are_told(qtbot, helper_window, open_as):
    open_as("ingrid").close()  # the box is made today: the mandate ends in 30 days
    later = TODAY + timedelta(days=25)
    window = helper_window("ingrid", lambda: later)
    said = notices(window)
    assert any("stopt op" in text and "Willem" in text for text in said), said
    window.close()
    window = helper_window("willem", lambda: later)
    said = notices(window)
    assert any("stopt op" in text and "Ingrid" in text for text in said), said


def test_the_represented_person_sees_every_access(qtbot, helper_window):
    window = helper_window("monique")
    choose_in_overview(qtbot, window, "sanne")
    for letter_id in ("t-sanne-002", "t-sanne-001"):  # open both, put the second away
        window.open_letter(letter_id)
        settle(window)
    widget(window.letter_screen, QPushButton, "put_away").click()
    settle(window)
    window.close()

    window = helper_window("sanne")
    assert window.current_screen() is window.table_screen  # her own post only
    assert not widget(window, QPushButton, "switch_person").isVisible()
    # reachable from "Hulp"
    window.show_help()
    widget(window, QPushButton, "help_access_log").click()
    settle(window)
    log = screen(window, "access_log_screen")
    assert window.current_screen() is log
    lines = [w.text() for w in log.findChildren(QLabel, "access_log_line") if w.isVisible()]
    assert sum("Monique Bos opende" in line for line in lines) == 2, lines
    assert sum("Monique Bos heeft" in line and "opgeborgen" in line for line in lines) == 1
    assert "opgeborgen" in lines[0]  # the newest first
    assert QApplication.focusWidget() is widget(log, QPushButton, "access_log_print")
    widget(log, QPushButton, "access_log_print").click()
    text = pdf_text(window.last_pdf)
    assert "Wie heeft mijn post bekeken?" in text
    assert "Post van Sanne Bos" in text
    for line in lines:
        assert " ".join(line.split()) in text


def test_nobody_else_looked_says_so(qtbot, window):
    """Koen has no helpers: the log is there from the help screen, and says so."""
    feature = window.features.get(PeopleFeature)
    assert widget(window, QPushButton, "switch_person").isHidden()
    window.show_help()
    widget(window, QPushButton, "help_access_log").click()
    log = feature.log_screen
    assert window.current_screen() is log
    assert widget(log, QLabel, "access_log_empty").text() == (
        "Niemand anders heeft uw post bekeken."
    )
