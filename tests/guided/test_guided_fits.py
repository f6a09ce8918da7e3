"""Guided mode on a small screen (issue 10): the guide beside the screen fits 1366 x 700
and 1280 x 652 client area, at 100 % and 200 % text, in Dutch and Arabic; its buttons
keep their places from step to step; "Volgende bezoeker" that cannot start says so
and leaves nothing; bullet lines run right to left in Arabic.

Real windows on real visits under the test's folder; no mocks.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QAbstractButton, QAbstractScrollArea, QApplication, QMessageBox

from app import guided, i18n
from app.guided import Visit
from fit import fit_problems, in_named, rect_in, shown
from practice_folder import practice_copy
from ui.guided.panel import GuidePanel
from ui.guided.window import GuidedWindow
from ui.shell import theme

pytestmark = pytest.mark.gui
SIZES = [(1366, 700), (1280, 652)]
RLM = "\u200f"


@pytest.fixture
def make_window(qtbot, tmp_path, today):
    made: list[tuple[GuidedWindow, Visit]] = []

    def make(*, scale: int = 100, language: str = "nl") -> GuidedWindow:
        visit = Visit.start(tmp_path / f"begeleid{len(made)}", today=today)
        practice_copy(visit.folder, today, into=True)  # seeded once, copied
        visit.open_session()
        theme.apply(QApplication.instance(), 100)
        gw = GuidedWindow(visit, pdf_folder=visit.folder / "briefje")
        qtbot.addWidget(gw)
        made.append((gw, visit))
        if scale != 100:
            gw.set_scale(scale)
        if language != "nl":
            from ui.language.screen import change_language

            change_language(gw, language)
        gw.show()
        qtbot.waitExposed(gw)
        gw.showNormal()  # offscreen the window maximises itself on the small screen
        return gw

    yield make
    for _gw, visit in made:
        visit.end()
    theme.apply(QApplication.instance(), 100)


def guide_problems(gw: GuidedWindow, size: tuple[int, int], *, bar: bool = True) -> list[str]:
    """What does not fit of the guide (and of the top bar above it)."""
    problems = list(fit_problems(gw.panel))
    if bar:
        problems += fit_problems(gw.top_bar_row)
    if gw.size().toTuple() != size:
        problems.append(f"the window is {gw.size().toTuple()}, not {size}: it cannot shrink")
    room = gw.rect()
    for part in (gw.panel, gw.top_bar_row):
        if not room.contains(rect_in(part, gw)):
            problems.append(f"{part.objectName()} sticks out of the window: {rect_in(part, gw)}")
    for b in gw.panel.findChildren(QAbstractButton):  # the fixed bar: always in sight
        if in_named(b, ("action_bar",), gw) is None or not shown(b, gw):
            continue
        if not room.contains(rect_in(b, gw)):
            problems.append(f"button {b.objectName()} is outside the window")
    scrolling = [
        a.objectName()
        for a in gw.panel.findChildren(QAbstractScrollArea)
        if shown(a, gw) and a.verticalScrollBar().maximum() > 0
    ]
    if len(scrolling) > 1:
        problems.append(f"more than one scroll area of the guide can scroll: {scrolling}")
    return problems


def bar_places(gw: GuidedWindow) -> dict[str, QRect]:
    """Where the step's fixed buttons are (the others scroll with the text)."""
    panel = gw.panel
    return {b.objectName(): rect_in(b, gw) for b in (panel.next, panel.back) if shown(b, gw)}


def walk_the_guide(gw: GuidedWindow, size: tuple[int, int]) -> dict[str, list[str]]:
    """Every page of the guide and every step of every script, at this size."""
    gw.resize(*size)
    found: dict[str, list[str]] = {}
    c, panel = gw.controller, gw.panel

    def check(where: str) -> None:
        problems = guide_problems(gw, size, bar=where in ("mode", "choose", "end"))
        if problems:
            found[where] = problems

    check("mode")
    c.choose_mode(training=False)
    check("choose")
    for script in c.scripts:
        c.start_script(script)
        places = None
        for i in range(len(script.steps)):
            assert panel.pages.currentIndex() == GuidePanel.STEP
            check(f"{script.id} step {i + 1}")
            now = bar_places(gw)
            if places is None:
                places = now
            elif now != places:  # the last step too: "Klaar" moves nothing
                found.setdefault(f"{script.id} step {i + 1}", []).append(
                    f"the step buttons moved: {places} -> {now}"
                )
            if i + 1 < len(script.steps):
                c.next_step()
        c.pause()
        check(f"{script.id} paused")
        c.resume()
        c.stop_script()
    c.ask_end()
    check("end")
    c.cancel_end()
    return found


@pytest.mark.parametrize(
    ("scale", "language", "sizes"),
    [
        (100, "nl", SIZES),
        (100, "ar", SIZES[1:]),  # the smaller screen; Arabic at 100 % is no wider
        (200, "nl", SIZES),
        (200, "ar", SIZES),
    ],
)
def test_the_guide_fits_small_screens_at_every_step(make_window, scale, language, sizes):
    """Every guide step's buttons inside the window, the top bar one row, at most
    one scroll area of the guide that scrolls, the window no bigger than asked,
    and the step's buttons in the same places on every step, the last one too."""
    gw = make_window(scale=scale, language=language)
    problems = {size: walk_the_guide(gw, size) for size in sizes}
    assert problems == {size: {} for size in sizes}


def test_the_end_of_a_script_shows_its_buttons_too(make_window, qtbot):
    """The page after "Klaar" (what goes on the handout) and the end page, at 200 %."""
    gw = make_window(scale=200)
    for size in SIZES:
        gw.resize(*size)
        c = gw.controller
        c.choose_mode(training=False)
        script = next(s for s in c.scripts if s.id == "status")
        c.start_script(script)
        for _ in script.steps:
            c.next_step()
        assert gw.panel.pages.currentIndex() == GuidePanel.DONE
        assert guide_problems(gw, size) == []
        c.ask_end()
        assert guide_problems(gw, size) == []
        c.cancel_end()


def test_the_guided_window_asks_for_no_more_than_its_screen(qtbot, tmp_path, today):
    visit = Visit.start(tmp_path / "begeleid", today=today)
    practice_copy(visit.folder, today, into=True)  # seeded once, copied
    visit.open_session()
    try:
        gw = GuidedWindow(visit)
        qtbot.addWidget(gw)
        room = gw.screen().availableGeometry().size()
        assert gw.width() <= room.width() and gw.height() <= room.height()
    finally:
        visit.end()


# -- "Volgende bezoeker" that cannot start -------------------------------------------
def _break_the_root(root: Path) -> None:
    """Make the next visit's folder impossible to make, for real: as root (who may
    write anywhere) the folder is given to another user, which the visit refuses;
    as anyone else it is made read-only."""
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        os.chown(root, 4242, -1)
    else:
        root.chmod(0o500)


def _mend_the_root(root: Path) -> None:
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        os.chown(root, 0, -1)
    root.chmod(0o700)


def test_next_visitor_that_cannot_start_says_so_and_leaves_nothing(qtbot, tmp_path, today):
    root = tmp_path / "begeleid"
    visit = Visit.start(root, today=today)
    practice_copy(visit.folder, today, into=True)  # seeded once, copied
    visit.open_session()
    theme.apply(QApplication.instance(), 100)
    gw = GuidedWindow(visit, pdf_folder=visit.folder / "briefje")
    fresh: list = []
    gw.sig_next_visitor.connect(fresh.append)
    gw.show()
    qtbot.waitExposed(gw)
    letter = gw.session.table()[0]
    # The visitor shows a letter; the volunteer prints the handout into the visit.
    gw.panel.visitor_button.click()
    gw.table_cover.reveal_button.click()
    gw.open_letter(letter.id)
    gw.letter_cover.reveal_button.click()
    assert letter.subject in gw.letter_screen.paper.toPlainText()
    gw.controller.print_handout()
    old_folder, old_lock = visit.folder, visit.lock
    # The handout PDF may sit in the root's own folder only while the visit runs.
    for path in old_folder.rglob("*"):
        if path.is_file():
            path.chmod(0o600)
    _break_the_root(root)
    try:
        gw.controller.ask_end()
        gw.panel.end_next.click()
        # No new visit, no window with the old visitor's letters, and nothing left.
        assert fresh == []
        assert visit.ended and visit.session is None
        assert not old_folder.exists() and not old_lock.exists()
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, GuidedWindow)]
        assert not [w for w in windows if w.isVisible()]
        assert sorted(p.name for p in root.iterdir()) == []
        # A plain message says what happened and what to do; no path, no name.
        box = next(
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.objectName() == "guided_next_failed"
        )
        assert box.isVisible()
        words = f"{box.text()} {box.informativeText()}"
        assert "geen nieuwe bezoeker" in words and "Start Brieventafel opnieuw" in words
        assert str(root) not in words and letter.sender not in words
        ok = box.findChild(QAbstractButton, "guided_next_failed_ok")
        assert ok is not None and ok.text() == "Begrepen"
        ok.click()
        assert not box.isVisible()
    finally:
        _mend_the_root(root)
        visit.end()
    assert list(root.iterdir()) == []


# -- right to left -------------------------------------------------------------------
def test_bullet_lines_run_right_to_left_in_arabic(make_window, today):
    from ui.guided.handout import handout_document

    gw = make_window(language="ar")
    c = gw.controller
    c.choose_mode(training=False)
    script = next(s for s in c.scripts if s.id == "paper")
    c.start_script(script)
    for _ in script.steps:
        c.next_step()
    assert gw.panel.pages.currentIndex() == GuidePanel.DONE
    lines = gw.panel.done_list.text().split("\n")
    assert lines and all(line.startswith(RLM + "\u2022 ") for line in lines), lines
    doc = handout_document(c.handout(), today())
    text = doc.document.toPlainText()
    bullets = [line for line in text.split("\n") if "\u2022" in line]
    assert bullets and all(line.startswith(RLM) for line in bullets), bullets
    i18n.set_language("nl")
    assert guided.bullet("RDW") == "\u2022 RDW"  # other languages stay as they are
