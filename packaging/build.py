"""Build the Brieventafel bundle, then check it: ``python packaging/build.py``.

One command on Linux, Windows and macOS (the CI workflow
``.github/workflows/package.yml`` runs it on each):

1. PyInstaller builds ``packaging/brieventafel.spec`` into ``dist/brieventafel/``
   (a one-folder bundle; on macOS also ``dist/Brieventafel.app``); its work files go
   to ``build/pyinstaller/``. Both folders are in .gitignore.
2. The bundle's own ``--self-test`` runs offscreen on a fresh practice mailbox in a
   temporary data folder, once in Dutch and once in Arabic (catalogs, Babel's locale
   data and the right-to-left layout all found inside the bundle).
3. It prints the bundle's size and fails when it is over 150 MB (issue 14).

Needs PyInstaller in the same Python: ``pip install -e ".[packaging]"``.
``--no-build`` only checks a bundle built before. Exit code 0 when all is well.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "brieventafel.spec"
DIST = ROOT / "dist"
WORK = ROOT / "build" / "pyinstaller"
BUNDLE = DIST / "brieventafel"
MAX_MB = 150
SELF_TEST_LANGUAGES = ("nl", "en", "de", "es", "pl", "tr", "ar", "uk")  # app/i18n.py


def executable(bundle: Path = BUNDLE) -> Path:
    """The bundle's program that can print: on Windows the console one."""
    if sys.platform == "win32":
        return bundle / "brieventafel-cli.exe"
    return bundle / "brieventafel"


def size_bytes(folder: Path) -> int:
    """The bytes of every file in ``folder`` (links not followed, each file once)."""
    seen: set[tuple[int, int]] = set()
    total = 0
    for path in folder.rglob("*"):
        if path.is_symlink() or not path.is_file():
            continue
        info = path.stat()
        if (info.st_dev, info.st_ino) in seen:
            continue
        seen.add((info.st_dev, info.st_ino))
        total += info.st_size
    return total


def self_test(program: Path, language: str) -> subprocess.CompletedProcess[str]:
    """Run the bundle's --self-test offscreen in a data folder of its own."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("PYTHONPATH", None)  # the bundle must need nothing from outside
    with tempfile.TemporaryDirectory(prefix="brieventafel-bundle-") as data:
        return subprocess.run(
            [str(program), "--self-test", "--language", language, "--data-dir", data],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )


def build() -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level",
            "WARN",
            "--distpath",
            str(DIST),
            "--workpath",
            str(WORK),
            str(SPEC),
        ],
        cwd=ROOT,
        check=True,
    )


def check(bundle: Path = BUNDLE) -> int:
    program = executable(bundle)
    if not program.is_file():
        print(f"build: no bundle at {program}", file=sys.stderr)
        return 1
    for language in SELF_TEST_LANGUAGES:
        done = self_test(program, language)
        print(f"self-test ({language}): exit {done.returncode}: {done.stdout.strip()}")
        if done.returncode != 0 or "self-test:" not in done.stdout:
            print(done.stderr, file=sys.stderr)
            return 1
    size_mb = size_bytes(bundle) / 1_000_000
    print(f"bundle_size: {size_mb:.1f} MB (limit {MAX_MB} MB) at {bundle}")
    if size_mb > MAX_MB:
        print(f"build: the bundle is {size_mb:.1f} MB, over {MAX_MB} MB", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-build", action="store_true", help="only check a built bundle")
    args = parser.parse_args(argv)
    if not args.no_build:
        build()
    return check()


if __name__ == "__main__":
    sys.exit(main())
