"""Files of compiled code kept beside a module's bytecode.

Two start-up caches keep code Python would otherwise compile at every start
(issue 14): the methods ``@dataclass`` writes (``app/dataclass_cache.py``) and
PySide's own support modules (``ui/shell/support_cache.py``). Both keep a
marshal file where Python keeps the module's bytecode (``__pycache__`` or
``sys.pycache_prefix``), named for the interpreter's bytecode version; both
treat a file that cannot be read as no file, and write one whole or not at all.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import sys


def path_beside(module_file: str, kind: str) -> str | None:
    """The ``kind`` cache file beside a module's bytecode; None when there is
    none (a frozen bundle keeps no bytecode of its own making)."""
    if getattr(sys, "frozen", False):
        return None
    try:
        from importlib.util import MAGIC_NUMBER, cache_from_source

        pyc = cache_from_source(module_file)
    except (NotImplementedError, ValueError, TypeError):  # no cache_tag
        return None
    stem = os.path.basename(module_file).rpartition(".")[0]
    tag = sys.implementation.cache_tag or "python"
    name = f"{stem}.{kind}.{tag}-{MAGIC_NUMBER.hex()}-o{sys.flags.optimize}.bin"
    return os.path.join(os.path.dirname(pyc), name)


def read(path: str | None) -> object:
    """What the file holds, or None when there is no file or it cannot be read."""
    if path is None:
        return None
    try:
        with open(path, "rb") as file:
            return marshal.loads(file.read())
    except (OSError, EOFError, ValueError, TypeError):
        return None


def write(path: str, value: dict) -> None:
    """``value`` into the file, whole or not at all (another process may write
    too); nothing where Python writes no bytecode, or the folder refuses."""
    if sys.dont_write_bytecode:
        return
    part = f"{path}.{os.getpid()}.part"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(part, "wb") as file:
            file.write(marshal.dumps(value))
        os.replace(part, path)
    except (OSError, ValueError):  # compiled again next time
        with contextlib.suppress(OSError):
            os.unlink(part)
