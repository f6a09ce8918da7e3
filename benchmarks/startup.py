"""Start-up to first painted table, against a bare PySide6 window on this machine.

Runs both as fresh processes, alternating, and prints medians, the ratio and
peak memory (max RSS). A figure, not a pass/fail test.

    python benchmarks/startup.py [--runs 9]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

BARE = r"""
import resource, sys
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication(sys.argv[:1])
w = QMainWindow(); w.setCentralWidget(QLabel("Brieventafel")); w.resize(1100, 820); w.show()
w.grab()
print("rss_kb", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

APP = r"""
import resource, sys
from app.__main__ import main
code = main(sys.argv[1:])
print("rss_kb", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
sys.exit(code)
"""


def run(code: str, args: list[str]) -> tuple[float, int]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
    )
    elapsed = time.perf_counter() - start
    rss = int(
        next(line.split()[1] for line in out.stdout.splitlines() if line.startswith("rss_kb"))
    )
    return elapsed, rss


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9)
    runs = parser.parse_args().runs
    warm_dir = tempfile.mkdtemp(prefix="brieventafel-bench-")
    run(APP, ["--self-test", "--data-dir", warm_dir])  # make the warm folder once
    results: dict[str, list[tuple[float, int]]] = {"bare": [], "fresh": [], "warm": []}
    for _ in range(runs):
        results["bare"].append(run(BARE, []))
        results["fresh"].append(run(APP, ["--self-test"]))
        results["warm"].append(run(APP, ["--self-test", "--data-dir", warm_dir]))
    bare = statistics.median(t for t, _ in results["bare"])
    print(f"runs per kind: {runs} (alternating), python {sys.version.split()[0]}")
    for kind, values in results.items():
        median = statistics.median(t for t, _ in values)
        peak = max(r for _, r in values) / 1024
        ratio = median / bare
        print(
            f"{kind:5s}: median {median * 1000:7.1f} ms  ratio {ratio:4.2f}"
            f"  peak RSS {peak:6.1f} MiB"
        )


if __name__ == "__main__":
    main()
