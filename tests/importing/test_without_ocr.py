"""A machine without tesseract (a library PC, a bundle on a bare system): a photo
and a scanned PDF each get their own plain line, and a scan never sends the person
off to make a photo that could not be read either. A real process whose PATH has
no tesseract, on real files."""

from __future__ import annotations

import subprocess
import sys

import paper_letters as P  # noqa: N812

from app.importing import ORIGINALS, ImportCode, problem_text
from app.session import PRACTICE_FOLDER


def _import_without_tesseract(tmp_path, path):
    bare = tmp_path / "bin"  # a PATH with nothing on it
    bare.mkdir(exist_ok=True)
    return subprocess.run(
        [sys.executable, "-m", "app", "--data-dir", str(tmp_path / "data"), "--import", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": str(bare), "LANG": "C.UTF-8", "HOME": "/nonexistent"},
    )


def test_a_scanned_pdf_without_ocr_says_scans_cannot_be_read_here(qapp, tmp_path):
    scan = P.write_scan_pdf(tmp_path / "scan.pdf", P.OCR_LETTER)
    done = _import_without_tesseract(tmp_path, scan)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.strip() == problem_text(ImportCode.NO_OCR_SCAN)
    assert "foto" not in done.stderr  # not sent off to make a photo
    assert not (tmp_path / "data" / PRACTICE_FOLDER / ORIGINALS).exists()  # nothing kept


def test_a_photo_without_ocr_says_photos_cannot_be_read_here(qapp, tmp_path):
    photo = P.write_png(tmp_path / "brief.png", P.OCR_LETTER)
    done = _import_without_tesseract(tmp_path, photo)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.strip() == problem_text(ImportCode.NO_OCR)
