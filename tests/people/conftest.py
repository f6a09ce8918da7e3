"""Windows of the people of the mandate stories, on the real practice box.

``helper_window("monique")`` opens the practice session as that person (the
holder) with the letters of ``people_letters.py`` in the box, and the real main
window on it, shown at 1366 x 700 (the offscreen screen is small: a laptop is
simulated, as in tests/table)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from people_letters import give_letters  # noqa: E402


@pytest.fixture
def open_as(data_dir, today):
    """Open the practice session as a person (letters given first); closed after."""
    from app.session import Session

    opened = []
    give_letters(data_dir, today)

    def open_(person_id: str, when=None) -> Session:
        session = Session.open_practice(data_dir, person_id=person_id, today=when or today)
        opened.append(session)
        return session

    yield open_
    for session in opened:
        session.close()


@pytest.fixture
def helper_window(qtbot, open_as, tmp_path):
    from PySide6.QtCore import QSize
    from PySide6.QtWidgets import QApplication

    from fit import settle
    from ui.shell import theme
    from ui.shell.main_window import MainWindow

    def make(person_id: str, when=None) -> MainWindow:
        theme.apply(QApplication.instance(), 100)
        window = MainWindow(open_as(person_id, when), pdf_folder=tmp_path / "pdf")
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        if window.isMaximized():
            window.showNormal()
        window.resize(QSize(1366, 700))
        settle(window)
        return window

    return make
