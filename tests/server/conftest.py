"""The real server, in its own process, on a free loopback port.

One server per test process (``brieventafel-server --practice`` as
``python -m server``), over a fresh data folder; tests talk to it with
``requests``, as the remote mailbox will.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")
requests = pytest.importorskip("requests")

from fbs_server import Server, free_port  # noqa: E402


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Server:
    data_dir = tmp_path_factory.mktemp("server") / "data"
    port = free_port()
    log = open(data_dir.parent / "server.log", "wb")  # noqa: SIM115 - closed at teardown
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "server", "--data-dir", str(data_dir), "--port", str(port)]
        + ["--practice"],
        cwd=Path(__file__).resolve().parents[2],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}/api/v1"
    deadline = time.monotonic() + 30
    while True:  # ready when the OpenAPI answers (polled, no fixed sleep)
        if process.poll() is not None:
            log.close()
            pytest.fail("the server stopped: " + (data_dir.parent / "server.log").read_text())
        try:
            if requests.get(base + "/openapi.json", timeout=1).status_code == 200:
                break
        except requests.ConnectionError:
            pass
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail("the server did not answer within 30 s")
        time.sleep(0.05)
    yield Server(base, data_dir, process)
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    log.close()
