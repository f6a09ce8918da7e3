"""Starting the watcher at login: off until chosen, written and removed."""

from __future__ import annotations

import plistlib
import shutil
import subprocess
import sys

import pytest

from app import autostart

COMMAND = ["/opt/Brieventafel/bin/brieventafel", "--watch", "--data-dir", "/home/koen/Mijn post"]


@pytest.fixture
def config_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path / "config"


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="the XDG autostart folder")
def test_off_until_chosen_then_written_then_removed(config_home, tmp_path):
    path = config_home / "autostart" / "brieventafel-watch.desktop"
    assert not autostart.is_enabled()
    autostart.enable(tmp_path / "data")
    assert autostart.is_enabled() and path.exists()
    text = path.read_text(encoding="utf-8")
    assert "--watch" in text and str(tmp_path / "data") in text
    autostart.disable()
    assert not autostart.is_enabled() and not path.exists()
    autostart.disable()  # nothing there is fine


def test_the_desktop_entry_quotes_its_command():
    entry = autostart.desktop_entry(COMMAND)
    lines = entry.splitlines()
    assert lines[0] == "[Desktop Entry]"
    assert "Type=Application" in lines
    assert "Name=Brieventafel herinneringen" in lines
    assert (
        'Exec=/opt/Brieventafel/bin/brieventafel --watch --data-dir "/home/koen/Mijn post"' in lines
    )
    assert (
        autostart.desktop_entry(["/a", 'x"$`\\%']).splitlines()[4] == 'Exec=/a "x\\"\\$\\`\\\\%%"'
    )


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils")
def test_the_desktop_entry_validates(tmp_path):
    path = tmp_path / autostart.DESKTOP_FILE
    path.write_text(autostart.desktop_entry(COMMAND), encoding="utf-8")
    done = subprocess.run(
        ["desktop-file-validate", str(path)], capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 0 and done.stdout.strip() == "", done.stdout


def test_the_launch_agent_for_macos():
    agent = plistlib.loads(autostart.launch_agent(COMMAND))
    assert agent == {
        "Label": "nl.brieventafel.watch",
        "ProgramArguments": COMMAND,
        "RunAtLoad": True,
        "ProcessType": "Interactive",
    }
    assert str(autostart.entry_path("darwin")).endswith(
        "Library/LaunchAgents/nl.brieventafel.watch.plist"
    )


def test_the_run_key_for_windows():
    key, name, value = autostart.run_value(
        ["C:\\Program Files\\Brieventafel\\brieventafel.exe", "--watch"]
    )
    assert key == "Software\\Microsoft\\Windows\\CurrentVersion\\Run"
    assert name == "Brieventafel"
    assert value == '"C:\\Program Files\\Brieventafel\\brieventafel.exe" --watch'
    assert autostart.entry_path("win32") is None


def test_the_command_is_the_installed_one_or_this_python(monkeypatch):
    monkeypatch.setattr(autostart.shutil, "which", lambda name: None)
    assert autostart.watch_command() == [sys.executable, "-m", "app", "--watch"]
    monkeypatch.setattr(autostart.shutil, "which", lambda name: "/usr/bin/brieventafel")
    assert autostart.watch_command() == ["/usr/bin/brieventafel", "--watch"]


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="the XDG autostart folder")
def test_the_command_line_switches_it(tmp_path, config_home):
    import os
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, XDG_CONFIG_HOME=str(config_home), PYTHONPATH=str(root))
    base = [sys.executable, "-m", "app", "--data-dir", str(tmp_path / "data"), "--autostart"]
    on = subprocess.run([*base, "on"], env=env, capture_output=True, text=True, timeout=60)
    assert on.returncode == 0, on.stderr
    assert (config_home / "autostart" / autostart.DESKTOP_FILE).exists()
    off = subprocess.run([*base, "off"], env=env, capture_output=True, text=True, timeout=60)
    assert off.returncode == 0 and "niet meer vanzelf" in off.stdout
    assert not (config_home / "autostart" / autostart.DESKTOP_FILE).exists()
