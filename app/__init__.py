"""Brieventafel core: everything that is not a widget.

Nothing under ``app/`` imports Qt widgets (checked by ``tests/test_layers.py``);
the core runs in tests, in scripts and in a server without a display.
"""

__version__ = "0.1.0"
