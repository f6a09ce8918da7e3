"""The table with thousands of letters: load, first paint, and scrolling.

Delivers N letters into a fresh practice mailbox, syncs the desk, builds the
window and measures (median of several rounds): desk.table(), model reset +
first paint, and a paint after each page-down through the whole list.

    python benchmarks/table_scale.py [--letters 5000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--letters", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from app.mailbox.practice import PracticeMailbox
    from app.session import Session
    from ui.shell import theme
    from ui.shell.main_window import MainWindow

    app = QApplication(sys.argv[:1])
    theme.apply(app, 100)
    today = date(2026, 11, 28)
    folder = Path(tempfile.mkdtemp(prefix="brieventafel-scale-"))
    session = Session.open_practice(folder, today=lambda: today)
    mailbox: PracticeMailbox = session.mailbox  # type: ignore[assignment]
    orgs = [o.id for o in mailbox.organisations()]
    start = time.perf_counter()
    for i in range(args.letters):
        mailbox.deliver(
            {
                "id": f"bulk-{i}",
                "recipient": "koen",
                "org": orgs[i % len(orgs)],
                "subject": f"Brief {i}",
                "summary": "Een brief om de tafel vol te leggen.",
                "action": ("betalen", "reageren", "lezen")[i % 3],
                "received_days_ago": i % 400,
                "deadline_in_days": (i % 60) - 10 if i % 3 != 2 else None,
                "amount_cents": 1234,
                "reference": f"REF-{i}",
                "body": "Tekst",
                "what_to_do": "Niets.",
                "read": i % 2 == 0,
            }
        )
    fill = time.perf_counter() - start
    start = time.perf_counter()
    session.sync()
    sync = time.perf_counter() - start
    window = MainWindow(session)
    window.show()
    rows = None
    loads, paints, scrolls = [], [], []
    for _ in range(args.rounds):
        t = time.perf_counter()
        letters = session.table()
        loads.append(time.perf_counter() - t)
        t = time.perf_counter()
        window.table_screen.refresh()
        window.grab()
        paints.append(time.perf_counter() - t)
        rows = len(letters)
        view = window.table_screen.view
        view.setFocus()
        t = time.perf_counter()
        pages = 0
        while view.currentIndex().row() < rows - 1 and pages < 2000:
            QTest.keyClick(view, Qt.Key.Key_PageDown)
            view.viewport().repaint()
            pages += 1
        scrolls.append((time.perf_counter() - t) / max(1, pages))
        QTest.keyClick(view, Qt.Key.Key_Home)
    print(f"letters on the table: {rows}")
    print(
        f"deliver into practice box: {fill:.2f} s (one transaction per letter),"
        f" desk sync: {sync * 1000:.0f} ms"
    )
    print(f"desk.table() median: {statistics.median(loads) * 1000:.1f} ms")
    print(f"model reset + first paint median: {statistics.median(paints) * 1000:.1f} ms")
    print(f"page down + repaint median: {statistics.median(scrolls) * 1000:.2f} ms per page")
    session.close()


if __name__ == "__main__":
    main()
