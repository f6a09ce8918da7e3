"""The watcher's window and schedule, real Qt widgets offscreen."""

from __future__ import annotations

import threading

import pytest

from app.watch import RunResult

pytestmark = pytest.mark.gui


def test_a_check_runs_off_the_gui_thread_and_its_lines_stay_in_the_window(qtbot):
    from ui.watch.tray import CHECK_EVERY_MS, Watcher, WatchWindow

    threads = []

    def check():
        threads.append(threading.current_thread())
        return RunResult(["Herinnering: Nieuwe brief van RDW."], reminders=1)

    watcher = Watcher(check)
    window = WatchWindow(watcher, open_app=lambda: None)
    qtbot.addWidget(window)
    watcher.checked.connect(lambda result: window.show_result(result, 1))
    assert window.count.text() == "Wij kijken nu naar uw post."
    with qtbot.waitSignal(watcher.checked, timeout=10_000):
        watcher.start()
    assert threads and threads[0] is not threading.main_thread()
    assert window.count.text() == "Er ligt 1 brief die aandacht vraagt."
    assert window.lines.text() == "Herinnering: Nieuwe brief van RDW."
    # the schedule repeats and is half an hour: it limits nothing the person does
    assert watcher.schedule.isActive() and not watcher.schedule.isSingleShot()
    assert watcher.schedule.interval() == CHECK_EVERY_MS == 30 * 60 * 1000
    # a quiet check keeps the lines of before in sight
    watcher.checked.disconnect()
    window.show_result(RunResult([]), 0)
    assert window.lines.text() == "Herinnering: Nieuwe brief van RDW."
    assert window.count.text() == "Er ligt niets dat nu aandacht vraagt."
    watcher.stop()


def test_a_fault_in_a_check_is_said_kindly(qtbot):
    from ui.watch.tray import Watcher

    def broken():
        raise RuntimeError("Koen de Vries 999990019")  # must never be shown or logged

    watcher = Watcher(broken)
    with qtbot.waitSignal(watcher.checked, timeout=10_000) as blocker:
        watcher.check_now()
    (result,) = blocker.args
    assert result.lines == ["Het kijken naar uw post lukte niet. Wij proberen het later."]
    watcher.stop()


def test_the_count_icon_is_drawn(qtbot):
    from ui.watch.tray import count_icon

    assert not count_icon(3).isNull() and not count_icon(12).isNull()
