"""The command line: self-test, and the README's commands stay true."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_self_test_prints_letters_and_senders():
    env = dict(os.environ)
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
