"""Issue 10 for the paper screens, the Belastingdienst page and the page for
people abroad: one scroll area, the actions in the fixed bar and in sight, the
first focus on an action in sight; the page's own texts in the chosen language;
the number for calling from abroad, with its source; the abroad page reachable
and named; right-to-left lines in Arabic.

Real windows offscreen (Kees: four organisations and the Belastingdienst send
him digital post), real practice mailbox, tests/fit.py measures.
"""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QSize, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QLabel, QPushButton

from app import i18n, paper
from app.model import Organisation
from app.paths import resources_dir
from app.session import Session
from app.validate import BadRecord
from finders import screen, widget
from fit import fit_problems, settle
from practice_folder import practice_copy
from ui.language.screen import change_language
from ui.paper.feature import PaperFeature
from ui.shell import qt_language, theme
from ui.shell.main_window import MainWindow

pytestmark = pytest.mark.gui

SIZES = [QSize(1366, 700), QSize(1280, 652)]
RLM = "\u200f"
ABROAD = "+31 55 538 53 85"

#: what the person must press to go on, per screen: all in the fixed bar
ACTIONS = {
    "paper_review_screen": ["paper_confirm", "paper_cancel"],
    "paper_status_screen": [
        "paper_belastingdienst_how",
        "paper_belastingdienst_sent",
        "paper_status_home",
    ],
    "belastingdienst_screen": ["bd_print_phone", "bd_print_letter", "bd_sent", "bd_back"],
    "abroad_screen": ["abroad_paper", "abroad_back"],
}


@pytest.fixture(autouse=True)
def back_to_dutch_qt():
    yield
    i18n.set_language("nl")
    qt_language.clear_qt_language(QApplication.instance())
    QCoreApplication.removePostedEvents(None, QEvent.Type.LanguageChange)


@pytest.fixture
def kees(qtbot, data_dir, today, tmp_path):
    practice_copy(data_dir, today, person_id="kees")
    session = Session.open_practice(data_dir, person_id="kees", today=today)
    theme.apply(QApplication.instance(), 100)
    w = MainWindow(session, pdf_folder=tmp_path / "pdf")
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()
    session.close()


def press(qtbot, w, name: str) -> None:
    """Press a shown button the way a person does (a click where it is seen)."""
    target = next(b for b in w.findChildren(QPushButton, name) if b.isVisible())
    qtbot.mouseClick(target, Qt.MouseButton.LeftButton)


def confirmed(qtbot, w) -> None:
    press(qtbot, w, "paper_button")
    press(qtbot, w, "paper_confirm")


def scrolling_areas(shown) -> list[str]:
    return [
        a.objectName() or type(a).__name__
        for a in shown.findChildren(QAbstractScrollArea)
        if a.isVisible() and a.verticalScrollBar().maximum() > 0
    ]


def frame_problems(w, shown) -> list[str]:
    """What is wrong with the screen on view at both laptop sizes."""
    problems = []
    if w.isMaximized():
        w.showNormal()
    for size in SIZES:
        w.resize(size)
        settle(w)
        at = f"{size.width()}x{size.height()}"
        problems += [f"{at}: {p}" for p in fit_problems(w)]
        areas = scrolling_areas(shown)
        if len(areas) > 1 or (areas and areas != ["page_area"]):
            problems.append(f"{at}: scroll areas that scroll: {areas}")
        for name in ACTIONS[shown.objectName()]:
            for b in shown.findChildren(QPushButton, name):
                if b.isVisible() and not shown.action_bar.isAncestorOf(b):
                    problems.append(f"{at}: {name} is not in the action bar")
        focus = QApplication.focusWidget()
        if focus is None or not shown.action_bar.isAncestorOf(focus):
            problems.append(f"{at}: first focus {focus and focus.objectName()} not in the bar")
    return problems


@pytest.mark.parametrize("scale, code", [(100, "nl"), (200, "nl"), (100, "ar"), (200, "ar")])
def test_every_paper_screen_fits_with_its_actions_in_the_bar(qtbot, kees, scale, code):
    w = kees
    w.set_scale(scale)
    if code != "nl":
        change_language(w, code)
    problems: list[str] = []

    def look(name: str) -> None:
        shown = w.current_screen()
        assert shown.objectName() == name
        problems.extend(f"{name} {scale}% {code} {p}" for p in frame_problems(w, shown))

    press(qtbot, w, "paper_button")
    look("paper_review_screen")
    press(qtbot, w, "paper_confirm")
    look("paper_status_screen")
    assert QApplication.focusWidget().objectName() == "paper_belastingdienst_how"
    press(qtbot, w, "paper_belastingdienst_how")
    look("belastingdienst_screen")
    if any(b.isVisible() for b in w.findChildren(QPushButton, "bd_abroad")):
        press(qtbot, w, "bd_abroad")
        look("abroad_screen")
    else:
        problems.append("no way from the Belastingdienst page to the page for people abroad")
    assert problems == []


def test_the_status_screen_opens_at_its_heading_with_the_focus_in_sight(qtbot, kees):
    w = kees
    w.set_scale(200)
    w.showNormal()
    w.resize(1366, 700)
    confirmed(qtbot, w)
    status = screen(w, "paper_status_screen")
    settle(w)
    focus = QApplication.focusWidget()
    assert status.action_bar.isAncestorOf(focus) and focus.isVisible()
    assert status.page_area.verticalScrollBar().value() == 0
    # Space on it opens the page it says, nothing is recorded
    qtbot.keyClick(focus, Qt.Key.Key_Space)
    assert w.current_screen() is screen(w, "belastingdienst_screen")
    assert w.session.mailbox.paper_requests("kees")[-1].state == "prepared"


# -- the page's own texts in the chosen language ----------------------------------------
class Marked:
    """A translation that marks every text that came through gettext: what is not
    marked on a page did not come through gettext."""

    def gettext(self, message: str) -> str:
        return f"\u27ea{message}\u27eb"

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return f"\u27ea{singular if n == 1 else plural}\u27eb"


def page_lines(shown, skip: set[str]) -> list[tuple[str, str]]:
    lines = []
    for lbl in shown.findChildren(QLabel):
        if lbl.isVisibleTo(shown) and lbl.objectName() not in skip:
            for line in lbl.text().split("\n"):
                line = line.strip(RLM + "\u2066\u2069 ")
                if line:
                    lines.append((lbl.objectName(), line))
    return lines


def test_the_belastingdienst_page_says_its_own_texts_through_gettext(qtbot, kees, monkeypatch):
    w = kees
    confirmed(qtbot, w)
    i18n.set_language("es")
    monkeypatch.setattr(i18n, "_translation", Marked())
    w.retranslate_ui()
    w.features.get(PaperFeature).show_belastingdienst()
    bd = screen(w, "belastingdienst_screen")
    assert w.current_screen() is bd
    said = {f"\u201c{line}\u201d" for line in getattr(paper, "PHONE_SAY", ())}
    # data, not sentences: the two numbers and the letter (Dutch on purpose)
    skip = {"bd_phone_number", "bd_phone_abroad", "bd_letter"}
    raw = [
        (name, line)
        for name, line in page_lines(bd, skip)
        if "\u27ea" not in line and line not in said
    ]
    assert raw == []
    # the phone lines are Dutch on purpose, and said so, with what they mean beside them
    text = "\n".join(line for _n, line in page_lines(bd, skip))
    assert "\u27eaDit zegt u aan de telefoon, in het Nederlands:\u27eb" in text
    for line in paper.PHONE_SAY:
        assert f"\u201c{line}\u201d" in text
        assert f"\u27eaDat betekent: \u27ea{line}\u27eb\u27eb" in text


def test_the_spanish_belastingdienst_page_has_no_dutch_of_the_catalog(qtbot, kees):
    from app.i18n_tools import po_path, read_catalog

    spanish = {
        m.id: m.string
        for m in read_catalog(po_path("es"), "es")
        if m.id and isinstance(m.id, str) and m.string and m.string != m.id
    }
    w = kees
    confirmed(qtbot, w)
    change_language(w, "es")
    w.features.get(PaperFeature).show_belastingdienst()
    bd = screen(w, "belastingdienst_screen")
    skip = {"bd_letter"}
    left = [(n, line) for n, line in page_lines(bd, skip) if line in spanish]
    left += [
        (lbl.objectName(), lbl.text())
        for lbl in bd.findChildren(QLabel)
        if lbl.isVisibleTo(bd) and lbl.text() in spanish and lbl.objectName() not in skip
    ]
    assert left == []
    assert widget(bd, QLabel, "bd_phone_abroad").text() == ABROAD


# -- the number from abroad, with its source --------------------------------------------
def test_the_number_from_abroad_is_kept_with_its_source():
    records = json.loads((resources_dir() / "practice" / "organisations.json").read_text("utf-8"))
    with_abroad = [r for r in records if r.get("phone_abroad")]
    assert [r["id"] for r in with_abroad] == ["belastingdienst"]
    for record in with_abroad:
        assert record["sources"]["phone_abroad"].startswith("https://www.belastingdienst.nl/")
        org = Organisation.from_record(record)
        assert org.phone_abroad == ABROAD
        assert org.sources["phone_abroad"] == record["sources"]["phone_abroad"]
    # a number without a proper source address is refused, named by its field
    bad = dict(with_abroad[0], sources={"phone_abroad": "belastingdienst.nl"})
    with pytest.raises(BadRecord) as refused:
        Organisation.from_record(bad)
    assert refused.value.field == "sources"


def test_the_number_from_abroad_stands_next_to_0800_0543_on_every_paper_screen(qtbot, kees):
    w = kees
    press(qtbot, w, "paper_button")
    review = screen(w, "paper_review_screen")
    line = "Bellen: 0800 0543. Vanuit het buitenland: +31 55 538 53 85."
    assert line in [lbl.text() for lbl in review.findChildren(QLabel) if lbl.isVisible()]
    press(qtbot, w, "paper_confirm")
    status = screen(w, "paper_status_screen")
    assert line in [lbl.text() for lbl in status.findChildren(QLabel) if lbl.isVisible()]
    press(qtbot, w, "paper_belastingdienst_how")
    bd = screen(w, "belastingdienst_screen")
    assert widget(bd, QLabel, "bd_phone_number").text() == "0800 0543"
    assert widget(bd, QLabel, "bd_phone_abroad").text() == ABROAD


# -- the page for people abroad ------------------------------------------------------------
def test_the_abroad_page_is_reached_from_help_and_named(qtbot, kees):
    w = kees
    w.home_button.setFocus()
    qtbot.keyClick(w.home_button, Qt.Key.Key_Tab)  # nav_back is disabled on the table
    help_button = widget(w, QPushButton, "nav_help")
    assert QApplication.focusWidget() is help_button
    qtbot.keyClick(help_button, Qt.Key.Key_Space)
    assert w.current_screen() is w.help_screen
    to_abroad = widget(w.help_screen, QPushButton, "help_abroad")
    assert w.help_screen.action_bar.isAncestorOf(to_abroad)
    to_abroad.setFocus()
    qtbot.keyClick(to_abroad, Qt.Key.Key_Space)
    abroad = screen(w, "abroad_screen")
    assert w.current_screen() is abroad
    assert abroad.accessibleName() == "Woont u in het buitenland?"
    assert to_abroad.text() == abroad.title()
    text = "\n".join(lbl.text() for lbl in abroad.findChildren(QLabel) if lbl.isVisible())
    for words in ("DigiD", "digid.nl", "eIDAS", "DigiD-balie", "op papier", ABROAD):
        assert words in text, words
    # reading changed nothing
    assert w.session.mailbox.paper_requests("kees") == []
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)  # "Terug"
    assert w.current_screen() is w.help_screen


# -- right to left ---------------------------------------------------------------------------
def test_paper_lines_that_start_with_a_name_run_right_to_left_in_arabic(qtbot, kees):
    w = kees
    change_language(w, "ar")
    press(qtbot, w, "paper_button")
    review = screen(w, "paper_review_screen")
    bullets = [
        lbl.text()
        for lbl in review.findChildren(QLabel)
        if lbl.isVisible() and "\u2022" in lbl.text()
    ]
    assert len(bullets) == 4
    assert all(text.startswith(RLM + "\u2022 ") for text in bullets), bullets
    press(qtbot, w, "paper_confirm")
    status = screen(w, "paper_status_screen")
    names = [
        lbl.text()
        for lbl in status.findChildren(QLabel)
        if lbl.isVisible() and lbl.property("role") == "factname"
    ]
    assert len(names) == 5 and all(n.startswith(RLM) for n in names), names
    abroad_lines = [
        line
        for lbl in screen(w, "abroad_screen").findChildren(QLabel)
        for line in lbl.text().split("\n")
        if line
    ]
    assert all(line.startswith(RLM) for line in abroad_lines[2:]), abroad_lines
