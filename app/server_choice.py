"""Which Berichtenbox Brieventafel uses: the practice box, or a server.

``brieventafel --server URL`` chooses for one start; the settings screen can
remember a choice in the data folder (``berichtenbox.json``, 0600, written
atomically), which the next start without ``--server`` uses. Only the address
and the person's id are kept: the sign-in token lives in the keyring alone.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from app.lazy import names as lazy_names

if TYPE_CHECKING:
    from app.server_choice_record import Choice as Choice

FILE = "berichtenbox.json"
#: hosts where a server may speak plain http: this computer only
LOOPBACK = ("127.0.0.1", "::1", "localhost")


# made when first asked for (app/server_choice_record.py): a start on the
# practice box remembers no server, and a frozen dataclass costs about 1 ms
__getattr__ = lazy_names(__name__, {"Choice": "app.server_choice_record"})


def address_problem(url: str) -> str | None:
    """A server address must be https, except on this computer itself (tests, a
    server started for trying out): a letter never travels the network unencrypted.
    None when the address can be used, else the plain words why not."""
    from app.i18n import gettext as _

    parts = urlsplit(url.strip())
    if parts.scheme == "https" and parts.hostname:
        return None
    if parts.scheme == "http" and parts.hostname in LOOPBACK:
        return None
    return _(
        "Dit serveradres kunnen wij niet gebruiken: %(url)s. "
        "Het begint met https://, bijvoorbeeld https://post.example.nl."
    ) % {"url": url}


def load(data_dir: Path) -> Choice | None:
    """The remembered server, or None (the practice box; also for a file that
    cannot be read or holds something odd: the practice box is always safe)."""
    try:
        raw = json.loads((Path(data_dir) / FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(raw, dict):
        return None
    server, person = raw.get("server"), raw.get("person")
    if not isinstance(server, str) or not isinstance(person, str) or not person.strip():
        return None
    if address_problem(server) is not None or len(server) > 2000 or len(person) > 200:
        return None
    from app.server_choice_record import Choice

    return Choice(server.strip(), person.strip())


def save(data_dir: Path, choice: Choice | None) -> None:
    """Remember ``choice`` for the next start; None: the practice box again."""
    target = Path(data_dir) / FILE
    if choice is None:
        target.unlink(missing_ok=True)
        return
    body = json.dumps({"server": choice.server, "person": choice.person}, ensure_ascii=False)
    from app.paths import write_atomically

    write_atomically(target, body)


__all__ = ["Choice", "FILE", "address_problem", "load", "save"]
