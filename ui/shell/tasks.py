"""The one background helper: mailbox work off the GUI thread.

In the spirit of Anki's ``QueryOp`` and Picard's ``run_task``::

    window.tasks.run(lambda: session.mailbox.account_status(person_id),
                     on_done=self._show_status, owner=self)

* ``work`` runs on the single worker thread (one at a time, in the order asked,
  so a refresh asked after a change sees that change);
* ``on_done(result)`` and ``on_error(error)`` run on the GUI thread, and not at
  all when ``owner`` was deleted in the meantime;
* ``progress`` is handed to ``work``; each call reaches ``on_progress`` on the
  GUI thread;
* while any task runs longer than :attr:`Tasks.patience_ms`, ``busy_changed``
  says so and the window shows "Even geduld" (ui/shell/main_window.py);
* a :class:`~app.mailbox.MailboxError` goes to ``on_error`` (default: the
  window's notice row, in plain words); any other exception is a fault of
  ours: it is logged without its message (which may hold personal data) and
  shown as a kind sentence, never a traceback.

``synchronous=True`` (the tests) still runs ``work`` on the worker thread, but
waits for it and delivers the callbacks before :meth:`Tasks.run` returns, so a
test sees the result at once and a mailbox can still check that it is never
called on the GUI thread. An unexpected exception is then re-raised, so a bug
fails the test.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal

from app.mailbox import MailboxError
from app.problems import unexpected_text
from app.storage import StoreProblem

if TYPE_CHECKING:  # the pool is made at the first task, after the first frame (issue 14)
    from concurrent.futures import Future, ThreadPoolExecutor

T = TypeVar("T")
log = logging.getLogger("brieventafel.tasks")

#: Tests set this (tests/conftest.py) so that every Tasks made runs synchronously.
SYNCHRONOUS_DEFAULT = False

WORKER_NAME = "brieventafel-worker"


def on_worker_thread() -> bool:
    """True on the background helper's thread (what a mailbox may check)."""
    return threading.current_thread().name.startswith(WORKER_NAME)


@dataclass
class Task(Generic[T]):
    """One piece of work asked of :class:`Tasks`; ``done`` once its callback ran."""

    label: str
    on_done: Callable[[T], None] | None = None
    on_error: Callable[[MailboxError], None] | None = None
    on_progress: Callable[[Any], None] | None = None
    owner: QObject | None = None
    done: bool = False
    future: Future | None = field(default=None, repr=False)

    def owner_alive(self) -> bool:
        return self.owner is None or shiboken6.isValid(self.owner)


class Tasks(QObject):
    """Runs work on one background thread and answers on the GUI thread.

    Signals:
        busy_changed(bool): True once a task has run longer than patience_ms,
            False when nothing runs any more.
        failed(str): a plain sentence for a failure nobody else handled.
    """

    busy_changed = Signal(bool)
    failed = Signal(str)
    _deliver = Signal(object, object, object)  # task, kind, value (worker -> GUI thread)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        synchronous: bool | None = None,
        patience_ms: int = 400,
    ):
        super().__init__(parent)
        self.synchronous = SYNCHRONOUS_DEFAULT if synchronous is None else synchronous
        self.patience_ms = patience_ms
        self._pool: ThreadPoolExecutor | None = None
        self._running: list[Task] = []
        self._busy = False
        # The one timer here shows "Even geduld" after a moment; it removes
        # nothing and limits nothing (tests/a11y/test_a11y.py allows it).
        self._patience = QTimer(self)
        self._patience.setSingleShot(True)
        self._patience.timeout.connect(self._check_busy)
        self._deliver.connect(self._on_deliver)

    # -- asking ------------------------------------------------------------------
    def run(
        self,
        work: Callable[..., T],
        on_done: Callable[[T], None] | None = None,
        *,
        on_error: Callable[[MailboxError], None] | None = None,
        on_progress: Callable[[Any], None] | None = None,
        owner: QObject | None = None,
        label: str = "",
    ) -> Task[T]:
        """Run ``work()`` (or ``work(progress)`` when ``on_progress`` is given)."""
        task: Task[T] = Task(
            label or getattr(work, "__name__", "task"), on_done, on_error, on_progress, owner
        )
        if self._pool is None:  # made on first use, and again after shutdown()
            # imported here: concurrent.futures and queue are 2 ms, and the app's
            # first task (the first sync) comes after its first frame (issue 14)
            from concurrent.futures import ThreadPoolExecutor

            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=WORKER_NAME)
        pool = self._pool
        self._running.append(task)
        if self.synchronous:
            progress_seen: list[Any] = []
            future = pool.submit(self._call, work, task, progress_seen.append)
            task.future = future
            kind, value = future.result()
            for step in progress_seen:
                self._on_deliver(task, "progress", step)
            self._on_deliver(task, kind, value)
            return task

        def progress(step: Any) -> None:
            self._deliver.emit(task, "progress", step)

        def work_then_answer() -> None:
            # Emitted from the worker thread itself, so the answer is queued after
            # every progress step (a done-callback may run on the GUI thread first).
            self._deliver.emit(task, *self._call(work, task, progress))

        task.future = pool.submit(work_then_answer)
        if not self._patience.isActive():
            self._patience.start(self.patience_ms)
        return task

    @staticmethod
    def _call(
        work: Callable[..., Any], task: Task, progress: Callable[[Any], None]
    ) -> tuple[str, Any]:
        """On the worker thread: never raises, so the answer always arrives."""
        try:
            result = work(progress) if task.on_progress is not None else work()
        except MailboxError as error:
            return "error", error
        except StoreProblem as error:  # a store in use elsewhere or read-only: not a fault
            return "store", error
        except Exception as error:  # noqa: BLE001 - a fault of ours, reported on the GUI thread
            return "fault", error
        return "done", result

    # -- answering (GUI thread) --------------------------------------------------
    def _on_deliver(self, task: Task, kind: str, value: Any) -> None:
        if kind == "progress":
            if task.on_progress is not None and task.owner_alive():
                task.on_progress(value)
            return
        task.done = True
        if task in self._running:
            self._running.remove(task)
        if not self._running:
            self._patience.stop()
            self._set_busy(False)
        if not task.owner_alive():
            return
        if kind == "done":
            if task.on_done is not None:
                task.on_done(value)
        elif kind == "store":
            from app.store_words import problem_text as store_problem_text

            self.failed.emit(store_problem_text(value))
        elif kind == "error":
            if task.on_error is not None:
                task.on_error(value)
            else:
                from app.problems import problem_text

                self.failed.emit(problem_text(value))
        else:
            # Only the type and where: an exception's message may hold a name or a letter.
            # Source lines are left out too: a line can hold a literal name.
            frames = "\n".join(
                f"  {f.filename}:{f.lineno} in {f.name}"
                for f in traceback.extract_tb(value.__traceback__)
            )
            log.error("task %s failed: %s\n%s", task.label, type(value).__name__, frames)
            if self.synchronous:
                raise value
            self.failed.emit(unexpected_text())

    def _check_busy(self) -> None:
        if self._running:
            self._set_busy(True)

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            self.busy_changed.emit(busy)

    @property
    def busy(self) -> bool:
        return self._busy

    def pending(self) -> int:
        return len(self._running)

    def shutdown(self) -> None:
        """Wait for the running work (it may be writing) and stop the thread."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True)
