"""Opening SQLite files so that bad files never crash the app or lose data.

Every store (practice mailbox, desk) opens through :func:`open_database`:

* missing file: created with the current schema;
* older schema: a copy is kept, then the file is migrated in one transaction;
* corrupt file, not a database, or written by a newer version: the file is
  moved aside as ``<name>.beschadigd-<time>`` (kept, never deleted), a fresh
  file is made, and every row that can still be read is carried over;
* locked by another program: we wait, then raise :class:`StoreBusy`.

What happened is returned as :class:`Notice` objects; the UI tells the person
in plain words. The core never opens a dialog itself.

A :class:`Database` hands each thread its own connection: an ``sqlite3``
connection must not cross threads, and the UI's background helper
(``ui/shell/tasks.py``) works on another thread than the window.
"""

from __future__ import annotations

import shutil
import sqlite3
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

BUSY_TIMEOUT_S = 5.0


class StoreBusy(RuntimeError):
    """The file is locked by another program for longer than we wait."""

    def __init__(self, path: Path):
        super().__init__(f"database is locked: {path}")
        self.path = path


@dataclass(frozen=True)
class Notice:
    """Something the person should be told about a store.

    kind: "damaged" (corrupt or unreadable, a copy was kept and rows saved),
    "newer" (made by a newer Brieventafel, a copy was kept),
    "migrated" (older version, updated; a copy was kept).
    """

    kind: str
    store: str  # "desk" or "practice"
    path: Path
    backup: Path | None = None
    rows_saved: int = 0


def _side_files(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


def _backup_name(path: Path, label: str) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    candidate = path.with_name(f"{path.name}.{label}-{stamp}")
    n = 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}.{label}-{stamp}-{n}")
    return candidate


def _connect(path: Path) -> sqlite3.Connection:
    # check_same_thread=False only so that Database.close() may close every
    # thread's connection from one thread; each connection is used by its own
    # thread alone (Database.conn).
    conn = sqlite3.connect(
        str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
    )
    conn.row_factory = sqlite3.Row
    return conn


def _configure(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")


def _is_locked(error: sqlite3.Error) -> bool:
    return "locked" in str(error) or "busy" in str(error)


def _create(path: Path, schema: str, version: int) -> sqlite3.Connection:
    conn = _connect(path)
    _configure(conn)
    with transaction(conn):
        for statement in _statements(schema):
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version={int(version)}")
    return conn


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


class Database:
    """One SQLite file with one connection per thread, opened on first use.

    ``conn`` is the calling thread's connection; :meth:`execute` runs on it.
    The first connection is the one :func:`open_database` checked, migrated
    or rescued; every later one is configured the same way.
    """

    def __init__(self, path: Path, first: sqlite3.Connection):
        self.path = Path(path)
        self._local = threading.local()
        self._local.conn = first
        self._all = [first]
        self._lock = threading.Lock()
        self._closed = False

    @property
    def conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            if self._closed:
                raise sqlite3.ProgrammingError("Cannot operate on a closed database.")
            conn = _connect(self.path)
            _configure(conn)
            with self._lock:
                self._all.append(conn)
            self._local.conn = conn
        return conn

    def execute(self, sql: str, parameters=()) -> sqlite3.Cursor:
        return self.conn.execute(sql, parameters)

    def close(self) -> None:
        """Close every thread's connection. Further use raises ProgrammingError."""
        with self._lock:
            self._closed = True
            for conn in self._all:
                conn.close()


class transaction:  # noqa: N801 - used as a context manager like a keyword
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any error."""

    def __init__(self, db: sqlite3.Connection | Database):
        self.conn = db.conn if isinstance(db, Database) else db

    def __enter__(self) -> sqlite3.Connection:
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.conn.execute("COMMIT")
        else:
            self.conn.execute("ROLLBACK")


def _salvage(damaged: Path, conn: sqlite3.Connection, tables: Sequence[str]) -> int:
    """Copy every readable row of ``tables`` from a damaged file; returns rows saved."""
    saved = 0
    try:
        old = sqlite3.connect(f"file:{damaged}?mode=ro", uri=True)
    except sqlite3.Error:
        return 0
    try:
        for table in tables:
            try:
                columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
                old_columns = {r[1] for r in old.execute(f"PRAGMA table_info({table})")}
                shared = [c for c in columns if c in old_columns]
                if not shared:
                    continue
                cursor = old.execute(f"SELECT {', '.join(shared)} FROM {table}")
            except sqlite3.Error:
                continue
            placeholders = ", ".join("?" for _ in shared)
            insert = f"INSERT OR IGNORE INTO {table} ({', '.join(shared)}) VALUES ({placeholders})"
            while True:
                try:
                    row = cursor.fetchone()
                except sqlite3.Error:
                    break  # the rest of this table is unreadable
                if row is None:
                    break
                try:
                    conn.execute(insert, row)
                    saved += 1
                except sqlite3.Error:
                    continue
    finally:
        old.close()
    return saved


def _move_aside(path: Path, label: str) -> Path:
    backup = _backup_name(path, label)
    shutil.move(str(path), str(backup))
    for side in _side_files(path):
        if side.exists():
            shutil.move(str(side), str(backup.with_name(backup.name + side.name[len(path.name) :])))
    return backup


def open_database(
    path: Path,
    *,
    store: str,
    schema: str,
    version: int,
    migrations: Mapping[int, Callable[[sqlite3.Connection], None]] | None = None,
    salvage_tables: Sequence[str] = (),
) -> tuple[Database, list[Notice]]:
    """Open (or make, migrate or rescue) the SQLite file at ``path``.

    ``migrations[n]`` upgrades a file from version ``n`` to ``n + 1``.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    notices: list[Notice] = []
    if not path.exists():
        return Database(path, _create(path, schema, version)), notices

    reason = None
    conn = None
    try:
        conn = _connect(path)
        check = conn.execute("PRAGMA quick_check").fetchone()[0]
        found = conn.execute("PRAGMA user_version").fetchone()[0]
        if check != "ok":
            reason = "damaged"
        elif found > version:
            reason = "newer"
        elif found < version and (
            migrations is None or any(v not in migrations for v in range(found, version))
        ):
            reason = "damaged"
    except sqlite3.Error as error:
        if _is_locked(error):
            if conn is not None:
                conn.close()
            raise StoreBusy(path) from error
        reason = "damaged"

    if reason is None and found < version:
        assert conn is not None and migrations is not None
        backup = _backup_name(path, f"versie{found}")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copy2(path, backup)
        try:
            _configure(conn)
            with transaction(conn):
                for v in range(found, version):
                    migrations[v](conn)
                conn.execute(f"PRAGMA user_version={int(version)}")
            notices.append(Notice("migrated", store, path, backup))
            return Database(path, conn), notices
        except sqlite3.Error:
            reason = "damaged"

    if reason is None:
        assert conn is not None
        try:
            _configure(conn)
            return Database(path, conn), notices
        except sqlite3.Error as error:
            if _is_locked(error):
                conn.close()
                raise StoreBusy(path) from error
            reason = "damaged"

    if conn is not None:
        conn.close()
    backup = _move_aside(path, "beschadigd" if reason == "damaged" else "nieuwer")
    fresh = _create(path, schema, version)
    with transaction(fresh):
        saved = _salvage(backup, fresh, salvage_tables) if reason == "damaged" else 0
    notices.append(Notice(reason, store, path, backup, saved))
    return Database(path, fresh), notices
