"""The table as a model: one row per letter on the desk, with named roles."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date

from PySide6.QtCore import QAbstractListModel, QByteArray, QModelIndex, QPersistentModelIndex, Qt

from app.model import Letter, Urgency, urgency
from app.plain import action_label, deadline_phrase, format_date, letter_sentence
from app.storage import StoreError

_Index = QModelIndex | QPersistentModelIndex

SHOWN_CHARS = 300  # sender text in a small place: a card, a folder row, a title
LONGEST = 12  # the cards make room for the longest of these summaries (measured)


def shown(text: str, limit: int = SHOWN_CHARS) -> str:
    """Sender text for a small place: one line (every run of white space one space),
    at most ``limit`` characters, with "…" where it was cut. A 1 MB subject costs
    nothing here; the whole text stays in the letter itself (the letter screen)."""
    head = text[: limit * 4 + 16]  # a little more than fits: 1 MB costs nothing here
    line = " ".join(head.split())
    if len(line) <= limit and (len(head) == len(text) or not text[len(head) :].strip()):
        return line
    return line[: limit - 1].rstrip() + "…"


def plain_tooltip(text: str) -> str:
    """A tooltip that shows ``text`` literally: Qt reads a tooltip as rich text when
    it looks like HTML, so the text is escaped inside an explicit rich-text span."""
    import html  # on hovering only: html and its entities are not loaded at start

    return f"<qt>{html.escape(text, quote=False)}</qt>" if text else ""


Fetch = Callable[[list[str]], dict[str, Letter]]
#: (offset, limit) -> the next (id, rev) rows of a list that is held a page at a time
More = Callable[[int, int], list[tuple[str, int]]]
PAGE = 64  # letters fetched at once when a card not yet fetched is shown
ROWS = 100  # rows (ids) held at first and added at a time when the list scrolls on
CACHE_LETTERS = 4000  # fetched letters kept; beyond this the cache starts again


def _longest(summaries) -> list[str]:
    return sorted({shown(x) for x in summaries}, key=len, reverse=True)[:LONGEST]


class LetterTableModel(QAbstractListModel):
    """Letters in the order given (on the table: what needs doing first on top).

    The model holds ids; a letter is fetched when a card is first shown, a page
    of rows at a time, into a cache (as Anki's browser table does), so a table
    of ten thousand letters costs only the cards in sight. Given ``more`` and a
    ``total``, it holds only the first rows' ids and asks for the next ones when
    the list scrolls on (``canFetchMore``/``fetchMore``), so the list lays out a
    page, not ten thousand rows. :meth:`set_ids` changes only the rows that
    changed: a letter put away is one removed row, a letter read one redrawn
    card. Texts are computed on demand and cached.
    """

    IdRole = Qt.ItemDataRole.UserRole + 1
    LetterRole = Qt.ItemDataRole.UserRole + 2
    SenderRole = Qt.ItemDataRole.UserRole + 3
    SummaryRole = Qt.ItemDataRole.UserRole + 4
    ActionRole = Qt.ItemDataRole.UserRole + 5
    DeadlineRole = Qt.ItemDataRole.UserRole + 6  # "uiterlijk 3 december · nog 5 dagen"
    NewRole = Qt.ItemDataRole.UserRole + 7
    UrgencyRole = Qt.ItemDataRole.UserRole + 8

    def __init__(self, today: Callable[[], date] = date.today, parent=None):
        super().__init__(parent)
        self._today = today
        self._ids: list[str] = []
        self._revs: dict[str, int] = {}
        self._rows: dict[str, int] | None = {}  # id -> row, made again when asked
        self._fetch: Fetch | None = None
        self._more: More | None = None
        self._total = 0  # rows there are (held or not)
        self._fetching = False
        self._source: object = None
        self._letters: dict[str, Letter] = {}  # the cache of fetched letters
        self._cache: dict[str, dict[int, object]] = {}  # id -> role -> text
        self._day: date | None = None
        #: the longest summaries the cards show: the cards reserve room for them
        self.longest_summaries: list[str] = []

    def set_letters(self, letters: list[Letter]) -> None:
        """Show these letters, in this order (all of them already at hand)."""
        self.beginResetModel()
        self._ids = [x.id for x in letters]
        self._revs = {}
        self._rows = None
        self._fetch, self._source = None, None
        self._more, self._total = None, len(letters)
        self._letters = {x.id: x for x in letters}
        self._cache.clear()
        self.longest_summaries = _longest(x.summary for x in letters)
        self.endResetModel()

    def set_ids(
        self,
        rows: list[tuple[str, int]],
        fetch: Fetch,
        *,
        source: object,
        longest: list[str] | None = None,
        total: int | None = None,
        more: More | None = None,
    ) -> None:
        """Show the letters of these (id, rev) rows, in this order; ``fetch(ids)``
        gives the letters when their cards are shown. From the same ``source``
        (whose letters these are) only what changed changes: rows that went are
        removed, new ones inserted, a card whose ``rev`` changed redrawn; from
        another source the model starts again. ``rows`` may be the first of
        ``total`` rows; ``more(offset, limit)`` then gives the next ones."""
        ids = list(dict.fromkeys(i for i, _rev in rows))
        revs = dict(rows)
        self._more = more
        self._total = max(len(ids), total if total is not None else len(ids))
        if longest is not None:
            self.longest_summaries = _longest(longest)
        day = self._today()
        if day != self._day:  # "nog 5 dagen" is true today
            self._day = day
            self._cache.clear()
        if source != self._source or self._fetch is None or not self._ids:
            self.beginResetModel()
            self._ids, self._revs, self._rows = ids, revs, None
            self._fetch, self._source = fetch, source
            self._letters.clear()
            self._cache.clear()
            self.endResetModel()
            return
        self._fetch = fetch
        self._apply(ids)
        self._ids = ids
        changed = [i for i, rev in revs.items() if self._revs.get(i, rev) != rev]
        self._revs = revs
        for letter_id in changed:
            self._forget(letter_id)
            row = self.row_of(letter_id)
            if row >= 0:
                self.dataChanged.emit(self.index(row), self.index(row))

    def _apply(self, ids: list[str]) -> None:
        """Go from the rows held to ``ids`` by removing and inserting only the
        rows that differ (a put-away: one row removed; read: one row moved)."""
        old = self._ids
        if old == ids:
            return
        if not old:  # the first fill: what SequenceMatcher says, without difflib at start
            ops: Sequence[tuple[str, int, int, int, int]] = [("insert", 0, 0, 0, len(ids))]
        else:
            from difflib import SequenceMatcher

            ops = SequenceMatcher(None, old, ids, autojunk=False).get_opcodes()
        now = list(old)
        for tag, i1, i2, j1, j2 in reversed(ops):  # from the end: earlier rows keep their place
            if tag in ("delete", "replace"):
                for letter_id in now[i1:i2]:
                    self._forget(letter_id)
                self.beginRemoveRows(QModelIndex(), i1, i2 - 1)
                del now[i1:i2]
                self._ids, self._rows = list(now), None
                self.endRemoveRows()
            if tag in ("insert", "replace"):
                self.beginInsertRows(QModelIndex(), i1, i1 + j2 - j1 - 1)
                now[i1:i1] = ids[j1:j2]
                self._ids, self._rows = list(now), None
                self.endInsertRows()

    # -- the rows not yet held (a page at a time, as the list scrolls on) -----
    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: N802 - Qt API
        return not parent.isValid() and self._more is not None and len(self._ids) < self._total

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: N802 - Qt API
        if self._fetching or not self.canFetchMore(parent) or self._more is None:
            return  # (a view asking again while rows are being inserted: once is enough)
        try:
            rows = self._more(len(self._ids), ROWS)
        except StoreError:  # the desk was closed (a window left behind)
            rows = []
        held = set(self._ids)
        new = [(i, rev) for i, rev in rows if i not in held]
        if not new:  # the desk holds fewer than it said: the list ends here
            self._total = len(self._ids)
            return
        first = len(self._ids)
        self._fetching = True
        try:
            self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
            self._ids = self._ids + [i for i, _rev in new]
            self._revs.update(new)
            self._rows = None
            self.endInsertRows()
        finally:
            self._fetching = False

    def total(self) -> int:
        """How many rows there are, held or not."""
        return self._total

    def held(self) -> int:
        """How many rows the model holds now (the rest come as the list scrolls)."""
        return len(self._ids)

    def _all_ids(self) -> list[str]:
        ids = list(self._ids)
        if self._more is not None and len(ids) < self._total:
            with contextlib.suppress(StoreError):  # a closed desk: what is at hand
                held = set(ids)
                rest = self._more(len(ids), self._total - len(ids))
                ids += [i for i, _rev in rest if i not in held]
        return ids

    def _forget(self, letter_id: str) -> None:
        self._letters.pop(letter_id, None)
        self._cache.pop(letter_id, None)

    def retranslate(self) -> None:
        """Texts depend on the language: drop the cache and repaint."""
        self._cache.clear()
        if self._ids:
            self.dataChanged.emit(self.index(0), self.index(len(self._ids) - 1))

    def ids(self) -> list[str]:
        """Every id of the list, also those not held yet."""
        return self._all_ids()

    def letter_at(self, row: int) -> Letter | None:
        """The letter of this row, fetched now if it was not yet (None when its
        row on the desk can no longer be read)."""
        letter_id = self._ids[row]
        letter = self._letters.get(letter_id)
        if letter is None and self._fetch is not None:
            if len(self._letters) > CACHE_LETTERS:
                self._letters.clear()
                self._cache.clear()
            page = self._ids[max(0, row - PAGE // 4) : row + PAGE]
            try:
                self._letters.update(self._fetch([i for i in page if i not in self._letters]))
            except StoreError:  # the desk was closed (a window left behind): no card
                return None
            letter = self._letters.get(letter_id)
        return letter

    def letters(self) -> list[Letter]:
        """Every letter of the list (also those not held yet), fetched now (for a
        print); the ones not held are not kept."""
        ids = self._all_ids()
        found = dict(self._letters)
        wanted = [i for i in ids if i not in found]
        if wanted and self._fetch is not None:
            with contextlib.suppress(StoreError):  # a closed desk: what is at hand
                found.update(self._fetch(wanted))
        return [found[i] for i in ids if i in found]

    def row_of(self, letter_id: str) -> int:
        if self._rows is None:
            self._rows = {x: n for n, x in enumerate(self._ids)}
        return self._rows.get(letter_id, -1)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self._ids)

    def roleNames(self) -> dict[int, QByteArray]:  # noqa: N802 - Qt API
        names = super().roleNames()
        for role, name in (
            (self.IdRole, b"letterId"),
            (self.SenderRole, b"sender"),
            (self.SummaryRole, b"summary"),
            (self.ActionRole, b"action"),
            (self.DeadlineRole, b"deadline"),
            (self.NewRole, b"isNew"),
            (self.UrgencyRole, b"urgency"),
        ):
            names[role] = QByteArray(name)
        return names

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        row = index.row()
        if role == self.IdRole:
            return self._ids[row]
        letter = self.letter_at(row)
        if letter is None:  # gone or unreadable since the list was made: an empty card
            return "" if role in _TEXT_ROLES else None
        if role == self.LetterRole:
            return letter
        if role == self.SenderRole:
            return shown(letter.sender)
        if role == self.SummaryRole:
            return shown(letter.summary)
        if role == self.NewRole:
            return not letter.read
        if role == self.UrgencyRole:
            return int(urgency(letter, self._today()))
        if role in _CACHED_ROLES:
            texts = self._cache.setdefault(letter.id, {})
            if role not in texts:
                texts[role] = self._text(letter, role)
            return texts[role]
        return None

    def _text(self, letter: Letter, role: int) -> str:
        today = self._today()
        if role == self.ActionRole:
            return action_label(letter.action)
        if role == self.DeadlineRole:
            if letter.deadline is None:
                return ""
            when = format_date(letter.deadline, "d MMMM")
            return f"{when} · {deadline_phrase(letter.deadline, today)}"
        # The card as one sentence, from the bounded texts the card shows.
        bounded = replace(letter, sender=shown(letter.sender), summary=shown(letter.summary))
        sentence = letter_sentence(bounded, today)
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(sentence)
        return sentence

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


_CACHED_ROLES = (
    Qt.ItemDataRole.DisplayRole,
    Qt.ItemDataRole.AccessibleTextRole,
    Qt.ItemDataRole.ToolTipRole,
    LetterTableModel.ActionRole,
    LetterTableModel.DeadlineRole,
)
_TEXT_ROLES = (*_CACHED_ROLES, LetterTableModel.SenderRole, LetterTableModel.SummaryRole)


__all__ = ["LetterTableModel", "Urgency", "plain_tooltip", "shown"]
