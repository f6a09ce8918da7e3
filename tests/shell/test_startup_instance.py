"""A second start finds a first one that listens only after its first frame.

The first start takes the data folder's lock before any store opens (that keeps
a second copy out: tests/core/test_instance.py), but it makes its local server
only once its first frame is painted (issue 14: QtNetwork and the server cost
about 15 ms before it). So a second start tries to connect again until its
answer time is up. Real processes and real local sockets here.
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
from PySide6.QtNetwork import QLocalServer

app = QCoreApplication([])
name = sys.argv[1]
server = QLocalServer()


def answer():
    socket = server.nextPendingConnection()
    socket.waitForReadyRead(5000)
    if b"raise" in bytes(socket.readAll().data()):
        socket.write(b"ok\n")
        socket.flush()
        socket.waitForBytesWritten(5000)
    app.quit()


def listen():
    QLocalServer.removeServer(name)
    assert server.listen(name)
    server.newConnection.connect(answer)


QTimer.singleShot(400, listen)
QTimer.singleShot(30000, app.quit)
print("started", flush=True)
app.exec()
"""


def _name(tmp_path: Path) -> str:
    return str(tmp_path / "first") if sys.platform != "win32" else f"bt-test-{os.getpid()}"


def test_a_second_start_reaches_a_first_that_listens_late(tmp_path):
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
        assert ask_first_forward(name, 20.0)  # not listening yet when asked first
    finally:
        first.kill()
        first.communicate(timeout=30)


@pytest.mark.gui
def test_nobody_listening_is_no_answer(tmp_path):
    assert ask_first_forward(_name(tmp_path), 0.3) is False
