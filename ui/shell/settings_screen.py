"""Text size, contrast and language: set once, on one screen, not in the top bar.

The top bar keeps one row at 200 % text because these controls live here; one
button in the top bar ("Instellingen") opens this screen. Each change takes
effect at once and is remembered on the desk.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QVBoxLayout

from app.i18n import gettext as _
from ui.shell import theme
from ui.shell.widgets import FlowLayout, Screen, button, label


class WideFlow(FlowLayout):
    """A row of controls that takes the whole width of its grid cell and wraps
    only when that is too narrow (the guided window's pane at 200 %)."""

    def __init__(self) -> None:
        super().__init__(spacing=12)

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 - Qt API
        return Qt.Orientation.Horizontal


class SettingsScreen(Screen):
    def __init__(self, window, parent=None):
        super().__init__(window, parent)
        self.heading = label(role="title", name="settings_title")
        self.layout_.addWidget(self.heading)
        # Three rows, each a name and its controls, so that all of it fits at 200 %.
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(20)
        grid.setVerticalSpacing(16)
        self.size_heading = label(role="factname", name="settings_size_heading")
        self.smaller_button = button("", name="text_smaller", secondary=True)
        self.scale_label = label(name="text_scale")
        self.scale_label.setWordWrap(False)
        self.larger_button = button("", name="text_larger", secondary=True)
        size_row = WideFlow()
        for widget in (self.smaller_button, self.larger_button):
            size_row.addWidget(widget)

        self.contrast_heading = label(role="factname", name="settings_contrast_heading")
        self.contrast_button = button("", name="high_contrast", secondary=True)
        self.contrast_button.setCheckable(True)
        contrast_row = WideFlow()
        contrast_row.addWidget(self.contrast_button)

        self.language_heading = label(role="factname", name="settings_language_heading")
        #: the language feature (ui/language/screen.py) puts its button here
        self.language_row = WideFlow()

        self.box_heading = label(role="factname", name="settings_box_heading")
        self.box_button = button("", name="choose_server", secondary=True)
        self.box_button.clicked.connect(lambda: window.show_screen(window.choose_server_screen))
        box_row = WideFlow()
        box_row.addWidget(self.box_button)
        for row, (name, controls) in enumerate(
            (
                (self.size_heading, size_row),
                (self.contrast_heading, contrast_row),
                (self.language_heading, self.language_row),
                (self.box_heading, box_row),
            )
        ):
            if name is self.size_heading:  # the size now under its name: "Tekst 200%"
                named = QVBoxLayout()
                named.setSpacing(2)
                named.addWidget(name)
                named.addWidget(self.scale_label)
                grid.addLayout(named, row, 0, Qt.AlignmentFlag.AlignVCenter)
            else:
                grid.addWidget(name, row, 0, Qt.AlignmentFlag.AlignVCenter)
            grid.addLayout(controls, row, 1)
        grid.setColumnStretch(1, 1)
        self.layout_.addLayout(grid)
        if getattr(window, "visit", None) is not None:  # a guided visit keeps its own box
            self.box_heading.hide()
            self.box_button.hide()
        # On a server: "Afmelden" removes the sign-in from this computer.
        self.sign_out_button = button("", name="sign_out", secondary=True)
        self.sign_out_button.setVisible(not window.session.is_practice)
        self.sign_out_button.clicked.connect(window.sign_out)
        sign_out_row = QHBoxLayout()
        sign_out_row.addWidget(self.sign_out_button)
        sign_out_row.addStretch(1)
        self.layout_.addLayout(sign_out_row)
        self.layout_.addStretch(1)

        self.smaller_button.clicked.connect(
            lambda: window.set_scale(window.scale - theme.SCALE_STEP)
        )
        self.larger_button.clicked.connect(
            lambda: window.set_scale(window.scale + theme.SCALE_STEP)
        )
        self.contrast_button.toggled.connect(window.set_high_contrast)
        self.retranslate_ui()

    def add_language_control(self, widget) -> None:
        """The language feature's button, on the language row (before its stretch)."""
        self.language_row.addWidget(widget)

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
        self.box_heading.setText(_("Berichtenbox"))
        self.box_button.setText(_("Andere Berichtenbox kiezen"))
        self.sign_out_button.setText(_("Afmelden"))
        self.sign_out_button.setAccessibleDescription(
            _("Uw aanmelding wordt van deze computer gewist. Uw brieven blijven op tafel.")
        )
        self.update_scale(self.window_.scale)

    def update_scale(self, scale: int) -> None:
        self.scale_label.setText(_("Tekst %(percent)d%%") % {"percent": scale})
        self.smaller_button.setEnabled(scale > theme.MIN_SCALE)
        self.larger_button.setEnabled(scale < theme.MAX_SCALE)

    def first_focus(self):
        return self.larger_button if self.larger_button.isEnabled() else self.smaller_button
