"""Journeys through "Staat mijn Berichtenbox aan?", the guide and the organisations.

Driven as a person would: keys and clicks on real widgets over a real practice
mailbox, found by their object names. What must never happen: an account
switched on by looking.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QFrame,
    QLabel,
    QPushButton,
    QWidget,
)

from app import activation
from app.mailbox.practice import PAPER_AFTER_DAYS
from app.session import Session
from finders import screen, widget
from practice_folder import practice_copy
from ui.activation.feature import ActivationFeature
from ui.shell import theme
from ui.shell.main_window import MainWindow

pytestmark = pytest.mark.gui


@pytest.fixture
def open_window(qtbot, data_dir, today, tmp_path):
    """open_window(person_id) -> (window, session), closed afterwards."""
    opened = []

    def open_(person_id: str):
        practice_copy(data_dir, today, person_id=person_id)
        session = Session.open_practice(data_dir, person_id=person_id, today=today)
        theme.apply(QApplication.instance(), 100)
        window = MainWindow(session, pdf_folder=tmp_path / "pdf")
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        opened.append(session)
        return window, session

    yield open_
    for session in opened:
        session.close()


def snapshot(session):
    person_id = session.person.id
    return (session.mailbox.account_status(person_id), session.mailbox.tick_history(person_id))


def focused() -> QWidget | None:
    return QApplication.focusWidget()


def tab_to(qtbot, target: QWidget, limit: int = 60) -> None:
    """Press Tab until ``target`` has the focus, as a keyboard user would."""
    for _ in range(limit):
        if focused() is target:
            return
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    assert focused() is target, f"Tab never reached {target.objectName()}"


def press(qtbot, target: QWidget, key=Qt.Key.Key_Space) -> None:
    tab_to(qtbot, target)
    qtbot.keyClick(target, key)


def click(qtbot, target: QWidget) -> None:
    """A mouse click on a control a person can see and use."""
    assert target.isVisible() and target.isEnabled(), target.objectName()
    qtbot.mouseClick(target, Qt.MouseButton.LeftButton)


def choosable(session) -> list[str]:
    return [o.id for o in session.mailbox.organisations() if not o.fixed_by_law]


def by_law(session) -> set[str]:
    return {o.id for o in session.mailbox.organisations() if o.fixed_by_law}


# -- the feature's screens and controls, by object name -----------------------
def status_button(window) -> QPushButton:
    """ "Staat mijn Berichtenbox aan?" on the table."""
    return widget(screen(window, "table_screen"), QPushButton, "open_account_status")


def status_screen(window):
    return screen(window, "status_screen")


def guide_screen(window):
    return screen(window, "guide_screen")


def organisations_screen(window):
    return screen(window, "organisations_screen")


def answer(window) -> str:
    return widget(status_screen(window), QLabel, "status_answer").text()


def check(parent: QWidget, org_id: str) -> QCheckBox:
    """An organisation's check on the guide or on the organisations screen."""
    return widget(parent, QCheckBox, f"org_check_{org_id}")


def row(parent: QWidget, org_id: str) -> QFrame:
    return widget(parent, QFrame, f"org_row_{org_id}")


def guide_button(guide, name: str) -> QPushButton:
    """One of the guide's buttons: guide_back, guide_not_now, guide_next, guide_confirm,
    guide_print."""
    return widget(guide, QPushButton, name)


def understand(guide) -> QCheckBox:
    return widget(guide, QCheckBox, "guide_understand")


def open_status(qtbot, window) -> None:
    """From the table: "Staat mijn Berichtenbox aan?"."""
    click(qtbot, status_button(window))
    assert window.current_screen() is status_screen(window)


def open_guide(qtbot, window) -> None:
    """From the table: the question, then "Uitleg over de Berichtenbox" (only when off)."""
    open_status(qtbot, window)
    click(qtbot, widget(status_screen(window), QPushButton, "status_guide"))
    assert window.current_screen() is guide_screen(window)


def open_organisations(qtbot, window) -> None:
    """From the table: the question, then "Organisaties kiezen" (only when on)."""
    open_status(qtbot, window)
    click(qtbot, widget(status_screen(window), QPushButton, "status_orgs"))
    assert window.current_screen() is organisations_screen(window)


def next_until(qtbot, guide, kind: str) -> None:
    """Click "Verder" until the guide shows a step of this kind."""
    for _ in activation.GUIDE_STEPS:
        if guide.current.kind == kind:
            return
        click(qtbot, guide_button(guide, "guide_next"))
    assert guide.current.kind == kind


def test_corry_looks_everywhere_and_stays_dormant(qtbot, open_window, data_dir, today):
    window, session = open_window("corry")
    before = snapshot(session)
    assert before[0].active is False
    help_screen = screen(window, "help_screen")
    about = widget(help_screen, QLabel, "help_about")
    help_texts = {}
    for each in list(window.build_all_screens()):
        window.show_screen(each)
        each.grab()
        assert window.current_screen() is each
        click(qtbot, widget(window, QPushButton, "nav_help"))
        help_texts[each.objectName()] = about.text()
        help_screen.grab()
        window.go_back()
    for name in ("status_screen", "guide_screen", "organisations_screen"):
        assert help_texts[name], name
    # The plain question, and every step of the guide read from start to end.
    click(qtbot, widget(window, QPushButton, "nav_home"))
    click(qtbot, status_button(window))
    assert window.current_screen() is status_screen(window)
    assert answer(window) == "Nee. Uw Berichtenbox staat niet aan."
    click(qtbot, widget(status_screen(window), QPushButton, "status_guide"))
    guide = guide_screen(window)
    for _ in activation.GUIDE_STEPS:
        click(qtbot, widget(window, QPushButton, "nav_help"))
        assert "Lezen verandert niets" in about.text()
        window.go_back()
        qtbot.mouseClick(guide_button(guide, "guide_next"), Qt.MouseButton.LeftButton)
    assert guide.current.kind == "confirm" and widget(guide, QLabel, "guide_summary").text()
    window.go_home()
    assert snapshot(session) == before
    # Still dormant after a restart too.
    window.close()
    session.close()
    again = Session.open_practice(data_dir, person_id="corry", today=today)
    try:
        assert again.mailbox.account_status("corry").active is False
        assert again.mailbox.tick_history("corry") == []
    finally:
        again.close()


@pytest.mark.parametrize("stop_at", range(len(activation.GUIDE_STEPS)))
def test_corry_says_no_at_each_step_and_nothing_changes(qtbot, open_window, stop_at):
    window, session = open_window("corry")
    before = snapshot(session)
    status = status_screen(window)
    status_button(window).setFocus()
    qtbot.keyClick(status_button(window), Qt.Key.Key_Space)
    press(qtbot, widget(status, QPushButton, "status_guide"))
    guide = guide_screen(window)
    assert window.current_screen() is guide and guide.step == 0
    for _ in range(stop_at):
        if guide.current.kind == "choose":
            for org_id in choosable(session)[:2]:
                press(qtbot, check(guide, org_id))
        press(qtbot, guide_button(guide, "guide_next"))
    assert guide.step == stop_at
    if guide.current.kind == "confirm":
        press(qtbot, understand(guide))
        assert guide_button(guide, "guide_confirm").isEnabled()
    # "Nee, nu niet" is always there, as easy to reach as "Verder".
    not_now = guide_button(guide, "guide_not_now")
    assert not_now.isVisible() and not_now.isEnabled()
    press(qtbot, not_now)
    assert window.current_screen() is status
    assert answer(window).startswith("Nee.")
    assert snapshot(session) == before
    # Next time the guide starts afresh, with nothing chosen.
    qtbot.mouseClick(widget(status, QPushButton, "status_guide"), Qt.MouseButton.LeftButton)
    assert guide.step == 0 and guide.chosen == set()
    assert not any(check(guide, org_id).isChecked() for org_id in choosable(session))


def test_back_goes_one_step_back_and_keeps_choices(qtbot, open_window):
    window, session = open_window("corry")
    open_guide(qtbot, window)
    guide = guide_screen(window)
    back = guide_button(guide, "guide_back")
    next_until(qtbot, guide, "choose")
    first = choosable(session)[0]
    check(guide, first).setFocus()
    qtbot.keyClick(check(guide, first), Qt.Key.Key_Space)
    press(qtbot, guide_button(guide, "guide_next"))
    assert guide.current.kind == "confirm"
    assert back.text() == "Terug"  # the same word on every step (issue 10)
    assert back.accessibleName() == "Terug naar de vorige stap"
    press(qtbot, back)
    assert guide.current.kind == "choose" and guide.chosen == {first}
    while guide.step:
        click(qtbot, back)
    assert back.text() == "Terug"
    qtbot.mouseClick(back, Qt.MouseButton.LeftButton)
    assert window.current_screen() is not guide
    assert snapshot(session)[0].active is False


def test_full_activation_by_keyboard_then_untick_later(qtbot, open_window, today):
    window, session = open_window("corry")
    guide = guide_screen(window)
    status = status_screen(window)
    status_button(window).setFocus()
    qtbot.keyClick(status_button(window), Qt.Key.Key_Space)
    press(qtbot, widget(status, QPushButton, "status_guide"))
    # The first action first, never the text (issue 10: four extra presses a step).
    assert focused() is guide_button(guide, "guide_next")
    while guide.current.kind != "choose":
        press(qtbot, guide_button(guide, "guide_next"))
    # Nothing is ticked beforehand, except what the law ticks (and cannot be changed).
    organisations = session.mailbox.organisations()
    assert organisations
    for org in organisations:
        assert check(guide, org.id).isChecked() == org.fixed_by_law
        assert check(guide, org.id).isEnabled() != org.fixed_by_law
    chosen = choosable(session)[:2]
    for org_id in chosen:
        press(qtbot, check(guide, org_id))
    press(qtbot, guide_button(guide, "guide_next"))
    assert guide.current.kind == "confirm"
    summary = widget(guide, QLabel, "guide_summary").text()
    names = {o.id: o.name for o in organisations}
    for org_id in chosen:
        assert f"\u2022 {names[org_id]}" in summary
    assert "niet meer terugdraaien" in summary
    # The confirming button: off until "Ik begrijp dat ...", never the default.
    confirm = guide_button(guide, "guide_confirm")
    assert not confirm.isEnabled()
    assert not confirm.isDefault() and not confirm.autoDefault()
    assert focused() is not confirm
    press(qtbot, understand(guide))
    assert understand(guide).isChecked() and confirm.isEnabled()
    tab_to(qtbot, confirm)
    qtbot.keyClick(confirm, Qt.Key.Key_Return)  # Enter alone is not enough
    assert snapshot(session)[0].active is False
    qtbot.keyClick(confirm, Qt.Key.Key_Space)  # the deliberate act
    account = session.mailbox.account_status("corry")
    assert account.active and account.activated_on == today()
    assert account.ticked == frozenset(chosen) | by_law(session)
    assert window.current_screen() is status
    assert answer(window).startswith("Ja. Uw Berichtenbox staat aan sinds")
    details = widget(status, QLabel, "status_details").text()
    assert all(names[org_id] in details for org_id in chosen)
    orgs_button = widget(status, QPushButton, "status_orgs")
    assert orgs_button.isVisible()
    assert not widget(status, QPushButton, "status_guide").isVisible()

    # Later: untick one on the organisations screen; the paper date is shown.
    press(qtbot, orgs_button)
    orgs = organisations_screen(window)
    assert window.current_screen() is orgs
    ticked = check(orgs, chosen[0])
    assert ticked.isChecked()
    press(qtbot, ticked)
    assert not ticked.isChecked()
    paper_on = today() + timedelta(days=PAPER_AFTER_DAYS)
    last = session.mailbox.tick_history("corry")[-1]
    assert (last.org_id, last.ticked, last.effective_on) == (chosen[0], False, paper_on)
    result = widget(orgs, QLabel, f"org_result_{chosen[0]}")
    assert result.isVisible()
    assert result.text().startswith(
        f"Vanaf ongeveer 19 december krijgt u post van {names[chosen[0]]} weer op papier."
    )
    assert session.mailbox.account_status("corry").active  # never undone
    # The answer to the plain question says so too: back to it.
    click(qtbot, widget(window, QPushButton, "nav_back"))
    assert window.current_screen() is status
    assert "19 december" in widget(status, QLabel, "status_details").text()


def test_law_row_explains_and_cannot_be_changed(qtbot, open_window):
    window, session = open_window("kees")
    open_organisations(qtbot, window)
    orgs = organisations_screen(window)
    law = [o for o in session.mailbox.organisations() if o.fixed_by_law]
    assert len(law) == 1
    org = law[0]
    law_check = check(orgs, org.id)
    note = widget(orgs, QLabel, f"org_note_{org.id}")
    assert law_check.isChecked() and not law_check.isEnabled()
    assert "Dat staat in de wet" in note.text() and note.isVisibleTo(orgs)
    assert activation.helpdesk_phone(session.mailbox.organisations()) in note.text()
    qtbot.mouseClick(row(orgs, org.id), Qt.MouseButton.LeftButton)  # clicking the row does nothing
    assert law_check.isChecked()
    assert org.id in session.mailbox.account_status("kees").ticked


def test_kees_sees_his_organisations_ticked_and_the_guide_is_not_for_him(qtbot, open_window):
    window, session = open_window("kees")
    status = session.mailbox.account_status("kees")
    open_status(qtbot, window)
    assert answer(window).startswith("Ja.")
    assert not widget(status_screen(window), QPushButton, "status_guide").isVisible()
    click(qtbot, widget(status_screen(window), QPushButton, "status_orgs"))
    orgs = organisations_screen(window)
    assert window.current_screen() is orgs
    organisations = session.mailbox.organisations()
    assert organisations
    for org in organisations:
        assert check(orgs, org.id).isChecked() == (org.id in status.ticked)
    # No button leads to the guide when the Berichtenbox is on; the feature is asked
    # directly what the guide would say.
    window.features.get(ActivationFeature).show_guide()
    guide = guide_screen(window)
    assert window.current_screen() is guide
    assert widget(guide, QLabel, "guide_title").text() == "Uw Berichtenbox staat al aan"
    assert not guide_button(guide, "guide_next").isVisible()
    assert snapshot(session)[0] == status


def test_new_organisation_is_asked_once_and_no_is_first(qtbot, open_window):
    window, session = open_window("koen")
    new = session.mailbox.new_organisations("koen")
    assert new
    open_status(qtbot, window)
    assert widget(status_screen(window), QLabel, "status_new_org").isVisible()
    click(qtbot, widget(status_screen(window), QPushButton, "status_orgs"))
    orgs = organisations_screen(window)
    assert window.current_screen() is orgs
    question_text = widget(orgs, QLabel, "new_org_question")
    no_button = widget(orgs, QPushButton, "new_org_no")
    assert question_text.isVisible()
    assert new[0].name in question_text.text()
    assert focused() is no_button  # "Nee" is the default
    assert no_button.text().startswith("Nee")
    qtbot.keyClick(no_button, Qt.Key.Key_Space)
    assert not question_text.isVisible()
    message = widget(orgs, QLabel, "orgs_message")
    assert "blijft op papier" in message.text()
    assert new[0].id not in session.mailbox.account_status("koen").ticked
    assert new[0].id not in {o.id for o in session.mailbox.new_organisations("koen")}
    click(qtbot, widget(window, QPushButton, "nav_home"))
    open_organisations(qtbot, window)
    assert orgs.asking is None or orgs.asking.id != new[0].id


def test_dormant_person_has_nothing_to_choose(qtbot, open_window):
    window, session = open_window("corry")
    # Dormant: no button leads to the organisations; the feature is asked directly.
    open_status(qtbot, window)
    assert not widget(status_screen(window), QPushButton, "status_orgs").isVisible()
    window.features.get(ActivationFeature).show_organisations()
    orgs = organisations_screen(window)
    assert window.current_screen() is orgs
    assert "staat niet aan" in widget(orgs, QLabel, "orgs_intro").text()
    assert not any(
        r.isVisible() for r in orgs.findChildren(QFrame) if r.objectName().startswith("org_row_")
    )
    assert not any(c.isVisible() for c in orgs.findChildren(QCheckBox))
    assert not widget(orgs, QLabel, "new_org_question").isVisible()


def test_summary_prints_what_will_happen(qtbot, open_window, tmp_path):
    window, session = open_window("corry")
    open_guide(qtbot, window)
    guide = guide_screen(window)
    next_until(qtbot, guide, "choose")
    chosen = choosable(session)[:2]
    for org_id in chosen:
        click(qtbot, check(guide, org_id))
        assert check(guide, org_id).isChecked()
    click(qtbot, guide_button(guide, "guide_next"))
    press(qtbot, guide_button(guide, "guide_print"))
    assert window.last_pdf is not None and window.last_pdf.exists()
    pdf = QPdfDocument()
    pdf.load(str(window.last_pdf))
    text = " ".join(pdf.getAllText(page).text() for page in range(pdf.pageCount()))
    pdf.close()
    names = {o.id: o.name for o in session.mailbox.organisations()}
    assert "Dit is nog niet aangezet" in text
    for org_id in chosen:
        assert names[org_id] in text
    assert snapshot(session)[0].active is False  # printing changes nothing


def _controls(screen):
    return [
        w
        for w in screen.findChildren(QWidget)
        if isinstance(w, QAbstractButton) and w.isVisibleTo(screen)
    ]


@pytest.mark.parametrize("person_id", ["corry", "kees"])
@pytest.mark.parametrize("scale", [100, 200])
def test_every_control_named_large_and_within_the_window(
    qtbot, open_window, person_id, scale, tmp_path
):
    window, session = open_window(person_id)
    window.set_scale(scale)
    assert status_button(window).text() == "Staat mijn Berichtenbox aan?"
    for each in (status_screen(window), organisations_screen(window)):
        window.show_screen(each)
        _check_screen(qtbot, window, each, tmp_path / f"{person_id}-{scale}.png")
    if person_id == "corry":
        # Every step of the guide, reached as a person reaches it.
        window.go_home()
        open_guide(qtbot, window)
        guide = guide_screen(window)
        for step in range(len(activation.GUIDE_STEPS)):
            assert guide.step == step
            _check_screen(qtbot, window, guide, tmp_path / f"guide-{step}-{scale}.png")
            if step < len(activation.GUIDE_STEPS) - 1:
                click(qtbot, guide_button(guide, "guide_next"))
    window.set_scale(100)


def _check_screen(qtbot, window, screen, path) -> None:
    QApplication.processEvents()
    assert screen.grab().save(str(path))
    for control in _controls(screen):
        name = control.accessibleName() or control.text()
        assert name.strip(), control.objectName()
        assert control.sizeHint().height() >= theme.MIN_TARGET_PX, control.objectName()
        if isinstance(control, QCheckBox) and control.objectName().startswith("org_check_"):
            assert control.accessibleName().startswith("Digitale post van ")
    for text in screen.findChildren(QLabel):
        if text.focusPolicy() != Qt.FocusPolicy.NoFocus and text.isVisibleTo(screen):
            assert text.accessibleName() or text.text()
    # Nothing wider than the window: buttons wrap, texts wrap.
    for control in _controls(screen):
        if control.isVisible():
            right = control.mapTo(window, control.rect().topRight()).x()
            assert right <= window.width(), control.objectName()
