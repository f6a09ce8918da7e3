"""'Ik weet het, herinner me over 3 dagen' where the reminder reaches the person:
in the watcher's window (a real watcher on the real practice box) and in the
letter screen's fixed bar (through the window's when_built hook), where it must
keep the bar on one row at 200 % on both laptops."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QPushButton

from app import watch
from app.reminders import desktop_reminders
from finders import widget
from fit import fit_problems, settle
from ui.shell import theme

pytestmark = pytest.mark.gui

SIZES = [QSize(1366, 700), QSize(1280, 652)]


@pytest.fixture(autouse=True)
def config_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


def _late_letter(session):
    for letter in session.table():
        days = letter.days_left(session.today())
        if days is not None and days <= 3:
            return letter
    raise AssertionError("the practice box has a letter whose deadline is near")


def _far_letter(session):
    for letter in session.table():
        days = letter.days_left(session.today())
        if days is None or days > 6:
            return letter
    raise AssertionError("the practice box has a letter without a near deadline")


def test_later_herinneren_in_the_letter_bar_keeps_it_one_row_at_200(window, qtbot, session):
    from PySide6.QtWidgets import QApplication

    theme.apply(QApplication.instance(), 200)
    window.set_scale(200)
    window.showNormal()
    late = _late_letter(session)
    for size in SIZES:
        window.resize(size)
        settle(window)
        window.open_letter(late.id)
        settle(window)
        screen = window.letter_screen
        snooze = widget(screen, QPushButton, "letter_snooze")
        put_away = widget(screen, QPushButton, "put_away")
        assert snooze.isVisible()
        assert snooze.toolTip() == "Ik weet het, herinner me over 3 dagen"
        assert fit_problems(window) == []
        # one row: the bar did not grow for it, so the letter keeps its room
        assert snooze.y() == put_away.y(), f"a second row at {size.width()}x{size.height()}"
        window.go_home()


def test_later_herinneren_keeps_quiet_for_three_days_and_says_the_day(window, qtbot, session):
    late = _late_letter(session)
    window.open_letter(late.id)
    snooze = widget(window.letter_screen, QPushButton, "letter_snooze")
    qtbot.mouseClick(snooze, Qt.MouseButton.LeftButton)
    today = session.today()
    until = today + timedelta(days=3)
    assert window.notice_label.text() == watch.snooze_words(until)
    assert "Wij herinneren u weer op 1 december." in window.notice_label.text()
    kept = watch.snoozed_until(session.desk, session.person.id, late.id, today)
    assert kept == until
    table = session.table()
    for day in range(3):
        due = desktop_reminders(table, today + timedelta(days=day), snoozed={late.id: until})
        assert late.id not in {r.letter_id for r in due}
    due = desktop_reminders(table, until, snoozed={late.id: until})
    assert late.id in {r.letter_id for r in due}


def test_no_later_herinneren_where_nothing_reminds(window, qtbot, session):
    far = _far_letter(session)
    window.open_letter(far.id)
    assert not widget(window.letter_screen, QPushButton, "letter_snooze").isVisible()


def test_the_watch_window_offers_it_on_each_reminder_and_keeps_it(qtbot, tmp_path):
    from ui.watch.tray import Tray

    data_dir = tmp_path / "data"
    tray = Tray(data_dir, "koen", None)
    try:
        with qtbot.waitSignal(tray.watcher.checked, timeout=20_000):
            tray.watcher.check_now()
        rows = tray.window.rows
        assert rows, "Koen's practice post has reminders today"
        first = rows[0]
        letter_id = first.reminder.letter_id
        assert first.snooze_button.text() == "Ik weet het, herinner me over 3 dagen"
        assert first.snooze_button.isVisibleTo(tray.window)
        assert first.text.text() == first.reminder.text
        with qtbot.waitSignal(tray.watcher.snoozed, timeout=10_000):
            qtbot.mouseClick(first.snooze_button, Qt.MouseButton.LeftButton)
        until = date.today() + timedelta(days=3)
        assert first.text.text() == watch.snooze_words(until)
        assert not first.snooze_button.isVisibleTo(tray.window)
        # the next days' checks leave it out, from the third day it reminds again
        for day, quiet in ((1, True), (2, True), (3, False)):
            later = date.today() + timedelta(days=day)
            result = watch.run_once(data_dir, person_id="koen", today=lambda d=later: d)
            assert (letter_id not in {r.letter_id for r in result.due}) is quiet, day
    finally:
        tray.watcher.stop()
