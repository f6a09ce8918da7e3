"""A small PDF writer for the print street: text only, in the PDF's own
Helvetica (one of the 14 fonts every PDF reader has), WinAnsi encoded.

Why not a library: neither reportlab nor fpdf2 is installed (the server's
extra is not ours to grow), and Qt's QPdfWriter needs a QGuiApplication on
the main thread, which in the server is uvicorn's. A letter of plain words
needs only placed lines, so this writes them: no display, no dependency.
Characters outside Windows-1252 become "?" (the print street's letters are Dutch).
"""

from __future__ import annotations

import textwrap
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

A4 = (595.0, 842.0)  # points
LEFT, RIGHT, TOP, BOTTOM = 70.0, 70.0, 70.0, 70.0
#: Helvetica's widest common glyphs are about 0.56 em; wrapping at this width
#: keeps every line inside the margins.
EM_PER_CHAR = 0.56
FONTS = {"regular": "F1", "bold": "F2"}


@dataclass(frozen=True)
class Block:
    """A paragraph: wrapped to the page, ``space`` points of air above it."""

    text: str
    size: float = 16.0
    bold: bool = False
    space: float = 8.0


def wrap(text: str, size: float, width: float = A4[0] - LEFT - RIGHT) -> list[str]:
    chars = max(10, int(width / (size * EM_PER_CHAR)))
    return textwrap.wrap(text, chars, break_long_words=True) or [""]


def _escape(text: str) -> bytes:
    out = bytearray()
    for byte in text.encode("cp1252", errors="replace"):
        if byte in b"()\\":
            out += b"\\" + bytes([byte])
        elif byte < 32 or byte > 126:
            out += b"\\%03o" % byte
        else:
            out.append(byte)
    return bytes(out)


def _layout(blocks: Sequence[Block]) -> list[list[tuple[float, float, str, float, str]]]:
    """Blocks into pages of (x, y, font, size, line); a new page when one is full."""
    pages: list[list[tuple[float, float, str, float, str]]] = [[]]
    y = A4[1] - TOP
    for block in blocks:
        lead = block.size * 1.35
        y -= block.space
        for line in wrap(block.text, block.size):
            if y - lead < BOTTOM:
                pages.append([])
                y = A4[1] - TOP
            y -= lead
            font = FONTS["bold" if block.bold else "regular"]
            pages[-1].append((LEFT, y, font, block.size, line))
    return pages


def document(letters: Sequence[Sequence[Block]], title: str = "") -> bytes:
    """One PDF: each letter starts on a page of its own."""
    pages = [page for blocks in letters for page in _layout(blocks)]
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in below, once the pages are known
    tree = add(b"")
    regular = add(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    )
    bold = add(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>"
    )
    fonts = b"<< /F1 %d 0 R /F2 %d 0 R >>" % (regular, bold)
    kids = []
    for page in pages:
        stream = b"".join(
            b"BT /%s %.1f Tf %.1f %.1f Td (%s) Tj ET\n" % (font.encode(), size, x, y, _escape(line))
            for x, y, font, size, line in page
        )
        packed = zlib.compress(stream)
        content = add(
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed)
            + packed
            + b"\nendstream"
        )
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %d %d] /Resources << /Font %s >>"
                b" /Contents %d 0 R >>" % (tree, A4[0], A4[1], fonts, content)
            )
        )
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R /Lang (nl) >>" % tree
    objects[tree - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        len(kids),
    )
    info = add(b"<< /Title (%s) /Producer (Brieventafel) >>" % _escape(title))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        catalog,
        info,
        xref,
    )
    return bytes(out)
