"""Where things live: shipped resources and the user's data folder.

What Brieventafel writes about a person (the stores, their backups, the
folders they live in) is private to the user: on POSIX folders are 0700 and
files 0600, whatever the umask. On Windows the user's profile folder (where
platformdirs puts the data folder) is already the user's own; nothing is done.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

PRIVATE_FOLDER_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def _drop_others(path: Path) -> None:
    """Take away every right of group and others; the owner's stay as they are.
    Only for our own files; a file of someone else is left alone."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        info = os.stat(path)
        if info.st_uid == os.geteuid() and stat.S_IMODE(info.st_mode) & 0o077:
            os.chmod(path, stat.S_IMODE(info.st_mode) & ~0o077)


def make_private_file(path: Path) -> None:
    """A file only its owner may read or write (POSIX); best effort."""
    _drop_others(path)


def make_private_folder(path: Path, *, tighten_existing: bool = True) -> Path:
    """Make ``path`` and any missing parents as folders only the user may open.

    Folders that exist already lose the rights of group and others (the owner's
    stay), but only the last one: a parent the user chose (``--data-dir``) is theirs.
    ``tighten_existing=False`` leaves an existing ``path`` as it is (the person's
    own Documents folder, where a PDF goes).
    """
    path = Path(path)
    missing = []
    here = path
    while not here.exists() and here != here.parent:
        missing.append(here)
        here = here.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=PRIVATE_FOLDER_MODE)
        except FileExistsError:
            pass
        else:
            if os.name == "posix":
                with contextlib.suppress(OSError):
                    os.chmod(folder, PRIVATE_FOLDER_MODE)  # the umask may take more
    if not path.is_dir():
        raise NotADirectoryError(str(path))
    if tighten_existing or missing:
        _drop_others(path)
    return path


def resources_dir() -> Path:
    """The folder with practice letters and language catalogs.

    In a source checkout or an editable install this is ``resources/`` next to
    ``app/``; in an installed wheel it is the ``brieventafel_resources`` package.
    """
    here = Path(__file__).resolve().parent.parent / "resources"
    if (here / "practice").is_dir():
        return here
    import importlib

    installed = importlib.import_module("brieventafel_resources")  # an installed wheel
    assert installed.__file__ is not None
    return Path(installed.__file__).resolve().parent


def default_data_dir() -> Path:
    """The user's data folder (platformdirs), created on demand, private (0700)."""
    from platformdirs import user_data_dir

    return make_private_folder(Path(user_data_dir("Brieventafel", appauthor=False)))


def write_atomically(path: Path, data: bytes | str, *, private: bool = True) -> None:
    """Write ``data`` to ``path`` so that a reader, or a crash, finds the old file
    or the whole new one, never half of it: a temporary file beside it, flushed
    to disk, then renamed over it. ``private``: only this user may read it (0600)."""
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    import tempfile  # not at start: tempfile loads random (2-5 ms, issue 14)

    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(payload)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(name, 0o600 if private else 0o644)
        os.replace(name, path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
