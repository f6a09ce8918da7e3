"""Bad files never crash the app and never silently lose data."""

import sqlite3

import pytest

from app.desk import Desk
from app.storage import StoreBusy, open_database

SCHEMA = "CREATE TABLE things (id TEXT PRIMARY KEY, value TEXT)"


def test_missing_file_is_created(tmp_path):
    conn, notices = open_database(tmp_path / "x.sqlite3", store="desk", schema=SCHEMA, version=1)
    assert notices == []
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1


def test_garbage_file_is_kept_and_replaced(tmp_path):
    path = tmp_path / "x.sqlite3"
    path.write_bytes(b"this is not a database at all" * 100)
    conn, notices = open_database(
        path, store="desk", schema=SCHEMA, version=1, salvage_tables=["things"]
    )
    assert [n.kind for n in notices] == ["damaged"]
    backup = notices[0].backup
    assert backup.exists() and backup.read_bytes().startswith(b"this is not")
    conn.execute("INSERT INTO things VALUES ('a', 'b')")  # the new file works


def test_damaged_database_rows_are_saved(tmp_path):
    path = tmp_path / "x.sqlite3"
    conn, _ = open_database(path, store="desk", schema=SCHEMA, version=1, salvage_tables=["things"])
    conn.execute("PRAGMA journal_mode=DELETE")
    for i in range(2000):
        conn.execute("INSERT INTO things VALUES (?, ?)", (f"id{i}", "x" * 200))
    conn.close()
    data = bytearray(path.read_bytes())
    # Scribble over pages in the middle: the rest of the table stays readable.
    start = (len(data) // 2) // 4096 * 4096
    data[start : start + 4096 * 8] = b"\xff" * 4096 * 8
    path.write_bytes(bytes(data))
    conn, notices = open_database(
        path, store="desk", schema=SCHEMA, version=1, salvage_tables=["things"]
    )
    assert [n.kind for n in notices] == ["damaged"]
    saved = conn.execute("SELECT COUNT(*) FROM things").fetchone()[0]
    assert saved == notices[0].rows_saved
    assert 0 < saved < 2000
    assert notices[0].backup.exists()


def test_older_version_is_migrated_with_a_copy(tmp_path):
    path = tmp_path / "x.sqlite3"
    conn, _ = open_database(path, store="desk", schema=SCHEMA, version=1)
    conn.execute("INSERT INTO things VALUES ('a', 'b')")
    conn.close()

    def add_column(c):
        c.execute("ALTER TABLE things ADD COLUMN extra TEXT DEFAULT 'new'")

    conn, notices = open_database(
        path, store="desk", schema=SCHEMA, version=2, migrations={1: add_column}
    )
    assert [n.kind for n in notices] == ["migrated"]
    assert tuple(conn.execute("SELECT id, extra FROM things").fetchone()) == ("a", "new")
    assert notices[0].backup.exists()


def test_newer_version_is_kept_aside(tmp_path):
    path = tmp_path / "x.sqlite3"
    conn, _ = open_database(path, store="desk", schema=SCHEMA, version=5)
    conn.close()
    conn, notices = open_database(path, store="desk", schema=SCHEMA, version=1)
    assert [n.kind for n in notices] == ["newer"]
    assert notices[0].backup.exists()


def test_locked_file_raises_store_busy(tmp_path, monkeypatch):
    monkeypatch.setattr("app.storage.BUSY_TIMEOUT_S", 0.1)
    path = tmp_path / "x.sqlite3"
    conn, _ = open_database(path, store="desk", schema=SCHEMA, version=1)
    conn.close()
    holder = sqlite3.connect(str(path), isolation_level=None)
    holder.execute("PRAGMA journal_mode=DELETE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreBusy):
            open_database(path, store="desk", schema=SCHEMA, version=1)
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_corrupt_desk_keeps_put_away_letters(tmp_path, session, today):
    """A damaged desk file: the app starts, tells, and keeps what it can read."""
    letter = session.table()[0]
    session.put_away(letter.id)
    path = session.desk.path
    session.close()
    data = bytearray(path.read_bytes())
    data[100:200] = b"\x00" * 100  # break the header's page counts
    path.write_bytes(bytes(data))
    desk = Desk(path.parent, today=today)
    try:
        assert desk.notices and desk.notices[0].kind in {"damaged"}
        assert desk.notices[0].backup.exists()
    finally:
        desk.close()
