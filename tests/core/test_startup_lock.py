"""The OS file lock of the instance and the stores (app.instance.OsFileLock).

It replaced the filelock package at start-up (issue 14: 26-31 ms of import), so
it must take the same kind of lock: a holder through filelock blocks it and the
other way round, in a real second process. That a killed holder frees it is
shown in tests/core/test_instance.py with SIGKILL.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from filelock import FileLock, Timeout

from app.instance import InstanceLock, OsFileLock
from app.storage import LOCK_SUFFIX, StoreBusy, open_database


def test_two_locks_on_one_file_exclude_each_other_and_release_frees(tmp_path):
    path = tmp_path / "x.lock"
    first, second = OsFileLock(path), OsFileLock(path)
    assert first.try_acquire() and first.is_locked
    assert not second.try_acquire() and not second.is_locked
    assert not second.acquire(0.1)  # waits, then gives up
    first.release()
    assert not first.is_locked
    assert second.try_acquire()
    second.release()
    second.release()  # twice is harmless
    assert path.exists()  # the file stays: it holds nothing


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")
def test_the_lock_file_is_private(tmp_path):
    path = tmp_path / "x.lock"
    old = os.umask(0o022)
    try:
        lock = OsFileLock(path)
        assert lock.try_acquire()
        lock.release()
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_filelock_holder_in_another_process_blocks_it_and_the_other_way_round(tmp_path):
    path = tmp_path / "brieventafel.lock"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, filelock; l = filelock.FileLock(sys.argv[1], timeout=0);"
            " l.acquire(); print('held', flush=True); sys.stdin.read()",
            str(path),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        assert not InstanceLock(tmp_path).acquire()
    finally:
        holder.communicate("", timeout=10)
    ours = InstanceLock(tmp_path)
    assert ours.acquire() and ours.held
    try:
        with pytest.raises(Timeout):
            FileLock(str(path), timeout=0, thread_local=False).acquire()
    finally:
        ours.release()
    assert not ours.held


def test_a_store_held_by_another_start_is_busy_and_nothing_is_made(tmp_path, monkeypatch):
    import app.storage as storage

    monkeypatch.setattr(storage, "LOCK_TIMEOUT_S", 0.1)
    path = tmp_path / "desk.sqlite3"
    held = OsFileLock(str(path) + LOCK_SUFFIX)
    assert held.try_acquire()
    try:
        with pytest.raises(StoreBusy):
            open_database(path, store="desk", schema="CREATE TABLE t (x);", version=1)
    finally:
        held.release()
    assert not path.exists()
    db, notices = open_database(path, store="desk", schema="CREATE TABLE t (x);", version=1)
    db.close()
    assert notices == [] and path.exists()


def test_a_wait_ends_when_the_other_start_lets_go(tmp_path):
    """Only a start that finds the store's lock taken waits (through filelock)."""
    path = tmp_path / "desk.sqlite3.lock"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from app.instance import OsFileLock; l = OsFileLock(sys.argv[1]);"
            " assert l.try_acquire(); print('held', flush=True); sys.stdin.readline();"
            " l.release(); print('free', flush=True); sys.stdin.read()",
            str(path),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        lock = OsFileLock(path)
        assert not lock.acquire(0.1)
        assert holder.stdin is not None
        holder.stdin.write("go\n")
        holder.stdin.flush()
        assert holder.stdout.readline().strip() == "free"
        assert lock.acquire(10.0) and lock.is_locked
        assert not OsFileLock(path).try_acquire()  # held, though through filelock
        lock.release()
        assert OsFileLock(path).try_acquire()
    finally:
        holder.communicate("", timeout=10)


def test_the_socket_name_is_the_sha256_of_user_and_folder(tmp_path):
    """Without hashlib at start (issue 14) the name stays what it was, so a second
    start of either kind finds the first."""
    import hashlib

    from app.instance import _user_tag, server_name

    key = f"{_user_tag()}\0{os.path.normcase(os.path.abspath(tmp_path))}"
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    assert server_name(tmp_path) == "brieventafel-" + digest
