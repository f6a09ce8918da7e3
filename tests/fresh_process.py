"""A test's script in a Python process of its own, at the project's root.

For what only a new process shows: what a start loads before its first frame,
what a cache file gives the next start, whether PySide made a class yet. The
script runs offscreen (``QT_QPA_PLATFORM``), its output is read as text, and a
failure raises (``check``) with what the script printed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(
    script: str, *args: str, env: dict | None = None, timeout: float = 60
) -> subprocess.CompletedProcess:
    """``python -c script args...``; ``env`` is added to this process's own."""
    environment = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        env=environment,
        cwd=ROOT,
        timeout=timeout,
        check=True,
    )


def last_json(script: str, *args: str, env: dict | None = None, timeout: float = 60):
    """What the script printed last, as JSON."""
    return json.loads(run(script, *args, env=env, timeout=timeout).stdout.strip().splitlines()[-1])


def with_bytecode(prefix: Path, *, write: bool = True) -> dict:
    """The environment for a process that keeps its bytecode under ``prefix``
    (or, with ``write=False``, writes none, as with PYTHONDONTWRITEBYTECODE)."""
    # an empty value is no value for Python's PYTHON* variables
    return {"PYTHONPYCACHEPREFIX": str(prefix), "PYTHONDONTWRITEBYTECODE": "" if write else "1"}
