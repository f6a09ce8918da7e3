"""Start-up to the first painted frame, against a bare PySide6 window, in one run.

Every kind runs as a fresh process, the kinds alternating, so the machine's load
is shared out evenly. Per kind: the median time from launching the process to
its first painted frame, the ratio to the bare window, the median time until the
process has ended, and the peak memory (max RSS). A figure, not a pass/fail test.

* ``bare``: a QMainWindow with one label, shown and painted once.
* ``app fresh`` / ``app warm``: the real app (``python -m app``, no self-test):
  its window is shown by ``app.exec()`` as for a person, its modules imported in
  the app's own order. Its first frame is when the main window's first paint
  (and its flush) is done; "settled" is a moment later, once the work that
  waits for the first frame has run on the window's thread (the clean-up and
  the first sync handed to the background helper, the Enter filter, the
  local server), when the process quits. Fresh: a new data folder every run;
  warm: one folder made before the runs.
* ``app warm, plain PySide``: the same, with PySide as it comes: its enums
  made by Python's own ``enum`` code instead of ui/shell/fast_enum.py
  (``benchmarks/pyside_enums.py`` measures that part alone), and its support
  modules compiled at the start instead of taken from ui/shell/support_cache.py.
* ``bare, faster PySide``: the bare window with those two speed-ups: the app's
  own cost is its first frame against this one (printed on the last line).
* ``self-test fresh`` / ``self-test warm``: ``--self-test``, which also waits for
  the first sync before it ends (its end-to-end time is the figure there).
* ``piet overview warm``: the real app for Piet, bewindvoerder of ten clients
  (about 300 letters on his desk), which opens on the overview of everyone he
  acts for (issue 13: aim 1.6 times the bare window).
* ``bundle warm`` (when ``dist/brieventafel`` is built, ``python packaging/build.py``):
  the PyInstaller bundle's program on a warm folder of its own, watched as the
  real app is (its launcher's hidden ``--first-frame``: a frozen program has no
  Python to run this script's watch with). Its bytecode is inside the bundle,
  with or without ``--bytecode``; so are its start-up caches, made at build
  time (packaging/rth_start.py: a bundle keeps no bytecode of its own making).
  ``bundle plain PySide``: the same without fast_enum and the two caches
  (``--first-frame-plain``), for what they give frozen.

``--bytecode`` lets the started processes keep their bytecode (in a folder of
this run, written by unmeasured first starts), as an installed app has it: this
machine sets PYTHONDONTWRITEBYTECODE, so otherwise every measured start
compiles the app's modules from source (about half of a warm start's time
before issue 14's second round). The machine's load average is printed at the
start and the end: the machine is shared, and a figure means little without it.

    python benchmarks/startup.py [--runs 9] [--bytecode]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

#: the launch time (time.time() in the parent) is in BENCH_T0; the child prints
#: how long after it its first frame was painted
BARE = r"""
import os, resource, sys, time
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication(sys.argv[:1])
w = QMainWindow(); w.setCentralWidget(QLabel("Brieventafel")); w.resize(1100, 820); w.show()
w.grab()
print("first_frame_s", time.time() - float(os.environ["BENCH_T0"]))
print("rss_kb", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

#: the real app as for a person, its first frame seen by a filter on its main
#: window (packaging/launcher.py's ``first_frame``, which the bundle rows run too)
REAL = r"""
import sys

sys.path.insert(0, "packaging")
import launcher

sys.exit(launcher.first_frame(sys.argv[1:]))
"""

#: the real app with PySide as it comes: Python's own enum-making instead of
#: ui/shell/fast_enum.py, and PySide's support modules and their regular
#: expressions compiled at the start (no ui/shell/support_cache.py, which also
#: holds app/regex_cache.py's part), for the difference side by side
REAL_PLAIN_PYSIDE = (
    "import ui.shell.fast_enum as f, ui.shell.support_cache as c\n"
    "f.install = lambda: False\n"
    "c.cache_path = lambda: None\n"
) + REAL

#: the bare window with the app's two speed-ups of PySide itself: what the app
#: adds of its own is measured against this one
BARE_FAST_PYSIDE = (
    "from ui.shell import fast_enum, support_cache\n"
    "fast_enum.install()\n"
    "with support_cache.compiled_once():\n"
    "    import PySide6.QtWidgets\n"
) + BARE

SELF_TEST = r"""
import os, resource, sys, time
from app.__main__ import main
code = main(sys.argv[1:])
print("first_frame_s", time.time() - float(os.environ["BENCH_T0"]))  # painted and synced
print("rss_kb", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
sys.exit(code)
"""

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
#: the bundle's program that can print (packaging/build.py executable())
BUNDLE = os.path.join(
    ROOT, "dist", "brieventafel", "brieventafel-cli.exe" if os.name == "nt" else "brieventafel"
)


def run(code: str | None, args: list[str]) -> tuple[float, float, int, float]:
    """(seconds to the first frame, seconds to the end, peak RSS in KiB, seconds
    until the work that waits for the first frame has run: the real app only,
    else the first frame). ``code`` None: the bundle's program with ``args``."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    start = time.perf_counter()
    env["BENCH_T0"] = repr(time.time())
    command = [BUNDLE, *args] if code is None else [sys.executable, "-c", code, *args]
    out = subprocess.run(
        command,
        capture_output=True,
        text=True,
        env=env,
        check=True,
        cwd=ROOT,
    )
    elapsed = time.perf_counter() - start
    found = dict(line.split()[:2] for line in out.stdout.splitlines() if line[:1].isalpha())
    first = float(found["first_frame_s"])
    return first, elapsed, int(found["rss_kb"]), float(found.get("settled_s", first))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument(
        "--bytecode", action="store_true", help="keep bytecode, as an installed app does"
    )
    args = parser.parse_args()
    runs = args.runs
    load_before = os.getloadavg()
    root = tempfile.mkdtemp(prefix="brieventafel-bench-")
    try:
        if args.bytecode:
            os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
            os.environ["PYTHONPYCACHEPREFIX"] = os.path.join(root, "pycache")
            run(BARE, [])  # writes the bytecode, unmeasured
        warm_dir = os.path.join(root, "warm")
        run(REAL, ["--data-dir", warm_dir])  # make the warm folder once
        run(SELF_TEST, ["--self-test", "--data-dir", warm_dir])
        piet_dir = os.path.join(root, "piet")
        piet = ["--person", "piet", "--data-dir", piet_dir]
        run(SELF_TEST, ["--self-test", *piet])  # everyone he acts for on the desk
        kinds = {
            "bare": lambda n: (BARE, []),
            "app fresh": lambda n: (REAL, ["--data-dir", os.path.join(root, f"fresh{n}")]),
            "app warm": lambda n: (REAL, ["--data-dir", warm_dir]),
            "app warm, plain PySide": lambda n: (REAL_PLAIN_PYSIDE, ["--data-dir", warm_dir]),
            "bare, faster PySide": lambda n: (BARE_FAST_PYSIDE, []),
            "self-test fresh": lambda n: (SELF_TEST, ["--self-test"]),
            "self-test warm": lambda n: (SELF_TEST, ["--self-test", "--data-dir", warm_dir]),
            "piet overview warm": lambda n: (REAL, piet),
        }
        if os.path.isfile(BUNDLE):
            bundle_dir = os.path.join(root, "bundle")
            run(None, ["--first-frame", "--data-dir", bundle_dir])  # its warm folder, once
            kinds["bundle warm"] = lambda n: (None, ["--first-frame", "--data-dir", bundle_dir])
            kinds["bundle plain PySide"] = lambda n: (
                None,
                ["--first-frame-plain", "--data-dir", bundle_dir],
            )
        results: dict[str, list[tuple[float, float, int, float]]] = {kind: [] for kind in kinds}
        for n in range(runs):
            for kind, make in kinds.items():
                results[kind].append(run(*make(n)))
    finally:
        shutil.rmtree(root, ignore_errors=True)
    bare = statistics.median(values[0] for values in results["bare"])
    bytecode = "kept" if args.bytecode else "as the environment says"
    print(
        f"runs per kind: {runs} (alternating), python {sys.version.split()[0]},"
        f" bytecode {bytecode}; load average before"
        f" {' '.join(f'{x:.2f}' for x in load_before)},"
        f" after {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    for kind, values in results.items():
        first = statistics.median(v[0] for v in values)
        end = statistics.median(v[1] for v in values)
        peak = max(v[2] for v in values) / 1024
        settled = statistics.median(v[3] for v in values)
        print(
            f"{kind:22s} first frame {first * 1000:7.1f} ms  ratio {first / bare:4.2f}"
            f"  settled {settled * 1000:7.1f} ms  process {end * 1000:7.1f} ms"
            f"  peak RSS {peak:6.1f} MiB"
        )
    fast = statistics.median(values[0] for values in results["bare, faster PySide"])
    for kind in ("app warm", "app fresh"):
        first = statistics.median(values[0] for values in results[kind])
        print(f"{kind} against the bare window with the same faster PySide: {first / fast:4.2f}")


if __name__ == "__main__":
    main()
