"""Features that add screens or buttons to the main window, and the typed registry.

Each feature module has ``install(window)``: it adds its screens with
``window.add_screen``, its buttons to the table's button row
(``window.table_screen.extra_buttons``) or the top bar, and returns its feature
object (or None). The window keeps them in ``window.features``, a
:class:`FeatureRegistry` looked up by type; no feature sets attributes on the
window. Adding a feature is one line in :data:`FEATURES`; the main window does
not change.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import TypeVar

F = TypeVar("F")

FEATURES: list[str] = [
    "ui.activation.feature",
    "ui.paper.feature",
    "ui.abroad.screen",
    "ui.language.screen",
    "ui.start.choice",
    "ui.people.feature",
    "ui.watch.feature",
]


class FeatureRegistry:
    """The installed features, one per type: ``window.features.get(PaperFeature)``."""

    def __init__(self) -> None:
        self._by_type: dict[type, object] = {}

    def add(self, feature: F) -> F:
        kind = type(feature)
        if kind in self._by_type:
            raise ValueError(f"{kind.__name__} is installed already")
        self._by_type[kind] = feature
        return feature

    def get(self, kind: type[F]) -> F:
        """The installed feature of this type; KeyError when it is not installed."""
        feature = self._by_type.get(kind)
        if feature is None:
            raise KeyError(f"{kind.__name__} is not installed")
        assert isinstance(feature, kind)
        return feature

    def find(self, kind: type[F]) -> F | None:
        feature = self._by_type.get(kind)
        return feature if isinstance(feature, kind) else None

    def __iter__(self) -> Iterator[object]:
        return iter(self._by_type.values())

    def __len__(self) -> int:
        return len(self._by_type)


def install_all(window) -> None:
    for name in FEATURES:
        feature = importlib.import_module(name).install(window)
        if feature is not None:
            window.features.add(feature)
