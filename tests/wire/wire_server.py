"""The real server in a subprocess, and tiny bad servers on raw loopback sockets.

A plain helper for tests/wire: the server is started as tests/server starts it
(tests/live_server.py: ``python -m server --practice`` on a free port over a
copy of the seeded practice folder, ready when its OpenAPI answers). The bad
servers are real sockets, not mocks: each answers every request after the first
(``/personen``) in one bad way.
"""

from __future__ import annotations

import http
import http.server
import json
import socket
import socketserver
import subprocess
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import requests

import live_server
from live_server import ROOT  # noqa: F401 - the tests take it from here

KOEN = "BSN:999990019"
KEES = "BSN:999990032"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    base: str  # http://127.0.0.1:PORT
    data_dir: Path
    process: subprocess.Popen

    def token(self, person: str = "koen", pin: str = "11111") -> str:
        answer = requests.post(
            self.base + "/api/v1/_login", json={"persoon": person, "pin": pin}, timeout=10
        )
        assert answer.status_code == 200, answer.status_code
        return answer.json()["token"]

    def publish(self, org: str, bsn: str = "999990019", **fields) -> requests.Response:
        from server.setup import afnemer_keys

        key = afnemer_keys(self.data_dir)[org]
        body = {"ontvanger": {"type": "BSN", "waarde": bsn}, "onderwerp": "Test", "inhoud": "T."}
        body.update(fields)
        return requests.post(
            self.base + "/api/v1/afnemer/berichten",
            json=body,
            auth=(key["oin"], key["sleutel"]),
            timeout=10,
        )

    def stop(self) -> None:
        live_server.stop(self.process)


def start_server(data_dir: Path, log_path: Path, port: int | None = None, **env: str) -> Server:
    """``python -m server --practice`` over a copy of the seeded practice folder
    (tests/live_server.py), ready when its OpenAPI answers."""
    process, port = live_server.start_process(data_dir, log_path, env=env, port=port)
    return Server(f"http://127.0.0.1:{port}", data_dir, process)


class FbsOnlyProxy:
    """The real server as a server without Brieventafel's list extension: a loopback
    hop that drops ``metInhoud`` from every query (as a server that does not know
    it ignores it), so the list comes in the exact FBS shape. Counts the requests
    it forwards by path."""

    def __init__(self, target: str):
        self.target = target.rstrip("/")
        self.paths: list[str] = []
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # quiet
                pass

            def _forward(self) -> None:
                parts = urllib.parse.urlsplit(self.path)
                query = [
                    (k, val)
                    for k, val in urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
                    if k != "metInhoud"
                ]
                path = parts.path + ("?" + urllib.parse.urlencode(query) if query else "")
                owner.paths.append(parts.path)
                size = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(size) if size else None
                keep = ("Authorization", "X-Ontvanger", "Content-Type", "Accept")
                headers = {k: self.headers[k] for k in keep if self.headers.get(k)}
                answer = requests.request(
                    self.command, owner.target + path, headers=headers, data=body, timeout=10
                )
                self.send_response(answer.status_code)
                for name in ("Content-Type", "Retry-After", "API-Version", "Location"):
                    if name in answer.headers:
                        self.send_header(name, answer.headers[name])
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

            do_GET = do_POST = do_PATCH = do_DELETE = _forward  # noqa: N815

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self._server.server_address[1]}"
        # polled every 20 ms: shutdown() waits up to one poll (0.5 s by default)
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.02,), daemon=True
        )
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


PEOPLE = b'[{"id": "koen", "naam": "Koen de Vries", "ontvanger": "BSN:999990019"}]'


class BadServer:
    """A raw socket server on loopback. ``mode`` says how it answers everything but
    ``/personen``: silent, html, garbage, big, 500, 503-long, 503-once, cut, cut-body.

    ``answers`` scripts it (mode "scripted"): by the end of a path (the query left
    off), the answers in turn, the last one again and again; each is ``bytes``
    (200, JSON), ``(status, bytes)``, ``(status, bytes, {header: value})`` or
    anything else sent as JSON with 200. A path with no script gets 404
    problem+json (``/personen`` too, when it is scripted)."""

    def __init__(self, mode: str, answers: dict[str, list[object]] | None = None):
        self.mode = mode
        self.answers = {path: list(script) for path, script in (answers or {}).items()}
        self.requests: list[tuple[float, str]] = []
        owner = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                owner._handle(self.request)

        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._stop = threading.Event()
        self.base = f"http://127.0.0.1:{self._server.server_address[1]}"
        # polled every 20 ms: shutdown() waits up to one poll (0.5 s by default)
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.02,), daemon=True
        )
        self._thread.start()

    def close(self) -> None:
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()

    @staticmethod
    def _answer(status: str, kind: str, body: bytes, extra: str = "") -> bytes:
        head = (
            f"HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {len(body)}\r\n"
            f"{extra}Connection: close\r\n\r\n"
        )
        return head.encode() + body

    def _scripted(self, path: str) -> bytes:
        for end, script in self.answers.items():
            if path.endswith(end) and script:
                answer = script.pop(0) if len(script) > 1 else script[0]
                status, body, *more = answer if isinstance(answer, tuple) else (200, answer)
                if not isinstance(body, bytes):
                    body = json.dumps(body).encode()
                reason = http.HTTPStatus(status).phrase
                extra = "".join(f"{k}: {val}\r\n" for k, val in (more[0] if more else {}).items())
                return self._answer(f"{status} {reason}", "application/json", body, extra)
        problem = b'{"type": "about:blank", "title": "Niet gevonden", "status": 404}'
        return self._answer("404 Not Found", "application/problem+json", problem)

    def _handle(self, sock: socket.socket) -> None:
        sock.settimeout(10)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                return
            data += chunk
        path = data.split(b" ", 2)[1].decode()
        self.requests.append((time.monotonic(), path))
        try:
            if self.answers or self.mode == "scripted":
                sock.sendall(self._scripted(path.split("?")[0]))
                return
            if path.endswith("/personen"):
                sock.sendall(self._answer("200 OK", "application/json", PEOPLE))
                return
            mode = self.mode
            if mode == "silent":
                self._stop.wait(20)  # accepts, reads, never answers
            elif mode == "html":
                page = b"<html><body><h1>Storing</h1></body></html>"
                sock.sendall(self._answer("200 OK", "text/html", page))
            elif mode == "garbage":
                sock.sendall(self._answer("200 OK", "application/json", b'{"berichten": [{"be'))
            elif mode == "big":
                head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
                sock.sendall(head.encode() + b"\r\n" + b'{"berichten": ["')
                block = b"x" * (1024 * 1024)
                for _ in range(50):  # 50 MB, without a Content-Length
                    sock.sendall(block)
            elif mode == "500":
                problem = b'{"type": "about:blank", "title": "Serverfout", "status": 500}'
                sock.sendall(
                    self._answer("500 Internal Server Error", "application/problem+json", problem)
                )
            elif mode == "503-long":
                sock.sendall(
                    self._answer(
                        "503 Service Unavailable",
                        "text/html",
                        b"<p>druk</p>",
                        "Retry-After: 120\r\n",
                    )
                )
            elif mode == "503-once":
                if len(self.requests) == 2:
                    sock.sendall(
                        self._answer(
                            "503 Service Unavailable", "text/plain", b"druk", "Retry-After: 1\r\n"
                        )
                    )
                else:
                    page = b'{"berichten": [], "_links": {}}'
                    sock.sendall(self._answer("200 OK", "application/json", page))
            elif mode == "cut":
                sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Ty")
            elif mode == "cut-body":
                sock.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    b'Content-Length: 5000\r\n\r\n{"berichten": ['
                )
            elif mode == "sse-cut":
                if "_ophalen" in path:
                    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n"
                    event = (
                        b'{"event": "magazijn-bevraging-voltooid", "naam": "RDW", "status": "OK"}'
                    )
                    sock.sendall(head + b"data: " + event + b"\n\n")
                else:
                    problem = b'{"title": "Conflict", "status": 409, "code": "not-ready"}'
                    sock.sendall(self._answer("409 Conflict", "application/problem+json", problem))
        except OSError:
            pass  # the client hung up (as it should on a 50 MB body)
        finally:
            sock.close()
