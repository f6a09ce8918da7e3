"""A crash never prints personal data.

An exception's message, the source lines and the local values may quote a row
of the desk: a name, a BSN, a letter. What the person sees is a kind message;
what a helper gets is a report with the type, the frames and the versions only.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NAME, BSN = "Koen Visser", "123456782"
SECRET = f"rij 7: {{'naam': '{NAME}', 'bsn': '{BSN}'}}"


def _only_report(folder: Path) -> Path:
    reports = sorted(folder.glob("crash-*.txt"))
    assert len(reports) == 1, reports
    return reports[0]


def _assert_redacted(text: str) -> None:
    assert NAME not in text and BSN not in text
    assert "Visser" not in text and "rij 7" not in text


def test_a_crash_in_the_real_app_shows_a_plain_message_and_a_redacted_report(tmp_path):
    """The real launcher, the real window; the desk raises with a row in the message."""
    data = tmp_path / "data"
    script = (
        "import sys\n"
        "from app.desk import Desk\n"
        "def table(self, person_id):\n"
        f"    secret = {SECRET!r}  # a local value a traceback could show\n"
        "    raise ValueError(secret)\n"
        "Desk.table = table\n"
        "from app.__main__ import main\n"
        "sys.exit(main(['--self-test', '--data-dir', sys.argv[1]]))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script, str(data)],
        cwd=ROOT,
        env=dict(
            os.environ,
            QT_QPA_PLATFORM="offscreen",
            PYTHONPATH=str(ROOT),
            XDG_DATA_HOME=str(tmp_path / "xdg"),
        ),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode != 0
    _assert_redacted(run.stdout + run.stderr)
    assert "Traceback" not in run.stderr
    assert "Er ging iets mis in Brieventafel. Dat ligt niet aan u." in run.stderr
    report = _only_report(data)
    assert str(report) in run.stderr  # the message says where the report is
    text = report.read_text(encoding="utf-8")
    _assert_redacted(text)
    assert "ValueError" in text
    assert "ui/shell/main.py" in text and "in run" in text  # file:line and function
    assert "app/__main__.py" in text
    assert "python" in text.lower() and "PySide6" in text
    assert str(tmp_path) not in text  # no home folder or user name in the paths
    if sys.platform != "win32":
        assert stat.S_IMODE(report.stat().st_mode) == 0o600


def test_the_hooks_report_chained_exceptions_and_other_threads(tmp_path, capsys):
    from app import crash

    def read_row():
        raise KeyError(SECRET)

    def sync():
        try:
            read_row()
        except KeyError as error:
            raise RuntimeError(f"sync van {NAME} mislukt") from error

    try:
        sync()
    except RuntimeError:
        crash.excepthook(*sys.exc_info(), folder=tmp_path)
    out = capsys.readouterr()
    _assert_redacted(out.out + out.err)
    assert "Dat ligt niet aan u" in out.err
    report = _only_report(tmp_path)
    text = report.read_text(encoding="utf-8")
    _assert_redacted(text)
    assert "RuntimeError" in text and "KeyError" in text  # the cause is named too
    assert "in read_row" in text and "in sync" in text
    assert "tests/core/test_crash_report.py:" in text
    report.unlink()

    def work():
        raise OSError(f"/home/{NAME}/{BSN}.pdf")

    caught: list[threading.ExceptHookArgs] = []
    old = threading.excepthook
    threading.excepthook = caught.append
    try:
        thread = threading.Thread(target=work, name=f"bezoek {NAME}")
        thread.start()
        thread.join()
    finally:
        threading.excepthook = old
    crash.thread_excepthook(caught[0], folder=tmp_path)
    out = capsys.readouterr()
    _assert_redacted(out.out + out.err)
    text = _only_report(tmp_path).read_text(encoding="utf-8")
    _assert_redacted(text)
    assert "OSError" in text and "in work" in text


def test_install_sets_both_hooks_and_a_failing_report_still_says_something(tmp_path, capsys):
    from app import crash

    old_sys, old_thread = sys.excepthook, threading.excepthook
    try:
        crash.install(folder=tmp_path)
        assert sys.excepthook is not old_sys and threading.excepthook is not old_thread
    finally:
        sys.excepthook, threading.excepthook = old_sys, old_thread
    blocked = tmp_path / "a-file"
    blocked.write_text("", encoding="utf-8")
    try:
        raise ValueError(SECRET)
    except ValueError:
        crash.excepthook(*sys.exc_info(), folder=blocked / "inside")  # cannot be written
    out = capsys.readouterr()
    _assert_redacted(out.out + out.err)
    assert "Dat ligt niet aan u" in out.err


def test_a_store_in_use_is_told_plainly_not_as_a_fault(tmp_path, capsys):
    """A desk locked or read-only while the app runs is not our fault: the person reads
    what is wrong and what to do, and no crash report is written."""
    from app import crash
    from app.storage import StoreBusy

    error = StoreBusy(tmp_path / "desk.sqlite3", "desk", "write")
    try:
        raise error
    except StoreBusy as caught:
        crash.excepthook(type(caught), caught, caught.__traceback__, folder=tmp_path)
    said = capsys.readouterr().err
    assert "ander programma" in said and "Er ging iets mis" not in said
    assert list(tmp_path.glob("crash-*.txt")) == []
