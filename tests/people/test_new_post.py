"""A helper hears of new letters too (issue 13: "MijnOverheid notifies only the
account holder ... Brieventafel tells the helper as well, where the mandate
allows"): after a sync the notice row says once "Er is nieuwe post voor
Sanne.", and the overview marks the new letters. Only where the mandate covers
the organisation: the service leaves the rest out. New letters are delivered
into the real practice box with its own ``deliver`` while the window is open."""

from __future__ import annotations

import pytest
from people_letters import letter
from PySide6.QtWidgets import QLabel, QPushButton

from app.mailbox.practice import PracticeMailbox
from app.session import PRACTICE_FOLDER
from finders import screen, widget
from fit import settle
from ui.people.overview import OverviewModel

pytestmark = pytest.mark.gui


def deliver(data_dir, today, *records: dict) -> None:
    box = PracticeMailbox(
        data_dir / PRACTICE_FOLDER / "practice.sqlite3", person_id="koen", today=today
    )
    try:
        for record in records:
            box.deliver(record)
    finally:
        box.close()


def said(window) -> list[str]:
    out = []
    ok = widget(window, QPushButton, "notice_ok")
    text = widget(window, QLabel, "notice_text")
    while ok.isVisible():
        out.append(text.text())
        ok.click()
    return out


def badges(window) -> dict[str, str]:
    overview = screen(window, "overview_screen")
    model = overview.proxy
    return {
        model.index(r, 0).data(OverviewModel.PersonIdRole): model.index(r, 0).data(
            OverviewModel.BadgeRole
        )
        for r in range(model.rowCount())
    }


def test_monique_hears_of_new_post_for_sanne_once(qtbot, helper_window, data_dir, today):
    window = helper_window("monique")
    said(window)
    before = window.session.desk.table_counts(["sanne"])["sanne"][1]
    assert badges(window)["sanne"] == f"{before} nieuw"
    deliver(
        data_dir,
        today,
        letter("new-sanne", "sanne", "cjib", days_ago=0),
        letter("new-monique", "monique", "gemeente", days_ago=0),  # her own: MijnOverheid tells her
    )
    window.sync()
    settle(window)
    assert said(window) == ["Er is nieuwe post voor Sanne."]
    # the overview (shown now) marks it at once
    assert window.current_screen().objectName() == "overview_screen"
    assert badges(window)["sanne"] == f"{before + 1} nieuw"
    row = screen(window, "overview_screen").proxy.index(1, 0).data(OverviewModel.LinesRole)
    assert "nieuw" not in row[1]  # said once, in the mark, not again in the facts
    # the next sync brings nothing new: nothing is said again
    window.sync()
    settle(window)
    assert said(window) == []


def test_piet_hears_only_what_his_task_covers(qtbot, helper_window, data_dir, today):
    window = helper_window("piet")
    said(window)
    deliver(
        data_dir,
        today,
        letter("new-wim-rdw", "wim", "rdw", days_ago=0),  # not financial: never Piet's
        letter("new-fatima", "fatima", "cjib", days_ago=0),
        letter("new-henk", "henk", "belastingdienst", days_ago=0),
    )
    window.sync()
    settle(window)
    assert said(window) == ["Er is nieuwe post voor Fatima en Henk."]


def test_many_people_are_named_in_one_message(qtbot, helper_window, data_dir, today):
    window = helper_window("piet")
    said(window)
    clients = ["wim", "fatima", "henk", "truus", "mohamed", "ans"]
    deliver(data_dir, today, *(letter(f"new-{c}", c, "cjib", days_ago=0) for c in clients))
    window.sync()
    settle(window)
    assert said(window) == ["Er is nieuwe post voor Wim, Fatima, Henk en 3 anderen."]


def test_an_ended_mandate_brings_no_news(qtbot, helper_window, data_dir, today):
    window = helper_window("ali")
    said(window)
    deliver(data_dir, today, letter("new-gerda", "gerda", "cjib", days_ago=0))
    window.sync()
    settle(window)
    assert said(window) == []
