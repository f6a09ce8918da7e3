"""The code of the dataclasses' methods, compiled once and kept as bytecode is.

``@dataclass`` writes the source of every method it adds (``__init__``,
``__repr__``, ``__eq__``, and for a frozen one ``__hash__``, ``__setattr__``,
``__delattr__``) and compiles it with ``exec`` each time a module is imported:
about 75 % of the 1 to 2.5 ms each frozen dataclass costs, some 12 ms of the
core's dataclasses before the first frame (issue 14). Python keeps a module's
bytecode in ``__pycache__``, but not this.

:func:`install` gives :mod:`dataclasses` an ``exec`` that, for a dataclass of
the core (a module under ``app``), looks the source text up first: a text
compiled before (the whole text is the key) runs its code from the module's
cache file; any other is compiled as ``exec`` would (same file name
``<string>``, no inherited ``__future__`` flags). The functions made are the
same; only the compiling is saved. Each module's file lives beside its
bytecode (``__pycache__`` or ``sys.pycache_prefix``), named for the
interpreter's bytecode version, and keeps what the module's dataclasses are
now; it is written, whole and atomically, only where Python writes bytecode
(never with ``PYTHONDONTWRITEBYTECODE``), at exit and only when a text was
compiled. A file that cannot be read, or holds anything else, is left aside:
that module's methods are compiled then, as without it.
"""

from __future__ import annotations

import atexit
import builtins
import sys
import types
from collections.abc import Sequence  # loaded already (site), as importlib is
from importlib.machinery import ModuleSpec

from app import code_cache

#: per module of the core: its cache file, and the texts that file gave or
#: this process compiled, with their code
_where: dict[str, str] = {}
_codes: dict[str, dict[str, types.CodeType]] = {}
#: per module: the texts this process made its dataclasses of (what its file keeps)
_used: dict[str, dict[str, types.CodeType]] = {}
#: the modules whose file is to be written (a text was compiled)
_stale: set[str] = set()
#: how many texts this process compiled itself, and how many a cache file gave
#: (the tests look)
compiled = 0
loaded = 0


def cache_path(module_file: str) -> str | None:
    """The cache file beside a module's bytecode (app/code_cache.py)."""
    return code_cache.path_beside(module_file, "dataclasses")


def _load(path: str | None) -> dict[str, types.CodeType]:
    found = code_cache.read(path)
    if not isinstance(found, dict):
        return {}
    return {
        text: code
        for text, code in found.items()
        if isinstance(text, str) and isinstance(code, types.CodeType)
    }


def _ours(globals_: object) -> str | None:
    """The core's module a dataclass is made in (its methods' globals), or None."""
    if not isinstance(globals_, dict):
        return None
    name, file = globals_.get("__name__"), globals_.get("__file__")
    if not isinstance(name, str) or not isinstance(file, str) or not file.endswith(".py"):
        return None
    if name != "app" and not name.startswith("app."):
        return None
    if name not in _codes:
        _where[name] = cache_path(file) or ""
        _codes[name] = _load(_where[name] or None)
    return name


def _exec(source: object, globals_: dict | None = None, locals_: dict | None = None) -> None:
    """``exec`` for :mod:`dataclasses`: the code of a text compiled before."""
    module = _ours(globals_) if isinstance(source, str) else None
    if module is not None and isinstance(source, str):
        global compiled, loaded
        codes = _codes[module]
        code = codes.get(source)
        if code is None:
            # as exec compiles it: dataclasses has no __future__ imports
            code = compile(source, "<string>", "exec", dont_inherit=True)
            codes[source] = code
            compiled += 1
            _stale.add(module)
        else:
            loaded += 1
        _used.setdefault(module, {})[source] = code
        source = code
    builtins.exec(source, globals_, locals_)  # type: ignore[arg-type]


def _save() -> None:
    for module in sorted(_stale):
        path = _where.get(module)
        if path:  # what this process made of the module: its dataclasses as they are now
            code_cache.write(path, _used[module])


def _patch(dataclasses: types.ModuleType) -> None:
    if getattr(dataclasses, "exec", None) is _exec:
        return
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
