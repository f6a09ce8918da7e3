"""A remembered Berichtenbox: the server's address and the person's id
(:mod:`app.server_choice` reads and writes it).

Made when first asked for (``from app.server_choice import Choice`` works as
before): a start on the practice box remembers none, and a frozen dataclass
costs about 1 ms to make (issue 14).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Choice:
    server: str
    person: str
