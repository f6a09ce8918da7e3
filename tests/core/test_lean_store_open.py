"""Opening a store a clean close left as it was, before the first frame (issue 14).

Whether its tables are ours was asked on the opening thread: every table's
columns read (``PRAGMA table_info``) and the schema built once in memory to
compare with, 3 to 4 ms of a start for the desk and the practice box. For a
store with its clean-close stamp that question now goes with the whole-file
check on its thread; a file that fails it is handled as a damaged one is: the
start waits for the check, the file loses its stamp, and opened again it is
checked at once and, not ours, set aside as before. Real SQLite files and threads.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

import app.storage as storage
from app.storage import CLEAN_SUFFIX, checks_in_background, damage_found, transaction

SCHEMA = "CREATE TABLE things (id TEXT PRIMARY KEY, value TEXT)"
OTHER = "CREATE TABLE stuff (key TEXT PRIMARY KEY, amount INT)"


@pytest.fixture
def on_threads(monkeypatch):
    """Where the stores' statements ran and where the schema was built: (thread, what)."""
    seen: list[tuple[str, str]] = []
    connect, shape = storage._connect, storage._shape

    def tracing(path):
        conn = connect(path)
        conn.set_trace_callback(lambda sql: seen.append((threading.current_thread().name, sql)))
        return conn

    def spied(schema):
        seen.append((threading.current_thread().name, "shape"))
        return shape(schema)

    monkeypatch.setattr(storage, "_connect", tracing)
    monkeypatch.setattr(storage, "_shape", spied)
    return seen


def _closed(path: Path, schema: str) -> None:
    db, _ = storage.open_database(path, store="desk", schema=schema, version=1)
    with transaction(db) as c:
        c.execute(f"INSERT INTO {'things' if schema == SCHEMA else 'stuff'} VALUES ('a', 1)")
    db.close()
    assert path.with_name(path.name + CLEAN_SUFFIX).exists()


def test_a_stamped_store_is_opened_without_reading_its_tables(tmp_path, on_threads):
    path = tmp_path / "x.sqlite3"
    _closed(path, SCHEMA)
    on_threads.clear()
    with checks_in_background():
        db, notices = storage.open_database(path, store="desk", schema=SCHEMA, version=1)
    opener = [what for thread, what in on_threads if thread == "MainThread"]
    assert not [what for what in opener if "table_info" in what or what == "shape"]
    assert damage_found() == [] and notices == []
    # asked beside the whole-file check instead
    checker = [what for thread, what in on_threads if thread == "quick_check"]
    assert "shape" in checker and any("table_info" in what for what in checker)
    assert db.conn.execute("SELECT value FROM things").fetchone()[0] == "1"
    db.close()
    assert path.with_name(path.name + CLEAN_SUFFIX).exists()  # still stamped


def test_a_stamped_store_that_is_not_ours_is_set_aside_once_its_check_is_done(tmp_path):
    path = tmp_path / "x.sqlite3"
    _closed(path, OTHER)  # another program's file, at our version, stamped
    with checks_in_background():
        db, notices = storage.open_database(path, store="desk", schema=SCHEMA, version=1)
    assert notices == []  # not known yet; nothing may be written before the check
    with pytest.raises(storage.StoreUnreadable), transaction(db) as c:
        c.execute("INSERT INTO things VALUES ('new', 'x')")
    assert damage_found() == [path]  # the start waits for it and opens again
    db.close()
    assert not path.with_name(path.name + CLEAN_SUFFIX).exists()
    db, notices = storage.open_database(path, store="desk", schema=SCHEMA, version=1)
    [notice] = notices
    assert notice.kind == "foreign" and notice.backup is not None
    assert "anders" in notice.backup.name
    import sqlite3

    kept = sqlite3.connect(notice.backup)
    assert kept.execute("SELECT key, amount FROM stuff").fetchall() == [("a", 1)]  # lost nothing
    kept.close()
    assert db.conn.execute("SELECT COUNT(*) FROM things").fetchone()[0] == 0
    db.close()


def test_outside_a_start_a_store_that_is_not_ours_is_set_aside_at_once(tmp_path):
    path = tmp_path / "x.sqlite3"
    _closed(path, OTHER)
    db, notices = storage.open_database(path, store="desk", schema=SCHEMA, version=1)
    assert [n.kind for n in notices] == ["foreign"]
    db.close()
