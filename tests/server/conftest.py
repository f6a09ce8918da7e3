"""The real server, in its own process, on a free loopback port.

One server per test process (``brieventafel-server --practice`` as
``python -m server``), over a fresh data folder; tests talk to it with
``requests``, as the remote mailbox will. Its session cache is filled for every
practice person (``_ophalen``), as a client does after the first 409; the 409
itself is tested on a server of its own (test_server_ophalen.py).
"""

from __future__ import annotations

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")
requests = pytest.importorskip("requests")

from fbs_server import PEOPLE, Server, start_server  # noqa: E402


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Server:
    running = start_server(tmp_path_factory.mktemp("server") / "data")
    try:
        for person, ontvanger in PEOPLE.items():
            running.fill(person, ontvanger)
        yield running
    finally:
        running.stop()
