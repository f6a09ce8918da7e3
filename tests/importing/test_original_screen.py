"""Het origineel (issue 15): a paper letter's kept original shown as it is,
by QtPdf (a PDF) or as an image (a photo or scan), from the letter screen's
"Origineel bekijken". Real files (PDFs made here by QPdfWriter, a PNG rendered
by Qt), a real desk, real Qt widgets, a real HTTP server on loopback that a
script in a PDF would call."""

from __future__ import annotations

import http.server
import threading

import paper_letters as P  # noqa: N812
import pytest
from PySide6.QtCore import QSize, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QWidget

from app.importing import import_letter, original_path
from app.model import PAPER
from fit import fit_problems_at, settle

pytestmark = pytest.mark.gui

SIZES = [QSize(1366, 700), QSize(1280, 652)]


def press(qtbot, key) -> QWidget:
    focus = QApplication.focusWidget()
    assert focus is not None
    qtbot.keyClick(focus, key)
    QApplication.processEvents()
    now = QApplication.focusWidget()
    assert now is not None
    return now


def tab_to(qtbot, name: str, limit: int = 60) -> None:
    for _ in range(limit):
        focus = QApplication.focusWidget()
        if focus is not None and focus.objectName() == name:
            return
        press(qtbot, Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {name}")


def lay_down(window, path):
    """The file as a paper letter on the window's table, its letter opened."""
    session = window.session
    _found, placed = import_letter(session.desk, session.person.id, path)
    window.go_home()
    window.open_letter(placed.letter.id)
    assert window.current_screen() is window.letter_screen
    return placed


def open_original(qtbot, window):
    """ "Origineel bekijken" by keyboard, from the letter's first action."""
    tab_to(qtbot, "letter_original")
    press(qtbot, Qt.Key.Key_Space)
    screen = window.current_screen()
    assert screen.objectName() == "original_screen"
    return screen


def rendered(view) -> bool:
    """Whether the view shows a page with ink on it (QtPdf draws in the background)."""
    image = view.viewport().grab().toImage()
    dark = 0
    for y in range(0, image.height(), 4):
        for x in range(0, image.width(), 4):
            if image.pixelColor(x, y).lightness() < 80:
                dark += 1
                if dark > 20:
                    return True
    return False


def test_a_pdf_original_by_keyboard(qtbot, window, tmp_path):
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtPdfWidgets import QPdfView

    placed = lay_down(window, P.write_pdf(tmp_path / "apk.pdf", P.RDW_PAPER, pages=3))
    assert window.letter_screen.original_button.isVisible()
    screen = open_original(qtbot, window)
    view = screen.view
    assert isinstance(view, QPdfView) and view.objectName() == "original_view"
    assert view.document().status() == QPdfDocument.Status.Ready
    assert view.document().pageCount() == 3
    assert view.pageMode() == QPdfView.PageMode.MultiPage
    assert view.zoomMode() == QPdfView.ZoomMode.FitToWidth
    assert screen.pages_label.text() == "Bladzijde 1 van 3"
    assert view.accessibleDescription() == "Bladzijde 1 van 3"
    assert screen.heading.text() == "Origineel van de brief van RDW"
    # the first focus on the first action; the kept copy is shown, not the person's file
    assert QApplication.focusWidget() is screen.zoom_in_button
    assert (
        screen.path
        == placed.original
        == original_path(window.session.desk.path.parent, placed.letter)
    )
    qtbot.waitUntil(lambda: rendered(view))
    # Page Down scrolls the letter from the button; Groter makes it larger
    bar = view.verticalScrollBar()
    assert bar.value() == 0 and bar.maximum() > 0
    press(qtbot, Qt.Key.Key_PageDown)
    assert bar.value() > 0 and QApplication.focusWidget() is screen.zoom_in_button
    press(qtbot, Qt.Key.Key_Home)
    assert bar.value() == 0
    fit = screen._fit_factor(view)
    press(qtbot, Qt.Key.Key_Space)  # "Groter"
    assert view.zoomMode() == QPdfView.ZoomMode.Custom
    assert view.zoomFactor() == pytest.approx(fit * 1.25)
    press(qtbot, Qt.Key.Key_Space)
    assert view.zoomFactor() == pytest.approx(fit * 1.5)
    assert view.horizontalScrollBar().maximum() > 0  # larger than the window: sideways too
    press(qtbot, Qt.Key.Key_Tab)  # "Kleiner"
    assert QApplication.focusWidget() is screen.zoom_out_button
    for _ in range(2):
        press(qtbot, Qt.Key.Key_Space)
    assert view.zoomMode() == QPdfView.ZoomMode.FitToWidth
    # the view itself takes the keys too (Tab reaches it)
    view.setFocus()
    press(qtbot, Qt.Key.Key_End)
    assert bar.value() == bar.maximum()
    qtbot.waitUntil(lambda: screen.pages_label.text() == "Bladzijde 3 van 3")
    tab_to(qtbot, "original_back")
    press(qtbot, Qt.Key.Key_Space)
    assert window.current_screen() is window.letter_screen


def test_a_letter_from_the_mailbox_has_no_original_button(qtbot, window):
    letter_id = window.table_screen.current_letter_id()
    window.open_letter(letter_id)
    assert window.letter_screen.letter.source != PAPER
    assert not window.letter_screen.original_button.isVisible()


def lay_down_photo(window, tmp_path):
    """A photo of a letter on the table as the import lays it, without the OCR
    (the letter's facts from its PDF; the kept original is the photo)."""
    import dataclasses

    from app.importing import lay_on_table, read_letter

    session = window.session
    found = read_letter(P.write_pdf(tmp_path / "apk.pdf", P.RDW_PAPER), session.person.id)
    png = P.write_png(tmp_path / "scan.png", P.OCR_LETTER).read_bytes()
    letter = dataclasses.replace(found.letter, id="papier-foto")
    photo = dataclasses.replace(found, letter=letter, kind="png", data=png)
    placed = lay_on_table(session.desk, session.person.id, photo)
    window.go_home()
    window.open_letter(placed.letter.id)
    return placed


def test_a_photo_original_is_shown_fit_to_the_width(qtbot, window, tmp_path):
    from ui.importing.original import ImageView

    placed = lay_down_photo(window, tmp_path)
    assert placed.original.suffix == ".png"
    screen = open_original(qtbot, window)
    view = screen.view
    assert isinstance(view, ImageView) and view.objectName() == "original_view"
    settle(window)
    room = view.viewport().width()
    assert room - 10 <= view.picture.width() <= room
    assert view.picture.pixmap().height() > view.viewport().height()  # a page: it scrolls
    assert not screen.pages_label.isVisible()  # one photo: no page count
    press(qtbot, Qt.Key.Key_PageDown)
    assert view.verticalScrollBar().value() > 0
    press(qtbot, Qt.Key.Key_Space)  # "Groter"
    assert view.picture.width() == pytest.approx(1.25 * (room - 4), abs=2)
    assert view.horizontalScrollBar().maximum() > 0


def test_a_missing_original_is_said_and_nothing_is_lost(qtbot, window, tmp_path):
    placed = lay_down(window, P.write_pdf(tmp_path / "apk.pdf", P.RDW_PAPER))
    placed.original.unlink()
    screen = open_original(qtbot, window)
    assert screen.view is None
    assert screen.message.isVisible()
    assert screen.message.text() == "Het origineel is niet meer te vinden."
    assert not screen.zoom_in_button.isEnabled() and not screen.zoom_out_button.isEnabled()
    assert QApplication.focusWidget() is screen.back_button
    window.go_home()
    assert window.session.is_on_table(placed.letter.id)  # the letter stays


@pytest.mark.parametrize("damage", ["garbage", "cut"])
def test_a_damaged_original_is_said_and_nothing_is_lost(qtbot, window, tmp_path, damage):
    placed = lay_down(window, P.write_pdf(tmp_path / "apk.pdf", P.RDW_PAPER))
    whole = placed.original.read_bytes()
    spoilt = b"%PDF-1.4\n" + b"\x00kapot" * 100 if damage == "garbage" else whole[: len(whole) // 2]
    placed.original.write_bytes(spoilt)
    screen = open_original(qtbot, window)
    assert screen.view is None
    assert screen.message.text() == "Het origineel is beschadigd. Wij kunnen het niet laten zien."
    assert QApplication.focusWidget() is screen.back_button
    press(qtbot, Qt.Key.Key_Space)
    assert window.current_screen() is window.letter_screen
    assert window.session.is_on_table(placed.letter.id)


class _Calls(http.server.BaseHTTPRequestHandler):
    calls: list[str] = []

    def do_GET(self):  # noqa: N802 - http.server API
        self.calls.append(self.path)
        self.send_response(204)
        self.end_headers()

    do_POST = do_GET  # noqa: N815

    def log_message(self, *args):
        pass


def test_javascript_in_a_pdf_original_is_never_run(qtbot, window, tmp_path):
    """A PDF whose /OpenAction is a script that would call a server (here a real
    one on loopback) and open a web page: the page is shown and nothing else
    happens: no call, no web page, no other window."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Calls)
    _Calls.calls = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    opened: list[QUrl] = []

    class Opener(QWidget):
        def open(self, url):
            opened.append(url)

    opener = Opener()
    for scheme in ("http", "https", "file", "mailto"):
        QDesktopServices.setUrlHandler(scheme, opener, "open")
    try:
        address = f"http://127.0.0.1:{server.server_port}"
        script = (
            f"app.launchURL('{address}/launch', true); "
            f"this.submitForm('{address}/form'); "
            f"this.getURL('{address}/get'); app.alert('Hallo');"
        )
        writer = PdfWriter(clone_from=PdfReader(P.write_pdf(tmp_path / "apk.pdf", P.RDW_PAPER)))
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject(script),
            }
        )
        named = DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject(f"app.launchURL('{address}/names', true);"),
            }
        )
        writer._root_object[NameObject("/Names")] = DictionaryObject(
            {
                NameObject("/JavaScript"): DictionaryObject(
                    {
                        NameObject("/Names"): ArrayObject(
                            [TextStringObject("start"), writer._add_object(named)]
                        )
                    }
                )
            }
        )
        scripted = tmp_path / "script.pdf"
        with scripted.open("wb") as out:
            writer.write(out)
        windows_before = set(QApplication.topLevelWidgets())
        lay_down(window, scripted)
        screen = open_original(qtbot, window)
        assert screen.view is not None and screen.view.document().pageCount() == 1
        qtbot.waitUntil(lambda: rendered(screen.view))  # its page is shown
        for _ in range(20):
            QApplication.processEvents()
        assert _Calls.calls == []
        assert opened == []
        new = [
            w for w in QApplication.topLevelWidgets() if w not in windows_before and w.isVisible()
        ]
        assert new == []
        assert window.current_screen() is screen
    finally:
        for scheme in ("http", "https", "file", "mailto"):
            QDesktopServices.unsetUrlHandler(scheme)
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(
    ("scale", "language"), [(100, "nl"), (200, "nl"), (100, "ar"), (200, "ar")]
)
def test_the_screen_fits(qtbot, window, tmp_path, scale, language):
    from ui.language.screen import change_language

    window.set_scale(scale)
    if language != "nl":
        change_language(window, language)
    window.showNormal()
    problems: list[str] = []

    def measure(where: str) -> None:
        problems.extend(fit_problems_at(window, where, SIZES))

    lay_down(window, P.write_pdf(tmp_path / "apk.pdf", P.RDW_PAPER, pages=3))
    measure("letter with its button")
    window.letter_screen.original_button.setFocus()
    measure("letter, the button focused")
    window.letter_screen.original_button.click()
    screen = window.current_screen()
    measure("pdf")
    for _ in range(3):
        screen.zoom_in()
    measure("pdf, larger")
    screen.view.setFocus()
    measure("pdf, the view focused")
    window.go_home()
    lay_down_photo(window, tmp_path)
    window.letter_screen.original_button.click()
    measure("photo")
    window.current_screen().zoom_in()
    measure("photo, larger")
    assert problems == []
