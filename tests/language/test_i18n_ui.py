"""Changing the language in the app: at once, everywhere, remembered, and it still fits.

Driven like a person would: the "Taal / Language" button in the top bar, then
one big row per language.
"""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QPoint, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QPushButton,
    QScrollArea,
    QWidget,
)

import finders
from app import i18n
from app.i18n_tools import po_path, read_catalog
from app.session import Session
from ui.shell import qt_language, theme

pytestmark = pytest.mark.gui

OTHERS = [code for code in i18n.LANGUAGES if code != "nl"]


@pytest.fixture(autouse=True)
def back_to_dutch_qt():
    """Qt's side (translator, direction) is global too: leave it as we found it.

    Windows of earlier tests that are closed but not yet deleted would get the
    LanguageChange too (with their session closed): delete them first.
    """
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    yield
    i18n.set_language("nl")
    qt_language.clear_qt_language(QApplication.instance())
    # The windows of this test are closed: they need no more LanguageChange.
    QCoreApplication.removePostedEvents(None, QEvent.Type.LanguageChange)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def click(qtbot, widget):
    assert widget.isVisible() and widget.isEnabled(), widget.objectName()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def top_button(window) -> QPushButton:
    """ "Taal / Language" on the settings screen ("Instellingen" in the top bar)."""
    return finders.widget(window, QPushButton, "language_button")


def open_language(qtbot, window) -> None:
    """Instellingen in the top bar, then "Taal / Language"."""
    click(qtbot, finders.widget(window.top_bar_row, QPushButton, "open_settings"))
    click(qtbot, top_button(window))


def language_screen(window):
    return finders.screen(window, "language_screen")


def language_row(window, code: str) -> QPushButton:
    """The big button of one language on the language screen."""
    return finders.widget(language_screen(window), QPushButton, f"language_{code}")


def choose(qtbot, window, code):
    open_language(qtbot, window)
    assert window.current_screen() is language_screen(window)
    click(qtbot, language_row(window, code))


def translations(code: str) -> dict[str, str]:
    """Dutch msgid -> text in ``code``, for every string that reads differently there."""
    table = {}
    for message in read_catalog(po_path(code), code):
        if message.id and isinstance(message.id, str) and message.string != message.id:
            table[message.id] = message.string
    return table


def all_texts(window) -> list[tuple[str, str]]:
    """Every text the window holds, shown or not: (objectName, text)."""
    texts = [("window_title", window.windowTitle())]
    for widget in window.findChildren(QWidget):
        name = widget.objectName() or type(widget).__name__
        if isinstance(widget, (QAbstractButton, QLabel)):
            texts.append((name, widget.text()))
        texts.append((name, widget.accessibleName()))
        texts.append((name, widget.accessibleDescription()))
    return [(n, t) for n, t in texts if t]


def test_language_is_one_press_from_the_top_bar_in_every_language(window):
    settings = finders.widget(window.top_bar_row, QPushButton, "open_settings")
    assert window.top_bar.indexOf(settings) >= 0
    on_settings = finders.screen(window, "settings_screen")  # built when first shown
    top = top_button(window)
    assert on_settings.isAncestorOf(top)
    assert top.text() == "Taal / Language"
    for code in OTHERS:
        i18n.set_language(code)
        assert "Language" in i18n.gettext("Taal / Language"), code


def test_each_language_is_offered_in_its_own_name(qtbot, window):
    open_language(qtbot, window)
    shown = language_screen(window)
    assert window.current_screen() is shown
    rows = {code: language_row(window, code) for code in i18n.LANGUAGES}
    assert [rows[c].text() for c in i18n.LANGUAGES] == list(i18n.LANGUAGES.values())
    assert rows["nl"].isChecked()
    assert shown.first_focus() is rows["nl"]
    assert window.focusWidget() is rows["nl"]
    # Large targets: half the screen wide (two columns), at least 44 px high.
    for row in rows.values():
        assert row.height() >= theme.MIN_TARGET_PX
        assert row.width() >= shown.width() // 3


def test_choosing_a_language_changes_everything_at_once_and_is_remembered(
    qtbot, window, session, data_dir, today
):
    choose(qtbot, window, "de")
    german = translations("de")
    assert i18n.language() == "de"
    assert window.home_button.text() == german["Tafel"]
    chooser = language_screen(window)
    assert finders.widget(chooser, QLabel, "language_title").text() == german["Kies uw taal"]
    assert finders.widget(chooser, QLabel, "language_done").isVisible()
    assert language_row(window, "de").isChecked()
    assert german["Taal"] in window.windowTitle()
    # Qt's own standard buttons too.
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Abbrechen"
    # Remembered on the desk; the next start reads it there.
    assert session.setting("language") == "de"
    session.close()
    again = Session.open_practice(data_dir, today=today)
    try:
        assert again.setting("language", "nl") == "de"
    finally:
        again.close()


def test_home_and_the_table_follow_the_language(qtbot, window):
    choose(qtbot, window, "en")
    click(qtbot, window.home_button)
    english = translations("en")
    assert window.table_screen.heading.text() == english["Uw brieven op tafel"]
    assert not window.table_screen.summary.text().startswith("Er ")
    assert window.table_screen.open_button.text() == english["Brief openen"]
    choose(qtbot, window, "nl")
    assert window.home_button.text() == "Tafel"
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Annuleren"


def test_arabic_lays_out_the_whole_window_right_to_left(qtbot, window):
    choose(qtbot, window, "ar")
    app = QApplication.instance()
    assert window.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert app.layoutDirection() == Qt.LayoutDirection.RightToLeft
    qtbot.wait(1)
    # The top bar starts at the right: "Tafel" stands right of "Terug".
    home = window.home_button.mapTo(window, QPoint(0, 0)).x()
    back = window.back_button.mapTo(window, QPoint(0, 0)).x()
    assert home > back
    choose(qtbot, window, "nl")
    assert window.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert app.layoutDirection() == Qt.LayoutDirection.LeftToRight


def test_a_language_change_event_reaches_every_screen(qtbot, window):
    # Whoever changes the language (or Qt itself), a LanguageChange retranslates the window.
    i18n.set_language("tr")
    QCoreApplication.sendEvent(window, QEvent(QEvent.Type.LanguageChange))
    turkish = translations("tr")
    assert window.home_button.text() == turkish["Tafel"]
    assert window.table_screen.heading.text() == turkish["Uw brieven op tafel"]


def _visit_every_screen(window):
    """Show each screen once (a letter open, help for the table), yielding it."""
    first = window.session.table()[0]
    window.open_letter(first.id)
    for screen in list(window.build_all_screens()):
        if screen is window.help_screen:
            window.go_home()
            window.show_help()
        else:
            window.show_screen(screen)
        QApplication.processEvents()
        yield screen


@pytest.mark.parametrize("code", OTHERS)
def test_no_dutch_is_left_after_switching(qtbot, window, code):
    choose(qtbot, window, code)
    table = translations(code)
    left = set()
    for _screen in _visit_every_screen(window):
        left |= {(name, text) for name, text in all_texts(window) if text in table}
    assert sorted(left) == []


def _horizontally_inside(widget: QWidget, window) -> bool:
    """Is the widget's whole width inside every ancestor up to the window (nothing cut off)?"""
    left, right = 0, widget.width()
    child = widget
    parent = widget.parentWidget()
    while child is not window and parent is not None:
        origin = child.mapTo(parent, QPoint(0, 0)).x()
        left, right = left + origin, right + origin
        if left < 0 or right > parent.width():
            return False
        child, parent = parent, parent.parentWidget()
    return True


def _problems(window) -> list[str]:
    problems = []
    for area in window.findChildren(QScrollArea):
        if (
            area.isVisible()
            and area.widget() is not None
            and area.widget().width() > area.viewport().width()
        ):
            problems.append(f"{area.objectName()}: wider than its view")
    for button in window.findChildren(QPushButton):
        if not button.isVisible() or not button.text():
            continue
        if button.width() < button.sizeHint().width() or not _horizontally_inside(button, window):
            problems.append(f"button {button.objectName()}: {button.text()!r}")
    for text_label in window.findChildren(QLabel):
        if not text_label.isVisible() or not text_label.text():
            continue
        room = text_label.contentsRect().width()
        metrics = text_label.fontMetrics()
        if text_label.wordWrap():
            needed = max(metrics.horizontalAdvance(w) for w in text_label.text().split() or [""])
        else:
            needed = text_label.sizeHint().width() - (text_label.width() - room)
        if needed > room or not _horizontally_inside(text_label, window):
            problems.append(f"label {text_label.objectName()}: {text_label.text()[:60]!r}")
    return problems


@pytest.mark.parametrize("code", list(i18n.LANGUAGES))
def test_every_screen_fits_at_200_percent(qtbot, window, code):
    window.set_scale(theme.MAX_SCALE)
    choose(qtbot, window, code)
    window.showNormal()
    window.resize(1280, 652)  # a 1280 x 720 laptop, less the desktop's bar and the title
    QApplication.processEvents()
    assert window.width() <= 1280, "the window cannot be as narrow as 1280 px"
    problems = []
    for screen in _visit_every_screen(window):
        problems += [f"{type(screen).__name__}: {p}" for p in _problems(window)]
    assert sorted(set(problems)) == [], "\n".join(sorted(set(problems)))


def test_fit_check_catches_a_button_that_is_cut_off(qtbot, window):
    # The check itself can fail: a button squeezed below its text.
    window.set_scale(theme.MAX_SCALE)
    QApplication.processEvents()
    button = window.table_screen.open_button
    button.setText("Dit is een heel lange knoptekst die nergens meer past " * 3)
    button.setFixedWidth(200)
    QApplication.processEvents()
    assert any("open_letter" in p for p in _problems(window))


def test_placeholder_names_in_the_ui_are_plain_words():
    # Guard for the measure in test_plain_dutch: placeholders are named, never positional.
    from app.i18n_tools import POT

    text = POT.read_text(encoding="utf-8")
    assert not re.search(r'msgid ".*%[sd]', text)
