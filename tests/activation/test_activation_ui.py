"""Journeys through "Staat mijn Berichtenbox aan?", the guide and the organisations.

Driven as a person would: keys and clicks on real widgets over a real practice
mailbox. What must never happen: an account switched on by looking.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QAbstractButton, QApplication, QCheckBox, QLabel, QWidget

from app import activation
from app.mailbox.practice import PAPER_AFTER_DAYS
from app.session import Session
from ui.shell import theme
from ui.shell.main_window import MainWindow

pytestmark = pytest.mark.gui


@pytest.fixture
def open_window(qtbot, data_dir, today, tmp_path):
    """open_window(person_id) -> (window, session), closed afterwards."""
    opened = []

    def open_(person_id: str):
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


def choosable(session) -> list[str]:
    return [o.id for o in session.mailbox.organisations() if not o.fixed_by_law]


def by_law(session) -> set[str]:
    return {o.id for o in session.mailbox.organisations() if o.fixed_by_law}


def test_corry_looks_everywhere_and_stays_dormant(qtbot, open_window, data_dir, today):
    window, session = open_window("corry")
    before = snapshot(session)
    assert before[0].active is False
    feature = window.activation
    help_texts = {}
    for screen in list(window.screens):
        window.show_screen(screen)
        screen.grab()
        assert window.current_screen() is screen
        window.show_help()
        help_texts[type(screen).__name__] = window.help_screen.about.text()
        window.help_screen.grab()
        window.go_back()
    for screen in (feature.status_screen, feature.guide_screen, feature.organisations_screen):
        assert help_texts[type(screen).__name__], type(screen).__name__
    # The plain question, and every step of the guide read from start to end.
    qtbot.mouseClick(feature.status_button, Qt.MouseButton.LeftButton)
    assert window.current_screen() is feature.status_screen
    assert feature.status_screen.answer.text() == "Nee. Uw Berichtenbox staat niet aan."
    qtbot.mouseClick(feature.status_screen.guide_button, Qt.MouseButton.LeftButton)
    guide = feature.guide_screen
    for _ in activation.GUIDE_STEPS:
        window.show_help()
        assert "Lezen verandert niets" in window.help_screen.about.text()
        window.go_back()
        qtbot.mouseClick(guide.next_button, Qt.MouseButton.LeftButton)
    assert guide.current.kind == "confirm" and guide.summary.text()
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
    feature = window.activation
    feature.status_button.setFocus()
    qtbot.keyClick(feature.status_button, Qt.Key.Key_Space)
    press(qtbot, feature.status_screen.guide_button)
    guide = feature.guide_screen
    assert window.current_screen() is guide and guide.step == 0
    for _ in range(stop_at):
        if guide.current.kind == "choose":
            for org_id in choosable(session)[:2]:
                press(qtbot, guide.rows[org_id].check)
        press(qtbot, guide.next_button)
    assert guide.step == stop_at
    if guide.current.kind == "confirm":
        press(qtbot, guide.understand)
        assert guide.confirm_button.isEnabled()
    # "Nee, nu niet" is always there, as easy to reach as "Verder".
    assert guide.not_now_button.isVisible() and guide.not_now_button.isEnabled()
    press(qtbot, guide.not_now_button)
    assert window.current_screen() is feature.status_screen
    assert feature.status_screen.answer.text().startswith("Nee.")
    assert snapshot(session) == before
    # Next time the guide starts afresh, with nothing chosen.
    qtbot.mouseClick(feature.status_screen.guide_button, Qt.MouseButton.LeftButton)
    assert guide.step == 0 and guide.chosen == set()
    assert not any(r.check.isChecked() for r in guide.rows.values() if not r.org.fixed_by_law)


def test_back_goes_one_step_back_and_keeps_choices(qtbot, open_window):
    window, session = open_window("corry")
    feature = window.activation
    feature.show_guide()
    guide = feature.guide_screen
    while guide.current.kind != "choose":
        guide.next_step()
    first = choosable(session)[0]
    guide.rows[first].check.setFocus()
    qtbot.keyClick(guide.rows[first].check, Qt.Key.Key_Space)
    press(qtbot, guide.next_button)
    assert guide.current.kind == "confirm"
    assert guide.back_button.text() == "Vorige stap"
    press(qtbot, guide.back_button)
    assert guide.current.kind == "choose" and guide.chosen == {first}
    while guide.step:
        guide.previous_step()
    assert guide.back_button.text() == "Terug"
    qtbot.mouseClick(guide.back_button, Qt.MouseButton.LeftButton)
    assert window.current_screen() is not guide
    assert snapshot(session)[0].active is False


def test_full_activation_by_keyboard_then_untick_later(qtbot, open_window, today):
    window, session = open_window("corry")
    feature = window.activation
    guide = feature.guide_screen
    feature.status_button.setFocus()
    qtbot.keyClick(feature.status_button, Qt.Key.Key_Space)
    press(qtbot, feature.status_screen.guide_button)
    assert focused() is guide.body                     # the text first, not a button
    while guide.current.kind != "choose":
        press(qtbot, guide.next_button)
    # Nothing is ticked beforehand, except what the law ticks (and cannot be changed).
    for org_id, row in guide.rows.items():
        assert row.check.isChecked() == row.org.fixed_by_law
        assert row.check.isEnabled() != row.org.fixed_by_law
    chosen = choosable(session)[:2]
    for org_id in chosen:
        press(qtbot, guide.rows[org_id].check)
    press(qtbot, guide.next_button)
    assert guide.current.kind == "confirm"
    summary = guide.summary.text()
    names = {o.id: o.name for o in session.mailbox.organisations()}
    for org_id in chosen:
        assert f"\u2022 {names[org_id]}" in summary
    assert "niet meer terugdraaien" in summary
    # The confirming button: off until "Ik begrijp dat ...", never the default.
    assert not guide.confirm_button.isEnabled()
    assert not guide.confirm_button.isDefault() and not guide.confirm_button.autoDefault()
    assert focused() is not guide.confirm_button
    press(qtbot, guide.understand)
    assert guide.understand.isChecked() and guide.confirm_button.isEnabled()
    tab_to(qtbot, guide.confirm_button)
    qtbot.keyClick(guide.confirm_button, Qt.Key.Key_Return)   # Enter alone is not enough
    assert snapshot(session)[0].active is False
    qtbot.keyClick(guide.confirm_button, Qt.Key.Key_Space)    # the deliberate act
    status = session.mailbox.account_status("corry")
    assert status.active and status.activated_on == today()
    assert status.ticked == frozenset(chosen) | by_law(session)
    assert window.current_screen() is feature.status_screen
    assert feature.status_screen.answer.text().startswith("Ja. Uw Berichtenbox staat aan sinds")
    details = feature.status_screen.details.text()
    assert all(names[org_id] in details for org_id in chosen)
    assert feature.status_screen.orgs_button.isVisible()
    assert not feature.status_screen.guide_button.isVisible()

    # Later: untick one on the organisations screen; the paper date is shown.
    press(qtbot, feature.status_screen.orgs_button)
    orgs = feature.organisations_screen
    assert window.current_screen() is orgs
    row = orgs.rows[chosen[0]]
    assert row.check.isChecked()
    press(qtbot, row.check)
    assert not row.check.isChecked()
    paper_on = today() + timedelta(days=PAPER_AFTER_DAYS)
    last = session.mailbox.tick_history("corry")[-1]
    assert (last.org_id, last.ticked, last.effective_on) == (chosen[0], False, paper_on)
    assert row.result.isVisible()
    assert row.result.text().startswith(
        f"Vanaf ongeveer 19 december krijgt u post van {names[chosen[0]]} weer op papier.")
    assert session.mailbox.account_status("corry").active          # never undone
    # The answer to the plain question says so too.
    feature.show_status()
    assert "19 december" in feature.status_screen.details.text()


def test_law_row_explains_and_cannot_be_changed(qtbot, open_window):
    window, session = open_window("kees")
    feature = window.activation
    feature.show_organisations()
    orgs = feature.organisations_screen
    law = [r for r in orgs.rows.values() if r.org.fixed_by_law]
    assert len(law) == 1
    row = law[0]
    assert row.check.isChecked() and not row.check.isEnabled()
    assert "Dat staat in de wet" in row.note.text() and row.note.isVisibleTo(orgs)
    assert activation.helpdesk_phone(session.mailbox.organisations()) in row.note.text()
    qtbot.mouseClick(row, Qt.MouseButton.LeftButton)              # clicking the row does nothing
    assert row.check.isChecked()
    assert row.org.id in session.mailbox.account_status("kees").ticked


def test_kees_sees_his_organisations_ticked_and_the_guide_is_not_for_him(qtbot, open_window):
    window, session = open_window("kees")
    status = session.mailbox.account_status("kees")
    feature = window.activation
    feature.show_status()
    assert feature.status_screen.answer.text().startswith("Ja.")
    assert not feature.status_screen.guide_button.isVisible()
    feature.show_organisations()
    for org_id, row in feature.organisations_screen.rows.items():
        assert row.check.isChecked() == (org_id in status.ticked)
    feature.show_guide()
    assert feature.guide_screen.heading.text() == "Uw Berichtenbox staat al aan"
    assert not feature.guide_screen.next_button.isVisible()
    assert snapshot(session)[0] == status


def test_new_organisation_is_asked_once_and_no_is_first(qtbot, open_window):
    window, session = open_window("koen")
    new = session.mailbox.new_organisations("koen")
    assert new
    feature = window.activation
    feature.show_status()
    assert feature.status_screen.new_note.isVisible()
    feature.show_organisations()
    orgs = feature.organisations_screen
    assert orgs.question.isVisible()
    assert new[0].name in orgs.question_text.text()
    assert focused() is orgs.no_button                          # "Nee" is the default
    assert orgs.no_button.text().startswith("Nee")
    qtbot.keyClick(orgs.no_button, Qt.Key.Key_Space)
    assert not orgs.question.isVisible()
    assert "blijft op papier" in orgs.message.text()
    assert new[0].id not in session.mailbox.account_status("koen").ticked
    assert new[0].id not in {o.id for o in session.mailbox.new_organisations("koen")}
    window.go_home()
    feature.show_organisations()
    assert orgs.asking is None or orgs.asking.id != new[0].id


def test_dormant_person_has_nothing_to_choose(qtbot, open_window):
    window, session = open_window("corry")
    feature = window.activation
    feature.show_organisations()
    orgs = feature.organisations_screen
    assert "staat niet aan" in orgs.intro.text()
    assert not any(r.isVisible() for r in orgs.rows.values())
    assert not orgs.question.isVisible()


def test_summary_prints_what_will_happen(qtbot, open_window, tmp_path):
    window, session = open_window("corry")
    feature = window.activation
    feature.show_guide()
    guide = feature.guide_screen
    while guide.current.kind != "choose":
        guide.next_step()
    chosen = choosable(session)[:2]
    for org_id in chosen:
        guide.rows[org_id].check.setChecked(True)
    guide.next_step()
    press(qtbot, guide.print_button)
    assert window.last_pdf is not None and window.last_pdf.exists()
    pdf = QPdfDocument()
    pdf.load(str(window.last_pdf))
    text = " ".join(pdf.getAllText(page).text() for page in range(pdf.pageCount()))
    pdf.close()
    names = {o.id: o.name for o in session.mailbox.organisations()}
    assert "Dit is nog niet aangezet" in text
    for org_id in chosen:
        assert names[org_id] in text
    assert snapshot(session)[0].active is False                   # printing changes nothing


def _controls(screen):
    return [w for w in screen.findChildren(QWidget)
            if isinstance(w, QAbstractButton) and w.isVisibleTo(screen)]


@pytest.mark.parametrize("person_id", ["corry", "kees"])
@pytest.mark.parametrize("scale", [100, 200])
def test_every_control_named_large_and_within_the_window(qtbot, open_window, person_id, scale,
                                                         tmp_path):
    window, session = open_window(person_id)
    window.set_scale(scale)
    feature = window.activation
    screens = [feature.status_screen, feature.organisations_screen]
    steps = []
    if person_id == "corry":
        feature.show_guide()
        steps = range(len(activation.GUIDE_STEPS))
    assert feature.status_button.text() == "Staat mijn Berichtenbox aan?"
    for screen in screens:
        window.show_screen(screen)
        _check_screen(qtbot, window, screen, tmp_path / f"{person_id}-{scale}.png")
    guide = feature.guide_screen
    for step in steps:
        window.show_screen(guide)
        guide.step = step
        guide.refresh()
        _check_screen(qtbot, window, guide, tmp_path / f"guide-{step}-{scale}.png")
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
