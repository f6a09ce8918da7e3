"""``python -m app --person piet --self-test`` (and monique): the helpers of the
mandate stories sign in as themselves, and the first sync brings the post of
everyone they act for onto the desk, so the overview has it (issue 13).

A real process (the launcher, offscreen Qt) over a fresh data folder; the desk
it leaves is read back as a file."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from app.desk import Desk
from app.session import PRACTICE_FOLDER

ROOT = Path(__file__).resolve().parents[2]
PIETS_CLIENTS = ["wim", "fatima", "henk", "truus", "mohamed"]
PIETS_CLIENTS += ["ans", "gerrit", "yvonne", "dirk", "marja"]


@pytest.mark.parametrize(("helper", "theirs"), [("piet", PIETS_CLIENTS), ("monique", ["sanne"])])
def test_a_helper_signs_in_and_the_self_test_reports(tmp_path, helper, theirs):
    data = tmp_path / "data"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    env["XDG_DATA_HOME"] = str(tmp_path / "xdg")  # never the real data folder
    run = subprocess.run(
        [sys.executable, "-m", "app", "--person", helper, "--self-test", "--data-dir", str(data)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr, run.stderr
    assert re.search(r"self-test: \d+ brieven op tafel, \d+ afzenders", run.stdout), run.stdout
    desk = Desk(data / PRACTICE_FOLDER)
    try:
        counts = desk.table_counts([helper, *theirs])
    finally:
        desk.close()
    assert set(theirs) <= set(counts), counts  # everyone they act for is on the desk
    assert all(counts[person][0] > 0 for person in theirs)
