"""The code of the dataclasses' methods, compiled once and kept as bytecode is.

``@dataclass`` writes the source of every method it adds (``__init__``,
``__repr__``, ``__eq__``, and for a frozen one ``__hash__``, ``__setattr__``,
``__delattr__``) and compiles it with ``exec`` each time a module is imported:
about 75 % of the 1 to 2.5 ms each frozen dataclass costs, some 12 ms of the
core's dataclasses before the first frame (issue 14). Python keeps a module's
bytecode in ``__pycache__``, but not this.

:func:`install` gives :mod:`dataclasses` an ``exec`` that looks the source
text up first: a text compiled before (the whole text is the key) runs its
code from the cache file, one file read for all of them; any other is compiled
as ``exec`` would (same file name ``<string>``, no inherited ``__future__``
flags) and added. The functions made are the same; only the compiling is
saved. The file lives where this module's bytecode does (``__pycache__`` or
``sys.pycache_prefix``), named for the interpreter's bytecode version, and is
written, whole and atomically, only where Python writes bytecode (never with
``PYTHONDONTWRITEBYTECODE``), at exit and only when something was added. A
file that cannot be read, or holds anything else, is left aside: everything is
compiled then, as without it.
"""

from __future__ import annotations

import atexit
import builtins
import contextlib
import marshal
import os
import sys
import types
from collections.abc import Sequence  # loaded already (site), as importlib is
from importlib.machinery import ModuleSpec

#: the source texts compiled, and their code
_codes: dict[str, types.CodeType] = {}
#: the texts this process made dataclasses of
_used: set[str] = set()
#: more texts than any version of the app has: the file keeps only what was used
MOST = 2000
#: how many texts this process compiled itself (the tests look)
compiled = 0
#: how many texts the cache file gave
loaded = 0
_path: str | None = None
_added = False


def cache_path() -> str | None:
    """The cache file beside this module's bytecode; None when there is none
    (a frozen bundle keeps no bytecode of its own making)."""
    if getattr(sys, "frozen", False):
        return None
    try:
        from importlib.util import MAGIC_NUMBER, cache_from_source

        pyc = cache_from_source(__file__)
    except (NotImplementedError, ValueError, TypeError):  # no cache_tag, a frozen app
        return None
    tag = sys.implementation.cache_tag or "python"
    name = f"dataclass-code.{tag}-{MAGIC_NUMBER.hex()}-o{sys.flags.optimize}.bin"
    return os.path.join(os.path.dirname(pyc), name)


def _load(path: str) -> dict[str, types.CodeType]:
    try:
        with open(path, "rb") as file:
            found = marshal.loads(file.read())
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    if not isinstance(found, dict):
        return {}
    return {
        text: code
        for text, code in found.items()
        if isinstance(text, str) and isinstance(code, types.CodeType)
    }


def _exec(source: object, globals_: dict | None = None, locals_: dict | None = None) -> None:
    """``exec`` for :mod:`dataclasses`: the code of a text compiled before."""
    if isinstance(source, str):
        _used.add(source)
        code = _codes.get(source)
        if code is None:
            global compiled, _added
            # as exec compiles it: dataclasses has no __future__ imports
            code = compile(source, "<string>", "exec", dont_inherit=True)
            _codes[source] = code
            compiled += 1
            _added = True
        source = code
    builtins.exec(source, globals_, locals_)  # type: ignore[arg-type]


def _save() -> None:
    if not _added or _path is None or sys.dont_write_bytecode:
        return
    folder = os.path.dirname(_path)
    part = f"{_path}.{os.getpid()}.part"
    # what others left too (the tests', the watcher's), unless it grew past use
    kept = _codes if len(_codes) <= MOST else {t: _codes[t] for t in _used}
    try:
        os.makedirs(folder, exist_ok=True)
        with open(part, "wb") as file:
            file.write(marshal.dumps(kept))
        os.replace(part, _path)  # whole or not at all; another process may write too
    except (OSError, ValueError):
        with contextlib.suppress(OSError):
            os.unlink(part)


def _patch(dataclasses: types.ModuleType) -> None:
    global _path, loaded
    if getattr(dataclasses, "exec", None) is _exec:
        return
    _path = cache_path()
    if _path is not None:
        _codes.update(_load(_path))
        loaded = len(_codes)
    dataclasses.exec = _exec  # type: ignore[attr-defined]  # its module global, not builtins
    atexit.register(_save)


class _WhenImported:
    """Patches :mod:`dataclasses` right after it is first imported, so that a
    process of the core that never makes a dataclass (a second start handing
    over to the first) neither imports it nor reads the cache."""

    def find_spec(
        self, name: str, path: Sequence[str] | None, target: types.ModuleType | None = None
    ) -> ModuleSpec | None:
        if name != "dataclasses":
            return None
        sys.meta_path.remove(self)
        for finder in sys.meta_path:  # whoever finds it (a frozen app has its own)
            find = getattr(finder, "find_spec", None)
            spec = find(name, path, target) if find is not None else None
            if spec is not None:
                break
        else:
            return None
        loader = spec.loader
        own = getattr(loader, "__dict__", None)
        if loader is None or isinstance(loader, type) or own is None or "exec_module" in own:
            return spec  # a loader shared in a way we do not know: no cache, as before
        run = loader.exec_module

        def exec_module(module: types.ModuleType) -> None:
            del own["exec_module"]  # the loader as it was, for any other module
            run(module)
            if module.__name__ == "dataclasses":
                _patch(module)

        own["exec_module"] = exec_module
        return spec


def install() -> None:
    """From now on, dataclasses made in this process use the cache."""
    found = sys.modules.get("dataclasses")
    if found is not None:
        _patch(found)
    elif not any(isinstance(f, _WhenImported) for f in sys.meta_path):
        sys.meta_path.insert(0, _WhenImported())
