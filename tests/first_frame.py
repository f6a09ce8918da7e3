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

This module imports nothing of the app or of Qt itself.
"""

from __future__ import annotations

import importlib.machinery
import sys
from collections.abc import Callable

#: the module that defines the main window
WINDOW_MODULE = "ui.shell.main_window"


class _Hook:
    """A finder that lets ``ui.shell.main_window`` load as usual, then calls
    ``watch`` with the module, once."""

    def __init__(self, watch: Callable):
        self.watch = watch

    def find_spec(self, name, path, target=None):
        if name != WINDOW_MODULE:
            return None
        sys.meta_path.remove(self)
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None:
            return spec
        run = spec.loader.exec_module
        watch = self.watch

        def exec_module(module):
            run(module)
            watch(module)

        spec.loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


def when_imported(watch: Callable) -> None:
    """``watch(module)`` right after the app imports its main window's module,
    in the app's own order (before any window is made)."""
    sys.meta_path.insert(0, _Hook(watch))


def filter_windows(module, spy) -> None:
    """``spy`` (a QObject) filters the events of each main window made from now
    on, as its child."""
    init = module.MainWindow.__init__

    def spied(self, *args, **kwargs):
        init(self, *args, **kwargs)
        spy.setParent(self)
        self.installEventFilter(spy)

    module.MainWindow.__init__ = spied
