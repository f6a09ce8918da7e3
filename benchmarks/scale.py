"""Brieventafel with 10,000 letters (issue 14): start, memory, Home, a letter,
search per keystroke and the folders, measured in one run.

A practice data folder is made, then N generated letters (a third put away,
spread over four years and the practice organisations) are laid on its desk in
one transaction. Then:

* ``start_ratio``, ``peak_rss_extra_mib``: the real app (``python -m app
  --data-dir``) to its first painted frame, against a bare PySide6 window, each
  a fresh process, alternating (as benchmarks/startup.py does), medians;
* in this process, with the real window at 1280 x 860: ``home_ms`` (back to the
  table from the folders, after a letter was put away: until painted),
  ``open_ms`` (a letter opened and painted), ``search_ms`` (per keystroke of
  "belastingdienst" typed into the search box: searched and painted),
  ``folders_ms`` (the folders shown and painted). Medians of several rounds.

Prints one ``name: value unit (aim ...)`` line per figure, and beside them
``start_ratio_practice_letters_only``: the same start, in the same run, with only
the practice letters (what the 10,000 letters cost at start is the difference).
``--bytecode`` lets the started processes keep their bytecode, as an installed
app does (this machine sets PYTHONDONTWRITEBYTECODE: each start compiles the app).

    python benchmarks/scale.py [--letters 10000] [--rounds 5] [--starts 5] [--bytecode]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

#: the figures with their aims (issue 14); start_ratio_practice_letters_only is
#: printed beside them: the same start with only the practice letters
AIMS = {
    "start_ratio": ("", 1.6),
    "peak_rss_extra_mib": ("MiB", 60),
    "home_ms": ("ms", 50),
    "open_ms": ("ms", 100),
    "search_ms": ("ms", 30),
    "folders_ms": ("ms", 100),
}
WORDS = ["aanslag", "toeslag", "parkeren", "W.O.Z.-waarde", "kenteken", "pensioen", "uitkering"]


def make_folder(folder: Path, letters: int) -> None:
    """A practice data folder whose desk holds ``letters`` more letters of Koen."""
    from app.model import Action, Letter
    from app.session import Session
    from app.storage import transaction

    session = Session.open_practice(folder)
    desk, person = session.desk, session.person.id
    orgs = [(o.id, o.name) for o in session.mailbox.organisations()]
    today = date.today()
    made = []
    for i in range(letters):
        org_id, sender = orgs[i % len(orgs)]
        word = WORDS[i % len(WORDS)]
        made.append(
            Letter(
                id=f"bulk-{i:05d}",
                recipient=person,
                org_id=org_id,
                sender=sender,
                subject=f"Brief {i} over uw {word}",
                summary=f"Een brief over {word} om de tafel vol te leggen."
                + (" Met een langere uitleg." if i % 7 == 0 else ""),
                body=(f"Geachte heer Jansen, dit is brief {i} over uw {word}. " * 12).strip(),
                action=(Action.PAY, Action.RESPOND, Action.READ)[i % 3],
                received=today - timedelta(days=i % 1400),
                deadline=today + timedelta(days=(i % 60) - 10) if i % 3 != 2 else None,
                amount_cents=1234 + i if i % 3 == 0 else None,
                reference=f"REF-{i}",
                what_to_do="Niets.",
                read=i % 2 == 0,
            )
        )
    desk.receive(person, made, desk.cursor(person) or "0")
    with transaction(desk.conn) as c:
        c.execute(
            "UPDATE letters SET on_table = 0, folder = 'x', put_away_at = '2026-01-01'"
            " WHERE person_id = ? AND id LIKE 'bulk-%' AND CAST(substr(id, 6) AS INTEGER) % 3 = 1",
            (person,),
        )
    session.close()


def starts(folder: Path, small: Path, runs: int) -> tuple[float, float, float]:
    """(the real app's first frame / a bare window's, its extra peak RSS in MiB,
    the same ratio with the practice letters only): what the number of letters
    costs at start is the difference between the first and the last."""
    from startup import BARE, REAL, run

    bare, app, few = [], [], []
    for _ in range(runs):
        bare.append(run(BARE, []))
        app.append(run(REAL, ["--data-dir", str(folder)]))
        few.append(run(REAL, ["--data-dir", str(small)]))
    first = statistics.median(b[0] for b in bare)
    ratio = statistics.median(a[0] for a in app) / first
    extra = (statistics.median(a[2] for a in app) - statistics.median(b[2] for b in bare)) / 1024
    return ratio, extra, statistics.median(a[0] for a in few) / first


def cached_bytecode(root: Path) -> None:
    """Let the measured processes keep their bytecode (in a folder of this run),
    as an installed app has it; a first, unmeasured start writes it. Where
    PYTHONDONTWRITEBYTECODE is set (as on the team's machine), every start
    otherwise compiles some 60 modules of the app from source."""
    from startup import BARE, REAL, run

    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(root / "pycache")
    run(BARE, [])
    run(REAL, ["--data-dir", str(root / "warm-up")])


def in_window(folder: Path, rounds: int) -> dict[str, float]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    import ui.shell.tasks as tasks
    from app.session import Session
    from ui.shell import theme
    from ui.shell.main_window import MainWindow

    tasks.SYNCHRONOUS_DEFAULT = True  # the work is timed, not the hand-over
    app = QApplication.instance() or QApplication(sys.argv[:1])
    theme.apply(app, 100)
    session = Session.open_practice(folder, sync=False)
    window = MainWindow(session, pdf_folder=folder / "pdf")
    window.show()
    window.showNormal()
    window.resize(1280, 860)
    for _ in range(3):
        app.processEvents()

    def painted(started: float) -> float:
        app.processEvents()
        window.repaint()
        return (time.perf_counter() - started) * 1000

    home, opened, folders, keys = [], [], [], []
    table = window.table_screen
    for n in range(rounds):
        t = time.perf_counter()
        window.show_folders()
        folders.append(painted(t))
        t = time.perf_counter()
        window.go_home()
        home.append(painted(t))
        index = table.model.index(n)
        letter_id = index.data(table.model.IdRole)
        t = time.perf_counter()
        window.open_letter(letter_id)
        opened.append(painted(t))
        session.put_away(letter_id)  # Home after a change, as a person comes back
        try:
            from ui.search.screen import open_search
        except ImportError:  # before issue 14's search
            continue
        screen = open_search(window, "")
        for ch in "belastingdienst":
            t = time.perf_counter()
            QTest.keyClick(screen.field, ch)
            keys.append(painted(t))
        screen.field.clear()
        QTest.keyClick(screen.field, Qt.Key.Key_Escape)
    window.go_home()
    session.close()
    out = {
        "home_ms": statistics.median(home),
        "open_ms": statistics.median(opened),
        "folders_ms": statistics.median(folders),
    }
    if keys:
        out["search_ms"] = statistics.median(keys)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--letters", type=int, default=10000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument(
        "--bytecode",
        action="store_true",
        help="start with bytecode kept, as an installed app (see cached_bytecode)",
    )
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="brieventafel-scale-"))
    try:
        folder = root / "data"
        t = time.perf_counter()
        make_folder(folder, args.letters)
        made = time.perf_counter() - t
        small = root / "few"
        from app.session import Session

        Session.open_practice(small).close()  # the practice letters only (22)
        if args.bytecode:
            cached_bytecode(root)
        ratio, extra, few = starts(folder, small, args.starts)
        figures = {"start_ratio": ratio, "peak_rss_extra_mib": extra}
        figures.update(in_window(folder, args.rounds))
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(f"letters: {args.letters} more on Koen's desk (made in {made:.1f} s)")
    bytecode = "kept" if args.bytecode else "as the environment says"
    print(f"start_ratio_practice_letters_only: {few:.2f} (same run; bytecode {bytecode})")
    for name, (unit, aim) in AIMS.items():
        if name not in figures:
            print(f"{name}: n/a (aim <= {aim}{' ' + unit if unit else ''})")
            continue
        value = figures[name]
        mark = "ok" if value <= aim else "over"
        print(f"{name}: {value:.2f}{' ' + unit if unit else ''} (aim <= {aim}, {mark})")


if __name__ == "__main__":
    main()
