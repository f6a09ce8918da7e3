"""Shared fixtures. Offscreen by default, and never the person's real data."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import date  # noqa: E402

import pytest  # noqa: E402

from app import i18n  # noqa: E402

TODAY = date(2026, 11, 28)


@pytest.fixture(autouse=True)
def dutch():
    """Every test starts in Dutch and leaves the language as it found it."""
    i18n.set_language("nl")
    yield
    i18n.set_language("nl")


@pytest.fixture
def today():
    return lambda: TODAY


@pytest.fixture
def data_dir(tmp_path):
    return tmp_path / "data"


@pytest.fixture
def session(data_dir, today):
    from app.session import Session

    s = Session.open_practice(data_dir, today=today)
    yield s
    s.close()


@pytest.fixture
def window(qtbot, session, tmp_path):
    from PySide6.QtWidgets import QApplication

    from ui.shell import theme
    from ui.shell.main_window import MainWindow

    theme.apply(QApplication.instance(), 100)
    w = MainWindow(session, pdf_folder=tmp_path / "pdf")
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w
