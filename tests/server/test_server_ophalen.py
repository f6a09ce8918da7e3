"""FBS ``_ophalen``: Server-Sent Events per magazijn, and the 409 of a list whose
session cache is not filled. Read from the client side with plain ``requests``
(stream=True) from the real server in its own process."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time

import pytest
from fbs_server import CORRY, KEES, KOEN, LISA, Server, read_sse, requests, start_server

PROBLEM = "application/problem+json"
#: Pause per magazijn of the slow server: stands in for organisations far away.
PAUSE_S = 0.1


def _problem(answer, status: int, code: str) -> None:
    assert answer.status_code == status, answer.text
    assert answer.headers["Content-Type"].startswith(PROBLEM)
    assert answer.json()["code"] == code
    assert "999990" not in answer.text


def test_ophalen_streams_each_magazijn_then_gereed(server):
    started = time.perf_counter()
    answer = server.ophalen("kees", KEES)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("text/event-stream")
    assert answer.headers["API-Version"]
    raw = answer.raw.read().decode("utf-8")
    seconds = time.perf_counter() - started
    frames = [f for f in raw.split("\n\n") if f.strip()]
    assert all(f.startswith("data: ") and "\n" not in f for f in frames), raw  # one line each
    events = [json.loads(f.removeprefix("data: ")) for f in frames]

    orgs = requests.get(
        server.url("/organisaties"), headers=server.headers("kees", KEES), timeout=10
    ).json()
    names = [e["naam"] for e in events if e["event"] == "magazijn-bevraging-gestart"]
    assert names == [o["naam"] for o in orgs]  # one magazijn per organisation
    for org in orgs:  # each magazijn starts before it is done, and its id is the OIN
        mine = [e for e in events if e.get("naam") == org["naam"]]
        assert [e["event"] for e in mine] == [
            "magazijn-bevraging-gestart",
            "magazijn-bevraging-voltooid",
        ]
        assert mine[0]["magazijnId"] == org["oin"] and mine[1]["status"] == "OK"
    done = events[-1]
    assert done["event"] == "ophalen-gereed"
    letters = server.get("/berichten?paginaGrootte=200", "kees", KEES).json()["berichten"]
    assert (
        done["totaalBerichten"] == len(letters) == sum(e.get("aantalBerichten", 0) for e in events)
    )
    assert done["geslaagd"] == done["totaalMagazijnen"] == len(orgs) and done["mislukt"] == 0
    assert "999990" not in raw
    print(f"_ophalen, {len(orgs)} magazijnen, {len(letters)} letters: {seconds * 1000:.1f} ms")


def test_ophalen_checks_who_asks_before_the_stream(server):
    _problem(server.get("/berichten/_ophalen", "koen", KEES), 403, "forbidden")
    bare = requests.get(server.url("/berichten/_ophalen"), headers={"X-Ontvanger": KOEN})
    _problem(bare, 401, "unauthorized")
    answer = server.get("/berichten/_ophalen", "koen", "BSN-123")
    assert answer.status_code == 400 and answer.headers["Content-Type"].startswith(PROBLEM)


def test_post_is_the_same_as_get(server):
    answer = requests.post(
        server.url("/berichten/_ophalen"),
        headers=server.headers("lisa", LISA),
        stream=True,
        timeout=10,
    )
    assert answer.status_code == 200
    events, complete = read_sse(answer)
    assert complete and events[0]["event"] == "magazijn-bevraging-gestart"


@pytest.fixture(scope="module")
def slow(tmp_path_factory) -> Server:
    """A server of its own (nothing fetched yet), whose magazijnen take a while."""
    running = start_server(
        tmp_path_factory.mktemp("slow") / "data",
        env={"BRIEVENTAFEL_OPHALEN_PAUSE_S": str(PAUSE_S)},
    )
    yield running
    running.stop()


def test_the_list_is_409_until_ophalen_is_done(slow):
    _problem(slow.get("/berichten"), 409, "not-ready")
    _problem(slow.get("/berichten/_zoeken", params={"q": "apk"}), 409, "not-ready")
    stream = slow.ophalen()
    assert stream.status_code == 200
    lines = stream.iter_lines()
    first = next(line for line in lines if line)
    assert json.loads(first[5:])["event"] == "magazijn-bevraging-gestart"
    _problem(slow.get("/berichten"), 409, "not-ready")  # still running
    _problem(slow.get("/berichten/_ophalen"), 409, "not-ready")  # one fetch at a time
    events, complete = read_sse(stream)
    assert complete
    assert slow.get("/berichten").status_code == 200
    assert slow.get("/berichten/_zoeken", params={"q": "apk"}).status_code == 200
    # Reading one letter, and changing it, go to its magazijn: never 409.
    assert slow.get("/berichten", "kees", KEES).status_code == 409


class CuttingProxy:
    """A loopback hop between client and server that cuts the connection once
    the first magazijn is done: a network that drops mid-stream."""

    def __init__(self, port: int):
        self.target = port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        client, _ = self.listener.accept()
        upstream = socket.create_connection(("127.0.0.1", self.target))

        def to_server() -> None:
            try:
                while data := client.recv(65536):
                    upstream.sendall(data)
            except OSError:
                pass

        threading.Thread(target=to_server, daemon=True).start()
        seen = b""
        try:
            while data := upstream.recv(65536):
                seen += data
                mark = seen.find(b"magazijn-bevraging-voltooid")
                # the end of that event's chunk (the body is chunked: data, CRLF)
                end = seen.find(b"\n\n\r\n", mark) if mark >= 0 else -1
                if end >= 0:
                    client.sendall(data[: len(data) - (len(seen) - end - 4)])
                    break
                client.sendall(data)
        finally:
            for sock in (client, upstream):  # shutdown: close alone waits for the other recv
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self.listener.close()


def test_a_stream_cut_before_gereed_is_incomplete_and_fills_nothing(slow):
    proxy = CuttingProxy(int(slow.base.split(":")[2].split("/")[0]))
    via = slow.base.replace(slow.base.split("/")[2], f"127.0.0.1:{proxy.port}")
    answer = requests.get(
        via + "/berichten/_ophalen",
        headers=slow.headers("corry", CORRY),
        stream=True,
        timeout=10,
    )
    assert answer.status_code == 200
    events, complete = read_sse(answer)
    assert not complete
    assert [e["event"] for e in events] == [
        "magazijn-bevraging-gestart",
        "magazijn-bevraging-voltooid",
    ]
    proxy.thread.join(5)
    # The server saw the client go: nothing counts as fetched, and a new fetch may
    # start (polled: the server notices the cut at its next write).
    _problem(slow.get("/berichten", "corry", CORRY), 409, "not-ready")
    deadline = time.monotonic() + 10
    while (again := slow.ophalen("corry", CORRY)).status_code == 409:
        again.close()
        assert time.monotonic() < deadline, "the cut fetch still counts as running"
        time.sleep(PAUSE_S / 2)
    assert read_sse(again)[1]
    assert slow.get("/berichten", "corry", CORRY).status_code == 200
