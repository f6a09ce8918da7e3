"""Piet's office at scale (issue 13): 100 clients, 20,000 letters.

A practice box and a desk are generated into a temporary data folder (the
templates of resources/practice/letters_more.json, 200 letters per client,
every one from a financial organisation so a bewindvoerder sees them all), Piet
signs in and syncs everyone once (not timed as an aim: the background does it).
Then, on the desk only, as the screens do:

- overview_ms: switching to a client and back, and the overview of all 101 rows
- switch_ms: switching to a client and reading their table (200 letters)
- filter_ms: one keystroke of a name filter over the overview rows
- peak_rss_extra_mib: the peak memory above the process before the office

Prints ``name: value unit (aim ...)`` lines. Run: ``python benchmarks/people_scale.py``.
"""

from __future__ import annotations

import json
import resource
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import people  # noqa: E402
from app.desk import Desk  # noqa: E402
from app.mailbox.practice import PracticeMailbox  # noqa: E402
from app.paths import resources_dir  # noqa: E402
from app.session import Session  # noqa: E402

CLIENTS = 100
PER_CLIENT = 200
FIRST = ["Wim", "Fatima", "Henk", "Truus", "Mohamed", "Ans", "Gerrit", "Yvonne", "Dirk", "Marja"]
LAST = ["Hendriks", "el Amrani", "Brouwer", "Dijkstra", "Yildiz", "Kuipers", "Post", "de Graaf"]
LAST += ["Meijer", "Smits"]


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_office(folder: Path) -> None:
    """The practice data of an office of :data:`CLIENTS` clients."""
    source = resources_dir() / "practice"
    folder.mkdir(parents=True)
    for name in ("organisations.json", "people.json"):
        shutil.copy(source / name, folder / name)
    (folder / "letters.json").write_text("[]", encoding="utf-8")
    grants = json.loads((source / "mandates.json").read_text(encoding="utf-8"))
    clients = [f"client{n:03d}" for n in range(CLIENTS)]
    people_more = [
        {
            "id": "piet",
            "name": "Piet Jansen",
            "bsn": "",
            "account": {"active": False, "ticked": []},
        }
    ] + [
        {
            "id": client,
            "name": f"{FIRST[n % 10]} {LAST[n // 10 % 10]} {n:03d}",
            "bsn": "",
            "account": {"active": True, "activated_on": "2020-01-01", "ticked": ["svb"]},
        }
        for n, client in enumerate(clients)
    ]
    grants["mandates"] = []
    grants["representations"] = [
        {
            "id": f"rep-{client}",
            "person_id": client,
            "representative_id": "piet",
            "kind": "bewindvoerder",
            "decision_number": f"C/08/{300000 + n} / FA RK 24-{n:04d}",
            "decision_date": "2024-01-15",
            "court": "Rechtbank Overijssel, locatie Zwolle",
        }
        for n, client in enumerate(clients)
    ]
    stories = json.loads((source / "letters_more.json").read_text(encoding="utf-8"))
    financial = set(grants["areas"]["financial"])
    stories["templates"] = [t for t in stories["templates"] if t["org"] in financial]
    stories["letters"] = []
    stories["generated"] = {
        "people": clients,
        "per_person": PER_CLIENT,
        "received_within_days": 365,
        "seed": 13,
    }
    for name, data in (
        ("people_more.json", people_more),
        ("mandates.json", grants),
        ("letters_more.json", stories),
    ):
        (folder / name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def timed(work, repeat: int) -> float:
    """The median of ``repeat`` runs, in milliseconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> int:
    base = _rss_mib()
    tmp = Path(tempfile.mkdtemp(prefix="brieventafel-office-"))
    try:
        data = tmp / "practice"
        make_office(data)
        start = time.perf_counter()
        today = date.today
        box = PracticeMailbox(
            tmp / "box" / "practice.sqlite3",
            person_id="piet",
            holder="piet",
            today=today,
            data_folder=data,
            story_letters=True,
        )
        made = time.perf_counter()
        session = Session(box, Desk(tmp / "desk", today=today), box.me(), today)
        session.signed_in = session.person
        session.load_people()
        session.sync()
        synced = time.perf_counter()
        rows = people.overview(session)
        letters = sum(row.on_table for row in rows)
        assert len(rows) == CLIENTS + 1 and letters == CLIENTS * PER_CLIENT, (len(rows), letters)

        def switch_and_overview() -> None:
            session.switch_person("client042")
            session.switch_person("piet")
            people.overview(session)

        def switch() -> None:
            session.switch_person("client042")
            session.table()

        typed = "Fatima Hendriks 011"
        keystrokes = [typed[: n + 1] for n in range(len(typed))]

        def filter_all() -> None:
            for text in keystrokes:
                people.filter_rows(rows, text)

        overview_ms = timed(switch_and_overview, 15)
        switch_ms = timed(switch, 15)
        filter_ms = timed(filter_all, 15) / len(keystrokes)
        peak = _rss_mib() - base
        session.close()
        print(f"office: {CLIENTS} clients, {letters} letters")
        print(f"seed_s: {made - start:.1f} s (once)")
        print(f"first_sync_s: {synced - made:.1f} s (once, in the background)")
        print(f"overview_ms: {overview_ms:.1f} ms (aim <= 100, incl. switching)")
        print(f"switch_ms: {switch_ms:.1f} ms (aim <= 100)")
        print(f"filter_ms: {filter_ms:.2f} ms per keystroke (aim <= 30)")
        print(f"peak_rss_extra_mib: {peak:.0f} MiB (aim <= 80 above a bare window)")
        ok = overview_ms <= 100 and switch_ms <= 100 and filter_ms <= 30
        return 0 if ok else 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
