"""Where things live: shipped resources and the user's data folder."""

from __future__ import annotations

from pathlib import Path


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
    """The user's data folder (platformdirs), created on demand."""
    from platformdirs import user_data_dir

    path = Path(user_data_dir("Brieventafel", appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path
