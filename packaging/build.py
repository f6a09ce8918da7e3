"""Build the Brieventafel bundle, then check it: ``python packaging/build.py``.

One command on Linux, Windows and macOS (the CI workflow
``.github/workflows/package.yml`` runs it on each):

1. PyInstaller builds ``packaging/brieventafel.spec`` into ``dist/brieventafel/``
   (a one-folder bundle; on macOS also ``dist/Brieventafel.app``); its work files go
   to ``build/pyinstaller/``. Both folders are in .gitignore.
2. The bundle's own ``--self-test`` runs offscreen on a fresh practice mailbox in a
   temporary data folder, once in Dutch and once in Arabic (catalogs, Babel's locale
   data and the right-to-left layout all found inside the bundle).
3. A paper letter (a one-page PDF that this script writes as bytes) is read by the
   bundle twice: by ``--import`` in a temporary data folder (pypdf, the explanation
   rules, the desk) and by the launcher's hidden ``--check-pdf`` (QtPdf opens,
   renders and shows it: issue 15's viewer of originals). QtPdf's and
   QtPdfWidgets' libraries must be in the bundle.
4. It prints the bundle's size and fails when it is over 150 MB (issue 14).

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


def _run_bundle(
    program: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The bundle's program offscreen; ``env`` is added to this process's own."""
    environment = dict(os.environ, QT_QPA_PLATFORM="offscreen", **(env or {}))
    environment.pop("PYTHONPATH", None)  # the bundle must need nothing from outside
    return subprocess.run(
        [str(program), *args], env=environment, capture_output=True, text=True, timeout=120
    )


def self_test(program: Path, language: str) -> subprocess.CompletedProcess[str]:
    """Run the bundle's --self-test offscreen in a data folder of its own."""
    with tempfile.TemporaryDirectory(prefix="brieventafel-bundle-") as data:
        return _run_bundle(program, "--self-test", "--language", language, "--data-dir", data)


#: the paper letter of the check: the RDW's APK letter (tests/explain), made up
LETTER_LINES = (
    "RDW",
    "Postbus 30000, 9640 RA Veendam",
    "Onderwerp: APK",
    "Geachte heer De Vries,",
    "Volgens onze gegevens verloopt de APK van uw voertuig binnenkort.",
    "Kenteken: 7-KZS-28",
    "Vervaldatum APK: 15 januari 2027",
    "Laat uw voertuig voor de vervaldatum keuren bij een erkend APK-keuringsstation.",
    "Met vriendelijke groet,",
    "RDW",
)


def letter_pdf(lines: tuple[str, ...] = LETTER_LINES) -> bytes:
    """A one-page A4 PDF of ``lines`` in Helvetica (ASCII), written by hand: the
    bundle has no fpdf2, and this script needs nothing but Python."""
    text = ["BT", "/F1 11 Tf", "14 TL", "56 780 Td"]
    for line in lines:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        text.append(f"({escaped}) Tj T*")
    stream = "\n".join([*text, "ET"]).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def pdf_check(program: Path) -> tuple[bool, str]:
    """(all well, what was seen): the bundle lays the letter PDF on a fresh table
    with ``--import``, and its QtPdf opens, renders and shows the same file."""
    with tempfile.TemporaryDirectory(prefix="brieventafel-bundle-") as folder:
        letter = Path(folder) / "brief.pdf"
        letter.write_bytes(letter_pdf())
        data = Path(folder) / "data"
        imported = _run_bundle(program, "--import", str(letter), "--data-dir", str(data))
        said = f"--import: exit {imported.returncode}: {imported.stdout.strip()}"
        if imported.returncode != 0 or "RDW" not in imported.stdout:
            return False, f"{said}\n{imported.stderr.strip()[-2000:]}"
        shown = _run_bundle(program, "--check-pdf", str(letter))
        said += f"\n--check-pdf: exit {shown.returncode}: {shown.stdout.strip()}"
        if shown.returncode != 0 or "check-pdf: 1 pages" not in shown.stdout:
            return False, f"{said}\n{shown.stderr.strip()[-2000:]}"
    return True, said


def qtpdf_files(bundle: Path = BUNDLE) -> dict[str, list[str]]:
    """QtPdf's and QtPdfWidgets' files in the bundle, by kind: the Qt library
    (libQt6Pdf.so.6, Qt6Pdf.dll, QtPdf.framework) and the Python binding
    (QtPdf.abi3.so, QtPdf.pyd). An empty list is a piece that is missing."""
    found: dict[str, list[str]] = {
        "Qt6Pdf": [],
        "Qt6PdfWidgets": [],
        "PySide6.QtPdf": [],
        "PySide6.QtPdfWidgets": [],
    }
    for path in bundle.rglob("*"):
        name = path.name
        if path.is_dir() and not name.endswith(".framework"):
            continue
        stem = name.split(".", 1)[0]
        binding = path.parent.name == "PySide6" and stem in ("QtPdf", "QtPdfWidgets")
        if binding:
            found[f"PySide6.{stem}"].append(name)
        elif stem in ("libQt6Pdf", "Qt6Pdf", "QtPdf"):  # QtPdf: macOS's framework
            found["Qt6Pdf"].append(name)
        elif stem in ("libQt6PdfWidgets", "Qt6PdfWidgets", "QtPdfWidgets"):
            found["Qt6PdfWidgets"].append(name)
    return found


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
    missing = [piece for piece, files in qtpdf_files(bundle).items() if not files]
    if missing:
        print(f"build: the bundle lacks {', '.join(missing)} (issue 15)", file=sys.stderr)
        return 1
    well, said = pdf_check(program)
    print(said)
    if not well:
        print("build: the bundle did not read the letter PDF", file=sys.stderr)
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
