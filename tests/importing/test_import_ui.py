"""Papieren brief toevoegen on screen (issue 15): the calm confirm screen.

Real files (PDFs made here by QPdfWriter, a PDF cut in half), a real desk (the
practice session's SQLite in tmp_path), the real QFileDialog (Qt's own, typed
into as a person does), real drag-and-drop events sent to the window."""

from __future__ import annotations

import paper_letters as P  # noqa: N812
import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, QSize, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget

from a11y_support import table_ids
from app.importing import ImportCode, problem_text
from app.model import PAPER
from fit import fit_problems_at
from ui.importing.feature import ImportFeature
from ui.importing.screen import parse_amount

pytestmark = pytest.mark.gui

SIZES = [QSize(1366, 700), QSize(1280, 652)]
STRANGER = (
    "Stichting De Linde\n\nGeachte heer De Vries,\n\nWij nodigen u uit voor de"
    " jaarvergadering van onze vereniging in het buurthuis.\n\nMet vriendelijke groet"
)


def press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier) -> QWidget:
    focus = QApplication.focusWidget()
    assert focus is not None
    qtbot.keyClick(focus, key, modifier)
    QApplication.processEvents()
    now = QApplication.focusWidget()
    assert now is not None
    return now


def tab_to(qtbot, name: str, limit: int = 40) -> list[str]:
    """Tab until the focus is on the widget called name; the names passed."""
    seen = []
    for _ in range(limit):
        focus = QApplication.focusWidget()
        if focus is not None and focus.objectName() == name:
            return seen
        seen.append(focus.objectName() if focus is not None else "")
        press(qtbot, Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {name}: {seen}")


def drop(window, url: QUrl) -> tuple[bool, bool]:
    """A drag of url onto the window: (the enter accepted, the drop accepted)."""
    mime = QMimeData()
    mime.setUrls([url])
    where = QPoint(window.width() // 2, window.height() // 2)
    enter = QDragEnterEvent(
        where, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier(0)
    )
    QApplication.sendEvent(window, enter)
    dropped = QDropEvent(
        QPointF(where),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier(0),
    )
    QApplication.sendEvent(window, dropped)
    return enter.isAccepted(), dropped.isAccepted()


def import_screen(window):
    return window.features.get(ImportFeature).screen


# the offscreen platform says it cannot raise the chooser nor let the file line's
# completer popup grab the keyboard: the platform's words, not ours
@pytest.mark.qt_log_ignore(
    "^This plugin does not support raise\\(\\)$",
    "^This plugin does not support grabbing the keyboard$",
)
def test_the_whole_journey_by_keyboard(qtbot, window, tmp_path):
    """From the table: Instellingen, Papieren brief toevoegen, Kies een bestand,
    the file's name typed in Qt's chooser, the reference corrected, Op tafel leggen."""
    pdf = P.write_pdf(tmp_path / "apk.pdf", P.RDW_PAPER)
    before = table_ids(window)
    tab_to(qtbot, "open_settings")  # the top bar's "Instellingen", from the table
    press(qtbot, Qt.Key.Key_Space)
    assert window.current_screen() is window.settings_screen
    tab_to(qtbot, "settings_import")  # in its fixed bar
    press(qtbot, Qt.Key.Key_Space)
    screen = import_screen(window)
    assert window.current_screen() is screen
    assert QApplication.focusWidget().objectName() == "import_choose"  # the first action
    assert not screen.place_button.isVisible()  # nothing to lay down yet
    press(qtbot, Qt.Key.Key_Space)
    chooser = screen.findChild(QFileDialog, "import_chooser")
    assert chooser is not None
    qtbot.waitUntil(chooser.isVisible)
    chooser.activateWindow()
    qtbot.waitUntil(lambda: chooser.isAncestorOf(QApplication.focusWidget()))
    qtbot.keyClicks(QApplication.focusWidget(), str(pdf))  # Qt's file name line
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not chooser.isVisible())
    # what was found, to check
    assert screen.state == "review"
    assert screen.sender_field.text() == "RDW"
    assert screen.deadline_field.date().toString("yyyy-MM-dd") == "2027-01-15"
    assert screen.reference_field.text() == "Kenteken 7-KZS-28"
    assert screen.subject_value.text() == "APK"
    assert screen.summary.text()  # the rules' plain summary
    # back in the window, on the first action in the fixed bar
    # the offscreen platform has no window manager to give the window back its
    # activation (the file line's completer popup keeps it): done as one would
    assert window.focusWidget() is screen.place_button
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is screen.place_button)
    focus = QApplication.focusWidget()
    # Tab goes as the screen is seen: the fields top to bottom, then the bar's actions
    cycle = [focus.objectName()]
    for _ in range(60):
        name = press(qtbot, Qt.Key.Key_Tab).objectName()
        if name == "import_place":
            break
        cycle.append(name)
    # (Tab inside the date field goes day, month, year first, as Qt's date fields do)
    mine = [n for i, n in enumerate(cycle) if n.startswith("import_") and n not in cycle[:i]]
    fields = ["import_sender", "import_deadline", "import_amount", "import_reference"]
    actions = ["import_place", "import_choose", "import_cancel"]
    assert [n for n in mine if n in fields] == fields
    assert mine[:3] == actions
    ys = [
        getattr(screen, n.removeprefix("import_") + "_field").mapTo(screen, QPoint()).y()
        for n in fields
    ]
    assert ys == sorted(ys)
    # the person corrects the reference, then lays the letter on the table
    tab_to(qtbot, "import_reference")
    press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(QApplication.focusWidget(), "Kenteken 7-KZS-29")
    tab_to(qtbot, "import_place")
    press(qtbot, Qt.Key.Key_Space)
    assert window.current_screen() is window.table_screen
    ids = table_ids(window)
    assert len(ids) == len(before) + 1
    new = (set(ids) - set(before)).pop()
    assert window.table_screen.current_letter_id() == new  # the card is the chosen one
    letter = window.session.desk.letters_by_id(window.session.person.id, [new])[new]
    assert letter.source == PAPER and letter.sender == "RDW"
    assert letter.reference == "Kenteken 7-KZS-29"
    assert window.notice_label.text().startswith("De brief ligt op tafel. RDW: APK.")
    assert screen.state == "choose" and screen.imported is None


def test_a_broken_pdf_is_told_plainly_and_the_table_is_unchanged(qtbot, window, tmp_path):
    whole = P.write_pdf(tmp_path / "apk.pdf", P.RDW_PAPER).read_bytes()
    broken = tmp_path / "kapot.pdf"
    broken.write_bytes(whole[: len(whole) // 3])
    before = table_ids(window)
    assert drop(window, QUrl.fromLocalFile(str(broken))) == (True, True)
    screen = import_screen(window)
    assert window.current_screen() is screen
    assert window.notice_label.text() == problem_text(ImportCode.DAMAGED_PDF)
    assert window.notice_label.text().startswith("Deze PDF is beschadigd.")
    assert screen.state == "choose" and screen.imported is None
    assert QApplication.focusWidget() is screen.choose_button  # choose again
    assert broken.read_bytes() == whole[: len(whole) // 3]
    window.go_home()
    assert table_ids(window) == before


def test_a_checked_letter_stays_when_the_next_file_fails(qtbot, window, tmp_path):
    feature = window.features.get(ImportFeature)
    feature.open_file(P.write_pdf(tmp_path / "linde.pdf", STRANGER))
    screen = import_screen(window)
    assert screen.state == "review"
    notes = [n.text() for n in screen.note_labels]
    assert notes == ["Wij weten niet van wie deze brief is. Kijk dat goed na."]
    assert screen.sender_field.text() == "Onbekende afzender"
    screen.sender_field.setText("Stichting De Linde")
    empty = tmp_path / "leeg.pdf"
    empty.write_bytes(b"")
    feature.open_file(empty)
    assert window.notice_label.text() == problem_text(ImportCode.EMPTY)
    assert screen.state == "review" and screen.sender_field.text() == "Stichting De Linde"
    # "Niet toevoegen": nothing lies on the table, the file is as it was
    before = table_ids(window)
    screen.cancel_button.click()
    assert screen.imported is None
    window.go_home()
    assert table_ids(window) == before


def test_only_a_local_file_may_be_dropped(qtbot, window, tmp_path):
    assert drop(window, QUrl("https://example.org/brief.pdf")) == (False, False)
    assert window.current_screen() is window.table_screen
    pdf = P.write_pdf(tmp_path / "apk.pdf", P.RDW_PAPER)
    assert drop(window, QUrl.fromLocalFile(str(pdf))) == (True, True)
    assert import_screen(window).state == "review"


def test_an_amount_is_read_as_people_write_it():
    assert parse_amount("") is None
    assert parse_amount("73") == 7300
    assert parse_amount("€ 73,5") == 7350
    assert parse_amount("1.234,50") == 123450
    with pytest.raises(ValueError):
        parse_amount("zeventig")


@pytest.mark.parametrize(
    ("scale", "language"), [(100, "nl"), (200, "nl"), (100, "ar"), (200, "ar")]
)
def test_the_screen_fits(qtbot, window, tmp_path, scale, language):
    from ui.language.screen import change_language

    window.set_scale(scale)
    if language != "nl":
        change_language(window, language)
    window.showNormal()
    problems: list[str] = []

    def measure(where: str) -> None:
        problems.extend(fit_problems_at(window, where, SIZES))

    window.show_screen(window.settings_screen)
    measure("settings with its button")
    window.show_screen("import_screen")
    measure("choose")
    window.features.get(ImportFeature).open_file(P.write_pdf(tmp_path / "l.pdf", STRANGER))
    measure("review")
    import_screen(window).reference_field.setFocus()
    measure("review, the last field")
    assert problems == []
