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
import dataclasses
import logging
import sqlite3
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from app.desk import Desk, Folder
from app.mailbox import ErrorCode, Mailbox, MailboxError, ProgressCallback
from app.model import Letter, Person
from app.storage import Notice
from app.validate import LetterNotice, SetAside

PRACTICE_FOLDER = "oefenpost"
#: The desk setting (per person) with the time of the last good sync of a server.
LAST_SYNC_SETTING = "sync.laatst"
log = logging.getLogger(__name__)


def _failure(error: Exception, what: str) -> MailboxError:
    """An error that is no MailboxError, kept as one. Logged by type and place
    only: its message may quote a row (sqlite3 does), with a name or a BSN."""
    frames = traceback.extract_tb(error.__traceback__)
    where = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    log.warning("%s failed: %s%s", what, type(error).__name__, where)
    code = (
        ErrorCode.STORAGE_FAILED
        if isinstance(error, sqlite3.Error | OSError)
        else ErrorCode.BAD_ANSWER
    )
    return MailboxError(code, f"{what}: {type(error).__name__}")


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
    #: letters that could not be read at the last sync, in the mailbox or on the
    #: desk, by id; they are not shown, nothing of them is deleted, and each sync
    #: tries them again. :meth:`letter_notice` tells the person.
    set_aside: list[SetAside] = field(default_factory=list)

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
        signed_in = person_id or DEFAULT_PERSON
        # The signed-in person is the holder: whatever this session asks about
        # someone else's post, the box checks against their mandates (issue 13).
        mailbox = PracticeMailbox(
            folder / "practice.sqlite3", person_id=signed_in, today=today, holder=signed_in
        )
        try:
            desk = Desk(folder, today=today)
        except BaseException:
            mailbox.close()
            raise
        try:
            person = mailbox.me()  # MailboxError when their record cannot be read
        except BaseException:
            desk.close()
            mailbox.close()
            raise
        session = cls(
            mailbox, desk, person, today, notices=list(mailbox.notices) + list(desk.notices)
        )
        if sync:
            session.sync()
        return session

    @classmethod
    def open_remote(
        cls,
        data_dir: Path,
        base_url: str,
        person_id: str,
        token: str,
        *,
        verify: bool | str = True,
        timeout: tuple[float, float] = (3.05, 15),
        today: Callable[[], date] = date.today,
        sync: bool = True,
    ) -> Session:
        """A Berichtenbox on a server (:class:`~app.mailbox.remote.RemoteMailbox`)
        with its own desk under ``data_dir/server-<hash of the address>``; read
        status that could not be sent waits in ``outbox.json`` beside it.

        MailboxError when the person cannot be asked of the server (UNREACHABLE,
        UNAUTHORIZED, ...): nothing is opened then.
        """
        import hashlib

        from app.mailbox.remote import RemoteMailbox
        from app.secrets import service_name

        key = hashlib.sha256(service_name(base_url).encode("utf-8")).hexdigest()[:16]
        folder = Path(data_dir) / f"server-{key}"
        mailbox = RemoteMailbox(
            base_url,
            person_id,
            token,
            verify=verify,
            timeout=timeout,
            outbox=folder / "outbox.json",
        )
        try:
            person = mailbox.me()
            desk = Desk(folder, today=today)
        except BaseException:
            mailbox.close()
            raise
        session = cls(mailbox, desk, person, today, notices=list(desk.notices))
        if sync:
            session.sync()
        return session

    def last_synced(self) -> datetime | None:
        """When the last good sync with a server ended (local time); None for the
        practice box or before the first. For "U ziet uw brieven van 10:42"
        (:func:`app.problems.offline_text`)."""
        value = self.desk.setting(self.person.id, LAST_SYNC_SETTING)
        if not value:
            return None
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return None

    @property
    def is_practice(self) -> bool:
        return self.mailbox.is_practice

    # -- through the mailbox (background helper only) --------------------------
    def sync(self, progress: ProgressCallback | None = None) -> int:
        """Fetch new letters onto the table; on failure keep what the desk has.

        Returns how many letters are new. A failure of any kind is kept in
        :attr:`sync_error` (and cleared by the next good sync), never raised;
        nothing on the desk is lost.

        A letter that cannot be read is set aside (:attr:`set_aside`). A desk
        row that cannot be read is asked of the mailbox again and mended in its
        place (table or folder); only when the mailbox cannot give it either
        does it stay set aside.
        """
        person_id = self.person.id
        on_desk: list[SetAside] = []
        try:
            on_desk = self._unreadable_on_desk(person_id)
            batch = self.mailbox.letters(
                person_id, since=self.desk.cursor(person_id), progress=progress
            )
        except Exception as error:
            self.sync_error = error if isinstance(error, MailboxError) else _failure(error, "sync")
            earlier = [s for s in self.set_aside if s.where != "desk"]
            self._keep_set_aside(earlier + self._named(on_desk))
            return 0
        letters = list(batch.letters)
        # LetterBatch has no place for them (app/mailbox/__init__.py): a mailbox
        # that checks its rows hands them on as ``set_aside``.
        from_mailbox: list[SetAside] = list(batch.set_aside)
        fetched = {letter.id for letter in letters}
        still: list[SetAside] = []
        for item in on_desk:
            if item.letter_id in fetched:
                continue  # this batch brings it again: the row is mended
            try:
                letters.append(self.mailbox.letter(person_id, item.letter_id))
            except Exception as error:
                if not isinstance(error, MailboxError):
                    _failure(error, "mend")
                still.append(item)
        try:
            new = self.desk.receive(person_id, letters, batch.cursor)
        except Exception as error:
            self.sync_error = _failure(error, "storing")
            self._keep_set_aside(from_mailbox + self._named(on_desk))
            return 0
        self.sync_error = None
        if not self.mailbox.is_practice:
            with contextlib.suppress(Exception):
                now = datetime.now().isoformat(timespec="seconds")
                self.desk.set_setting(person_id, LAST_SYNC_SETTING, now)
        self._keep_set_aside(from_mailbox + self._named(still))
        return new

    def _unreadable_on_desk(self, person_id: str) -> list[SetAside]:
        found: list[SetAside] = []
        self.desk.table(person_id, set_aside=found)
        self.desk.folders(person_id, set_aside=found)
        return found

    def _named(self, items: list[SetAside]) -> list[SetAside]:
        """Desk rows with the name of their organisation, when the mailbox knows it
        (never a name read from the damaged row itself)."""
        named = []
        for item in items:
            sender = ""
            if item.org_id:
                with contextlib.suppress(Exception):
                    sender = self.mailbox.organisation(item.org_id).name
            named.append(dataclasses.replace(item, sender=sender))
        return named

    def _keep_set_aside(self, items: list[SetAside]) -> None:
        seen: set[str] = set()
        self.set_aside = []
        for item in items:
            if item.letter_id not in seen:
                seen.add(item.letter_id)
                self.set_aside.append(item)
                log.warning(
                    "letter %s set aside (%s): field %s unreadable",
                    item.letter_id,
                    item.where,
                    item.field,
                )

    def letter_notice(self) -> LetterNotice | None:
        """What to tell the person about letters that could not be read (None:
        nothing). Words: :func:`app.validate.unreadable_letters_text`."""
        if not self.set_aside:
            return None
        senders: list[str] = []
        for item in self.set_aside:
            if item.sender and item.sender not in senders:
                senders.append(item.sender)
        return LetterNotice("unreadable-letters", len(self.set_aside), tuple(senders))

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
