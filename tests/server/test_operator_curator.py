"""A person under curatele (issue 17): the paper letter about Sanne's post goes
to her curator, Monique (the practice box's court decision, app/mandates.py),
at Monique's address, and says on whose behalf; it is recorded as Sanne's
contact (never twice). Read back from the day's PDF with pypdf."""

from __future__ import annotations

import io
from datetime import date

import pytest

pypdf = pytest.importorskip("pypdf")

from app.mailbox.practice import PracticeMailbox  # noqa: E402
from live_server import seed  # noqa: E402
from server import PRACTICE_FILE, SERVER_FILE  # noqa: E402
from server.operator.paper import batch_path  # noqa: E402
from server.operator.watch import run_round  # noqa: E402
from server.store import ServerStore  # noqa: E402


def test_the_paper_letter_about_sannes_post_goes_to_her_curator(tmp_path):
    data = tmp_path / "data"
    seed(data)
    box, store = PracticeMailbox(data / PRACTICE_FILE), ServerStore(data / SERVER_FILE)
    try:
        done = run_round(box, store, data)
        [sanne] = [c for c in store.contacts(date.today()) if c["person_id"] == "sanne"]
        assert sanne["letter"]["naam"] == "Monique Bos"
        assert sanne["letter"]["namens"] == "sanne" and sanne["letter"]["aan"] == "monique"
        assert any(f"brief id={sanne['id']} " in x and " aan=curator " in x for x in done.lines())
        text = "\n".join(
            p.extract_text()
            for p in pypdf.PdfReader(io.BytesIO(batch_path(data, date.today()).read_bytes())).pages
        )
        assert "Beste Sanne Bos," not in text
        flat = " ".join(text.split())  # lines wrapped
        start = flat.index("Wij kunnen Sanne Bos geen e-mail sturen")
        letter = flat[start : flat.index("De Berichtenbox", start)]
        assert "Beste Monique Bos," in letter
        assert "Deze brief gaat over de post van Sanne Bos. U bent de curator van Sanne Bos." in (
            letter
        )
        assert "Wij hebben geen e-mailadres van Sanne Bos." in letter
        assert "Wilt u de post van Sanne Bos liever op papier?" in letter
        # the envelope's window: Monique's name over the address
        assert text.count("Monique Bos\nVechtstraat 31\n8021 AR Zwolle") >= 1
        # Koen is under nobody's curatele: his letter is to him, as before
        assert "Beste Koen de Vries," in text
        again = run_round(box, store, data)
        assert again.letters == []
    finally:
        box.close()
        store.close()
