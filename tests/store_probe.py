"""Open stores the way the app does and say, as JSON, what happened.

For tests that need a second process with other rights than pytest's own
(tests/core/test_storage.py runs it without the root override of file modes):

    python tests/store_probe.py '[["desk", "/some/folder"], ["practice", "/other"]]'

Each answer is {"error": <exception type>, "reason": <its reason>} or
{"notices": [<notice kinds>]}. It imports only the core (no Qt).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import storage  # noqa: E402
from app.desk import Desk  # noqa: E402
from app.mailbox.practice import PracticeMailbox  # noqa: E402

storage.BUSY_TIMEOUT_S = 0.2


def attempt(kind: str, folder: str) -> dict:
    try:
        if kind == "desk":
            store: Desk | PracticeMailbox = Desk(Path(folder))
        else:
            store = PracticeMailbox(Path(folder) / "practice.sqlite3")
            me = store.me().id
            row = store.conn.execute("SELECT id FROM letters WHERE recipient = ?", (me,)).fetchone()
            store.mark_read(me, row[0])  # a write, as opening a letter does
    except Exception as error:  # noqa: BLE001 - what went wrong is the answer
        return {"error": type(error).__name__, "reason": getattr(error, "reason", None)}
    kinds = [n.kind for n in store.notices]
    store.close()
    return {"notices": kinds}


def main() -> int:
    cases = json.loads(sys.argv[1])
    print(json.dumps([attempt(kind, folder) for kind, folder in cases]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
