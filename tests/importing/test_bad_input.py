"""Bad input (issue 15): a broken, locked, huge, scripted or strange file gives a
plain message (an ImportProblem with words), never a traceback, and nothing on
the table changes. The broken PDFs are made here from a real one."""

from __future__ import annotations

import os
import re
import shutil
from datetime import date

import paper_letters as P  # noqa: N812
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from app import importing
from app.desk import Desk
from app.importing import ImportCode, ImportProblem, import_letter, read_letter

TODAY = date(2027, 2, 3)
needs_ocr = pytest.mark.skipif(
    shutil.which("tesseract") is None and not os.environ.get("CI"),
    reason="tesseract is not installed here (CI has it: .ci/run)",
)


@pytest.fixture(scope="module")
def real_pdf(tmp_path_factory, qapp):
    return P.write_pdf(tmp_path_factory.mktemp("real") / "apk.pdf", P.RDW_PAPER).read_bytes()


@pytest.fixture
def desk(tmp_path):
    folder = tmp_path / "desk"
    folder.mkdir()
    desk = Desk(folder, today=lambda: TODAY)
    yield desk
    desk.close()


def _code_of(path) -> ImportCode:
    with pytest.raises(ImportProblem) as caught:
        read_letter(path, "koen", today=TODAY)
    problem = caught.value
    assert str(problem) == problem.code.value  # what a log could see: the code only
    _plain(problem.text())
    return problem.code


def _plain(text: str) -> None:
    assert text and "Traceback" not in text and "Error" not in text
    for sentence in re.split(r"(?<=[.?!])\s+", text):
        assert len(sentence.split()) <= 15, sentence


def _pdf(tmp_path, name: str, writer: PdfWriter):
    path = tmp_path / name
    with path.open("wb") as out:
        writer.write(out)
    return path


def test_every_problem_has_plain_words():
    for code in ImportCode:
        _plain(importing.problem_text(code))


def test_not_a_file_not_there_empty_too_big_or_another_kind(tmp_path):
    assert _code_of(tmp_path) is ImportCode.FOLDER
    assert _code_of(tmp_path / "weg.pdf") is ImportCode.NOT_FOUND
    (tmp_path / "leeg.pdf").write_bytes(b"")
    assert _code_of(tmp_path / "leeg.pdf") is ImportCode.EMPTY
    big = tmp_path / "groot.pdf"
    with big.open("wb") as out:  # sparse: costs no disk
        out.write(b"%PDF-1.7\n")
        out.truncate(importing.MAX_BYTES + 1)
    assert _code_of(big) is ImportCode.TOO_BIG
    (tmp_path / "brief.txt").write_text("Geachte heer, dit is een brief.", "utf-8")
    assert _code_of(tmp_path / "brief.txt") is ImportCode.UNKNOWN_KIND
    (tmp_path / "brief.docx").write_bytes(b"PK\x03\x04" + os.urandom(200))
    assert _code_of(tmp_path / "brief.docx") is ImportCode.UNKNOWN_KIND


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_a_file_we_may_not_read(tmp_path):
    locked = tmp_path / "dicht.pdf"
    locked.write_bytes(b"%PDF-1.7\n")
    locked.chmod(0)
    assert _code_of(locked) is ImportCode.UNREADABLE_FILE


def test_a_pdf_with_a_password_and_one_that_is_only_protected(tmp_path, real_pdf):
    writer = PdfWriter(clone_from=PdfReader(_write(tmp_path / "a.pdf", real_pdf)))
    writer.encrypt("geheim", algorithm="AES-256")
    assert _code_of(_pdf(tmp_path, "wachtwoord.pdf", writer)) is ImportCode.ENCRYPTED
    only_owner = PdfWriter(clone_from=PdfReader(tmp_path / "a.pdf"))
    only_owner.encrypt("", owner_password="eigenaar", algorithm="AES-128")
    found = read_letter(_pdf(tmp_path, "beschermd.pdf", only_owner), "koen", today=TODAY)
    assert found.letter.deadline == date(2027, 1, 15)  # no password to read it: read


def test_a_thousand_pages_are_read_up_to_the_cap_and_said(tmp_path, real_pdf):
    writer = PdfWriter(clone_from=PdfReader(_write(tmp_path / "a.pdf", real_pdf)))
    for _ in range(999):
        writer.add_blank_page()
    found = read_letter(_pdf(tmp_path, "dik.pdf", writer), "koen", today=TODAY)
    assert (found.pages_read, found.pages_total) == (importing.MAX_PAGES, 1000)
    assert found.letter.deadline == date(2027, 1, 15)
    note = f"Deze PDF heeft 1000 bladzijden. Wij lazen alleen de eerste {importing.MAX_PAGES}."
    assert note in found.notes


def test_javascript_in_a_pdf_is_never_run_and_said(tmp_path, real_pdf):
    marker = tmp_path / "gestart"
    writer = PdfWriter(clone_from=PdfReader(_write(tmp_path / "a.pdf", real_pdf)))
    script = f"app.launchURL('file://{marker}'); this.exportDataObject({{cName: 'x'}});"
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject(script)}
    )
    found = read_letter(_pdf(tmp_path, "script.pdf", writer), "koen", today=TODAY)
    assert found.has_script and not marker.exists()
    assert "In deze PDF zit een programma. Dat hebben wij niet gestart." in found.notes
    assert found.letter.deadline == date(2027, 1, 15)


def test_a_pdf_without_text_is_said_to_be_one(tmp_path):
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    assert _code_of(_pdf(tmp_path, "leeg.pdf", writer)) is ImportCode.NO_TEXT


def test_truncated_pdfs_read_or_say_damaged_and_lose_nothing(tmp_path, real_pdf, desk):
    """Every cut of a real PDF: the letter, or DAMAGED/NO_TEXT; the table only
    ever gets whole letters, and a failure adds nothing."""
    cuts = sorted({*range(0, len(real_pdf), max(1, len(real_pdf) // 40)), 9, 100, 1000})
    for cut in cuts:
        path = _write(tmp_path / f"cut{cut}.pdf", real_pdf[:cut])
        before = len(desk.table("koen"))
        try:
            import_letter(desk, "koen", path, today=TODAY)
        except ImportProblem as problem:
            assert problem.code in (
                ImportCode.EMPTY,
                ImportCode.UNKNOWN_KIND,
                ImportCode.DAMAGED_PDF,
                ImportCode.NO_TEXT,
            ), (cut, problem.code)
            assert len(desk.table("koen")) == before
        assert path.read_bytes() == real_pdf[:cut]  # the person's file as it was


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.binary(max_size=3000),
    st.sampled_from([b"", b"%PDF-1.7\n", b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog"]),
)
def test_random_bytes_never_break_the_reader(tmp_path, head, tail):
    path = tmp_path / "ruis.pdf"
    path.write_bytes(tail + head)
    try:
        read_letter(path, "koen", today=TODAY)
    except ImportProblem as problem:
        _plain(problem.text())


def test_a_real_pdf_with_bytes_flipped_never_breaks_the_reader(tmp_path, real_pdf):
    import random

    chance = random.Random(15)
    for round_ in range(40):
        data = bytearray(real_pdf)
        for _ in range(chance.randint(1, 30)):
            data[chance.randrange(len(data))] = chance.randrange(256)
        path = _write(tmp_path / f"flip{round_}.pdf", bytes(data))
        try:
            read_letter(path, "koen", today=TODAY)
        except ImportProblem as problem:
            assert problem.code in (ImportCode.DAMAGED_PDF, ImportCode.NO_TEXT)


def test_a_damaged_image_and_one_too_large(tmp_path):
    (tmp_path / "kapot.png").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(500))
    assert _code_of(tmp_path / "kapot.png") is ImportCode.DAMAGED_IMAGE
    (tmp_path / "kapot.jpg").write_bytes(b"\xff\xd8\xff\xe0" + os.urandom(500))
    assert _code_of(tmp_path / "kapot.jpg") is ImportCode.DAMAGED_IMAGE
    from PIL import Image

    Image.new("1", (9000, 7000), 1).save(tmp_path / "groot.png")
    assert _code_of(tmp_path / "groot.png") is ImportCode.IMAGE_TOO_BIG


@needs_ocr
def test_an_image_that_is_not_a_letter_and_an_unreadable_scan(tmp_path, desk):
    from PIL import Image, ImageDraw, ImageFilter

    picture = Image.new("RGB", (800, 600), "skyblue")
    ImageDraw.Draw(picture).ellipse((200, 150, 600, 450), fill="orange")
    picture.save(tmp_path / "zon.jpg")
    assert _code_of(tmp_path / "zon.jpg") is ImportCode.NOT_A_LETTER
    sharp = Image.open(P.write_png(tmp_path / "scherp.png", P.OCR_LETTER))
    sharp.filter(ImageFilter.GaussianBlur(14)).save(tmp_path / "wazig.png")
    assert _code_of(tmp_path / "wazig.png") is ImportCode.NOT_A_LETTER
    with pytest.raises(ImportProblem):
        import_letter(desk, "koen", tmp_path / "wazig.png", today=TODAY)
    assert desk.table("koen") == [] and not (desk.path.parent / "papier").exists()


def _write(path, data: bytes):
    path.write_bytes(data)
    return path
