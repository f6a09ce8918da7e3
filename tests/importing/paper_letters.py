"""Letters as files, made in the test: PDFs with QPdfWriter (real text, as a
browser or Mijn Belastingdienst writes them) and a PNG rendered for the OCR.
Names, numbers and plates are made up."""

from __future__ import annotations

from pathlib import Path

from explain.explain_letters import RDW_APK, UNKNOWN, WOZ

#: the RDW letter as it lies on paper: its letterhead and a subject line
RDW_PAPER = "RDW\nPostbus 30000, 9640 RA Veendam\n\nOnderwerp: APK\n\n" + RDW_APK
WOZ_PAPER = "Gemeente Zwolle\nOnderwerp: WOZ-beschikking 2027\n\n" + WOZ
UNKNOWN_PAPER = UNKNOWN
#: a short letter set large, so tesseract reads it quickly and well
OCR_LETTER = """RDW

Onderwerp: APK

Geachte heer De Vries,

De APK van uw voertuig verloopt binnenkort.

Kenteken: 7-KZS-28
Vervaldatum APK: 15 januari 2027

Laat uw voertuig keuren.

Met vriendelijke groet,

RDW"""


def write_pdf(path: Path, text: str, *, pages: int = 1) -> Path:
    """A PDF of ``text`` (the first page; the others empty) made by QPdfWriter."""
    from PySide6.QtCore import QMarginsF, QRectF
    from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPainter, QPdfWriter

    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(20, 20, 20, 20), QPageLayout.Unit.Millimeter)
    writer.setResolution(150)
    painter = QPainter(writer)
    painter.setFont(QFont("DejaVu Sans", 10))
    area = QRectF(0, 0, writer.width(), writer.height())
    painter.drawText(area, 0x0001 | 0x0020 | 0x1000, text)  # left, top, word wrap
    for _ in range(pages - 1):
        writer.newPage()
    painter.end()
    return path


def write_png(path: Path, text: str) -> Path:
    """``text`` rendered black on white, large, as a clean scan."""
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QColor, QFont, QImage, QPainter

    image = QImage(1400, 1500, QImage.Format.Format_Grayscale8)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setPen(QColor("black"))
    font = QFont("DejaVu Sans")
    font.setPixelSize(34)
    painter.setFont(font)
    painter.drawText(QRect(80, 80, 1240, 1340), 0x0001 | 0x0020 | 0x1000, text)
    painter.end()
    assert image.save(str(path), "PNG")
    return path


def page_image(text: str, *, width: int = 1240, height: int = 1754, pixels: int = 30):
    """``text`` on an A4 page as a scanner gives it (150 dpi, grey, black on white)."""
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QColor, QFont, QImage, QPainter

    image = QImage(width, height, QImage.Format.Format_Grayscale8)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setPen(QColor("black"))
    font = QFont("DejaVu Sans")
    font.setPixelSize(pixels)
    painter.setFont(font)
    margin = width // 14
    painter.drawText(
        QRect(margin, margin, width - 2 * margin, height - 2 * margin),
        0x0001 | 0x0020 | 0x1000,  # left, top, word wrap
        text,
    )
    painter.end()
    return image


def write_scan_pdf(path: Path, text: str, *, pages: int = 1) -> Path:
    """A scanned letter: a PDF (QPdfWriter) whose pages are only images, no text
    layer; the first page is ``text``, the others empty paper."""
    from PySide6.QtCore import QMarginsF, QRectF
    from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter

    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)
    writer.setResolution(150)
    painter = QPainter(writer)
    for number in range(pages):
        if number:
            writer.newPage()
        image = page_image(text if number == 0 else "")
        painter.drawImage(QRectF(0, 0, writer.width(), writer.height()), image)
    painter.end()
    return path
