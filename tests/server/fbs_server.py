"""Talking to the real server in tests: its address, logins and the practice people."""

from __future__ import annotations

import socket
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import requests

KOEN = "BSN:999990019"
KEES = "BSN:999990032"
CORRY = "BSN:999990020"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    base: str
    data_dir: Path
    process: subprocess.Popen
    tokens: dict[str, str] = field(default_factory=dict)

    def url(self, path: str) -> str:
        return self.base + path

    def login(self, person: str, pin: str) -> requests.Response:
        return requests.post(self.url("/_login"), json={"persoon": person, "pin": pin}, timeout=10)

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
            self.url(path), headers=self.headers(person, ontvanger), timeout=10, **kw
        )
