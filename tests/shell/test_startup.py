"""Start-up (issue 14): the first frame is the top bar and the table; every other
screen is built on first use; printing, the guided clean-up and the mailbox wait.

The real start is run once in a subprocess (the point is what a fresh process
loads before its first paint); the screens are checked in this process.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import QApplication, QPushButton

from finders import widget
from fresh_process import last_json
from ui.shell import theme
from ui.shell.main_window import MainWindow
from ui.shell.widgets import Screen, label

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]

#: what the first frame does not need, so what is not loaded before it (issue 14):
#: printing, the guided visits, the other screens, Babel (Dutch dates are written
#: by app.plain), the features' screens and the work behind them (reminders, the
#: outbox with smtplib and ssl, autostart, paper, explanations), and the remote
#: mailbox's requests, keyring and psycopg, which the practice box never needs;
#: the filelock package (app.instance.OsFileLock takes the same OS locks); QtNetwork
#: (the first start's server takes over its plain Unix socket right after its
#: first frame); what only a crash report needs (platform, sysconfig); hashlib
#: (the socket's name is CPython's own SHA-256, without OpenSSL); html and difflib
#: (the table's tooltips and its updates after the first fill); the socket module
#: (the early listener is _socket's own; the speech check loads it when asked);
#: locale (app.i18n opens a catalog by its name, not through gettext.translation);
#: the features whose buttons are on later screens (language, watch, importing:
#: installed right after the first frame) and the background helper's pool; the
#: core's rarely made classes in modules of their own (answers, access log, ...)
NOT_AT_START = (
    "PySide6.QtPrintSupport",
    "PySide6.QtTextToSpeech",
    "PySide6.QtPdf",
    "PySide6.QtPdfWidgets",
    "app.guided",
    "babel",
    "babel.dates",
    "ui.letter.screen",
    "ui.folders.screen",
    "ui.shell.printing",
    "ui.shell.help_screen",
    "ui.shell.settings_screen",
    "ui.people.overview",
    "ui.people.log_screen",
    "ui.activation.guide",
    "ui.activation.organisations",
    "ui.paper.belastingdienst",
    "ui.shell.accessible",
    "app.activation",
    "app.paper",
    "app.watch",
    "app.outbox",
    "app.reminders",
    "app.autostart",
    "app.fridge",
    "app.proof",
    "app.explain",
    "smtplib",
    "ssl",
    "email.message",
    "requests",
    "keyring",
    "psycopg",
    "filelock",
    "PySide6.QtNetwork",
    "platform",
    "sysconfig",
    "hashlib",
    "html",
    "difflib",
    "socket",
    "selectors",
    "locale",
    "ui.language.screen",
    "ui.watch.feature",
    "ui.importing.feature",
    "concurrent.futures",
    "queue",
    "app.mailbox.answers",
    "app.access_log",
    "app.model_more",
    "app.desk_rows",
    "app.set_aside",
    "app.server_choice_record",
    "encodings.ascii",
)

#: the real app (no self-test) until its first paint: what is loaded then, and
#: whether the mailbox was asked anything yet
FIRST_FRAME = r"""
import json, os, sys

sys.path.insert(0, "tests")
import first_frame

seen = {}

import app.mailbox.practice as practice
asked = []
for name in ("letters", "account_status", "organisations"):
    original = getattr(practice.PracticeMailbox, name)
    def spy(self, *a, _original=original, _name=name, **k):
        asked.append(_name)
        return _original(self, *a, **k)
    setattr(practice.PracticeMailbox, name, spy)


# PySide makes a class (and its enums) when first used; a few the first frame
# never uses, which it makes when it resolves all of them at once (QMessageBox:
# only a start that fails shows one), and QGradient with its 180 presets, which
# QPainter.fillRect's overloads made
LAZY_WIDGETS = (
    "QWizard",
    "QFileDialog",
    "QGraphicsItem",
    "QCalendarWidget",
    "QMessageBox",
    "QPlainTextEdit",
    "QAbstractSpinBox",
    "QComboBox",
    "QGridLayout",
    "QStackedLayout",
    "QStyle",  # its 40 enums: the cards ask their view, not option.state
    "QScrollBar",  # and QAbstractSlider: the table's own scroll bar is Qt's alone
    "QAbstractSlider",
)
LAZY_GUI = ("QGradient", "QAccessible", "QKeySequence", "QDesktopServices", "QIcon", "QPixmap")
LAZY_CORE = ("QUrl",)
# the core's dataclasses a start on the table never uses (about 1 ms each to make)
NOT_MADE_AT_START = (
    ("app.mailbox", "DeliveryLog"),
    ("app.mailbox", "DeliveryStep"),
    ("app.mailbox", "PaperContact"),
    ("app.people", "OverviewRow"),
    ("app.mailbox", "LetterBatch"),
    ("app.mailbox", "TickChange"),
    ("app.mailbox", "PaperRequest"),
    ("app.mailbox", "ActivationOffer"),
    ("app.mandates", "AccessLogEntry"),
    ("app.mandates", "Event"),
    ("app.model", "AccountStatus"),
    ("app.model", "Attachment"),
    ("app.desk", "Folder"),
    ("app.desk", "Handler"),
    ("app.validate", "SetAside"),
    ("app.server_choice", "Choice"),
)


def watch(module):
    # A filter on the main window only: one on the whole application would itself
    # make PySide resolve its lazy classes (what "lazy" checks below).
    import PySide6.QtWidgets as widgets
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    later = QEvent.Type(QEvent.registerEventType())
    painted = QEvent.Type(QEvent.registerEventType())
    import PySide6.QtGui as gui
    import PySide6.QtCore as core

    class FirstFrame(QObject):
        def event(self, event):
            if event.type() == painted:
                # the first frame is painted (the cards too), and nothing that
                # waits for it has run yet
                seen["lazy"] = sorted(
                    n for n in LAZY_WIDGETS if n in vars(widgets)) + sorted(
                    n for n in LAZY_GUI if n in vars(gui)) + sorted(
                    n for n in LAZY_CORE if n in vars(core))
                return True
            if event.type() != later:
                return super().event(event)
            # after the work that waits for the first frame (posted after it)
            import gc
            app = QApplication.instance()
            seen["gc_after"] = gc.isenabled()
            seen["app_filters_after"] = [
                o.objectName() for o in app.findChildren(QObject, "enter_presses")]
            app.quit()
            return True

        def eventFilter(self, watched, event):
            if not seen and event.type() == QEvent.Type.Paint:
                app = QApplication.instance()
                seen["modules"] = sorted(
                    m for m in os.environ["NOT_AT_START"].split(",") if m in sys.modules)
                seen["classes"] = sorted(
                    n for m, n in NOT_MADE_AT_START if n in vars(sys.modules[m]))
                seen["asked"] = list(asked)
                seen["screens"] = [s.objectName() for s in watched.screens]
                QApplication.postEvent(self, QEvent(painted))  # delivered after the paint
                seen["app_filters"] = [
                    o.objectName() for o in app.findChildren(QObject, "enter_presses")]
                import gc
                seen["gc"] = gc.isenabled()
                QTimer.singleShot(0, lambda: QApplication.postEvent(self, QEvent(later)))
            return False

    first_frame.filter_windows(module, FirstFrame())


first_frame.when_imported(watch)  # in the app's own import order
from app.__main__ import main
code = main(sys.argv[1:])
seen["asked_after"] = asked
print(json.dumps(seen))
sys.exit(code)
"""


def first_frame(*args: str) -> dict:
    """Run the real app until its first paint; what it had loaded and asked then."""
    return last_json(FIRST_FRAME, *args, env={"NOT_AT_START": ",".join(NOT_AT_START)})


def test_the_real_start_paints_the_table_before_anything_else(tmp_path):
    data = str(tmp_path / "data")
    fresh = first_frame("--data-dir", data)  # the practice box is seeded in this one
    warm = first_frame("--data-dir", data)
    for seen in (fresh, warm):
        assert seen["screens"] == ["table_screen"]
        # nothing of what the first frame does not need is loaded yet (NOT_AT_START)
        assert seen["modules"] == []
        assert seen["classes"] == []  # nor made (app/mailbox/delivery.py, app/people_overview.py)
        assert seen["asked"] == []  # no mailbox query before the first frame
        assert "letters" in seen["asked_after"]  # the first sync came after it
        # PySide did not resolve its lazy classes before the first frame (about
        # 40 ms): no filter on the whole application yet (Enter pressing a
        # button comes right after the frame), and no widget of Qt's own making
        # handed to Python (the table's viewport is made by the app)
        assert seen["lazy"] == []
        assert seen["app_filters"] == []
        assert seen["app_filters_after"] == ["enter_presses"]
        # no garbage collection passes before the first frame (about 20 ms); on after it
        assert seen["gc"] is False and seen["gc_after"] is True


@pytest.fixture
def lazy_window(qtbot, session, tmp_path):
    theme.apply(QApplication.instance(), 100)
    window = MainWindow(session, pdf_folder=tmp_path / "pdf")
    qtbot.addWidget(window)
    return window


def test_only_the_table_is_built_at_start_and_the_rest_when_first_shown(qtbot, lazy_window):
    window = lazy_window
    assert [s.objectName() for s in window.screens] == ["table_screen"]
    for name in ("letter_screen", "help_screen", "settings_screen", "status_screen"):
        assert window.has_screen(name) and not window.is_built(name)
    window.show()
    qtbot.waitExposed(window)
    qtbot.mouseClick(window.settings_button, Qt.MouseButton.LeftButton)
    assert window.current_screen().objectName() == "settings_screen"
    # the language feature's button came along with the settings screen, in words
    language = widget(window.current_screen(), QPushButton, "language_button")
    assert language.text() == "Taal / Language"
    assert not window.is_built("language_screen")
    qtbot.mouseClick(language, Qt.MouseButton.LeftButton)
    assert window.current_screen().objectName() == "language_screen"
    qtbot.mouseClick(window.help_button, Qt.MouseButton.LeftButton)
    abroad = widget(window.current_screen(), QPushButton, "help_abroad")
    assert abroad.text() == "Woont u in het buitenland?"


def test_build_all_screens_builds_every_registered_screen_once(lazy_window):
    window = lazy_window
    built = window.build_all_screens()
    names = [s.objectName() for s in built]
    assert len(names) == len(set(names))
    for name in ("letter_screen", "folders_screen", "help_screen", "settings_screen"):
        assert name in names
    for name in ("choose_server_screen", "status_screen", "guide_screen", "language_screen"):
        assert name in names
    for name in ("paper_review_screen", "belastingdienst_screen", "abroad_screen"):
        assert name in names
    assert window.build_all_screens() == built  # nothing new the second time
    assert window.stack.count() == len(built)


def test_a_table_button_of_a_lazy_screen_follows_the_language(lazy_window):
    from ui.language.screen import change_language

    change_language(lazy_window, "en")
    status = widget(lazy_window.table_screen, QPushButton, "open_account_status")
    assert status.text() and status.text() != "Staat mijn Berichtenbox aan?"
    assert not lazy_window.is_built("status_screen")  # translated without building it


class Extra(Screen):
    def __init__(self, window):
        super().__init__(window)
        self.heading = label("Extra", name="extra_title")
        self.layout_.addWidget(self.heading)

    def title(self) -> str:
        return "Extra"


def test_add_screen_still_adds_a_built_screen_and_names_stay_unique(lazy_window):
    window = lazy_window
    extra = window.add_screen(Extra(window))
    assert extra in window.screens and window.screen_named("extra") is extra
    with pytest.raises(ValueError):
        window.add_screen_factory("extra", lambda: Extra(window))
    told = []
    window.when_built("extra", told.append)
    assert told == [extra]
    window.show_screen("extra")
    assert window.current_screen() is extra


def test_after_first_frame_waits_for_the_first_paint(qtbot, session, tmp_path):
    window = MainWindow(session, pdf_folder=tmp_path / "pdf", sync_after_first_frame=True)
    qtbot.addWidget(window)
    ran: list[str] = []
    window.after_first_frame(lambda: ran.append("after"))
    QCoreApplication.sendPostedEvents(window, 0)
    assert ran == []  # not before the window was painted
    window.show()
    window.grab()
    QCoreApplication.sendPostedEvents(window, QEvent.Type.None_)
    QCoreApplication.processEvents()
    assert ran == ["after"]
    window.after_first_frame(lambda: ran.append("later"))
    assert ran == ["after", "later"]  # once painted, at once


def test_the_practice_letters_dates_are_written_as_babel_writes_them():
    """The seeding writes the letters' Dutch dates itself (no Babel at a fresh start)."""
    from datetime import date, timedelta

    from babel.dates import format_date

    from app.mailbox.practice import _long_date

    day = date(2026, 1, 1)
    for n in range(800):  # every month, a leap day, single and double digits
        one = day + timedelta(days=n)
        assert _long_date(one) == format_date(one, format="long", locale="nl_NL")


def test_pyside_learns_from_the_files_bytes_whether_a_module_uses_it():
    # PySide asks this of every module named by an import statement after its
    # own; inspect.getsource was 10 to 20 ms before the first frame (issue 14)
    import ui.shell.main as main

    feature = sys.modules["shibokensupport.feature"]
    assert feature._mod_uses_pyside is main._uses_pyside
    # the same answer as PySide's own, for every kind of module loaded here:
    # ours with and without Qt, the standard library, built-in ones, packages
    modules = [m for name, m in sorted(sys.modules.items()) if m is not None]
    answers = {m.__name__: main._uses_pyside(m) for m in modules}
    assert answers == {m.__name__: main._pyside_uses_pyside(m) for m in modules}
    assert answers["ui.shell.main"] is True and answers["app.model"] is False
    assert answers["sys"] is False and answers["json"] is False
