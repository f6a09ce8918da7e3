"""A session: one mailbox, one desk and whose post is on the table.

The UI is built on a :class:`Session`; it never opens files or networks itself.

Two kinds of method, and the UI keeps them apart:

* **desk only** (``table``, ``letter``, ``put_away``, ``undo``, settings): a
  local SQLite file, fast; the screens call them directly.
* **through the mailbox** (``sync``, ``open_letter`` and every
  ``session.mailbox`` call): may wait on a network, so the screens call them
  only through the background helper (``ui/shell/tasks.py``), never on the
  GUI thread.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from app.desk import Desk, Folder
from app.mailbox import Mailbox, MailboxError, ProgressCallback
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
    #: set when the last sync failed; the table still shows what the desk has,
    #: and the window says so (ui/shell/main_window.py).
    sync_error: MailboxError | None = None

    @classmethod
    def open_practice(
        cls,
        data_dir: Path,
        *,
        person_id: str | None = None,
        today: Callable[[], date] = date.today,
        sync: bool = True,
    ) -> Session:
        """The embedded practice mailbox with its own desk under ``data_dir/oefenpost``.

        ``sync=False`` leaves fetching to the caller (the window does it in
        the background).
        """
        from app.mailbox.practice import DEFAULT_PERSON, PracticeMailbox

        folder = Path(data_dir) / PRACTICE_FOLDER
        mailbox = PracticeMailbox(
            folder / "practice.sqlite3", person_id=person_id or DEFAULT_PERSON, today=today
        )
        desk = Desk(folder, today=today)
        session = cls(
            mailbox, desk, mailbox.me(), today, notices=list(mailbox.notices) + list(desk.notices)
        )
        if sync:
            session.sync()
        return session

    @property
    def is_practice(self) -> bool:
        return self.mailbox.is_practice

    # -- through the mailbox (background helper only) --------------------------
    def sync(self, progress: ProgressCallback | None = None) -> int:
        """Fetch new letters onto the table; on failure keep what the desk has.

        Returns how many letters are new. A failure is kept in
        :attr:`sync_error` (and cleared by the next good sync); nothing on the
        desk is lost.
        """
        person_id = self.person.id
        try:
            batch = self.mailbox.letters(
                person_id, since=self.desk.cursor(person_id), progress=progress
            )
        except MailboxError as error:
            self.sync_error = error
            return 0
        self.sync_error = None
        return self.desk.receive(person_id, batch.letters, batch.cursor)

    def open_letter(self, letter_id: str) -> Letter:
        """The letter, marked as read. It stays on the table.

        Read is kept on the desk first; when the mailbox cannot be told now,
        it hears of it at the next open.
        """
        person_id = self.person.id
        letter = self.desk.letter(person_id, letter_id)
        if not letter.read:
            self.desk.mark_read(person_id, letter_id)
            # Read locally; the mailbox hears of it next time.
            with contextlib.suppress(MailboxError):
                self.mailbox.mark_read(person_id, letter_id)
        return self.desk.letter(person_id, letter_id)

    # -- desk only ---------------------------------------------------------------
    def table(self) -> list[Letter]:
        return self.desk.table(self.person.id)

    def letter(self, letter_id: str) -> Letter:
        return self.desk.letter(self.person.id, letter_id)

    def is_on_table(self, letter_id: str) -> bool:
        return self.desk.is_on_table(self.person.id, letter_id)

    def folders(self) -> list[Folder]:
        return self.desk.folders(self.person.id)

    def put_away(self, letter_id: str) -> int:
        return self.desk.put_away(self.person.id, letter_id)

    def lay_back(self, letter_id: str) -> int:
        return self.desk.lay_back(self.person.id, letter_id)

    def undo(self, action_id: int | None = None) -> str | None:
        return self.desk.undo(self.person.id, action_id)

    def setting(self, key: str, default: str | None = None) -> str | None:
        return self.desk.setting(self.person.id, key, default)

    def set_setting(self, key: str, value: str) -> None:
        self.desk.set_setting(self.person.id, key, value)

    def close(self) -> None:
        self.desk.close()
        self.mailbox.close()
