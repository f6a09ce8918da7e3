"""Filling a data folder for practice: people with PINs, organisations with an
OIN and a key. The letters themselves are the practice box's own seed
(resources/practice), made by :class:`PracticeMailbox` on first open.

The OINs here are practice numbers (``00000099...``), not the real ones.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from app.mailbox.practice import PracticeMailbox
from app.paths import make_private_folder

from .store import ServerStore

#: The practice people's PINs (documented in docs/server.md; practice only).
PRACTICE_PINS = {"koen": "11111", "corry": "22222", "kees": "33333", "lisa": "44444"}
#: The mandate stories' helpers (issue 13): they sign in and act for someone else.
PRACTICE_PINS.update(monique="55555", piet="66666", ingrid="77777", ali="88888")
KEYS_FILE = "afnemers.json"


def practice_oin(index: int) -> str:
    """A 20-digit practice OIN for the organisation at ``index``."""
    return f"0000009900000000{index + 1:04d}"


def fill_practice(box: PracticeMailbox, store: ServerStore, data_dir: Path) -> None:
    """PINs for the practice people and a key for every organisation, each made
    once; new keys are added to ``afnemers.json`` (private, 0600) in the folder."""
    for person in box.practice_people(with_mandates=True):
        pin = PRACTICE_PINS.get(person.id)
        if pin and not store.has_pin(person.id):
            store.set_pin(person.id, pin)
    make_private_folder(Path(data_dir))  # on PostgreSQL nothing else made it
    keys_path = Path(data_dir) / KEYS_FILE
    keys: dict[str, dict[str, str]] = {}
    if keys_path.exists():
        keys = json.loads(keys_path.read_text(encoding="utf-8"))
    added = False
    for index, org in enumerate(box.organisations()):
        key = store.add_afnemer(practice_oin(index), org.id)
        if key is not None:
            keys[org.id] = {"oin": practice_oin(index), "sleutel": key}
            added = True
    if added:
        tmp = keys_path.with_name(keys_path.name + ".part")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(keys, out, indent=2)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, keys_path)


def afnemer_keys(data_dir: Path) -> dict[str, dict[str, str]]:
    """org_id -> {"oin", "sleutel"} as written by :func:`fill_practice`."""
    return json.loads((Path(data_dir) / KEYS_FILE).read_text(encoding="utf-8"))
