"""Brieventafel core: everything that is not a widget.

Nothing under ``app/`` imports Qt widgets (checked by ``tests/test_layers.py``);
the core runs in tests, in scripts and in a server without a display.
"""

__version__ = "0.1.0"

# The dataclasses' methods are compiled once, not at every start (issue 14).
from app import dataclass_cache as _dataclass_cache  # noqa: E402

_dataclass_cache.install()
