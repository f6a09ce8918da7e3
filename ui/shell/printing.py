"""Printing through QPrinter: to the system printer, or to a PDF when there is none.

Documents are built with QTextCursor.insertText, so sender text stays plain
text. Printed type is large (14 pt body) for the people who read it.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

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
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

PRINT_POINT_SIZE = 14


class PrintDocument:
    """A plain document: headings and paragraphs, nothing interpreted as markup."""

    def __init__(self, title: str):
        self.title = title
        self.document = QTextDocument()
        font = QFont("DejaVu Sans")
        font.setPointSize(PRINT_POINT_SIZE)
        self.document.setDefaultFont(font)
        self._cursor = QTextCursor(self.document)
        self._first = True

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


def default_pdf_folder() -> Path:
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(docs or Path.home())


def has_printer() -> bool:
    return bool(QPrinterInfo.availablePrinters())


def _pdf_name(title: str) -> str:
    safe = "".join(ch if ch.isalnum() or ch in " -_" else "_" for ch in title).strip() or "brief"
    return f"{safe} {datetime.now():%Y-%m-%d %H%M%S}.pdf"


def print_to_pdf(doc: PrintDocument, path: Path) -> Path:
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
    return path


def print_document(doc: PrintDocument, parent=None, pdf_folder: Path | None = None) -> Path | None:
    """Print on the system printer (after the print dialog), or save a PDF.

    Returns the PDF path when a PDF was made, None when it went to a printer
    or the person cancelled the print dialog.
    """
    if has_printer() and pdf_folder is None:
        from PySide6.QtPrintSupport import QPrintDialog

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, parent)
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            doc.document.print_(printer)
        return None
    folder = pdf_folder or default_pdf_folder()
    folder.mkdir(parents=True, exist_ok=True)
    return print_to_pdf(doc, folder / _pdf_name(doc.title))
