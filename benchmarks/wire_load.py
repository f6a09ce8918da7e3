"""50 clients at once against one server on loopback (issue 12, "Measured").

For each storage (SQLite always; PostgreSQL too when ``--database-url`` or
``$BRIEVENTAFEL_TEST_PG`` is given, in a schema of its own that is dropped
afterwards), this:

1. starts ``python -m server --practice`` in a tmp folder (tests/live_server.py);
2. lets the gemeente publish ``--letters`` (200) letters to each practice person
   whose box is on and who ticked the gemeente: Koen, Kees and Lisa. The server
   knows only the four practice people (server/setup.py makes no others, and
   there is no API to add a person); Corry's box is off, so her post goes on
   paper. The ``--clients`` (50) clients share those three people, round robin;
3. signs every client in (``/_login``: each its own token) and fills the server's
   cache once per person (FBS ``_ophalen``), so the measured part is syncing,
   not PBKDF2 or the first fetch (``--cold`` leaves the cache empty: then each
   client's first sync starts ``_ophalen`` itself);
4. runs the clients as threads, all released at once, each with its own
   :class:`~app.mailbox.remote.RemoteMailbox` (its own requests session and
   token), in a bounded loop: ``--rounds`` (1) times a full sync and then
   ``--nothing-new`` (5) syncs with nothing new.

An error is any MailboxError or other exception, or a sync that brings fewer
letters than were published (or any, for a nothing-new sync). Latency is per
HTTP request, from sending it to its body read and parsed (timed around the
mailbox's one call method, per instance: a benchmark may look inside).

Clients and server share this machine's cores: the figures are for both.

    python benchmarks/wire_load.py [--clients 50] [--letters 200] [--database-url URL]

Prints ``name: value unit`` lines, SQLite and PostgreSQL side by side.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import requests  # noqa: E402

import live_server  # noqa: E402
from app.mailbox.remote import RemoteMailbox, login  # noqa: E402

#: The practice people who get post on screen from the gemeente, with their X-Ontvanger.
RECIPIENTS = {"koen": "999990019", "kees": "999990032", "lisa": "999990044"}
ORG = "gemeente"


@dataclass
class Client:
    person: str
    token: str
    latencies: list[float] = field(default_factory=list)
    #: the latencies of the requests of nothing-new syncs only
    nothing_new: list[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    requests: int = 0


@contextmanager
def pg_schema(url: str) -> Iterator[str]:
    """``url`` with a fresh schema as its search path; dropped afterwards."""
    import psycopg

    name = "load_" + secrets.token_hex(6)
    with psycopg.connect(url, autocommit=True, connect_timeout=5) as admin:
        admin.execute(f"CREATE SCHEMA {name}")
        try:
            glue = "&" if "?" in url else "?"
            yield f"{url}{glue}options={quote(f'-csearch_path={name}')}"
        finally:
            admin.execute(f"DROP SCHEMA {name} CASCADE")


def publish(base: str, data_dir: Path, letters: int) -> None:
    from server.setup import afnemer_keys

    key = afnemer_keys(data_dir)[ORG]
    http = requests.Session()
    http.auth = (key["oin"], key["sleutel"])
    for person, bsn in RECIPIENTS.items():
        for n in range(letters):
            body = {
                "ontvanger": {"type": "BSN", "waarde": bsn},
                "onderwerp": f"Afvalkalender {n}",
                "inhoud": "Beste bewoner, " + "tekst " * 80,
                "handelingsperspectief": "informatie ontvangen",
            }
            answer = http.post(base + "/api/v1/afnemer/berichten", json=body, timeout=30)
            if answer.status_code != 201:
                raise SystemExit(f"publish for {person} answered {answer.status_code}")
    http.close()


def sign_in(base: str, count: int) -> list[Client]:
    """``count`` clients, each with a token of its own (four logins at a time)."""
    from concurrent.futures import ThreadPoolExecutor

    from server.setup import PRACTICE_PINS

    people = [list(RECIPIENTS)[i % len(RECIPIENTS)] for i in range(count)]
    with ThreadPoolExecutor(4) as pool:
        tokens = list(pool.map(lambda p: login(base, p, PRACTICE_PINS[p], timeout=(5, 60)), people))
    return [Client(p, t) for p, t in zip(people, tokens, strict=True)]


def fill_caches(base: str, clients: list[Client]) -> None:
    """FBS ``_ophalen`` once per person: the server's cache is filled."""
    done: set[str] = set()
    for client in clients:
        if client.person in done:
            continue
        done.add(client.person)
        headers = {
            "Authorization": f"Bearer {client.token}",
            "X-Ontvanger": f"BSN:{RECIPIENTS[client.person]}",
        }
        answer = requests.get(base + "/api/v1/berichten/_ophalen", headers=headers, timeout=60)
        if b"ophalen-gereed" not in answer.content:
            raise SystemExit(f"_ophalen did not finish ({answer.status_code})")


def run_client(
    base: str, client: Client, start: threading.Barrier, expect: int, rounds: int, nothing: int
) -> None:
    mailbox = RemoteMailbox(base, client.person, client.token, timeout=(5, 60))
    http = mailbox._http  # the one place every JSON request goes through
    plain_call = http.call

    into = [client.latencies]

    def timed_call(*args, **kwargs):
        started = time.perf_counter()
        try:
            return plain_call(*args, **kwargs)
        finally:
            for kept in into:
                kept.append(time.perf_counter() - started)

    http.call = timed_call  # type: ignore[method-assign]
    start.wait()
    try:
        for _ in range(rounds):
            del into[1:]  # a full sync's requests count only in latencies
            try:
                batch = mailbox.letters(client.person)
                if len(batch.letters) < expect or batch.set_aside:
                    client.errors["full sync short"] += 1
                cursor = batch.cursor
                into.append(client.nothing_new)
                for _ in range(nothing):
                    again = mailbox.letters(client.person, cursor)
                    if again.letters:
                        client.errors["nothing-new sync brought letters"] += 1
                    cursor = again.cursor
            except Exception as error:  # counted by kind; never its text (it may hold a URL)
                code = getattr(error, "code", None)
                client.errors[str(code) if code is not None else type(error).__name__] += 1
    finally:
        client.requests = mailbox.requests_sent
        mailbox.close()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(args, database_url: str | None) -> dict[str, str]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        extra = ["--database-url", database_url] if database_url else []
        process, port = live_server.start_process(folder / "data", folder / "server.log", extra)
        base = f"http://127.0.0.1:{port}"
        try:
            started = time.perf_counter()
            publish(base, folder / "data", args.letters)
            published = time.perf_counter() - started
            clients = sign_in(base, args.clients)
            if not args.cold:
                fill_caches(base, clients)
            start = threading.Barrier(len(clients) + 1)
            threads = [
                threading.Thread(
                    target=run_client,
                    args=(base, c, start, args.letters, args.rounds, args.nothing_new),
                )
                for c in clients
            ]
            for thread in threads:
                thread.start()
            start.wait()
            began = time.perf_counter()
            for thread in threads:
                thread.join()
            wall = time.perf_counter() - began
        finally:
            live_server.stop(process)
    latencies = [s for c in clients for s in c.latencies] or [0.0]
    quiet = [s for c in clients for s in c.nothing_new] or [0.0]
    errors: Counter = Counter()
    for c in clients:
        errors.update(c.errors)
    total = sum(c.requests for c in clients)
    figures = {
        "errors": f"{sum(errors.values())} errors",
        "requests": f"{total} requests",
        "requests_per_second": f"{total / wall:.1f} requests/s",
        "latency_p50": f"{1000 * statistics.median(latencies):.1f} ms",
        "latency_p95": f"{1000 * percentile(latencies, 0.95):.1f} ms",
        "latency_max": f"{1000 * max(latencies):.1f} ms",
        "latency_p50_nothing_new": f"{1000 * statistics.median(quiet):.1f} ms",
        "latency_p95_nothing_new": f"{1000 * percentile(quiet, 0.95):.1f} ms",
        "wall": f"{wall:.2f} s",
        "publish_per_letter": (f"{1000 * published / (args.letters * len(RECIPIENTS)):.1f} ms"),
    }
    for kind, count in sorted(errors.items()):
        figures[f"errors_{kind.replace(' ', '_')}"] = f"{count} errors"
    return figures


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--letters", type=int, default=200, help="published per recipient")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--nothing-new", type=int, default=5)
    parser.add_argument("--cold", action="store_true", help="leave the server's cache empty")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BRIEVENTAFEL_TEST_PG"),
        help="PostgreSQL as well (default: $BRIEVENTAFEL_TEST_PG); a schema of its own",
    )
    args = parser.parse_args()
    results = {"sqlite": measure(args, None)}
    if args.database_url:
        with pg_schema(args.database_url) as url:
            results["postgresql"] = measure(args, url)
    print(
        f"wire_load_setup: {args.clients} clients, {len(RECIPIENTS)} people, "
        f"{args.letters} letters published each, {args.rounds} x (1 full + "
        f"{args.nothing_new} nothing-new) syncs"
    )
    names = list(dict.fromkeys(n for figures in results.values() for n in figures))
    for name in names:
        for label, figures in results.items():
            if name in figures:
                print(f"wire_load_{name}_{label}: {figures[name]}")
    failed = any(not figures["errors"].startswith("0 ") for figures in results.values())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
