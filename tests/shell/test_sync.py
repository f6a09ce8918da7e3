"""Fetching new post: in the background, with progress, and a failure is shown."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QLabel

from app.mailbox import MailboxError, SyncProgress
from app.session import Session
from ui.shell.main_window import MainWindow
from ui.shell.tasks import Tasks

pytestmark = pytest.mark.gui


class Failing:
    """The practice mailbox with the network gone: letters() cannot be fetched."""

    def __init__(self, inner, code="unreachable"):
        self._inner, self._code = inner, code

    def letters(self, *args, **kwargs):
        raise MailboxError(self._code)

    def __getattr__(self, name):
        return getattr(self._inner, name)


def _window(qtbot, session, tmp_path, **options) -> MainWindow:
    window = MainWindow(session, pdf_folder=tmp_path / "pdf", **options)
    qtbot.addWidget(window)
    window.show()
    return window


def test_a_failed_sync_is_shown_and_the_table_keeps_its_letters(qtbot, session, tmp_path):
    on_table = {letter.id for letter in session.table()}
    session.mailbox = Failing(session.mailbox)
    window = _window(qtbot, session, tmp_path)
    notice = window.findChild(QLabel, "notice_text")
    assert notice.isVisible()
    assert notice.text().startswith("Nieuwe post ophalen is niet gelukt.")
    assert "niet te bereiken" in notice.text()
    assert session.sync_error is not None and session.sync_error.code == "unreachable"
    assert {
        window.table_screen.model.index(r).data(window.table_screen.model.IdRole)
        for r in range(window.table_screen.model.rowCount())
    } == on_table


def test_the_next_good_sync_clears_the_error_and_lays_new_post_on_the_table(
    qtbot, session, tmp_path
):
    inner = session.mailbox
    session.mailbox = Failing(inner)
    window = _window(qtbot, session, tmp_path)
    inner.deliver(
        {
            "id": "koen-new-1",
            "recipient": "koen",
            "org": "rdw",
            "subject": "Uw auto moet naar de APK",
            "summary": "Nieuw.",
            "action": "lezen",
            "received_days_ago": 0,
        }
    )
    session.mailbox = inner
    window.sync()
    assert session.sync_error is None
    assert window.table_screen.model.row_of("koen-new-1") >= 0


def test_sync_progress_shows_in_the_even_geduld_line(qtbot, session, tmp_path):
    """A slow mailbox: 'Even geduld' appears with how far fetching is, and goes."""
    release = threading.Event()
    inner = session.mailbox

    class Slow:
        def letters(self, person_id, since=None, *, progress=None):
            progress(SyncProgress(3, 10, "RDW"))
            release.wait(10)
            return inner.letters(person_id, since, progress=None)

        def __getattr__(self, name):
            return getattr(inner, name)

    session.mailbox = Slow()
    tasks = Tasks(synchronous=False, patience_ms=10)
    window = _window(qtbot, session, tmp_path, tasks=tasks)
    busy = window.findChild(QLabel, "busy_text")
    qtbot.waitUntil(lambda: busy.isVisible() and "3 van 10" in busy.text())
    assert busy.text().startswith("Even geduld.")
    release.set()
    qtbot.waitUntil(lambda: not busy.isVisible())
    tasks.shutdown()


def test_a_letter_that_cannot_be_read_is_named_once_and_the_rest_are_shown(
    qtbot, data_dir, today, tmp_path
):
    """A practice letter with an impossible deadline: set aside, told once, others shown."""
    import sqlite3

    Session.open_practice(data_dir, today=today, sync=False).close()
    store = data_dir / "oefenpost" / "practice.sqlite3"
    with sqlite3.connect(store) as conn:
        conn.execute("UPDATE letters SET deadline = '2026-02-30' WHERE id = 'koen-001'")
    session = Session.open_practice(data_dir, today=today, sync=False)
    try:
        window = _window(qtbot, session, tmp_path)
        notice = window.findChild(QLabel, "notice_text")
        assert notice.isVisible()
        assert "niet lezen" in notice.text() and "CJIB" in notice.text()
        shown = {
            window.table_screen.model.index(r).data(window.table_screen.model.IdRole)
            for r in range(window.table_screen.model.rowCount())
        }
        assert "koen-001" not in shown and len(shown) == 21
        told = list(window._notices)
        window.sync()  # a second sync does not say it again
        assert window._notices == told
    finally:
        window.close()
        session.close()
