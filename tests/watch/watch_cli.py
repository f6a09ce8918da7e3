"""``brieventafel ... --data-dir <tmp>/data``: the real CLI in a process of its own,
never on the person's real data, autostart folder or mail password."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT), XDG_DATA_HOME=str(tmp_path / "xdg"))
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")  # never the real autostart folder
    env.pop("BRIEVENTAFEL_SMTP_PASSWORD", None)
    return subprocess.run(
        [sys.executable, "-m", "app", "--data-dir", str(tmp_path / "data"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
