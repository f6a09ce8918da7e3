"""A scanned letter as a PDF (issue 15): pages that are only images, no text
layer, as a scanner or a phone's scan app makes them. The first pages' images
go through the same OCR as a photo (tesseract, Dutch), without Qt: real PDFs
made here (QPdfWriter drawing a rendered page), real tesseract."""

from __future__ import annotations

import os
import shutil
import time
from datetime import date

import paper_letters as P  # noqa: N812
import pytest

from app import importing
from app.importing import ImportCode, ImportProblem, read_letter

TODAY = date(2027, 2, 3)
needs_ocr = pytest.mark.skipif(
    shutil.which("tesseract") is None and not os.environ.get("CI"),
    reason="tesseract is not installed here (CI has it: .ci/run)",
)


def _code_of(path) -> ImportCode:
    with pytest.raises(ImportProblem) as caught:
        read_letter(path, "koen", today=TODAY)
    return caught.value.code


@needs_ocr
def test_a_scanned_apk_letter_becomes_its_card(qapp, tmp_path):
    scan = P.write_scan_pdf(tmp_path / "scan.pdf", P.RDW_PAPER)
    started = time.perf_counter()
    found = read_letter(scan, "koen", today=TODAY)
    took = time.perf_counter() - started
    letter = found.letter
    assert found.kind == "pdf" and found.sender_known
    assert (letter.org_id, letter.sender, letter.subject) == ("rdw", "RDW", "APK")
    assert letter.deadline == date(2027, 1, 15)
    assert letter.reference == "Kenteken 7-KZS-28"
    assert letter.explained_by == "rdw-apk"
    assert (found.pages_read, found.pages_total) == (1, 1)
    assert found.notes == []
    # how well and how fast it read, for the note of issue 15 (-s shows it)
    words = P.RDW_PAPER.split()
    got = set(letter.body.split())
    print(f"\nscan OCR: {sum(w in got for w in words)}/{len(words)} words, {took:.2f} s")
    assert took < 30


@needs_ocr
def test_only_the_first_pages_of_a_long_scan_are_read_and_that_is_said(qapp, tmp_path):
    scan = P.write_scan_pdf(tmp_path / "dik.pdf", P.RDW_PAPER, pages=importing.SCAN_PAGES + 2)
    found = read_letter(scan, "koen", today=TODAY)
    assert found.letter.deadline == date(2027, 1, 15)
    assert (found.pages_read, found.pages_total) == (importing.SCAN_PAGES, importing.SCAN_PAGES + 2)
    total = importing.SCAN_PAGES + 2
    assert (
        f"Deze PDF heeft {total} bladzijden. Wij lazen alleen de eerste {importing.SCAN_PAGES}."
        in found.notes
    )


def test_a_scan_of_empty_paper_is_said_plainly(qapp, tmp_path):
    scan = P.write_scan_pdf(tmp_path / "leeg.pdf", "")
    assert _code_of(scan) is ImportCode.NO_TEXT


def test_a_scan_whose_image_cannot_be_decoded_is_said_plainly(qapp, tmp_path):
    data = bytearray(P.write_scan_pdf(tmp_path / "scan.pdf", P.RDW_PAPER).read_bytes())
    start = data.index(b"\xff\xd8\xff")  # the JPEG inside: its bytes after the header spoilt
    data[start + 200 : start + 20_000] = b"\x00" * 19_800
    broken = tmp_path / "kapot.pdf"
    broken.write_bytes(bytes(data))
    assert _code_of(broken) is ImportCode.NO_TEXT
    assert broken.read_bytes() == bytes(data)  # the person's file as it was


def test_a_scan_page_too_large_to_decode_is_never_decoded(qapp, tmp_path, monkeypatch):
    """An image that says it is 9999 x 9999 (100 million pixels, more than
    MAX_PIXELS): skipped before a byte of it is decoded (a decompression bomb)."""
    data = P.write_scan_pdf(tmp_path / "scan.pdf", P.RDW_PAPER).read_bytes()
    big = data.replace(b"/Width 1240", b"/Width 9999").replace(b"/Height 1754", b"/Height 9999")
    assert big != data
    bomb = tmp_path / "bom.pdf"
    bomb.write_bytes(big)
    decoded = []
    from PIL import Image

    real_open = Image.open
    monkeypatch.setattr(Image, "open", lambda *a, **k: decoded.append(1) or real_open(*a, **k))
    assert _code_of(bomb) is ImportCode.NO_TEXT
    assert decoded == []


@needs_ocr
def test_a_scan_is_read_without_qt(qapp, tmp_path):
    """``brieventafel --import`` stays without Qt also for a scan: a fresh
    process reads it and has loaded no PySide6 module."""
    import subprocess
    import sys
    from pathlib import Path

    scan = P.write_scan_pdf(tmp_path / "scan.pdf", P.RDW_PAPER)
    code = (
        "import sys\n"
        "from app.importing import read_letter\n"
        f"found = read_letter({str(scan)!r}, 'koen')\n"
        "print(found.letter.org_id, found.letter.deadline)\n"
        "print(sorted(m for m in sys.modules if m.startswith('PySide6')))\n"
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.splitlines() == ["rdw 2027-01-15", "[]"]


def test_a_scan_whose_jpeg_lies_about_its_size_is_refused_by_pillow(qapp, tmp_path, caplog):
    """The PDF says 1240 x 1754, the JPEG inside says 10000 x 10000 (100 million
    pixels): Pillow refuses to open it (its MAX_IMAGE_PIXELS, set from ours while
    a scan is read, and put back after)."""
    from PIL import Image

    data = bytearray(P.write_scan_pdf(tmp_path / "scan.pdf", P.RDW_PAPER).read_bytes())
    start = data.index(b"\xff\xd8\xff")
    frame = data.index(b"\xff\xc0", start)  # the JPEG's frame: height and width
    data[frame + 5 : frame + 9] = (10_000).to_bytes(2, "big") * 2
    liar = tmp_path / "groot.pdf"
    liar.write_bytes(bytes(data))
    guard = Image.MAX_IMAGE_PIXELS
    with caplog.at_level("INFO", logger="app.importing"):
        assert _code_of(liar) is ImportCode.NO_TEXT
    assert guard == Image.MAX_IMAGE_PIXELS
    # refused before decoding (the log names only the kind of fault)
    assert "pdf scan image unreadable: DecompressionBombError" in caplog.messages


@needs_ocr
@pytest.mark.gui
def test_a_scan_dropped_in_the_app_is_checked_as_any_letter(qtbot, window, tmp_path):
    """The whole way in the app: the scan read in the background, the facts to
    check on the calm screen, on the table; its original shown as it is."""
    from ui.importing.feature import ImportFeature

    feature = window.features.get(ImportFeature)
    feature.open_file(P.write_scan_pdf(tmp_path / "scan.pdf", P.RDW_PAPER))
    screen = feature.screen
    assert screen.state == "review"
    assert screen.sender_field.text() == "RDW"
    assert screen.deadline_field.date().toString("yyyy-MM-dd") == "2027-01-15"
    assert screen.reference_field.text() == "Kenteken 7-KZS-28"
    screen.place_button.click()
    assert window.notice_label.text().startswith("De brief ligt op tafel. RDW: APK.")
    window.open_letter(window.table_screen.current_letter_id())
    window.letter_screen.original_button.click()
    original = window.current_screen()
    assert original.objectName() == "original_screen"
    assert original.document is not None and original.document.pageCount() == 1
