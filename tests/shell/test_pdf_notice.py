"""The "PDF gemaakt" notice is short and offers "PDF openen" instead of a long path.

Real widgets, a real letter printed to a real PDF in the test window. Only the
system viewer is replaced: QDesktopServices.openUrl cannot open a PDF viewer on
this offscreen test machine, so the tests put a stand-in there that notes the URL
(and, for the failure case, answers False as the real one does when it fails).
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QPushButton

pytestmark = pytest.mark.gui


@pytest.fixture
def opened(monkeypatch):
    """The system viewer, replaced (it cannot run here): notes each URL asked for."""
    urls: list[QUrl] = []
    answer = {"ok": True}

    def open_url(url: QUrl) -> bool:
        urls.append(QUrl(url))
        return answer["ok"]

    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(open_url))
    return urls, answer


def print_a_letter(qtbot, window):
    window.open_letter(window.session.table()[0].id)
    qtbot.mouseClick(window.letter_screen.print_button, Qt.MouseButton.LeftButton)
    path = window.last_pdf
    assert path is not None and path.is_file()
    return path


def open_button(window) -> QPushButton:
    found = window.findChild(QPushButton, "notice_open_pdf")
    assert found is not None, "the notice row has no 'PDF openen' button"
    return found


def test_pdf_notice_is_short_and_opens_the_pdf(qtbot, window, opened):
    urls, _answer = opened
    path = print_a_letter(qtbot, window)
    text = window.notice_label.text()
    assert window.notice_row.isVisible()
    assert text == "Er is geen printer. Wij hebben een PDF gemaakt."
    assert str(path) not in text and str(path.parent) not in text and "/" not in text
    button = open_button(window)
    assert button.isVisible() and button.isEnabled()
    assert button.text() == "PDF openen"
    # The full path is still there for who asks: as plain text, not on screen.
    assert str(path) in button.accessibleDescription()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert urls == [QUrl.fromLocalFile(str(path))]
    assert urls[0].isLocalFile() and urls[0].toLocalFile() == str(path)
    assert window.notice_row.isVisible()  # opening does not close the notice
    qtbot.mouseClick(window.findChild(QPushButton, "notice_ok"), Qt.MouseButton.LeftButton)
    assert not window.notice_row.isVisible()


def test_other_notices_hide_the_open_button(qtbot, window, opened):
    urls, _answer = opened
    print_a_letter(qtbot, window)
    window.tell("Een andere melding.")
    button = open_button(window)
    assert button.isVisible()  # the PDF notice comes first
    qtbot.mouseClick(window.notice_button, Qt.MouseButton.LeftButton)
    assert window.notice_label.text() == "Een andere melding."
    assert window.notice_row.isVisible()
    assert not button.isVisible()
    assert urls == []


def test_a_notice_without_a_pdf_has_no_open_button(qtbot, window, opened):
    window.tell("Een melding zonder PDF.")
    assert window.notice_row.isVisible()
    assert not open_button(window).isVisible()


def test_a_pdf_that_cannot_be_opened_says_so_and_where_it_is(qtbot, window, opened):
    urls, answer = opened
    answer["ok"] = False  # what openUrl answers when no viewer can open the file
    path = print_a_letter(qtbot, window)
    button = open_button(window)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert urls == [QUrl.fromLocalFile(str(path))]
    text = window.notice_label.text()
    assert "niet openen" in text
    assert str(path) not in text  # still no long path on screen
    assert path.parent.name in text  # but the folder it is in, by its name
    assert str(path) in window.notice_label.accessibleDescription()
    assert not button.isVisible()  # pressing it again would fail again
    assert window.notice_button.hasFocus() or not window.isActiveWindow()
    assert path.is_file()  # nothing lost


def test_the_notice_buttons_are_named_big_enough_and_in_the_window(qtbot, window, opened):
    print_a_letter(qtbot, window)
    qtbot.waitUntil(lambda: open_button(window).height() > 0)
    inside = window.rect()
    for name in ("notice_open_pdf", "notice_ok"):
        b = window.findChild(QPushButton, name)
        assert b.isVisible() and b.text().strip()
        assert b.width() >= 44 and b.height() >= 44, (name, b.size())
        top_left = b.mapTo(window, b.rect().topLeft())
        assert inside.contains(top_left) and inside.contains(
            b.mapTo(window, b.rect().bottomRight())
        ), name
    # Tab goes from "PDF openen" to "Begrepen": the order they are seen in.
    open_button(window).setFocus()
    qtbot.keyClick(open_button(window), Qt.Key.Key_Tab)
    assert window.focusWidget() is window.notice_button
