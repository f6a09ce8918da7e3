"""``brieventafel --import FILE``: a real process, a real data folder."""

from __future__ import annotations

import subprocess
import sys

import paper_letters as P  # noqa: N812

from app.desk import Desk
from app.session import PRACTICE_FOLDER


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": "/nonexistent"},
    )


def test_import_lays_the_letter_on_the_person_s_table_and_says_one_line(qapp, tmp_path):
    pdf = P.write_pdf(tmp_path / "apk.pdf", P.RDW_PAPER)
    data = tmp_path / "data"
    done = _run("--data-dir", str(data), "--person", "corry", "--import", str(pdf))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("De brief ligt op tafel. RDW: APK.")
    assert "Uiterlijk 15 januari 2027. Kenteken 7-KZS-28." in lines[0]
    assert "Traceback" not in done.stderr
    desk = Desk(data / PRACTICE_FOLDER)
    try:
        (letter,) = desk.table("corry")
        assert letter.source == "papier" and desk.table("koen") == []
    finally:
        desk.close()
    again = _run("--data-dir", str(data), "--person", "corry", "--import", str(pdf))
    assert again.returncode == 0 and "Deze brief lag al op tafel." in again.stdout


def test_a_bad_file_is_one_plain_line_and_exit_1(tmp_path):
    broken = tmp_path / "kapot.pdf"
    broken.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 4)
    done = _run("--data-dir", str(tmp_path / "data"), "--import", str(broken))
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.strip() == (
        "Deze PDF is beschadigd. Download de brief opnieuw en probeer het nog eens."
    )
    folder = _run("--data-dir", str(tmp_path / "data"), "--import", str(tmp_path))
    assert folder.returncode == 1
    assert folder.stderr.strip() == "Dit is een map, geen bestand. Kies de brief zelf."
