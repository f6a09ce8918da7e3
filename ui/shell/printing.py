"""Printing through QPrinter: to the system printer, or to a PDF when there is none.

QtPrintSupport is imported only when something is printed (not at start-up).
Documents are built with QTextCursor.insertText, so sender text stays plain
text. Printed type is large (14 pt body) for the people who read it.

A PDF is ours to keep private and honest: it is made 0600 (in a folder we make
0700), under a short safe name of its own, and it is only reported once it is
really there and really a PDF (:func:`print_document` returns what happened).
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from PySide6.QtCore import QMarginsF, QStandardPaths
from PySide6.QtGui import (
    QFont,
    QPageLayout,
    QPageSize,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)

from app.paths import make_private_folder

PRINT_POINT_SIZE = 14
TITLE_CHARS = 200  # a document's title (its PDF title and the start of its file name)
NAME_CHARS = 60  # the part of a PDF's file name taken from the title
NAME_BYTES = 90  # ... at most this many bytes of it: the whole name stays under 128
# bytes (most file systems allow 255, an encrypted home folder 143)
FILE_MODE = 0o600  # a PDF holds a letter, a name and an address: only for its owner


class PrintFailed(OSError):
    """Printing made no usable PDF (QPrinter itself says nothing when it fails)."""


@dataclass(frozen=True)
class Printed:
    """What printing did: sent to the ``printer``, ``cancelled`` in the print dialog,
    a ``pdf`` at ``path`` (it is there and it is a PDF), or ``failed``."""

    kind: Literal["printer", "cancelled", "pdf", "failed"]
    path: Path | None = None


def one_line(text: str, limit: int) -> str:
    """``text`` on one line (every run of white space one space), at most ``limit``
    characters, with "…" where it was cut."""
    head = text[: limit * 4 + 16]  # a little more than fits: 1 MB costs nothing here
    line = " ".join(head.split())
    if len(line) <= limit and (len(head) == len(text) or not text[len(head) :].strip()):
        return line
    return line[: limit - 1].rstrip() + "…"


class PrintDocument:
    """A plain document: headings and paragraphs, nothing interpreted as markup."""

    def __init__(self, title: str):
        self.title = one_line(title, TITLE_CHARS)
        self.document = QTextDocument()
        font = QFont("DejaVu Sans")
        font.setPointSize(PRINT_POINT_SIZE)
        self.document.setDefaultFont(font)
        self._cursor = QTextCursor(self.document)
        self._first = True
        #: whose post this is ("Post van Sanne Bos"), once it is on the page:
        #: :func:`print_document` puts it at the top of every print (issue 13)
        self.whose: str | None = None

    def _block(self, size: float, bold: bool, space_before: float) -> None:
        block = QTextBlockFormat()
        block.setTopMargin(space_before)
        block.setBottomMargin(4)
        char = QTextCharFormat()
        char.setFontPointSize(size)
        char.setFontWeight(QFont.Weight.Bold if bold else QFont.Weight.Normal)
        if self._first:
            self._cursor.setBlockFormat(block)
            self._cursor.setBlockCharFormat(char)
            self._first = False
        else:
            self._cursor.insertBlock(block, char)
        self._cursor.setCharFormat(char)

    def heading(self, text: str) -> PrintDocument:
        self._block(PRINT_POINT_SIZE * 1.4, True, 12)
        self._cursor.insertText(text)
        return self

    def paragraph(self, text: str, *, bold: bool = False) -> PrintDocument:
        for part in text.split("\n"):
            self._block(PRINT_POINT_SIZE, bold, 4)
            self._cursor.insertText(part)
        return self

    def lines(self, lines) -> PrintDocument:
        for line in lines:
            self._block(PRINT_POINT_SIZE, False, 0)
            self._cursor.insertText(line)
        return self

    def plain_text(self) -> str:
        return self.document.toPlainText()

    def stamp_whose(self, line: str) -> None:
        """Put ``line`` (whose post this is) in bold at the top, once."""
        if self.whose is not None or not line:
            return
        self.whose = line
        cursor = QTextCursor(self.document)
        cursor.movePosition(QTextCursor.MoveOperation.Start)
        char = QTextCharFormat()
        char.setFontPointSize(PRINT_POINT_SIZE)
        char.setFontWeight(QFont.Weight.Bold)
        # the first block's own format goes on with its text, into the next block
        cursor.insertBlock(cursor.blockFormat(), cursor.charFormat())
        cursor.movePosition(QTextCursor.MoveOperation.Start)
        cursor.setBlockFormat(QTextBlockFormat())
        cursor.setCharFormat(char)
        cursor.insertText(line)


#: a letter's text in a print of many letters: at most this many characters each
#: (a 1 MB letter would be hundreds of pages; the letter itself prints whole)
LETTER_CHARS = 20_000


def letters_document(title: str, intro: str, letters) -> PrintDocument:
    """Many letters as one document (a folder, a search result: for the tax
    adviser, the bewindvoerder, the archive box): per letter its sender and
    subject, when it came, reference, amount, deadline, and its text."""
    from app.i18n import gettext as _
    from app.plain import format_amount, format_date

    doc = PrintDocument(title)
    doc.heading(one_line(title, TITLE_CHARS))
    if intro:
        doc.paragraph(intro)
    for letter in letters:
        doc.heading(f"{one_line(letter.sender, 80)}: {one_line(letter.subject, 160)}")
        facts = [_("Ontvangen: %(day)s") % {"day": format_date(letter.received)}]
        if letter.reference:
            reference = one_line(letter.reference, 80)
            facts.append(_("Kenmerk: %(reference)s") % {"reference": reference})
        if letter.amount_cents is not None:
            facts.append(_("Bedrag: %(amount)s") % {"amount": format_amount(letter.amount_cents)})
        if letter.deadline is not None:
            facts.append(_("Uiterlijk: %(day)s") % {"day": format_date(letter.deadline)})
        doc.lines(facts)
        if letter.summary:
            doc.paragraph(one_line(letter.summary, 600), bold=True)
        body = letter.body if len(letter.body) <= LETTER_CHARS else letter.body[:LETTER_CHARS] + "…"
        doc.paragraph(body)
    return doc


def whose_post_line(parent) -> str:
    """Whose post a print from ``parent`` (a window) shows: the first installed
    feature with a ``print_line()`` says it ("Post van Sanne Bos"); "" for none."""
    for feature in getattr(parent, "features", None) or ():
        line = getattr(feature, "print_line", None)
        if callable(line):
            text = line()
            if text:
                return str(text)
    return ""


def default_pdf_folder() -> Path:
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(docs or Path.home())


def has_printer() -> bool:
    from PySide6.QtPrintSupport import QPrinterInfo

    return bool(QPrinterInfo.availablePrinters())


def safe_name(title: str) -> str:
    """A short file name part from a title: letters, digits, '-' and '_', single
    spaces between; never '/', '..', control characters or a leading dot."""
    text = unicodedata.normalize("NFC", title[: NAME_CHARS * 4 + 16])
    kept = "".join(ch if ch.isalnum() or ch in "-_" else " " for ch in text)
    name = " ".join(kept.split())[:NAME_CHARS]
    while len(name.encode("utf-8")) > NAME_BYTES:
        name = name[:-1]
    return name.strip(" -_") or "brief"


def private_folder(folder: Path) -> Path:
    """``folder``, made if needed; every folder we make is 0700. A folder that was
    already there (the person's Documents) keeps its mode."""
    return make_private_folder(folder, tighten_existing=False)


def new_pdf_path(folder: Path, title: str) -> Path:
    """A PDF file of our own in ``folder``: a safe short unique name, made empty
    and 0600 at once (O_EXCL), so nobody else can read it and nothing is overwritten."""
    stem = f"{safe_name(title)} {datetime.now():%Y-%m-%d %H%M%S}"
    for n in range(1, 1000):
        path = folder / (f"{stem}.pdf" if n == 1 else f"{stem} ({n}).pdf")
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        except FileExistsError:
            continue
        os.close(fd)
        return path
    raise PrintFailed("no free file name")


def is_pdf(path: Path) -> bool:
    """The file is there, not empty, and reads as a whole PDF (header and end)."""
    try:
        with open(path, "rb") as file:
            head = file.read(5)
            file.seek(0, os.SEEK_END)
            size = file.tell()
            file.seek(max(0, size - 1024))
            tail = file.read()
    except OSError:
        return False
    return head == b"%PDF-" and b"%%EOF" in tail


def print_to_pdf(doc: PrintDocument, path: Path) -> Path:
    """Write ``doc`` as a PDF at ``path`` (0600) and return it; raise
    :class:`PrintFailed` (an OSError) when no PDF came of it, and leave nothing."""
    from PySide6.QtPrintSupport import QPrinter  # loaded when printing, not at start

    # Open it ourselves first: QPrinter fails silently on a name the system refuses.
    made = not path.exists()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE)
    os.close(fd)
    os.chmod(path, FILE_MODE)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setDocName(doc.title)
    printer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(20, 20, 20, 20),
            QPageLayout.Unit.Millimeter,
        )
    )
    doc.document.print_(printer)
    if printer.printerState() == QPrinter.PrinterState.Error or not is_pdf(path):
        if made or path.stat().st_size == 0:
            path.unlink(missing_ok=True)
        raise PrintFailed("no PDF was made")
    os.chmod(path, FILE_MODE)
    return path


def print_document(
    doc: PrintDocument,
    parent=None,
    pdf_folder: Path | None = None,
    *,
    use_printer: bool | None = None,
    print_to_file: bool = True,
) -> Printed:
    """Print on the system printer (after the print dialog), or save a PDF.

    ``use_printer`` (by default: when no ``pdf_folder`` is given) uses a printer
    if there is one; otherwise a PDF goes into ``pdf_folder`` (by default the
    Documents folder). ``print_to_file=False`` takes "print to file" out of the
    print dialog (guided mode: nothing of a visit outside its folder).
    Never raises OSError: a failure is ``Printed("failed")``.
    """
    if use_printer is None:
        use_printer = pdf_folder is None
    doc.stamp_whose(whose_post_line(parent))  # the person's name on every print
    if use_printer and has_printer():
        from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, parent)
        if not print_to_file:
            dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintToFile, False)
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            return Printed("cancelled")
        if not print_to_file and printer.outputFileName():
            return Printed("failed")
        doc.document.print_(printer)
        if printer.printerState() == QPrinter.PrinterState.Error:
            return Printed("failed")
        return Printed("printer")
    try:
        folder = private_folder(pdf_folder or default_pdf_folder())
        return Printed("pdf", print_to_pdf(doc, new_pdf_path(folder, doc.title)))
    except OSError:
        return Printed("failed")
