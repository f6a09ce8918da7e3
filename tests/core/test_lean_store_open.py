"""Opening a store a clean close left as it was, before the first frame (issue 14).

Whether its tables are ours was asked at every start: every table's columns read
(``PRAGMA table_info``) and the schema built once in memory to compare with,
3 to 4 ms of a start for the desk and the practice box. The clean-close stamp
now also keeps which schema the tables were found (or made) to fit; a store
stamped so, for the schema the app has now, is not asked again. Any other
stamp (an older one, another schema, after a migration) is asked as before.
Real SQLite files.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

import pytest

import app.storage as storage
from app.storage import CLEAN_SUFFIX, checks_in_background, damage_found, transaction
from store_rot import SCHEMA, filled, rot

OTHER = "CREATE TABLE stuff (key TEXT PRIMARY KEY, amount INT)"


@pytest.fixture
def asked(monkeypatch):
    """Every statement the stores ran and every schema built to compare: (thread, what)."""
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


def _tables_read(seen) -> list[str]:
    return [what for _thread, what in seen if "table_info" in what or what == "shape"]


def _closed(path: Path, schema: str = SCHEMA, version: int = 1) -> None:
    db, _ = storage.open_database(path, store="desk", schema=schema, version=version)
    with transaction(db) as c:
        c.execute(f"INSERT INTO {'stuff' if schema == OTHER else 'things'} VALUES ('a', 1)")
    db.close()
    assert path.with_name(path.name + CLEAN_SUFFIX).exists()


def _open(path: Path, schema: str = SCHEMA, version: int = 1, migrations=None):
    with checks_in_background():
        return storage.open_database(
            path, store="desk", schema=schema, version=version, migrations=migrations
        )


def test_a_store_stamped_with_its_schema_is_opened_without_reading_its_tables(tmp_path, asked):
    path = tmp_path / "x.sqlite3"
    _closed(path)  # made from the schema: stamped with it
    asked.clear()
    db, notices = _open(path)
    assert _tables_read(asked) == []
    assert damage_found() == [] and notices == []
    assert [thread for thread, what in asked if "quick_check" in what] == ["quick_check"]
    assert db.conn.execute("SELECT value FROM things").fetchone()[0] == "1"
    db.close()
    asked.clear()
    db, _ = _open(path)  # and so again: the stamp keeps it
    assert _tables_read(asked) == []
    db.close()


def test_a_stamp_of_before_or_of_another_schema_has_the_tables_read_as_before(tmp_path, asked):
    path = tmp_path / "x.sqlite3"
    _closed(path)
    stamp = path.with_name(path.name + CLEAN_SUFFIX)
    identity = stamp.read_text("ascii").split()[0]
    stamp.write_text(identity + "\n", "ascii")  # as the app before this kept it
    asked.clear()
    db, notices = _open(path)
    assert _tables_read(asked)  # read once on the opening thread
    assert {thread for thread, what in asked if "table_info" in what} == {"MainThread"}
    assert notices == [] and damage_found() == []
    db.close()
    asked.clear()
    db, _ = _open(path)  # now the stamp keeps the schema
    assert _tables_read(asked) == []
    db.close()

    # the same file, now asked for with another schema at the same version:
    # not ours, set aside at once, as before (nothing lost)
    db, notices = _open(path, schema=OTHER)
    assert [n.kind for n in notices] == ["foreign"]
    db.close()
    [backup] = [n.backup for n in notices]
    assert backup is not None
    kept = sqlite3.connect(backup)
    assert kept.execute("SELECT id, value FROM things").fetchall() == [("a", "1")]
    kept.close()


def test_after_a_migration_the_tables_are_read_once_more(tmp_path, asked):
    path = tmp_path / "x.sqlite3"
    _closed(path)
    newer = SCHEMA + "; CREATE TABLE more (id TEXT)"

    def add_more(conn):
        conn.execute("CREATE TABLE more (id TEXT)")

    db, notices = _open(path, schema=newer, version=2, migrations={1: add_more})
    assert [n.kind for n in notices] == ["migrated"]
    db.close()
    asked.clear()
    db, notices = _open(path, schema=newer, version=2)
    assert notices == [] and _tables_read(asked)  # the migrated tables found to fit
    db.close()
    asked.clear()
    db, _ = _open(path, schema=newer, version=2)
    assert _tables_read(asked) == []
    db.close()


def test_damage_since_a_stamped_close_is_still_found_and_rescued(tmp_path):
    path = tmp_path / "x.sqlite3"
    filled(path)
    rot(path)  # what a bad sector does: a page goes bad, the file's size and time stay
    db, notices = _open(path)
    assert notices == []
    assert damage_found() == [path]
    db.close()
    db, notices = storage.open_database(
        path, store="desk", schema=SCHEMA, version=1, salvage_tables=["things"]
    )
    assert [n.kind for n in notices] == ["damaged"]
    db.close()


# -- what else a start did for each store ---------------------------------------------
FRESH_OPEN = r"""
import pathlib, sys
from pathlib import Path
import app.storage as storage

globbed = []
glob = pathlib.Path.glob
pathlib.Path.glob = lambda self, pattern: globbed.append(pattern) or glob(self, pattern)
with storage.checks_in_background():
    db, _ = storage.open_database(Path(sys.argv[1]), store="desk", schema=sys.argv[2], version=1)
print(globbed, "encodings.ascii" in sys.modules)
assert storage.damage_found() == []
db.close()
"""


def test_a_start_compiles_no_file_pattern_and_loads_no_codec_per_store(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "x.sqlite3"
    _closed(path)
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-c", FRESH_OPEN, str(path), SCHEMA],
        capture_output=True,
        text=True,
        cwd=root,
        timeout=60,
        check=True,
    )
    # the folder is read once by name (os.scandir); the stamp is read as bytes
    assert out.stdout.split() == ["[]", "False"]


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_what_a_cut_off_copy_left_goes_and_our_files_become_private(tmp_path):
    path = tmp_path / "x.sqlite3"
    _closed(path)
    names = {
        "x.sqlite3.versie1-20261201.part": False,  # a copy cut off: goes
        "x.sqlite3..part": False,
        "x.sqlite3.part": True,  # not one of ours: stays
        "y.sqlite3.a.part": True,
        "x.sqlite3.beschadigd-20261201": True,
    }
    for name in names:
        (tmp_path / name).write_text("x")
        os.chmod(tmp_path / name, 0o644)
    (tmp_path / "other.txt").write_text("x")
    os.chmod(tmp_path / "other.txt", 0o644)
    db, _ = _open(path)
    assert damage_found() == []
    db.close()
    assert {n: (tmp_path / n).exists() for n in names} == names
    modes = {n: os.stat(tmp_path / n).st_mode & 0o777 for n in names if names[n]}
    # what begins with the store's name is ours and only the user's; the rest stays
    assert modes == {
        "x.sqlite3.part": 0o600,
        "y.sqlite3.a.part": 0o644,
        "x.sqlite3.beschadigd-20261201": 0o600,
    }
    assert os.stat(tmp_path / "other.txt").st_mode & 0o777 == 0o644
