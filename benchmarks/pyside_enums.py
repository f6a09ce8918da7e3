"""PySide's enums until the first frame, made by Python's own ``enum`` and by
ui/shell/fast_enum.py, side by side in one run.

A real start of the app (``python -m app`` on a warm data folder, offscreen)
records every enum PySide asks Python to make until the window's first paint.
This process then makes all of them again, alternating the two ways, ``--runs``
times, and prints the median time of a whole set per way. A figure, not a test:
tests/shell/test_fast_enum.py checks that both ways make the same enums.

    python benchmarks/pyside_enums.py [--runs 15]
"""

from __future__ import annotations

import argparse
import enum
import os
import statistics
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

sys.path.insert(0, os.path.join(ROOT, "tests"))

from fresh_process import last_json  # noqa: E402  (a script in a process of its own)
from ui.shell import fast_enum  # noqa: E402

#: the app until its first paint, with Python's own enums, recording each call
RECORD = r"""
import enum, json, os, sys

sys.path.insert(0, "tests")
import first_frame

calls = []
stock = enum.EnumType._create_


def recording(cls, class_name, names, **kw):
    keep = kw.get("boundary") is not None
    calls.append([cls.__name__, class_name, [list(item) for item in names], keep])
    return stock(cls, class_name, names, **kw)


enum.EnumType._create_ = recording
import ui.shell.fast_enum as fast_enum

fast_enum.install = lambda: False  # keep the recorder in place


def watch(module):
    from PySide6.QtCore import QEvent, QObject

    class FirstFrame(QObject):
        def eventFilter(self, watched, event):
            if event.type() == QEvent.Type.Paint:
                print(json.dumps(calls))
                sys.stdout.flush()
                os._exit(0)
            return False

    first_frame.filter_windows(module, FirstFrame())


first_frame.when_imported(watch)  # in the app's own import order (tests/first_frame.py)
from app.__main__ import main

main(sys.argv[1:])
"""


def first_frame_calls() -> list:
    with tempfile.TemporaryDirectory(prefix="brieventafel-enums-") as folder:
        args = ["--data-dir", os.path.join(folder, "data")]
        last_json(RECORD, *args)  # the first seeds the practice box
        return last_json(RECORD, *args)  # a warm start's


def make_all(create, calls) -> float:
    original = enum.EnumType._create_
    enum.EnumType._create_ = create
    try:
        start = time.perf_counter()
        for cls, name, names, boundary in calls:
            if boundary:
                cls(name, names, boundary=enum.KEEP)
            else:
                cls(name, names)
        return time.perf_counter() - start
    finally:
        enum.EnumType._create_ = original


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    recorded = first_frame_calls()
    calls = [
        (getattr(enum, cls), name, [tuple(item) for item in names], boundary)
        for cls, name, names, boundary in recorded
    ]
    members = sum(len(names) for _, _, names, _ in calls)
    times: dict[str, list[float]] = {"python's own": [], "fast_enum": []}
    for _ in range(args.runs):
        times["python's own"].append(make_all(fast_enum._stock_create, calls))
        times["fast_enum"].append(make_all(fast_enum._create_, calls))
    print(
        f"first frame: {len(calls)} enums, {members} members; runs {args.runs} (alternating),"
        f" python {sys.version.split()[0]}, load average {os.getloadavg()[0]:.2f}"
    )
    base = statistics.median(times["python's own"])
    for way, values in times.items():
        median = statistics.median(values)
        print(f"{way:13s} {median * 1000:6.1f} ms  ratio {median / base:4.2f}")


if __name__ == "__main__":
    main()
