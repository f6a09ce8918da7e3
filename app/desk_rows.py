"""What the desk gives besides letters: a folder of put-away letters, and who
handles a letter.

Made when first asked for (``from app.desk import Folder`` works as before):
the table's first frame needs neither, and each frozen dataclass costs about
1 ms to make (issue 14).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.model import Letter


@dataclass(frozen=True)
class Handler:
    """Who handles a letter (a helper's name), a short note, and since when."""

    name: str
    note: str
    at: str


@dataclass(frozen=True)
class Folder:
    """Put-away letters of one organisation in one year."""

    org_id: str
    sender: str
    year: int
    letters: list[Letter]
