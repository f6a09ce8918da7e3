"""Many SIGKILLs at random moments; figures, not a pass/fail test.

Runs tests/crash_worker.py (one core-only process that forks a fresh child
per kill: put away, lay back, undo, paper requests, the very first start, a
rescue of a damaged desk) and two first starts at the same moment, then
prints: kills, kills per operation, acknowledged and lost actions, false
notices, integrity failures, the files left beside the stores and their modes.

    python benchmarks/crash_kills.py [--kills 1000] [--races 40] [--seed 1] [--disk]

By default the files live on /dev/shm (a SIGKILL never loses what the kernel
holds, so that tests the same as a disk); --disk uses the temp folder.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

WORKER = Path(__file__).resolve().parent.parent / "tests" / "crash_worker.py"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=1000)
    parser.add_argument("--races", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--disk", action="store_true", help="use the temp folder, not /dev/shm")
    args = parser.parse_args()
    shm = Path("/dev/shm")
    base = None if args.disk or not shm.is_dir() else str(shm)
    folder = Path(tempfile.mkdtemp(prefix="brieventafel-kills-", dir=base))
    try:
        done = subprocess.run(
            [sys.executable, str(WORKER), "--kills", str(args.kills), "--races", str(args.races)]
            + ["--seed", str(args.seed), "--folder", str(folder / "run")],
            capture_output=True,
            text=True,
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if done.returncode != 0:
        print(done.stderr[-3000:], file=sys.stderr)
        return done.returncode
    f = json.loads(done.stdout)
    print(f"kills: {f['kills']} in {f['seconds']} s ({'disk' if base is None else '/dev/shm'})")
    print("kills per operation:", ", ".join(f"{k} {v}" for k, v in f["per_operation"].items()))
    print(f"acknowledged actions: {f['acknowledged']}, lost: {f['lost']}")
    print(f"false notices: {f['false_notices']}, integrity failures: {f['integrity_failures']}")
    print(f"errors in the core: {f['child_errors'] or 'none'}")
    print(f"rescues cut short that were told at the next start: {f['told_after_kill']}")
    print(f"two first starts at once: {f['race_trials']}, failed: {f['race_failures']}")
    print("files left beside the stores (over all trials):")
    for name, count in f["files_left"].items():
        print(f"  {count:6d}  {name}")
    print("modes:", ", ".join(f"{k}: {v}" for k, v in f["modes"].items()))
    print(f"files or folders not private: {f['mode_problems']}")
    print("time each runs unkilled (ms):", f["spans_ms"])
    for problem in f["problems"]:
        print("problem:", problem)
    bad = f["lost"] + f["false_notices"] + f["integrity_failures"] + f["race_failures"]
    return 1 if bad or f["child_errors"] or f["mode_problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
