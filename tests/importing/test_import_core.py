"""The import core (issue 15): a PDF or a scan becomes a letter on the table,
explained by the rules, its original kept as it is. Real PDFs (QPdfWriter),
real OCR (tesseract), a real desk (SQLite in tmp_path)."""

from __future__ import annotations

import json
import os
import shutil
import stat
from datetime import date

import paper_letters as P  # noqa: N812 - short, as the explain tests read L
import pytest

from app.desk import Desk
from app.importing import (
    UNKNOWN_SENDER,
    import_letter,
    lay_on_table,
    original_path,
    read_letter,
)
from app.model import PAPER, Action

TODAY = date(2027, 2, 3)
needs_ocr = pytest.mark.skipif(
    shutil.which("tesseract") is None and not os.environ.get("CI"),
    reason="tesseract is not installed here (CI has it: .ci/run)",
)


@pytest.fixture
def desk(tmp_path):
    folder = tmp_path / "desk"
    folder.mkdir()
    desk = Desk(folder, today=lambda: TODAY)
    yield desk
    desk.close()


def test_an_rdw_apk_pdf_becomes_an_apk_letter_with_its_deadline(qapp, tmp_path):
    found = read_letter(P.write_pdf(tmp_path / "apk.pdf", P.RDW_PAPER), "koen", today=TODAY)
    letter = found.letter
    assert (letter.org_id, letter.sender, letter.subject) == ("rdw", "RDW", "APK")
    assert letter.deadline == date(2027, 1, 15)
    assert letter.reference == "Kenteken 7-KZS-28"
    assert letter.explained_by == "rdw-apk" and letter.action is Action.RESPOND
    assert "15 januari 2027" in letter.what_to_do
    assert letter.source == PAPER and found.sender_known and found.kind == "pdf"
    assert "Vervaldatum APK: 15 januari 2027" in letter.body  # the text as it was


def test_a_woz_decision_gets_its_objection_date(qapp, tmp_path):
    from app.explain import objection

    found = read_letter(P.write_pdf(tmp_path / "woz.pdf", P.WOZ_PAPER), "koen", today=TODAY)
    assert found.letter.org_id == "gemeente" and found.letter.explained_by == "gemeente-woz"
    assert found.dated == date(2027, 1, 31) and found.letter.received == date(2027, 1, 31)
    decision = objection(found.letter)
    assert decision is not None and decision.until == date(2027, 3, 15)  # Awb 6:7, 6:8
    assert "U kunt bezwaar maken tot 15 maart 2027" in found.letter.what_to_do


def test_an_unknown_kind_and_an_unknown_sender_are_said_plainly(qapp, tmp_path):
    kind = read_letter(P.write_pdf(tmp_path / "dag.pdf", P.UNKNOWN_PAPER), "koen", today=TODAY)
    assert kind.letter.explained_by == "onbekend"
    assert kind.letter.summary.startswith("Wij weten niet precies wat deze brief vraagt.")
    stranger = (
        "Stichting De Linde\n\nGeachte heer De Vries,\n\nWij nodigen u uit voor de"
        " jaarvergadering van onze vereniging in het buurthuis.\n\nMet vriendelijke groet"
    )
    found = read_letter(P.write_pdf(tmp_path / "linde.pdf", stranger), "koen", today=TODAY)
    assert not found.sender_known and found.letter.org_id == UNKNOWN_SENDER
    assert found.letter.sender == "Onbekende afzender"
    assert "Wij weten niet van wie deze brief is. Kijk dat goed na." in found.notes


@needs_ocr
def test_a_scan_is_read_by_ocr(qapp, tmp_path):
    found = read_letter(P.write_png(tmp_path / "scan.png", P.OCR_LETTER), "koen", today=TODAY)
    assert found.kind == "png" and found.letter.org_id == "rdw"
    assert found.letter.deadline == date(2027, 1, 15)
    assert found.letter.reference == "Kenteken 7-KZS-28"


def test_on_the_table_the_original_kept_as_it_is_and_private(qapp, tmp_path, desk):
    source = P.write_pdf(tmp_path / "apk.pdf", P.RDW_PAPER)
    before = source.read_bytes()
    found, placed = import_letter(desk, "koen", source, today=TODAY)
    assert placed.added and source.read_bytes() == before  # the person's file untouched
    assert placed.original.read_bytes() == before
    assert placed.original.parent.parent == desk.path.parent
    if os.name == "posix":
        assert stat.S_IMODE(placed.original.stat().st_mode) == 0o600
        assert stat.S_IMODE(placed.original.parent.stat().st_mode) == 0o700
    on_table = {letter.id: letter for letter in desk.table("koen")}
    kept = on_table[found.letter.id]
    assert kept.source == PAPER and kept.deadline == date(2027, 1, 15)
    assert original_path(desk.path.parent, kept) == placed.original
    assert desk.table("corry") == []  # someone else's table stays as it was
    again = lay_on_table(desk, "koen", found)
    assert not again.added and len(desk.table("koen")) == 1  # never twice


def test_the_person_s_corrections_are_what_lies_on_the_table(qapp, tmp_path, desk):
    import dataclasses

    found = read_letter(P.write_pdf(tmp_path / "apk.pdf", P.RDW_PAPER), "koen", today=TODAY)
    corrected = dataclasses.replace(found.letter, deadline=date(2027, 1, 20), subject="APK auto")
    lay_on_table(desk, "koen", found, corrected)
    (kept,) = desk.table("koen")
    assert (kept.deadline, kept.subject, kept.source) == (date(2027, 1, 20), "APK auto", PAPER)


def test_rows_from_before_the_paper_marking_keep_reading(desk):
    """Letters are stored as JSON: a row written before ``source`` existed has
    no such key and reads as a mailbox letter; nothing needs migrating."""
    from explain.explain_letters import WOZ, letter

    old = letter("gemeente", "Gemeente Zwolle", "WOZ", WOZ)
    desk.receive("koen", [old], "c1")
    from app.storage import transaction

    with transaction(desk.conn) as c:
        data = json.loads(c.execute("SELECT data FROM letters").fetchone()[0])
        data.pop("source")
        c.execute("UPDATE letters SET data = ?", (json.dumps(data),))
    (kept,) = desk.table("koen")
    assert kept.source == "" and kept.id == old.id
