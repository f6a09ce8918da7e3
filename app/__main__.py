"""``python -m app`` and the ``brieventafel`` command.

This launcher is the one file under ``app/`` that reaches into ``ui/``: it only
parses the command line and hands over. ``tests/test_layers.py`` allows it
explicitly; every other core module stays free of widgets.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="brieventafel", description="Brieventafel")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="start offscreen on a fresh practice mailbox, paint once, report, exit",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="folder for the desk and practice mailbox (default: user data folder)",
    )
    parser.add_argument(
        "--person", default=None, help="practice person to sign in as (koen, corry, kees, lisa)"
    )
    parser.add_argument("--language", default=None, help="nl, en, de, es, pl, tr, ar, uk")
    parser.add_argument("--scale", type=int, default=None, help="text size in percent, 100-200")
    parser.add_argument(
        "--guided",
        action="store_true",
        help="library mode: help a visitor step by step; nothing stays behind",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    from ui.shell.main import run

    return run(args)


if __name__ == "__main__":
    sys.exit(main())
