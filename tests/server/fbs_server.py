"""Talking to the real server in tests: starting it, its address, logins, the
practice people, and reading an ``_ophalen`` stream as a client does."""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

import live_server
from live_server import ROOT  # noqa: F401 - the tests take it from here

KOEN = "BSN:999990019"
KEES = "BSN:999990032"
CORRY = "BSN:999990020"
LISA = "BSN:999990044"
#: Every practice person and their X-Ontvanger.
PEOPLE = {"koen": KOEN, "corry": CORRY, "kees": KEES, "lisa": LISA}


def read_sse(answer: requests.Response) -> tuple[list[dict], bool]:
    """The events of an ``_ophalen`` stream, and whether it was complete: it is
    only when ``ophalen-gereed`` came. A stream that breaks off (the server
    stopped, the connection was cut) is incomplete, never an error here."""
    events: list[dict] = []
    try:
        for line in answer.iter_lines():
            if line.startswith(b"data:"):
                events.append(json.loads(line[5:]))
    except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError):
        pass
    finally:
        answer.close()
    return events, any(e["event"] == "ophalen-gereed" for e in events)


@dataclass
class Server:
    base: str
    data_dir: Path
    process: subprocess.Popen
    tokens: dict[str, str] = field(default_factory=dict)
    #: the CA bundle for https (verify=...), True for plain http
    verify: str | bool = True

    def url(self, path: str) -> str:
        return self.base + path

    def login(self, person: str, pin: str) -> requests.Response:
        return requests.post(
            self.url("/_login"),
            json={"persoon": person, "pin": pin},
            timeout=10,
            verify=self.verify,
        )

    def token(self, person: str) -> str:
        """A login token for a practice person (made once per session)."""
        if person not in self.tokens:
            from server.setup import PRACTICE_PINS

            answer = self.login(person, PRACTICE_PINS[person])
            assert answer.status_code == 200, answer.text
            self.tokens[person] = answer.json()["token"]
        return self.tokens[person]

    def headers(self, person: str, ontvanger: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(person)}", "X-Ontvanger": ontvanger}

    def get(self, path: str, person: str = "koen", ontvanger: str = KOEN, **kw):
        return requests.get(
            self.url(path),
            headers=self.headers(person, ontvanger),
            timeout=10,
            verify=self.verify,
            **kw,
        )

    def ophalen(self, person: str = "koen", ontvanger: str = KOEN) -> requests.Response:
        """Start ``_ophalen`` (GET, as FBS has it); the answer is a stream."""
        return self.get("/berichten/_ophalen", person, ontvanger, stream=True)

    def fill(self, person: str = "koen", ontvanger: str = KOEN) -> list[dict]:
        """Run ``_ophalen`` to its end, as a client does after a 409."""
        answer = self.ophalen(person, ontvanger)
        assert answer.status_code == 200, answer.text
        events, complete = read_sse(answer)
        assert complete, events
        return events

    def stop(self) -> None:
        live_server.stop(self.process)


def start_server(
    data_dir: Path,
    *args: str,
    env: dict[str, str] | None = None,
    ca: str | None = None,
) -> Server:
    """``brieventafel-server --practice`` in its own process on a free port, over a
    copy of the seeded practice folder (tests/live_server.py); returns when its
    OpenAPI answers. With ``ca`` (a CA bundle) it is https and every request
    verifies against that bundle."""
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    log_path = data_dir.parent / f"server-{data_dir.name}.log"
    try:
        process, port = live_server.start_process(
            data_dir, log_path, args, env=env, verify=ca or True
        )
    except RuntimeError as error:
        pytest.fail(str(error))
    scheme = "https" if ca else "http"
    return Server(f"{scheme}://127.0.0.1:{port}/api/v1", data_dir, process, verify=ca or True)
