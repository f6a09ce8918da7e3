"""Guided-mode scripts as data: ``resources/guided/scripts.json``.

Each script is a short series of steps ("Zeg", "Doe", "Waarom") and what goes
on the visitor's handout. Every text is a Dutch msgid; the UI passes it
through gettext when it shows it, so a new script needs no new widget.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from app.paths import resources_dir


@dataclass(frozen=True)
class Step:
    """One step. Texts are msgids: pass them through ``_()`` when shown.

    ``targets``: objectNames of the control to click, first one found wins
    (a screen of another feature may not be there yet). ``reveal``: in this
    step the visitor decides whether the volunteer may read along.
    """

    say: str
    do: str
    why: str
    targets: tuple[str, ...] = ()
    reveal: bool = False


@dataclass(frozen=True)
class Script:
    id: str
    title: str
    about: str
    steps: tuple[Step, ...]
    #: practice story that fits the script (PEOPLE.md); used while the mailbox is the practice one
    practice_person: str | None = None
    done: str = ""
    todo: tuple[str, ...] = ()
    help: tuple[str, ...] = ()
    #: facts read from the mailbox for the handout:
    #: "account_status", "notifications", "paper", "letters"
    facts: tuple[str, ...] = ()


def scripts_path() -> Path:
    return resources_dir() / "guided" / "scripts.json"


def _script(data: dict) -> Script:
    steps = tuple(
        Step(
            say=s["say"],
            do=s["do"],
            why=s["why"],
            targets=tuple(s.get("targets", ())),
            reveal=bool(s.get("reveal")),
        )
        for s in data["steps"]
    )
    handout = data.get("handout", {})
    return Script(
        id=data["id"],
        title=data["title"],
        about=data["about"],
        steps=steps,
        practice_person=data.get("practice_person"),
        done=handout.get("done", ""),
        todo=tuple(handout.get("todo", ())),
        help=tuple(handout.get("help", ())),
        facts=tuple(data.get("facts", ())),
    )


def load_scripts(path: Path | None = None) -> list[Script]:
    """The scripts in the order the volunteer sees them."""
    data = json.loads((path or scripts_path()).read_text(encoding="utf-8"))
    return [_script(item) for item in data["scripts"]]


def load_general_help(path: Path | None = None) -> tuple[str, ...]:
    """Where to get help next: printed on every handout (msgids)."""
    data = json.loads((path or scripts_path()).read_text(encoding="utf-8"))
    return tuple(data.get("help", ()))


TEXT_KEYS = ("title", "about", "say", "do", "why", "done")
LIST_KEYS = ("todo", "help")


def texts(node) -> Iterator[str]:
    """Every translatable text in the scripts file, in file order."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in TEXT_KEYS and isinstance(value, str):
                if value:
                    yield value
            elif key in LIST_KEYS and isinstance(value, list):
                yield from (v for v in value if isinstance(v, str) and v)
            else:
                yield from texts(value)
    elif isinstance(node, list):
        for item in node:
            yield from texts(item)


def script_msgids(path: Path | None = None) -> list[str]:
    data = json.loads((path or scripts_path()).read_text(encoding="utf-8"))
    return list(dict.fromkeys(texts(data)))
