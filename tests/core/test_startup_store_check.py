"""The stores' whole-file check runs beside the window's start (issue 14).

``PRAGMA quick_check`` reads every page: 30-45 ms for a desk of 10,000 letters,
before the first frame. A store that a clean close left exactly as it is (its
stamp ``<name>.gesloten``: the file's identity, size and time, and no journal
beside it) is checked on a thread of its own while the window's modules load;
the start waits for that check before it shows or writes anything, and a file
damaged since (a bad sector keeps the file's size and time) is rescued then, as
before. Real SQLite files, real threads, a real start in a subprocess.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import app.storage as storage
from app.desk import Desk
from app.storage import (
    CLEAN_SUFFIX,
    StoreUnreadable,
    checks_in_background,
    damage_found,
    transaction,
)
from store_rot import SCHEMA, filled, rot

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def traced(monkeypatch):
    """What each connection ran, by thread: (thread name, statement)."""
    import threading

    seen: list[tuple[str, str]] = []
    connect = storage._connect

    def tracing(path):
        conn = connect(path)
        conn.set_trace_callback(lambda sql: seen.append((threading.current_thread().name, sql)))
        return conn

    monkeypatch.setattr(storage, "_connect", tracing)
    return seen


def _checks(seen):
    return [thread for thread, sql in seen if "quick_check" in sql]


def test_a_store_closed_cleanly_is_checked_beside_the_start(tmp_path, traced):
    path = tmp_path / "x.sqlite3"
    filled(path)
    assert (tmp_path / ("x.sqlite3" + CLEAN_SUFFIX)).exists()
    traced.clear()
    with checks_in_background():
        db, notices = storage.open_database(path, store="desk", schema=SCHEMA, version=1)
    assert notices == []
    assert damage_found() == []
    assert _checks(traced) == ["quick_check"]  # on its own thread, not the opener's
    db.close()


def test_without_the_stamp_or_outside_the_start_it_is_checked_at_once(tmp_path, traced):
    path = tmp_path / "x.sqlite3"
    filled(path)
    traced.clear()
    db, _ = storage.open_database(path, store="desk", schema=SCHEMA, version=1)  # no start
    db.close()
    (tmp_path / ("x.sqlite3" + CLEAN_SUFFIX)).unlink()  # as a kill leaves it
    with checks_in_background():
        db, _ = storage.open_database(path, store="desk", schema=SCHEMA, version=1)
    db.close()
    assert _checks(traced) == ["MainThread", "MainThread"]


def test_a_write_that_was_not_closed_is_checked_at_once(tmp_path, traced):
    path = tmp_path / "x.sqlite3"
    filled(path)
    # a kill: the last change is still in the -wal beside the file
    code = (
        "import os, sys; from pathlib import Path; import app.storage as s;"
        f"db, _ = s.open_database(Path(sys.argv[1]), store='desk', schema={SCHEMA!r}, version=1);"
        'c = db.conn; c.execute(\'INSERT INTO things VALUES ("k", "v")\'); os._exit(0)'
    )
    subprocess.run([sys.executable, "-c", code, str(path)], cwd=ROOT, check=True, timeout=60)
    assert Path(str(path) + "-wal").exists()
    traced.clear()
    with checks_in_background():
        db, _ = storage.open_database(path, store="desk", schema=SCHEMA, version=1)
    assert _checks(traced) == ["MainThread"]
    assert db.conn.execute("SELECT value FROM things WHERE id = 'k'").fetchone()[0] == "v"
    db.close()


def test_damage_since_a_clean_close_is_found_and_rescued_before_a_write(tmp_path):
    path = tmp_path / "x.sqlite3"
    filled(path)
    rot(path)
    with checks_in_background():
        db, notices = storage.open_database(
            path, store="desk", schema=SCHEMA, version=1, salvage_tables=["things"]
        )
    assert notices == []  # not known yet
    # never a write into it before the check
    with pytest.raises(StoreUnreadable), transaction(db) as c:
        c.execute("INSERT INTO things VALUES ('new', 'x')")
    assert damage_found() == [path]
    db.close()
    assert not (tmp_path / ("x.sqlite3" + CLEAN_SUFFIX)).exists()  # no stamp for it
    db, notices = storage.open_database(
        path, store="desk", schema=SCHEMA, version=1, salvage_tables=["things"]
    )
    [notice] = notices
    assert notice.kind == "damaged" and notice.backup is not None and notice.backup.exists()
    assert db.conn.execute("SELECT COUNT(*) FROM things").fetchone()[0] == notice.rows_saved
    assert db.conn.execute("SELECT 1 FROM things WHERE id = 'new'").fetchone() is None
    db.close()


def test_the_real_start_rescues_a_desk_damaged_since_a_clean_close(tmp_path, today):
    data = tmp_path / "data"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    args = [sys.executable, "-m", "app", "--self-test", "--data-dir", str(data)]
    first = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert first.returncode == 0, first.stderr
    desk = data / "oefenpost" / "desk.sqlite3"
    assert Path(str(desk) + CLEAN_SUFFIX).exists()
    # a bad sector in the desk's letters (the table, size and time stay)
    st = os.stat(desk)
    conn = sqlite3.connect(str(desk))
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    pages = [
        r[0]
        for r in conn.execute("SELECT pageno FROM dbstat WHERE name = 'letters' ORDER BY pageno")
    ]
    conn.close()
    with open(desk, "r+b") as f:
        f.seek((pages[len(pages) // 2] - 1) * size)
        f.write(b"\xff" * size)
    os.utime(desk, ns=(st.st_atime_ns, st.st_mtime_ns))
    again = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert again.returncode == 0, again.stderr
    assert "Traceback" not in again.stderr
    assert "self-test: " in again.stdout
    assert list(desk.parent.glob("desk.sqlite3.beschadigd-*"))  # kept aside, rescued
    checked = Desk(desk.parent, today=today)
    try:
        assert checked.conn.conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    finally:
        checked.close()
