"""The window's first frame does its work once (issue 14): the cards' summaries are
measured once per font and width, not again for every card painted; a list that
is not shown yet lays out no cards; a row of buttons asks each button's size once
per arrangement; and what only a later screen uses is not made at start.

What the person sees stays the same: the cards keep their height, the chosen card
is in sight once the list is shown, and the rows of buttons keep their places."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QRect
from PySide6.QtWidgets import QApplication, QPushButton, QVBoxLayout, QWidget, QWidgetItem

from fresh_process import run
from ui.shell import features, theme
from ui.shell.main_window import MainWindow
from ui.shell.widgets import FlowLayout, ScreenStack, reading_order
from ui.table import card_delegate

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]


def test_the_summaries_are_measured_once_for_all_the_cards(window, monkeypatch):
    view = window.table_screen.view
    delegate = view.card_delegate
    # what the measuring itself gives, measured here before it is counted
    lines = card_delegate.summary_lines(view.font(), delegate.width, delegate.summaries)
    height = card_delegate.card_height(view.font(), delegate.width, delegate.summaries)
    measured: list[int] = []
    real = card_delegate.summary_lines

    def counted(*args, **kwargs):
        measured.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(card_delegate, "summary_lines", counted)
    assert window.table_screen.model.rowCount() >= 3
    view.viewport().grab()  # paints every card in sight
    view.viewport().grab()
    # measured before (the first frame) and not again for a card painted: each
    # card took 12 wrapped texts' measures (60 before the first paint)
    assert measured == []
    # the same number of lines and the same card height as measured anew
    assert delegate.summary_lines(view.font()) == lines
    assert delegate.card_height(view.font()) == height
    # new summaries: measured again, once for every card painted
    delegate.set_summaries(("Een korte zin.",))
    view.viewport().grab()
    view.viewport().grab()
    assert measured == [1]


def test_a_list_not_shown_yet_lays_out_no_cards(qtbot, session, tmp_path):
    theme.apply(QApplication.instance(), 100)
    window = MainWindow(session, pdf_folder=tmp_path / "pdf")
    qtbot.addWidget(window)
    view = window.table_screen.view
    # before: refresh() asked for the chosen card's place, and the list laid
    # its cards out for a width it never has (600 px, a card height measured)
    assert view.card_delegate._heights == {}
    model = window.table_screen.model
    last = model.index(model.rowCount() - 1)
    view.setCurrentIndex(last)
    view.keep_current_in_view()  # hidden: done once shown
    window.show()
    qtbot.waitExposed(window)
    QApplication.processEvents()
    # once shown, the chosen card is in sight, laid out at the list's real width
    assert view.card_delegate.width == view.viewport().width()
    assert view.viewport().rect().contains(view.visualRect(last))
    assert view.verticalScrollBar().value() > 0


class CountedItem(QWidgetItem):
    def __init__(self, widget: QWidget):
        super().__init__(widget)
        self.asked = 0

    def sizeHint(self):  # noqa: N802 - Qt API
        self.asked += 1
        return super().sizeHint()


def test_a_row_of_buttons_asks_each_size_once_per_arrangement(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    flow = FlowLayout(parent)
    items = []
    for n in range(5):
        widget = QPushButton(f"Knop {n} met tekst")
        widget.setParent(parent)
        item = CountedItem(widget)
        flow.addItem(item)
        items.append(item)
    flow.addStretch(1)
    last = QPushButton("Laatste")
    last.setParent(parent)
    flow.addItem(CountedItem(last))
    items.append(flow.itemAt(5))
    hints = [item.sizeHint() for item in items]
    for item in items:
        item.asked = 0
    flow.setGeometry(QRect(0, 0, 300, 400))  # wraps into rows
    # before: four times per item (the rows, the row's height and width, the place)
    assert [item.asked for item in items] == [1] * len(items)
    # the places are those of the hints: rows from the top, each item as high as its hint
    assert [item.geometry().size() for item in items] == hints
    tops = [item.geometry().top() for item in items]
    assert tops == sorted(tops) and tops[0] == 0 and tops[-1] > 0
    assert flow.heightForWidth(300) >= items[-1].geometry().bottom()


LOADS = r"""
import json, sys
import PySide6.QtWidgets as widgets
import ui.shell.main_window  # the table and its search box, as at start
print(json.dumps(sorted(n for n in ("QComboBox",) if n in vars(widgets))))
"""


def test_the_window_module_makes_no_combo_box():
    """PySide makes a class with its enums when it is first imported (QComboBox:
    2.7 ms); only the search screen has combo boxes, built when first shown."""
    out = run(LOADS)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


def _settings_order(window) -> list[str]:
    window.show_screen("settings_screen")
    return [w.objectName() for w in reading_order(window.current_screen())]


def test_the_features_the_first_frame_lacks_come_right_after_it(qtbot, session, tmp_path):
    theme.apply(QApplication.instance(), 100)
    eager = MainWindow(session, pdf_folder=tmp_path / "pdf")
    qtbot.addWidget(eager)
    window = MainWindow(session, pdf_folder=tmp_path / "pdf", sync_after_first_frame=True)
    qtbot.addWidget(window)
    # before the first frame: not installed yet, their screens not even registered
    for name in ("language_screen", "reminders_screen"):
        assert not window.has_screen(name)
    assert len(window.features) == len(features.FEATURES) - len(features.AFTER_FIRST_FRAME)
    window.show()
    window.grab()
    QCoreApplication.sendPostedEvents(window, QEvent.Type.None_)
    QCoreApplication.processEvents()
    # right after it, every feature, as in a window that installed them at once
    assert [type(f).__name__ for f in window.features] == [type(f).__name__ for f in eager.features]
    for name in ("language_screen", "reminders_screen"):
        assert window.has_screen(name)
    # their buttons in the same places, in the same Tab order
    eager.show()
    assert _settings_order(window) == _settings_order(eager)
    assert "language_button" in _settings_order(window)


FIRST_PAINT = r"""
import json, sys

sys.path.insert(0, "tests")
import first_frame
seen = {}
LATER = ("ui.language.screen", "ui.watch.feature", "ui.importing.feature",
         "concurrent.futures", "queue")


def watch(module):
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication
    import PySide6.QtWidgets as widgets

    class Spy(QObject):
        def eventFilter(self, watched, event):
            if "modules" not in seen and event.type() == QEvent.Type.Paint:
                seen["modules"] = [m for m in LATER if m in sys.modules]
                seen["classes"] = [n for n in ("QComboBox", "QGridLayout") if n in vars(widgets)]
                seen["features"] = len(watched.features)
                QTimer.singleShot(0, lambda: after(watched))
            return False

    def after(window, tries=100):
        if not window._first_frame_done and tries:  # what waits for the frame runs first
            QTimer.singleShot(0, lambda: after(window, tries - 1))
            return
        seen["features_after"] = [type(f).__name__ for f in window.features]
        seen["pool_after"] = window.tasks._pool is not None  # the first sync is asked
        QApplication.instance().quit()

    first_frame.filter_windows(module, Spy())


first_frame.when_imported(watch)  # in the app's own import order
from app.__main__ import main
code = main(sys.argv[1:])
print(json.dumps(seen))
sys.exit(code)
"""


def test_the_real_start_leaves_what_it_does_not_show_until_after_its_first_frame(tmp_path):
    """Those features, and the background helper's thread pool (concurrent.futures
    and queue: 2 ms to import; the first task is the first sync, after the frame)."""
    out = run(FIRST_PAINT, "--data-dir", str(tmp_path / "data"))
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen["modules"] == []  # not loaded before the first paint
    assert seen["classes"] == []  # nor their PySide classes made (5 ms together)
    assert seen["features"] == len(features.FEATURES) - len(features.AFTER_FIRST_FRAME)
    assert seen["features_after"][-3:] == ["LanguageFeature", "RemindersFeature", "ImportFeature"]
    assert len(seen["features_after"]) == len(features.FEATURES)
    assert seen["pool_after"] is True


def test_the_whose_post_button_draws_its_icon_once_per_person_font_and_theme(qtbot, monkeypatch):
    from app.model import Person
    from ui.people import badge

    drawn: list[str] = []
    real = badge.paint_initial

    def counted(painter, rect, person_id, name, font):
        drawn.append(person_id)
        return real(painter, rect, person_id, name, font)

    monkeypatch.setattr(badge, "paint_initial", counted)
    monkeypatch.setattr(badge, "_ICONS", {}, raising=False)
    app = QApplication.instance()
    theme.apply(app, 100)
    button = badge.WhoseButton("switch_person")
    qtbot.addWidget(button)
    button.set_person(Person("sanne-lean", "Sanne Bos", "000000000"))
    for room in (900, 120, 40, 600):  # the top bar fits it at every resize
        button.fit_to(room)
    # before: drawn again at every fit (five times)
    assert drawn == ["sanne-lean"]
    assert not button.icon().isNull() and button.text() == "Post van Sanne"
    try:  # another theme: drawn in its colours, once
        theme.apply(app, 100, True)
        button.retranslate_ui()
        button.fit_to(300)
        assert drawn == ["sanne-lean", "sanne-lean"]
    finally:
        theme.apply(app, 100)


class StyleChanges(QObject):
    """Counts Qt's StyleChange per named widget (an application-wide filter)."""

    def __init__(self, names: tuple[str, ...]):
        super().__init__()
        self.names = names
        self.seen: dict[str, int] = dict.fromkeys(names, 0)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.StyleChange and isinstance(watched, QWidget):
            name = watched.objectName()
            if name in self.seen:
                self.seen[name] += 1
        return False


def test_the_window_is_built_top_down_so_each_control_is_styled_once(qtbot, session, tmp_path):
    """A widget moved into another under the app's style sheet is restyled with
    all it holds: built bottom-up, the top bar's and the table's controls were
    restyled two or three times before the first frame."""
    app = QApplication.instance()
    theme.apply(app, 100)
    names = ("nav_home", "open_settings", "notice_ok", "table_search", "undo_button")
    spy = StyleChanges(names)
    app.installEventFilter(spy)
    try:
        window = MainWindow(session, pdf_folder=tmp_path / "pdf")
        qtbot.addWidget(window)
    finally:
        app.removeEventFilter(spy)
    assert spy.seen == dict.fromkeys(names, 1)
    # in their places: the top bar first, the notice row above the screens
    outer = window.central.layout()
    rows = [outer.itemAt(i).widget() for i in range(outer.count())]
    assert rows[0] is window.top_bar_row and rows[-1] is window.stack
    assert rows.index(window.notice_row) == len(rows) - 2
    page = window.table_screen.layout_
    placed = [page.itemAt(i).widget() for i in range(page.count())]
    table = window.table_screen
    assert placed.index(table.search_box) < placed.index(table.heading)
    assert placed.index(table.summary) < placed.index(table.undo_box) < placed.index(table.view)


PIXMAP = r"""
import json, sys
import PySide6.QtGui as gui
import ui.shell.main_window  # the table's cards and their badges, as at start
print(json.dumps(sorted(n for n in ("QPixmap",) if n in vars(gui))))
"""


def test_the_window_module_makes_no_pixmap_class():
    """Only a helper's top bar draws an icon (ui/people/badge.py): QPixmap is made then."""
    out = run(PIXMAP)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


class CountedStack(ScreenStack):
    asked = 0

    def layout(self):
        CountedStack.asked += 1
        return super().layout()

    def findChildren(self, *args, **kwargs):  # noqa: N802 - Qt API
        CountedStack.asked += 1
        return super().findChildren(*args, **kwargs)


def test_the_reading_order_takes_a_stacks_pages_without_its_layout(qtbot):
    """PySide makes QStackedLayout with its enums when the stack's layout (or its
    children, which hold it) reach Python: 0.5 ms before the first frame."""
    root = QWidget()
    qtbot.addWidget(root)
    outer = QVBoxLayout(root)
    first = QPushButton("Boven")
    outer.addWidget(first)
    stack = CountedStack()
    outer.addWidget(stack)
    pages = []
    for n in range(3):
        page = QWidget()
        row = QVBoxLayout(page)
        for m in range(2):
            row.addWidget(QPushButton(f"Knop {n}.{m}"))
        stack.addWidget(page)
        pages.append(page)
    last = QPushButton("Onder")
    outer.addWidget(last)
    root.show()
    CountedStack.asked = 0
    for shown in (1, 2):
        stack.setCurrentIndex(shown)
        names = [w.text() for w in reading_order(root)]
        assert names == ["Boven", f"Knop {shown}.0", f"Knop {shown}.1", "Onder"]
    assert CountedStack.asked == 0
