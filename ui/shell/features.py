"""Features that add screens or buttons to the main window.

Each feature module has ``install(window)``, which adds its screens with
``window.add_screen`` and its buttons to the table's button row
(``window.table_screen.extra_buttons``) or the top bar. Adding a feature is one
line here; the main window does not change.
"""

from __future__ import annotations

import importlib

FEATURES: list[str] = [
    "ui.activation.feature",
    "ui.paper.feature",
    "ui.language.screen",
    "ui.start.choice",
]


def install_all(window) -> None:
    for name in FEATURES:
        importlib.import_module(name).install(window)
