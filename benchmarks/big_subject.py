"""Seconds per step for one letter with a huge subject, sender and summary; figures,
not a pass/fail test (tests/table/test_hostile_content.py checks the behaviour).

A letter from an organisation the practice mailbox does not know carries its
organisation id as the sender, so the sender is as big as the subject.

    python benchmarks/big_subject.py [--size 1000000] [--lines]

--lines puts a line break after every word of the subject (100,000 lines in 1 MB).
Steps: the table drawn, the letter opened and drawn, printed to a PDF (no printer),
the card's tooltip and screen-reader text, put away, the folders drawn.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--lines", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    from app.session import Session
    from ui.shell import printing, tasks
    from ui.shell.main_window import MainWindow

    tasks.SYNCHRONOUS_DEFAULT = True
    printing.has_printer = lambda: False  # type: ignore[assignment]  # always the PDF path

    word = "Aanmaning\n" if args.lines else "Aanmaning "
    big = (word * (args.size // len(word) + 1))[: args.size]
    print(
        f"subject, sender and summary of {args.size:,} characters each;",
        "a line break after every word" if args.lines else "one line",
    )
    with tempfile.TemporaryDirectory() as tmp:
        session = Session.open_practice(Path(tmp) / "data", today=lambda: date(2026, 11, 28))
        session.mailbox.deliver(
            {
                "id": "big",
                "recipient": "koen",
                "org": big,
                "subject": big,
                "summary": big,
                "action": "lezen",
                "received_days_ago": 0,
                "deadline_in_days": 5,
                "reference": "R",
                "body": "Tekst.",
                "what_to_do": "Lezen.",
            }
        )
        session.sync()
        window = MainWindow(session, pdf_folder=Path(tmp) / "pdf")
        window.resize(1200, 800)
        window.show()
        app.processEvents()

        def step(name: str, do) -> None:
            start = time.perf_counter()
            do()
            app.processEvents()
            print(f"{name:10s} {time.perf_counter() - start:6.2f} s", flush=True)

        model = window.table_screen.model

        def card_texts() -> None:
            index = model.index(model.row_of("big"))
            index.data(Qt.ItemDataRole.ToolTipRole)
            index.data(Qt.ItemDataRole.AccessibleTextRole)

        step("table", lambda: (window.go_home(), window.repaint()))
        step("card texts", card_texts)
        step("open", lambda: (window.open_letter("big"), window.repaint()))
        step("print", window.letter_screen._on_print)
        path = window.last_pdf
        made = path is not None and len(str(path)) < 4096 and printing.is_pdf(path)
        print(f"{'':10s} a PDF is there: {made}")
        step("put away", window.letter_screen._on_put_away)
        step("folders", lambda: (window.show_folders(), window.repaint()))
        window.close()
        session.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
