"""Names of a module made when first asked for: a module ``__getattr__`` (PEP 562).

A start imports the core's modules, but not every class they name: a frozen
dataclass or an enum costs about 1 ms to make, and many are made only by screens
built later (issue 14). Such names live in modules of their own; the old module
hands them out through :func:`names`, so every ``from app.x import Name`` still
works, and the name is kept in the old module once asked for.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any


def names(module: str, where: Mapping[str, str]) -> Callable[[str], Any]:
    """A ``__getattr__`` for ``module``: ``where[name]`` is the module that
    makes ``name``, imported when the name is first asked for."""

    def getattr_(name: str) -> Any:
        found = where.get(name)
        if found is None:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(found), name)
        setattr(sys.modules[module], name, value)  # asked once
        return value

    return getattr_
