"""``brieventafel --watch``: check the post now and then, in the background.

A tray icon with the number of letters that need doing, where the desktop has
a tray (QSystemTrayIcon); where it has none (plain GNOME), a small calm window
instead. Either way today's reminders stay in the window until the person
closes it: a tray bubble may fade, the list does not.

The schedule (:data:`CHECK_EVERY_MS`, a QTimer) is the watcher's own clock:
it limits nothing the person does, hides nothing and removes nothing
(tests/a11y/test_a11y.py allows it here, and only here in ui/watch). Each
check runs :func:`app.watch.run_once` on a worker thread of its own, so a slow
mailbox or mail server never holds the GUI thread; the answer comes back as a
queued signal.
"""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSystemTrayIcon,
    QVBoxLayout,
    QWidget,
)

from app.i18n import gettext as _
from app.i18n import ngettext

#: how often the watcher looks: every half hour (the schedule, not a time limit)
CHECK_EVERY_MS = 30 * 60 * 1000


class Watcher(QObject):
    """Runs a check on its worker thread; ``checked`` brings the result back."""

    checked = Signal(object)  # app.watch.RunResult
    #: (letter id, the day it reminds again, or None when it could not be kept)
    snoozed = Signal(str, object)

    def __init__(self, check, parent: QObject | None = None):
        super().__init__(parent)
        self._check = check
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="brieventafel-watch")
        self._running: Future | None = None
        self.schedule = QTimer(self)
        self.schedule.setInterval(CHECK_EVERY_MS)
        self.schedule.timeout.connect(self.check_now)

    def start(self) -> None:
        self.schedule.start()
        self.check_now()

    def check_now(self) -> bool:
        """Start a check unless one runs; False when one was running already."""
        if self._running is not None and not self._running.done():
            return False
        self._running = self._pool.submit(self._safe_check)
        return True

    def _safe_check(self) -> None:
        from app.watch import RunResult

        try:
            result = self._check()
        except Exception as error:  # a fault of ours: said kindly, logged without values
            import logging

            logging.getLogger(__name__).warning("watch check failed: %s", type(error).__name__)
            result = RunResult([_("Het kijken naar uw post lukte niet. Wij proberen het later.")])
        self.checked.emit(result)

    def snooze(self, letter_id: str, work) -> Future:
        """Keep "Ik weet het, herinner me over 3 dagen" on the same worker thread as
        the checks (one writer to the desk at a time); ``snoozed`` tells the result."""

        def keep() -> None:
            try:
                until = work()
            except Exception as error:  # the desk could not be written: told, not raised
                import logging

                logging.getLogger(__name__).warning("snooze failed: %s", type(error).__name__)
                until = None
            self.snoozed.emit(letter_id, until)

        return self._pool.submit(keep)

    def wait(self) -> None:
        """Until the running check ended (tests; closing)."""
        if self._running is not None:
            self._running.result()

    def stop(self) -> None:
        self.schedule.stop()
        self._pool.shutdown(wait=True)


def count_icon(count: int) -> QIcon:
    """A calm square with the number of letters that need doing."""
    pixmap = QPixmap(64, 64)
    pixmap.fill(QColor("#1d4f91"))
    painter = QPainter(pixmap)
    painter.setPen(QColor("#ffffff"))
    font = QFont()
    font.setPixelSize(40 if count < 10 else 28)
    font.setBold(True)
    painter.setFont(font)
    painter.drawText(pixmap.rect(), Qt.AlignmentFlag.AlignCenter, str(count) if count else "")
    painter.end()
    return QIcon(pixmap)


class ReminderRow(QWidget):
    """One reminder, with "Ik weet het, herinner me over 3 dagen" beside it."""

    def __init__(self, reminder, number: int, parent: QWidget | None = None):
        super().__init__(parent)
        from app.reminders import snooze_label

        self.reminder = reminder
        self.setObjectName(f"watch_reminder_{number}")
        row = QVBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.text = QLabel(reminder.text)
        self.text.setObjectName(f"watch_reminder_text_{number}")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.snooze_button = QPushButton(snooze_label())
        self.snooze_button.setObjectName(f"watch_snooze_{number}")
        row.addWidget(self.text)
        row.addWidget(self.snooze_button)

    def done(self, words: str) -> None:
        self.text.setText(words)
        self.snooze_button.hide()


class WatchWindow(QWidget):
    """The small calm window: how many letters need doing and today's reminders,
    each with "Ik weet het, herinner me over 3 dagen" (``on_snooze(letter_id)``)."""

    def __init__(self, watcher: Watcher, open_app, parent: QWidget | None = None, on_snooze=None):
        super().__init__(parent)
        self._on_snooze = on_snooze
        self.rows: list[ReminderRow] = []
        self.setObjectName("watch_window")
        self.setWindowTitle(_("Brieventafel let op uw post"))
        layout = QVBoxLayout(self)
        self.heading = QLabel(_("Brieventafel let op uw post"))
        self.heading.setObjectName("watch_heading")
        self.count = QLabel()
        self.count.setObjectName("watch_count")
        self.lines = QLabel()
        self.lines.setObjectName("watch_lines")
        for text in (self.heading, self.count):
            text.setWordWrap(True)
            text.setTextFormat(Qt.TextFormat.PlainText)
            layout.addWidget(text)
        self.reminder_rows = QVBoxLayout()
        layout.addLayout(self.reminder_rows)
        self.lines.setWordWrap(True)
        self.lines.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.lines)
        row = QHBoxLayout()
        self.open_button = QPushButton(_("Brieventafel openen"))
        self.open_button.setObjectName("watch_open")
        self.check_button = QPushButton(_("Nu kijken"))
        self.check_button.setObjectName("watch_check")
        row.addWidget(self.open_button)
        row.addWidget(self.check_button)
        layout.addLayout(row)
        self.open_button.clicked.connect(open_app)
        self.check_button.clicked.connect(watcher.check_now)
        self.show_result(None)

    def show_result(self, result, waiting: int = 0) -> None:
        if result is None:
            self.count.setText(_("Wij kijken nu naar uw post."))
            self.lines.setText("")
            return
        self.count.setText(
            ngettext(
                "Er ligt %(n)d brief die aandacht vraagt.",
                "Er liggen %(n)d brieven die aandacht vragen.",
                waiting,
            )
            % {"n": waiting}
            if waiting
            else _("Er ligt niets dat nu aandacht vraagt.")
        )
        due = tuple(getattr(result, "due", ()))
        if due and self._on_snooze is not None:
            self._show_rows(due)
            from app.watch import reminder_line

            shown = {reminder_line(r) for r in due}
            self.lines.setText("\n".join(line for line in result.lines if line not in shown))
        elif result.lines:
            self.lines.setText("\n".join(result.lines))

    def _show_rows(self, due) -> None:
        for row in self.rows:
            self.reminder_rows.removeWidget(row)
            row.setParent(None)
            row.deleteLater()
        self.rows = []
        for number, reminder in enumerate(due):
            row = ReminderRow(reminder, number, self)
            row.snooze_button.clicked.connect(
                lambda _checked=False, lid=reminder.letter_id: self._on_snooze(lid)
            )
            self.reminder_rows.addWidget(row)
            row.show()  # shown now, not when the layout gets to it
            self.rows.append(row)

    def snoozed(self, letter_id: str, until) -> None:
        """The answer to a snooze: said in the reminder's own place."""
        from app.watch import snooze_words

        for row in self.rows:
            if row.reminder.letter_id == letter_id:
                row.done(
                    snooze_words(until)
                    if until is not None
                    else _("Dit lukte niet. Er is niets veranderd.")
                )


def needing_attention(data_dir: Path, person_id: str | None, server: str | None) -> int:
    """How many letters on the table have a reminder today (for the icon)."""
    from app.desk import Desk
    from app.mailbox.practice import DEFAULT_PERSON
    from app.reminders import reminder_for
    from app.watch import desk_folder

    desk = Desk(desk_folder(data_dir, server))
    try:
        import datetime

        today = datetime.date.today()
        person = person_id or DEFAULT_PERSON
        return sum(
            reminder_for(letter, today, reminded_before=True) is not None
            for letter in desk.table(person)
        )
    finally:
        desk.close()


class Tray(QObject):
    def __init__(self, data_dir: Path, person_id: str | None, server: str | None):
        super().__init__()
        from app.watch import run_once

        self.data_dir, self.person_id, self.server = data_dir, person_id, server
        self.watcher = Watcher(lambda: run_once(data_dir, person_id=person_id, server=server), self)
        self.window = WatchWindow(self.watcher, self.open_app, on_snooze=self.snooze)
        self.watcher.snoozed.connect(self.window.snoozed)
        self.icon: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.icon = QSystemTrayIcon(count_icon(0), self)
            menu = QMenu()
            menu.addAction(_("Laat zien"), self.window.show)
            menu.addAction(_("Brieventafel openen"), self.open_app)
            menu.addAction(_("Nu kijken"), self.watcher.check_now)
            menu.addAction(_("Stoppen met opletten"), QApplication.quit)
            self._menu = menu
            self.icon.setContextMenu(menu)
            self.icon.activated.connect(lambda _reason: self.window.show())
            self.icon.show()
        else:
            self.window.show()
        self.watcher.checked.connect(self.on_checked)

    def on_checked(self, result) -> None:
        waiting = needing_attention(self.data_dir, self.person_id, self.server)
        self.window.show_result(result, waiting)
        if self.icon is not None:
            self.icon.setIcon(count_icon(waiting))
            self.icon.setToolTip(self.window.count.text())
            if result.lines:
                # a bubble may fade; the same lines stay in the window until closed
                self.icon.showMessage("Brieventafel", "\n".join(result.lines[:3]))
        elif result.lines:
            self.window.show()

    def snooze(self, letter_id: str) -> None:
        """ "Ik weet het, herinner me over 3 dagen" for this letter."""
        import datetime

        from app.watch import snooze_at

        today = datetime.date.today()
        self.watcher.snooze(
            letter_id,
            lambda: snooze_at(self.data_dir, self.server, self.person_id, letter_id, today),
        )

    def open_app(self) -> None:
        from app.autostart import watch_command

        command = [arg for arg in watch_command(self.data_dir) if arg != "--watch"]
        subprocess.Popen(command, start_new_session=True)  # noqa: S603 - our own command


def run_watch(args) -> int:
    from app import server_choice
    from app.paths import default_data_dir

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setQuitOnLastWindowClosed(not QSystemTrayIcon.isSystemTrayAvailable())
    data_dir = Path(args.data_dir) if args.data_dir is not None else default_data_dir()
    server, person = getattr(args, "server", None), args.person
    if not server:
        remembered = server_choice.load(data_dir)
        if remembered is not None:
            server, person = remembered.server, remembered.person
    tray = Tray(data_dir, person, server)
    tray.watcher.start()
    try:
        return app.exec()
    finally:
        tray.watcher.stop()
