"""gettext for Brieventafel.

The source strings (msgids) are the Dutch text, written at B1 level: Dutch is
the default language and needs no catalog. Other languages are gettext catalogs
in ``resources/i18n/<lang>/LC_MESSAGES/brieventafel.mo``.

Use ``from app.i18n import gettext as _``; ``N_()`` marks module-level
constants, which are translated when shown. Never call ``_()`` at import time.

Dutch has no catalog, on purpose: a ``nl`` catalog would be the identity and
could only fall out of step. The Dutch catalog, for measuring and reviewing,
is the set of msgids in ``resources/i18n/brieventafel.pot`` (tests/test_plain_dutch.py
holds it to B1). ``python -m app.i18n_tools`` extracts the template (code and
guided-mode scripts, see ``babel.cfg``), updates every ``.po`` and compiles the
``.mo`` files; tests/test_i18n_catalogs.py fails when a string is missing.
The Qt side (Qt's own translations, layout direction, the language screen) is
``ui/language/screen.py``.
"""

from __future__ import annotations

import gettext as _gettext
import os
from collections.abc import Callable

from app.paths import resources_dir

DOMAIN = "brieventafel"
DEFAULT_LANGUAGE = "nl"
#: language code -> its own name, shown in the language choice.
LANGUAGES = {
    "nl": "Nederlands",
    "en": "English",
    "de": "Deutsch",
    "es": "Español",
    "pl": "Polski",
    "tr": "Türkçe",
    "ar": "العربية",
    "uk": "Українська",
}
RIGHT_TO_LEFT = {"ar"}

_translation: _gettext.NullTranslations = _gettext.NullTranslations()
_language = DEFAULT_LANGUAGE
_listeners: list[Callable[[str], None]] = []
_catalogs: dict[str, _gettext.GNUTranslations] = {}


def set_language(language: str) -> str:
    """Switch the language for all later calls; returns the language in use.

    An unknown language or a missing catalog falls back to Dutch.
    """
    global _translation, _language
    if language not in LANGUAGES:
        language = DEFAULT_LANGUAGE
    if language == DEFAULT_LANGUAGE:
        _translation = _gettext.NullTranslations()
    else:
        _translation = _catalog(language)
    _language = language
    for listener in list(_listeners):
        listener(language)
    return language


def _catalog(language: str) -> _gettext.NullTranslations:
    """What ``gettext.translation(DOMAIN, <i18n>, [language], fallback=True)`` gives
    for our catalogs, which are named by the plain code (``ar``, never ``ar_AA``).

    Without gettext's search: that imports ``locale`` (about 1.6 ms) to spell out
    every variant of the name and looks for each one, at each call (issue 14)."""
    path = os.path.join(resources_dir(), "i18n", language, "LC_MESSAGES", f"{DOMAIN}.mo")
    if not os.path.exists(path):
        return _gettext.NullTranslations()
    key = os.path.abspath(path)
    found = _catalogs.get(key)
    if found is None:  # read once, as gettext keeps each catalog it read
        with open(path, "rb") as file:
            found = _catalogs.setdefault(key, _gettext.GNUTranslations(file))
    return found


def language() -> str:
    return _language


def locale() -> str:
    """The Babel locale for the current language."""
    return {
        "nl": "nl_NL",
        "en": "en_GB",
        "de": "de_DE",
        "es": "es_ES",
        "pl": "pl_PL",
        "tr": "tr_TR",
        "ar": "ar",
        "uk": "uk_UA",
    }[_language]


def is_right_to_left() -> bool:
    return _language in RIGHT_TO_LEFT


def on_language_changed(listener: Callable[[str], None]) -> None:
    _listeners.append(listener)


def gettext(message: str) -> str:
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark a string for extraction without translating it now."""
    return message


_ = gettext
