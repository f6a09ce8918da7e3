"""Guided mode for library volunteers: scripts as data, and a visit that leaves nothing behind.

No Qt. Four parts, re-exported here:

* :mod:`app.guided.scripts`: the scripts in ``resources/guided/scripts.json``
  (steps "Zeg", "Doe", "Waarom"; every text a Dutch msgid);
* :mod:`app.guided.handout`: what a finished script puts on the visitor's handout;
* :mod:`app.guided.extract`: the Babel extractor for the scripts (``babel.cfg``);
* :mod:`app.guided.visit`: the throwaway profile with its lock record, and
  :func:`cleanup_stale` for what a killed session left.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.lazy import names as lazy_names

#: Each public name and the part it lives in. Loaded on first use: every start
#: calls ``cleanup_stale`` and should not pay for the scripts, the handout and
#: the Babel extractor (about 70 ms).
_WHERE = {
    "extract_scripts": "extract",
    **dict.fromkeys(
        (
            "Handout",
            "ScriptResult",
            "TodoItem",
            "build_handout",
            "bullet",
            "own_line",
            "script_result",
        ),
        "handout",
    ),
    **dict.fromkeys(
        ("Script", "Step", "load_general_help", "load_scripts", "script_msgids", "scripts_path"),
        "scripts",
    ),
    **dict.fromkeys(
        (
            "KEYRING_SERVICE_PREFIX",
            "LOCK_SUFFIX",
            "ROOT_PREFIX",
            "Visit",
            "VisitSecrets",
            "cleanup_stale",
            "default_root",
            "pid_alive",
        ),
        "visit",
    ),
}

if TYPE_CHECKING:
    from app.guided.extract import extract_scripts
    from app.guided.handout import (
        Handout,
        ScriptResult,
        TodoItem,
        build_handout,
        bullet,
        own_line,
        script_result,
    )
    from app.guided.scripts import (
        Script,
        Step,
        load_general_help,
        load_scripts,
        script_msgids,
        scripts_path,
    )
    from app.guided.visit import (
        KEYRING_SERVICE_PREFIX,
        LOCK_SUFFIX,
        ROOT_PREFIX,
        Visit,
        VisitSecrets,
        cleanup_stale,
        default_root,
        pid_alive,
    )


__getattr__ = lazy_names(__name__, {name: f"app.guided.{part}" for name, part in _WHERE.items()})


__all__ = [
    "KEYRING_SERVICE_PREFIX",
    "LOCK_SUFFIX",
    "ROOT_PREFIX",
    "Handout",
    "Script",
    "ScriptResult",
    "Step",
    "TodoItem",
    "Visit",
    "VisitSecrets",
    "build_handout",
    "bullet",
    "cleanup_stale",
    "default_root",
    "extract_scripts",
    "load_general_help",
    "load_scripts",
    "own_line",
    "pid_alive",
    "script_msgids",
    "script_result",
    "scripts_path",
]
