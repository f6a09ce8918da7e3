"""The visit: a throwaway profile that leaves nothing of the visitor behind.

A guided session runs in its own folder under a per-user temporary root, never
the user data folder. Next to the folder lies ``<visit>.lock``, a small JSON
record written *before* the folder is made and removed *after* it is gone:

* ``pid`` and ``started``: the owner's PID and its create time (psutil), so a
  PID that the system has since given to another process is not taken as ours;
* ``keyring``: entries a part registered before writing them to the OS keyring;
* ``hold``: the name of a lock file inside the folder that the owner holds
  (filelock: ``flock`` on Unix, a locked handle on Windows) while the visit
  runs. The system releases it when the owner dies, even by SIGKILL, so a
  free hold means a dead owner whatever the PID says. It is named in the
  record only once it is held.

:meth:`Visit.end` removes everything; :func:`cleanup_stale` (run at every
start) removes what a killed session left: visits whose owner is gone, and
folders without a record. Secrets of a visit live in memory only
(:class:`VisitSecrets`). A part that must use the OS keyring during a visit
registers the entry first (:meth:`Visit.register_keyring_entry`); ending the
visit, or cleaning up after a crash, deletes it. ``keyring``, ``psutil`` and
``filelock`` are imported only when there is a visit to start or to judge, so
a normal start with no leftovers pays for none of them.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from app.paths import write_atomically

if TYPE_CHECKING:  # imported when a visit starts: they cost 110 ms at every start
    from filelock import BaseFileLock

    from app.session import Session

ROOT_PREFIX = "brieventafel-begeleid"
LOCK_SUFFIX = ".lock"
HOLD_NAME = ".visit.lock"
KEYRING_SERVICE_PREFIX = "Brieventafel bezoek"
#: create times are compared with this slack: on Linux psutil derives them from
#: the boot time, which two processes may read a second apart
CREATE_TIME_SLACK = 1.0


def _user_tag() -> str:
    getuid = getattr(os, "getuid", None)
    if getuid is not None:
        return str(getuid())
    import getpass
    import hashlib

    return hashlib.sha256(getpass.getuser().encode()).hexdigest()[:12]


def default_root() -> Path:
    """Per user, in the system's temporary folder (honours TMPDIR / TEMP)."""
    return Path(tempfile.gettempdir()) / f"{ROOT_PREFIX}-{_user_tag()}"


def _prepare_root(root: Path) -> Path:
    if root.is_symlink():
        raise OSError(f"refusing a symlinked guided root: {root}")
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    getuid = getattr(os, "getuid", None)
    if getuid is not None and root.stat().st_uid != getuid():
        raise OSError(f"guided root belongs to another user: {root}")
    return root


# -- is the owner still there? ---------------------------------------------------
def pid_alive(pid: int) -> bool:
    """Whether a process with this PID runs (a zombie does not)."""
    import psutil

    if pid <= 0:
        return False
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
    except psutil.AccessDenied:  # it exists; it is not ours to look at
        return True


def process_started(pid: int) -> float | None:
    """The create time of a process (seconds since the epoch), None when unknown."""
    import psutil

    try:
        return psutil.Process(pid).create_time()
    except (psutil.NoSuchProcess, psutil.AccessDenied, ValueError):
        return None


def _same_process(pid: int, started) -> bool:
    """The process that wrote the record still runs: same PID, same create time."""
    if not pid_alive(pid):
        return False
    if started is None:  # a record without a create time: the PID must do
        return True
    now = process_started(pid)
    if now is None:  # cannot tell; the hold decides
        return True
    try:
        return abs(now - float(started)) <= CREATE_TIME_SLACK
    except (TypeError, ValueError):
        return False


def _hold_is_free(path: Path) -> bool:
    """Nobody holds the visit's lock file (its owner is gone; the system let go)."""
    if not path.is_file():
        return True
    from filelock import FileLock, Timeout

    hold = FileLock(str(path))
    try:
        hold.acquire(timeout=0)
    except Timeout:
        return False
    except OSError:  # a file system without locks: the PID check must do
        return False
    hold.release()
    return True


def _owner_alive(data: dict | None, folder: Path) -> bool:
    if not data:
        return False
    try:
        pid = int(data.get("pid", 0))
    except (TypeError, ValueError):
        return False
    if not _same_process(pid, data.get("started")):
        return False
    hold = data.get("hold")
    return not (isinstance(hold, str) and _hold_is_free(folder / Path(hold).name))


# -- the record ------------------------------------------------------------------
def _read_lock(path: Path) -> dict | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _write_lock(path: Path, data: dict) -> None:
    """Atomically: a half-written record never exists under its real name."""
    write_atomically(path, json.dumps(data))


def _remove_tree(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
    elif path.exists():
        shutil.rmtree(path, ignore_errors=True)
        if path.exists():  # a read-only file; make it writable and try once more
            for p in path.rglob("*"):
                with contextlib.suppress(OSError):
                    p.chmod(0o700)
            shutil.rmtree(path, ignore_errors=True)


def _forget_keyring(entries) -> None:
    if not entries:
        return
    try:
        import keyring
        from keyring.errors import KeyringError, PasswordDeleteError
    except ImportError:
        return
    for service, username in entries:
        with contextlib.suppress(PasswordDeleteError, KeyringError, RuntimeError):
            keyring.delete_password(service, username)


# -- cleaning up after a crash ---------------------------------------------------
def cleanup_stale(root: Path | None = None) -> int:
    """Remove what killed guided sessions left behind; returns how many visits.

    A visit belongs to a living process only while its record names a PID that
    runs with the create time the record says, and nobody has let go of its
    hold. A folder without a record is left over too: the record is written
    before the folder and removed after.
    """
    try:
        return _cleanup(root or default_root())
    except OSError:  # a root we cannot read is no reason not to start
        return 0


def _cleanup(root: Path) -> int:
    if not root.is_dir() or root.is_symlink():
        return 0
    removed = 0
    locks = {p.name[: -len(LOCK_SUFFIX)]: p for p in root.glob(f"*{LOCK_SUFFIX}")}
    for visit_id, lock in locks.items():
        data = _read_lock(lock)
        if _owner_alive(data, root / visit_id):
            continue
        _forget_keyring((data or {}).get("keyring", ()))
        _remove_tree(root / visit_id)
        lock.unlink(missing_ok=True)
        removed += 1
    for entry in root.iterdir():
        if entry.name.startswith(".") and entry.name.endswith(".tmp"):
            parts = entry.name.split(".")
            pid = int(parts[-2]) if len(parts) >= 2 and parts[-2].isdigit() else 0
            if not pid_alive(pid):
                entry.unlink(missing_ok=True)
        elif entry.is_dir() and entry.name not in locks:
            _remove_tree(entry)
            removed += 1
    return removed


# -- the visit -------------------------------------------------------------------
class VisitSecrets:
    """Secrets of a visit (a login token, say): held in memory only, never written."""

    def __init__(self):
        self._values: dict[str, str] = {}

    def set(self, name: str, value: str) -> None:
        self._values[name] = value

    def get(self, name: str) -> str | None:
        return self._values.get(name)

    def clear(self) -> None:
        self._values.clear()

    def __len__(self) -> int:
        return len(self._values)


class Visit:
    """One visitor at the library PC: a throwaway folder, a session, memory-only secrets.

    ``training``: the volunteer practises on the practice mailbox; every screen
    and the handout say so.
    """

    def __init__(
        self,
        root: Path,
        visit_id: str,
        *,
        training: bool = False,
        today: Callable[[], date] = date.today,
    ):
        self.root = root
        self.id = visit_id
        self.folder = root / visit_id
        self.lock = root / f"{visit_id}{LOCK_SUFFIX}"
        self.training = training
        self.today = today
        self.secrets = VisitSecrets()
        self.session: Session | None = None
        self.ended = False
        self._keyring: list[tuple[str, str]] = []
        # filelock's lock on folder/HOLD_NAME while the visit runs
        self._hold: BaseFileLock | None = None

    @classmethod
    def start(
        cls,
        root: Path | None = None,
        *,
        training: bool = False,
        today: Callable[[], date] = date.today,
    ) -> Visit:
        root = _prepare_root(root or default_root())
        visit = cls(root, secrets.token_hex(8), training=training, today=today)
        try:
            _write_lock(visit.lock, visit._lock_data())
            visit.folder.mkdir(mode=0o700)
            visit._take_hold()
        except BaseException:
            # Nothing half-made stays behind: no record without a folder, no
            # folder without a record, no temporary record.
            visit.end()
            with contextlib.suppress(OSError):
                visit.lock.with_name(f".{visit.lock.name}.{os.getpid()}.tmp").unlink(
                    missing_ok=True
                )
            raise
        return visit

    def _take_hold(self) -> None:
        """Hold the visit's lock file; only then does the record name it."""
        from filelock import FileLock, Timeout

        hold = FileLock(str(self.folder / HOLD_NAME))
        try:
            hold.acquire(timeout=0)
        except (Timeout, OSError):  # no locks on this file system: the PID check must do
            return
        self._hold = hold
        _write_lock(self.lock, self._lock_data())

    def _release_hold(self) -> None:
        hold, self._hold = self._hold, None
        if hold is not None:
            hold.release(force=True)

    def _lock_data(self) -> dict[str, object]:
        data: dict[str, object] = {
            "pid": os.getpid(),
            "started": process_started(os.getpid()),
            "keyring": [list(e) for e in self._keyring],
        }
        if self._hold is not None:
            data["hold"] = HOLD_NAME
        return data

    @property
    def keyring_service(self) -> str:
        """The keyring service name for anything this visit must keep there."""
        return f"{KEYRING_SERVICE_PREFIX} {self.id}"

    def register_keyring_entry(self, username: str, service: str | None = None) -> tuple[str, str]:
        """Call *before* writing a keyring entry for the visit: it is then removed
        at the end, even after a crash. Returns (service, username)."""
        entry = (service or self.keyring_service, username)
        if entry not in self._keyring:
            self._keyring.append(entry)
            _write_lock(self.lock, self._lock_data())
        return entry

    def open_session(self, person_id: str | None = None, *, sync: bool = True):
        """A practice session in the visit's own folder (closing the one before).

        ``sync=False`` leaves fetching the letters to the window's background helper."""
        from app.session import Session

        if self.ended:
            raise RuntimeError("visit ended")
        if self.session is not None:
            if person_id is None or self.session.person.id == person_id:
                return self.session
            self.session.close()
            self.session = None
        self.session = Session.open_practice(
            self.folder, person_id=person_id, today=self.today, sync=sync
        )
        return self.session

    def end(self) -> bool:
        """Close and remove everything of the visit. Safe to call twice.

        Returns True when nothing is left (folder, record and keyring entries).
        """
        if self.session is not None:
            try:
                self.session.close()
            finally:
                self.session = None
        self.secrets.clear()
        _forget_keyring(self._keyring)
        self._keyring.clear()
        self._release_hold()  # before removing: Windows cannot delete a held file
        _remove_tree(self.folder)
        if not self.folder.exists():
            self.lock.unlink(missing_ok=True)
        self.ended = True
        return not self.folder.exists() and not self.lock.exists()
