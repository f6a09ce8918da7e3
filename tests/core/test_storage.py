"""Bad files never crash the app and never silently lose data."""

import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from app.desk import SCHEMA_VERSION as DESK_VERSION
from app.desk import Desk
from app.session import Session
from app.storage import StoreBusy, StoreUnreadable, open_database, transaction

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
    with transaction(conn):
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


# -- rescue row by row ----------------------------------------------------------
def _leaf_pages(path, table):
    conn = sqlite3.connect(str(path))
    try:
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = [
            r[0]
            for r in conn.execute(
                "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno",
                (table,),
            )
        ]
    finally:
        conn.close()
    return size, pages


def _scribble(path, pages, size):
    """Overwrite whole pages with 0xff: what a bad disk sector does."""
    data = bytearray(path.read_bytes())
    for page in pages:
        data[(page - 1) * size : page * size] = b"\xff" * size
    path.write_bytes(bytes(data))


def test_rescue_reads_on_after_a_damaged_page(tmp_path):
    """Rows behind a damaged page are saved too; what is lost is counted."""
    path = tmp_path / "x.sqlite3"
    conn, _ = open_database(path, store="desk", schema=SCHEMA, version=1, salvage_tables=["things"])
    with transaction(conn):
        for i in range(2000):
            conn.execute("INSERT INTO things VALUES (?, ?)", (f"id{i}", "x" * 200))
    conn.close()
    size, leaves = _leaf_pages(path, "things")
    middle = len(leaves) // 2
    _scribble(path, leaves[middle : middle + 3], size)
    conn, notices = open_database(
        path, store="desk", schema=SCHEMA, version=1, salvage_tables=["things"]
    )
    [notice] = notices
    assert notice.kind == "damaged"
    saved = {r[0] for r in conn.execute("SELECT id FROM things")}
    assert len(saved) == notice.rows_saved
    assert "id1999" in saved and "id0" in saved  # the rows after the damage too
    per_page = 2000 / len(leaves)
    assert 2000 - len(saved) <= 3 * per_page + 2
    assert notice.rows_lost == 2000 - len(saved)
    conn.close()


def test_rescue_carries_text_that_is_not_utf8_byte_for_byte(tmp_path):
    """One bad byte in a row: the row is kept as it was, for the reader to judge."""
    path = tmp_path / "x.sqlite3"
    conn, _ = open_database(path, store="desk", schema=SCHEMA, version=1, salvage_tables=["things"])
    conn.execute("INSERT INTO things VALUES ('a', CAST(X'6b61ff7074' AS TEXT))")
    conn.execute("INSERT INTO things VALUES ('b', 'heel')")
    conn.close()
    size, index = _leaf_pages(path, "sqlite_autoindex_things_1")
    _scribble(path, index, size)  # the index is damaged, the rows are fine
    conn, notices = open_database(
        path, store="desk", schema=SCHEMA, version=1, salvage_tables=["things"]
    )
    assert [n.kind for n in notices] == ["damaged"]
    rows = dict(
        conn.execute("SELECT id, CAST(value AS BLOB) FROM things WHERE typeof(value) = 'text'")
    )
    assert rows == {"a": b"ka\xffpt", "b": b"heel"}
    assert (notices[0].rows_saved, notices[0].rows_lost) == (2, 0)
    conn.close()


def _every_letter(session):
    return {letter.id for letter in session.table()} | {
        letter.id for folder in session.folders() for letter in folder.letters
    }


def test_damaged_desk_gets_every_letter_back_at_the_next_sync(data_dir, today):
    """Rows of the letters table lost: the sync cursor must not survive alone."""
    session = Session.open_practice(data_dir, today=today)
    letters = session.table()
    kept_away = letters[0].id
    session.put_away(kept_away)
    everything = _every_letter(session)
    path = session.desk.path
    session.close()
    size, leaves = _leaf_pages(path, "letters")
    assert len(leaves) >= 3
    _scribble(path, [leaves[len(leaves) // 2]], size)

    session = Session.open_practice(data_dir, today=today)  # opens and syncs
    try:
        [notice] = [n for n in session.notices if n.store == "desk"]
        assert notice.kind == "damaged" and notice.rows_lost > 0
        assert _every_letter(session) == everything
    finally:
        session.close()


# -- a first start that did not finish ---------------------------------------------
@pytest.mark.parametrize("how", ["empty file", "header only"])
def test_unfinished_first_start_is_not_damaged(tmp_path, how):
    path = tmp_path / "x.sqlite3"
    if how == "empty file":
        path.write_bytes(b"")
    else:  # what a kill right after PRAGMA journal_mode=WAL left
        raw = sqlite3.connect(str(path))
        raw.execute("PRAGMA journal_mode=WAL")
        raw.close()
    conn, notices = open_database(path, store="desk", schema=SCHEMA, version=1)
    assert notices == []
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    conn.close()
    assert sorted(p.name for p in tmp_path.iterdir() if "beschadigd" in p.name) == []


# -- locked, read-only, not ours ------------------------------------------------------
@pytest.fixture
def short_wait(monkeypatch):
    monkeypatch.setattr("app.storage.BUSY_TIMEOUT_S", 0.1)


@pytest.mark.parametrize("kind", ["desk", "practice"])
def test_store_held_in_wal_mode_raises_store_busy(tmp_path, short_wait, kind, today):
    """Another program holds the write lock: told at the start, not later in a sync."""
    from app.mailbox.practice import PracticeMailbox

    def open_store():
        if kind == "desk":
            return Desk(tmp_path, today=today)
        return PracticeMailbox(tmp_path / "practice.sqlite3", today=today)

    store = open_store()
    path = store.path
    store.close()
    holder = sqlite3.connect(str(path), isolation_level=None)
    assert holder.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreBusy):
            open_store()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert not [p for p in tmp_path.iterdir() if "beschadigd" in p.name]


def test_a_change_while_another_program_writes_raises_store_busy(tmp_path, short_wait, today):
    desk = Desk(tmp_path, today=today)
    holder = sqlite3.connect(str(desk.path), isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreBusy):
            desk.set_setting("koen", "k", "v")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    desk.set_setting("koen", "k", "v")  # and it works once the other lets go
    assert desk.setting("koen", "k") == "v"
    desk.close()


@pytest.mark.parametrize("version", [DESK_VERSION, DESK_VERSION - 1])
def test_sqlite_file_with_other_tables_is_not_called_damaged(tmp_path, today, version):
    """The desk's version, or an older one to migrate from, but not a desk: kept
    aside as someone else's file, a fresh desk (never "cannot open")."""
    path = tmp_path / "desk.sqlite3"
    other = sqlite3.connect(str(path))
    other.execute("CREATE TABLE recipes (name TEXT)")
    other.execute("INSERT INTO recipes VALUES ('erwtensoep')")
    other.execute(f"PRAGMA user_version={version}")
    other.commit()
    other.close()
    desk = Desk(tmp_path, today=today)
    try:
        [notice] = desk.notices
        assert notice.kind == "foreign"
        assert notice.backup.exists() and "beschadigd" not in notice.backup.name
        assert desk.cursor("koen") is None and desk.table("koen") == []
    finally:
        desk.close()
    kept = sqlite3.connect(str(notice.backup))
    assert kept.execute("SELECT name FROM recipes").fetchall() == [("erwtensoep",)]
    kept.close()


def test_folder_in_place_of_the_file_is_left_alone(tmp_path, today):
    (tmp_path / "desk.sqlite3").mkdir()
    (tmp_path / "desk.sqlite3" / "iets.txt").write_text("van de gebruiker")
    with pytest.raises(StoreUnreadable) as raised:
        Desk(tmp_path, today=today)
    assert raised.value.reason == "folder"
    assert (tmp_path / "desk.sqlite3" / "iets.txt").read_text() == "van de gebruiker"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["desk.sqlite3"]


# Permissions cannot be shown as root: root reads a file of mode 000. Then the
# probe runs as root without the two capabilities that override file modes
# (setpriv), so the kernel checks the modes as for anyone else. Real files,
# real modes, a real second process.
PROBE = Path(__file__).resolve().parent.parent / "store_probe.py"


def _probe(cases):
    command = [sys.executable, str(PROBE), json.dumps(cases)]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("root, and no setpriv (util-linux) to drop the override of file modes")
        command = [setpriv, "--bounding-set=-dac_override,-dac_read_search", *command]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_read_only_and_unreadable_stores_are_told_not_moved(tmp_path, today):
    cases = {}

    def desk_folder(name):
        folder = tmp_path / name
        Desk(folder, today=today).close()
        return folder

    folder = desk_folder("ro-file")
    os.chmod(folder / "desk.sqlite3", 0o400)
    cases["ro-file"] = ("desk", folder)
    folder = desk_folder("ro-folder")
    os.chmod(folder, 0o500)
    cases["ro-folder"] = ("desk", folder)
    folder = desk_folder("no-read")
    os.chmod(folder / "desk.sqlite3", 0o000)
    cases["no-read"] = ("desk", folder)
    from app.mailbox.practice import PracticeMailbox

    folder = tmp_path / "ro-practice"
    PracticeMailbox(folder / "practice.sqlite3", today=today).close()
    os.chmod(folder / "practice.sqlite3", 0o400)
    cases["ro-practice"] = ("practice", folder)

    def listing(folder):  # SQLite's own -wal and -shm of a reader may stay
        return sorted(p.name for p in folder.iterdir() if not p.name.endswith(("-wal", "-shm")))

    before = {name: listing(folder) for name, (_, folder) in cases.items()}
    try:
        results = _probe([[kind, str(folder)] for kind, folder in cases.values()])
    finally:
        for _, folder in cases.values():
            os.chmod(folder, 0o700)
            for p in folder.iterdir():
                os.chmod(p, 0o600)
    got = dict(zip(cases, results, strict=True))
    assert got["ro-file"] == {"error": "StoreReadOnly", "reason": "file"}
    assert got["ro-practice"] == {"error": "StoreReadOnly", "reason": "file"}
    assert got["ro-folder"] == {"error": "StoreReadOnly", "reason": "folder"}
    assert got["no-read"] == {"error": "StoreUnreadable", "reason": "permission"}
    after = {name: listing(folder) for name, (_, folder) in cases.items()}
    assert after == before  # nothing moved aside, nothing made


# -- private files --------------------------------------------------------------------
def _mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_stores_and_their_folders_are_private(tmp_path, today):
    old_mask = os.umask(0o022)  # the usual default: others may read
    try:
        data = tmp_path / "data"
        session = Session.open_practice(data, today=today)
        session.put_away(session.table()[0].id)
        folder = session.desk.path.parent
        files = sorted(p.name for p in folder.iterdir())
        assert {"desk.sqlite3", "desk.sqlite3-wal", "practice.sqlite3-shm"} <= set(files)
        modes = {name: _mode(folder / name) for name in files}
        session.close()
        assert modes == dict.fromkeys(files, 0o600)
        assert _mode(folder) == 0o700 and _mode(data) == 0o700
        # a damaged file is kept aside privately too
        path = folder / "desk.sqlite3"
        raw = bytearray(path.read_bytes())
        raw[100:200] = b"\x00" * 100
        path.write_bytes(bytes(raw))
        os.chmod(path, 0o644)  # as an older Brieventafel left it
        desk = Desk(folder, today=today)
        backup = desk.notices[0].backup
        desk.close()
        assert _mode(backup) == 0o600 and _mode(path) == 0o600
    finally:
        os.umask(old_mask)


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_default_data_folder_is_private(tmp_path, monkeypatch):
    from app.paths import default_data_dir

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    monkeypatch.setenv("HOME", str(tmp_path))
    folder = default_data_dir()
    assert folder.is_relative_to(tmp_path)
    assert _mode(folder) == 0o700


# -- in plain words ------------------------------------------------------------------------
def test_every_notice_and_problem_has_its_own_plain_words(tmp_path):
    from app.storage import Notice, StoreReadOnly
    from app.store_words import notice_text, problem_text

    path = tmp_path / "desk.sqlite3"
    backup = tmp_path / "desk.sqlite3.beschadigd-1"
    notices = [
        Notice("damaged", "desk", path, backup, 3, 0),
        Notice("damaged", "desk", path, backup, 3, 2),
        Notice("damaged", "practice", path, backup, 3, 2),
        Notice("newer", "desk", path, backup),
        Notice("foreign", "desk", path, backup),
        Notice("migrated", "desk", path, backup),
    ]
    problems = [
        StoreBusy(path, "desk", "open"),
        StoreBusy(path, "desk", "write"),
        StoreReadOnly(path, "desk", "file"),
        StoreReadOnly(path, "desk", "folder"),
        StoreUnreadable(path, "desk", "permission"),
        StoreUnreadable(path, "desk", "folder"),
        StoreUnreadable(path, "desk", "cannot-open"),
    ]
    texts = [notice_text(n) for n in notices] + [problem_text(p) for p in problems]
    assert len(set(texts)) == len(texts)
    for text in texts:
        for sentence in text.split(". "):
            assert len(sentence.split()) <= 15, sentence
    assert "kapot" not in notice_text(notices[4])
    assert all("kapot" not in problem_text(p) for p in problems)
    assert str(tmp_path) in problem_text(problems[3])
    assert "erwtensoep" not in str(StoreBusy(path))  # names the file only
