"""A second start reaches a first one that makes its local server after its first frame.

The first start takes the data folder's lock before any store opens (that keeps
a second copy out: tests/core/test_instance.py). From then on a plain Unix
socket listens where the local server will be; the server itself (QtNetwork,
about 15 ms before the first frame; issue 14) takes it over after the first
frame, with the second start's "raise" waiting in it. Real processes and real
local sockets here.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ui.shell.main import ask_first_forward

ROOT = Path(__file__).resolve().parents[2]

#: a first start that listens a moment late, and answers as InstanceServer does
LATE_FIRST = r"""
import sys
from PySide6.QtCore import QCoreApplication, QTimer
from ui.shell.main import InstanceServer, _listen_early

app = QCoreApplication([])
name = sys.argv[1]
early = _listen_early(name)  # at once, as the first start does when it holds the lock
assert early is not None
servers = []


def listen():  # as the first start does after its first frame
    servers.append(InstanceServer(name, app, descriptor=early.detach()))
    assert servers[0].listening


QTimer.singleShot(400, listen)
QTimer.singleShot(30000, app.quit)
print("started", flush=True)
app.exec()
"""


def _name(tmp_path: Path) -> str:
    return str(tmp_path / "first") if sys.platform != "win32" else f"bt-test-{os.getpid()}"


@pytest.mark.skipif(sys.platform == "win32", reason="Unix sockets; on Windows at once")
def test_a_second_start_reaches_a_first_that_makes_its_server_late(tmp_path):
    name = _name(tmp_path)
    first = subprocess.Popen(
        [sys.executable, "-c", LATE_FIRST, name],
        cwd=ROOT,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert first.stdout is not None and first.stdout.readline().strip() == "started"
        # asked before its server is made: the "raise" waits in the socket
        assert ask_first_forward(name, 20.0)
    finally:
        first.kill()
        first.communicate(timeout=30)


@pytest.mark.gui
def test_nobody_listening_is_no_answer(tmp_path):
    assert ask_first_forward(_name(tmp_path), 0.3) is False


@pytest.mark.gui
@pytest.mark.skipif(sys.platform == "win32", reason="Unix sockets; on Windows at once")
def test_a_start_that_ends_before_its_first_frame_leaves_no_socket(tmp_path, qapp):
    from ui.shell.main import _Listening

    name = _name(tmp_path)
    listening = _Listening(name, qapp)
    assert Path(name).exists()  # reachable from the lock on
    listening.close()  # a store problem: the start ends before its window
    assert not Path(name).exists()
