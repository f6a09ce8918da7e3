"""Shared fixtures. Offscreen by default, and never the person's real data."""

from __future__ import annotations

import gc
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# PySide's enums made as the app makes them (ui/shell/main.py), before pytest-qt
# imports Qt: the whole suite runs on that path
from ui.shell import fast_enum  # noqa: E402

fast_enum.install()

from datetime import date  # noqa: E402

import pytest  # noqa: E402

from app import i18n  # noqa: E402

TODAY = date(2026, 11, 28)


def pytest_xdist_auto_num_workers(config):
    """``-n auto`` (pyproject addopts): one worker more than there are cores, at
    most 9. Many tests wait on a process of their own (a real server, a CLI, a
    second app); an extra worker runs while they wait."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return min(cores + 1, 9)


@pytest.fixture(autouse=True)
def dutch():
    """Every test starts in Dutch and leaves the language as it found it."""
    i18n.set_language("nl")
    yield
    i18n.set_language("nl")


def _qapp():
    """The QApplication, if a test made one (never imports Qt for tests that do not)."""
    widgets = sys.modules.get("PySide6.QtWidgets")
    return widgets.QApplication.instance() if widgets is not None else None


def _top_level_keys(app) -> set[int]:
    import shiboken6

    return {shiboken6.getCppPointer(w)[0] for w in app.topLevelWidgets()}


@pytest.fixture(autouse=True)
def free_windows():
    """Windows a test made die after it, so they do not pile up in the QApplication.

    A MainWindow that is only closed (pytest-qt's qtbot.addWidget closes and calls
    deleteLater) stays alive until its deferred delete runs, and plain processEvents()
    outside an event loop does not run it. Every leaked window keeps ~290 widgets, and
    every theme.apply() repolishes all widgets of the application: the suite got slower
    with every test. So after each test, every top-level widget that was not there
    before is closed (unless qtbot or the test already closed it: a second close would
    run closeEvent twice) and deleted, deferred deletes are flushed, and the Python
    cycles that still point at the windows are collected.

    Autouse, so it is set up before the test's own fixtures and torn down after them
    (and after pytest-qt's own closing of qtbot.addWidget widgets).
    """
    # Whatever is still alive now (Qt's and Python's modules, the session's
    # fixtures) stays alive: frozen, every collection after this (Python's own and
    # the one below) looks only at what this test makes. A full collection of the
    # whole heap took ~0.1 s, after every test that made a window.
    gc.collect()
    gc.freeze()
    app = _qapp()
    before = _top_level_keys(app) if app is not None else set()
    yield
    app = _qapp()
    if app is None:
        return
    import shiboken6
    from PySide6.QtCore import QCoreApplication, QEvent

    new = [
        w
        for w in app.topLevelWidgets()
        if shiboken6.isValid(w) and shiboken6.getCppPointer(w)[0] not in before
    ]
    if not new:
        return
    for widget in new:
        if widget.isVisible():
            widget.close()
        widget.deleteLater()
    del widget, new
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.processEvents()
    gc.collect()
    # Python wrappers collected above may have deleted more (their C++ side goes with them).
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def today():
    return lambda: TODAY


@pytest.fixture
def data_dir(tmp_path):
    return tmp_path / "data"


@pytest.fixture
def session(data_dir, today):
    from app.session import Session
    from practice_folder import practice_copy

    practice_copy(data_dir, today)  # seeded once per process, copied (practice_folder.py)
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


@pytest.fixture(autouse=True)
def synchronous_tasks(monkeypatch):
    """The background helper answers before run() returns, so tests read results at
    once; the work still runs on the worker thread (ui/shell/tasks.py)."""
    from ui.shell import tasks

    monkeypatch.setattr(tasks, "SYNCHRONOUS_DEFAULT", True)
