"""The original of a paper letter, shown to the width of its area, has no empty
band under it: the idle horizontal scroll bar stays (a screen reader needs it
to stay, ui/shell/widgets.py scrolling()) but is 2 px high; zoomed in, there is
something to scroll sideways and it is a full-size bar again. Real PDF (made by
QPdfWriter), real desk, real widgets, at 100 % and 200 % text."""

from __future__ import annotations

import paper_letters as P  # noqa: N812
import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication

from app.importing import import_letter
from ui.shell.theme import MIN_TARGET_PX

pytestmark = pytest.mark.gui


@pytest.mark.parametrize("scale", [100, 200])
def test_no_empty_band_under_a_page_fitted_to_the_width(qtbot, window, tmp_path, scale):
    from PySide6.QtPdfWidgets import QPdfView

    window.set_scale(scale)
    window.resize(QSize(1366, 700))
    window.show()
    qtbot.waitExposed(window)
    session = window.session
    _found, placed = import_letter(
        session.desk, session.person.id, P.write_pdf(tmp_path / "apk.pdf", P.RDW_PAPER)
    )
    window.go_home()
    window.open_letter(placed.letter.id)
    window.letter_screen.original_button.click()
    screen = window.current_screen()
    view = screen.view
    assert isinstance(view, QPdfView) and view.zoomMode() == QPdfView.ZoomMode.FitToWidth
    bar = view.horizontalScrollBar()
    qtbot.waitUntil(lambda: bar.property("idle") is True)
    QApplication.processEvents()
    assert bar.isVisible() and bar.maximum() <= 0
    assert bar.height() <= 4  # no band of a button's height
    viewport = view.viewport().geometry()
    assert view.height() - viewport.bottom() <= 4 + 2 * view.frameWidth() + 1

    screen.zoom_in()
    screen.zoom_in()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    QApplication.processEvents()
    assert bar.property("idle") is False
    assert bar.height() >= MIN_TARGET_PX  # something to scroll: a bar to take hold of
