"""The Zoeken box on the table and the folders, driven like a person (issue 14):
results as cards, the count said, filters, odd input, nothing sent, one PDF."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton

from fit import fit_problems
from ui.search.screen import SearchScreen
from ui.table.card_delegate import CardDelegate

pytestmark = pytest.mark.gui


def pdf_text(path) -> str:
    """The PDF read back (QtPdf), its words one space apart (as tests/paper do)."""
    from PySide6.QtPdf import QPdfDocument

    pdf = QPdfDocument()
    assert pdf.load(str(path)) == QPdfDocument.Error.None_
    text = "\n".join(pdf.getAllText(p).text() for p in range(pdf.pageCount()))
    pdf.close()
    return " ".join(text.split())


def search_screen(window) -> SearchScreen:
    screen = window.current_screen()
    assert isinstance(screen, SearchScreen)
    return screen


def type_in_table_box(qtbot, window, text: str) -> SearchScreen:
    own = window.table_screen.findChild(QPushButton, "start_own")
    if own is not None and own.isVisible():  # the first start's welcome: "my own post"
        qtbot.mouseClick(own, Qt.MouseButton.LeftButton)
        for _ in range(3):  # the page lays out again: the lines come back
            QApplication.processEvents()
    box = window.table_screen.findChild(QLineEdit, "table_search")
    assert box is not None and box.isVisible()
    box.setFocus()
    qtbot.keyClicks(box, text[:1])  # the first letter opens the search screen ...
    screen = search_screen(window)
    qtbot.keyClicks(screen.field, text[1:])  # ... where the person types on
    return screen


def test_typing_on_the_table_finds_letters_as_cards_and_says_how_many(qtbot, window, session):
    screen = type_in_table_box(qtbot, window, "belasting")
    assert screen.field.text() == "belasting" and screen.field.hasFocus()
    ids = screen.result_ids()
    assert {"koen-007", "koen-008", "koen-009", "koen-006"} <= set(ids)  # Belastingdienst
    assert "koen-003" not in ids  # RDW's APK
    assert isinstance(screen.view.itemDelegate(), CardDelegate)
    said = f"{len(ids)} brieven gevonden"
    assert screen.count.text() == said
    assert screen.view.accessibleDescription() == said
    first = screen.model.index(0)
    assert "Brief van" in first.data(Qt.ItemDataRole.AccessibleTextRole)
    # the table's own box is empty again for the next time
    assert window.table_screen.findChild(QLineEdit, "table_search").text() == ""
    qtbot.keyClicks(screen.field, "dienst")
    narrower = screen.result_ids()
    assert {"koen-007", "koen-008", "koen-009"} <= set(narrower) < set(ids)
    assert screen.count.text() == f"{len(narrower)} brieven gevonden"


def test_one_letter_found_is_said_in_the_singular_and_opens(qtbot, window):
    screen = type_in_table_box(qtbot, window, "paspoort")
    assert screen.result_ids() == ["koen-012"]
    assert screen.count.text() == "1 brief gevonden"
    screen.view.setFocus()
    qtbot.keyClick(screen.view, Qt.Key.Key_Return)
    assert window.current_screen() is window.letter_screen
    assert window.letter_screen.letter.id == "koen-012"
    window.go_back()
    assert window.current_screen() is screen


@pytest.mark.parametrize("odd", ['"', "NEAR(", "*", 'belasting"*', "AND OR NOT", "()"])
def test_fts_syntax_is_never_a_traceback(qtbot, window, odd):
    screen = type_in_table_box(qtbot, window, odd)
    assert screen.count.text() in ("Geen brieven gevonden. Probeer een ander woord.",) or (
        "gevonden" in screen.count.text()
    )


def test_all_letters_of_a_year_and_of_one_organisation(qtbot, window, session):
    screen = type_in_table_box(qtbot, window, "x")
    screen.field.clear()
    screen.search()
    everything = len(screen.result_ids())
    assert everything == len(session.table()) + sum(len(f.letters) for f in session.folders())
    year = screen.year.findData(2026)
    screen.year.setCurrentIndex(year)
    screen.year.activated.emit(year)
    ids = screen.result_ids()
    assert ids and all(session.letter(i).received.year == 2026 for i in ids)
    assert screen.count.text().startswith("Alle brieven van 2026: ")
    org = screen.org.findData("rdw")
    screen.org.setCurrentIndex(org)
    screen.org.activated.emit(org)
    assert {session.letter(i).org_id for i in screen.result_ids()} == {"rdw"}


def test_searching_asks_the_mailbox_nothing(qtbot, window, session):
    """A recording wrapper around the real practice mailbox (the search must not
    touch it; a real network is not the point here)."""
    asked: list[str] = []
    real = session.mailbox

    class Recording:
        def __getattr__(self, name):
            asked.append(name)
            return getattr(real, name)

    session.mailbox = Recording()
    try:
        screen = type_in_table_box(qtbot, window, "zorgtoeslag")
        screen.year.activated.emit(0)
        assert screen.result_ids()
    finally:
        session.mailbox = real
    assert asked == []


def test_a_search_result_prints_as_one_pdf(qtbot, window, session, tmp_path):
    screen = type_in_table_box(qtbot, window, "zorgtoeslag")
    ids = screen.result_ids()
    assert len(ids) >= 2
    qtbot.mouseClick(screen.print_button, Qt.MouseButton.LeftButton)
    assert window.last_pdf is not None
    text = pdf_text(window.last_pdf)
    assert "Gevonden brieven: zorgtoeslag" in text
    for letter_id in ids:
        assert " ".join(session.letter(letter_id).subject.split()) in text


def test_a_folder_prints_as_one_pdf(qtbot, window, session):
    for letter_id in ("koen-017", "koen-018"):  # both SVB
        session.put_away(letter_id)
    window.show_folders()
    folders = window.folders_screen
    assert folders.select_letter("koen-018")
    qtbot.mouseClick(folders.print_button, Qt.MouseButton.LeftButton)
    text = pdf_text(window.last_pdf)
    assert "2 brieven in deze map." in text
    assert "Betaling kinderbijslag" in text and "Uw kinderbijslag wordt hoger" in text
    assert "Kenmerk: Klantnummer 330288714" in text


def test_the_folders_box_searches_every_letter(qtbot, window):
    window.show_folders()
    box = window.folders_screen.findChild(QLineEdit, "folders_search")
    box.setFocus()
    qtbot.keyClicks(box, "W")
    screen = search_screen(window)
    qtbot.keyClicks(screen.field, "W-uitkering")
    assert {"koen-019", "koen-020", "koen-021"} <= set(screen.result_ids())
    assert "koen-003" not in screen.result_ids()


@pytest.mark.parametrize(
    ("scale", "lang", "size"),
    [(200, "nl", (1280, 652)), (200, "ar", (1366, 700)), (100, "nl", (1280, 652))],
)
def test_search_fits(qtbot, window, scale, lang, size):
    if lang != "nl":
        from ui.language.screen import change_language

        change_language(window, lang)
    window.set_scale(scale)
    window.showNormal()
    window.resize(*size)
    own = window.table_screen.findChild(QPushButton, "start_own")
    qtbot.mouseClick(own, Qt.MouseButton.LeftButton)
    for _ in range(3):
        QApplication.processEvents()
    if size == (1280, 652) and scale == 200:  # "Zoeken" gave way to a whole card
        assert not window.table_screen.search_box.isVisible()
        window.table_screen.view.setFocus()
        qtbot.keyClick(window.table_screen.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
        screen = search_screen(window)
        qtbot.keyClicks(screen.field, "b")
    else:
        screen = type_in_table_box(qtbot, window, "b")
    assert fit_problems(window) == []
    assert screen.view.isVisible() and screen.print_button.isVisible()
    window.go_home()
    assert fit_problems(window) == []
