"""Kill the core with SIGKILL at random moments, then check what survived.

One process imports the core once (no Qt) and forks a fresh child per trial,
so a kill costs no interpreter start. The child works and writes a line to a
pipe before ("B") and after ("A") each action; an "A" line is an
acknowledged action: the method had returned. The parent kills the child
after a random delay with SIGKILL, then reopens the files as the app would
and checks:

* every acknowledged action is there (0 lost), and nothing half-done: the
  state is that of the acknowledged actions, or of those plus the one that
  was running when the kill came;
* ``PRAGMA integrity_check`` is ok on every store;
* no notice says "damaged" (or anything) about a healthy file; after a
  rescue that was acknowledged, no second notice;
* the files left beside the stores, and their modes (0600, folders 0700).

Scenarios: ``desk`` (put away, lay back, undo), ``paper``
(PracticeMailbox.request_paper_all), ``create`` (the very first start) and
``rescue`` (a damaged desk being rescued). ``race`` is no kill: two first
starts at the same moment on one empty folder, each then puts a letter away.

    python tests/crash_worker.py --kills 120 --seed 1 --folder /tmp/x

prints one JSON object with the figures (tests/core/test_crash_consistency.py,
benchmarks/crash_kills.py).
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import stat
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.desk import Desk  # noqa: E402
from app.mailbox.practice import PracticeMailbox  # noqa: E402
from app.session import PRACTICE_FOLDER, Session  # noqa: E402

TODAY = date(2026, 11, 28)
PERSON = "koen"
KILLS = ("desk", "paper", "create", "rescue")


def today() -> date:
    return TODAY


# -- the child's side ---------------------------------------------------------------
def _say(out: int, line: str) -> None:
    os.write(out, (line + "\n").encode())


def _child_desk(data: Path, out: int, seed: int) -> None:
    rng = random.Random(seed)
    desk = Desk(data / PRACTICE_FOLDER, today=today)
    on = {letter.id for letter in desk.table(PERSON)}
    away = {letter.id for f in desk.folders(PERSON) for letter in f.letters}
    _say(out, "open")
    while True:
        choices = ["undo"] + (["put_away"] * 2 if on else []) + (["lay_back"] if away else [])
        op = rng.choice(choices)
        if op == "undo":
            _say(out, "B undo")
            letter = desk.undo(PERSON)
            _say(out, f"A undo {letter}")
            if letter is not None:
                (on, away) = (
                    (on - {letter}, away | {letter})
                    if letter in on
                    else (on | {letter}, away - {letter})
                )
            continue
        letter = rng.choice(sorted(on if op == "put_away" else away))
        _say(out, f"B {op} {letter}")
        action = getattr(desk, op)(PERSON, letter)
        _say(out, f"A {op} {letter} {action}")
        if op == "put_away":
            on, away = on - {letter}, away | {letter}
        else:
            on, away = on | {letter}, away - {letter}


def _child_paper(data: Path, out: int, seed: int) -> None:
    path = data / PRACTICE_FOLDER / "practice.sqlite3"
    mailbox = PracticeMailbox(path, person_id=PERSON, today=today)
    _say(out, "open")
    mailbox.paper_step_hook = lambda org: _say(out, f"A paper {org}")
    _say(out, "B paper")
    mailbox.request_paper_all(PERSON)
    _say(out, "A paper_all")


def _child_create(data: Path, out: int, seed: int) -> None:
    _say(out, "B create")
    Session.open_practice(data, today=today).close()
    _say(out, "A create")


def _child_rescue(data: Path, out: int, seed: int) -> None:
    _say(out, "B rescue")
    desk = Desk(data / PRACTICE_FOLDER, today=today)
    kinds = [n.kind for n in desk.notices]
    _say(out, f"A rescue {','.join(kinds)}")


CHILDREN = {
    "desk": _child_desk,
    "paper": _child_paper,
    "create": _child_create,
    "rescue": _child_rescue,
}


def _run_child(
    scenario: str, data: Path, seed: int, delay: float | None, *, after_open: bool = False
) -> list[str]:
    """Fork, let the child work, kill it after ``delay`` (None: let it finish),
    counted from its "open" line when ``after_open``."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: work until killed, never return into the parent's code
        os.close(read)
        code = 0
        try:
            CHILDREN[scenario](data, write, seed)
        except BaseException as error:  # noqa: BLE001 - reported to the parent, not raised
            _say(write, f"E {type(error).__name__}")
            code = 1
        os._exit(code)
    os.close(write)
    chunks = []
    if after_open:
        while (chunk := os.read(read, 65536)) and not chunks.append(chunk):
            if b"open\n" in b"".join(chunks):
                break
    if delay is not None:
        time.sleep(delay)
        os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    while chunk := os.read(read, 65536):
        chunks.append(chunk)
    os.close(read)
    return b"".join(chunks).decode().splitlines()


# -- checking ------------------------------------------------------------------------
def _integrity(path: Path) -> bool:
    conn = sqlite3.connect(str(path))
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    except sqlite3.Error:
        return False
    finally:
        conn.close()


def _desk_state(desk: Desk) -> tuple[frozenset[str], list[tuple[str, str, int]]]:
    on = frozenset(
        r[0]
        for r in desk.conn.execute(
            "SELECT id FROM letters WHERE person_id = ? AND on_table = 1", (PERSON,)
        )
    )
    actions = [
        (r[0], r[1], r[2])
        for r in desk.conn.execute(
            "SELECT kind, letter_id, undone FROM actions WHERE person_id = ? ORDER BY id",
            (PERSON,),
        )
    ]
    return on, actions


def _replay(on: set[str], actions: list[list], line: str) -> None:
    """Apply one logged action ("put_away x", "lay_back x", "undo") to the model."""
    op, *rest = line.split()
    if op in ("put_away", "lay_back"):
        letter = rest[0]
        (on.discard if op == "put_away" else on.add)(letter)
        actions.append([op, letter, 0])
    elif op == "undo":
        for action in reversed(actions):
            if not action[2]:
                action[2] = 1
                (on.add if action[0] == "put_away" else on.discard)(action[1])
                break


def _pattern(name: str) -> str:
    return re.sub(r"\d{8}-\d{6}(-\d+)?", "<tijd>", name)


class Tally:
    def __init__(self) -> None:
        self.kills = 0
        self.per_operation: collections.Counter[str] = collections.Counter()
        self.acknowledged = 0
        self.lost = 0
        self.false_notices = 0
        self.integrity_failures = 0
        self.errors: collections.Counter[str] = collections.Counter()
        self.problems: list[str] = []
        self.files_left: collections.Counter[str] = collections.Counter()
        self.modes: collections.Counter[str] = collections.Counter()
        self.told_after_kill = 0
        self.race_trials = 0
        self.race_failures = 0
        self.mode_problems = 0

    def problem(self, text: str) -> None:
        if len(self.problems) < 20:
            self.problems.append(text)

    def look_at_files(self, data: Path) -> None:
        for p in [data, *data.rglob("*")]:
            if p.is_dir():
                mode = stat.S_IMODE(p.stat().st_mode)
                self.modes[f"map {oct(mode)}"] += 1
            else:
                mode = stat.S_IMODE(p.stat().st_mode)
                self.modes[f"bestand {oct(mode)}"] += 1
                self.files_left[_pattern(p.name)] += 1
                if os.name == "posix" and mode != 0o600:
                    self.mode_problems += 1
                    self.problem(f"{p.name} heeft modus {oct(mode)}")
        for p in [data, *data.rglob("*")]:
            if p.is_dir() and os.name == "posix" and stat.S_IMODE(p.stat().st_mode) != 0o700:
                self.mode_problems += 1
                self.problem(f"map {p.name} heeft modus {oct(stat.S_IMODE(p.stat().st_mode))}")

    def check_integrity(self, folder: Path, label: str) -> None:
        for store in folder.glob("*.sqlite3"):
            if not _integrity(store):
                self.integrity_failures += 1
                self.problem(f"{label}: integrity_check van {store.name} niet ok")

    def summary(self, seconds: float) -> dict:
        return {
            "kills": self.kills,
            "per_operation": dict(sorted(self.per_operation.items())),
            "acknowledged": self.acknowledged,
            "lost": self.lost,
            "false_notices": self.false_notices,
            "integrity_failures": self.integrity_failures,
            "child_errors": dict(self.errors),
            "told_after_kill": self.told_after_kill,
            "race_trials": self.race_trials,
            "race_failures": self.race_failures,
            "mode_problems": self.mode_problems,
            "files_left": dict(sorted(self.files_left.items())),
            "modes": dict(sorted(self.modes.items())),
            "problems": self.problems,
            "seconds": round(seconds, 2),
        }


def _in_flight(lines: list[str], default: str) -> tuple[str, str | None]:
    """(operation the kill came in, its "B" line if it had not returned).

    The operation is that of the last "B" line (paper asks per organisation
    inside one "B paper"); before any, the default (the opening)."""
    last_b = running = None
    for line in lines:
        if line.startswith("B "):
            last_b = running = line[2:]
        elif line.startswith("A "):
            running = None
    if last_b is None:
        return default, None
    return last_b.split()[0], running


def _errors(tally: Tally, lines: list[str], label: str) -> None:
    for line in lines:
        if line.startswith("E "):
            tally.errors[line[2:]] += 1
            tally.problem(f"{label}: de kern gaf {line[2:]}")


# -- templates (made once) -------------------------------------------------------------------
class Templates:
    def __init__(self, root: Path):
        self.root = root
        base = root / "template" / "data"
        session = Session.open_practice(base, today=today)
        letters = [letter.id for letter in session.table()]
        for letter in letters[:3]:
            session.put_away(letter)
        session.close()
        self.folder = base / PRACTICE_FOLDER
        self.desk = (self.folder / "desk.sqlite3").read_bytes()
        self.practice = (self.folder / "practice.sqlite3").read_bytes()
        probe = Desk(self.folder, today=today)
        self.desk_state = _desk_state(probe)
        probe.close()
        self.letter_count = len(letters)
        # a damaged desk: one leaf page of the letters table scribbled over
        conn = sqlite3.connect(str(self.folder / "desk.sqlite3"))
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        leaves = [
            r[0]
            for r in conn.execute(
                "SELECT pageno FROM dbstat WHERE name = 'letters' AND pagetype = 'leaf'"
                " ORDER BY pageno"
            )
        ]
        conn.close()
        raw = bytearray(self.desk)
        page = leaves[len(leaves) // 2]
        raw[(page - 1) * size : page * size] = b"\xff" * size
        self.damaged = bytes(raw)
        # what a rescue without a kill makes of it
        reference = root / "reference"
        self.put(reference, desk=self.damaged)
        rescued = Desk(reference / PRACTICE_FOLDER, today=today)
        assert [n.kind for n in rescued.notices] == ["damaged"], rescued.notices
        self.rescued_state = _desk_state(rescued)
        rescued.close()
        shutil.rmtree(reference)

    def put(self, data: Path, *, desk: bytes | None = None, practice: bool = False) -> None:
        folder = data / PRACTICE_FOLDER
        folder.mkdir(parents=True, mode=0o700)
        os.chmod(data, 0o700)
        os.chmod(folder, 0o700)
        for name, content in (("desk.sqlite3", desk), ("practice.sqlite3", practice)):
            if content:
                path = folder / name
                path.write_bytes(self.practice if content is True else content)
                os.chmod(path, 0o600)


# -- one trial per scenario ------------------------------------------------------------------
def _timed(scenario: str, data: Path, seed: int, *, after_open: bool = False) -> float:
    start = time.perf_counter()
    _run_child(scenario, data, seed, None, after_open=after_open)
    return time.perf_counter() - start


def trial(
    kind: str, templates: Templates, data: Path, rng: random.Random, spans: dict, tally: Tally
) -> None:
    span = spans[kind]
    seed = rng.randrange(2**31)
    if kind == "desk":
        templates.put(data, desk=templates.desk)
    elif kind == "paper":
        templates.put(data, practice=True)
    elif kind == "rescue":
        templates.put(data, desk=templates.damaged)
    folder = data / PRACTICE_FOLDER
    # Actions that come after opening: most kills fall in them, one in five
    # in the opening itself (creation and rescue are all opening).
    in_work = kind in ("desk", "paper") and rng.random() < 0.8
    if in_work or kind not in ("desk", "paper"):
        delay = rng.uniform(0, span)
    else:
        delay = rng.uniform(0, spans["open" if kind == "desk" else "paper-open"])
    lines = _run_child(kind, data, seed, delay, after_open=in_work)
    tally.kills += 1
    label = f"{kind} #{tally.kills}"
    operation, running = _in_flight(lines, "open" if kind in ("desk", "paper") else kind)
    tally.per_operation[operation] += 1
    _errors(tally, lines, label)
    acked = [line[2:] for line in lines if line.startswith("A ")]
    tally.acknowledged += len(acked)
    CHECKS[kind](templates, data, acked, running, tally, label)
    tally.check_integrity(folder, label)
    tally.look_at_files(data)
    shutil.rmtree(data)


def _check_desk(templates, data, acked, running, tally, label) -> None:
    desk = Desk(data / PRACTICE_FOLDER, today=today)
    if desk.notices:
        tally.false_notices += 1
        tally.problem(f"{label}: melding {[n.kind for n in desk.notices]} bij een gaaf bestand")
    state = _desk_state(desk)
    desk.close()
    on0, actions0 = templates.desk_state
    on, actions = set(on0), [list(a) for a in actions0]
    for line in acked:
        op = line.split()
        _replay(on, actions, " ".join(op[:2]) if op[0] != "undo" else "undo")
    candidates = [(frozenset(on), [tuple(a) for a in actions])]
    if running is not None:
        on2, actions2 = set(on), [list(a) for a in actions]
        _replay(on2, actions2, running)
        candidates.append((frozenset(on2), [tuple(a) for a in actions2]))
    if state not in candidates:
        expected = candidates[0]
        missing = len(set(expected[1]) - set(state[1])) + len(expected[0] ^ state[0])
        tally.lost += max(1, missing)
        tally.problem(f"{label}: de tafel is niet wat er bevestigd was")


def _check_paper(templates, data, acked, running, tally, label) -> None:
    mailbox = PracticeMailbox(
        data / PRACTICE_FOLDER / "practice.sqlite3", person_id=PERSON, today=today
    )
    if mailbox.notices:
        tally.false_notices += 1
        tally.problem(f"{label}: melding {[n.kind for n in mailbox.notices]} bij een gaaf bestand")
    asked = {r.org_id for r in mailbox.paper_requests(PERSON)}
    ticked = set(mailbox.account_status(PERSON).ticked)
    fixed = {o.id for o in mailbox.organisations() if o.fixed_by_law}
    mailbox.close()
    done = {line.split()[1] for line in acked if line.startswith("paper ")}
    tally.lost += len(done - asked)
    half = [org for org in asked - fixed if org in ticked]  # recorded but still ticked
    tally.lost += len(half)
    if done - asked or half:
        tally.problem(f"{label}: papieren verzoeken kwijt of half")


def _check_create(templates, data, acked, running, tally, label) -> None:
    session = Session.open_practice(data, today=today)
    if session.notices:
        tally.false_notices += 1
        tally.problem(f"{label}: melding {[n.kind for n in session.notices]} na een eerste start")
    count = len(session.table())
    session.close()
    if count != templates.letter_count:
        tally.lost += 1
        tally.problem(f"{label}: {count} brieven op tafel, niet {templates.letter_count}")


def _check_rescue(templates, data, acked, running, tally, label) -> None:
    folder = data / PRACTICE_FOLDER
    desk = Desk(folder, today=today)
    kinds = [n.kind for n in desk.notices]
    state = _desk_state(desk)
    cursors = desk.conn.execute("SELECT COUNT(*) FROM sync").fetchone()[0]
    desk.close()
    if kinds and acked:
        tally.false_notices += 1
        tally.problem(f"{label}: nog een melding {kinds} na een afgemaakte redding")
    elif kinds and kinds != ["damaged"]:
        tally.false_notices += 1
        tally.problem(f"{label}: melding {kinds}")
    elif kinds:
        tally.told_after_kill += 1
    if state != templates.rescued_state or cursors:
        expected_on, expected_actions = templates.rescued_state
        tally.lost += max(
            1, len(expected_on ^ state[0]) + abs(len(expected_actions) - len(state[1]))
        )
        tally.problem(f"{label}: de geredde tafel is anders dan zonder kill")
    backups = sorted(
        p for p in folder.iterdir() if re.fullmatch(r"desk\.sqlite3\.beschadigd-[\d-]+", p.name)
    )
    if len(backups) != 1 or backups[0].read_bytes() != templates.damaged:
        tally.lost += 1
        tally.problem(f"{label}: {len(backups)} kopieën van het kapotte bestand, niet 1 gave")


CHECKS = {
    "desk": _check_desk,
    "paper": _check_paper,
    "create": _check_create,
    "rescue": _check_rescue,
}


# -- two first starts at once ------------------------------------------------------------------
def _race_child(data: Path, barrier: int, out: int, index: int) -> None:
    os.read(barrier, 1)  # both wait here, then go at once
    session = Session.open_practice(data, today=today)
    kinds = [n.kind for n in session.notices]
    letter = sorted(letter.id for letter in session.table())[index]
    session.put_away(letter)
    session.close()
    _say(out, f"A {index} {letter} {','.join(kinds)}")


def race(data: Path, tally: Tally) -> None:
    tally.race_trials += 1
    go_read, go_write = os.pipe()
    read, write = os.pipe()
    pids = []
    for index in (0, 1):
        pid = os.fork()
        if pid == 0:
            os.close(go_write)
            os.close(read)
            code = 0
            try:
                _race_child(data, go_read, write, index)
            except BaseException as error:  # noqa: BLE001 - reported, not raised
                _say(write, f"E {type(error).__name__}")
                code = 1
            os._exit(code)
        pids.append(pid)
    os.close(go_read)
    os.close(write)
    os.write(go_write, b"go")
    os.close(go_write)
    for pid in pids:
        os.waitpid(pid, 0)
    lines = os.read(read, 65536).decode().splitlines()
    os.close(read)
    label = f"race #{tally.race_trials}"
    _errors(tally, lines, label)
    put = {line.split()[2] for line in lines if line.startswith("A ")}
    told = [line for line in lines if line.startswith("A ") and len(line.split()) > 3]
    session = Session.open_practice(data, today=today)
    left_on = {letter.id for letter in session.table()}
    kinds = [n.kind for n in session.notices]
    session.close()
    aside = [p.name for p in (data / PRACTICE_FOLDER).iterdir() if "beschadigd" in p.name]
    failed = len(put) != 2 or bool(put & left_on) or bool(told) or bool(kinds) or bool(aside)
    if failed:
        tally.race_failures += 1
        tally.problem(
            f"{label}: {len(put)} bevestigd, terug op tafel {len(put & left_on)},"
            f" meldingen {told or kinds}, opzij {len(aside)}"
        )
    tally.check_integrity(data / PRACTICE_FOLDER, label)
    tally.look_at_files(data)
    shutil.rmtree(data)


# -- the run ---------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=100)
    parser.add_argument("--races", type=int, default=0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--folder", type=Path, required=True)
    parser.add_argument("--only", choices=KILLS, action="append")
    args = parser.parse_args(argv)
    os.umask(0o022)  # the usual default: the stores must be private by themselves
    start = time.perf_counter()
    rng = random.Random(args.seed)
    root = args.folder
    root.mkdir(parents=True, exist_ok=True)
    templates = Templates(root)
    kinds = args.only or list(KILLS)
    # How long each runs unkilled; kills fall anywhere in that span.
    spans = {}
    for kind in kinds:
        data = root / "calibrate"
        if kind == "desk":
            templates.put(data, desk=templates.desk)
            spans["open"] = _timed_open(data)
            spans[kind] = 0.04  # actions for 40 ms after opening (the loop never ends)
        elif kind == "paper":
            templates.put(data, practice=True)
            spans["paper-open"] = _timed_open_practice(data)
            shutil.rmtree(data)
            templates.put(data, practice=True)
            spans[kind] = _timed(kind, data, 0, after_open=True) * 1.1
        else:
            if kind == "rescue":
                templates.put(data, desk=templates.damaged)
            spans[kind] = _timed(kind, data, 0) * 1.1
        shutil.rmtree(data)
    tally = Tally()
    for n in range(args.kills):
        trial(kinds[n % len(kinds)], templates, root / f"trial-{n}", rng, spans, tally)
    for n in range(args.races):
        race(root / f"race-{n}", tally)
    summary = tally.summary(time.perf_counter() - start)
    summary["spans_ms"] = {k: round(v * 1000, 1) for k, v in spans.items()}
    print(json.dumps(summary))
    return 0


def _timed_open_practice(data: Path) -> float:
    start = time.perf_counter()
    path = data / PRACTICE_FOLDER / "practice.sqlite3"
    PracticeMailbox(path, person_id=PERSON, today=today).close()
    return time.perf_counter() - start


def _timed_open(data: Path) -> float:
    start = time.perf_counter()
    Desk(data / PRACTICE_FOLDER, today=today).close()
    return time.perf_counter() - start


if __name__ == "__main__":
    sys.exit(main())
