"""Where the window opens (issue 13: "--person piet and --person monique start
on their overview"): the window asks its features for a first screen while it
is built, so the overview is there before the window is shown, only it is
built, and showing the window later never moves the person away from where
they went. A helper is not asked "Wie gebruikt Brieventafel nu?"."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QListView, QWidget

from finders import widget
from fit import settle
from ui.shell.main_window import MainWindow

pytestmark = pytest.mark.gui


def built_window(qtbot, session, tmp_path) -> MainWindow:
    window = MainWindow(session, pdf_folder=tmp_path / "pdf")
    qtbot.addWidget(window)
    return window


@pytest.mark.parametrize("helper", ["piet", "monique"])
def test_a_helper_opens_on_the_overview_before_the_window_shows(qtbot, open_as, tmp_path, helper):
    window = built_window(qtbot, open_as(helper), tmp_path)
    assert window.current_screen().objectName() == "overview_screen"
    # lazy: the overview is built, the letter, folders and help screens are not
    assert window.is_built("overview_screen")
    for name in ("letter_screen", "folders_screen", "help_screen", "access_log_screen"):
        assert not window.is_built(name), name
    window.show()
    qtbot.waitExposed(window)
    settle(window)
    assert window.current_screen().objectName() == "overview_screen"
    assert QApplication.focusWidget() is widget(window, QListView, "overview_list")


def test_showing_the_window_later_keeps_the_screen_the_person_chose(qtbot, open_as, tmp_path):
    window = built_window(qtbot, open_as("piet"), tmp_path)
    window.go_home()  # before the first frame: the table
    window.show()
    qtbot.waitExposed(window)
    settle(window)
    assert window.current_screen() is window.table_screen


@pytest.mark.parametrize("person", ["sanne", "koen"])
def test_own_post_only_opens_on_the_table_with_the_welcome(qtbot, open_as, tmp_path, person):
    window = built_window(qtbot, open_as(person), tmp_path)
    assert window.current_screen() is window.table_screen
    assert not window.is_built("overview_screen")
    window.show()
    qtbot.waitExposed(window)
    assert widget(window, QWidget, "start_choice").isVisible()


def test_a_helper_is_not_asked_who_uses_brieventafel(qtbot, helper_window):
    window = helper_window("monique")
    window.go_home()
    settle(window)
    assert not widget(window, QWidget, "start_choice").isVisible()
    # her first card is in sight at once, with nothing to answer above it
    assert window.table_screen.view.isVisible()
