"""Het origineel: a paper letter's kept original, shown as it is (issue 15).

Opened from the letter screen ("Origineel bekijken") for a letter that was
added from paper or a PDF (``Letter.source == PAPER``); the file is the copy
:func:`app.importing.lay_on_table` kept in the desk's folder
(:func:`app.importing.original_path`), never the person's own file.

* A PDF is shown by QtPdf: ``QPdfDocument`` and ``QPdfView``, every page under
  the other, fit to the width of the window. QtPdf is PDFium built without a
  JavaScript engine (no V8, and none of the script API: libQt6Pdf holds no
  "launchURL"), and the view only draws pages: a script in the file (an
  /OpenAction, a document script, a form's script) is never run, no /Launch
  or link is followed, no attachment is opened. tests/importing/
  test_original_screen.py checks it with scripts that would call a real server
  on loopback and open a web page.
* A photo or scan (PNG, JPEG) is shown as an image, fit to the width, turned
  as the camera says (EXIF), and only when it has at most MAX_PIXELS pixels.

The screen scrolls itself (:attr:`Screen.scrolls_itself`): its one scroll area
is the PDF view or the image's area. The fixed bar holds "Groter", "Kleiner"
and "Terug"; Page Up / Page Down, the arrows, Home and End scroll the page
also while the focus is on a button. The page count is said in words
("Bladzijde 1 van 3") for a screen reader. A file that is gone or damaged is
said in the screen in plain words; nothing else changes.

QtPdf is imported only here (not at the first paint: tests/shell/test_startup.py).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QImage, QImageReader, QKeyEvent, QKeySequence, QPixmap, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QLabel, QScrollArea

from app.i18n import gettext as _
from app.model import PAPER, Letter
from ui.shell.widgets import Screen, button, label, quiet_when_idle, scrolling

#: the sizes "Groter" and "Kleiner" step through, as parts of the window's width
ZOOMS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0)
FIT = ZOOMS.index(1.0)
#: the largest photo we show (as app.importing reads at most: a 600 dpi A4 scan is 35 M)
MAX_PIXELS = 60_000_000


def load_problem(error: QPdfDocument.Error) -> str:
    """Plain words for why QtPdf could not open the original."""
    if error == QPdfDocument.Error.FileNotFound:
        return missing_text()
    if error in (
        QPdfDocument.Error.IncorrectPassword,
        QPdfDocument.Error.UnsupportedSecurityScheme,
    ):
        return _("Het origineel heeft een wachtwoord. Wij kunnen het niet laten zien.")
    if error == QPdfDocument.Error.InvalidFileFormat:
        return damaged_text()
    return _("Wij kunnen het origineel nu niet laten zien. Probeer het later nog eens.")


def missing_text() -> str:
    return _("Het origineel is niet meer te vinden.")


def damaged_text() -> str:
    return _("Het origineel is beschadigd. Wij kunnen het niet laten zien.")


class ImageView(QScrollArea):
    """A photo or scan, fit to the width of its area times ``zoom``; it scrolls
    down (and sideways once it is larger than the area). Made by :func:`image_view`."""

    def __init__(self) -> None:
        super().__init__()
        self.image = QImage()
        self.zoom = 1.0
        self._width = 0

    @property
    def picture(self) -> QLabel:
        picture = self.widget()
        assert isinstance(picture, QLabel)
        return picture

    def set_zoom(self, zoom: float) -> None:
        self.zoom = zoom
        self.fit()

    def fit(self) -> None:
        if self.image.isNull():
            return
        width = max(50, int((self.viewport().width() - 4) * self.zoom))
        if width == self._width:
            return
        self._width = width
        shown = QPixmap.fromImage(
            self.image.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
        )
        self.picture.setPixmap(shown)
        self.picture.setFixedSize(shown.size())

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self.fit()


def image_view(image: QImage) -> ImageView:
    """The image's one scroll area, made as every other (``scrolling``), here
    also sideways: a page made larger than the window is scrolled, never cut."""
    picture = QLabel()
    picture.setObjectName("original_picture")
    area = scrolling(picture, ImageView)
    assert isinstance(area, ImageView)
    area.image = image
    area.setWidgetResizable(False)
    area.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
    return area


class OriginalScreen(Screen):
    """One original at a time (:meth:`show_original`); ``view`` is its one
    scroll area (a QPdfView or an :class:`ImageView`), None when there is
    nothing to show (``message`` says why)."""

    scrolls_itself = True

    def __init__(self, window, parent=None):
        super().__init__(window, parent)
        self.letter: Letter | None = None
        self.path: Path | None = None
        self.document: QPdfDocument | None = None
        self.view: QAbstractScrollArea | None = None
        self.level = FIT

        self.heading = label(role="title", name="original_title")
        self.pages_label = label(name="original_pages")
        self.message = label(role="notice", name="original_message")
        self.message.hide()
        self.pages_label.setWordWrap(False)
        self.layout_.addWidget(self.heading)
        self.layout_.addWidget(self.message)
        self.layout_.addStretch(0)
        self._view_at = self.layout_.count()

        self.zoom_in_button = button("", name="original_zoom_in", secondary=True)
        self.zoom_out_button = button("", name="original_zoom_out", secondary=True)
        self.back_button = button("", name="original_back", secondary=True)
        self.add_action(self.zoom_in_button)
        self.add_action(self.zoom_out_button)
        # where one is in the letter, in the bar: always in sight, and the page
        # keeps its height for the letter (at 200 % every line counts)
        self.add_action(self.pages_label)
        self.add_action(self.back_button, at_end=True)
        self.zoom_in_button.clicked.connect(self.zoom_in)
        self.zoom_out_button.clicked.connect(self.zoom_out)
        self.back_button.clicked.connect(lambda: self.window_.go_back())
        for keys, act in (
            (QKeySequence.StandardKey.ZoomIn, self.zoom_in),
            (QKeySequence.StandardKey.ZoomOut, self.zoom_out),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(act)
        # the scroll keys reach the view also from the buttons in the bar
        self._keys = _ScrollKeys(self)
        for widget in (self.zoom_in_button, self.zoom_out_button, self.back_button):
            widget.installEventFilter(self._keys)
        self.retranslate_ui()
        self._show_zoom()

    # -- texts -----------------------------------------------------------------
    def title(self) -> str:
        return _("Origineel van de brief")

    def help_text(self) -> str:
        return _(
            "Hier ziet u de brief zoals hij was: de PDF of de foto. "
            "Kies 'Groter' of 'Kleiner' om de brief groter of kleiner te zien. "
            "Met de pijltjes en Page Down gaat u verder in de brief."
        )

    def retranslate_ui(self) -> None:
        self.heading.setText(self._heading_text())
        self.setAccessibleName(self.title())
        self.zoom_in_button.setText(_("Groter"))
        self.zoom_out_button.setText(_("Kleiner"))
        self.back_button.setText(_("Terug"))
        self.zoom_in_button.setAccessibleDescription(_("Laat de brief groter zien."))
        self.zoom_out_button.setAccessibleDescription(_("Laat de brief kleiner zien."))
        if self.view is not None:
            self.view.setAccessibleName(self.title())
        self._show_page()

    def _heading_text(self) -> str:
        if self.letter is None:
            return self.title()
        from ui.table.model import shown

        return _("Origineel van de brief van %(sender)s") % {
            "sender": shown(self.letter.sender, 80)
        }

    def first_focus(self):
        if self.view is None:
            return self.back_button
        return self.zoom_in_button

    # -- the original ------------------------------------------------------------
    def refresh(self) -> None:
        """Shown from the letter screen: that screen's letter. Back from "Hulp"
        the same letter stays as it was (its size and place)."""
        if not self.window_.is_built("letter_screen"):
            return
        letter = self.window_.letter_screen.letter
        if letter is None:
            return
        if self.letter is None or letter.id != self.letter.id or self.view is None:
            self.show_original(letter)

    def show_original(self, letter: Letter) -> None:
        """Show the kept original of ``letter`` (a paper letter); a plain line
        in the screen when it is gone or cannot be shown."""
        from app.importing import original_path

        self.letter = letter
        self.level = FIT
        self._drop_view()
        self.heading.setText(self._heading_text())
        path = None
        if letter.source == PAPER:
            try:
                path = original_path(self.session.desk.path.parent, letter)
            except (AttributeError, OSError):  # a desk without a folder: nothing kept
                path = None
        self.path = path
        if path is None:
            self._say(missing_text())
        elif path.suffix.lower() == ".pdf":
            self._show_pdf(path)
        else:
            self._show_image(path)
        self._show_zoom()
        self._show_page()

    def _show_pdf(self, path: Path) -> None:
        document = QPdfDocument(self)
        error = document.load(str(path))
        if error != QPdfDocument.Error.None_ or document.pageCount() < 1:
            document.deleteLater()
            self._say(load_problem(error) if error != QPdfDocument.Error.None_ else damaged_text())
            return
        self.document = document
        view = QPdfView(self.page)
        view.setObjectName("original_view")
        view.setDocument(document)
        view.setPageMode(QPdfView.PageMode.MultiPage)
        view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        view.pageNavigator().currentPageChanged.connect(lambda _page: self._show_page())
        self._place_view(view)

    def _show_image(self, path: Path) -> None:
        reader = QImageReader(str(path))
        reader.setAutoTransform(True)  # a phone's photo stands as it was taken
        size = reader.size()
        if size.isValid() and size.width() * size.height() > MAX_PIXELS:
            self._say(damaged_text())
            return
        image = reader.read()
        if image.isNull():
            self._say(missing_text() if not path.is_file() else damaged_text())
            return
        view = image_view(image)
        view.setObjectName("original_view")
        self._place_view(view)

    def _place_view(self, view: QAbstractScrollArea) -> None:
        view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # Tab reaches it; it scrolls by keys
        view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)  # see scrolling()
        quiet_when_idle(view.verticalScrollBar())
        quiet_when_idle(view.horizontalScrollBar())
        view.setAccessibleName(self.title())
        view.installEventFilter(self._keys)
        self.layout_.insertWidget(self._view_at, view, 1)
        self.view = view
        self.message.hide()
        self.pages_label.show()
        if self.window_.is_built(self.objectName()) and self.window_.current_screen() is self:
            self.window_.reorder_tabs()

    def _drop_view(self) -> None:
        if self.view is not None:
            self.view.hide()
            self.view.setParent(None)
            self.view.deleteLater()
            self.view = None
        if self.document is not None:
            self.document.close()
            self.document.deleteLater()
            self.document = None

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
        self.pages_label.hide()

    # -- zoom and pages ------------------------------------------------------------
    @property
    def zoom(self) -> float:
        """The size shown, as a part of the width that fits (1.0)."""
        return ZOOMS[self.level]

    def zoom_in(self) -> None:
        self._set_level(self.level + 1)

    def zoom_out(self) -> None:
        self._set_level(self.level - 1)

    def _set_level(self, level: int) -> None:
        self.level = max(0, min(len(ZOOMS) - 1, level))
        self._show_zoom()

    def _show_zoom(self) -> None:
        view = self.view
        has_view = view is not None
        self.zoom_in_button.setEnabled(has_view and self.level < len(ZOOMS) - 1)
        self.zoom_out_button.setEnabled(has_view and self.level > 0)
        if isinstance(view, QPdfView):
            if self.level == FIT:
                view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
            else:
                view.setZoomMode(QPdfView.ZoomMode.Custom)
                view.setZoomFactor(self._fit_factor(view) * self.zoom)
        elif isinstance(view, ImageView):
            view.set_zoom(self.zoom)
        # a button that just went grey must not leave the focus nowhere
        focus = QApplication.focusWidget()
        if focus is not None and not focus.isEnabled() and has_view:
            other = self.zoom_out_button if focus is self.zoom_in_button else self.zoom_in_button
            other.setFocus(Qt.FocusReason.OtherFocusReason)

    def _fit_factor(self, view: QPdfView) -> float:
        """QPdfView's zoom factor at which the first page fills the width (as
        its FitToWidth mode counts: points at the screen's logical dpi)."""
        document = self.document
        if document is None:
            return 1.0
        points = document.pagePointSize(0).width()
        screen = view.screen()
        dpi = screen.logicalDotsPerInch() if screen is not None else 96.0
        margins = view.documentMargins()
        room = view.viewport().width() - margins.left() - margins.right()
        if points <= 0 or room <= 0:
            return 1.0
        return room / (points * dpi / 72.0)

    def _show_page(self) -> None:
        if self.document is None or not isinstance(self.view, QPdfView):
            self.pages_label.setText("")
            self.pages_label.hide()
            return
        current = self.view.pageNavigator().currentPage() + 1
        text = _("Bladzijde %(page)d van %(pages)d") % {
            "page": current,
            "pages": self.document.pageCount(),
        }
        self.pages_label.setText(text)
        self.pages_label.show()
        self.view.setAccessibleDescription(text)

    def scroll_key(self, key: int) -> bool:
        """Scroll the view as ``key`` asks; False when it is not a scroll key."""
        view = self.view
        if view is None:
            return False
        down, side = view.verticalScrollBar(), view.horizontalScrollBar()
        step = max(down.singleStep(), 20)
        moves = {
            Qt.Key.Key_PageUp: (down, -down.pageStep()),
            Qt.Key.Key_PageDown: (down, down.pageStep()),
            Qt.Key.Key_Up: (down, -step),
            Qt.Key.Key_Down: (down, step),
            Qt.Key.Key_Left: (side, -step),
            Qt.Key.Key_Right: (side, step),
            Qt.Key.Key_Home: (down, -(down.maximum() - down.minimum())),
            Qt.Key.Key_End: (down, down.maximum() - down.minimum()),
        }
        for known, (bar, by) in moves.items():
            if key == known:
                bar.setValue(bar.value() + by)
                return True
        return False


class _ScrollKeys(QObject):
    """Page Up / Page Down, the arrows, Home and End scroll the original, from
    its view and from the buttons in the bar (where they would do nothing)."""

    def __init__(self, screen: OriginalScreen):
        super().__init__(screen)
        self.screen = screen

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt API
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False  # Ctrl, Alt, Shift: not ours
        return self.screen.scroll_key(event.key())
