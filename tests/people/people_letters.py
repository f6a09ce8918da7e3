"""Letters of our own for the people of the mandate stories (issue 13).

The practice box has letters for them too; these tests put a few more in the
real box, with ids of their own ("t-..."), received days and deadlines that the
tests know: for Sanne, Piet's ten clients, Willem and Gerda, with the box's own
``deliver`` (as the server's /aanmeldingen does), before the session opens it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from app.mailbox.practice import PracticeMailbox
from app.session import PRACTICE_FOLDER

#: the day of tests/conftest.py
TODAY = date(2026, 11, 28)

PIETS_CLIENTS = (
    "wim",
    "fatima",
    "henk",
    "truus",
    "mohamed",
    "ans",
    "gerrit",
    "yvonne",
    "dirk",
    "marja",
)


def letter(
    letter_id: str,
    recipient: str,
    org: str,
    *,
    days_ago: int = 3,
    deadline: int | None = 10,
    summary: str = "U moet iets betalen.",
    read: bool = False,
) -> dict:
    return {
        "id": f"t-{letter_id}",
        "recipient": recipient,
        "org": org,
        "subject": f"Brief {letter_id}",
        "summary": summary,
        "action": "betalen" if deadline is not None else "lezen",
        "berichtType": "betaalverzoek",
        "received_days_ago": days_ago,
        "deadline_in_days": deadline,
        "amount_cents": 4200 if deadline is not None else None,
        "reference": f"KENMERK-{letter_id}",
        "phone": "088 123 45 67",
        "read": read,
        "what_to_do": "Betaal het bedrag op tijd.",
        "body": "Geachte heer/mevrouw,\n\nDit is een oefenbrief.\n\nMet vriendelijke groet",
    }


def letters() -> list[dict]:
    out = [
        letter("sanne-001", "sanne", "belastingdienst", deadline=6),
        letter(
            "sanne-002", "sanne", "gemeente", deadline=None, summary="Uw nieuwe pas ligt klaar."
        ),
        # Monique's own post (a helper has letters of her own too)
        letter("monique-001", "monique", "gemeente", deadline=None, summary="Uw pas ligt klaar."),
        # Willem: Ingrid reads SVB and pension letters only
        letter("willem-001", "willem", "svb", deadline=None, summary="Uw AOW gaat omhoog."),
        letter("willem-002", "willem", "belastingdienst", deadline=20),
        # Gerda: Ali's mandate ended 6 days ago; one letter before, one after
        letter("gerda-001", "gerda", "gemeente", days_ago=20, deadline=None),
        letter("gerda-002", "gerda", "cjib", days_ago=2, deadline=12),
    ]
    for n, client in enumerate(PIETS_CLIENTS):
        # each client one bill, deadlines spread (client n: 2 + 3n days; dirk late)
        out.append(letter(f"{client}-001", client, "cjib", deadline=2 + 3 * n))
        out.append(letter(f"{client}-002", client, "belastingdienst", deadline=30 + n))
    out.append(letter("dirk-003", "dirk", "uwv", days_ago=40, deadline=-2))
    return out


def give_letters(data_dir: Path, today: Callable[[], date]) -> None:
    """Make the practice box under ``data_dir`` (as Session.open_practice does)
    and deliver the letters of the stories into it."""
    folder = Path(data_dir) / PRACTICE_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    box = PracticeMailbox(folder / "practice.sqlite3", person_id="koen", today=today)
    try:
        for record in letters():
            box.deliver(record)
    finally:
        box.close()
