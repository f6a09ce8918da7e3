"""A letter that could not be read and is not shown (:mod:`app.validate` says
what went wrong, :func:`app.validate.unreadable_letters_text` tells the person).

Made when first asked for (``from app.validate import SetAside`` works as
before): a start sets nothing aside, and a frozen dataclass costs about 1 ms to
make (issue 14).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SetAside:
    """A letter that could not be read and is not shown.

    ``letter_id`` is its id (or ``#<row>`` when even that was unreadable),
    ``org_id`` its organisation where still known, ``field`` what could not
    be read (for developers), ``where`` "mailbox" or "desk", ``sender`` the
    name of a known organisation (never text from the damaged row itself).
    Nothing is deleted: the row stays where it was.
    """

    letter_id: str
    org_id: str = ""
    field: str = ""
    where: str = ""
    sender: str = ""
