"""The core's part of a start (issue 14): what the table's first frame needs of
app/ is loaded, and the rest waits until it is used.

Each frozen dataclass costs about 1 ms to make when its module is imported, so
the ones a start on the table never makes live in modules of their own,
imported where they are used; every old name still works (a module-level
``__getattr__`` imports them when first asked for).

The start is run in a fresh process: what a process has loaded is the point.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

#: (module, name) that a practice start on the table (the default person and a
#: helper's overview alike) neither makes nor loads, with the module each now
#: lives in
LATER = {
    ("app.mailbox", "LetterBatch"): "app.mailbox.answers",
    ("app.mailbox", "TickChange"): "app.mailbox.answers",
    ("app.mailbox", "PaperRequest"): "app.mailbox.answers",
    ("app.mailbox", "ActivationOffer"): "app.mailbox.answers",
    ("app.server_choice", "Choice"): "app.server_choice_record",
    ("app.mandates", "AccessLogEntry"): "app.access_log",
    ("app.mandates", "Event"): "app.access_log",
    ("app.mandates", "log_entry"): "app.access_log",
    ("app.mandates", "access_log_lines"): "app.access_log",
    ("app.mandates", "access_log_text"): "app.access_log",
    ("app.model", "AccountStatus"): "app.model_more",
    ("app.model", "Attachment"): "app.model_more",
    ("app.desk", "Folder"): "app.desk_rows",
    ("app.desk", "Handler"): "app.desk_rows",
    ("app.validate", "SetAside"): "app.set_aside",
}

#: what ui/shell/main.py does before the first frame, in its order, for the
#: core alone: the launcher's modules, the practice session, the table's rows
START = r"""
import json, sys
from pathlib import Path

from app import crash, i18n, storage, server_choice
from app.instance import InstanceLock, server_name
from app.mailbox import MailboxError
from app.problems import problem_text
from app.session import Session
from app.storage import StoreBusy, StoreProblem
from app.store_words import problem_text as store_problem_text
from app import people

data = Path(sys.argv[1])
assert server_choice.load(data) is None
with storage.checks_in_background():
    session = Session.open_practice(data, person_id=sys.argv[2] or None, sync=False)
letters = session.table()
session.desk.table_tally(session.person.id)
session.handlers()
people.represented(session)
later = json.loads(sys.argv[3])
print(json.dumps({
    "letters": len(letters),
    "loaded": sorted({m for m in later.values() if m in sys.modules}),
    "made": sorted(k for k in later if k.split(":")[1] in vars(sys.modules[k.split(":")[0]])),
}))
session.sync()  # what comes after the first frame: the next start is warm
session.close()
"""


def start(data: Path, person: str = "") -> dict:
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    later = {f"{m}:{n}": new for (m, n), new in LATER.items()}
    out = subprocess.run(
        [sys.executable, "-c", START, str(data), person, json.dumps(later)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
        check=True,
    )
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    seen["made"] = sorted(m.replace(":", ".") for m in seen["made"])
    return seen


def test_a_practice_start_loads_and_makes_none_of_what_waits(tmp_path):
    # fresh (the box is seeded), then warm (the letters on the table), for the
    # default person and for a helper who opens on the overview
    for person in ("", "piet"):
        fresh, warm = start(tmp_path / person, person), start(tmp_path / person, person)
        assert fresh["letters"] == 0
        assert warm["letters"] > 0 or person == "piet"  # his clients' post, not his own
        for seen in (fresh, warm):
            assert seen["loaded"] == [], person
            assert seen["made"] == [], person


@pytest.mark.parametrize(("module", "name"), sorted(LATER))
def test_every_moved_name_still_works_from_its_old_place(module, name):
    import importlib

    old = importlib.import_module(module)
    new = importlib.import_module(LATER[(module, name)])
    assert getattr(old, name) is getattr(new, name)
    with pytest.raises(AttributeError):
        old.no_such_name  # noqa: B018 - the lazy lookup still says what is missing


def test_the_moved_classes_keep_their_names_and_behaviour():
    from datetime import date

    from app.mailbox import LetterBatch, TickChange
    from app.model import AccountStatus, Attachment, Letter
    from app.server_choice import Choice
    from app.validate import SetAside

    # what a class's module was is part of a pickle, a repr and an error text
    assert repr(TickChange("rdw", True, date(2026, 1, 2), date(2026, 1, 2))).startswith(
        "TickChange(org_id='rdw'"
    )
    assert Choice("https://x.example", "koen") == Choice("https://x.example", "koen")
    assert hash(SetAside("a")) == hash(SetAside("a"))
    assert LetterBatch([], "1").set_aside == ()
    assert AccountStatus("koen", True, None).ticked == frozenset()
    letter = Letter.from_record(
        {
            "id": "b1",
            "recipient": "koen",
            "org_id": "rdw",
            "sender": "RDW",
            "subject": "APK",
            "summary": "",
            "body": "",
            "action": "lezen",
            "received": "2026-01-02",
            "attachments": [{"id": "p1", "name": "brief.pdf", "size": 3}],
        }
    )
    assert letter.attachments == (Attachment("p1", "brief.pdf", "application/pdf", 3),)
