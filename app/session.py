"""A session: one mailbox, one desk and whose post is on the table.

The UI is built on a :class:`Session`; it never opens files or networks itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from app.desk import Desk
from app.mailbox import Mailbox, MailboxError
from app.model import Letter, Person
from app.storage import Notice

PRACTICE_FOLDER = "oefenpost"


@dataclass
class Session:
    mailbox: Mailbox
    desk: Desk
    person: Person
    today: Callable[[], date] = date.today
    notices: list[Notice] = field(default_factory=list)
    #: set when the last sync failed; the table still shows what the desk has.
    sync_error: MailboxError | None = None

    @classmethod
    def open_practice(cls, data_dir: Path, *, person_id: str | None = None,
                      today: Callable[[], date] = date.today) -> Session:
        """The embedded practice mailbox with its own desk under ``data_dir/oefenpost``."""
        from app.mailbox.practice import DEFAULT_PERSON, PracticeMailbox

        folder = Path(data_dir) / PRACTICE_FOLDER
        mailbox = PracticeMailbox(folder / "practice.sqlite3",
                                  person_id=person_id or DEFAULT_PERSON, today=today)
        desk = Desk(folder, today=today)
        session = cls(mailbox, desk, mailbox.me(), today,
                      notices=list(mailbox.notices) + list(desk.notices))
        session.sync()
        return session

    @property
    def is_practice(self) -> bool:
        return self.mailbox.is_practice

    def sync(self) -> int:
        """Fetch new letters onto the table; on failure keep what the desk has."""
        try:
            new = self.desk.sync(self.mailbox, self.person.id)
        except MailboxError as error:
            self.sync_error = error
            return 0
        self.sync_error = None
        return new

    def table(self) -> list[Letter]:
        return self.desk.table(self.person.id)

    def open_letter(self, letter_id: str) -> Letter:
        """The letter, marked as read. It stays on the table."""
        letter = self.desk.letter(letter_id)
        if not letter.read:
            try:
                self.desk.mark_read(letter_id, self.mailbox)
            except MailboxError:
                pass  # read locally; the mailbox hears of it next time
        return self.desk.letter(letter_id)

    def close(self) -> None:
        self.desk.close()
        close = getattr(self.mailbox, "close", None)
        if close:
            close()
