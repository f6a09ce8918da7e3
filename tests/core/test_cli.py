"""The command line: self-test, and the README's commands stay true."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_self_test_prints_letters_and_senders(tmp_path):
    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path / "xdg"))  # never the real data folder
    env.pop("QT_QPA_PLATFORM", None)  # the self-test goes offscreen by itself
    run = subprocess.run(
        [sys.executable, "-m", "app", "--self-test"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    match = re.search(r"self-test: (\d+) brieven op tafel, (\d+) afzenders", run.stdout)
    assert match, run.stdout
    assert int(match.group(1)) >= 20 and int(match.group(2)) >= 8


def test_readme_commands_and_ci_agree():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    start = [l.strip() for l in readme.splitlines() if l.strip().endswith(".venv/bin/brieventafel")]
    tests = [l.strip() for l in readme.splitlines() if 'install -q -e ".[test]"' in l]
    assert len(start) == 1 and len(tests) == 1
    assert "pytest" in tests[0]
    assert 'install -q -e ".[test]"' in ci  # .ci/run picks the README line by this text


def test_entry_points_are_declared():
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'brieventafel = "app.__main__:main"' in pyproject


# -- odd command lines: a plain message and exit code 2, before any window or file --
def _cli(tmp_path: Path, *args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    env["XDG_DATA_HOME"] = str(tmp_path / "xdg")  # never the person's real data folder
    return subprocess.run(
        [sys.executable, "-m", "app", "--self-test", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _refused(run: subprocess.CompletedProcess, *words: str) -> None:
    assert run.returncode == 2, (run.returncode, run.stdout, run.stderr)
    assert "Traceback" not in run.stderr, run.stderr
    assert "self-test:" not in run.stdout  # no window was made
    for word in words:
        assert word in run.stderr, run.stderr


def test_data_dir_that_cannot_hold_the_desk_is_refused_plainly(tmp_path):
    a_file = tmp_path / "brief.txt"
    a_file.write_text("geen map", encoding="utf-8")
    before = sorted(p.name for p in tmp_path.iterdir())
    _refused(_cli(tmp_path, "--data-dir", str(a_file)), "geen map")
    _refused(_cli(tmp_path, "--data-dir", os.devnull), "geen map")
    _refused(_cli(tmp_path, "--data-dir", str(a_file / "binnenin")), "bestand")
    _refused(_cli(tmp_path, "--data-dir", str(tmp_path / ("x" * 300))), "te lang")
    _refused(_cli(tmp_path, "--data-dir", str(tmp_path / "/".join(["diep" * 60] * 20))), "te lang")
    # A folder that refuses writing, even for root (sysfs is read-only here).
    if Path("/sys/kernel").is_dir():
        _refused(_cli(tmp_path, "--data-dir", "/sys/kernel/brieventafel"), "niets bewaren")
    if hasattr(os, "geteuid") and os.geteuid() != 0:  # root may write anywhere
        closed = tmp_path / "dicht"
        closed.mkdir(mode=0o500)
        before = sorted([*before, "dicht"])
        _refused(_cli(tmp_path, "--data-dir", str(closed)), "niets bewaren")
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing was made


def test_empty_data_dir_never_writes_into_the_current_folder(tmp_path):
    here = tmp_path / "here"
    here.mkdir()
    _refused(_cli(tmp_path, "--data-dir", "", cwd=here), "--data-dir")
    assert list(here.iterdir()) == []


def test_unknown_person_language_and_scale_are_refused_plainly(tmp_path):
    folder = tmp_path / "d"
    _refused(
        _cli(tmp_path, "--data-dir", str(folder), "--person", "nobody"), "nobody", "koen", "corry"
    )
    _refused(_cli(tmp_path, "--data-dir", str(folder), "--language", "xx"), "xx", "nl", "en")
    _refused(_cli(tmp_path, "--data-dir", str(folder), "--scale", "500"), "100", "200")
    _refused(_cli(tmp_path, "--data-dir", str(folder), "--scale", "groot"), "100", "200")
    _refused(_cli(tmp_path, "--data-dir", str(folder), "--wat-is-dit"), "--help")
    assert not folder.exists()  # refused before any folder or file was made


def test_scale_limits_agree_with_the_theme():
    from app.__main__ import MAX_SCALE, MIN_SCALE
    from ui.shell import theme

    assert (MIN_SCALE, MAX_SCALE) == (theme.MIN_SCALE, theme.MAX_SCALE)


def test_a_store_that_cannot_be_opened_is_told_plainly_at_start(tmp_path):
    """A folder where the desk file should be: a plain message and exit 1, nothing moved,
    no traceback (it used to be moved aside as if it were a damaged file)."""
    data = tmp_path / "data"
    (data / "oefenpost" / "desk.sqlite3").mkdir(parents=True)
    run = _cli(tmp_path, "--data-dir", str(data))
    assert run.returncode == 1, (run.stdout, run.stderr)
    assert "Traceback" not in run.stderr
    assert "staat een map" in run.stderr
    assert (data / "oefenpost" / "desk.sqlite3").is_dir()
    assert not list((data / "oefenpost").glob("desk.sqlite3.*-*"))


def test_both_ways_of_reading_options_refuse_plainly(tmp_path):
    """The short way for an everyday start (``--opt=value`` too) and argparse for the rest
    (issue 14): each odd command line still gets its plain message and exit code 2."""
    folder = tmp_path / "d"
    _refused(_cli(tmp_path, f"--data-dir={folder}", "--scale=500"), "100", "200")
    _refused(_cli(tmp_path, f"--data-dir={folder}", "--language=xx"), "xx", "nl")
    _refused(_cli(tmp_path, "--data-dir"), "--help")  # no folder named
    _refused(_cli(tmp_path, "--data-dir", "--"), "--help")
    _refused(_cli(tmp_path, "--self-test=ja"), "--help")
    _refused(_cli(tmp_path, "--data", str(folder), "--scale", "-5"), "100", "200")  # shortened
    assert not folder.exists()
