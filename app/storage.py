"""Opening SQLite files so that bad files never crash the app or lose data.

Every store (practice mailbox, desk) opens through :func:`open_database`:

* missing file: created beside (``<name>.new-tmp``) with the current schema,
  then renamed into place, so a kill never leaves a half-made file;
* a valid file with no tables and version 0 (a first start that did not
  finish, by an older Brieventafel): made again, no notice;
* older schema: a copy is kept, then the file is migrated in one transaction;
* corrupt file, not a database, or written by a newer version: every row that
  can still be read is copied, row by row, into a new file built beside the
  old one (``<name>.rescue-tmp``); only when that file is complete and on disk
  is the old one moved aside as ``<name>.beschadigd-<time>`` (kept, never
  deleted) and the new one renamed into place. A kill at any moment leaves the
  old state or the new one; the next start carries on from there;
* a valid SQLite file that is not ours (other tables): kept aside as
  ``<name>.anders-<time>``, not called damaged;
* locked by another program: we wait, then raise :class:`StoreBusy`;
* a file or folder we may not write: :class:`StoreReadOnly`; a file we may
  not read, or a folder in its place: :class:`StoreUnreadable`. Nothing is
  moved or changed then.

What happened is returned as :class:`Notice` objects; the UI tells the person
in plain words (:mod:`app.store_words`). The core never opens a dialog itself.

Opening, creating, migrating and rescuing happen under a lock file beside the
store (``<name>.lock``, :class:`app.instance.OsFileLock`), so two starts at the same moment never
judge or move each other's half-made files.

Every file and folder the stores write is private to the user on POSIX
(files 0600, folders 0700): they hold names, BSNs and letters. On Windows the
user's own profile folder keeps them private.

A :class:`Database` hands each thread its own connection: an ``sqlite3``
connection must not cross threads, and the UI's background helper
(``ui/shell/tasks.py``) works on another thread than the window.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app.paths import make_private_file, make_private_folder

BUSY_TIMEOUT_S = 5.0
#: How long a start waits for another start of the same store to finish opening.
LOCK_TIMEOUT_S = 30.0
NEW_SUFFIX = ".new-tmp"
RESCUE_SUFFIX = ".rescue-tmp"
LOCK_SUFFIX = ".lock"
#: Beside a store closed cleanly: the file's identity, size and time then.
#: Inside :func:`checks_in_background` a store found exactly so (and no -wal,
#: -shm or -journal beside it) is checked by ``PRAGMA quick_check`` on a thread
#: of its own while the window is built (it reads the whole file: 30-45 ms for
#: a desk of 10,000 letters; issue 14); :func:`damage_found` waits for it.
CLEAN_SUFFIX = ".gesloten"

#: set by :func:`checks_in_background`
_in_background = False
_pending: list[Database] = []
#: Inside a rescued file until it is first opened: what the rescue found.
RECORD_TABLE = "brieventafel_rescue"
_LABELS = {"damaged": "beschadigd", "newer": "nieuwer", "foreign": "anders"}


#: any failure of a store's file or connection (a closed desk included), for the
#: layers above the core: the screens catch this and never import sqlite3 themselves
StoreError = sqlite3.Error


class StoreProblem(sqlite3.OperationalError):
    """A store that cannot be used now. Nothing was moved or changed.

    A subclass of ``sqlite3.OperationalError``, so code that turns storage
    errors into its own (the practice mailbox's "storage-failed") still does.
    ``str()`` names only the file, never a row (rows hold names and BSNs).
    """

    def __init__(self, path: Path, store: str = "", reason: str = ""):
        super().__init__(f"{type(self).__name__} ({reason}): {Path(path).name}")
        self.path = Path(path)
        self.store = store
        self.reason = reason


class StoreBusy(StoreProblem):
    """Another program holds the file's lock longer than we wait.

    reason: "open" (at the start) or "write" (a change could not be saved).
    """

    def __init__(self, path: Path, store: str = "", reason: str = "open"):
        super().__init__(path, store, reason)


class StoreReadOnly(StoreProblem):
    """We may read but not write. reason: "file" or "folder"."""


class StoreUnreadable(StoreProblem):
    """We may not open it. reason: "permission", "folder" (a folder stands
    where the file should be) or "cannot-open"."""


@dataclass(frozen=True)
class Notice:
    """Something the person should be told about a store.

    kind: "damaged" (corrupt or unreadable, a copy was kept and rows saved),
    "newer" (made by a newer Brieventafel, a copy was kept),
    "foreign" (a valid SQLite file that is not ours, kept aside),
    "migrated" (older version, updated; a copy was kept).
    ``rows_lost`` counts rows known to exist that could not be read; damage
    can hide rows entirely, so it is a lower bound.
    """

    kind: str
    store: str  # "desk" or "practice"
    path: Path
    backup: Path | None = None
    rows_saved: int = 0
    rows_lost: int = 0


# -- files ------------------------------------------------------------------------
def _beside(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _identity(path: Path) -> str | None:
    """What changes whenever the file is written, replaced or moved."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}"


def _schema_mark(schema: str, version: int) -> str:
    """Which schema a store's tables fit, in a few characters (for the stamp)."""
    import zlib  # loaded already (shutil)

    return f"v{int(version)}-{zlib.crc32(schema.encode('utf-8')):08x}"


def _stamp_clean_close(path: Path, schema_mark: str = "") -> None:
    """After the last connection closed: the stamp, only when SQLite left no
    journal beside the file, with the mark of the schema its tables fit (when
    known). Never raises: without a stamp the next start checks."""
    if any(os.path.lexists(p) for p in _side_files(path)):
        return
    identity = _identity(path)
    if identity is None:
        return
    from app.paths import write_atomically

    kept = f"{identity} {schema_mark}" if schema_mark else identity
    with contextlib.suppress(OSError):
        write_atomically(_beside(path, CLEAN_SUFFIX), kept + "\n")


class checks_in_background:  # noqa: N801 - used as a context manager like a keyword
    """Stores opened inside are checked while the caller goes on, when a clean
    close left them as they are (:data:`CLEAN_SUFFIX`); the caller must ask
    :func:`damage_found` before it shows or writes anything of them. Until the
    check is done, :class:`transaction` waits for it (and refuses a damaged file)."""

    def __enter__(self) -> None:
        global _in_background
        _in_background = True

    def __exit__(self, *exc: object) -> None:
        global _in_background
        _in_background = False


def checks_running() -> bool:
    """Whether :func:`checks_in_background` left checks to wait for."""
    return bool(_pending)


def damage_found() -> list[Path]:
    """Waits for the checks :func:`checks_in_background` started; the files they
    found damaged. Those lost their stamp: opened again, they are rescued."""
    waiting, _pending[:] = list(_pending), []
    return [db.path for db in waiting if not db.checked()]


def _closed_cleanly(path: Path) -> str | None:
    """The file is exactly as a clean close left it: nothing wrote, replaced or
    cut it since, and no journal waits beside it (a kill leaves the -wal). Then
    the mark of the schema its tables fit, as the stamp keeps it ("": not
    known); None when it is not so."""
    try:
        # bytes, decoded: a text file in "ascii" loads its codec (0.4 ms; issue 14)
        kept = _beside(path, CLEAN_SUFFIX).read_bytes().decode("ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    if any(os.path.lexists(p) for p in _side_files(path)):
        return None
    identity, _, mark = kept.partition(" ")
    return mark if identity == _identity(path) else None


def _side_files(path: Path) -> list[Path]:
    return [_beside(path, suffix) for suffix in ("-wal", "-shm", "-journal")]


def _backup_name(path: Path, label: str) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    candidate = path.with_name(f"{path.name}.{label}-{stamp}")
    n = 1
    while any(p.exists() for p in (candidate, *_side_files(candidate))):
        n += 1
        candidate = path.with_name(f"{path.name}.{label}-{stamp}-{n}")
    return candidate


def _fsync_folder(folder: Path) -> None:
    if os.name != "posix":
        return  # Windows cannot open a folder; its renames are journalled (NTFS)
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as f:
        os.fsync(f.fileno())


def _remove(path: Path) -> None:
    """Remove a temporary file of ours and its side files (never a store)."""
    for p in (path, *_side_files(path)):
        with contextlib.suppress(FileNotFoundError):
            p.unlink()


def _rename(source: Path, target: Path) -> None:
    os.replace(source, target)
    make_private_file(target)


def _move_aside(path: Path, backup: Path) -> None:
    """The store and its side files to the backup's names; folder synced.
    An empty -wal and the -shm (an index, never data) are not worth keeping."""
    for p, to in [(path, backup), *zip(_side_files(path), _side_files(backup), strict=True)]:
        if not p.exists() or to.exists():
            continue
        if p != path and (p.name.endswith("-shm") or p.stat().st_size == 0):
            p.unlink()
        else:
            _rename(p, to)
    _fsync_folder(path.parent)


def _keep_strays(path: Path) -> None:
    """A -wal or -journal without its store must never be replayed into a new
    file of that name: kept aside (data is never deleted), -shm removed."""
    strays = [p for p in _side_files(path) if p.exists()]
    if not strays:
        return
    backup = _backup_name(path, "los")
    for p, to in zip(_side_files(path), _side_files(backup), strict=True):
        if p.exists():
            if p.name.endswith("-shm"):
                p.unlink()
            else:
                _rename(p, to)
    _fsync_folder(path.parent)


def _beside_names(path: Path) -> list[str]:
    """The names in the store's folder that begin with the store's name (as
    ``glob(name + "*")`` finds them, without its pattern compiled at each open:
    about 0.4 ms a store before the first frame; issue 14)."""
    prefix = os.path.normcase(path.name)
    try:
        with os.scandir(path.parent) as entries:
            return [e.name for e in entries if os.path.normcase(e.name).startswith(prefix)]
    except OSError:
        return []


def _tighten(path: Path) -> None:
    """Files of ours an older Brieventafel left readable to others: 0600."""
    if os.name != "posix":
        return
    for name in _beside_names(path):
        p = path.parent / name
        if p.is_file():
            make_private_file(p)


def glob_escape(name: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", name)


# -- connections --------------------------------------------------------------------
def _connect(path: Path) -> sqlite3.Connection:
    # check_same_thread=False only so that Database.close() may close every
    # thread's connection from one thread; each connection is used by its own
    # thread alone (Database.conn).
    conn = sqlite3.connect(
        str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
    )
    conn.row_factory = sqlite3.Row
    return conn


def _error_name(error: sqlite3.Error) -> str:
    return getattr(error, "sqlite_errorname", "") or ""


def _is_locked(error: sqlite3.Error) -> bool:
    name = _error_name(error)
    if name:
        return name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED"))
    return "locked" in str(error) or "busy" in str(error)


def _is_read_only(error: sqlite3.Error) -> bool:
    return _error_name(error).startswith("SQLITE_READONLY") or "readonly" in str(error)


def _is_damage(error: sqlite3.Error) -> bool:
    """Only these errors mean the file itself is bad."""
    name = _error_name(error)
    if name:
        return name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB", "SQLITE_FORMAT"))
    return isinstance(error, sqlite3.DatabaseError) and not isinstance(
        error, sqlite3.OperationalError
    )


def _problem(error: sqlite3.Error, path: Path, store: str, doing: str = "open") -> StoreProblem:
    """A storage error that is not damage, as the problem to tell."""
    if isinstance(error, StoreProblem):
        return error
    if _is_locked(error):
        return StoreBusy(path, store, doing)
    if _is_read_only(error):
        folder = _error_name(error) == "SQLITE_READONLY_DIRECTORY" or not os.access(
            path.parent, os.W_OK
        )
        return StoreReadOnly(path, store, "folder" if folder else "file")
    return StoreUnreadable(path, store, "cannot-open")


def _configure(conn: sqlite3.Connection) -> None:
    """WAL, full sync, foreign keys.

    Changing the journal mode can be refused with "locked" while another
    connection holds the file (a second start at the same moment): then we
    wait for that lock with SQLite's own busy wait (BEGIN IMMEDIATE, up to
    BUSY_TIMEOUT_S) and try again, instead of failing at once.
    """
    for attempt in range(3):
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                conn.execute("PRAGMA journal_mode=WAL")
            break
        except sqlite3.OperationalError as error:
            if not _is_locked(error) or attempt == 2:
                raise
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


def _path_of(conn: sqlite3.Connection) -> Path:
    try:
        row = conn.execute("PRAGMA database_list").fetchone()
        return Path(row[2] or "")
    except sqlite3.Error:
        return Path("")


class Database:
    """One SQLite file with one connection per thread, opened on first use.

    ``conn`` is the calling thread's connection; :meth:`execute` runs on it.
    The first connection is the one :func:`open_database` checked, migrated
    or rescued; every later one is configured the same way.
    """

    def __init__(self, path: Path, first: sqlite3.Connection, store: str = ""):
        self.path = Path(path)
        self.store = store
        self._local = threading.local()
        self._local.conn = first
        self._all = [first]
        self._lock = threading.Lock()
        self._closed = False
        #: the quick_check still running on a thread of its own (see checked())
        self._checking: threading.Thread | None = None
        self._sound = True
        #: :func:`_schema_mark` of the schema its tables were found or made to
        #: fit at this open ("": not known, as after a migration); kept in the
        #: clean-close stamp
        self.schema_mark = ""

    def _check_in_background(self) -> None:
        def check() -> None:
            try:
                conn = _connect(self.path)
                try:
                    self._sound = conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
                finally:
                    conn.close()
            except sqlite3.Error as error:
                self._sound = not _is_damage(error)

        self._checking = threading.Thread(target=check, name="quick_check", daemon=True)
        self._checking.start()

    def checked(self) -> bool:
        """Whether the file is sound, once its check is done (waits for a check
        still running). A damaged one loses its clean-close stamp, so the next
        :func:`open_database` checks it whole and rescues it."""
        if self._checking is not None:
            self._checking.join()
            self._checking = None
            if not self._sound:
                with contextlib.suppress(OSError):
                    _beside(self.path, CLEAN_SUFFIX).unlink()
        return self._sound

    @property
    def conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            if self._closed:
                raise sqlite3.ProgrammingError("Cannot operate on a closed database.")
            conn = _connect(self.path)
            try:
                _configure(conn)
            except sqlite3.Error as error:
                conn.close()
                raise _problem(error, self.path, self.store) from error
            with self._lock:
                self._all.append(conn)
            self._local.conn = conn
        return conn

    def execute(self, sql: str, parameters=()) -> sqlite3.Cursor:
        return self.conn.execute(sql, parameters)

    def close(self) -> None:
        """Close every thread's connection. Further use raises ProgrammingError.

        Closed cleanly (SQLite has written everything back into the file and
        removed its -wal and -shm), the file's stamp is kept beside it, so the
        next start need not read all of it again (:data:`CLEAN_SUFFIX`)."""
        sound = self.checked()
        with self._lock:
            if self._closed:
                return
            self._closed = True
            for conn in self._all:
                conn.close()
        if sound:
            _stamp_clean_close(self.path, self.schema_mark)


class transaction:  # noqa: N801 - used as a context manager like a keyword
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any error.

    Another program holding the lock longer than we wait gives
    :class:`StoreBusy` (reason "write"); a file that became read-only gives
    :class:`StoreReadOnly`. Either way nothing was changed.
    """

    def __init__(self, db: sqlite3.Connection | Database):
        if isinstance(db, Database) and not db.checked():
            # never a write into a file found damaged (the next start rescues it)
            raise StoreUnreadable(db.path, db.store, "cannot-open")
        self.conn = db.conn if isinstance(db, Database) else db

    def __enter__(self) -> sqlite3.Connection:
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            if _is_locked(error):
                raise StoreBusy(_path_of(self.conn), reason="write") from error
            raise
        return self.conn

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            try:
                self.conn.execute("COMMIT")
                return
            except sqlite3.OperationalError as error:
                self._rollback()
                raise self._told(error) from error
        self._rollback()
        if isinstance(exc, sqlite3.OperationalError) and not isinstance(exc, StoreProblem):
            told = self._told(exc)
            if told is not exc:
                raise told from exc

    def _rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def _told(self, error: sqlite3.OperationalError) -> sqlite3.OperationalError:
        if _is_locked(error):
            return StoreBusy(_path_of(self.conn), reason="write")
        if _is_read_only(error):
            path = _path_of(self.conn)
            return StoreReadOnly(
                path, reason="file" if os.access(path.parent, os.W_OK) else "folder"
            )
        return error


# -- rescue, row by row -----------------------------------------------------------------
class _RawText(bytes):
    """TEXT that is not valid UTF-8: carried over byte for byte."""


def _decode(data: bytes) -> str | _RawText:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return _RawText(data)


_MIN_ROWID = -(2**63)
_MAX_ROWID = 2**63 - 1


def _seek_works(old: sqlite3.Connection, table: str, start: int) -> bool:
    try:
        old.execute(
            f"SELECT rowid FROM {table} NOT INDEXED WHERE rowid >= ? ORDER BY rowid LIMIT 1",
            (start,),
        ).fetchone()
        return True
    except sqlite3.Error:
        return False


def _next_readable(old: sqlite3.Connection, table: str, failed: int) -> int | None:
    """The first rowid after ``failed`` from which the table reads again.

    Steps of 1, 2, 4 ... until a seek works, then back by halving, so the
    rows just after a damaged page are not skipped.
    """
    gap = 1
    while True:
        probe = failed + gap
        if probe > _MAX_ROWID:
            return None
        if _seek_works(old, table, probe):
            break
        gap *= 2
    low, high = failed + gap // 2, probe  # low fails (or is failed itself), high works
    while high - low > 1:
        middle = (low + high) // 2
        if _seek_works(old, table, middle):
            high = middle
        else:
            low = middle
    return high


class _Walk:
    """The rowids of a table that a damaged file still shows, in order.

    ``skipped`` estimates the rows hidden by damage: the rowids between the
    last row read before a damaged stretch and the first one read after it
    (rowids are dense in our tables: rows are only ever added), or at least
    one when the damage runs to the end.
    """

    def __init__(self, old: sqlite3.Connection, table: str):
        self.old = old
        self.table = table
        self.skipped = 0

    def _top(self) -> int | None:
        try:
            return self.old.execute(f"SELECT max(rowid) FROM {self.table}").fetchone()[0]
        except sqlite3.Error:
            return None

    def __iter__(self) -> Iterator[int]:
        start = _MIN_ROWID
        last_read = 0  # rowids start at 1
        hidden_after: int | None = None  # damage seen after this rowid
        while True:
            try:
                cursor = self.old.execute(
                    f"SELECT rowid FROM {self.table} NOT INDEXED WHERE rowid >= ? ORDER BY rowid",
                    (start,),
                )
                for (rowid,) in cursor:
                    if rowid < start:
                        continue
                    if hidden_after is not None:
                        self.skipped += max(0, rowid - hidden_after - 1)
                        hidden_after = None
                    start = rowid + 1
                    last_read = rowid
                    yield rowid
                return
            except sqlite3.Error:
                if hidden_after is None:
                    hidden_after = last_read
                found = _next_readable(self.old, self.table, start)
                if found is None:
                    top = self._top()
                    self.skipped += max(1, (top or 0) - hidden_after)
                    return
                start = found


def _integer_key(conn: sqlite3.Connection, table: str) -> str | None:
    """The column that is the rowid itself (INTEGER PRIMARY KEY), if any."""
    keys = [r for r in conn.execute(f"PRAGMA table_info({table})") if r[5]]
    if len(keys) == 1 and keys[0][2].upper() == "INTEGER":
        return keys[0][1]
    return None


def _salvage(damaged: Path, conn: sqlite3.Connection, tables: Sequence[str]) -> tuple[int, int]:
    """Copy every readable row of ``tables`` from a damaged file, row by row.

    Returns (rows saved, rows lost): a row is lost when its rowid shows but
    the row cannot be read or stored. Rows keep their rowid (the practice
    mailbox orders by it). Text that is not UTF-8 is copied byte for byte.
    """
    saved = lost = 0
    try:
        old = sqlite3.connect(f"{damaged.resolve().as_uri()}?mode=ro", uri=True, timeout=0.5)
    except sqlite3.Error:
        return 0, 0
    old.text_factory = _decode
    try:
        for table in tables:
            try:
                columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
                old_columns = {r[1] for r in old.execute(f"PRAGMA table_info({table})")}
            except sqlite3.Error:
                continue
            shared = [c for c in columns if c in old_columns]
            if not shared:
                continue
            key = _integer_key(conn, table)
            names = shared if key in shared else ["rowid", *shared]
            select = f"SELECT {', '.join(names)} FROM {table} WHERE rowid = ?"
            walk = _Walk(old, table)
            for rowid in walk:
                try:
                    row = old.execute(select, (rowid,)).fetchone()
                except sqlite3.Error:
                    lost += 1
                    continue
                if row is None:
                    lost += 1
                    continue
                marks = ", ".join(
                    "CAST(? AS TEXT)" if isinstance(v, _RawText) else "?" for v in row
                )
                values = [bytes(v) if isinstance(v, _RawText) else v for v in row]
                try:
                    done = conn.execute(
                        f"INSERT OR IGNORE INTO {table} ({', '.join(names)}) VALUES ({marks})",
                        values,
                    ).rowcount
                except sqlite3.Error:
                    done = 0
                if done == 1:
                    saved += 1
                else:
                    lost += 1
            lost += walk.skipped
    finally:
        old.close()
    return saved, lost


# -- building a file beside, then into place ------------------------------------------------
def _build(
    tmp: Path,
    schema: str,
    version: int,
    fill: Callable[[sqlite3.Connection], None] | None = None,
) -> None:
    """A complete new store at ``tmp``, on disk: schema, rows, then the
    version, in one transaction. Until the version is set the file counts as
    unfinished and is thrown away at the next start."""
    _remove(tmp)
    fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    if os.name == "posix":
        os.chmod(tmp, 0o600)  # whatever the umask; SQLite gives -wal and -shm this mode
    conn = sqlite3.connect(str(tmp), isolation_level=None)
    try:
        # Its rollback journal keeps the file whole when the process is killed;
        # it is not synced while it is built: the whole file is synced once at
        # the end, before anything counts on it (a damaged file is never
        # taken in: see _finished). Each sync is 0.5 to 5 ms here: a first
        # start made its two stores with 31 of them (issue 14).
        conn.execute("PRAGMA journal_mode=DELETE")
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("BEGIN IMMEDIATE")
        for statement in _statements(schema):
            conn.execute(statement)
        if fill is not None:
            fill(conn)
        conn.execute(f"PRAGMA user_version={int(version)}")
        conn.execute("COMMIT")
        # Made a WAL file here, so that its first open need not switch it (a
        # transaction of its own, with four syncs). Nothing is written after:
        # the -wal this leaves (and closing removes) is empty.
        conn.execute("PRAGMA journal_mode=WAL")
    finally:
        conn.close()
    _fsync_file(tmp)


def _finished(tmp: Path, version: int) -> bool:
    """A file built beside that got as far as its version (see :func:`_build`)."""
    if not tmp.is_file():
        return False
    try:
        conn = sqlite3.connect(f"{tmp.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return False
    try:
        # The version is set last, but a power cut before the file's one sync
        # (see _build) may have kept that page and lost others: whole, too.
        return (
            conn.execute("PRAGMA user_version").fetchone()[0] == version
            and conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        )
    except sqlite3.Error:
        return False
    finally:
        conn.close()


def _record(tmp: Path) -> tuple[str, Path] | None:
    """(kind, backup) written into a finished rescue, or None."""
    try:
        conn = sqlite3.connect(f"{tmp.resolve().as_uri()}?mode=ro", uri=True)
        try:
            row = conn.execute(f"SELECT kind, backup FROM {RECORD_TABLE}").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return (row[0], tmp.with_name(row[1])) if row else None


def _install(tmp: Path, path: Path) -> None:
    """The finished file into place: the damaged one is out of the way already."""
    record = _record(tmp)
    if record is not None:
        _move_aside(path, record[1])  # in case a kill came halfway through moving
    _keep_strays(path)
    _rename(tmp, path)
    _fsync_folder(path.parent)


def _take_record(conn: sqlite3.Connection, store: str, path: Path) -> list[Notice]:
    """The notice a finished rescue left in the file, given once."""
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (RECORD_TABLE,)
    ).fetchone()
    if not exists:
        return []
    rows = conn.execute(
        f"SELECT kind, backup, rows_saved, rows_lost FROM {RECORD_TABLE}"
    ).fetchall()
    with transaction(conn):
        conn.execute(f"DROP TABLE {RECORD_TABLE}")
    return [Notice(r[0], store, path, path.with_name(r[1]), int(r[2]), int(r[3])) for r in rows]


# -- checking an existing file ---------------------------------------------------------------
_SHAPES: dict[str, dict[str, set[str]]] = {}


def _shape(schema: str) -> dict[str, set[str]]:
    """Table name -> columns, of the schema we expect."""
    if schema not in _SHAPES:
        mem = sqlite3.connect(":memory:")
        try:
            for statement in _statements(schema):
                mem.execute(statement)
            tables = [
                r[0] for r in mem.execute("SELECT name FROM sqlite_master WHERE type='table'")
            ]
            _SHAPES[schema] = {
                t: {r[1] for r in mem.execute(f"PRAGMA table_info({t})")}
                for t in tables
                if not t.startswith("sqlite_")
            }
        finally:
            mem.close()
    return _SHAPES[schema]


def _tables(conn: sqlite3.Connection) -> dict[str, set[str]]:
    names = [
        r[0]
        for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        if not r[0].startswith("sqlite_")
    ]
    return {t: {r[1] for r in conn.execute(f"PRAGMA table_info({t})")} for t in names}


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    return (
        conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
        ).fetchone()
        is not None
    )


def _fits(found: dict[str, set[str]], wanted: dict[str, set[str]]) -> bool:
    return all(t in found and columns <= found[t] for t, columns in wanted.items())


def _check_access(path: Path, store: str) -> None:
    """Before SQLite sees it: a folder in place of the file, or no right to read."""
    if path.is_dir():
        raise StoreUnreadable(path, store, "folder")
    if not path.is_file():  # a device, a pipe, a broken link
        raise StoreUnreadable(path, store, "cannot-open")
    try:
        with open(path, "rb"):
            pass
    except PermissionError as error:
        raise StoreUnreadable(path, store, "permission") from error
    except OSError as error:
        raise StoreUnreadable(path, store, "cannot-open") from error


def _probe_write(conn: sqlite3.Connection, version: int) -> None:
    """Take the write lock and write the header once, changing nothing: tells a
    read-only file, and another program holding the lock (WAL lets us read)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute(f"PRAGMA user_version={int(version)}")
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")


# -- the one way in ---------------------------------------------------------------------------
def open_database(
    path: Path,
    *,
    store: str,
    schema: str,
    version: int,
    migrations: Mapping[int, Callable[[sqlite3.Connection], None]] | None = None,
    salvage_tables: Sequence[str] = (),
    after_rescue: Callable[[sqlite3.Connection], None] | None = None,
    made: Callable[[sqlite3.Connection], None] | None = None,
) -> tuple[Database, list[Notice]]:
    """Open (or make, migrate or rescue) the SQLite file at ``path``.

    ``migrations[n]`` upgrades a file from version ``n`` to ``n + 1``.
    ``after_rescue`` runs in the same transaction as a rescue's copied rows
    (the desk forgets its sync cursors there, so every letter comes back).
    ``made`` runs in the transaction that makes a new file, after its schema
    (what ``schema`` cannot say, such as triggers: one commit and its syncs
    fewer at a first start than doing it after the open).
    Raises :class:`StoreBusy`, :class:`StoreReadOnly` or :class:`StoreUnreadable`.
    """
    from app.instance import OsFileLock

    path = Path(path)
    if path.is_dir():  # checked again under the lock; here so that no lock file is made
        raise StoreUnreadable(path, store, "folder")
    try:
        make_private_folder(path.parent)
    except PermissionError as error:
        raise StoreReadOnly(path, store, "folder") from error
    except OSError as error:
        raise StoreUnreadable(path, store, "cannot-open") from error
    lock = OsFileLock(_beside(path, LOCK_SUFFIX), mode=0o600)
    try:
        if not lock.acquire(LOCK_TIMEOUT_S):
            raise StoreBusy(path, store, "open")
    except PermissionError as error:
        raise StoreReadOnly(path, store, "folder") from error
    except OSError as error:
        raise StoreUnreadable(path, store, "cannot-open") from error
    try:
        return _open_locked(
            path,
            store=store,
            schema=schema,
            version=version,
            migrations=migrations or {},
            salvage_tables=salvage_tables,
            after_rescue=after_rescue,
            made=made,
        )
    except PermissionError as error:  # a file we could not make or move
        raise StoreReadOnly(path, store, "folder") from error
    finally:
        lock.release()


def _open_locked(
    path: Path,
    *,
    store: str,
    schema: str,
    version: int,
    migrations: Mapping[int, Callable[[sqlite3.Connection], None]],
    salvage_tables: Sequence[str],
    after_rescue: Callable[[sqlite3.Connection], None] | None,
    made: Callable[[sqlite3.Connection], None] | None = None,
) -> tuple[Database, list[Notice]]:
    new_tmp, rescue_tmp = _beside(path, NEW_SUFFIX), _beside(path, RESCUE_SUFFIX)
    mark = _schema_mark(schema, version)
    # What a kill left: a finished file not yet in place is put in place;
    # anything else built beside is unfinished (or superseded) and goes.
    if not os.path.lexists(path):
        for tmp in (rescue_tmp, new_tmp):
            if _finished(tmp, version):
                _install(tmp, path)
                break
    _remove(new_tmp)
    _remove(rescue_tmp)
    for name in _beside_names(path):  # what a copy cut off left: <name>.*.part
        rest = os.path.normcase(name)[len(path.name) :]
        if rest.startswith(".") and rest[1:].endswith(".part"):
            (path.parent / name).unlink()

    if not os.path.lexists(path):
        _keep_strays(path)
        _build(new_tmp, schema, version, made)
        _install(new_tmp, path)
        return _ready(path, store, version, mark), []

    _check_access(path, store)
    _tighten(path)
    reason = None
    found = 0
    # Read before the connection opens (opening makes the -shm and -wal).
    stamp = _closed_cleanly(path) if _in_background else None
    later = stamp is not None
    conn = _connect(path)
    try:
        found = conn.execute("PRAGMA user_version").fetchone()[0]
        if later and (found != version or _has_table(conn, RECORD_TABLE)):
            later = False  # a migration or a rescue's record writes: checked first
        # Closed cleanly with tables found to fit this very schema then: they
        # still do, and every table's columns need not be read again (3-4 ms
        # of a start for the desk and the practice box; issue 14).
        fits = later and stamp == mark
        check = "ok" if later else conn.execute("PRAGMA quick_check").fetchone()[0]
        tables = _tables(conn) if check == "ok" and not fits else {}
    except sqlite3.Error as error:
        conn.close()
        if not _is_damage(error):
            raise _problem(error, path, store) from error
        check, tables = "damaged", {}
    if check != "ok":
        reason = "damaged"
    elif found == 0 and not tables and not fits:
        # valid and empty: a first start that did not finish. Made again.
        conn.close()
        _build(new_tmp, schema, version, made)
        _remove_sides_of_empty(path)
        _rename(new_tmp, path)
        _fsync_folder(path.parent)
        return _ready(path, store, version, mark), []
    elif found > version:
        reason = "newer"
    elif found == 0 or (found == version and not fits and not _fits(tables, _shape(schema))):
        reason = "foreign"
    elif found < version and not set(tables) & set(_shape(schema)):
        # an older number, but not one table of ours: someone else's file, not
        # one of our older stores to migrate
        reason = "foreign"
    elif found < version and any(v not in migrations for v in range(found, version)):
        reason = "damaged"

    if reason is None:
        try:
            _configure(conn)
            _probe_write(conn, found)
        except sqlite3.Error as error:
            conn.close()
            raise _problem(error, path, store) from error
        notices = _take_record(conn, store, path)
        if found < version:
            try:
                notices.append(_migrate(conn, path, store, found, version, migrations))
            except sqlite3.Error as error:
                if not isinstance(error, StoreProblem) and _is_damage(error):
                    reason = "damaged"
                else:
                    conn.close()
                    raise _problem(error, path, store) from error
        if reason is None:
            db = Database(path, conn, store)
            if found == version:  # found to fit (a migrated one is checked next time)
                db.schema_mark = mark
            if later:
                db._check_in_background()
                _pending.append(db)
            return db, notices
    conn.close()
    return _rescue(path, store, reason, schema, version, salvage_tables, after_rescue)


def _remove_sides_of_empty(path: Path) -> None:
    for p in _side_files(path):
        with contextlib.suppress(FileNotFoundError):
            p.unlink()


def _migrate(
    conn: sqlite3.Connection,
    path: Path,
    store: str,
    found: int,
    version: int,
    migrations: Mapping[int, Callable[[sqlite3.Connection], None]],
) -> Notice:
    """A copy first (written beside, then renamed), then every step in one transaction."""
    backup = _backup_name(path, f"versie{found}")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    part = backup.with_name(backup.name + ".part")
    shutil.copyfile(path, part)
    make_private_file(part)
    _fsync_file(part)
    _rename(part, backup)
    _fsync_folder(path.parent)
    with transaction(conn):
        for v in range(found, version):
            migrations[v](conn)
        conn.execute(f"PRAGMA user_version={int(version)}")
    return Notice("migrated", store, path, backup)


def _rescue(
    path: Path,
    store: str,
    reason: str,
    schema: str,
    version: int,
    salvage_tables: Sequence[str],
    after_rescue: Callable[[sqlite3.Connection], None] | None,
) -> tuple[Database, list[Notice]]:
    """Build the rescued file beside, then swap: old aside, new into place."""
    backup = _backup_name(path, _LABELS[reason])
    tmp = _beside(path, RESCUE_SUFFIX)

    def fill(conn: sqlite3.Connection) -> None:
        saved, lost = (0, 0) if reason == "newer" else _salvage(path, conn, salvage_tables)
        if after_rescue is not None:
            after_rescue(conn)
        conn.execute(
            f"CREATE TABLE {RECORD_TABLE} (kind TEXT, backup TEXT, rows_saved INT, rows_lost INT)"
        )
        conn.execute(
            f"INSERT INTO {RECORD_TABLE} VALUES (?, ?, ?, ?)", (reason, backup.name, saved, lost)
        )

    _build(tmp, schema, version, fill)
    _move_aside(path, backup)
    _install(tmp, path)
    db = _ready(path, store, version, _schema_mark(schema, version))
    return db, _take_record(db.conn, store, path)


def _ready(path: Path, store: str, version: int, schema_mark: str) -> Database:
    """A file we just made or put in place (from the schema of ``schema_mark``),
    configured for use."""
    conn = _connect(path)
    try:
        _configure(conn)
        _probe_write(conn, version)
    except sqlite3.Error as error:
        conn.close()
        raise _problem(error, path, store) from error
    db = Database(path, conn, store)
    db.schema_mark = schema_mark
    return db
