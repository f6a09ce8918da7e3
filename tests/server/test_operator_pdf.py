"""The paper letter's PDF (issue 17): written with fpdf2 in DejaVu Sans, so a
name outside Windows-1252 prints as it is ("Şükrü Yılmaz", not "?k r? Y?lmaz");
read back with pypdf. The address sits where an envelope's window shows it, the
letter is in large type (16-22 pt). Without the font: Helvetica, and one log
line that names no person."""

from __future__ import annotations

import io
import logging
from datetime import date

import pytest

pypdf = pytest.importorskip("pypdf")

from app.model import Person  # noqa: E402
from server.operator import pdf  # noqa: E402
from server.operator import rules as r  # noqa: E402
from server.operator.paper import blocks, letter_text, write_batch  # noqa: E402

NAME = "Şükrü Yılmaz"
STREET = "Çiçekstraat 3"


def letter(name: str = NAME) -> dict:
    person = Person(id="sukru", name=name, bsn="999990001", address=(STREET, "8011 AB Zwolle"))
    return letter_text(person, [r.Finding(r.NO_EMAIL, "sukru")], {}, {}, date(2026, 12, 1))


def read(data: bytes):
    return pypdf.PdfReader(io.BytesIO(data))


def sizes(page) -> list[float]:
    found: list[float] = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            found.append(round(size * tm[0], 1))

    page.extract_text(visitor_text=visit)
    return found


def test_a_name_outside_windows_1252_prints_as_it_is(tmp_path):
    path = tmp_path / "batch.pdf"
    write_batch(path, [letter(), letter("Zoë Ærøskøbing-Đorđević")])
    text = "\n".join(p.extract_text() for p in read(path.read_bytes()).pages)
    assert f"{NAME}\n{STREET}\n8011 AB Zwolle" in text
    assert f"Beste {NAME}," in text
    assert "Beste Zoë Ærøskøbing-Đorđević," in text
    assert "?" not in text.replace("Hulp nodig?", "").replace("op papier?", "")


def test_the_letter_is_in_large_type_and_the_address_in_the_window():
    data = pdf.document([blocks(letter())], title="Contactherstel")
    page = read(data).pages[0]
    found = sizes(page)
    assert found[0] == 14  # the address block: name, street, town, date
    body = [s for s in found[4:]]
    assert body and min(body) >= 16 and max(body) <= 22
    # the name's line sits in the window of a Dutch window envelope (C5/6, DL):
    # 20-40 mm from the left, 45-65 mm from the top
    where = {}

    def visit(text, cm, tm, font, size):
        if text.strip() == NAME:
            where["x"], where["y"] = tm[4], tm[5]

    page.extract_text(visitor_text=visit)
    mm = 25.4 / 72
    assert 20 <= where["x"] * mm <= 40
    assert 45 <= (pdf.A4[1] - where["y"]) * mm <= 65


def test_without_the_font_it_falls_back_to_helvetica_and_says_so_without_a_name(
    tmp_path, monkeypatch, caplog
):
    monkeypatch.setattr(pdf, "FONT_DIR", tmp_path / "no-fonts")
    with caplog.at_level(logging.WARNING, logger="brieventafel.server.pdf"):
        data = pdf.document([blocks(letter("Zoë Şahin"))])
    text = read(data).pages[0].extract_text()
    assert "Beste Zoë ?ahin," in text  # Windows-1252 has ë, not Ş
    assert any("DejaVuSans.ttf" in m and "Helvetica" in m for m in caplog.messages)
    assert not any("Zo" in m or "ahin" in m or "Çiçek" in m for m in caplog.messages)
