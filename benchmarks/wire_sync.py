"""Sync of 1,000 letters from the real server on loopback (issue 12).

Starts ``python -m server --practice`` in a tmp folder, lets the RDW publish
1,000 letters to Koen (on top of his practice letters), then syncs them onto a
desk through ``Session.open_remote`` twice (a fresh desk each time): as a client
without the list extension (``metInhoud``: one GET per letter) and with it, and
prints ``name: value unit`` lines for both:

    python benchmarks/wire_sync.py [--letters 1000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "tests" / "wire")]

import requests  # noqa: E402
from wire_server import start_server  # noqa: E402

from app.session import Session  # noqa: E402


def _sync(folder: Path, base: str, token: str, with_content: bool):
    """A full sync onto a fresh desk, then one with nothing new: (letters, seconds,
    requests, seconds, requests)."""
    session = Session.open_remote(folder, base, "koen", token, sync=False)
    try:
        mailbox = session.mailbox
        mailbox.list_content = with_content  # type: ignore[attr-defined]
        before = mailbox.requests_sent  # type: ignore[attr-defined]
        started = time.perf_counter()
        new = session.sync()
        full = time.perf_counter() - started
        assert session.sync_error is None, session.sync_error
        full_requests = mailbox.requests_sent - before  # type: ignore[attr-defined]
        before = mailbox.requests_sent  # type: ignore[attr-defined]
        started = time.perf_counter()
        assert session.sync() == 0
        nothing = time.perf_counter() - started
        nothing_requests = mailbox.requests_sent - before  # type: ignore[attr-defined]
    finally:
        session.close()
    return new, full, full_requests, nothing, nothing_requests


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--letters", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        server = start_server(folder / "data", folder / "server.log")
        try:
            from server.setup import afnemer_keys

            key = afnemer_keys(server.data_dir)["rdw"]
            http = requests.Session()
            http.auth = (key["oin"], key["sleutel"])
            for n in range(args.letters):
                body = {
                    "ontvanger": {"type": "BSN", "waarde": "999990019"},
                    "onderwerp": f"Herinnering {n}",
                    "inhoud": "Geachte heer De Vries, " + "tekst " * 80,
                    "handelingsperspectief": "informatie ontvangen",
                }
                answer = http.post(server.base + "/api/v1/afnemer/berichten", json=body)
                assert answer.status_code == 201, answer.status_code
            token = server.token()
            figures = {}
            # The server's cache first (FBS _ophalen), so neither sync below pays for it.
            auth = {"Authorization": f"Bearer {token}", "X-Ontvanger": "BSN:999990019"}
            fill = requests.get(server.base + "/api/v1/berichten/_ophalen", headers=auth)
            assert b"ophalen-gereed" in fill.content, fill.status_code
            # The same server and letters, each onto a fresh desk: first as a client
            # without the list extension (one GET per letter, the old way), then with it.
            for label, with_content in (("per_letter", False), ("with_list_content", True)):
                figures[label] = _sync(folder / label, server.base, token, with_content)
        finally:
            server.stop()
    for label, (new, full, full_requests, nothing, nothing_requests) in figures.items():
        print(f"wire_full_sync_letters_{label}: {new} letters")
        print(f"wire_full_sync_seconds_{label}: {full:.3f} s")
        print(f"wire_full_sync_requests_{label}: {full_requests} requests")
        print(f"wire_nothing_new_sync_requests_{label}: {nothing_requests} requests")
        print(f"wire_nothing_new_sync_seconds_{label}: {nothing:.4f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
