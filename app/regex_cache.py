"""Regular expressions compiled once and kept, as bytecode is (issue 14).

PySide's support modules compile three regular expressions of about 6 KB each
when PySide is imported (its signature parser and its ``.pyi`` formatter):
about 30 ms of every start here, a bare PySide window's too. Python's ``re``
compiles a pattern in Python (it parses it, then writes the matcher's code, a
list of numbers) and keeps the result for the process only.

:func:`kept` wraps a stretch of the start (PySide's import, in
``ui/shell/support_cache.py``): every pattern compiled there through ``re``
(``re.compile``, ``re.match`` ..., all of which ask ``re._compile``) is made
from the code kept for exactly that pattern text and those flags, by the same
C function ``re`` ends with (``_sre.compile``, which checks the code); any
other is compiled by ``re`` as always, and what ``re`` handed to
``_sre.compile`` for it is kept. The file is written, whole, where Python keeps
this module's bytecode (app/code_cache.py), and only when something new was
compiled; it also names the matcher's version (``_sre.MAGIC``), and a file of
another version, or that cannot be read, counts as no file. Only on CPython
3.11, whose ``re`` internals this follows; elsewhere :func:`kept` changes
nothing. A compiled pattern is the very object ``re`` would make
(``tests/core/test_regex_cache.py`` compares them).
"""

from __future__ import annotations

import _sre  # type: ignore[import-not-found]  # no stub: the C matcher re uses
import contextlib
import re
import sys
from collections.abc import Iterator

from app import code_cache

#: the interpreters whose ``re._compile`` and ``_sre.compile`` this follows
SUPPORTED = sys.implementation.name == "cpython" and sys.version_info[:2] == (3, 11)
_real_compile = re._compile  # type: ignore[attr-defined]
_real_sre_compile = _sre.compile
#: what a file must say it was made for
_VERSION = (_sre.MAGIC, _sre.CODESIZE, sys.maxunicode)
#: flags whose patterns ``re`` never keeps (and neither does this)
_NOT_KEPT = re.DEBUG | re.TEMPLATE

#: how many the last kept() took from the file / compiled (tests look)
taken = 0
compiled = 0

# (pattern, flags) -> the arguments after the pattern that re gave _sre.compile
_Entry = tuple[int, tuple[int, ...], int, dict[str, int], tuple[str | None, ...]]


def cache_path() -> str | None:
    """The cache file beside this module's bytecode (app/code_cache.py)."""
    return code_cache.path_beside(__file__, "regex")


def _entry(value: object) -> bool:
    if not (isinstance(value, tuple) and len(value) == 5):
        return False
    flags, code, groups, groupindex, indexgroup = value
    return (
        type(flags) is int
        # each number of the code is _sre.compile's to check (it refuses a bad one)
        and isinstance(code, tuple)
        and type(groups) is int
        and isinstance(groupindex, dict)
        and all(type(k) is str and type(v) is int for k, v in groupindex.items())
        and isinstance(indexgroup, tuple)
        and all(g is None or type(g) is str for g in indexgroup)
    )


def _load(path: str | None) -> dict[tuple[str, int], _Entry]:
    found = code_cache.read(path)
    if not (isinstance(found, dict) and found.get("version") == _VERSION):
        return {}
    patterns = found.get("patterns")
    if not isinstance(patterns, dict):
        return {}
    return {
        key: entry
        for key, entry in patterns.items()
        if isinstance(key, tuple)
        and len(key) == 2
        and type(key[0]) is str
        and type(key[1]) is int
        and _entry(entry)
    }


def _keep_in_re(pattern: str, flags: int, compiled_pattern: re.Pattern) -> None:
    """Into ``re``'s own cache, as ``re._compile`` puts what it compiled."""
    cache = re._cache  # type: ignore[attr-defined]
    if len(cache) >= re._MAXCACHE:  # type: ignore[attr-defined]
        with contextlib.suppress(StopIteration, RuntimeError, KeyError):
            del cache[next(iter(cache))]
    cache[str, pattern, flags] = compiled_pattern


@contextlib.contextmanager
def kept(path: str | None = None) -> Iterator[None]:
    """Around a stretch of the start: its patterns from the file, and the file
    written when one had to be compiled. ``path``: the file (tests); by
    default :func:`cache_path`."""
    global taken, compiled
    taken = compiled = 0
    path = path if path is not None else cache_path()
    if (
        not SUPPORTED
        or path is None
        or re._compile is not _real_compile  # type: ignore[attr-defined]  # another hook
        or _sre.compile is not _real_sre_compile
    ):
        yield
        return
    known = _load(path)
    used: dict[tuple[str, int], _Entry] = {}
    made: list[tuple[re.Pattern, _Entry]] = []

    def sre_compile(pattern, flags, code, groups, groupindex, indexgroup):
        result = _real_sre_compile(pattern, flags, code, groups, groupindex, indexgroup)
        # plain ints: re's opcodes are an int subclass, which marshal refuses
        entry = (
            int(flags),
            tuple(int(c) for c in code),
            int(groups),
            {str(k): int(v) for k, v in groupindex.items()},
            tuple(indexgroup),
        )
        made.append((result, entry))
        return result

    def compile_(pattern, flags):
        global taken, compiled
        if isinstance(flags, re.RegexFlag):
            flags = flags.value
        if type(pattern) is not str or type(flags) is not int or flags & _NOT_KEPT:
            return _real_compile(pattern, flags)
        found = re._cache.get((str, pattern, flags))  # type: ignore[attr-defined]
        if found is not None:
            return found
        key = (pattern, flags)
        entry = known.get(key)
        if entry is not None:
            try:
                result = _real_sre_compile(pattern, entry[0], list(entry[1]), *entry[2:])
            except (RuntimeError, TypeError, ValueError, OverflowError):  # code it refuses
                result = None
            if result is not None:
                _keep_in_re(pattern, flags, result)
                used[key] = entry
                taken += 1
                return result
        before = len(made)
        result = _real_compile(pattern, flags)
        if len(made) == before + 1 and made[-1][0] is result:
            used[key] = made[-1][1]
            compiled += 1
        return result

    re._compile = compile_  # type: ignore[attr-defined]
    _sre.compile = sre_compile
    try:
        yield
    finally:
        re._compile = _real_compile  # type: ignore[attr-defined]
        _sre.compile = _real_sre_compile
        if compiled:
            code_cache.write(path, {"version": _VERSION, "patterns": used})
