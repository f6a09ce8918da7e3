"""The real server, in its own process, on a free loopback port.

One server per test process (``brieventafel-server --practice`` as
``python -m server``), shared with tests/wire (tests/live_server.py: seeded once,
copied); tests talk to it with ``requests``, as the remote mailbox will. Its
session cache is filled for every practice person (``_ophalen``), as a client
does after the first 409; the 409 itself is tested on a server of its own
(test_server_ophalen.py).
"""

from __future__ import annotations

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")
requests = pytest.importorskip("requests")

from fbs_server import PEOPLE, Server  # noqa: E402

from live_server import SharedServer, live_server  # noqa: E402, F401 - the shared fixture


@pytest.fixture(scope="session")
def server(live_server: SharedServer) -> Server:  # noqa: F811 - the fixture, by name
    running = Server(live_server.origin + "/api/v1", live_server.data_dir, live_server.process)
    for person, ontvanger in PEOPLE.items():
        running.fill(person, ontvanger)
    return running
