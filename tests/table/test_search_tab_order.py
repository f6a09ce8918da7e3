"""After the welcome choice, "Zoeken" appears above the list: Shift+Tab from the
list reaches it, as it is seen (it went to "Instellingen" in the top bar, seen
walking Koen's table with the keyboard at 200 % on a 1366 x 768 laptop; the
order does not depend on the text size, so the test runs at 100 %)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.session import Session
from ui.shell import theme
from ui.shell.main_window import MainWindow


def test_shift_tab_from_the_list_reaches_the_search_field_after_the_welcome(qtbot, tmp_path):
    session = Session.open_practice(tmp_path, person_id="koen", today=lambda: date(2026, 11, 28))
    theme.apply(QApplication.instance(), theme.MIN_SCALE)
    window = MainWindow(session, pdf_folder=tmp_path / "pdf")
    qtbot.addWidget(window)
    try:
        window.show()
        qtbot.waitExposed(window)
        window.showNormal()
        window.resize(1366, 700)
        window.activateWindow()
        table = window.table_screen
        field = table.search_box.field
        assert not table.search_box.isVisible()  # the welcome stands in for it
        start = next(
            b for b in table.findChildren(type(window.back_button)) if b.objectName() == "start_own"
        )
        start.click()  # "Ik regel mijn eigen post": the welcome goes
        qtbot.waitUntil(lambda: table.search_box.isVisible())
        table.view.setFocus()
        QTest.keyClick(table.view, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
        assert QApplication.focusWidget() is field
        QTest.keyClick(field, Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is table.view
    finally:
        session.close()
        theme.apply(QApplication.instance(), theme.MIN_SCALE)
