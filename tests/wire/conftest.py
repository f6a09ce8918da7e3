"""The real server on loopback for the remote mailbox's tests (see wire_server.py)."""

from __future__ import annotations

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")
pytest.importorskip("requests")

from wire_server import Server, start_server  # noqa: E402


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Server:
    """One server for the tests that do not stop it."""
    folder = tmp_path_factory.mktemp("wire")
    running = start_server(folder / "data", folder / "server.log")
    yield running
    running.stop()


@pytest.fixture
def own_server(tmp_path) -> Server:
    """A server of this test alone (to kill it)."""
    running = start_server(tmp_path / "data", tmp_path / "server.log")
    yield running
    running.stop()
