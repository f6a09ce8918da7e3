"""PyInstaller run-time hook of the bundle (packaging/brieventafel.spec, issue 14).

In a bundle the first import of PySide is not the app's: PyInstaller's own hook
for PySide6 (``pyi_rth_pyside6``, run before the app's first line) imports
``PySide6.QtCore``. Run-time hooks of the spec's own run before PyInstaller's,
so this one does what ui/shell/main.py does around its import of PySide, first:

- fast_enum is installed, so the enums that first import makes are made the
  fast way too (ui/shell/fast_enum.py);
- PySide's support modules are taken from ``pyside-support.bin`` in the bundle
  (ui/shell/support_cache.py): libshiboken compiles their 129 KB of Python at
  every start otherwise, and a bundle keeps no bytecode of its own making.
  packaging/brieventafel.spec writes that file at build time with the same
  Python and PySide. It is only read (a frozen Python writes no bytecode); a
  text that is not the same as the file's is compiled, as without the file;
  their three large regular expressions likewise (app/regex_cache.py), from
  ``pyside-regex.bin``;
- the core's dataclasses' methods likewise (app/dataclass_cache.py): from
  ``dataclass-cache/app/...bin``, one file per module, written by the spec.

``--first-frame-plain`` (the launcher's timing without the start-up hooks, for
benchmarks/startup.py) skips it.
"""


def _start() -> None:
    import os
    import sys

    if not getattr(sys, "frozen", False) or sys.argv[1:2] == ["--first-frame-plain"]:
        return
    try:
        from app import regex_cache
        from ui.shell import fast_enum, support_cache
    except Exception:  # a start-up speed-up never keeps the app from starting
        return
    fast_enum.install()
    bundle = getattr(sys, "_MEIPASS", os.path.dirname(sys.executable))
    bundled = os.path.join(bundle, SUPPORT_CACHE)
    bundled_regex = os.path.join(bundle, REGEX_CACHE)
    own = support_cache.cache_path, regex_cache.cache_path
    support_cache.cache_path = lambda: bundled
    regex_cache.cache_path = lambda: bundled_regex
    try:
        with support_cache.compiled_once():  # and regex_cache.kept() inside it
            import PySide6.QtCore  # noqa: F401
    except Exception:  # PyInstaller's hook imports it again, and says what is wrong
        return
    finally:
        support_cache.cache_path, regex_cache.cache_path = own
    # what it took from the files (the launcher's --check-start tells it)
    support_cache.bundled = {  # type: ignore[attr-defined]
        "path": bundled,
        "taken": support_cache.taken,
        "compiled": support_cache.compiled,
        "regex_taken": regex_cache.taken,
        "regex_compiled": regex_cache.compiled,
    }
    # The core's dataclasses (app/dataclass_cache.py): a module's file is the one
    # the spec wrote for that module's path, in the bundle (read, never written).
    from app import dataclass_cache

    kept = os.path.join(bundle, DATACLASS_CACHE)

    def cache_path(module_file: str) -> str | None:
        try:
            relative = os.path.relpath(module_file, bundle)
        except ValueError:  # Windows: another drive
            return None
        if relative.startswith(os.pardir) or not relative.endswith(".py"):
            return None
        return os.path.join(kept, relative[: -len(".py")] + ".bin")

    dataclass_cache.cache_path = cache_path


#: the files' names inside the bundle (packaging/brieventafel.spec)
SUPPORT_CACHE = "pyside-support.bin"
REGEX_CACHE = "pyside-regex.bin"
DATACLASS_CACHE = "dataclass-cache"
_start()
del _start
