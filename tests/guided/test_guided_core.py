"""Guided mode, the core: scripts as data, and a visit that leaves nothing behind (no Qt)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from babel.messages.extract import extract_from_file

from app import guided
from app.guided import Visit, cleanup_stale, extract_scripts, load_scripts, script_msgids


# -- scripts -------------------------------------------------------------------
def test_the_seven_scripts_load_with_say_do_and_why():
    scripts = load_scripts()
    assert [s.id for s in scripts] == [
        "status",
        "activation",
        "paper",
        "email",
        "letter",
        "mandate",
        "abroad",
    ]
    for script in scripts:
        assert script.title and script.about and 3 <= len(script.steps) <= 7, script.id
        for step in script.steps:
            assert step.say and step.do and step.why, script.id
    letter = next(s for s in scripts if s.id == "letter")
    assert [step.reveal for step in letter.steps].count(True) == 2


def test_every_script_text_is_extracted_for_translators():
    path = guided.scripts_path()
    extracted = [m[1] for m in extract_from_file(extract_scripts, str(path))]
    assert extracted == script_msgids()
    scripts = load_scripts()
    shown = {t for s in scripts for t in (s.title, s.about, s.done, *s.todo, *s.help)}
    shown |= {t for s in scripts for st in s.steps for t in (st.say, st.do, st.why)}
    shown |= set(guided.load_general_help())
    shown.discard("")
    assert shown == set(extracted)


def test_the_project_babel_mapping_extracts_the_scripts():
    cfg = (Path(__file__).resolve().parents[2] / "babel.cfg").read_text(encoding="utf-8")
    assert "app.guided.extract:extract_scripts" in cfg and "resources/guided/**.json" in cfg


def test_script_texts_are_plain_dutch_short_sentences():
    too_long = []
    for text in script_msgids():
        for sentence in re.split(r"(?<=[.?!])\s+", text):
            if len(sentence.split()) > 20:
                too_long.append(sentence)
    assert too_long == []
    # "u", never "je"/"jij": the house style.
    assert not [t for t in script_msgids() if re.search(r"\b(je|jij|jouw)\b", t, re.I)]


# -- the visit -------------------------------------------------------------------
def test_a_visit_lives_in_its_own_folder_with_a_lock_and_ends_without_a_trace(tmp_path):
    root = tmp_path / "begeleid"
    visit = Visit.start(root)
    assert visit.folder.is_dir() and visit.folder.parent == root
    lock = json.loads(visit.lock.read_text())
    assert lock["pid"] == os.getpid()
    (visit.folder / "iets.txt").write_text("van de bezoeker")
    visit.secrets.set("token", "geheim-123")
    assert visit.end() is True
    assert list(root.iterdir()) == []
    assert len(visit.secrets) == 0
    assert visit.end() is True  # twice is fine


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_cleanup_removes_what_dead_sessions_left_and_keeps_living_ones(tmp_path):
    root = tmp_path / "begeleid"
    alive = Visit.start(root)
    dead = Visit.start(root)
    (dead.folder / "desk.sqlite3").write_bytes(b"brieven van de bezoeker")
    data = json.loads(dead.lock.read_text())
    data.update(pid=dead_pid(), started=None)
    dead.lock.write_text(json.dumps(data))
    orphan = root / "0123456789abcdef"  # a folder whose lock is gone
    orphan.mkdir()
    (orphan / "x").write_text("x")
    half = root / f".{dead.id}.lock.{dead_pid()}.tmp"  # a lock half written by a dead process
    half.write_text("{")

    assert cleanup_stale(root) == 2
    assert sorted(p.name for p in root.iterdir()) == sorted([alive.id, alive.lock.name])
    assert alive.end()
    assert list(root.iterdir()) == []


def test_a_reused_pid_does_not_keep_a_dead_visit_alive(tmp_path):
    root = tmp_path / "begeleid"
    visit = Visit.start(root)
    data = json.loads(visit.lock.read_text())
    data["started"] = data["started"] - 3600  # same PID as ours, but an earlier process
    visit.lock.write_text(json.dumps(data))
    assert cleanup_stale(root) == 1
    assert not visit.folder.exists() and not visit.lock.exists()


def test_a_visit_whose_pid_now_belongs_to_another_living_process_is_cleaned(tmp_path):
    """The owner died and the system gave its PID to a new process: that one runs,
    but it started later than the record says, so the visit is left over."""
    import psutil

    root = tmp_path / "begeleid"
    visit = Visit.start(root)
    (visit.folder / "desk.sqlite3").write_bytes(b"brieven van de bezoeker")
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        assert psutil.pid_exists(other.pid)
        data = json.loads(visit.lock.read_text())
        data.update(pid=other.pid, started=psutil.Process(other.pid).create_time() - 60)
        visit.lock.write_text(json.dumps(data))
        assert cleanup_stale(root) == 1
        assert list(root.iterdir()) == []
        assert other.poll() is None  # the other process is left alone
    finally:
        other.kill()
        other.wait()


def test_a_visit_whose_hold_is_let_go_is_cleaned_even_if_the_pid_looks_right(tmp_path):
    """When the system cannot tell a create time, the hold decides: a dead owner's
    lock is released by the system, whatever process has its PID now."""
    root = tmp_path / "begeleid"
    kept = Visit.start(root)
    gone = Visit.start(root)
    assert json.loads(gone.lock.read_text())["hold"]
    gone._release_hold()  # what the system does when the owner dies
    assert cleanup_stale(root) == 1
    assert not gone.folder.exists() and not gone.lock.exists()
    assert kept.folder.exists()
    assert kept.end()


def test_cleanup_of_a_missing_root_is_harmless(tmp_path):
    assert cleanup_stale(tmp_path / "nergens") == 0


def test_the_default_root_is_per_user_in_the_temp_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    root = guided.default_root()
    assert root.parent == tmp_path and root.name.startswith("brieventafel-begeleid-")


def test_guided_mode_starts_from_the_command_line_and_the_library_shortcut():
    from pathlib import Path

    from app.__main__ import parse_args

    assert parse_args(["--guided"]).guided is True
    assert parse_args([]).guided is False
    desktop = Path(__file__).resolve().parents[2] / "packaging" / "brieventafel-bibliotheek.desktop"
    lines = dict(
        line.split("=", 1)
        for line in desktop.read_text(encoding="utf-8").splitlines()
        if "=" in line
    )
    assert lines["Exec"] == "brieventafel --guided" and lines["Type"] == "Application"
