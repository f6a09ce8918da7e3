"""The launcher's short way for an everyday start (issue 14) reads exactly what argparse reads.

``app.__main__._simple_args`` reads the options of a start from the menu without
building the whole argparse parser. For any command line it either declines
(None: argparse decides, with its own errors, help and exit codes) or gives the
very Namespace argparse gives: the same attributes, in the same order, with the
same values. Hypothesis makes the command lines from the real option names, their
shortened forms, values with ``=``, ``-``, spaces and other scripts, and junk.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from app import __main__ as launcher

ROOT = Path(__file__).resolve().parents[2]
PARSER = launcher._parser()
OPTIONS = sorted(s for action in PARSER._actions for s in action.option_strings)
LONG = [name for name in OPTIONS if name.startswith("--")]
#: every shortened form argparse might accept or call ambiguous: "--d", "--data", ...
SHORTENED = sorted({name[:n] for name in LONG for n in range(3, len(name))})
JUNK = ["", "-", "--", "---", "-x", "-dx", "--wat-is-dit", "brieven", "-5", "--=", "=", " "]
VALUES = [
    "",
    "-",
    "--",
    "-5",
    "150",
    "piet",
    "nl",
    "a=b",
    "=",
    "/tmp/map met spatie",
    " ",
    "-x",
    "--data-dir",
    "--self-test",
    "Ünïcødé",
    "العربية",
    "Українська",
    "\udcff",  # a byte that was not UTF-8, as Python hands it over
]


def _argparse(argv: list[str]) -> argparse.Namespace | int:
    """What the whole parser makes of it: the Namespace, or its exit code."""
    with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
        try:
            return PARSER.parse_args(argv)
        except SystemExit as stop:
            return int(stop.code or 0)


def _same(argv: list[str]) -> argparse.Namespace | None:
    fast = launcher._simple_args(argv)
    if fast is None:
        return None
    full = _argparse(argv)
    assert isinstance(full, argparse.Namespace), (argv, full)  # argparse refused it
    assert type(fast) is argparse.Namespace
    assert list(vars(fast).items()) == list(vars(full).items()), argv
    return fast


value = st.one_of(st.sampled_from(VALUES), st.text(max_size=12))
name = st.sampled_from(OPTIONS + SHORTENED + JUNK)
token = st.one_of(
    name,
    value,
    st.builds(lambda n, v: f"{n}={v}", name, value),
)
#: mostly option-then-value pairs, as people type them, with strays in between
pairs = st.lists(
    st.one_of(
        st.tuples(name, value).map(list),
        st.tuples(name).map(list),
        st.tuples(token).map(list),
    ),
    max_size=6,
).map(lambda parts: [part for pair in parts for part in pair])

SIMPLE_FLAGS = sorted(launcher._SIMPLE_FLAGS)
SIMPLE_VALUES = sorted(launcher._SIMPLE_VALUES)
#: values the short way takes (``value`` has the ones it leaves to argparse)
plain = st.one_of(
    st.sampled_from([v for v in VALUES if not v.startswith("-")]),
    st.text(max_size=12).filter(lambda v: not v.startswith("-")),
)
#: what people type: each everyday option at most once, now and then a stray token
_parts = st.lists(
    st.one_of(
        st.sampled_from(SIMPLE_FLAGS).map(lambda flag: [flag]),
        st.tuples(st.sampled_from(SIMPLE_VALUES), plain).map(list),
        st.builds(lambda n, v: [f"{n}={v}"], st.sampled_from(SIMPLE_VALUES), plain),
    ),
    unique_by=lambda part: part[0].partition("=")[0],
    max_size=6,
)
everyday = st.builds(
    lambda parts, strays, at: [
        piece for part in parts[:at] + strays + parts[at:] for piece in part
    ],
    _parts,
    st.one_of(st.just([]), st.just([]), st.just([]), token.map(lambda t: [[t]])),
    st.integers(0, 6),
)


SETTINGS = settings(
    max_examples=400,
    deadline=None,
    database=None,  # nothing written beside the tests
    suppress_health_check=[HealthCheck.too_slow],
)


@SETTINGS
@given(everyday)
def test_everyday_command_lines_read_as_argparse_reads_them(argv):
    _same(argv)


@SETTINGS
@given(st.one_of(pairs, st.lists(token, max_size=8)))
@example([])
@example(["--data-dir="])
@example(["--data-dir=--"])  # argparse of Python 3.11 makes that an empty list
@example(["--data-dir", "--"])
@example(["--scale", "-5"])
@example(["--guided", "--guided"])
@example(["--person", "piet", "--person", "koen"])
@example(["--data", "x"])
@example(["--self-test=ja"])
@example(["--help"])
@example(["--", "--self-test"])
def test_the_short_way_declines_or_reads_what_argparse_reads(argv):
    _same(argv)


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--self-test"],
        ["--guided"],
        ["--data-dir", "/tmp/d"],
        ["--data-dir=/tmp/map met spatie"],
        ["--data-dir="],
        ["--data-dir", ""],
        ["--person", "piet", "--language", "ar", "--scale", "150"],
        ["--person=kees", "--language=uk", "--scale=200", "--self-test", "--guided"],
        ["--data-dir", "Ünïcødé=1"],
        ["--scale", "groot"],  # check_args words that one, as before
    ],
)
def test_an_everyday_start_takes_the_short_way(argv):
    """These never build the whole parser, and read as argparse reads them."""
    assert _same(argv) is not None


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["-h"],
        ["--data", "x"],  # shortened: argparse's to accept
        ["--self-test", "--self-test"],
        ["--scale", "-5"],
        ["--data-dir", "--"],
        ["--data-dir=-x"],
        ["--data-dir"],
        ["--guided=ja"],
        ["--server", "https://example.org"],
        ["--watch", "--once"],
        ["--import", "brief.pdf"],
        ["brieven"],
        ["--", "--self-test"],
        ["--wat-is-dit"],
    ],
)
def test_everything_else_goes_to_argparse(argv):
    assert launcher._simple_args(argv) is None


def test_the_defaults_are_the_parsers():
    """A new option in the parser needs its place in _DEFAULTS: this fails until then."""
    assert launcher._simple_args([]) is not None
    assert list(vars(launcher._simple_args([])).items()) == list(vars(_argparse([])).items())


def test_errors_and_help_are_still_argparses(capsys):
    with pytest.raises(SystemExit) as stop:
        launcher.parse_args(["--data-dir"])
    assert stop.value.code == launcher.EXIT_USAGE
    err = capsys.readouterr().err
    assert err.startswith("usage: brieventafel") and "brieventafel --help" in err
    with pytest.raises(SystemExit) as stop:
        launcher.parse_args(["--help"])
    assert stop.value.code == 0
    assert "--set-trusted-person NAME EMAIL" in capsys.readouterr().out
    assert launcher.parse_args(["--data", "x"]).data_dir == "x"  # argparse's shortening


def test_parse_args_without_argv_reads_the_command_line(monkeypatch):
    monkeypatch.setattr(sys, "argv", ["brieventafel", "--person", "piet"])
    assert launcher.parse_args().person == "piet"
    monkeypatch.setattr(sys, "argv", ["brieventafel", "--pers", "piet"])
    assert launcher.parse_args().person == "piet"


def test_before_qt_the_launcher_loads_no_parser_typing_locale_or_datetime(tmp_path):
    """A real process, since import cost is the point: what the launcher loads before it
    hands over to the window (crash hooks, the options, their check). PySide loads argparse
    and typing itself later; locale and datetime are needed by neither start."""
    code = (
        "import json, sys\n"
        "before = set(sys.modules)\n"
        "import argparse\n"
        "made = []\n"
        "init = argparse.ArgumentParser.__init__\n"
        "def spy(self, *a, **k):\n"
        "    made.append(1)\n"
        "    init(self, *a, **k)\n"
        "argparse.ArgumentParser.__init__ = spy\n"
        "from app.__main__ import check_args, parse_args\n"
        "from app import crash\n"
        "crash.install()\n"
        "args = parse_args(['--data-dir', sys.argv[1], '--language', 'nl', '--scale', '150'])\n"
        "assert check_args(args) is None\n"
        "new = sorted(set(sys.modules) - before - {'argparse'})\n"
        "print(json.dumps({'parsers': len(made), 'new': new}))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["XDG_DATA_HOME"] = str(tmp_path / "xdg")
    run = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "d")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    found = json.loads(run.stdout)
    assert found["parsers"] == 0
    assert not {"typing", "locale", "datetime", "shutil"} & set(found["new"]), found["new"]
