"""Qt's side of the language: its own translations and the layout direction.

:func:`apply_qt_language` makes Qt follow :func:`app.i18n.language`: it swaps
``qtbase_<lang>.qm`` (the buttons of standard dialogs) on the application,
which sends every window a ``QEvent.LanguageChange``, and lays the application
out right to left for Arabic. Used at start (``ui/shell/main.py``,
``ui/guided/start.py``) and by the language screen (``ui/language/screen.py``).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, Qt, QTranslator
from PySide6.QtWidgets import QApplication

from app import i18n

_qt_translator: QTranslator | None = None


def qt_translations_dir() -> str:
    return QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)


def layout_direction() -> Qt.LayoutDirection:
    return (
        Qt.LayoutDirection.RightToLeft
        if i18n.is_right_to_left()
        else Qt.LayoutDirection.LeftToRight
    )


def apply_qt_language(app: QCoreApplication | None = None) -> bool:
    """Make Qt follow :func:`app.i18n.language`: its own texts and the layout direction.

    Swaps ``qtbase_<lang>.qm`` on the application; Qt then posts every window a
    ``LanguageChange``. Returns whether Qt did so (False when there was no Qt
    translation to remove, and none or an empty one to install).
    """
    global _qt_translator
    app = app or QCoreApplication.instance()
    if app is None:
        return False
    if isinstance(app, QApplication):
        app.setLayoutDirection(layout_direction())
    swapped = False
    if _qt_translator is not None:
        swapped = app.removeTranslator(_qt_translator)
        _qt_translator = None
    translator = QTranslator(app)
    if translator.load(f"qtbase_{i18n.language()}", qt_translations_dir()):
        # Qt sends LanguageChange for an installed translator only when it is not
        # empty (qtbase_en.qm is empty); removing one always sends it.
        swapped = (app.installTranslator(translator) and not translator.isEmpty()) or swapped
        _qt_translator = translator
    return swapped


def clear_qt_language(app: QCoreApplication | None = None) -> None:
    """Take Qt's translation out again and lay out left to right (Qt's own default)."""
    global _qt_translator
    app = app or QCoreApplication.instance()
    if app is None:
        return
    if _qt_translator is not None:
        app.removeTranslator(_qt_translator)
        _qt_translator = None
    if isinstance(app, QApplication):
        app.setLayoutDirection(Qt.LayoutDirection.LeftToRight)


def qt_translator() -> QTranslator | None:
    """The Qt translator now installed (None before the first language is applied)."""
    return _qt_translator
