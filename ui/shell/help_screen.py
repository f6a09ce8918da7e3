"""Help for the screen the person came from, in plain words. Reading it changes nothing."""

from __future__ import annotations

from app.i18n import gettext as _
from ui.shell.widgets import Screen, label


class HelpScreen(Screen):
    def __init__(self, window, parent=None):
        super().__init__(window, parent)
        self.heading = label(role="title", name="help_title")
        self.about = label(role="summary", name="help_about")
        self.general = label(name="help_general")
        for widget in (self.heading, self.about, self.general):
            self.layout_.addWidget(widget)
        self.layout_.addStretch(1)
        self._for = None
        self.retranslate_ui()

    def title(self) -> str:
        return _("Hulp")

    def show_for(self, screen) -> None:
        self._for = screen
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.heading.setText(self.title())
        self.about.setText(self._for.help_text() if self._for is not None else "")
        self.general.setText(
            _(
                "Bovenaan staan altijd drie knoppen. 'Tafel' brengt u naar uw brieven. "
                "'Terug' gaat een stap terug. 'Hulp' legt het scherm uit. "
                "Bij 'Instellingen' maakt u de tekst groter. "
                "U kunt alles ook met het toetsenbord doen: Tab gaat naar de volgende knop."
            )
        )
