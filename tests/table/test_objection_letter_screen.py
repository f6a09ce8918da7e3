"""A practice decision (it brings its own explanation) says on the letter screen,
in its facts ("Bezwaar:"), and on its print, until when and how to object, as the
card says "Bezwaar tot"; a letter that is no decision does not. Real practice
session and window."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QApplication

from app.explain import objection
from app.session import Session
from ui.shell import theme
from ui.shell.main_window import MainWindow

TODAY = date(2026, 11, 28)


def test_a_decision_tells_its_objection_term_on_the_letter_screen(qtbot, tmp_path):
    session = Session.open_practice(tmp_path, person_id="koen", today=lambda: TODAY)
    theme.apply(QApplication.instance(), theme.MIN_SCALE)
    window = MainWindow(session, pdf_folder=tmp_path / "pdf")
    qtbot.addWidget(window)
    try:
        letters = session.table()
        decisions = [
            x for x in letters if (o := objection(x)) is not None and o.certain and o.until >= TODAY
        ]
        others = [x for x in letters if objection(x) is None]
        assert decisions and others
        screen = window.letter_screen
        window.open_letter(decisions[0].id)
        name, value = screen.fact_labels["objection"]
        assert name.text() in ("Bezwaar:", "Beroep:") and not value.isHidden()
        assert "bezwaar maken tot" in value.text() or "beroep instellen tot" in value.text()
        assert screen.todo_text.text() == decisions[0].what_to_do  # the letter's own words
        printed = screen.print_document().document.toPlainText()
        assert value.text() in printed
        window.open_letter(others[0].id)
        assert screen.fact_labels["objection"][1].isHidden()
    finally:
        session.close()
