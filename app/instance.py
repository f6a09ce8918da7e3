"""One Brieventafel per data folder, and a data folder that can hold the desk.

Two copies on one folder fight over its files: a first start of each moved the
other's store aside as damaged, and undo in one window did nothing after the
other acted. So the launcher takes :class:`InstanceLock` on
``<data-dir>/brieventafel.lock`` before any store is opened. It is an OS lock
(``flock`` on Unix, a locked byte on Windows), held for as long as the
process runs; the kernel frees it when the process dies, even by SIGKILL, so a
stale lock file never blocks. The file itself stays: it holds nothing.
:class:`OsFileLock` is that lock, also used beside each store
(:mod:`app.storage`): ``fcntl.flock`` on POSIX, ``msvcrt.locking`` of the first
byte on Windows, the same locks the ``filelock`` package takes (so the two see
each other), without its import of about 30 ms at every start (issue 14).

A second start on the folder opens nothing. It asks the first window to come
forward through a local socket named by :func:`server_name` (the UI does that,
with Qt), or says that Brieventafel is already open.

:func:`check_data_folder` judges a ``--data-dir`` before anything is made:
problems travel as a :class:`FolderProblem`; :func:`folder_problem_text` words
them. Guided mode uses its own throwaway folder and takes no lock here.
"""

from __future__ import annotations

import contextlib
import enum
import errno
import os
import sys
from pathlib import Path

from app.i18n import gettext as _

TYPE_CHECKING = False  # not typing itself (about 4 ms) before Qt (issue 14)
if TYPE_CHECKING:
    from filelock import BaseFileLock

LOCK_NAME = "brieventafel.lock"
#: used where the system does not say (Windows has no pathconf)
NAME_MAX, PATH_MAX = 255, 4096


class FolderProblem(enum.Enum):
    EMPTY = "empty"  # --data-dir '' (would be the current folder)
    NOT_A_FOLDER = "not-a-folder"  # a file, /dev/null
    INSIDE_A_FILE = "inside-a-file"  # a/file.txt/desk
    TOO_LONG = "too-long"
    NOT_WRITABLE = "not-writable"
    CANNOT_MAKE = "cannot-make"


def _problem_of(error: OSError) -> FolderProblem:
    if error.errno == errno.ENAMETOOLONG:
        return FolderProblem.TOO_LONG
    if error.errno == errno.ENOTDIR:
        return FolderProblem.INSIDE_A_FILE
    if error.errno == errno.EEXIST:
        return FolderProblem.NOT_A_FOLDER
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return FolderProblem.NOT_WRITABLE
    return FolderProblem.CANNOT_MAKE


def _limit(folder: Path, name: str, default: int) -> int:
    try:
        return int(os.pathconf(folder, name))
    except (AttributeError, OSError, ValueError):
        return default


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:  # ENAMETOOLONG and the like: pathlib lets those through
        return False


def _too_long(path: Path) -> bool:
    existing = next((p for p in path.parents if _is_dir(p)), None)
    name_max = _limit(existing, "PC_NAME_MAX", NAME_MAX) if existing else NAME_MAX
    path_max = _limit(existing, "PC_PATH_MAX", PATH_MAX) if existing else PATH_MAX
    # The desk's files go one level further down, with names of ~30 characters.
    return len(os.fsencode(path)) + 64 >= path_max or any(
        len(os.fsencode(part)) > name_max for part in path.parts
    )


def check_data_folder(text: str) -> tuple[Path, FolderProblem | None]:
    """Judge a ``--data-dir``; on success make it (mode 0700) and return it absolute.

    Nothing is made when there is a problem; a writable folder gets only the
    (empty) lock file, which is how writing is tried without trusting
    ``os.access`` (that says yes to root on a read-only file system).
    """
    if not text.strip():
        return Path(), FolderProblem.EMPTY
    path = Path(os.path.abspath(Path(text).expanduser()))
    if _too_long(path):
        return path, FolderProblem.TOO_LONG
    for parent in (path, *path.parents):
        try:
            exists = parent.exists()
        except OSError as error:
            return path, _problem_of(error)
        if exists:
            if not parent.is_dir():
                return path, (
                    FolderProblem.NOT_A_FOLDER if parent == path else FolderProblem.INSIDE_A_FILE
                )
            break
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path / LOCK_NAME, os.O_WRONLY | os.O_CREAT, 0o600)
        os.close(fd)
    except OSError as error:
        return path, _problem_of(error)
    return path, None


def _shown(path: Path) -> str:
    """A path fit for one line: no control characters, not endless."""
    text = "".join(c if c.isprintable() else "?" for c in str(path))
    return text if len(text) <= 120 else text[:55] + "…" + text[-55:]


def folder_problem_text(problem: FolderProblem, path: Path) -> str:
    """What is wrong with the folder given at ``--data-dir``, and what to do."""
    where = {"path": _shown(path)}
    if problem is FolderProblem.EMPTY:
        return _("Bij --data-dir staat geen map. Noem een map, of laat --data-dir weg.")
    if problem is FolderProblem.NOT_A_FOLDER:
        return _("%(path)s is geen map. Kies bij --data-dir een map.") % where
    if problem is FolderProblem.INSIDE_A_FILE:
        return (
            _("%(path)s kan geen map worden. Een deel ervan is een bestand. Kies een andere map.")
            % where
        )
    if problem is FolderProblem.TOO_LONG:
        return _("De naam van de map is te lang. Kies bij --data-dir een kortere naam.")
    if problem is FolderProblem.NOT_WRITABLE:
        return (
            _("In %(path)s mag Brieventafel niets bewaren. Kies bij --data-dir een andere map.")
            % where
        )
    return _("De map %(path)s kan niet worden gemaakt. Kies bij --data-dir een andere map.") % where


def already_open_text() -> str:
    return _(
        "Brieventafel is al open in een ander venster. Gebruik dat venster. "
        "Of sluit het en start Brieventafel opnieuw."
    )


def brought_forward_text() -> str:
    return _("Brieventafel was al open. Dat venster staat nu naar voren.")


def _user_tag() -> str:
    getuid = getattr(os, "getuid", None)
    return str(getuid()) if getuid is not None else os.environ.get("USERNAME", "")


def server_name(folder: Path) -> str:
    """The local socket the first window listens on: one per user and folder."""
    try:  # CPython's own SHA-256: the same digest, without hashlib's OpenSSL load
        from _sha256 import sha256  # type: ignore[import-not-found]  # ~4 ms less (issue 14)
    except ImportError:  # another Python, or 3.12's _sha2
        from hashlib import sha256

    key = f"{_user_tag()}\0{os.path.normcase(os.path.abspath(folder))}"
    return "brieventafel-" + sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:16]


class OsFileLock:
    """An exclusive OS lock on one file, held through an open descriptor.

    ``flock`` on POSIX, a locked first byte on Windows: the kernel frees it when
    the process ends in any way. Each instance opens the file itself, so two
    instances on one path exclude each other, also in one process. Not
    reentrant. The file is made (``mode``) when missing and left in place.
    """

    def __init__(self, path: Path | str, mode: int = 0o600):
        self.path = Path(path)
        self.mode = mode
        self._fd: int | None = None
        self._waited: BaseFileLock | None = None  # when acquire() had to wait

    @property
    def is_locked(self) -> bool:
        return self._fd is not None

    def try_acquire(self) -> bool:
        """Take the lock without waiting; False when another holder has it.

        An ``OSError`` (a file that cannot be opened, a file system without
        locks) goes to the caller: no soft fallback, since a lock file that
        outlived a killed process would then block every later start.
        """
        if self._fd is not None:
            raise RuntimeError("this lock is held already")
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, self.mode)
        try:
            if not _lock_fd(fd):
                os.close(fd)
                return False
            if hasattr(os, "fchmod"):
                # a file made under another umask; another user's file is not
                # ours to change, and the lock holds all the same
                with contextlib.suppress(OSError):
                    os.fchmod(fd, self.mode)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        return True

    def acquire(self, timeout: float) -> bool:
        """Take the lock, waiting up to ``timeout`` seconds; False when it stayed taken.

        Nearly always free at once. Only while another start opens the same
        store is it waited for, through the filelock package (the same OS lock),
        so nothing here sleeps and only that rare start imports it."""
        if self.try_acquire():
            return True
        from filelock import FileLock, Timeout

        waiting = FileLock(str(self.path), timeout=timeout, mode=self.mode, thread_local=False)
        try:
            waiting.acquire()
        except Timeout:
            return False
        self._waited = waiting
        self._fd = -1  # held through filelock's own descriptor
        return True

    def release(self) -> None:
        fd, self._fd = self._fd, None
        waited, self._waited = self._waited, None
        if waited is not None:
            waited.release()
            return
        if fd is None:
            return
        try:
            _unlock_fd(fd)
        finally:
            os.close(fd)


if sys.platform == "win32":
    import msvcrt

    def _lock_fd(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError as error:
            if error.errno in (errno.EACCES, errno.EDEADLK):  # another holder
                return False
            raise
        return True

    def _unlock_fd(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock_fd(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:  # EAGAIN / EWOULDBLOCK: another holder
            return False
        return True

    def _unlock_fd(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


class InstanceLock:
    """The OS lock on ``<folder>/brieventafel.lock``, held while this process runs."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.path = self.folder / LOCK_NAME
        self._lock: OsFileLock | None = None

    def acquire(self) -> bool:
        """Take the lock without waiting: False when another process holds it.

        An ``OSError`` (a folder that refuses writing) goes to the caller. No
        soft fallback: a lock file that outlives a killed process would block
        every later start.
        """
        lock = OsFileLock(self.path, mode=0o600)
        if not lock.try_acquire():
            return False
        self._lock = lock
        return True

    @property
    def held(self) -> bool:
        return self._lock is not None and self._lock.is_locked

    def release(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None


__all__ = [
    "LOCK_NAME",
    "FolderProblem",
    "InstanceLock",
    "OsFileLock",
    "already_open_text",
    "brought_forward_text",
    "check_data_folder",
    "folder_problem_text",
    "server_name",
]
