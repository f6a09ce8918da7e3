"""Papieren brief toevoegen (issue 15): the way in to the import screen.

Two ways lead to the screen (ui/importing/screen.py, built when first shown):
the button "Papieren brief toevoegen" in the fixed bar of "Instellingen" (the
top bar's button, on every screen; the table's own row is full at 200 %, and
the help screen's bar takes two rows there already: a third would leave its
help text 200 px), and a file dropped on the main window (only a file on this
computer; a web address is not taken). The original of a paper letter is shown
by a third screen (ui/importing/original.py, QtPdf), opened from the letter
screen's "Origineel bekijken". This module is imported before the
first frame, so it keeps its imports light: the screen, app.importing and
pypdf load when the screen is first used.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QDragEnterEvent, QDropEvent

from app.i18n import gettext as _
from ui.shell.widgets import button

SCREEN = "import_screen"
#: the screen that shows a paper letter's kept original (ui/importing/original.py;
#: the letter screen's "Origineel bekijken" opens it by this name)
ORIGINAL = "original_screen"


def dropped_file(event: QDragEnterEvent | QDropEvent) -> Path | None:
    """The one local file a drag carries (the first when there are more);
    None for a web address, text or nothing."""
    mime = event.mimeData()
    if mime is None or not mime.hasUrls():
        return None
    for url in mime.urls():
        if url.isLocalFile() and url.toLocalFile():
            return Path(url.toLocalFile())
    return None


class ImportFeature(QObject):
    """The screen (registered, built when first shown), its button on the
    settings screen, and the window taking a dropped file."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        window.add_screen_factory(SCREEN, self._make_screen)
        window.add_screen_factory(ORIGINAL, self._make_original_screen)
        self.settings_button = button("", name="settings_import", secondary=True)
        self.settings_button.clicked.connect(self.show_screen)
        self.settings_button.installEventFilter(self)
        window.when_built("settings_screen", self._on_settings_built)
        window.setAcceptDrops(True)
        window.installEventFilter(self)
        self.retranslate_ui()

    def _make_screen(self):
        from ui.importing.screen import ImportScreen

        return ImportScreen(self.window)

    def _make_original_screen(self):
        from ui.importing.original import OriginalScreen  # QtPdf loads here, not at start

        return OriginalScreen(self.window)

    @property
    def screen(self):
        return self.window.screen_named(SCREEN)

    def show_screen(self) -> None:
        self.window.show_screen(SCREEN)

    def open_file(self, path: Path | str) -> None:
        """Show the screen and read ``path`` there (a drop, or a test)."""
        self.show_screen()
        self.screen.read(Path(path))

    def _on_settings_built(self, settings_screen) -> None:
        settings_screen.add_action(self.settings_button)
        self.retranslate_ui()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt API
        kind = event.type()
        if watched is self.settings_button and kind == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        elif watched is self.window and kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            if dropped_file(event) is not None:
                event.acceptProposedAction()
            else:
                event.ignore()
            return True
        elif watched is self.window and kind == QEvent.Type.Drop:
            path = dropped_file(event)
            if path is None:
                event.ignore()
                return True
            event.acceptProposedAction()
            self.open_file(path)
            return True
        return False

    def retranslate_ui(self) -> None:
        self.settings_button.setText(_("Papieren brief toevoegen"))
        self.settings_button.setAccessibleDescription(
            _("Voeg een PDF of een foto van een brief toe aan uw tafel.")
        )


def install(window) -> ImportFeature:
    return ImportFeature(window)
