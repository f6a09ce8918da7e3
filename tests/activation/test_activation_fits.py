"""Issue 10 for the activation screens: the status screen, every step of the guide
and "Organisaties kiezen" fit a 1366 x 768 and a 1280 x 720 laptop (client areas
1366 x 700 and 1280 x 652), at 100 % and 200 % text, in Dutch and Arabic.

At each state: ``tests/fit.py`` finds nothing, at most one scroll area can scroll,
the step's buttons lie wholly inside the window, the first focus is an action
(never the text), "Terug" keeps its word and its place from step to step, and on
the last step "Ja, zet mijn Berichtenbox aan" is in sight. Real windows offscreen
over the real practice mailbox; the language is switched as the app does it.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QPoint, QRect, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QCheckBox,
    QLabel,
    QPushButton,
    QStyle,
    QStyleOptionButton,
    QWidget,
)

from app import activation, i18n
from app.session import Session
from finders import screen, widget
from fit import can_scroll, fit_problems, settle, visible_part
from practice_folder import practice_copy
from ui.activation.rows import OrganisationRow
from ui.language.screen import change_language
from ui.shell import qt_language, theme
from ui.shell.main_window import MainWindow

pytestmark = pytest.mark.gui

SIZES = [(1366, 700), (1280, 652)]
SCALES = [100, 200]
LANGUAGES = ["nl", "ar"]
RIGHT_TO_LEFT_MARK = "\u200f"


@pytest.fixture(autouse=True)
def back_to_dutch():
    """The language is global (gettext and Qt's own): leave it Dutch."""
    yield
    i18n.set_language("nl")
    qt_language.clear_qt_language(QApplication.instance())
    QCoreApplication.removePostedEvents(None, QEvent.Type.LanguageChange)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    theme.apply(QApplication.instance(), 100)


@pytest.fixture
def open_window(qtbot, data_dir, today, tmp_path):
    """open_window(person, scale, language) -> (window, session), closed afterwards."""
    opened = []

    def open_(person_id: str, scale: int = 100, language: str = "nl"):
        folder = practice_copy(data_dir / person_id, today, person_id=person_id)
        session = Session.open_practice(folder, person_id=person_id, today=today)
        theme.apply(QApplication.instance(), 100)
        window = MainWindow(session, pdf_folder=tmp_path / "pdf")
        qtbot.addWidget(window)
        window.show()
        window.showNormal()  # offscreen, a small screen maximises it
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        window.set_scale(scale)
        if language != "nl":
            change_language(window, language)
        opened.append((window, session))
        return window, session

    yield open_
    for window, session in opened:
        window.close()
        session.close()


def at_size(window, size: tuple[int, int]) -> None:
    """The window's client area at this laptop size (the screen shown must allow it)."""
    window.resize(*size)
    settle(window)
    assert (window.width(), window.height()) == size, f"the window stays {window.size()}"


def rect_in_window(w: QWidget, window) -> QRect:
    return QRect(w.mapTo(window, QPoint(0, 0)), w.size())


def wholly_inside(w: QWidget, window) -> bool:
    """Shown, and all of it seen: not cut off by the window or by a scroll area."""
    full = rect_in_window(w, window)
    return w.isVisible() and visible_part(w, window) == full and window.rect().contains(full)


def scrolling_areas(window) -> list[QAbstractScrollArea]:
    return [a for a in window.findChildren(QAbstractScrollArea) if a.isVisible() and can_scroll(a)]


def problems_here(window, where: str, buttons: list[QAbstractButton]) -> list[str]:
    """Everything wrong at this state, each line naming where it was seen."""
    found = [f"{where}: {p}" for p in fit_problems(window)]
    areas = scrolling_areas(window)
    if len(areas) > 1:
        found.append(f"{where}: {len(areas)} scroll areas can scroll")
    for b in buttons:
        if not wholly_inside(b, window):
            found.append(f"{where}: {b.objectName()} is not wholly in the window")
    focus = QApplication.focusWidget()
    if not isinstance(focus, QAbstractButton):
        name = focus.objectName() if focus is not None else None
        found.append(f"{where}: the first focus is {type(focus).__name__} {name!r}, not an action")
    return found


def measure(window, where: str, buttons: list[QAbstractButton]) -> list[str]:
    """The state at both laptop sizes (the screen shown lets the window be that small)."""
    found = []
    for size in SIZES:
        at_size(window, size)
        found += problems_here(window, f"{where} {size[0]}x{size[1]}", buttons)
    return found


def open_status(qtbot, window):
    table = screen(window, "table_screen")
    qtbot.mouseClick(widget(table, QPushButton, "open_account_status"), Qt.MouseButton.LeftButton)
    status = screen(window, "status_screen")
    assert window.current_screen() is status
    return status


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("scale", SCALES)
def test_every_guide_step_fits_with_its_buttons_in_place(qtbot, open_window, scale, language):
    window, session = open_window("corry", scale, language)
    where = f"{scale}% {language}"
    status = open_status(qtbot, window)
    to_guide = widget(status, QPushButton, "status_guide")
    problems = measure(window, f"{where} status", [to_guide])
    qtbot.mouseClick(to_guide, Qt.MouseButton.LeftButton)
    guide = screen(window, "guide_screen")
    assert window.current_screen() is guide
    back = widget(guide, QPushButton, "guide_back")
    not_now = widget(guide, QPushButton, "guide_not_now")
    forward = widget(guide, QPushButton, "guide_next")
    confirm = widget(guide, QPushButton, "guide_confirm")
    places: dict[tuple[int, int], list[tuple[str, int]]] = {size: [] for size in SIZES}
    for number, step in enumerate(activation.GUIDE_STEPS, 1):
        assert guide.current is step
        here = f"{where} step {number}"
        last = step.kind == "confirm"
        for size in SIZES:
            at_size(window, size)
            problems += problems_here(
                window, f"{here} {size[0]}x{size[1]}", [back, not_now, confirm if last else forward]
            )
            places[size].append((back.text(), back.mapTo(window, QPoint(0, 0)).x()))
        if last:
            understand = widget(guide, QCheckBox, "guide_understand")
            for size in SIZES:
                at_size(window, size)
                if not wholly_inside(understand, window):
                    problems.append(f"{here} {size}: 'Ik begrijp dat' is not wholly in sight")
            qtbot.mouseClick(understand, Qt.MouseButton.LeftButton)
            assert confirm.isEnabled()
            problems += measure(window, f"{here} understood", [confirm])
        else:
            qtbot.mouseClick(forward, Qt.MouseButton.LeftButton)
    for size, seen in places.items():
        if len({text for text, _x in seen}) != 1:
            problems.append(f"{where} {size}: 'Terug' changes its word across steps: {seen}")
        if len({x for _text, x in seen}) != 1:
            problems.append(f"{where} {size}: 'Terug' moves across steps: {seen}")
    assert not session.mailbox.account_status("corry").active  # looking changed nothing
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("scale", SCALES)
def test_organisations_fit_with_the_question_and_after_it(qtbot, open_window, scale, language):
    window, _session = open_window("koen", scale, language)
    where = f"{scale}% {language}"
    status = open_status(qtbot, window)
    orgs_button = widget(status, QPushButton, "status_orgs")
    problems = measure(window, f"{where} status", [orgs_button])
    qtbot.mouseClick(orgs_button, Qt.MouseButton.LeftButton)
    orgs = screen(window, "organisations_screen")
    assert window.current_screen() is orgs
    no = widget(orgs, QPushButton, "new_org_no")
    yes = widget(orgs, QPushButton, "new_org_yes")
    if QApplication.focusWidget() is not no:
        problems.append(f"{where}: 'Nee' is not the first focus of the question")
    problems += measure(window, f"{where} question", [no, yes])
    qtbot.mouseClick(no, Qt.MouseButton.LeftButton)
    problems += measure(window, f"{where} answered", [])
    # Again, without a question: the rows, the page the one scroll area.
    window.go_home()
    open_status(qtbot, window)
    qtbot.mouseClick(orgs_button, Qt.MouseButton.LeftButton)
    problems += measure(window, f"{where} rows", [])
    rows = [c for c in orgs.findChildren(QCheckBox) if c.objectName().startswith("org_check_")]
    for size in SIZES:
        at_size(window, size)
        seen = [c for c in rows if wholly_inside(c, window)]
        if len(seen) < 2:
            problems.append(f"{where} {size}: {len(seen)} boxes in sight at a time")
    assert problems == [], "\n".join(problems)


def indicator(check: QCheckBox) -> int:
    option = QStyleOptionButton()
    check.initStyleOption(option)
    rect = check.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, check)
    return min(rect.width(), rect.height())


def test_check_boxes_grow_with_the_text(qtbot, session):
    """At 200 % the box is twice as big (the theme's 28 px square stayed 28 px)."""
    app = QApplication.instance()
    rows = [OrganisationRow(org) for org in session.mailbox.organisations()]
    for row in rows:
        qtbot.addWidget(row)
        row.show()
    checks = [row.check for row in rows]
    small = [indicator(c) for c in checks]
    theme.apply(app, 200)
    QApplication.processEvents()
    big = [indicator(c) for c in checks]
    assert all(b >= 2 * s - 2 for s, b in zip(small, big, strict=True)), (small, big)
    # the lines under the name stay under the name, not under the box
    for row in rows:
        assert (
            row.sends.mapTo(row, QPoint(0, 0)).x() >= row.header.text.mapTo(row, QPoint(0, 0)).x()
        )
    theme.apply(app, 100)
    QApplication.processEvents()
    assert [indicator(c) for c in checks] == small


def test_the_text_is_no_field_and_no_tab_stop(qtbot, open_window):
    window, _session = open_window("corry")
    qtbot.mouseClick(
        widget(screen(window, "table_screen"), QPushButton, "open_account_status"),
        Qt.MouseButton.LeftButton,
    )
    status = screen(window, "status_screen")
    qtbot.mouseClick(widget(status, QPushButton, "status_guide"), Qt.MouseButton.LeftButton)
    guide = screen(window, "guide_screen")
    for parent, name in (
        (guide, "guide_body"),
        (guide, "guide_summary"),
        (status, "status_answer"),
        (status, "status_details"),
    ):
        text = widget(parent, QLabel, name)
        assert text.focusPolicy() == Qt.FocusPolicy.NoFocus, name
        flags = text.textInteractionFlags()
        assert not flags & Qt.TextInteractionFlag.TextSelectableByKeyboard, name  # no cursor
        assert not text.property("readable"), name  # the theme gives a readable text a frame
    # A screen reader hears the step with its first action.
    body = widget(guide, QLabel, "guide_body").text()
    assert body in widget(guide, QPushButton, "guide_next").accessibleDescription()


def test_page_down_reads_on_from_the_action_bar(qtbot, open_window):
    """The text is no Tab stop, so Page Down scrolls the page from a button."""
    window, _session = open_window("corry", 200)
    qtbot.mouseClick(
        widget(screen(window, "table_screen"), QPushButton, "open_account_status"),
        Qt.MouseButton.LeftButton,
    )
    status = screen(window, "status_screen")
    qtbot.mouseClick(widget(status, QPushButton, "status_guide"), Qt.MouseButton.LeftButton)
    guide = screen(window, "guide_screen")
    for _ in range(len(activation.GUIDE_STEPS) - 1):
        qtbot.mouseClick(widget(guide, QPushButton, "guide_next"), Qt.MouseButton.LeftButton)
    at_size(window, (1280, 652))
    bar = guide.page_area.verticalScrollBar()
    assert bar.maximum() > 0 and bar.value() == 0  # the summary is longer than the room
    focus = QApplication.focusWidget()
    assert focus is widget(guide, QPushButton, "guide_print")
    qtbot.keyClick(focus, Qt.Key.Key_PageDown)
    assert bar.value() > 0
    qtbot.keyClick(focus, Qt.Key.Key_PageUp)
    assert bar.value() == 0


def test_corry_is_told_the_belastingdienst_may_still_send_digitally(qtbot, open_window):
    window, _session = open_window("corry")
    qtbot.mouseClick(
        widget(screen(window, "table_screen"), QPushButton, "open_account_status"),
        Qt.MouseButton.LeftButton,
    )
    status = screen(window, "status_screen")
    details = widget(status, QLabel, "status_details")
    assert details.isVisible()
    text = details.text()
    assert "U krijgt bijna al uw post op papier." in text
    assert "De Belastingdienst kan sommige brieven toch digitaal sturen." in text
    assert "U krijgt al uw post op papier" not in text
    assert "bijna al uw post op papier" in status.help_text()


def test_summary_bullets_run_right_to_left_in_arabic(qtbot, open_window):
    window, session = open_window("corry", 100, "ar")
    guide = screen(window, "guide_screen")
    qtbot.mouseClick(
        widget(screen(window, "table_screen"), QPushButton, "open_account_status"),
        Qt.MouseButton.LeftButton,
    )
    qtbot.mouseClick(
        widget(screen(window, "status_screen"), QPushButton, "status_guide"),
        Qt.MouseButton.LeftButton,
    )
    while guide.current.kind != "choose":
        qtbot.mouseClick(widget(guide, QPushButton, "guide_next"), Qt.MouseButton.LeftButton)
    for org in [o for o in session.mailbox.organisations() if not o.fixed_by_law][:2]:
        qtbot.mouseClick(widget(guide, QCheckBox, f"org_check_{org.id}"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(widget(guide, QPushButton, "guide_next"), Qt.MouseButton.LeftButton)
    lines = widget(guide, QLabel, "guide_summary").text().split("\n")
    bullets = [line for line in lines if "\u2022" in line]
    assert len(bullets) >= 2
    assert all(line.startswith(RIGHT_TO_LEFT_MARK) for line in bullets), bullets
    # In Dutch the lines stay as they are.
    change_language(window, "nl")
    assert RIGHT_TO_LEFT_MARK not in widget(guide, QLabel, "guide_summary").text()


def test_keyboard_only_from_the_table_to_a_confirmed_activation(qtbot, open_window):
    """Tab and Space only, as few presses as the screens allow (59 before issue 10)."""
    window, session = open_window("corry")
    presses = 0

    def key(k) -> None:
        nonlocal presses
        presses += 1
        qtbot.keyClick(QApplication.focusWidget(), k)

    def tab_to(name: str) -> None:
        for _ in range(80):
            focus = QApplication.focusWidget()
            if focus is not None and focus.objectName() == name:
                return
            key(Qt.Key.Key_Tab)
        raise AssertionError(f"Tab never reached {name}")

    tab_to("open_account_status")
    key(Qt.Key.Key_Space)
    tab_to("status_guide")
    key(Qt.Key.Key_Space)
    guide = screen(window, "guide_screen")
    while guide.current.kind != "choose":
        tab_to("guide_next")
        key(Qt.Key.Key_Space)
    first = next(o for o in session.mailbox.organisations() if not o.fixed_by_law)
    tab_to(f"org_check_{first.id}")
    key(Qt.Key.Key_Space)
    tab_to("guide_next")
    key(Qt.Key.Key_Space)
    tab_to("guide_understand")
    key(Qt.Key.Key_Space)
    tab_to("guide_confirm")
    key(Qt.Key.Key_Return)  # Enter alone never switches it on
    assert not session.mailbox.account_status("corry").active
    key(Qt.Key.Key_Space)
    assert session.mailbox.account_status("corry").active
    assert presses <= 40, presses
