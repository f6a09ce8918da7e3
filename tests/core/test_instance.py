"""One Brieventafel per data folder, shown with real second processes.

The first start takes an OS lock on ``<data-dir>/brieventafel.lock`` before it
opens any store. A second start on that folder opens nothing: it asks the first
window to come forward, or says in plain words that Brieventafel is already
open. A lock of a killed process does not block: the kernel frees it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from filelock import FileLock

ROOT = Path(__file__).resolve().parents[2]
LOCK_NAME = "brieventafel.lock"


def _env(tmp_path: Path) -> dict[str, str]:
    # TMPDIR: a guided visit, and Qt's local socket, stay inside the test's folder;
    # XDG_DATA_HOME: so does the user data folder (never the person's real one).
    return dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        PYTHONPATH=str(ROOT),
        TMPDIR=str(tmp_path),
        XDG_DATA_HOME=str(tmp_path / "xdg"),
    )


def _start(tmp_path: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "app", *args],
        cwd=ROOT,
        env=_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _self_test(tmp_path: Path, data_dir: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "app", "--self-test", "--data-dir", str(data_dir)],
        cwd=ROOT,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )


def _lock_holders(path: Path) -> set[int]:
    """The processes that hold an OS lock on ``path`` now, as the kernel lists
    them (/proc/locks), without touching the lock: a probe that took it for a
    moment made a starting app believe it was the second copy (a flaky test)."""
    inode = path.stat().st_ino
    holders = set()
    for line in Path("/proc/locks").read_text().splitlines():
        fields = [f for f in line.split() if f != "->"]
        # "1: FLOCK  ADVISORY  WRITE 4242 08:01:131077 0 EOF"
        if len(fields) >= 6 and fields[5].rsplit(":", 1)[-1] == str(inode):
            holders.add(int(fields[4]))
    return holders


def _wait_until_locked(path: Path, proc: subprocess.Popen, timeout: float = 30.0) -> None:
    """Until ``proc`` holds the lock (or the process ended)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()
        if path.exists() and proc.pid in _lock_holders(path):
            return
        time.sleep(0.05)
    raise AssertionError("the first start never took the lock")


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.kill()
    proc.communicate(timeout=30)


def _stopped(proc: subprocess.Popen) -> tuple[str, str]:
    """What a still-running window printed, for a failure message: killed first, so
    the message never waits for a window that does not exit by itself."""
    if proc.poll() is None:
        proc.kill()
    return proc.communicate(timeout=30)


def test_second_start_while_the_folder_is_in_use_opens_nothing(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    held = FileLock(data / LOCK_NAME, timeout=0, thread_local=False)
    held.acquire()  # this test process is "the first Brieventafel", without a window
    try:
        started = time.monotonic()
        run = _self_test(tmp_path, data)
        took = time.monotonic() - started
    finally:
        held.release()
    assert run.returncode == 1, (run.stdout, run.stderr)
    assert "Brieventafel is al open" in run.stderr
    assert "Traceback" not in run.stderr
    assert "self-test:" not in run.stdout
    assert not (data / "oefenpost").exists()  # no store was opened
    assert took < 15  # it never waits on a modal box offscreen


@pytest.mark.skipif(sys.platform == "win32", reason="sends SIGKILL")
def test_a_lock_left_by_a_killed_start_does_not_block(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, filelock; l = filelock.FileLock(sys.argv[1], timeout=0);"
            " l.acquire(); print('held', flush=True); sys.stdin.read()",
            str(data / LOCK_NAME),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "held"
    os.kill(holder.pid, signal.SIGKILL)
    holder.communicate(timeout=10)
    assert (data / LOCK_NAME).exists()  # the file stays; the kernel freed the lock
    run = _self_test(tmp_path, data)
    assert run.returncode == 0, run.stderr
    assert "self-test: " in run.stdout


def test_two_starts_at_once_never_both_open_the_folder(tmp_path):
    data = tmp_path / "data"
    procs = [
        _start(tmp_path, "--self-test", "--data-dir", str(data)),
        _start(tmp_path, "--self-test", "--data-dir", str(data)),
    ]
    results = [(p.wait(timeout=60), *p.communicate()) for p in procs]
    for code, out, err in results:
        assert "Traceback" not in err, err
        assert code in (0, 1), (code, out, err)
        if code == 1:
            assert "Brieventafel is al open" in err
    assert any("self-test: " in out for _, out, _ in results)
    assert not list((data / "oefenpost").glob("*beschadigd*"))  # no false damage
    assert not list(data.glob("*beschadigd*"))


@pytest.mark.skipif(sys.platform != "linux", reason="waits on the lock through /proc/locks")
def test_second_start_brings_the_first_window_forward(tmp_path):
    data = tmp_path / "data"
    from app.instance import server_name
    from ui.shell.main import ask_first_forward

    first = _start(tmp_path, "--data-dir", str(data))  # a real window, offscreen
    try:
        _wait_until_locked(data / LOCK_NAME, first)
        # Until its window is up (it answers then); Qt's socket lies in the first's TMPDIR.
        socket = str(tmp_path / server_name(data)) if sys.platform != "win32" else server_name(data)
        assert ask_first_forward(socket, 30.0), _stopped(first)
        run = _self_test(tmp_path, data)
        assert run.returncode == 0, (run.stdout, run.stderr)
        assert "naar voren" in run.stderr  # the first window answered
        assert "self-test:" not in run.stdout  # no second window
        assert first.poll() is None  # the first keeps running
    finally:
        _stop(first)  # SIGKILL: its lock and its socket file stay behind
    again = _self_test(tmp_path, data)  # neither blocks the next start
    assert again.returncode == 0, again.stderr
    assert "self-test: " in again.stdout


@pytest.mark.skipif(sys.platform != "linux", reason="the user data folder by XDG_DATA_HOME")
def test_guided_mode_is_not_blocked_by_a_normal_instance(tmp_path):
    """A visit uses its own throwaway folder, so it takes no data-folder lock."""
    user_data = tmp_path / "xdg" / "Brieventafel"  # platformdirs under XDG_DATA_HOME
    user_data.mkdir(parents=True)
    held = FileLock(user_data / LOCK_NAME, timeout=0, thread_local=False)
    held.acquire()  # a normal Brieventafel runs on the user data folder
    try:
        guided = _start(tmp_path, "--guided")
        try:
            deadline = time.monotonic() + 30
            # The visit's own folder under TMPDIR appears once the visit has started.
            while not list(tmp_path.glob("brieventafel-begeleid-*/*")):
                assert guided.poll() is None, guided.communicate()
                assert time.monotonic() < deadline
                time.sleep(0.05)
            time.sleep(0.5)
            assert guided.poll() is None, guided.communicate()
        finally:
            _stop(guided)
    finally:
        held.release()
