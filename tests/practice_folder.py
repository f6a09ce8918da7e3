"""A practice data folder as ``Session.open_practice`` leaves it, without seeding it.

Seeding the practice box (letters, people, mandates, story letters) costs about a
quarter of a second; most tests only need the folder it makes. So the folder is
made once per test process for each (day, person, sync) by the real
``Session.open_practice`` and copied (``shutil.copytree``, ~0.01 s) into a test's
own empty folder. Opening the copy is the app's second start, which is what a
person's every start after the first is; the first start itself is still made
(and tested) wherever a test opens a folder without this.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

_templates: dict[tuple[date, str | None, bool], Path] = {}


def practice_copy(
    data_dir: Path,
    today: Callable[[], date] = date.today,
    *,
    person_id: str | None = None,
    sync: bool = True,
    into: bool = False,
) -> Path:
    """Put at ``data_dir`` what ``Session.open_practice(data_dir, person_id=...,
    today=today, sync=...)`` makes in an empty folder, copied from a folder made
    once; ``data_dir`` is returned. A folder that exists is left alone (the open
    then does what it would do there); with ``into``, a folder that exists but has
    no practice box yet (a guided visit's, made by ``Visit.start``) gets one."""
    from app.session import PRACTICE_FOLDER

    data_dir = Path(data_dir)
    if (data_dir / PRACTICE_FOLDER).exists() or (data_dir.exists() and not into):
        return data_dir
    key = (today(), person_id, sync)
    template = _templates.get(key)
    if template is None:
        from app.session import Session

        day = key[0]
        template = Path(tempfile.mkdtemp(prefix="brieventafel-practice-")) / "data"
        atexit.register(shutil.rmtree, template.parent, ignore_errors=True)
        Session.open_practice(template, person_id=person_id, today=lambda: day, sync=sync).close()
        _templates[key] = template
    shutil.copytree(template, data_dir, dirs_exist_ok=True)
    return data_dir
