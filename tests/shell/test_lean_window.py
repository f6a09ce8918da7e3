"""The window's first frame does its work once (issue 14): the cards' summaries are
measured once per font and width, not again for every card painted; a list that
is not shown yet lays out no cards; a row of buttons asks each button's size once
per arrangement; and what only a later screen uses is not made at start.

What the person sees stays the same: the cards keep their height, the chosen card
is in sight once the list is shown, and the rows of buttons keep their places."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication, QPushButton, QWidget, QWidgetItem

from ui.shell import theme
from ui.shell.main_window import MainWindow
from ui.shell.widgets import FlowLayout
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
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run(
        [sys.executable, "-c", LOADS],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
        check=True,
    )
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []
