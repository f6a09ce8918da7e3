"""Guided mode leaves nothing of the visitor on the library PC: files, keyring, logs.

The keyring is a real backend: ``keyrings.alt``'s PlaintextKeyring, pointed at
a file in the test's tmp folder. A real backend, because the point is to see
what a keyring really keeps after a visit; this one, because it works without
a desktop session or D-Bus (CI is headless), keeps everything in one file we
can read back and scan, and never touches the developer's own keyring.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QPushButton

from app.guided import Visit, cleanup_stale
from finders import top_level, widget
from practice_folder import practice_copy
from ui.start.choice import StartChoice

pytestmark = pytest.mark.gui
ROOT = Path(__file__).resolve().parents[2]
VISITOR_TOKEN = "bezoeker-token-7f3a9c"  # what a login of the visitor could leave


@pytest.fixture
def temp_root(tmp_path, monkeypatch):
    """The guided root under this test's own temp folder."""
    import tempfile

    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setattr(tempfile, "tempdir", None)
    from app.guided import default_root

    return default_root()


def snapshot(folder: Path) -> dict[str, str]:
    """Every file and its hash; SQLite's -shm (a shared-memory index, no data) left out."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.endswith("-shm")
    }


def visitor_strings(session) -> list[str]:
    letters = session.table()
    person = session.person
    texts = [
        person.bsn,
        *(l.subject for l in letters),
        *(l.what_to_do for l in letters),
        *(l.body[:60] for l in letters),
    ]
    return [t for t in texts if t and len(t) >= 8]


def files_containing(folder: Path, needles: list[str]) -> list[str]:
    found = []
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            found += [f"{path}: {n[:30]}" for n in needles if n.encode() in data]
    return found


def test_normal_end_leaves_no_file_no_keyring_entry_and_no_log_line(
    qtbot, window, data_dir, temp_root, file_keyring, caplog
):
    caplog.set_level(logging.DEBUG)
    import keyring

    window.session.desk.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = snapshot(data_dir)
    # The first-start choice sits on the table; the volunteer chooses to help.
    assert widget(window, QFrame, "start_choice").isVisible()
    qtbot.mouseClick(widget(window, QPushButton, "start_guided"), Qt.MouseButton.LeftButton)
    # The guided window is a window of its own; the start choice holds it until the
    # visit ends (asked of the feature itself: no widget says so).
    gw = top_level("guided_window")
    choice = window.features.get(StartChoice)
    assert choice.guided_window is gw
    assert gw is not None and gw.isVisible() and not window.isVisible()
    visit = gw.visit
    assert visit.root == temp_root and data_dir not in visit.folder.parents

    # A part that must use the keyring during a visit registers it first.
    service, user = visit.register_keyring_entry("token")
    keyring.set_password(service, user, VISITOR_TOKEN)
    visit.secrets.set("token", VISITOR_TOKEN)

    # Read a letter together (script 5), print the handout, end the session.
    qtbot.mouseClick(gw.panel.visitor_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(
        gw.findChild(type(gw.panel.next), "guided_script_letter"), Qt.MouseButton.LeftButton
    )
    needles = visitor_strings(gw.session) + [VISITOR_TOKEN]
    qtbot.mouseClick(gw.table_cover.reveal_button, Qt.MouseButton.LeftButton)
    gw.open_letter(gw.session.table()[0].id)
    qtbot.mouseClick(gw.letter_cover.reveal_button, Qt.MouseButton.LeftButton)
    for _ in range(5):
        qtbot.mouseClick(gw.panel.next, Qt.MouseButton.LeftButton)
    gw.pdf_folder = visit.folder / "briefje"
    qtbot.mouseClick(gw.panel.done_print, Qt.MouseButton.LeftButton)
    assert gw.last_pdf.exists()
    assert files_containing(visit.folder, needles)  # the visit did hold the visitor's post
    qtbot.mouseClick(gw.panel.done_end, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(gw.panel.end_yes, Qt.MouseButton.LeftButton)

    # Back at the owner's table; the visit is gone everywhere.
    assert window.isVisible() and choice.guided_window is None
    assert not temp_root.exists() or list(temp_root.iterdir()) == []
    window.session.desk.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert snapshot(data_dir) == before  # nothing written to the normal profile
    # (The owner's practice post is Koen's too, so only the visit's own marks are searched here.)
    assert files_containing(data_dir, [VISITOR_TOKEN, visit.id]) == []
    assert keyring.get_password(service, user) is None
    assert keyring.get_password("Iets van de eigenaar", "eigenaar") == "blijft staan"
    assert VISITOR_TOKEN not in Path(file_keyring.file_path).read_text()
    assert len(visit.secrets) == 0
    logged = caplog.text
    assert not [n for n in needles if n in logged]


CHILD_ENV_DROP = ("QT_QPA", "DBUS_", "WAYLAND", "DISPLAY")


def child_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(CHILD_ENV_DROP)}
    env.update(
        {
            "QT_QPA_PLATFORM": "offscreen",
            "TMPDIR": str(tmp_path / "tmp"),
            "XDG_DATA_HOME": str(tmp_path / "xdg-data"),  # the normal profile lives here
            "XDG_CONFIG_HOME": str(tmp_path / "xdg-config"),
            "HOME": str(tmp_path / "home"),
            "PYTHONPATH": os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(
                os.pathsep
            ),
        }
    )
    for key in ("tmp", "xdg-data", "xdg-config", "home"):
        (tmp_path / key).mkdir(exist_ok=True)
    return env


def wait_for(predicate, what: str, limit: float = 90.0):
    """Poll the file system until the child got that far (bounded; no timing is asserted)."""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        found = predicate()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"the guided app never got this far: {what}")


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_a_killed_guided_session_is_removed_at_the_next_start(tmp_path, file_keyring):
    import keyring

    env = child_env(tmp_path)
    # The child uses the same file keyring: its default place under XDG_DATA_HOME.
    env["PYTHON_KEYRING_BACKEND"] = "keyrings.alt.file.PlaintextKeyring"
    file_keyring.file_path = str(tmp_path / "xdg-data" / "python_keyring" / "keyring_pass.cfg")
    keyring.set_password("Iets van de eigenaar", "eigenaar", "blijft staan")
    root = Path(env["TMPDIR"]) / f"brieventafel-begeleid-{os.getuid()}"
    child = subprocess.Popen(
        [sys.executable, "-m", "app", "--guided"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        desk = wait_for(
            lambda: next(iter(root.glob("*/oefenpost/desk.sqlite3")), None),
            "a visit with its own desk",
        )
        folder = desk.parent.parent
        lock = root / f"{folder.name}.lock"
        data = json.loads(lock.read_text())
        assert data["pid"] == child.pid
        # Stand in for a part of the child that stored a token for the visit
        # (registered first, then written), and was killed before it could clean up.
        service = f"Brieventafel bezoek {folder.name}"
        data["keyring"] = [[service, "token"]]
        lock.write_text(json.dumps(data))
        keyring.set_password(service, "token", VISITOR_TOKEN)
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.communicate()
    assert child.returncode == -signal.SIGKILL
    assert folder.exists() and lock.exists()  # a kill leaves things behind ...

    # ... and in this same process, cleanup would not touch a living visit:
    assert cleanup_stale(root / "nothing-here") == 0

    restart = subprocess.run(
        [sys.executable, "-m", "app", "--self-test"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert restart.returncode == 0, restart.stderr[-2000:]
    assert restart.stdout.startswith("Brieventafel self-test:")
    assert list(root.iterdir()) == []  # ... which the next start removes
    assert keyring.get_password(service, "token") is None
    assert VISITOR_TOKEN not in Path(file_keyring.file_path).read_text()
    assert keyring.get_password("Iets van de eigenaar", "eigenaar") == "blijft staan"
    normal_profile = tmp_path / "xdg-data" / "Brieventafel"
    assert not normal_profile.exists()  # --guided never opens the normal profile
    leftovers = [p for p in (tmp_path / "tmp").rglob("*") if p.is_file()]
    assert leftovers == []


def test_a_visit_started_in_this_process_survives_cleanup_until_it_ends(tmp_path):
    visit = Visit.start(tmp_path / "root")
    assert cleanup_stale(tmp_path / "root") == 0 and visit.folder.exists()
    visit.end()
    assert not (tmp_path / "root").exists() or list((tmp_path / "root").iterdir()) == []


def test_guided_window_focus_starts_in_the_guide(qtbot, tmp_path, today):
    from ui.guided.window import GuidedWindow

    visit = Visit.start(tmp_path / "root", today=today)
    practice_copy(visit.folder, today, into=True)  # seeded once, copied
    visit.open_session()
    gw = GuidedWindow(visit)
    qtbot.addWidget(gw)
    gw.show()
    qtbot.waitExposed(gw)
    assert gw.focusWidget() is gw.panel.visitor_button
    gw.close()
    assert visit.ended and not visit.folder.exists()
