"""Start-up on the practice box loads neither requests nor keyring (nor urllib3)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import atexit, sys
def report():
    loaded = sorted(m for m in ("requests", "keyring", "urllib3") if m in sys.modules)
    print("loaded:", ",".join(loaded) or "-")
atexit.register(report)
import app.mailbox.remote, app.secrets  # importing the modules themselves loads neither
from app.__main__ import main
sys.exit(main(["--self-test", "--data-dir", sys.argv[1]]))
"""


def test_practice_start_up_does_not_load_the_network_or_the_keyring(tmp_path):
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path / "data")],
        cwd=ROOT,
        env=dict(
            os.environ,
            QT_QPA_PLATFORM="offscreen",
            PYTHONPATH=str(ROOT),
            XDG_DATA_HOME=str(tmp_path / "xdg"),
        ),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "self-test:" in run.stdout, run.stderr[-2000:]
    assert "loaded: -" in run.stdout
