"""A store made at a first start (issue 14): whole, in WAL mode, in one go.

A first start made its two stores with 31 syncs (0.5 to 5 ms each here): the
new file was built with a synced rollback journal, switched to WAL at its
first open (a transaction of its own, four syncs), and the desk's triggers
came in a commit after that. Now the file is built unsynced and synced once,
already in WAL mode, with what its schema cannot say (``made``) in the same
transaction. What that must not cost: a file that was cut off while it was
built is never taken in as finished.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from app import storage
from app.desk import FILE_NAME, INDEXES, TRIGGERS, Desk
from app.storage import open_database

SCHEMA = "CREATE TABLE things (id TEXT PRIMARY KEY, value TEXT)"


def _header_modes(path: Path) -> bytes:
    """The file format's write and read version bytes: 2 and 2 is WAL."""
    with open(path, "rb") as f:
        f.seek(18)
        return f.read(2)


def test_a_new_store_is_built_in_wal_mode(tmp_path):
    tmp = tmp_path / "x.sqlite3.new-tmp"
    storage._build(tmp, SCHEMA, 1)
    assert _header_modes(tmp) == b"\x02\x02"
    assert sorted(p.name for p in tmp_path.iterdir()) == [tmp.name]  # no -wal, no journal
    db, notices = open_database(tmp_path / "y.sqlite3", store="desk", schema=SCHEMA, version=1)
    try:
        assert notices == []
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        db.execute("INSERT INTO things VALUES ('a', 'b')")
        assert db.execute("SELECT value FROM things").fetchone()[0] == "b"
    finally:
        db.close()


def test_what_the_schema_cannot_say_is_made_with_it(tmp_path):
    seen: list[list[str]] = []

    def made(conn: sqlite3.Connection) -> None:
        seen.append([r[0] for r in conn.execute("SELECT name FROM sqlite_master")])
        conn.execute("CREATE INDEX things_value ON things (value)")

    path = tmp_path / "x.sqlite3"
    db, _ = open_database(path, store="desk", schema=SCHEMA, version=1, made=made)
    db.close()
    assert seen and "things" in seen[0]  # after the schema
    db, _ = open_database(path, store="desk", schema=SCHEMA, version=1, made=made)
    try:
        assert len(seen) == 1  # a new file only
        names = {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
        assert "things_value" in names
    finally:
        db.close()


def test_a_new_desk_is_whole_after_its_open_with_nothing_written_after(tmp_path):
    desk = Desk(tmp_path)
    try:
        wal = tmp_path / (FILE_NAME + "-wal")
        # The triggers and indexes were made with the file: no commit after
        # the open (the probe write rolls back).
        assert not wal.exists() or wal.stat().st_size == 0
        names = {r[0] for r in desk.conn.execute("SELECT name FROM sqlite_master")}
        assert set(TRIGGERS) | set(INDEXES) <= names
    finally:
        desk.close()


def test_a_built_file_cut_off_before_its_sync_is_not_taken_in(tmp_path):
    """A power cut before the built file's one sync may keep the page with its
    version and lose others: with the store itself gone, such a file is made
    again, never put in place as finished."""
    path = tmp_path / "x.sqlite3"
    tmp = tmp_path / "x.sqlite3.new-tmp"
    storage._build(tmp, SCHEMA, 1)
    conn = sqlite3.connect(str(tmp))
    with conn:
        for i in range(300):
            conn.execute("INSERT INTO things VALUES (?, ?)", (f"id{i}", "x" * 300))
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    data = bytearray(tmp.read_bytes())
    assert len(data) > 4 * size
    data[2 * size : 4 * size] = bytes(2 * size)  # never written: zeros
    tmp.write_bytes(bytes(data))
    assert storage._finished(tmp, 1) is False
    db, notices = open_database(path, store="desk", schema=SCHEMA, version=1)
    try:
        assert notices == []
        assert db.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        assert db.execute("SELECT COUNT(*) FROM things").fetchone()[0] == 0
    finally:
        db.close()


def test_a_whole_built_file_is_still_put_in_place(tmp_path):
    """A kill after the build, before its rename: the finished file is the store."""
    path = tmp_path / "x.sqlite3"
    tmp = tmp_path / "x.sqlite3.new-tmp"

    def fill(conn: sqlite3.Connection) -> None:
        conn.execute("INSERT INTO things VALUES ('kept', 'yes')")

    storage._build(tmp, SCHEMA, 1, fill)
    db, notices = open_database(path, store="desk", schema=SCHEMA, version=1)
    try:
        assert notices == []
        assert db.execute("SELECT value FROM things WHERE id = 'kept'").fetchone()[0] == "yes"
    finally:
        db.close()
    assert not tmp.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if "new-tmp" in p.name) == []
