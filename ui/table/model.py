"""The table as a model: one row per letter on the desk, with named roles."""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import replace
from datetime import date

from PySide6.QtCore import QAbstractListModel, QByteArray, QModelIndex, QPersistentModelIndex, Qt

from app.model import Letter, Urgency, urgency
from app.plain import action_label, deadline_phrase, format_date, letter_sentence

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
    return f"<qt>{html.escape(text, quote=False)}</qt>" if text else ""


class LetterTableModel(QAbstractListModel):
    """Letters on the table in the order given (what needs doing first on top).

    Texts are computed on demand for the rows the view shows and cached, so a
    table of thousands of letters costs nothing until it is scrolled.
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
        self._letters: list[Letter] = []
        self._cache: dict[tuple[int, int], object] = {}
        #: the longest summaries the cards show: the cards reserve room for them
        self.longest_summaries: list[str] = []

    def set_letters(self, letters: list[Letter]) -> None:
        self.beginResetModel()
        self._letters = list(letters)
        self._cache.clear()
        summaries = {shown(x.summary) for x in self._letters}
        self.longest_summaries = sorted(summaries, key=len, reverse=True)[:LONGEST]
        self.endResetModel()

    def retranslate(self) -> None:
        """Texts depend on the language: drop the cache and repaint."""
        self._cache.clear()
        if self._letters:
            self.dataChanged.emit(self.index(0), self.index(len(self._letters) - 1))

    def letter_at(self, row: int) -> Letter:
        return self._letters[row]

    def row_of(self, letter_id: str) -> int:
        return next((i for i, letter in enumerate(self._letters) if letter.id == letter_id), -1)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self._letters)

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
        if not index.isValid() or not 0 <= index.row() < len(self._letters):
            return None
        letter = self._letters[index.row()]
        if role == self.IdRole:
            return letter.id
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
        if role in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.AccessibleTextRole,
            Qt.ItemDataRole.ToolTipRole,
            self.ActionRole,
            self.DeadlineRole,
        ):
            key = (index.row(), int(role))
            if key not in self._cache:
                self._cache[key] = self._text(letter, role)
            return self._cache[key]
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


__all__ = ["LetterTableModel", "Urgency", "plain_tooltip", "shown"]
