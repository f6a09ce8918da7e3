"""Letters with hostile content: HTML is shown as text, and a 1 MB subject or sender
is shown bounded (the letter shows its start, the printed letter every word), so
nothing hangs.

Letters are delivered into the real practice mailbox; a letter from an organisation
the mailbox does not know carries its organisation id as the sender, which lets a
test choose the sender text.
"""

from __future__ import annotations

import pytest
from PySide6 import QtGui
from PySide6.QtCore import Qt
from PySide6.QtGui import QHelpEvent, QTextDocument, QTextFormat
from PySide6.QtWidgets import QApplication, QLabel, QToolTip, QTreeWidgetItem, QWidget

from ui.shell import printing
from ui.shell.main_window import MainWindow
from ui.table.model import LetterTableModel

pytestmark = pytest.mark.gui

IMG = "<img src='file:///etc/hostname'>"
HOSTILE = {
    "org": f"{IMG}<b>Afzender</b>",
    "subject": "<b>VET</b> <a href='https://voorbeeld.nl'>klik</a>",
    "summary": f"{IMG} <i>schuin</i>",
}
BIG = 1_000_000
might_be_rich = QtGui.Qt.mightBeRichText  # what Qt asks of a label or tooltip in AutoText


def deliver(session, letter_id: str, **fields) -> None:
    letter = {
        "id": letter_id,
        "recipient": "koen",
        "org": "rdw",
        "subject": "Onderwerp",
        "summary": "Samenvatting.",
        "action": "lezen",
        "received_days_ago": 0,
        "deadline_in_days": 5,
        "reference": "KENMERK-7",
        "body": "De tekst van de brief.",
        "what_to_do": "Lees de brief.",
    }
    letter.update(fields)
    session.mailbox.deliver(letter)
    session.sync()


def rendered(text: str) -> QTextDocument:
    """The text as Qt shows it in a label or tooltip with the automatic format."""
    doc = QTextDocument()
    if might_be_rich(text):
        doc.setHtml(text)
    else:
        doc.setPlainText(text)
    return doc


def has_image_or_link(doc: QTextDocument) -> bool:
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            if (
                fmt.isImageFormat()
                or fmt.isAnchor()
                or fmt.objectType() != QTextFormat.ObjectTypes.NoObject
            ):
                return True
            it += 1
        block = block.next()
    return False


def shown_tooltip(view, index) -> str:
    """Hover the card: the tooltip the view really shows."""
    view.scrollTo(index)
    rect = view.visualRect(index)
    pos = rect.center()
    event = QHelpEvent(QHelpEvent.Type.ToolTip, pos, view.viewport().mapToGlobal(pos))
    QApplication.sendEvent(view.viewport(), event)
    text = QToolTip.text()
    QToolTip.hideText()
    return text


def hostile_texts_shown(window: QWidget) -> list[tuple[str, str, Qt.TextFormat | None]]:
    """(where, text, format) for every label text and tooltip that holds sender text."""
    found = []
    needles = ("<img", "<b>", "<a ", "<i>")
    for w in window.findChildren(QWidget):
        tip = w.toolTip()
        if any(n in tip for n in needles):
            found.append((f"tooltip of {w.objectName()}", tip, None))
        if isinstance(w, QLabel) and any(n in w.text() for n in needles):
            found.append((w.objectName(), w.text(), w.textFormat()))
    return found


@pytest.fixture
def hostile(session):
    deliver(
        session, "boos", org=HOSTILE["org"], subject=HOSTILE["subject"], summary=HOSTILE["summary"]
    )
    return "boos"


# Showing a real tooltip: the offscreen platform has no window manager to raise it.
@pytest.mark.qt_log_ignore("^This plugin does not support raise\\(\\)$")
def test_card_tooltip_shows_html_as_text(qtbot, session, tmp_path, hostile):
    w = MainWindow(session, pdf_folder=tmp_path / "pdf")
    qtbot.addWidget(w)
    w.resize(1000, 800)
    w.show()
    qtbot.waitExposed(w)
    model = w.table_screen.model
    index = model.index(model.row_of(hostile))
    tip = index.data(Qt.ItemDataRole.ToolTipRole)
    doc = rendered(tip)
    assert not has_image_or_link(doc)
    assert HOSTILE["summary"] in doc.toPlainText()
    assert HOSTILE["org"] in doc.toPlainText()
    # And the tooltip the view really shows on hover is that one.
    assert shown_tooltip(w.table_screen.view, index) == tip


def test_every_label_and_tooltip_with_sender_text_is_plain(qtbot, session, tmp_path, hostile):
    w = MainWindow(session, pdf_folder=tmp_path / "pdf")
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    seen = []
    w.open_letter(hostile)
    seen += hostile_texts_shown(w)
    qtbot.mouseClick(w.letter_screen.put_away_button, Qt.MouseButton.LeftButton)
    seen += hostile_texts_shown(w)  # the undo text names the sender
    w.show_folders()
    seen += hostile_texts_shown(w)
    tree = w.folders_screen.tree
    items = tree.findItems("", Qt.MatchFlag.MatchContains | Qt.MatchFlag.MatchRecursive)
    for item in items:
        for role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.WhatsThisRole):
            text = item.data(0, role)
            if text:
                seen.append((f"folder row {role}", text, None))
    assert seen, "the hostile letter's text is shown somewhere"
    for where, text, fmt in seen:
        if fmt is not None:
            assert fmt == Qt.TextFormat.PlainText or not might_be_rich(text), where
        else:
            assert not has_image_or_link(rendered(text)), where


# -- a 1 MB subject and sender ------------------------------------------------------


@pytest.fixture
def big(session):
    subject = ("Aanmaning\n" * (BIG // 10))[:BIG]
    sender = ("Afzender " * (BIG // 9 + 1))[:BIG]
    summary = ("Samenvatting " * (BIG // 13 + 1))[:BIG]
    deliver(session, "groot", org=sender, subject=subject, summary=summary)
    return {"subject": subject, "sender": sender, "summary": summary}


def test_a_megabyte_subject_and_sender_are_bounded_where_shown(
    qtbot, session, tmp_path, big, monkeypatch
):
    monkeypatch.setattr(printing, "has_printer", lambda: False)  # no print dialog in CI
    w = MainWindow(session, pdf_folder=tmp_path / "pdf")
    qtbot.addWidget(w)
    w.resize(1000, 800)
    w.show()
    qtbot.waitExposed(w)

    # The card: sender and summary at most ~300 characters, cut with "…".
    model = w.table_screen.model
    index = model.index(model.row_of("groot"))
    for role in (LetterTableModel.SenderRole, LetterTableModel.SummaryRole):
        text = index.data(role)
        assert len(text) <= 300 and text.endswith("…")
    for role in (
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.AccessibleTextRole,
        Qt.ItemDataRole.ToolTipRole,
    ):
        assert len(index.data(role)) <= 2000
    w.table_screen.view.viewport().repaint()

    # The letter: its title bounded, the whole text in the letter itself.
    w.open_letter("groot")
    screen = w.letter_screen
    for shown in (screen.sender_label, screen.subject, screen.summary):
        assert len(shown.text()) <= 320 and shown.text().endswith("…")
    # The letter grows in the page: of a letter this long it shows the start, and
    # says in one line that "Printen" gives all of it: the body's every word on
    # paper, the subject and sender as on screen (1 MB would be hundreds of pages).
    shown_text = screen.paper.toPlainText()
    assert len(shown_text) <= 70_000 and shown_text.startswith("Afzender Afzender")
    assert screen.paper_note.isVisible() and "'Printen'" in screen.paper_note.text()
    on_paper = " ".join(screen.print_document().document.toPlainText().split())
    assert "De tekst van de brief." in on_paper and "Aanmaning Aanmaning" in on_paper
    assert len(screen.read_aloud_text()) < len(shown_text) + 2000

    # Printing: a short file name, a real PDF.
    qtbot.mouseClick(screen.print_button, Qt.MouseButton.LeftButton)
    path = w.last_pdf
    assert path is not None and path.is_file() and printing.is_pdf(path)
    assert len(path.name) <= 128

    # Put away: the undo text is bounded too.
    qtbot.mouseClick(screen.put_away_button, Qt.MouseButton.LeftButton)
    assert len(w.table_screen.undo_text.text()) <= 400

    # The folders: every row at most ~300 characters.
    w.show_folders()
    tree = w.folders_screen.tree
    items: list[QTreeWidgetItem] = tree.findItems(
        "", Qt.MatchFlag.MatchContains | Qt.MatchFlag.MatchRecursive
    )
    assert items
    for item in items:
        assert len(item.text(0)) <= 320
        assert "\n" not in item.text(0)
    # ... and the letter is there to open, whole (as above).
    assert w.folders_screen.select_letter("groot")
    assert w.folders_screen.selected_letter_id() == "groot"
    assert w.folders_screen.open_button.isEnabled()
    tree.viewport().repaint()
