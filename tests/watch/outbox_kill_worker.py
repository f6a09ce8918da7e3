"""A real process that sends from an outbox and is killed (SIGKILL, by itself)
at one chosen moment: ``after-250`` (the server answered 250, nothing recorded
yet) or ``in-data`` (the message half handed over). Run by test_outbox.py.

    python outbox_kill_worker.py OUTBOX PORT MOMENT
"""

from __future__ import annotations

import os
import signal
import smtplib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app import outbox  # noqa: E402


def die() -> None:
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)


def arm(moment: str) -> None:
    """Make this process kill itself at ``moment`` while it sends (also used by
    test_outbox_pg.py's worker, for the same moments on PostgreSQL)."""
    if moment == "after-250":
        finish = outbox.Outbox._finish

        def finish_or_die(self, c, key, now, outcome):
            if outcome.state is outbox.State.SENT:
                die()  # the server has it; the outbox has not written it down
            finish(self, c, key, now, outcome)

        outbox.Outbox._finish = finish_or_die  # type: ignore[method-assign]
    elif moment == "in-data":
        send = smtplib.SMTP.send

        def send_half(self, data):
            if isinstance(data, bytes) and data.endswith(b".\r\n") and len(data) > 200:
                send(self, data[: len(data) // 2])
                die()
            send(self, data)

        smtplib.SMTP.send = send_half  # type: ignore[method-assign]


def main() -> None:
    path, port, moment = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    arm(moment)
    box = outbox.Outbox(path)
    box.send_due(outbox.MailSettings("127.0.0.1", port, security="none"))
    print("not killed")


if __name__ == "__main__":
    main()
