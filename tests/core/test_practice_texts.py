"""Every practice letter reads as a finished letter: no template word such as
{deadline} or {amount} is left in what a card, the letter screen or a print says."""

from __future__ import annotations

import re
import sqlite3
from datetime import date

from app.session import Session

LEFT_OVER = re.compile(r"\{[a-z_]+\}")


def test_no_template_word_is_left_in_any_practice_letter(tmp_path):
    session = Session.open_practice(tmp_path, person_id="piet", today=lambda: date(2026, 12, 1))
    path = session.mailbox.path
    session.close()
    conn = sqlite3.connect(str(path))
    try:
        rows = conn.execute("SELECT id, subject, summary, what_to_do, body FROM letters").fetchall()
    finally:
        conn.close()
    assert len(rows) > 300  # the stories' letters are there (Piet's ten clients: 30 each)
    left = [(row[0], m) for row in rows for text in row[1:] for m in LEFT_OVER.findall(text or "")]
    assert left == []
