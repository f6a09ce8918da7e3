"""The real server on loopback for the remote mailbox's tests (see wire_server.py)."""

from __future__ import annotations

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")
pytest.importorskip("requests")

from wire_server import Server, start_server  # noqa: E402

from live_server import SharedServer, live_server  # noqa: E402, F401 - the shared fixture


@pytest.fixture(scope="session")
def server(live_server: SharedServer) -> Server:  # noqa: F811 - the fixture, by name
    """The server of this test process, shared with tests/server (tests/live_server.py),
    for the tests that do not stop it."""
    return Server(live_server.origin, live_server.data_dir, live_server.process)


@pytest.fixture
def own_server(tmp_path) -> Server:
    """A server of this test alone (to kill it)."""
    running = start_server(tmp_path / "data", tmp_path / "server.log")
    yield running
    running.stop()
