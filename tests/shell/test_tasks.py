"""The one background helper (ui/shell/tasks.py), and that every screen uses it.

Most tests run the helper synchronously (tests/conftest.py); here it also runs
for real: work on the worker thread, answers on the GUI thread, "Even geduld"
after a moment, and failures in plain words.
"""

from __future__ import annotations

import logging
import threading

import pytest
from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QApplication, QPushButton

from app.mailbox import MailboxError, SyncProgress
from practice_folder import practice_copy
from ui.shell import tasks as tasks_module
from ui.shell.tasks import Tasks, on_worker_thread

pytestmark = pytest.mark.gui


@pytest.fixture
def real_tasks(qtbot):
    runner = Tasks(synchronous=False, patience_ms=20)
    yield runner
    runner.shutdown()


def test_work_runs_on_the_worker_and_answers_on_the_gui_thread(qtbot, real_tasks):
    seen = {}
    real_tasks.run(
        lambda: seen.setdefault("work", threading.current_thread().name) or 42,
        lambda result: seen.update(done=(result, threading.current_thread())),
    )
    qtbot.waitUntil(lambda: "done" in seen)
    assert seen["work"].startswith(tasks_module.WORKER_NAME)
    assert seen["done"][1] is threading.main_thread()


def test_even_geduld_shows_after_a_moment_and_goes_when_done(qtbot, real_tasks):
    release = threading.Event()
    states: list[bool] = []
    real_tasks.busy_changed.connect(states.append)
    task = real_tasks.run(lambda: release.wait(10))
    qtbot.waitUntil(lambda: states == [True])
    assert real_tasks.busy and not task.done
    release.set()
    qtbot.waitUntil(lambda: task.done)
    assert states == [True, False]


def test_quick_work_never_shows_even_geduld(qtbot):
    runner = Tasks(synchronous=False, patience_ms=5000)
    states: list[bool] = []
    runner.busy_changed.connect(states.append)
    task = runner.run(lambda: 1)
    qtbot.waitUntil(lambda: task.done)
    runner.shutdown()
    assert states == []


def test_progress_arrives_in_order_before_the_result(qtbot, real_tasks):
    events: list = []

    def work(progress):
        for n in (1, 2, 3):
            progress(SyncProgress(n, 3, f"org{n}"))
        return "klaar"

    real_tasks.run(work, events.append, on_progress=lambda step: events.append(step.done))
    qtbot.waitUntil(lambda: "klaar" in events)
    assert events == [1, 2, 3, "klaar"]


def test_synchronous_mode_delivers_progress_and_result_before_run_returns(qtbot):
    runner = Tasks(synchronous=True)
    events: list = []
    runner.run(
        lambda progress: (progress("a"), on_worker_thread())[1],
        events.append,
        on_progress=events.append,
    )
    assert events == ["a", True]  # the work still ran on the worker thread
    runner.shutdown()


def test_a_mailbox_error_goes_to_on_error_or_in_plain_words_to_failed(qtbot, real_tasks):
    errors: list = []
    told: list[str] = []
    real_tasks.failed.connect(told.append)

    def refuse():
        raise MailboxError("unreachable")

    real_tasks.run(refuse, on_error=errors.append)
    real_tasks.run(refuse)
    qtbot.waitUntil(lambda: bool(errors and told))
    assert errors[0].code == "unreachable"
    assert "niet te bereiken" in told[0]


def test_a_fault_of_ours_is_said_kindly_and_logged_without_its_message(qtbot, real_tasks, caplog):
    told: list[str] = []
    real_tasks.failed.connect(told.append)

    def bug():
        raise ValueError("Koen Visser, BSN 123456782")

    with caplog.at_level(logging.ERROR, logger="brieventafel.tasks"):
        real_tasks.run(bug)
        qtbot.waitUntil(lambda: bool(told))
    assert "niet aan u" in told[0] and "Traceback" not in told[0]
    assert "ValueError" in caplog.text
    assert "Koen" not in caplog.text and "123456782" not in caplog.text


def test_no_answer_reaches_a_screen_that_is_gone(qtbot, real_tasks):
    release = threading.Event()
    owner = QObject()
    answers: list = []
    task = real_tasks.run(lambda: release.wait(10), answers.append, owner=owner)
    owner.deleteLater()
    QApplication.sendPostedEvents(None, 0)
    qtbot.waitUntil(lambda: not __import__("shiboken6").isValid(owner))
    release.set()
    qtbot.waitUntil(lambda: task.done)
    assert answers == []


def test_a_synchronous_fault_fails_the_test_instead_of_hiding(qtbot):
    runner = Tasks(synchronous=True)
    with pytest.raises(ZeroDivisionError):
        runner.run(lambda: 1 / 0)
    runner.shutdown()


def test_work_is_done_in_the_order_asked(qtbot, real_tasks):
    order: list[int] = []
    last = None
    for n in range(20):
        last = real_tasks.run(lambda n=n: order.append(n))
    qtbot.waitUntil(lambda: last.done)
    assert order == list(range(20))


# -- every mailbox call of every screen goes through the helper ---------------------------
class ThreadCheckingMailbox:
    """The real practice mailbox, which refuses to be asked on the GUI thread."""

    def __init__(self, inner):
        self._inner = inner
        self.calls: list[str] = []
        self.on_gui_thread: list[str] = []

    def __getattr__(self, name):
        value = getattr(self._inner, name)
        if not callable(value) or name.startswith("_"):
            return value

        def checked(*args, **kwargs):
            self.calls.append(name)
            if threading.current_thread() is threading.main_thread():
                self.on_gui_thread.append(name)
            return value(*args, **kwargs)

        return checked


def _click(qtbot, widget) -> None:
    assert widget.isVisible() and widget.isEnabled(), widget.objectName()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def _button(window, name: str) -> QPushButton:
    found = [b for b in window.findChildren(QPushButton, name) if b.isVisible()]
    assert found, name
    return found[0]


@pytest.mark.parametrize("person", ["koen", "kees", "corry"])
def test_no_screen_asks_the_mailbox_on_the_gui_thread(qtbot, data_dir, today, tmp_path, person):
    """Walk every screen as the practice people would, with a mailbox that notes each
    call made on the GUI thread: there must be none, and no redraw for a language
    switch may ask the mailbox anything."""
    from app.session import Session
    from ui.shell.main_window import MainWindow

    practice_copy(data_dir, today, person_id=person)
    session = Session.open_practice(data_dir, person_id=person, today=today)
    checking = ThreadCheckingMailbox(session.mailbox)
    session.mailbox = checking
    window = MainWindow(session, pdf_folder=tmp_path / "pdf")
    qtbot.addWidget(window)
    window.show()
    try:
        window.open_letter(session.table()[0].id)
        _click(qtbot, _button(window, "put_away"))
        _click(qtbot, _button(window, "undo_button"))
        _click(qtbot, _button(window, "open_account_status"))
        status_buttons = [
            b
            for b in ("status_orgs", "status_guide")
            if any(x.isVisible() for x in window.findChildren(QPushButton, b))
        ]
        _click(qtbot, _button(window, status_buttons[0]))
        if status_buttons[0] == "status_guide":
            for _ in range(6):
                _click(qtbot, _button(window, "guide_next"))
        window.go_home()
        _click(qtbot, _button(window, "paper_button"))
        confirm = [b for b in window.findChildren(QPushButton, "paper_confirm") if b.isVisible()]
        if confirm:
            _click(qtbot, confirm[0])
        window.go_home()
        window.show_folders()
        before = len(checking.calls)
        window.retranslate_ui()  # a language switch redraws every screen
        assert checking.calls[before:] == []
        assert len(checking.calls) >= 8
        assert checking.on_gui_thread == []
    finally:
        window.close()
        session.close()


@pytest.fixture
def gui_thread_calls(monkeypatch):
    """Every PracticeMailbox method, made to note each call on the GUI thread
    (every session's mailbox, also one opened later, e.g. by the guided mode)."""
    from app.mailbox.practice import PracticeMailbox

    noted: list[str] = []
    for name, method in list(vars(PracticeMailbox).items()):
        if name.startswith("_") or not callable(method) or name == "close":
            continue

        def checked(self, *args, _method=method, _name=name, **kwargs):
            if threading.current_thread() is threading.main_thread():
                noted.append(_name)
            return _method(self, *args, **kwargs)

        monkeypatch.setattr(PracticeMailbox, name, checked)
    return noted


def test_the_guided_mode_asks_the_mailbox_only_through_the_helper(
    qtbot, tmp_path, today, gui_thread_calls
):
    """A volunteer runs script 1 in training (a story opened on the way), prints the
    handout and ends: no mailbox call on the GUI thread."""
    from PySide6.QtWidgets import QAbstractButton

    from app.guided import Visit
    from ui.guided.panel import GuidePanel
    from ui.guided.window import GuidedWindow

    visit = Visit.start(tmp_path / "begeleid", today=today)
    practice_copy(visit.folder, today, into=True)  # seeded once, copied
    visit.open_session()
    gui_thread_calls.clear()  # opening before the window is start-up, not a screen
    window = GuidedWindow(visit, pdf_folder=visit.folder / "briefje")
    qtbot.addWidget(window)
    window.show()
    try:
        _click(qtbot, window.panel.training_button)
        _click(qtbot, window.findChild(QAbstractButton, "guided_script_status"))
        assert window.session.person.id == "corry"  # switched in the background
        while window.panel.pages.currentIndex() == GuidePanel.STEP:
            target = window.controller.target_widget()
            if isinstance(target, QAbstractButton) and target.isVisible():
                _click(qtbot, target)
            _click(qtbot, window.panel.next)
        assert window.panel.pages.currentIndex() == GuidePanel.DONE
        assert "Uw Berichtenbox staat uit" in window.panel.done_list.text()
        _click(qtbot, window.panel.done_print)
        assert gui_thread_calls == []
    finally:
        window.close()
        visit.end()
