"""The print street's PDF, written with fpdf2 (a maintained, pure-Python PDF
library: no display, no Qt) in DejaVu Sans, a TrueType font with the letters
of every European language, embedded as a subset: "Şükrü Yılmaz" and "Zoë"
print as they are.

DejaVu Sans comes from Debian's ``fonts-dejavu-core`` (``.ci/run`` installs
it). Without it the letters are set in Helvetica, one of the PDF's 14 base
fonts, and one warning is logged (the font's file, never a name): characters
outside Windows-1252 then print as "?".

Qt's ``QPdfWriter`` is not used: it needs a ``QGuiApplication`` on the main
thread, which in the server is uvicorn's.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

log = logging.getLogger("brieventafel.server.pdf")

A4 = (595.28, 841.89)  # points
LEFT, RIGHT, TOP, BOTTOM = 70.0, 70.0, 70.0, 70.0
#: Where DejaVu Sans is (Debian's fonts-dejavu-core).
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
FALLBACK = "Helvetica"
#: The core fonts know only Windows-1252's letters.
FALLBACK_ENCODING = "cp1252"


@dataclass(frozen=True)
class Block:
    """A paragraph: wrapped to the page, ``space`` points of air above it."""

    text: str
    size: float = 16.0
    bold: bool = False
    space: float = 8.0


def _font(doc: FPDF) -> str:
    """Add DejaVu Sans to ``doc`` and return its family; Helvetica (logged)
    when a file is missing or unreadable."""
    try:
        for style, name in FONT_FILES.items():
            doc.add_font("DejaVuSans", style, FONT_DIR / name)
    except (OSError, RuntimeError, ValueError) as error:  # fpdf2 raises FileNotFoundError
        log.warning(
            "font %s not usable (%s): paper letters set in %s, characters outside"
            " Windows-1252 print as '?'",
            FONT_DIR / FONT_FILES[""],
            type(error).__name__,
            FALLBACK,
        )
        return FALLBACK
    return "DejaVuSans"


def _fit(text: str, family: str) -> str:
    if family != FALLBACK:
        return text
    return text.encode(FALLBACK_ENCODING, errors="replace").decode(FALLBACK_ENCODING)


def document(letters: Sequence[Sequence[Block]], title: str = "") -> bytes:
    """One PDF: each letter starts on a page of its own; a letter that does
    not fit goes on to the next page."""
    doc = FPDF(orientation="portrait", unit="pt", format="A4")
    doc.set_margins(LEFT, TOP, RIGHT)
    doc.set_auto_page_break(True, margin=BOTTOM)
    doc.set_lang("nl")
    doc.set_producer("Brieventafel")
    doc.set_creator("Brieventafel")
    family = _font(doc)
    if title:
        doc.set_title(_fit(title, family))
    width = A4[0] - LEFT - RIGHT
    for blocks in letters:
        doc.add_page()
        for number, block in enumerate(blocks):
            doc.set_font(family, "B" if block.bold else "", block.size)
            if number == 0:  # the address: where the envelope's window is
                doc.set_y(TOP + block.space)
            elif doc.get_y() > TOP + 1:  # no air at the top of a next page
                doc.set_y(doc.get_y() + block.space)
            doc.set_x(LEFT)
            doc.multi_cell(
                width,
                block.size * 1.35,
                _fit(block.text, family),
                align="L",
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
            )
    return bytes(doc.output())
