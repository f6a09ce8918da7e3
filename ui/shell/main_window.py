"""The main window: one screen at a time, and always Home / Back / Help in the same place."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSignalBlocker, QSize, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QHBoxLayout,
    QLineEdit,
    QMainWindow,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app import i18n, store_words
from app.i18n import gettext as _
from app.mailbox import MailboxError, SyncProgress
from app.mailbox.errors import ErrorCode
from app.problems import Doing, offline_text, problem_text
from app.session import Session
from app.storage import Notice
from app.validate import LetterNotice, unreadable_letters_text
from ui.shell import features, theme
from ui.shell.speech import ReadAloudButton
from ui.shell.tasks import Tasks
from ui.shell.widgets import (
    Screen,
    ScreenStack,
    button,
    label,
    reading_order,
    set_tab_order,
    show_in_area,
)
from ui.table.screen import TableScreen

if TYPE_CHECKING:  # built on first use: their modules load then (issue 14)
    from ui.folders.screen import FoldersScreen
    from ui.letter.screen import LetterScreen
    from ui.shell.help_screen import HelpScreen
    from ui.shell.printing import PrintDocument, Printed
    from ui.shell.settings_screen import SettingsScreen
    from ui.signin.choose import ChooseServerScreen

#: makes a screen when it is first shown (:meth:`MainWindow.add_screen_factory`)
ScreenFactory = Callable[[], Screen]
S = TypeVar("S", bound=Screen)

SCALE_KEY = "text_scale"
#: posted by the window's first paint: what waits for the first frame runs then
AFTER_FIRST_FRAME = QEvent.Type(QEvent.registerEventType())
CONTRAST_KEY = "high_contrast"

#: the size the window opens at on a screen with room to spare
COMFORTABLE_SIZE = QSize(1280, 860)
#: below this much room (width or height) the window opens maximised
SMALL_SCREEN = QSize(1280, 900)


def window_fit(available: QSize) -> tuple[QSize, bool]:
    """The window's size on a screen with ``available`` room, and whether it opens
    maximised: on a small screen (a 1366 x 768 laptop) it takes all the room; on a
    large one the comfortable size, never more than the room there is."""
    small = available.width() < SMALL_SCREEN.width() or available.height() < SMALL_SCREEN.height()
    return COMFORTABLE_SIZE.boundedTo(available), small


def keep_in_view(widget: QWidget | None) -> None:
    """Scroll every scroll area around ``widget`` so that it is in sight: the
    focused control is never below the fold, however it got the focus."""
    if widget is None:
        return
    child: QWidget = widget
    parent = widget.parentWidget()
    while parent is not None:
        content = parent.widget() if isinstance(parent, QScrollArea) else None
        if isinstance(parent, QScrollArea) and content is not None:
            if content is child or content.isAncestorOf(child):
                show_in_area(parent, child)
            child = parent
        parent = parent.parentWidget()


#: buttons that Enter alone must not press: the person presses Space or clicks,
#: a deliberate act (switching the Berichtenbox on cannot be undone). A button
#: can also say so itself with the property ``enter_presses`` set to False.
NO_ENTER = frozenset({"guide_confirm"})
ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def enter_presses(widget: QObject | None) -> bool:
    """Whether Enter on this focused widget presses it: a button, check box or radio
    button that is enabled; not a text field (Enter keeps its meaning there) and not
    a button that asks for a deliberate press (:data:`NO_ENTER`)."""
    from PySide6.QtWidgets import QPlainTextEdit  # not made before the first frame

    if not isinstance(widget, QAbstractButton) or isinstance(widget, (QLineEdit, QPlainTextEdit)):
        return False
    if widget.objectName() in NO_ENTER or widget.property("enter_presses") is False:
        return False
    return widget.isEnabled() and widget.isVisible()


class EnterPresses(QObject):
    """Enter and Return (also on the keypad) press the focused button, in every
    window of the app; Qt itself does that only in dialogs. One filter for the
    application, installed once (:meth:`install`).

    It acts only when the button itself receives the key, so a key that opened a
    screen elsewhere (Enter on the list of letters opens a card) never presses the
    button that has the focus next. A held-down Enter presses once.
    """

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt API
        # Every event of the application passes here: the two cheap type checks
        # come first, so only a key event to a button asks for its enum type (a
        # PySide6 enum value costs about 3 µs to make; a test run sees ~300,000
        # events a minute).
        if (
            isinstance(watched, QAbstractButton)
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in ENTER_KEYS
            and event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            == Qt.KeyboardModifier.NoModifier
            and watched.hasFocus()
            and enter_presses(watched)
        ):
            if not event.isAutoRepeat():
                watched.click()
            return True
        return False

    @classmethod
    def install(cls, app: QObject | None) -> None:
        """Install the filter on the application, once however many windows open."""
        if app is None or app.findChild(cls, "enter_presses") is not None:
            return
        pressing = cls(app)
        pressing.setObjectName("enter_presses")
        app.installEventFilter(pressing)


def stored_theme(session: Session) -> tuple[int, bool]:
    """The text size and whether high contrast is on, as this desk keeps them."""
    scale = int(session.setting(SCALE_KEY, str(theme.MIN_SCALE)) or theme.MIN_SCALE)
    return scale, session.setting(CONTRAST_KEY, "0") == "1"


def notice_text(notice: Notice) -> str:
    """A store problem in plain words: what happened and what we did (app/store_words.py)."""
    return store_words.notice_text(notice)


class MainWindow(QMainWindow):
    """``sync_after_first_frame``: the first sync starts once the first frame is
    painted (the app's start, ui/shell/main.py), not while the window is built."""

    def __init__(
        self,
        session: Session,
        *,
        pdf_folder=None,
        tasks: Tasks | None = None,
        sync_after_first_frame: bool = False,
    ):
        super().__init__()
        self._first_paint = False
        self._first_frame_done = False
        self._after_first_frame: list[Callable[[], None]] = []
        self.session = session
        #: the one background helper: every mailbox call of every screen goes through it
        self.tasks = tasks or Tasks(self)
        self.tasks.failed.connect(self.tell)
        #: the installed features by type (ui/shell/features.py)
        self.features = features.FeatureRegistry()
        self.pdf_folder = pdf_folder
        self.last_pdf: Path | None = None
        self.scale = theme.MIN_SCALE
        self.high_contrast = False
        self._history: list[Screen] = []
        self.setObjectName("main_window")
        central = QWidget()
        # In the window first, and each row in it before its controls: a widget
        # moved into another under the app's style sheet is restyled with all it
        # holds (Qt's StyleChange), so built bottom-up the top bar's buttons were
        # restyled three times before the first frame (issue 14).
        self.setCentralWidget(central)
        outer = QVBoxLayout(central)
        outer.setContentsMargins(12, 12, 12, 12)
        outer.setSpacing(8)

        # One row, at 200 % text too: the controls that are set once (text size,
        # contrast, language) are on their own screen behind "Instellingen".
        self.top_bar_row = QWidget()
        self.top_bar_row.setObjectName("top_bar")
        outer.addWidget(self.top_bar_row)
        bar = QHBoxLayout(self.top_bar_row)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.setSpacing(8)
        self.home_button = button("", name="nav_home")
        self.back_button = button("", name="nav_back", secondary=True)
        self.help_button = button("", name="nav_help", secondary=True)
        self.read_button = ReadAloudButton(self)
        self.settings_button = button("", name="open_settings", secondary=True)
        for nav in (self.home_button, self.back_button, self.help_button):
            bar.addWidget(nav)
        bar.addStretch(1)
        bar.addWidget(self.read_button)
        bar.addWidget(self.settings_button)
        self.top_bar = bar  # features may add a control here

        self.practice_label = label(role="practice", name="practice_banner")
        self.practice_label.setWordWrap(False)  # one line, whatever the text size
        outer.addWidget(self.practice_label)
        self.practice_label.setVisible(session.is_practice)

        # On a server: one calm line while it cannot be reached (the table keeps
        # the letters of the last good sync). Going back to the table tries again.
        self.connection_label = label(role="notice", name="connection_text")
        self.connection_label.hide()
        outer.addWidget(self.connection_label)

        # "Even geduld": shown only while the mailbox takes longer than a moment.
        self.busy_label = label(role="notice", name="busy_text")
        self.busy_label.hide()
        outer.addWidget(self.busy_label)
        self.tasks.busy_changed.connect(self._on_busy)
        self._sync_step = ""
        self._told_unreadable: LetterNotice | None = None
        self._sign_in: QWidget | None = None  # the sign-in window, while it is open

        self.notice_row = QWidget()
        outer.addWidget(self.notice_row)
        notice_layout = QHBoxLayout(self.notice_row)
        notice_layout.setContentsMargins(0, 0, 0, 0)
        self.notice_label = label(role="notice", name="notice_text")
        # "PDF openen": only for a notice about a PDF we made, so that the notice
        # names the PDF in a few words instead of a long path on every screen.
        self.notice_open_button = button("", name="notice_open_pdf", secondary=True)
        self.notice_open_button.hide()
        self.notice_button = button("", name="notice_ok")
        notice_layout.addWidget(self.notice_label, 1)
        notice_layout.addWidget(self.notice_open_button)
        notice_layout.addWidget(self.notice_button)
        # Each notice: its text, the PDF it offers to open (or None), and a longer
        # plain-text description for screen readers (the PDF's full path).
        self._notices: list[tuple[str, Path | None, str]] = [
            (notice_text(n), None, "") for n in session.notices
        ]
        self.notice_open_button.clicked.connect(self._open_notice_pdf)
        self.notice_button.clicked.connect(self._next_notice)

        # No scroll area around the screens: each screen has its own one, its page,
        # and a fixed row of actions below it (ui/shell/widgets.py, Screen).
        self.stack = ScreenStack()
        outer.addWidget(self.stack, 1)
        self.central = central

        #: the screens built so far, in the order they were built (the table first).
        #: Every other screen is built when first shown (:meth:`add_screen_factory`);
        #: :meth:`build_all_screens` builds the rest (the accessibility, language
        #: and fit tests walk them all).
        self.screens: list[Screen] = []
        self._factories: dict[str, ScreenFactory] = {}
        self._built: dict[str, Screen] = {}
        self._on_built: dict[str, list[Callable[[Screen], None]]] = {}
        #: the data folder (set by ui/shell/main.py); the Berichtenbox choice is kept there
        self.data_dir: Path | None = None
        self.scale, self.high_contrast = stored_theme(session)
        # made in the stack it is shown in (not moved there: restyled once)
        self.table_screen = self.add_screen(TableScreen(self, self.stack))
        self.add_screen_factory("letter_screen", self._make_letter_screen)
        self.add_screen_factory("folders_screen", self._make_folders_screen)
        self.add_screen_factory("help_screen", self._make_help_screen)
        self.add_screen_factory("settings_screen", self._make_settings_screen)
        self.add_screen_factory("choose_server_screen", self._make_choose_server_screen)

        self.home_button.clicked.connect(self.go_home)
        self.back_button.clicked.connect(self.go_back)
        self.help_button.clicked.connect(self.show_help)
        self.settings_button.clicked.connect(lambda: self.show_screen("settings_screen"))
        self.table_screen.sig_letter_opened.connect(self.open_letter)
        # the features that add nothing to the first frame come right after it
        # at the app's start (ui/shell/features.py, AFTER_FIRST_FRAME)
        features.install_all(
            self, after_first_frame=self.after_first_frame if sync_after_first_frame else None
        )
        if self.high_contrast and not theme.is_high_contrast():
            # the theme of this desk (the settings screen shows it when built);
            # the app's start applies it before the window (ui/shell/main.py)
            theme.apply(QApplication.instance(), self.scale, True)

        self.retranslate_ui()
        self._show_notice()
        self._fitted = False
        self.fit_to_screen()
        if sync_after_first_frame:
            # Not before the first frame (issue 14): a filter on the application
            # is handed the events of Qt's own widgets too, and at the first one
            # PySide makes all of its lazily made classes (about 40 ms). Before
            # the first frame no key can reach a button anyway.
            self.after_first_frame(lambda: EnterPresses.install(QApplication.instance()))
        else:
            EnterPresses.install(QApplication.instance())
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_focus_changed)
        self._show(self._first_screen(), remember=False)
        if sync_after_first_frame:
            self.after_first_frame(self.sync)
        else:
            self.sync()

    def _first_screen(self) -> Screen:
        """The screen the window opens on: the table, unless an installed feature
        asks for another with ``first_screen()`` (a screen's name, or None): a
        helper starts on the people's overview. Only that screen is built now."""
        for feature in self.features:
            ask = getattr(feature, "first_screen", None)
            name = ask() if callable(ask) else None
            if name and self.has_screen(name):
                return self.screen_named(name)
        return self.table_screen

    # -- after the first frame -------------------------------------------------
    def after_first_frame(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` once the window's first frame is painted (at once when
        it is): start-up paints the table first, then cleans up and asks the mailbox.
        An event posted by the first paint, not a timer."""
        if self._first_frame_done:
            callback()
        else:
            self._after_first_frame.append(callback)

    def event(self, event) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Paint and not self._first_paint:
            self._first_paint = True
            # Delivered after this paint, once the event loop (or processEvents) runs.
            QCoreApplication.postEvent(self, QEvent(AFTER_FIRST_FRAME))
        elif kind == AFTER_FIRST_FRAME:
            self._first_frame_done = True
            waiting, self._after_first_frame = self._after_first_frame, []
            for callback in waiting:
                callback()
            return True
        return super().event(event)

    # -- screens, built on first use -------------------------------------------
    def _make_letter_screen(self) -> Screen:
        from ui.letter.screen import LetterScreen

        return LetterScreen(self)

    def _make_folders_screen(self) -> Screen:
        from ui.folders.screen import FoldersScreen

        return FoldersScreen(self)

    def _make_help_screen(self) -> Screen:
        from ui.shell.help_screen import HelpScreen

        return HelpScreen(self)

    def _make_settings_screen(self) -> Screen:
        from ui.shell.settings_screen import SettingsScreen

        screen = SettingsScreen(self)
        with QSignalBlocker(screen.contrast_button):  # the theme is set already
            screen.contrast_button.setChecked(self.high_contrast)
        return screen

    def _make_choose_server_screen(self) -> Screen:
        from ui.signin.choose import ChooseServerScreen

        return ChooseServerScreen(self)

    @property
    def letter_screen(self) -> LetterScreen:
        return self.screen_named("letter_screen")  # type: ignore[return-value]

    @property
    def folders_screen(self) -> FoldersScreen:
        return self.screen_named("folders_screen")  # type: ignore[return-value]

    @property
    def help_screen(self) -> HelpScreen:
        return self.screen_named("help_screen")  # type: ignore[return-value]

    @property
    def settings_screen(self) -> SettingsScreen:
        return self.screen_named("settings_screen")  # type: ignore[return-value]

    @property
    def choose_server_screen(self) -> ChooseServerScreen:
        return self.screen_named("choose_server_screen")  # type: ignore[return-value]

    # the settings' controls, by their old names (tests and features use them)
    @property
    def smaller_button(self):
        return self.settings_screen.smaller_button

    @property
    def larger_button(self):
        return self.settings_screen.larger_button

    @property
    def scale_label(self):
        return self.settings_screen.scale_label

    @property
    def contrast_button(self):
        return self.settings_screen.contrast_button

    def add_screen(self, screen: S) -> S:
        """Add a screen that is built already (it is in :attr:`screens` at once)."""
        name = screen.objectName()
        if name in self._factories or name in self._built:
            raise ValueError(f"a screen {name!r} is there already")
        self._built[name] = screen
        self._place(screen)
        return screen

    def add_screen_factory(self, name: str, factory: ScreenFactory) -> None:
        """Register a screen that is built when it is first shown or asked for
        (:meth:`screen_named`): ``factory()`` returns a Screen called ``name``.
        Start-up builds only the table (issue 14)."""
        if name in self._factories or name in self._built:
            raise ValueError(f"a screen {name!r} is there already")
        self._factories[name] = factory

    def has_screen(self, name: str) -> bool:
        """Whether a screen of this name is there, built or not yet."""
        return name in self._built or name in self._factories

    def is_built(self, name: str) -> bool:
        return name in self._built

    def screen_named(self, name: str) -> Screen:
        """The screen called ``name``, built now if it was not yet; KeyError when
        no screen of that name was added."""
        built = self._built.get(name)
        if built is not None:
            return built
        factory = self._factories.pop(name)
        screen = factory()
        if screen.objectName() != name:
            raise ValueError(f"the factory for {name!r} made {screen.objectName()!r}")
        self._built[name] = screen
        self._place(screen)
        for callback in self._on_built.pop(name, []):
            callback(screen)
        return screen

    def when_built(self, name: str, callback: Callable[[Screen], None]) -> None:
        """Call ``callback(screen)`` once the screen ``name`` is built: now when it
        is, else right after it is (a feature's button on the help screen)."""
        built = self._built.get(name)
        if built is not None:
            callback(built)
        else:
            self._on_built.setdefault(name, []).append(callback)

    def build_all_screens(self) -> list[Screen]:
        """Build every screen that is not built yet (for the tests that walk them
        all); returns :attr:`screens`."""
        while self._factories:
            self.screen_named(next(iter(self._factories)))
        return self.screens

    def _place(self, screen: Screen) -> None:
        self.screens.append(screen)
        self.stack.addWidget(screen)
        if self.stack.currentWidget() is not screen:  # only the shown screen counts for the size
            screen.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)

    # -- the window fits its screen; the focus stays in sight ------------------
    def fit_to_screen(self) -> None:
        """Open at the room of the screen the window is on: maximised on a small
        screen, else the comfortable size, never larger than the room there is."""
        screen = self.screen() or QApplication.primaryScreen()
        if screen is None:
            self.resize(COMFORTABLE_SIZE)
            return
        size, maximise = window_fit(screen.availableGeometry().size())
        self.resize(size)
        if maximise:
            self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if self._fitted:
            return
        # The first time: a window that asked for another size in between (the
        # guided window asks for its own) still fits the room of its screen.
        self._fitted = True
        screen = self.screen()
        if screen is None or self.isFullScreen():
            return
        room = screen.availableGeometry()
        fits = self.width() <= room.width() and self.height() <= room.height()
        if self.isMaximized() and fits:
            return
        if window_fit(room.size())[1]:  # a resize() in between undid the maximising
            self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)
        else:
            self.resize(self.size().boundedTo(room.size()))
            frame = self.frameGeometry()
            if not room.contains(frame):  # fully on its screen, not half off it
                self.move(
                    max(room.left(), min(frame.left(), room.right() - frame.width() + 1)),
                    max(room.top(), min(frame.top(), room.bottom() - frame.height() + 1)),
                )

    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is None or not self.isAncestorOf(new):
            return
        keep_in_view(new)  # and again when the page settles: ui/shell/widgets.py scrolling()

    # -- fetching new post -----------------------------------------------------
    def sync(self) -> None:
        """Fetch new post in the background; the table shows it when it comes."""
        self.tasks.run(
            self.session.sync,
            self._on_synced,
            on_progress=self._on_sync_progress,
            owner=self,
            label="sync",
        )

    def _on_sync_progress(self, step: SyncProgress) -> None:
        self._sync_step = _("Post ophalen: %(done)d van %(total)d organisaties.") % {
            "done": step.done,
            "total": step.total,
        }
        if self.busy_label.isVisible():
            self._update_busy_text()

    def _on_synced(self, new: int) -> None:
        self._sync_step = ""
        error = self.session.sync_error
        offline = (
            error is not None
            and not self.session.is_practice
            and error.code in (ErrorCode.UNREACHABLE, ErrorCode.TIMEOUT)
        )
        if offline:
            self.connection_label.setText(offline_text(self.session.last_synced()))
        elif (
            error is not None
            and error.code is ErrorCode.UNAUTHORIZED
            and not self.session.is_practice
        ):
            self.sign_in_again()
        elif error is not None:
            self.tell(self.problem_words(error, Doing.SYNC))
        self.connection_label.setVisible(offline)
        unreadable = self.session.letter_notice()
        if unreadable is not None and unreadable != self._told_unreadable:
            self._told_unreadable = unreadable  # said once, not at every sync
            self.tell(unreadable_letters_text(unreadable))
        if self.current_screen() is self.table_screen:
            self.table_screen.refresh()
        for feature in self.features:  # a helper hears of new post (ui/people/feature.py)
            heard = getattr(feature, "after_sync", None)
            if callable(heard):
                heard()

    def _on_busy(self, busy: bool) -> None:
        self._update_busy_text()
        self.busy_label.setVisible(busy)

    def _update_busy_text(self) -> None:
        text = _("Even geduld. Brieventafel is bezig.")
        self.busy_label.setText(f"{text} {self._sync_step}".strip())

    # -- language --------------------------------------------------------------
    def changeEvent(self, event) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def retranslate_ui(self) -> None:
        self.setLayoutDirection(
            Qt.LayoutDirection.RightToLeft
            if i18n.is_right_to_left()
            else Qt.LayoutDirection.LeftToRight
        )
        self.home_button.setText(_("Tafel"))
        self.home_button.setAccessibleName(_("Naar de tafel met uw brieven"))
        self.back_button.setText(_("Terug"))
        self.help_button.setText(_("Hulp"))
        self.help_button.setAccessibleName(_("Hulp bij dit scherm"))
        self.settings_button.setText(_("Instellingen"))
        self.settings_button.setAccessibleName(_("Instellingen: tekst, contrast en taal"))
        self.read_button.retranslate_ui()
        # One short line; the longer sentence is there for screen readers.
        self.practice_label.setText(_("Oefenpost: er gebeurt niets echt."))
        self.practice_label.setAccessibleDescription(
            _("Oefenpost: dit zijn voorbeeldbrieven. Er gebeurt niets echt.")
        )
        self.notice_button.setText(_("Begrepen"))
        self.notice_open_button.setText(_("PDF openen"))
        for screen in self.screens:
            screen.retranslate_ui()
        self._update_title()

    def _update_title(self) -> None:
        screen = self.stack.currentWidget()
        name = screen.title() if isinstance(screen, Screen) else ""
        # Qt adds the application display name ("— Brieventafel") itself.
        self.setWindowTitle(name)

    # -- text size -------------------------------------------------------------
    def set_scale(self, scale: int) -> None:
        scale = max(theme.MIN_SCALE, min(theme.MAX_SCALE, int(scale)))
        self.scale = scale
        app = QApplication.instance()
        if not theme.is_applied(app, scale, self.high_contrast):  # the start applied it first
            theme.apply(app, scale, self.high_contrast)
        if self.session.setting(SCALE_KEY) != str(scale):
            self.session.set_setting(SCALE_KEY, str(scale))
        if not self.is_built("settings_screen"):  # it reads the scale when it is built
            return
        focused = self.focusWidget()
        self.settings_screen.update_scale(scale)
        if focused is not None and not focused.isEnabled():
            # "Tekst groter" at 200 % can go no further: the focus goes to its twin
            self.settings_screen.first_focus().setFocus(Qt.FocusReason.OtherFocusReason)

    def set_high_contrast(self, on: bool) -> None:
        """Switch the high-contrast theme; remembered on the desk."""
        self.high_contrast = bool(on)
        if self.is_built("settings_screen"):
            with QSignalBlocker(self.contrast_button):
                self.contrast_button.setChecked(self.high_contrast)
        theme.apply(QApplication.instance(), self.scale, self.high_contrast)
        self.session.set_setting(CONTRAST_KEY, "1" if self.high_contrast else "0")

    # -- notices ---------------------------------------------------------------
    def tell(self, text: str, *, pdf: Path | None = None) -> None:
        """Show a message in the notice row; it stays until the person closes it.
        With ``pdf`` the row offers "PDF openen" for that file."""
        where = _("Het bestand staat hier: %(path)s") % {"path": pdf} if pdf else ""
        self._notices.append((text, pdf, where))
        self._show_notice()

    def _show_notice(self) -> None:
        self.notice_row.setVisible(bool(self._notices))
        text, pdf, where = self._notices[0] if self._notices else ("", None, "")
        self.notice_label.setText(text)
        self.notice_label.setAccessibleDescription(where)
        self.notice_open_button.setAccessibleDescription(where)
        self.notice_open_button.setVisible(pdf is not None)

    def _open_notice_pdf(self) -> None:
        """Open the notice's PDF with the system's viewer; if that does not work,
        say so in the notice, with the folder the PDF is in."""
        if not self._notices or self._notices[0][1] is None:
            return
        _text, pdf, where = self._notices[0]
        assert pdf is not None
        from PySide6.QtCore import QUrl  # QUrl's enums: not before the first frame
        from PySide6.QtGui import QDesktopServices

        if QDesktopServices.openUrl(QUrl.fromLocalFile(str(pdf))):
            return
        text = _(
            "Wij konden de PDF niet openen. Het bestand is er nog. "
            "U vindt het in de map %(folder)s."
        ) % {"folder": pdf.parent.name or str(pdf.parent)}
        self._notices[0] = (text, None, where)
        self._show_notice()
        self.notice_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _next_notice(self) -> None:
        if self._notices:
            self._notices.pop(0)
        self._show_notice()

    # -- navigation ------------------------------------------------------------
    def current_screen(self) -> Screen:
        screen = self.stack.currentWidget()
        assert isinstance(screen, Screen)
        return screen

    def _show(self, screen: Screen, *, remember: bool = True) -> None:
        current = self.stack.currentWidget()
        if remember and isinstance(current, Screen) and current is not screen:
            self._history.append(current)
        screen.refresh()
        self.stack.setCurrentWidget(screen)
        for page in self.screens:  # only the shown screen counts for the size
            policy = QSizePolicy.Policy.Preferred if page is screen else QSizePolicy.Policy.Ignored
            page.setSizePolicy(policy, policy)
        self.reorder_tabs()
        self.back_button.setEnabled(bool(self._history))
        self._update_title()
        screen.open_at_top()
        target = screen.first_focus()
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def reorder_tabs(self) -> None:
        """Tab follows reading order: after a screen is shown, and when a screen
        shows or hides a line of its own (the table's "Zoeken" after the welcome)."""
        set_tab_order(reading_order(self.central))

    def go_home(self) -> None:
        self._history.clear()
        self._show(self.table_screen, remember=False)
        if self.connection_label.isVisible():  # "Wij proberen het zo weer"
            self.sync()

    def sign_in_again(self) -> None:
        """The server no longer accepts the sign-in (expired, revoked): ask for the
        PIN in the sign-in window; the letters stay on the table, and what was done
        meanwhile (read status) is sent at the next sync."""
        if self._sign_in is not None:
            self._sign_in.raise_()
            return
        from ui.signin.window import SignInWindow

        mailbox = self.session.mailbox
        window = SignInWindow(
            getattr(mailbox, "base_url", ""),
            mailbox.sign_in,  # type: ignore[attr-defined]
            person=self.session.person.id,
        )
        window.say(_("Uw aanmelding is verlopen. Meld u opnieuw aan. Uw brieven blijven op tafel."))
        window.sig_signed_in.connect(self._signed_in_again)
        window.destroyed.connect(lambda: setattr(self, "_sign_in", None))
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._sign_in = window
        window.show()

    def _signed_in_again(self, person: str, token: str) -> None:
        from ui.signin.window import keep_token

        window, self._sign_in = self._sign_in, None
        if window is not None:
            window.close()
        problem = keep_token(self.session.mailbox.base_url, person, token)  # type: ignore[attr-defined]
        if problem is not None:
            self.tell(problem)
        self.sync()

    def sign_out(self) -> None:
        """ "Afmelden" (a server only): the token is revoked there and forgotten
        here; the next start asks to sign in. The letters on the desk stay."""
        self.tasks.run(
            self.session.mailbox.sign_out,
            lambda _done: self._signed_out(""),
            on_error=lambda error: self._signed_out(problem_text(error)),
            owner=self,
            label="sign_out",
        )

    def _signed_out(self, problem: str) -> None:
        text = _("U bent afgemeld. Bij de volgende start meldt u opnieuw aan.")
        self.tell(f"{text} {problem}".strip())
        self.settings_screen.sign_out_button.setEnabled(False)

    def go_back(self) -> None:
        if not self._history:
            self.go_home()
            return
        self._show(self._history.pop(), remember=False)

    def show_help(self) -> None:
        current = self.current_screen()
        if current is self.help_screen:
            return
        self.help_screen.show_for(current)
        self._show(self.help_screen)

    def show_folders(self) -> None:
        self._show(self.folders_screen)

    def show_screen(self, screen: Screen | str) -> None:
        """Show a screen that a feature added (:meth:`add_screen`), or the one
        called ``screen`` (built now when it was only registered)."""
        self._show(self.screen_named(screen) if isinstance(screen, str) else screen)

    def open_letter(self, letter_id: str) -> None:
        """Open a letter: marked read on the desk and, in the background, in the
        mailbox; its sender's details come along for the letter as on paper."""
        session = self.session

        def work():
            letter = session.open_letter(letter_id)
            try:
                organisation = session.mailbox.organisation(letter.org_id)
            except MailboxError:
                organisation = None  # the letter shows the sender's short name
            return letter, organisation

        self.tasks.run(
            work,
            self._show_letter,
            on_error=lambda error: self.tell(self.problem_words(error)),
            owner=self,
            label="open_letter",
        )

    def problem_words(self, error: MailboxError, doing: Doing = Doing.ANY) -> str:
        """A mailbox error in plain words. A refusal of the rules (FORBIDDEN with a
        reason code: a mandate ended or revoked, a letter outside it) says why and
        what to do (:func:`app.people.refusal_words`), not the general text."""
        from app import mandates, people

        if error.code == ErrorCode.FORBIDDEN and error.detail in {r.value for r in mandates.Reason}:
            return people.refusal_words(error.detail, self.session.person)
        return problem_text(error, doing)

    def _show_letter(self, found) -> None:
        letter, organisation = found
        self.letter_screen.show_letter(letter, organisation)
        self._show(self.letter_screen)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        self.tasks.shutdown()
        super().closeEvent(event)

    # -- printing (QtPrintSupport loads when something is printed) -------------
    def print_document(
        self,
        doc: PrintDocument,
        *,
        pdf_folder: Path | None = None,
        use_printer: bool | None = None,
        print_to_file: bool = True,
    ) -> Printed:
        """Print, or make a PDF when there is no printer, and say what really
        happened: a PDF is named only once it is there (ui/shell/printing.py)."""
        from ui.shell.printing import print_document

        if use_printer is None:
            use_printer = self.pdf_folder is None
        done = print_document(
            doc,
            self,
            pdf_folder or self.pdf_folder,
            use_printer=use_printer,
            print_to_file=print_to_file,
        )
        self.last_pdf = done.path
        if done.kind == "pdf":
            self.tell(_("Er is geen printer. Wij hebben een PDF gemaakt."), pdf=done.path)
        elif done.kind == "failed":
            self.tell(
                _("Printen is niet gelukt. Er is niets verloren. Probeer het later nog eens.")
            )
        return done
