"""PySide's own Python support modules, compiled once and kept as bytecode is.

When PySide loads, libshiboken runs 13 Python modules of its own
(``shibokensupport``: the signatures behind ``help()``, error messages and the
``__feature__`` switch) from a zip archive inside the library, and compiles
each from its source at every start: ``compile()`` of 129 KB of Python, 36 ms
of a start of about 220 here (issue 14), also in a bare PySide window, and
8 ms more for the script that loads them (``signature_bootstrap.py``). Python
keeps bytecode for the files it imports, but not for these.

:func:`compiled_once` wraps the import of PySide: while it runs, a ``compile``
of one of those modules (its file name starts with ``shibokensupport/``, or is
that script's) gives
the code kept for exactly that source text and flags, or compiles it and keeps
it; every other ``compile`` is Python's own, with the same inherited
``__future__`` flags. Afterwards ``builtins.compile`` is Python's again. What was
compiled is written, whole and atomically, beside this module's bytecode (or
under ``sys.pycache_prefix``), in a file named for the interpreter's bytecode
version, and only where Python writes bytecode (never with
``PYTHONDONTWRITEBYTECODE``). A file that cannot be read, or holds anything
else, is left aside: everything is compiled then, as without it. The code is
the code ``compile`` makes of the same text (``tests/shell/test_support_cache.py``
compares them). The three large regular expressions those modules compile
(about 25 ms more) are kept the same way meanwhile: app/regex_cache.py.
"""

from __future__ import annotations
import __future__ as future_flags

import builtins
import contextlib
import sys
import types
from collections.abc import Iterator

from app import code_cache, regex_cache

_real_compile = builtins.compile
#: the compile flags a caller's ``from __future__`` imports add
_FUTURE = 0
for _name in future_flags.all_feature_names:
    _FUTURE |= getattr(future_flags, _name).compiler_flag
#: where PySide's support modules say they come from
PREFIX = "shibokensupport/"
#: and the script that loads them (7 KB, 8 ms to compile here), by its own name
BOOTSTRAP = "signature_bootstrap.py"
#: how many the last compiled_once() took from the file / compiled (tests look)
taken = 0
compiled = 0


def cache_path() -> str | None:
    """The cache file beside this module's bytecode (app/code_cache.py)."""
    return code_cache.path_beside(__file__, "pyside-support")


def _load(path: str | None) -> dict[str, tuple[bytes, int, types.CodeType]]:
    found = code_cache.read(path)
    if not isinstance(found, dict):
        return {}
    kept = {}
    for name, entry in found.items():
        if (
            isinstance(name, str)
            and isinstance(entry, tuple)
            and len(entry) == 3
            and isinstance(entry[0], bytes)
            and isinstance(entry[1], int)
            and isinstance(entry[2], types.CodeType)
        ):
            kept[name] = entry
    return kept


@contextlib.contextmanager
def compiled_once() -> Iterator[None]:
    """Around the first import of PySide: its support modules' code from the
    cache file, and the file written when something had to be compiled."""
    global taken, compiled
    taken = compiled = 0
    path = cache_path()
    if path is None or builtins.compile is not _real_compile:  # another hook: leave it
        yield
        return
    known = _load(path)
    made: dict[str, tuple[bytes, int, types.CodeType]] = {}

    def compile(  # noqa: A001 - in the place of the builtin, with its signature
        source, filename, mode, flags=0, dont_inherit=False, optimize=-1, *, _feature_version=-1
    ):
        global taken, compiled
        if not dont_inherit:  # the caller's __future__ imports, as the builtin takes them
            flags |= sys._getframe(1).f_code.co_flags & _FUTURE
        if (
            type(source) is bytes
            and type(filename) is str
            and (filename.startswith(PREFIX) or filename == BOOTSTRAP)
            and mode == "exec"
            and optimize == -1
            and _feature_version == -1
            and not flags & ~_FUTURE
        ):
            entry = known.get(filename)
            if entry is not None and entry[0] == source and entry[1] == flags:
                made[filename] = entry
                taken += 1
                return entry[2]
            code = _real_compile(source, filename, mode, flags, True, optimize)
            made[filename] = (source, flags, code)
            compiled += 1
            return code
        return _real_compile(
            source, filename, mode, flags, True, optimize, _feature_version=_feature_version
        )

    builtins.compile = compile
    try:
        # and the regular expressions they compile (about 25 ms): app/regex_cache.py
        with regex_cache.kept():
            yield
    finally:
        builtins.compile = _real_compile
        if compiled:
            code_cache.write(path, made)
