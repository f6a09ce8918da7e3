"""The real server (``python -m server --practice``) for tests/server and tests/wire.

Three things make a start cheap, and nothing here is a mock:

* **Seeded once**: the practice data folder (letters, PINs, organisation keys)
  is made once per test process, in that process (no FastAPI needed), and
  copied for every server (``shutil.copytree``); ``--practice`` on a seeded
  folder adds nothing. Seeding hashes four PINs and writes the practice box:
  about a second each time before.
* **Shared**: one server per test process (``live_server``) for every test in
  tests/server and tests/wire that does not need a server of its own (one that
  stops it, changes its environment, TLS or PostgreSQL). Both conftests take it
  from here; it stops when the test session ends.
* **Polled fast**: ready once its port accepts (uvicorn listens only after the
  app started) and its OpenAPI answers; polled every 20 ms, never a fixed sleep.
"""

from __future__ import annotations

import atexit
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_template: Path | None = None
_shared: SharedServer | None = None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def practice_template() -> Path:
    """A data folder seeded as ``--practice`` seeds it, made once per process."""
    global _template
    if _template is None:
        from app.mailbox.practice import PracticeMailbox
        from server import PRACTICE_FILE, SERVER_FILE
        from server.setup import fill_practice
        from server.store import ServerStore

        folder = Path(tempfile.mkdtemp(prefix="brieventafel-seed-")) / "data"
        folder.mkdir()
        atexit.register(shutil.rmtree, folder.parent, ignore_errors=True)
        box = PracticeMailbox(folder / PRACTICE_FILE)
        try:
            store = ServerStore(folder / SERVER_FILE)
            try:
                fill_practice(box, store, folder)
            finally:
                store.close()
        finally:
            box.close()
        _template = folder
    return _template


def seed(data_dir: Path, *, server_store: bool = True) -> None:
    """Put the seeded practice folder at ``data_dir`` unless something is there already
    (a server started again over its own folder keeps what it had). Without
    ``server_store`` (a server on PostgreSQL) the folder has no server.sqlite:
    that server seeds its own tables (and new keys) in the database."""
    if data_dir.exists() and any(data_dir.iterdir()):
        return
    skip = shutil.ignore_patterns("server.sqlite*") if not server_store else None
    shutil.copytree(practice_template(), data_dir, dirs_exist_ok=True, ignore=skip)


def start_process(
    data_dir: Path,
    log_path: Path,
    args: tuple[str, ...] | list[str] = (),
    *,
    env: dict[str, str] | None = None,
    port: int | None = None,
    verify: str | bool = True,
) -> tuple[subprocess.Popen, int]:
    """``python -m server --practice`` over a seeded copy at ``data_dir``, on a free
    port (or ``port``); returns once it answers. RuntimeError (with its log) when it
    stops or does not answer within 30 s. ``verify``: a CA bundle means https."""
    import requests

    seed(data_dir, server_store="--database-url" not in args)
    port = port or free_port()
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "server", "--data-dir", str(data_dir), "--port", str(port)]
            + ["--practice", *args],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
        )
    scheme = "http" if verify is True else "https"
    deadline = time.monotonic() + 30
    listening = False
    while True:
        if process.poll() is not None:
            raise RuntimeError("the server stopped: " + log_path.read_text())
        if not listening:
            with socket.socket() as sock:
                listening = sock.connect_ex(("127.0.0.1", port)) == 0
        if listening:
            try:
                answer = requests.get(
                    f"{scheme}://127.0.0.1:{port}/api/v1/openapi.json", timeout=5, verify=verify
                )
                if answer.status_code == 200:
                    return process, port
            except requests.ConnectionError:
                pass
        if time.monotonic() > deadline:
            stop(process)
            raise RuntimeError("the server did not answer within 30 s: " + log_path.read_text())
        time.sleep(0.02)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:  # a TLS handshake a test broke off can hold uvicorn's shutdown
            process.wait(timeout=3)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class SharedServer:
    port: int
    data_dir: Path
    process: subprocess.Popen

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@pytest.fixture(scope="session")
def live_server(request, tmp_path_factory) -> SharedServer:
    """The one server of this test process (started at the first test that asks).
    Tests must not stop it, nor change its environment: they take a server of their own."""
    global _shared
    if _shared is None or _shared.process.poll() is not None:
        folder = tmp_path_factory.mktemp("live")
        process, port = start_process(folder / "data", folder / "server.log")
        _shared = SharedServer(port, folder / "data", process)
        running = _shared

        def cleanup() -> None:
            global _shared
            stop(running.process)
            _shared = None

        request.config.add_cleanup(cleanup)
    return _shared


def certificates(folder: Path) -> tuple[Path, Path, Path]:
    """A CA of the test's own (trustme) and a certificate from it for 127.0.0.1:
    (certfile, keyfile, the CA bundle a client trusts)."""
    import trustme

    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    certfile, keyfile, bundle = folder / "cert.pem", folder / "key.pem", folder / "ca.pem"
    cert.cert_chain_pems[0].write_to_path(str(certfile))
    cert.private_key_pem.write_to_path(str(keyfile))
    ca.cert_pem.write_to_path(str(bundle))
    return certfile, keyfile, bundle
