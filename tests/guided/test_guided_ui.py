"""Guided mode, driven as a volunteer and a visitor would: scripts 1, 3 and 5 end to end."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from app import i18n
from app.guided import Visit
from practice_folder import practice_copy
from ui.guided.panel import GuidePanel
from ui.guided.window import GuidedWindow
from ui.shell import theme

pytestmark = pytest.mark.gui


@pytest.fixture
def visit(tmp_path, today):
    v = Visit.start(tmp_path / "begeleid", today=today)
    practice_copy(v.folder, today, into=True)  # seeded once, copied
    v.open_session()
    yield v
    v.end()


@pytest.fixture
def gw(qtbot, visit):
    theme.apply(QApplication.instance(), 100)
    w = GuidedWindow(visit, pdf_folder=visit.folder / "briefje")
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def click(qtbot, widget):
    assert widget.isVisible() and widget.isEnabled(), widget.objectName()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def start(qtbot, gw, script_id, *, training=True):
    click(qtbot, gw.panel.training_button if training else gw.panel.visitor_button)
    assert gw.panel.pages.currentIndex() == GuidePanel.CHOOSE
    click(qtbot, gw.findChild(QAbstractButton, f"guided_script_{script_id}"))
    assert gw.panel.pages.currentIndex() == GuidePanel.STEP


def progress(gw) -> str:
    return gw.panel.progress.text()


def do_step(qtbot, gw, expect_target: str | None = None):
    """Check the highlight sits on the step's control, then click that control."""
    target = gw.controller.target_widget()
    if expect_target is not None:
        assert target is not None and target.objectName() == expect_target
    if target is None:
        return None
    assert target.isVisible(), target.objectName()
    hl = gw.highlight
    assert hl.isVisible()
    where = QRect(target.mapTo(gw, QPoint(0, 0)), target.size())
    # Around the target: all of it, or the part a scroll area shows.
    assert hl.geometry().contains(where) or where.contains(hl.geometry().center())
    if isinstance(target, QAbstractButton):
        click(qtbot, target)
    return target


def next_step(qtbot, gw):
    click(qtbot, gw.panel.next)


def pdf_text(path) -> str:
    pdf = QPdfDocument()
    assert pdf.load(str(path)) == QPdfDocument.Error.None_
    text = "\n".join(pdf.getAllText(p).text() for p in range(pdf.pageCount()))
    pdf.close()
    return " ".join(text.split())


def print_and_read(qtbot, gw) -> str:
    click(qtbot, gw.panel.done_print)
    path = gw.last_pdf
    assert path is not None and path.exists() and gw.visit.folder in path.parents
    assert gw.panel.printed_note.isVisible()
    return pdf_text(path)


def end_session(qtbot, gw):
    folder, lock = gw.visit.folder, gw.visit.lock
    click(qtbot, gw.panel.done_end)
    assert gw.panel.pages.currentIndex() == GuidePanel.END
    click(qtbot, gw.panel.end_yes)
    assert not gw.isVisible()
    assert not folder.exists() and not lock.exists()
    assert list(folder.parent.iterdir()) == []


def shown_texts(window) -> str:
    """Every text a visible widget shows (labels, buttons, text fields, names)."""
    parts = []
    for w in window.findChildren(QWidget):
        if not w.isVisibleTo(window):
            continue
        if isinstance(w, (QLabel, QAbstractButton, QLineEdit)):
            parts.append(w.text())
        elif isinstance(w, QPlainTextEdit):
            parts.append(w.toPlainText())
        parts += [w.accessibleName(), w.accessibleDescription(), w.toolTip()]
    return "\n".join(parts)


# -- script 1 ------------------------------------------------------------------------
def test_script_1_is_the_berichtenbox_on_changes_nothing(qtbot, gw):
    start(qtbot, gw, "status")
    session = gw.session
    assert session.person.id == "corry"  # training: the dormant story
    before = session.mailbox.account_status("corry")
    assert progress(gw) == "Stap 1 van 3"
    assert gw.panel.parts["say"][1].text().startswith("We gaan kijken of uw Berichtenbox")
    assert gw.panel.training_label.isVisible() and gw.practice_label.text().startswith("Oefenen")
    do_step(qtbot, gw, "open_account_status")
    assert gw.current_screen().title() == "Staat mijn Berichtenbox aan?"
    assert progress(gw) == "Stap 2 van 3"  # the guide moved on by itself
    answer = do_step(qtbot, gw, "status_answer")
    assert answer.text()
    assert progress(gw) == "Stap 2 van 3"  # a text is no button: "Volgende stap"
    next_step(qtbot, gw)
    assert gw.panel.next.text() == "Klaar"
    do_step(qtbot, gw, "nav_home")
    assert gw.current_screen() is gw.table_screen
    assert progress(gw) == "Stap 3 van 3"  # the last step waits for "Klaar"
    next_step(qtbot, gw)
    assert gw.panel.pages.currentIndex() == GuidePanel.DONE
    assert "Uw Berichtenbox staat uit" in gw.panel.done_list.text()
    assert session.mailbox.account_status("corry") == before  # looked, nothing switched on

    text = print_and_read(qtbot, gw)
    for expected in (
        "Uw briefje van het Informatiepunt",
        "OEFENING",
        "Wat we vandaag hebben gedaan",
        "We hebben gekeken of uw Berichtenbox aan staat.",
        "Uw Berichtenbox staat uit. Er is niets veranderd.",
        "Wat u nog moet doen",
        "U hoeft nu niets te doen.",
        "Hier krijgt u hulp",
        "Bel 1400",
        "28 november 2026",
    ):
        assert expected in text, expected
    end_session(qtbot, gw)


# -- script 3 ------------------------------------------------------------------------
def test_script_3_paper_again_with_the_belastingdienst_call(qtbot, gw):
    start(qtbot, gw, "paper")
    session = gw.session
    assert session.person.id == "kees"
    assert progress(gw) == "Stap 1 van 5"
    do_step(qtbot, gw, "paper_button")
    assert progress(gw) == "Stap 2 van 5"
    do_step(qtbot, gw, "paper_confirm")  # the visitor confirms on the review screen
    requests = session.mailbox.paper_requests("kees")
    assert requests and all(r.new or r.state for r in requests)
    assert progress(gw) == "Stap 3 van 5"
    do_step(qtbot, gw, "paper_belastingdienst_how")
    assert progress(gw) == "Stap 4 van 5"
    phone = do_step(qtbot, gw, "bd_phone_number")
    bd = next(o for o in session.mailbox.organisations() if o.fixed_by_law)
    number = (bd.paper_route or {}).get("phone") or bd.phone
    assert number and number in phone.text()
    next_step(qtbot, gw)
    assert progress(gw) == "Stap 5 van 5"
    do_step(qtbot, gw, "nav_home")
    next_step(qtbot, gw)
    done = gw.panel.done_list.text()
    assert "We hebben gevraagd om uw post weer op papier." in done
    assert number in done

    text = print_and_read(qtbot, gw)
    assert "We hebben gevraagd om uw post weer op papier." in text
    assert f"Bel {bd.name}: {number}. Vraag om uw post op papier." in " ".join(text.split())
    assert "komt weer op papier" in text
    assert "Kijk de komende drie weken nog in de Berichtenbox." in text
    end_session(qtbot, gw)


# -- script 5 ------------------------------------------------------------------------
def test_script_5_read_a_letter_together_only_after_laat_zien(qtbot, gw):
    start(qtbot, gw, "letter")
    session = gw.session
    assert session.person.id == "koen"
    letters = session.table()
    secrets = (
        [l.body for l in letters]
        + [l.subject for l in letters]
        + [l.what_to_do for l in letters if l.what_to_do]
    )
    secrets = [s for s in secrets if len(s) > 12]

    def nothing_shown():
        texts = shown_texts(gw)
        assert not [s for s in secrets if s in texts]
        assert not gw.table_screen.view.isVisible()

    # Step 1: the table is covered; the volunteer's screen says only the visitor lifts it.
    nothing_shown()
    assert gw.panel.reveal_note.isVisible()
    assert "Alleen de bezoeker drukt op 'Laat zien'" in gw.panel.reveal_note.text()
    assert gw.table_cover.heading.text() == "Uw brieven zijn afgedekt"
    do_step(qtbot, gw, "guided_reveal_table")  # the visitor presses "Laat zien"
    assert gw.table_screen.view.isVisible()
    assert progress(gw) == "Stap 2 van 5"

    # Step 2: open the most urgent letter. It is covered again.
    first = letters[0]
    do_step(qtbot, gw, "open_letter")
    assert gw.current_screen() is gw.letter_screen
    assert gw.letter_screen.letter.id == first.id
    nothing_shown()
    assert gw.letter_screen.paper.toPlainText() == ""  # not even in a hidden widget
    assert QApplication.focusWidget() is gw.letter_cover.reveal_button  # not taken
    assert progress(gw) == "Stap 3 van 5"
    assert gw.controller.target_widget() is gw.letter_cover.reveal_button

    # Step 3: the visitor shows the letter.
    do_step(qtbot, gw, "guided_reveal_letter")
    assert first.subject in gw.letter_screen.paper.toPlainText()
    assert progress(gw) == "Stap 4 van 5"
    todo = do_step(qtbot, gw, "todo_text")
    assert todo.text() == first.what_to_do
    next_step(qtbot, gw)
    next_step(qtbot, gw)  # "Klaar"
    assert f"We hebben samen de brief van {first.sender} gelezen." in gw.panel.done_list.text()

    # Leaving the letter covers it again; the next letter starts covered.
    click(qtbot, gw.home_button)
    gw.open_letter(letters[1].id)
    assert gw.letter_cover.covered and gw.letter_screen.paper.toPlainText() == ""

    text = print_and_read(qtbot, gw)
    assert f"{first.sender}: {' '.join(first.what_to_do.split())}" in text
    if first.deadline:
        from app.plain import format_date

        assert f"Uiterlijk {format_date(first.deadline)}" in text
    assert letters[1].sender + ":" not in text or letters[1].sender == first.sender
    end_session(qtbot, gw)


# -- cover, keyboard, names ------------------------------------------------------------
def test_letter_text_never_shows_before_laat_zien_in_visitor_mode(qtbot, gw):
    start(qtbot, gw, "letter", training=False)
    session = gw.session
    for letter in session.table():
        gw.open_letter(letter.id)
        assert gw.letter_cover.covered
        texts = shown_texts(gw)
        for secret in (letter.subject, letter.body, letter.summary):
            assert secret not in texts
        assert not gw.letter_screen.print_button.isVisible()
        assert (
            gw.letter_screen.read_aloud_text().strip() == ""
            or letter.body not in gw.letter_screen.read_aloud_text()
        )
        gw.go_home()


def test_pause_has_no_timer_and_back_goes_back(qtbot, gw):
    start(qtbot, gw, "mandate")
    next_step(qtbot, gw)
    assert progress(gw) == "Stap 2 van 3"
    click(qtbot, gw.panel.back)
    assert progress(gw) == "Stap 1 van 3" and not gw.panel.back.isEnabled()
    click(qtbot, gw.panel.pause)
    assert gw.panel.pages.currentIndex() == GuidePanel.PAUSED
    qtbot.wait(50)
    assert gw.panel.pages.currentIndex() == GuidePanel.PAUSED  # nothing moves by itself
    click(qtbot, gw.panel.resume)
    assert progress(gw) == "Stap 1 van 3"


def focused():
    return QApplication.focusWidget()


def press(qtbot, key=Qt.Key.Key_Space):
    qtbot.keyClick(focused(), key)


def tab_to(qtbot, widget, limit=80):
    for _ in range(limit):
        if focused() is widget:
            return
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {widget.objectName()}")


def test_keyboard_only_walks_script_1(qtbot, gw):
    assert focused() is gw.panel.visitor_button
    tab_to(qtbot, gw.panel.training_button)
    press(qtbot)
    assert focused() is gw.panel.script_buttons[0][1]  # "Staat de Berichtenbox aan?"
    press(qtbot)
    assert focused() is gw.panel.next
    for expected in ("open_account_status", "status_answer", "nav_home"):
        tab_to(qtbot, gw.panel.to_target)
        press(qtbot)  # "Naar de knop"
        target = gw.controller.target_widget()
        assert target.objectName() == expected
        if target.focusPolicy() != Qt.FocusPolicy.NoFocus and isinstance(target, QAbstractButton):
            assert focused() is target
            step = progress(gw)
            press(qtbot)  # press the control itself
            if expected != "nav_home":  # the guide moved on; the last step waits
                assert progress(gw) != step
                qtbot.keyClick(focused(), Qt.Key.Key_F6)  # back to the guide
                assert focused() is gw.panel.next
                continue
        qtbot.keyClick(focused(), Qt.Key.Key_F6)  # back to the guide
        assert gw.panel.isAncestorOf(focused())
        tab_to(qtbot, gw.panel.next)
        press(qtbot)
    assert gw.panel.pages.currentIndex() == GuidePanel.DONE
    assert focused() is gw.panel.done_print
    press(qtbot)
    assert gw.last_pdf is not None and gw.last_pdf.exists()
    tab_to(qtbot, gw.panel.done_end)
    press(qtbot)
    assert focused() is gw.panel.end_no
    tab_to(qtbot, gw.panel.end_yes)
    folder = gw.visit.folder
    press(qtbot)
    assert not folder.exists()


def test_no_unnamed_controls_and_big_targets_on_every_guide_page(qtbot, gw):
    from a11y_support import focusable_widgets, settle, small_targets, unnamed_controls

    start(qtbot, gw, "letter")
    checked = 0
    for screen in (gw.table_screen, gw.letter_screen):
        if screen is gw.letter_screen:
            gw.open_letter(gw.session.table()[0].id)
        for page in range(gw.panel.pages.count()):
            gw.panel.pages.setCurrentIndex(page)
            settle()
            assert unnamed_controls(gw) == [], (screen, page)
            assert small_targets(gw) == [], (screen, page)
            for w in focusable_widgets(gw):
                name = w.accessibleName() or (w.text() if isinstance(w, QAbstractButton) else "")
                assert name.strip(), (page, w.objectName(), type(w).__name__)
                checked += 1
    assert checked > 40


def test_every_shown_script_text_passes_through_gettext(qtbot, gw, monkeypatch):
    import re

    def shout(message):  # upper case, but keep %(name)s placeholders intact
        parts = re.split(r"(%\(\w+\)[a-z]|%%)", message)
        return "".join(p if p.startswith("%") else p.upper() for p in parts)

    class Shouting:
        def gettext(self, message):
            return shout(message)

        def ngettext(self, singular, plural, n):
            return shout(singular if n == 1 else plural)

    start(qtbot, gw, "status")
    monkeypatch.setattr(i18n, "_translation", Shouting())
    gw.retranslate_ui()
    assert (
        gw.panel.parts["say"][1].text()
        == "WE GAAN KIJKEN OF UW BERICHTENBOX AAN STAAT. KIJKEN ZET NIETS AAN."
    )
    assert gw.panel.parts["do"][0].text() == "DOE"
    assert gw.panel.step_title.text() == "STAAT DE BERICHTENBOX AAN?"
    assert gw.panel.script_abouts[0][1].text().isupper()


def test_closing_the_window_ends_the_visit(qtbot, gw):
    start(qtbot, gw, "letter")
    folder = gw.visit.folder
    assert folder.exists()
    gw.close()
    assert not folder.exists() and gw.visit.ended


def test_handout_document_is_large_print(gw):
    from ui.guided.handout import HANDOUT_POINT_SIZE, handout_document

    doc = handout_document(gw.controller.handout(), gw.session.today())
    assert isinstance(doc.document, QTextDocument)
    sizes = set()
    block = doc.document.begin()
    while block.isValid():
        for fmt in block.textFormats():
            sizes.add(fmt.format.fontPointSize())
        block = block.next()
    assert min(sizes) >= HANDOUT_POINT_SIZE >= 16
