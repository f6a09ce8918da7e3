"""The paper-mail button, driven as a person would: keyboard first, real widgets.

Kees (active, four organisations ticked) presses "Ik wil mijn post op papier",
reads the review, confirms, and prints the letter to the Belastingdienst.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractButton, QAbstractScrollArea, QApplication, QLabel,
                               QWidget)

from app.mailbox import MailboxError
from app.session import Session
from ui.shell import theme
from ui.shell.main_window import MainWindow

pytestmark = pytest.mark.gui
TODAY = date(2026, 11, 28)   # as in conftest.py


class Clock:
    def __init__(self):
        self.day = TODAY

    def __call__(self):
        return self.day


def open_window(qtbot, data_dir, tmp_path, person, today):
    theme.apply(QApplication.instance(), 100)
    session = Session.open_practice(data_dir, person_id=person, today=today)
    w = MainWindow(session, pdf_folder=tmp_path / "pdf")
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()   # keys go to the active window, as on a desktop
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    return w


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def kees(qtbot, data_dir, tmp_path, clock):
    w = open_window(qtbot, data_dir, tmp_path, "kees", clock)
    yield w
    w.session.close()


def law_ids(session) -> set[str]:
    return {o.id for o in session.mailbox.organisations() if o.fixed_by_law}


def ordinary_ticked(session) -> set[str]:
    return set(session.mailbox.account_status(session.person.id).ticked) - law_ids(session)


def tab_to(qtbot, window, target: QWidget, limit: int = 60) -> None:
    """Press Tab until ``target`` has the focus, as a keyboard user would."""
    for _ in range(limit):
        if QApplication.focusWidget() is target:
            return
        qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Tab)
    raise AssertionError(f"{target.objectName()} cannot be reached with Tab")


def press(qtbot, widget: QWidget) -> None:
    assert QApplication.focusWidget() is widget
    qtbot.keyClick(widget, Qt.Key.Key_Space)


def pdf_text(path) -> str:
    from PySide6.QtPdf import QPdfDocument

    pdf = QPdfDocument()
    assert pdf.load(str(path)) == QPdfDocument.Error.None_
    text = "\n".join(pdf.getAllText(p).text() for p in range(pdf.pageCount()))
    pdf.close()
    return " ".join(text.split())   # lines wrap on paper; compare words


def visible_texts(screen) -> str:
    return "\n".join(lbl.text() for lbl in screen.findChildren(QLabel) if lbl.isVisibleTo(screen))


def test_kees_journey_by_keyboard_review_confirm_status_and_letter(qtbot, kees):
    w = kees
    session = w.session
    feature = w.paper_feature
    letters_before = [letter.id for letter in session.table()]
    four = ordinary_ticked(session)
    assert len(four) == 4
    assert feature.paper_button.isVisible()
    assert not feature.status_button.isVisible()

    # The big button is reachable with Tab from the table.
    w.table_screen.view.setFocus()
    tab_to(qtbot, w, feature.paper_button)
    press(qtbot, feature.paper_button)
    review = feature.review_screen
    assert w.current_screen() is review
    text = visible_texts(review)
    assert "Deze 4 organisaties sturen uw post nu digitaal." in text
    for org in session.mailbox.organisations():
        if org.id in four:
            assert f"{org.name}: op papier vanaf ongeveer 19 december 2026." in text
    assert "moet u apart vragen" in text
    assert "Verder verandert er niets." in text
    # Nothing happens before the confirm.
    assert ordinary_ticked(session) == four
    assert session.mailbox.paper_requests(session.person.id) == []

    tab_to(qtbot, w, review.confirm_button)
    press(qtbot, review.confirm_button)
    status = feature.status_screen
    assert w.current_screen() is status
    assert ordinary_ticked(session) == set()
    history = session.mailbox.tick_history(session.person.id)
    assert {(c.org_id, c.effective_on) for c in history} == {
        (o, TODAY + timedelta(days=21)) for o in four}
    assert len(status.row_boxes) == 5
    assert status.title() == "Wanneer komt mijn post weer op papier?"
    rows_text = visible_texts(status)
    assert rows_text.count("Gevraagd op 28 november 2026.") == 4
    assert rows_text.count("Op papier vanaf ongeveer 19 december 2026.") == 4
    assert "U moet nog bellen of de brief sturen." in rows_text
    assert "nog bellen of de brief sturen." in status.summary.text()
    assert not status.error_label.isVisible()

    # Print the letter to the Belastingdienst, by keyboard.
    tab_to(qtbot, w, status.letter_button)
    press(qtbot, status.letter_button)
    assert w.last_pdf is not None and w.last_pdf.exists()
    text = pdf_text(w.last_pdf)
    (law,) = law_ids(session)
    org = session.mailbox.organisation(law)
    address = org.paper_route.get("letter_address") or list(org.postal_address)
    assert session.person.name in text
    for line in (address if isinstance(address, list) else address.split("\n")):
        assert line in text
    assert session.person.bsn in text

    # Nothing is lost: every letter is still on the table; Back leads to the table.
    qtbot.mouseClick(w.back_button, Qt.MouseButton.LeftButton)
    assert w.current_screen() is w.table_screen
    assert [letter.id for letter in session.table()] == letters_before
    # While a request is open, the status is reachable from the table.
    assert feature.status_button.isVisible()
    tab_to(qtbot, w, feature.status_button)
    press(qtbot, feature.status_button)
    assert w.current_screen() is status


def test_cancel_changes_nothing(qtbot, kees):
    w, feature = kees, kees.paper_feature
    before = ordinary_ticked(w.session)
    qtbot.mouseClick(feature.paper_button, Qt.MouseButton.LeftButton)
    review = feature.review_screen
    assert w.current_screen() is review
    review.cancel_button.setFocus()
    press(qtbot, review.cancel_button)
    assert w.current_screen() is w.table_screen
    assert ordinary_ticked(w.session) == before
    assert w.session.mailbox.paper_requests(w.session.person.id) == []


def test_pressing_again_shows_the_request_that_stands(qtbot, kees):
    w, feature = kees, kees.paper_feature
    qtbot.mouseClick(feature.paper_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(feature.review_screen.confirm_button, Qt.MouseButton.LeftButton)
    history = w.session.mailbox.tick_history(w.session.person.id)
    requests = w.session.mailbox.paper_requests(w.session.person.id)
    w.go_home()
    qtbot.mouseClick(feature.paper_button, Qt.MouseButton.LeftButton)
    assert w.current_screen() is feature.status_screen
    assert len(feature.status_screen.row_boxes) == 5
    assert w.session.mailbox.tick_history(w.session.person.id) == history
    assert w.session.mailbox.paper_requests(w.session.person.id) == requests


def test_corry_dormant_is_told_nothing_needs_to_change(qtbot, data_dir, tmp_path, today):
    w = open_window(qtbot, data_dir, tmp_path, "corry", today)
    feature = w.paper_feature
    w.table_screen.view.setFocus()
    tab_to(qtbot, w, feature.paper_button)
    press(qtbot, feature.paper_button)
    review = feature.review_screen
    assert w.current_screen() is review
    assert "Uw post komt dus al op papier." in visible_texts(review)
    assert not review.confirm_button.isVisible()
    assert review.cancel_button.text() == "Terug naar de tafel"
    tab_to(qtbot, w, review.cancel_button)
    press(qtbot, review.cancel_button)
    assert w.current_screen() is w.table_screen
    assert not feature.status_button.isVisible()
    assert w.session.mailbox.paper_requests("corry") == []
    w.session.close()


def test_failure_halfway_is_told_truthfully_and_a_second_press_completes(qtbot, kees):
    w, feature = kees, kees.paper_feature
    box = w.session.mailbox
    seen: list[str] = []

    def fail_after_two(org_id: str) -> None:
        seen.append(org_id)
        if len(seen) == 2:
            raise MailboxError("unreachable")

    box.paper_step_hook = fail_after_two   # the documented test seam
    qtbot.mouseClick(feature.paper_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(feature.review_screen.confirm_button, Qt.MouseButton.LeftButton)
    status = feature.status_screen
    assert w.current_screen() is status
    assert status.error_label.isVisible()
    assert "Wat al gelukt was, blijft bewaard." in status.error_label.text()
    assert "3 organisaties zijn nog niet gevraagd" in status.summary.text()
    assert len(status.row_boxes) == 5
    assert visible_texts(status).count("Nog niet gevraagd.") == 3
    assert len(ordinary_ticked(w.session)) == 2

    box.paper_step_hook = None
    qtbot.mouseClick(status.home_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(feature.paper_button, Qt.MouseButton.LeftButton)
    review = feature.review_screen
    assert w.current_screen() is review
    text = visible_texts(review)
    assert "Deze 2 organisaties sturen uw post nu digitaal." in text
    assert "Dit heeft u al eerder gevraagd:" in text
    qtbot.mouseClick(review.confirm_button, Qt.MouseButton.LeftButton)
    assert w.current_screen() is status
    assert not status.error_label.isVisible()
    assert ordinary_ticked(w.session) == set()
    assert "Nog niet gevraagd." not in visible_texts(status)


def test_belastingdienst_phone_script_then_sent_then_done_closes_the_status(qtbot, kees, clock):
    w, feature = kees, kees.paper_feature
    session = w.session
    qtbot.mouseClick(feature.paper_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(feature.review_screen.confirm_button, Qt.MouseButton.LeftButton)
    status = feature.status_screen
    how = status.findChild(QAbstractButton, "paper_belastingdienst_how")
    how.setFocus()
    press(qtbot, how)
    bd = feature.belastingdienst_screen
    assert w.current_screen() is bd
    (law,) = law_ids(session)
    route = session.mailbox.organisation(law).paper_route
    assert route["phone"] in visible_texts(bd)
    assert bd.findChild(QLabel, "bd_phone_number").text() == route["phone"]
    assert session.person.name in bd.letter_text.toPlainText()
    # the phone script prints too
    bd.print_phone_button.setFocus()
    press(qtbot, bd.print_phone_button)
    assert route["phone"] in pdf_text(w.last_pdf)
    qtbot.mouseClick(bd.back_button, Qt.MouseButton.LeftButton)
    assert w.current_screen() is status
    assert status.findChild(QAbstractButton, "paper_belastingdienst_sent") is not None

    # "I phoned or posted" on the Belastingdienst screen records it
    w.show_screen(bd)
    bd.sent_button.setFocus()
    press(qtbot, bd.sent_button)
    assert w.current_screen() is status
    assert session.mailbox.paper_requests(session.person.id)[-1].state == "sent"
    # three weeks later the unticked ones are on paper; the Belastingdienst comes too
    clock.day = TODAY + timedelta(days=21)
    status.refresh()
    done = status.findChild(QAbstractButton, "paper_belastingdienst_done")
    assert done is not None
    qtbot.waitUntil(done.isVisible)
    qtbot.mouseClick(done, Qt.MouseButton.LeftButton)
    assert status.summary.text() == "Klaar. Al uw post komt weer op papier."
    assert not status.letter_button.isVisible()
    w.go_home()
    assert not feature.status_button.isVisible()


def test_overview_prints_in_large_type_with_every_organisation(qtbot, kees):
    w, feature = kees, kees.paper_feature
    qtbot.mouseClick(feature.paper_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(feature.review_screen.confirm_button, Qt.MouseButton.LeftButton)
    status = feature.status_screen
    doc = status.print_document()
    assert doc.document.defaultFont().pointSize() >= 14
    qtbot.mouseClick(status.print_button, Qt.MouseButton.LeftButton)
    text = pdf_text(w.last_pdf)
    assert "Wanneer komt mijn post weer op papier?" in text
    for row in status.rows:
        assert row.org_name in text


def test_every_control_is_named_reachable_and_large_enough(qtbot, kees):
    w, feature = kees, kees.paper_feature
    qtbot.mouseClick(feature.paper_button, Qt.MouseButton.LeftButton)
    screens = [feature.review_screen]
    qtbot.mouseClick(feature.review_screen.confirm_button, Qt.MouseButton.LeftButton)
    screens.append(feature.status_screen)
    checked = 0
    unnamed = []
    for screen in screens + [feature.belastingdienst_screen]:
        w.show_screen(screen)
        for widget in screen.findChildren(QWidget):
            if not widget.isVisibleTo(screen) or widget.focusPolicy() == Qt.FocusPolicy.NoFocus:
                continue
            if not isinstance(widget, (QAbstractButton, QAbstractScrollArea)):
                continue
            checked += 1
            name = widget.accessibleName() or (
                widget.text() if isinstance(widget, QAbstractButton) else "")
            if not name.strip():
                unnamed.append(widget.objectName() or type(widget).__name__)
            if isinstance(widget, QAbstractButton):
                assert widget.height() >= theme.MIN_TARGET_PX, widget.objectName()
                assert widget.width() >= theme.MIN_TARGET_PX, widget.objectName()
    assert checked >= 8
    assert unnamed == []
    for b in (feature.paper_button, feature.status_button):
        assert b.text() and b.height() >= theme.MIN_TARGET_PX
