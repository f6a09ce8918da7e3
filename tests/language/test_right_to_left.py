"""Right to left in Arabic: bullets on the right, each value next to its name.

Real windows offscreen, the language switched as a person does (the "Taal /
Language" button, then the row of the language), and what Qt draws is looked at
in pixels: where the ink of a label starts and ends.
"""

from __future__ import annotations

import itertools

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QPoint, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget

import finders
from app import i18n
from app.session import Session
from practice_folder import practice_copy
from ui.shell import qt_language, theme
from ui.shell.main_window import MainWindow

pytestmark = pytest.mark.gui

RIGHT_TO_LEFT_MARK = "\u200f"


@pytest.fixture(autouse=True)
def back_to_dutch_qt():
    """Qt's side of the language is global: leave it as we found it (as in
    tests/language/test_i18n_ui.py)."""
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    yield
    i18n.set_language("nl")
    qt_language.clear_qt_language(QApplication.instance())
    QCoreApplication.removePostedEvents(None, QEvent.Type.LanguageChange)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def kees_window(qtbot, data_dir, today, tmp_path):
    """Kees: his Berichtenbox is on, five organisations send him digital post."""
    practice_copy(data_dir, today, person_id="kees")
    session = Session.open_practice(data_dir, person_id="kees", today=today)
    theme.apply(QApplication.instance(), 100)
    window = MainWindow(session, pdf_folder=tmp_path / "pdf")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.close()
    QCoreApplication.removePostedEvents(None, QEvent.Type.LanguageChange)
    session.close()


def click(qtbot, widget: QWidget) -> None:
    assert widget.isVisible() and widget.isEnabled(), widget.objectName()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def choose(qtbot, window, code: str) -> None:
    click(qtbot, finders.widget(window, QPushButton, "open_settings"))
    click(qtbot, finders.widget(window, QPushButton, "language_button"))
    language = finders.screen(window, "language_screen")
    assert window.current_screen() is language
    click(qtbot, finders.widget(language, QPushButton, f"language_{code}"))
    QApplication.processEvents()


def ink_columns(image: QImage, top: int = 0, bottom: int | None = None) -> list[int]:
    """The x of every column between ``top`` and ``bottom`` where something is drawn:
    a pixel clearly darker than the label's background (its top left corner; a label
    without a background of its own grabs transparent, then its ink is what is opaque)."""
    bottom = image.height() if bottom is None else bottom
    corner = image.pixelColor(0, 0)
    background = corner.lightness() if corner.alpha() == 255 else 255

    def ink(x: int, y: int) -> bool:
        pixel = image.pixelColor(x, y)
        return pixel.alpha() > 128 and pixel.lightness() < background - 80

    return [x for x in range(image.width()) if any(ink(x, y) for y in range(top, bottom))]


# -- the status screen: bullet lines ---------------------------------------------------


def open_status(qtbot, window) -> QLabel:
    window.go_home()
    click(qtbot, finders.widget(window, QPushButton, "open_account_status"))
    status = finders.screen(window, "status_screen")
    assert window.current_screen() is status
    QApplication.processEvents()
    return finders.widget(status, QLabel, "status_details")


def bullet_lines(details: QLabel) -> list[str]:
    return [line for line in details.text().split("\n") if "\u2022" in line]


def test_bullet_lines_run_right_to_left_in_arabic(qtbot, kees_window):
    choose(qtbot, kees_window, "ar")
    details = open_status(qtbot, kees_window)
    assert details.isRightToLeft()
    lines = bullet_lines(details)
    assert "Belastingdienst" in "".join(lines) and len(lines) == 5
    # Every bullet line starts with the mark, so its paragraph runs right to left.
    assert all(line.startswith(RIGHT_TO_LEFT_MARK) for line in lines), lines
    # And Qt draws it so: on each bullet line the bullet is the rightmost ink, the
    # Dutch name to its left. Line by line: the label's lines are of equal height.
    image = details.grab().toImage()
    all_lines = details.text().split("\n")
    height = image.height() / len(all_lines)
    for index, line in enumerate(all_lines):
        if "\u2022" not in line:
            continue
        top, bottom = round(index * height), round((index + 1) * height)
        ink = ink_columns(image, top, bottom)
        # The bullet is a small blob on its own: the rightmost run of ink.
        runs = _runs(ink)
        bullet = runs[-1]
        name = line.split("\u2022", 1)[1].strip()
        assert bullet[1] - bullet[0] < details.fontMetrics().horizontalAdvance(name) / 2, line
        assert bullet[1] >= image.width() - details.fontMetrics().horizontalAdvance("  \u2022 "), (
            f"the bullet of {name!r} is not at the right edge: ink runs {runs}, "
            f"label {image.width()} wide"
        )


def test_bullet_lines_stay_left_to_right_in_dutch(qtbot, kees_window):
    details = open_status(qtbot, kees_window)
    assert all(not line.startswith(RIGHT_TO_LEFT_MARK) for line in details.text().split("\n"))
    image = details.grab().toImage()
    runs = _runs(ink_columns(image, 0, image.height()))
    assert runs[0][0] < details.fontMetrics().horizontalAdvance("  \u2022 ")


def _runs(columns: list[int], join: int = 3) -> list[tuple[int, int]]:
    """Consecutive columns joined into (first, last) runs; gaps of up to ``join`` px are
    the room between letters of a word, wider ones split."""
    runs: list[tuple[int, int]] = []
    for x in columns:
        if runs and x - runs[-1][1] <= join:
            runs[-1] = (runs[-1][0], x)
        else:
            runs.append((x, x))
    return runs


def _words(letters: list[tuple[int, int]], count: int) -> list[tuple[int, int]]:
    """Runs of ink joined into ``count`` words: the widest gaps are the spaces."""
    gaps = sorted(range(1, len(letters)), key=lambda i: letters[i][0] - letters[i - 1][1])
    starts = sorted(gaps[-(count - 1) :]) if count > 1 else []
    bounds = [0, *starts, len(letters)]
    return [(letters[a][0], letters[b - 1][1]) for a, b in itertools.pairwise(bounds)]


# -- the letter screen: Kenmerk / Bellen next to their values --------------------------


def open_letter_with_facts(window):
    """The first letter on the table with a reference and a phone number."""
    letter = next(entry for entry in window.session.table() if entry.reference and entry.phone)
    window.open_letter(letter.id)
    screen = finders.screen(window, "letter_screen")
    assert window.current_screen() is screen
    QApplication.processEvents()
    return screen, letter


def cell(widget: QLabel, parent: QWidget) -> tuple[int, int]:
    """Left and right x of ``widget`` itself, in ``parent``'s coordinates."""
    left = widget.mapTo(parent, QPoint(0, 0)).x()
    return left, left + widget.width() - 1


def ink_span(widget: QLabel, parent: QWidget) -> tuple[int, int]:
    """Left and right x of the drawn text of ``widget``, in ``parent``'s coordinates."""
    ink = ink_columns(widget.grab().toImage())
    assert ink, f"{widget.objectName()} draws nothing"
    origin = widget.mapTo(parent, QPoint(0, 0)).x()
    return origin + ink[0], origin + ink[-1]


@pytest.mark.parametrize("code", ["nl", "ar"])
def test_each_value_sits_next_to_its_name(qtbot, kees_window, code):
    if code != "nl":
        choose(qtbot, kees_window, code)
    screen, letter = open_letter_with_facts(kees_window)
    box = screen.todo_box
    for key in ("reference", "phone", "action", "deadline"):
        name, value = screen.fact_labels[key]
        assert value.isVisible(), key
        # The names form a column (the widest name sets its width); the value's text
        # starts right at that column, on the side of the name.
        name_left, name_right = cell(name, box)
        value_left, value_right = ink_span(value, box)
        if code == "ar":
            gap = name_left - value_right  # the value stands to the left of its name
        else:
            gap = value_left - name_right
        assert 0 <= gap < 40, f"{code} {key}: {gap} px between name and value"


def test_latin_values_read_left_to_right_on_the_right_in_arabic(qtbot, kees_window):
    choose(qtbot, kees_window, "ar")
    screen, letter = open_letter_with_facts(kees_window)
    _name, phone = screen.fact_labels["phone"]
    # Kept left to right inside: "020 656 56 56" and not "56 56 656 020".
    assert phone.text() == f"\u2066{letter.phone}\u2069"
    # And drawn so: the groups of digits stand in their own order, the long group of
    # three first (at the left), the short groups of two last.
    groups = letter.phone.split()
    assert len(groups[0]) > len(groups[-1])
    letters = _runs(ink_columns(phone.grab().toImage()))
    words = _words(letters, len(groups))
    widths = [last - first for first, last in words]
    assert widths[0] > widths[-1], f"the number is drawn back to front: {words}"
    # Read aloud without the marks.
    assert f"{_name.text()} {letter.phone}" in screen.read_aloud_text()
