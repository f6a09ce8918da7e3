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
from typing import TYPE_CHECKING

from app import mandates as mnd
from app.desk import Desk
from app.mailbox import ErrorCode, Mailbox, MailboxError, ProgressCallback
from app.model import Letter, Person
from app.storage import Notice
from app.validate import LetterNotice

if TYPE_CHECKING:
    from app.desk_rows import Folder, Handler
    from app.set_aside import SetAside

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


def _explained(letters: list[Letter]) -> list[Letter]:
    """The letters as the desk keeps them: one that came without a summary and
    without a "what to do" gets them from the rules (issue 15, app/explain);
    its subject and text stay as they came, a letter with its own keeps it."""
    from app.explain import explained

    return [explained(letter) for letter in letters]


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
    #: the signed-in person (see :attr:`holder`); None: the same as ``person``
    signed_in: Person | None = None
    #: what :meth:`load_people` last heard of the mailbox (issue 13): whose post
    #: the holder may see (holder first), the grants the holder is part of, the
    #: areas, and the names of the people in them. :mod:`app.people` reads them.
    people_known: list[Person] = field(default_factory=list)
    grants_known: tuple[mnd.Mandate | mnd.LegalRepresentation, ...] = ()
    areas_known: mnd.Areas = field(default_factory=lambda: mnd.Areas(frozenset(), frozenset()))
    names_known: dict[str, str] = field(default_factory=dict)
    #: per person (not the one shown) the last sync's failure, by person id
    people_errors: dict[str, MailboxError] = field(default_factory=dict)

    @property
    def holder(self) -> Person:
        """The signed-in person, whose rights the mailbox checks. ``person`` is
        whose post is shown; they are the same for someone who acts only for
        themself, and after signing in."""
        return self.signed_in or self.person

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
            folder / "practice.sqlite3",
            person_id=signed_in,
            today=today,
            holder=signed_in,
            story_letters=True,
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
        session.signed_in = person
        session.load_people()
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
        session.signed_in = person
        session.load_people()
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
            new = self.desk.receive(person_id, _explained(letters), batch.cursor)
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
        self._sync_others()
        return new

    def _sync_others(self) -> None:
        """After the shown person: everyone else the holder acts for, so the
        overview (desk only) is current. A failure for one of them is kept in
        :attr:`people_errors` (logged by code only) and stops nobody else."""
        if len(self.people_known) < 2:
            return
        with contextlib.suppress(Exception):
            self.load_people()
        for person in self.people_known:
            if person.id == self.person.id:
                continue
            try:
                batch = self.mailbox.letters(person.id, since=self.desk.cursor(person.id))
                self.desk.receive(person.id, _explained(list(batch.letters)), batch.cursor)
            except Exception as error:
                failure = error if isinstance(error, MailboxError) else _failure(error, "sync")
                log.info("sync of someone represented failed: %s", failure.code)
                self.people_errors[person.id] = failure
            else:
                self.people_errors.pop(person.id, None)

    def load_people(self) -> None:
        """Ask the mailbox whose post the holder may see and under which grants
        (a mailbox call: at open and at each sync). A mailbox that knows no
        mandates (a server as yet) gives the people only; on failure what was
        known stays, and at least the holder."""
        holder = self.holder
        try:
            people = list(self.mailbox.people())
        except Exception as error:
            if not isinstance(error, MailboxError):
                _failure(error, "people")
            self.people_known = self.people_known or [holder]
            return
        if not any(p.id == holder.id for p in people):
            people.insert(0, holder)
        grants_of = getattr(self.mailbox, "grants", None)
        names_of = getattr(self.mailbox, "names", None)
        # On a failure to read the grants, the grants known before stay.
        grants: tuple[mnd.Mandate | mnd.LegalRepresentation, ...] = tuple(self.grants_known)
        areas = self.areas_known
        names = {p.id: p.name for p in people}
        if callable(grants_of):
            try:
                found = grants_of()
                grants = (*found.representations, *found.mandates)
                areas = found.areas
                if callable(names_of):
                    names.update(names_of(holder.id))
            except MailboxError as error:
                log.info("grants could not be read: %s", error.code)
        self.people_known = people
        self.grants_known = grants
        self.areas_known = areas
        self.names_known = names
        if not any(p.id == self.person.id for p in people):
            self.person = holder  # no longer represented: back to one's own post

    def access_log_lines(self) -> list[str]:
        """ "Wie heeft mijn post bekeken?" for the person whose post is shown, in
        plain words, newest first (:func:`app.mandates.access_log_lines`). A
        helper reads only their own accesses. A mailbox call. MailboxError
        ``forbidden`` from a mailbox that keeps no log."""
        read_log = getattr(self.mailbox, "access_log", None)
        if not callable(read_log):
            raise MailboxError(ErrorCode.FORBIDDEN, "no-access-log")
        person_id = self.person.id
        entries = read_log(person_id)
        names = dict(self.names_known)
        names_of = getattr(self.mailbox, "names", None)
        if callable(names_of):
            with contextlib.suppress(MailboxError):
                names.update(names_of(person_id))
        organisations = {o.id: o.name for o in self.mailbox.organisations()}
        return mnd.access_log_lines(
            entries, person_id, names=names, organisations=organisations, today=self.today()
        )

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
        if self.acts_for_someone_else:
            # A helper: the service checks every look and writes it in the
            # person's log (it never marks the letter read for the person).
            # Refused (the mandate ended, was revoked...): the letter is not shown.
            try:
                self.mailbox.mark_read(person_id, letter_id)
            except MailboxError as error:
                if error.code == ErrorCode.FORBIDDEN:
                    raise
            if not letter.read:
                self.desk.mark_read(person_id, letter_id)
        elif not letter.read:
            self.desk.mark_read(person_id, letter_id)
            # Read locally; the mailbox hears of it next time.
            with contextlib.suppress(MailboxError):
                self.mailbox.mark_read(person_id, letter_id)
        with contextlib.suppress(Exception):
            self.desk.set_looked(person_id, self._now())
        return self.desk.letter(person_id, letter_id)

    def _now(self) -> datetime:
        """Now, on the day this session counts by (``today``): the overview counts
        the days since someone looked from that same day (app/people.py)."""
        now = datetime.now()
        day = self.today()
        return now if day == now.date() else datetime.combine(day, now.time())

    # -- desk only ---------------------------------------------------------------
    @property
    def acts_for_someone_else(self) -> bool:
        """Whether the post shown is someone else's than the holder's."""
        return self.person.id != self.holder.id

    def switch_person(self, person_id: str) -> Person:
        """Show the post of someone the holder may see (desk only; the caller
        then runs :meth:`sync` in the background). MailboxError ``forbidden``
        with a reason code when the holder does not act for them."""
        for person in self.people_known or [self.holder]:
            if person.id == person_id:
                self.person = person
                self.sync_error = None
                self.set_aside = []
                return person
        raise MailboxError(ErrorCode.FORBIDDEN, mnd.Reason.NO_MANDATE.value)

    def may_act(self) -> bool:
        """Whether the holder may put away (and ask paper for) the post shown, as
        far as the desk knows: False for a read-only or ended mandate. The
        service decides each act anyway; this is for the screen."""
        from app.people import find

        item = find(self, self.person.id)
        return item is not None and item.can_act

    def set_handler(self, letter_id: str, name: str, note: str = "") -> None:
        """Who handles this letter of the person shown, with a short note (an
        empty name clears it). KeyError for a letter not on the desk."""
        self.desk.set_handler(self.person.id, letter_id, name, note)

    def handler(self, letter_id: str) -> Handler | None:
        return self.desk.handler(self.person.id, letter_id)

    def handlers(self) -> dict[str, Handler]:
        """Who handles which letter of the person shown, by letter id."""
        return self.desk.handlers(self.person.id)

    def table(self) -> list[Letter]:
        return self.desk.table(self.person.id)

    def letter(self, letter_id: str) -> Letter:
        return self.desk.letter(self.person.id, letter_id)

    def is_on_table(self, letter_id: str) -> bool:
        return self.desk.is_on_table(self.person.id, letter_id)

    def folders(self) -> list[Folder]:
        return self.desk.folders(self.person.id)

    def put_away(self, letter_id: str) -> int:
        """Put the letter away (desk only for one's own post). For someone else's
        post the service is asked first (a mailbox call: from the background
        helper then): MailboxError ``forbidden`` with ``read-only`` (or another
        reason) and the desk does not move it; allowed, it is in their log."""
        if self.acts_for_someone_else:
            put_away = getattr(self.mailbox, "put_away", None)
            if callable(put_away):
                put_away(self.person.id, letter_id)
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
