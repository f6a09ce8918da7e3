"""A small store of ``things``, and a bad sector in it (the store-check tests).

The page that goes bad keeps the file's size and time, as a disk's bad sector
does, so a check that trusts the clean-close stamp's size and time alone
would miss it.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from app import storage
from app.storage import transaction

SCHEMA = "CREATE TABLE things (id TEXT PRIMARY KEY, value TEXT)"


def filled(path: Path) -> None:
    """A desk-like store of 400 things, closed cleanly (so stamped)."""
    db, _ = storage.open_database(path, store="desk", schema=SCHEMA, version=1)
    with transaction(db) as c:
        for i in range(400):
            c.execute("INSERT INTO things VALUES (?, ?)", (f"id{i}", "x" * 300))
    db.close()


def rot(path: Path) -> None:
    """One leaf page of ``things`` overwritten; the file's size and time stay."""
    st = os.stat(path)
    conn = sqlite3.connect(str(path))
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    [page] = conn.execute(
        "SELECT pageno FROM dbstat WHERE name = 'things' AND pagetype = 'leaf' LIMIT 1 OFFSET 3"
    ).fetchone()
    conn.close()
    with open(path, "r+b") as f:
        f.seek((page - 1) * size)
        f.write(b"\xff" * size)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert os.stat(path).st_mtime_ns == st.st_mtime_ns and os.stat(path).st_size == st.st_size
