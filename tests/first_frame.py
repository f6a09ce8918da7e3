"""Watching the real app's main window from inside its own process (issue 14).

The start-up tests and benchmarks run ``python -m app``'s ``main`` in a process
of their own and look at what is loaded, made or asked when the window's first
frame is painted. They must not change what they measure: the app imports in
its own order, and a filter goes on the main window only (one on the whole
application would itself make PySide resolve its lazily made classes).

In such a process (cwd the project root)::

    sys.path.insert(0, "tests")
    import first_frame
    first_frame.when_imported(lambda module: first_frame.filter_windows(module, spy))

The watcher is the bundle's own (packaging/launcher.py, whose ``--first-frame``
the bundle's benchmark rows run; the bundle ships no tests/), so the tests, the
benchmarks and the bundle watch the same way. That module and this one import
nothing of the app or of Qt at their top.
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "packaging"))

from launcher import WINDOW_MODULE, filter_windows, when_imported  # noqa: E402

__all__ = ["WINDOW_MODULE", "filter_windows", "when_imported"]
