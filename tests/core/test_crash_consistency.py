"""SIGKILL at random moments: nothing acknowledged is lost, no false notice.

tests/crash_worker.py forks a fresh child of one core-only process per kill
(put away, lay back, undo, paper requests, the very first start, a rescue),
kills it with SIGKILL after a random delay, reopens as the app would and
checks integrity, every acknowledged action, notices, files and modes.
benchmarks/crash_kills.py runs many more.

The files live on /dev/shm when there is one: a SIGKILL never loses what the
kernel holds, so a RAM disk tests the same thing as a disk, three times
faster. (Power loss is another matter, not tested here.)
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from app import storage
from app.desk import Desk

WORKER = Path(__file__).resolve().parent.parent / "crash_worker.py"

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and SIGKILL")


@pytest.fixture
def fast_folder(tmp_path):
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        folder = Path(tempfile.mkdtemp(prefix="brieventafel-crash-", dir=shm))
        yield folder
        shutil.rmtree(folder, ignore_errors=True)
    else:
        yield tmp_path


def test_kills_lose_no_acknowledged_action(fast_folder):
    done = subprocess.run(
        [sys.executable, str(WORKER), "--kills", "100", "--races", "6", "--seed", "11"]
        + ["--folder", str(fast_folder / "run")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    figures = json.loads(done.stdout)
    assert figures["kills"] == 100
    assert set(figures["per_operation"]) >= {"put_away", "lay_back", "undo", "paper", "create"}
    assert figures["per_operation"]["rescue"] == 25
    assert figures["acknowledged"] > 100
    assert figures["problems"] == []
    assert figures["lost"] == 0
    assert figures["false_notices"] == 0
    assert figures["integrity_failures"] == 0
    assert figures["child_errors"] == {}
    assert figures["mode_problems"] == 0
    assert figures["race_trials"] == 6 and figures["race_failures"] == 0
    left = figures["files_left"]
    assert not [name for name in left if name.endswith(("-tmp", ".part"))]


def _damaged_desk(folder, today):
    from app.session import Session

    session = Session.open_practice(folder, today=today)
    away = session.table()[0].id
    session.put_away(away)
    path = session.desk.path
    session.close()
    conn = sqlite3.connect(str(path))
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    [page, *_] = [
        r[0]
        for r in conn.execute(
            "SELECT pageno FROM dbstat WHERE name = 'letters_table' AND pagetype = 'leaf'"
        )
    ]
    conn.close()
    raw = bytearray(path.read_bytes())
    raw[(page - 1) * size : page * size] = b"\xff" * size  # an index page: rows all readable
    path.write_bytes(bytes(raw))
    return path, away


class Killed(BaseException):
    """Stands in for SIGKILL at one exact moment (the random kills are above)."""


@pytest.mark.parametrize("moment", ["after building", "after moving aside"])
def test_a_rescue_cut_short_carries_on_at_the_next_start(tmp_path, today, monkeypatch, moment):
    """The two moments between the steps of a rescue, hit exactly.

    The random kills above rarely land in these gaps of microseconds, so here
    the step after is made to stop the run: real files, real renames."""
    path, away = _damaged_desk(tmp_path, today)
    damaged = path.read_bytes()
    real = storage._move_aside if moment == "after building" else storage._install

    def cut(*args):
        raise Killed

    monkeypatch.setattr(storage, real.__name__, cut)
    with pytest.raises(Killed):
        Desk(path.parent, today=today)
    monkeypatch.setattr(storage, real.__name__, real)
    assert path.exists() == (moment == "after building")

    desk = Desk(path.parent, today=today)
    try:
        assert [n.kind for n in desk.notices] == ["damaged"]
        assert not desk.is_on_table("koen", away)  # the put-away letter stayed away
        assert desk.cursor("koen") is None  # and the next sync brings every letter
    finally:
        desk.close()
    folder = path.parent
    backups = [p for p in folder.iterdir() if ".beschadigd-" in p.name]
    assert len(backups) == 1 and backups[0].read_bytes() == damaged
    assert not [p for p in folder.iterdir() if p.name.endswith("-tmp")]
    again = Desk(folder, today=today)
    assert again.notices == []  # told once
    again.close()
