"""One line of the helpers' overview (:func:`app.people.overview`).

Made when the overview first needs it (``app.people.OverviewRow`` works as
before): a start that shows the table never does, and a frozen dataclass costs
about 1 ms to make (issue 14).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.model import Person
    from app.people import Represented


@dataclass(frozen=True)
class OverviewRow:
    """One line of the overview: a person and how their table stands."""

    represented: Represented
    on_table: int
    unread: int
    nearest_deadline: date | None
    #: whole days since anyone opened a letter of theirs on this desk (None: never)
    days_since_looked: int | None
    ended: bool
    ends_soon: bool

    @property
    def person(self) -> Person:
        return self.represented.person
