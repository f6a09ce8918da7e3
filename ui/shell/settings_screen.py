"""Text size, contrast and language: set once, on one screen, not in the top bar.

The top bar keeps one row at 200 % text because these controls live here; one
button in the top bar ("Instellingen") opens this screen. Each change takes
effect at once and is remembered on the desk.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout

from app.i18n import gettext as _
from ui.shell import theme
from ui.shell.widgets import FlowLayout, Screen, box, button, label


class SettingsScreen(Screen):
    def __init__(self, window, parent=None):
        super().__init__(window, parent)
        self.heading = label(role="title", name="settings_title")
        self.layout_.addWidget(self.heading)

        size_box = box()
        size_layout = QHBoxLayout(size_box)
        size_layout.setContentsMargins(16, 12, 16, 12)
        self.size_heading = label(role="summary", name="settings_size_heading")
        self.layout_.addWidget(self.size_heading)
        row = FlowLayout()
        self.smaller_button = button("", name="text_smaller", secondary=True)
        self.scale_label = label(name="text_scale")
        self.scale_label.setWordWrap(False)
        self.larger_button = button("", name="text_larger", secondary=True)
        for widget in (self.smaller_button, self.scale_label, self.larger_button):
            row.addWidget(widget)
        size_layout.addLayout(row, 1)
        self.layout_.addWidget(size_box)

        self.contrast_heading = label(role="summary", name="settings_contrast_heading")
        self.layout_.addWidget(self.contrast_heading)
        self.contrast_button = button("", name="high_contrast", secondary=True)
        self.contrast_button.setCheckable(True)
        contrast_row = FlowLayout()
        contrast_row.addWidget(self.contrast_button)
        self.layout_.addLayout(contrast_row)

        self.language_heading = label(role="summary", name="settings_language_heading")
        self.layout_.addWidget(self.language_heading)
        #: the language feature (ui/language/screen.py) puts its button here
        self.language_row = FlowLayout()
        self.layout_.addLayout(self.language_row)
        self.layout_.addStretch(1)

        self.smaller_button.clicked.connect(
            lambda: window.set_scale(window.scale - theme.SCALE_STEP)
        )
        self.larger_button.clicked.connect(
            lambda: window.set_scale(window.scale + theme.SCALE_STEP)
        )
        self.contrast_button.toggled.connect(window.set_high_contrast)
        self.retranslate_ui()

    def title(self) -> str:
        return _("Instellingen")

    def help_text(self) -> str:
        return _(
            "Hier maakt u de tekst groter of kleiner. "
            "U kiest ook hoog contrast en uw taal. "
            "Alles verandert meteen. Brieventafel onthoudt het."
        )

    def retranslate_ui(self) -> None:
        self.heading.setText(self.title())
        self.size_heading.setText(_("Grootte van de tekst"))
        self.smaller_button.setText(_("Tekst kleiner"))
        self.larger_button.setText(_("Tekst groter"))
        self.contrast_heading.setText(_("Contrast"))
        self.contrast_button.setText(_("Hoog contrast"))
        self.contrast_button.setAccessibleDescription(_("Witte letters op een zwarte achtergrond."))
        self.language_heading.setText(_("Taal"))
        self.update_scale(self.window_.scale)

    def update_scale(self, scale: int) -> None:
        self.scale_label.setText(_("Tekst %(percent)d%%") % {"percent": scale})
        self.smaller_button.setEnabled(scale > theme.MIN_SCALE)
        self.larger_button.setEnabled(scale < theme.MAX_SCALE)

    def first_focus(self):
        return self.larger_button if self.larger_button.isEnabled() else self.smaller_button
