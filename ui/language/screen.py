"""Choose the language: a button on the settings screen, a screen with one big row per language.

Each language is shown in its own name ("Deutsch", "Türkçe", "العربية"), so a
person finds their own language whatever the screen is in now. The button on
the settings screen always says "Language" as well, for the same reason.

A choice takes effect at once, without a restart:

* :func:`app.i18n.set_language` switches the gettext catalog;
* Qt's own translations (``qtbase_<lang>.qm``: the buttons of standard dialogs)
  are swapped on the application, which sends every window a
  ``QEvent.LanguageChange``; :class:`ui.shell.main_window.MainWindow` answers it with
  ``retranslate_ui()``, which calls every screen's ``retranslate_ui()``;
* the layout direction of the application follows (right to left for Arabic);
  both are ``ui/shell/qt_language.py``;
* the choice is stored on the desk (setting ``language``); ``ui/shell/main.py`` reads
  it at the next start.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication, QGridLayout, QPushButton, QSizePolicy

from app import i18n
from app.i18n import gettext as _
from ui.shell.qt_language import apply_qt_language
from ui.shell.widgets import Screen, button, label

LANGUAGE_KEY = "language"


def change_language(window, language: str) -> str:
    """Switch the whole app to ``language`` now and remember it. Returns the language in use."""
    language = i18n.set_language(language)
    window.session.set_setting(LANGUAGE_KEY, language)
    app = QApplication.instance()
    apply_qt_language(app)
    # Swapping Qt's translator makes Qt post a LanguageChange for every window (dialogs
    # are made on demand, so that is this one). Deliver one to this window now instead
    # (Qt passes it on to every child widget), so every text is in the new language
    # before we return, whether or not Qt had anything to swap (an empty qtbase_en.qm
    # sends nothing). Qt takes no receiver (nullptr) as "every receiver"; the stubs
    # do not say so.
    QCoreApplication.removePostedEvents(None, QEvent.Type.LanguageChange)  # type: ignore[arg-type]
    QCoreApplication.sendEvent(window, QEvent(QEvent.Type.LanguageChange))
    return language


class LanguageScreen(Screen):
    """One big button per language, each in its own name; the current one is marked."""

    def __init__(self, window, parent=None):
        super().__init__(window, parent)
        self.heading = label(role="title", name="language_title")
        self.intro = label(role="summary", name="language_intro")
        self.done = label(name="language_done")
        self.done.hide()
        self.layout_.addWidget(self.heading)
        self.layout_.addWidget(self.intro)
        self.layout_.addWidget(self.done)  # the confirmation, right above the rows

        # Two columns of big buttons, in reading order (mirrored for Arabic). No scroll
        # area of its own: the main window scrolls every screen vertically. Kept low,
        # because the screen stack is as tall as its tallest page.
        rows = QGridLayout()
        rows.setContentsMargins(0, 0, 0, 0)
        rows.setSpacing(10)
        self.rows: dict[str, QPushButton] = {}
        for index, (code, own_name) in enumerate(i18n.LANGUAGES.items()):
            row = button(own_name, name=f"language_{code}", secondary=True)
            row.setCheckable(True)
            row.setAutoExclusive(True)
            # The name is in its own language: let Qt lay it out that way.
            row.setLayoutDirection(
                Qt.LayoutDirection.RightToLeft
                if code in i18n.RIGHT_TO_LEFT
                else Qt.LayoutDirection.LeftToRight
            )
            row.clicked.connect(lambda _checked=False, c=code: self.choose(c))
            row.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            rows.addWidget(row, index // 2, index % 2)
            self.rows[code] = row
        self.layout_.addLayout(rows)
        self.layout_.addStretch(1)
        self.retranslate_ui()

    def title(self) -> str:
        return _("Taal")

    def help_text(self) -> str:
        return _(
            "Hier kiest u de taal van Brieventafel. "
            "Klik op uw taal. Alles verandert meteen. "
            "De brieven zelf blijven in het Nederlands."
        )

    def retranslate_ui(self) -> None:
        self.heading.setText(_("Kies uw taal"))
        self.intro.setText(_("Elke taal staat in haar eigen woorden. Klik op uw taal."))
        self.done.setText(_("De taal is veranderd. De brieven zelf blijven in het Nederlands."))
        current = i18n.language()
        for code, row in self.rows.items():
            row.setChecked(code == current)
            row.setAccessibleDescription(_("Dit is de taal nu.") if code == current else "")

    def refresh(self) -> None:
        self.done.hide()
        self.rows[i18n.language()].setChecked(True)

    def first_focus(self):
        return self.rows[i18n.language()]

    def choose(self, language: str) -> None:
        change_language(self.window_, language)
        self.done.show()
        self.rows[language].setFocus(Qt.FocusReason.OtherFocusReason)


class LanguageFeature(QObject):
    """The screen (built when first shown) and its button "Taal / Language" on the
    settings screen (put there when that screen is built)."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        window.add_screen_factory("language_screen", lambda: LanguageScreen(window))
        self.top_button = button("", name="language_button", secondary=True)
        self.top_button.clicked.connect(lambda: window.show_screen("language_screen"))
        self.top_button.installEventFilter(self)
        self.retranslate_ui()
        window.when_built("settings_screen", self._on_settings_built)

    def _on_settings_built(self, settings) -> None:
        settings.add_language_control(self.top_button)
        self.retranslate_ui()  # in the language of now

    @property
    def screen(self) -> LanguageScreen:
        return self.window.screen_named("language_screen")

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt API
        if watched is self.top_button and event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        return False

    def retranslate_ui(self) -> None:
        # TRANSLATORS: keep "Language" in English after your own word, so anyone finds it.
        self.top_button.setText(_("Taal / Language"))
        self.top_button.setAccessibleName(_("Taal / Language"))


def install(window) -> LanguageFeature:
    return LanguageFeature(window)
