"""Start the watcher at login, only when the person chose it (off until then).

* Linux and other XDG desktops: ``$XDG_CONFIG_HOME/autostart/brieventafel-watch.desktop``
  (``~/.config`` when unset), a Desktop Entry that runs ``brieventafel --watch``;
  removing the file switches it off. It passes ``desktop-file-validate``.
* Windows: the value ``Brieventafel`` under
  ``HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run``.
* macOS: ``~/Library/LaunchAgents/nl.brieventafel.watch.plist`` (RunAtLoad).

The entries are made as text (:func:`desktop_entry`, :func:`launch_agent`,
:func:`run_value`) so they are tested on every system; :func:`enable` and
:func:`disable` write or remove them for the system it runs on.
"""

from __future__ import annotations

import os
import plistlib
import shutil
import subprocess
import sys
from pathlib import Path

from app.i18n import gettext as _

DESKTOP_FILE = "brieventafel-watch.desktop"
AGENT_LABEL = "nl.brieventafel.watch"
RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
RUN_NAME = "Brieventafel"


def watch_command(data_dir: Path | None = None) -> list[str]:
    """The command that starts the watcher: the installed ``brieventafel``, or
    this Python with ``-m app``; ``--data-dir`` when one was chosen."""
    installed = shutil.which("brieventafel")
    command = [installed] if installed else [sys.executable, "-m", "app"]
    command.append("--watch")
    if data_dir is not None:
        command += ["--data-dir", str(data_dir)]
    return command


def _exec_quote(arg: str) -> str:
    """One argument of a Desktop Entry's Exec key (the spec's quoting rules)."""
    if arg and not any(ch in arg for ch in " \t\n\"'\\><~|&;$*?#()`"):
        return arg.replace("%", "%%")
    escaped = "".join("\\" + ch if ch in '"`$\\' else ch for ch in arg)
    return '"' + escaped.replace("%", "%%") + '"'


def desktop_entry(command: list[str]) -> str:
    lines = [
        "[Desktop Entry]",
        "Type=Application",
        "Name=" + _("Brieventafel herinneringen"),
        "Comment=" + _("Let op nieuwe brieven en herinner mij."),
        "Exec=" + " ".join(_exec_quote(arg) for arg in command),
        "Terminal=false",
        "NoDisplay=true",
        "X-GNOME-Autostart-enabled=true",
    ]
    return "\n".join(lines) + "\n"


def launch_agent(command: list[str]) -> bytes:
    return plistlib.dumps(
        {
            "Label": AGENT_LABEL,
            "ProgramArguments": list(command),
            "RunAtLoad": True,
            "ProcessType": "Interactive",
        }
    )


def run_value(command: list[str]) -> tuple[str, str, str]:
    """(key under HKEY_CURRENT_USER, value name, value) for the Windows Run key."""
    return RUN_KEY, RUN_NAME, subprocess.list2cmdline(command)


def _config_home() -> Path:
    configured = os.environ.get("XDG_CONFIG_HOME", "")
    if configured and Path(configured).is_absolute():
        return Path(configured)
    return Path.home() / ".config"


def entry_path(platform: str | None = None) -> Path | None:
    """Where the entry is kept on this system (None on Windows: the registry)."""
    platform = platform or sys.platform
    if platform.startswith("win"):
        return None
    if platform == "darwin":
        return Path.home() / "Library" / "LaunchAgents" / f"{AGENT_LABEL}.plist"
    return _config_home() / "autostart" / DESKTOP_FILE


def _write(path: Path, data: bytes) -> None:
    from app.paths import write_atomically

    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, data, private=False)  # read by the desktop's session


if sys.platform == "win32":
    import winreg

    def _run_key_set(name: str, value: str) -> None:
        with winreg.CreateKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as handle:
            winreg.SetValueEx(handle, name, 0, winreg.REG_SZ, value)

    def _run_key_remove(name: str) -> None:
        try:
            with winreg.OpenKey(
                winreg.HKEY_CURRENT_USER, RUN_KEY, 0, winreg.KEY_SET_VALUE
            ) as handle:
                winreg.DeleteValue(handle, name)
        except OSError:
            pass

    def _run_key_has(name: str) -> bool:
        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as handle:
                winreg.QueryValueEx(handle, name)
        except OSError:
            return False
        return True

else:

    def _run_key_set(name: str, value: str) -> None:
        raise OSError("the Run key exists on Windows only")

    def _run_key_remove(name: str) -> None:
        return None

    def _run_key_has(name: str) -> bool:
        return False


def enable(data_dir: Path | None = None) -> None:
    """Start the watcher at the next login."""
    command = watch_command(data_dir)
    path = entry_path()
    if path is None:
        _key, name, value = run_value(command)
        _run_key_set(name, value)
    elif sys.platform == "darwin":
        _write(path, launch_agent(command))
    else:
        _write(path, desktop_entry(command).encode("utf-8"))


def disable() -> None:
    """Not at login any more. Nothing there is fine."""
    path = entry_path()
    if path is None:
        _run_key_remove(RUN_NAME)
    else:
        path.unlink(missing_ok=True)


def is_enabled() -> bool:
    path = entry_path()
    return _run_key_has(RUN_NAME) if path is None else path.exists()


__all__ = [
    "desktop_entry",
    "disable",
    "enable",
    "entry_path",
    "is_enabled",
    "launch_agent",
    "run_value",
    "watch_command",
]
