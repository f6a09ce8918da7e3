"""A refusal of the service tells the reason in plain words (issue 13: "the
helper is told why and how to renew"), not the general problem text: when a
letter is opened, put away, or post is fetched after a mandate was revoked or
a court ended the task. The real practice box: the grant is changed in its own
table, as the person revoking it (or the court) would; the box has no call for
that yet."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta

import pytest
from people_letters import TODAY
from PySide6.QtWidgets import QLabel, QPushButton

from app.session import PRACTICE_FOLDER
from finders import screen, widget
from fit import settle

pytestmark = pytest.mark.gui

GENERAL = "Dit mag u niet doen voor deze persoon."


def change_grant(data_dir, table: str, grant_id: str, **values) -> None:
    with sqlite3.connect(data_dir / PRACTICE_FOLDER / "practice.sqlite3") as c:
        (data,) = c.execute(f"SELECT data FROM {table} WHERE id = ?", (grant_id,)).fetchone()
        record = json.loads(data)
        record.update(values)
        c.execute(f"UPDATE {table} SET data = ? WHERE id = ?", (json.dumps(record), grant_id))


def said(window) -> list[str]:
    out = []
    ok = widget(window, QPushButton, "notice_ok")
    text = widget(window, QLabel, "notice_text")
    while ok.isVisible():
        out.append(text.text())
        ok.click()
    return out


def test_a_revoked_mandate_says_why_the_letter_does_not_open(qtbot, helper_window, data_dir):
    window = helper_window("ingrid")
    screen(window, "overview_screen").sig_chosen.emit("willem", "")
    settle(window)
    said(window)  # "U mag deze brieven alleen lezen."
    change_grant(
        data_dir, "mandates", "m-willem-ingrid", revoked_on=TODAY.isoformat(), revoked_by="willem"
    )
    window.open_letter("t-willem-001")
    settle(window)
    assert window.current_screen() is window.table_screen  # the letter is not shown
    words = said(window)
    assert words == ["De machtiging is ingetrokken. U kunt de post van Willem niet meer zien."]

    # fetching his post again is refused too, and told the same way
    window.sync()
    settle(window)
    words = said(window)
    assert words and all(GENERAL not in text for text in words), words
    assert any("ingetrokken" in text for text in words), words


def test_a_task_the_court_ended_says_why_the_letter_stays(qtbot, helper_window, data_dir):
    window = helper_window("piet")
    screen(window, "overview_screen").sig_chosen.emit("wim", "t-wim-001")
    settle(window)
    letter = window.letter_screen
    assert window.current_screen() is letter
    said(window)
    yesterday = (TODAY - timedelta(days=1)).isoformat()
    change_grant(data_dir, "representations", "rep-wim-piet", ends_on=yesterday)
    widget(letter, QPushButton, "put_away").click()
    settle(window)
    words = said(window)
    assert words == ["Uw taak voor Wim is gestopt. Dit besluit de rechter."], words
    assert window.session.is_on_table("t-wim-001")  # nothing moved
