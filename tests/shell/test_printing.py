"""Printing tells the truth and leaves nothing where others can read it.

Real QPrinter output, read back with QtPdf; real file modes; a real guided visit
on a real Visit folder, with HOME and the Documents folder pointed at this test's
own tmp folder so a PDF that goes astray lands where the test can see it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from PySide6.QtCore import QStandardPaths, Qt, QTimer
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QApplication, QMessageBox

from app.guided import Visit
from practice_folder import practice_copy
from ui.shell import printing
from ui.shell.main_window import MainWindow

pytestmark = pytest.mark.gui


def pdf_text(path: Path) -> str:
    pdf = QPdfDocument()
    assert pdf.load(str(path)) == QPdfDocument.Error.None_
    text = "\n".join(pdf.getAllText(p).text() for p in range(pdf.pageCount()))
    pdf.close()
    return " ".join(text.split())


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def all_files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


@pytest.fixture
def no_printer(monkeypatch):
    """This machine has no printer; the test says so, so that a CI machine with one
    does not open the system print dialog (a modal window nobody can answer)."""
    monkeypatch.setattr(printing, "has_printer", lambda: False)


@pytest.fixture
def home(tmp_path, monkeypatch):
    """HOME and the Documents folder inside this test's tmp folder."""
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    config = home / ".config"
    config.mkdir()
    (config / "user-dirs.dirs").write_text('XDG_DOCUMENTS_DIR="$HOME/Documents"\n')
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(home / "Documents"))
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    assert Path(docs).resolve() == (home / "Documents").resolve()
    return home


@pytest.fixture
def umask_022():
    old = os.umask(0o022)  # the usual umask: files 0644 and folders 0755 unless we say so
    yield
    os.umask(old)


def deliver(session, letter_id: str, subject: str, **extra) -> None:
    letter = {
        "id": letter_id,
        "recipient": "koen",
        "org": "rdw",
        "subject": subject,
        "summary": "Een brief om te proberen.",
        "action": "lezen",
        "received_days_ago": 0,
        "deadline_in_days": 5,
        "reference": "KENMERK-42",
        "body": "De tekst van de brief.",
        "what_to_do": "Lees de brief.",
    }
    letter.update(extra)
    session.mailbox.deliver(letter)
    session.sync()


def catch_message_boxes(found: list[str]) -> QTimer:
    """A modal QMessageBox offscreen would wait for ever: note and close any."""

    def check() -> None:
        for w in QApplication.topLevelWidgets():
            if isinstance(w, QMessageBox) and w.isVisible():
                found.append(w.text())
                w.done(0)

    timer = QTimer()
    timer.timeout.connect(check)
    timer.start(20)
    return timer


# -- the guided visit ------------------------------------------------------------


@pytest.mark.parametrize("given", ["none", "outside"])
def test_guided_print_stays_in_the_visit_folder(
    qtbot, tmp_path, today, home, no_printer, umask_022, given
):
    """A letter and the handout printed during a visit, without a printer, land in
    the visit's folder only, whatever pdf_folder the window was given; after
    "Sessie afsluiten" nothing of the visit is left anywhere."""
    from ui.guided.window import GuidedWindow

    visit = Visit.start(tmp_path / "begeleid", today=today)
    practice_copy(visit.folder, today, into=True)  # seeded once, copied
    visit.open_session()
    outside = tmp_path / "pdf-buiten"
    gw = GuidedWindow(visit, pdf_folder=None if given == "none" else outside)
    qtbot.addWidget(gw)
    gw.show()
    qtbot.waitExposed(gw)
    before = all_files(home)
    try:
        qtbot.mouseClick(gw.panel.visitor_button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(gw.table_cover.reveal_button, Qt.MouseButton.LeftButton)
        letter = gw.session.table()[0]
        gw.open_letter(letter.id)
        qtbot.mouseClick(gw.letter_cover.reveal_button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(gw.letter_screen.print_button, Qt.MouseButton.LeftButton)
        letter_pdf = gw.last_pdf
        assert letter_pdf is not None and letter_pdf.is_file()
        assert visit.folder in letter_pdf.parents
        assert letter.reference in pdf_text(letter_pdf)
        assert mode(letter_pdf) == 0o600
        # The handout goes the same way.
        gw.controller.print_handout()
        handout_pdf = gw.last_pdf
        assert handout_pdf is not None and handout_pdf.is_file()
        assert visit.folder in handout_pdf.parents
        assert mode(handout_pdf) == 0o600
        assert all_files(home) == before  # nothing in HOME, nothing in Documents
        assert not outside.exists()
        folder = visit.folder
    finally:
        gw.close()  # "Sessie afsluiten" closes the window; closing ends the visit
    assert not folder.exists()
    assert all_files(home) == before
    assert not outside.exists()
    assert all_files(tmp_path / "begeleid") == set() or not (tmp_path / "begeleid").exists()


# -- modes -------------------------------------------------------------------------


def test_pdfs_and_the_folders_we_make_are_private(qtbot, session, tmp_path, no_printer, umask_022):
    folder = tmp_path / "nieuw" / "pdf"
    w = MainWindow(session, pdf_folder=folder)
    qtbot.addWidget(w)
    w.open_letter(session.table()[0].id)
    qtbot.mouseClick(w.letter_screen.print_button, Qt.MouseButton.LeftButton)
    path = w.last_pdf
    assert path is not None and path.parent == folder
    assert mode(path) == 0o600
    assert mode(folder) == 0o700
    assert mode(folder.parent) == 0o700  # made by us as well


def test_an_existing_folder_keeps_its_mode(qtbot, session, tmp_path, no_printer, umask_022):
    folder = tmp_path / "Documenten"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    w = MainWindow(session, pdf_folder=folder)
    qtbot.addWidget(w)
    w.open_letter(session.table()[0].id)
    qtbot.mouseClick(w.letter_screen.print_button, Qt.MouseButton.LeftButton)
    assert mode(folder) == 0o755  # the person's own folder: not ours to change
    assert w.last_pdf is not None and mode(w.last_pdf) == 0o600


# -- a true "PDF gemaakt" ------------------------------------------------------------


HOSTILE_SUBJECTS = {
    "long": "Aanmaning verkeersboete " * 11,  # ~260 characters
    "newlines": "Regel\n" * 400,
    "slashes": 'a/b\\c:d*e?f"g<h>i|j\x00k\x07l ../../etc/passwd',
    "dots": "..",
    "spaces": "   \t  ",
    "wide": "公文" * 200,  # 3 bytes a character in UTF-8
    "windows": "CON",
}


@pytest.mark.parametrize("kind", sorted(HOSTILE_SUBJECTS))
def test_odd_subjects_make_a_real_pdf_with_a_safe_name(qtbot, session, tmp_path, no_printer, kind):
    folder = tmp_path / "pdf"
    deliver(session, f"odd-{kind}", HOSTILE_SUBJECTS[kind])
    w = MainWindow(session, pdf_folder=folder)
    qtbot.addWidget(w)
    w.open_letter(f"odd-{kind}")
    qtbot.mouseClick(w.letter_screen.print_button, Qt.MouseButton.LeftButton)
    path = w.last_pdf
    assert path is not None and path.parent == folder  # no '/' made a folder
    assert path.is_file() and path.stat().st_size > 0
    assert path.suffix == ".pdf"
    assert len(path.name.encode("utf-8")) <= 128
    assert not path.name.startswith(".")
    assert "KENMERK-42" in pdf_text(path)
    # The notice names the file that is there (for a screen reader; the text stays short).
    assert str(path) in w.notice_label.accessibleDescription()


def test_two_prints_in_one_second_make_two_files(qtbot, session, tmp_path, no_printer):
    folder = tmp_path / "pdf"
    w = MainWindow(session, pdf_folder=folder)
    qtbot.addWidget(w)
    w.open_letter(session.table()[0].id)
    qtbot.mouseClick(w.letter_screen.print_button, Qt.MouseButton.LeftButton)
    first = w.last_pdf
    qtbot.mouseClick(w.letter_screen.print_button, Qt.MouseButton.LeftButton)
    second = w.last_pdf
    assert first is not None and second is not None and first != second
    assert first.is_file() and second.is_file()
    assert len(list(folder.iterdir())) == 2


def test_print_to_pdf_never_returns_a_file_that_is_not_there(tmp_path):
    """QPrinter fails silently on a name that is too long; we do not."""
    doc = printing.PrintDocument("Brief").paragraph("Tekst")
    with pytest.raises(OSError):
        printing.print_to_pdf(doc, tmp_path / ("x" * 300 + ".pdf"))
    assert list(tmp_path.iterdir()) == []


def test_a_failed_print_says_so_and_claims_nothing(qtbot, session, tmp_path, no_printer):
    """The PDF folder cannot be made (a file stands in its place): the person reads
    that printing did not work and that nothing is lost, and no box waits for a click."""
    blocker = tmp_path / "bezet"
    blocker.write_text("een bestand, geen map")
    w = MainWindow(session, pdf_folder=blocker / "pdf")
    qtbot.addWidget(w)
    letter = session.table()[0]
    w.open_letter(letter.id)
    boxes: list[str] = []
    timer = catch_message_boxes(boxes)
    try:
        qtbot.mouseClick(w.letter_screen.print_button, Qt.MouseButton.LeftButton)
    finally:
        timer.stop()
    assert boxes == []
    assert w.last_pdf is None
    text = w.notice_label.text()
    assert w.notice_row.isVisibleTo(w)
    assert "Printen is niet gelukt" in text and "niets verloren" in text
    assert "PDF gemaakt" not in text
    assert str(blocker) not in text  # no paths or error codes, plain words
    assert session.is_on_table(letter.id)
