"""One overview across everyone a helper looks after (Piet has ten clients).

Per person: the letters on the table, the new ones, the nearest deadline and
how many days since anyone looked; on request ("Alle brieven op datum") every
letter of every person in one list, by deadline. A filter box by name for an
office with many people: a QSortFilterProxyModel over a list model, so a
keystroke filters rows, it never builds widgets.

The calm frame: the screen ``scrolls_itself`` with its one list; "Post bekijken"
and "Alle brieven op datum" are in the fixed bar. Enter on a row chooses it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
)

from app.i18n import gettext as _
from app.i18n import ngettext
from app.plain import deadline_phrase, format_date
from ui.people.badge import first_name, paint_initial
from ui.shell import theme
from ui.shell.widgets import Screen, button, label
from ui.table.model import shown

_Index = QModelIndex | QPersistentModelIndex

MARGIN = 4
PADDING = 8
GAP = 4
NAME_CHARS = 120


def relation_text(relation: str) -> str:
    """The relation in plain words: what the holder is for this person."""
    return {
        "self": _("uw eigen post"),
        "curator": _("u bent curator"),
        "mentor": _("u bent mentor"),
        "bewindvoerder": _("u bent bewindvoerder"),
        "mandate": _("u heeft een machtiging"),
    }.get(relation, "")


def looked_text(days: int | None) -> str:
    if days is None:
        return _("nog nooit bekeken")
    if days <= 0:
        return _("vandaag bekeken")
    return ngettext("%(n)d dag geleden bekeken", "%(n)d dagen geleden bekeken", days) % {"n": days}


def new_text(unread: int) -> str:
    """ "2 nieuw": the mark on a person's row (the letters nobody opened here yet)."""
    return ngettext("%(n)d nieuw", "%(n)d nieuw", unread) % {"n": unread} if unread else ""


def facts_text(row, today: date) -> str:
    """ "3 op tafel, eerste termijn nog 5 dagen, 2 dagen geleden bekeken"; the new
    ones are the row's mark (:func:`new_text`), not said twice."""
    parts = [
        ngettext("%(n)d brief op tafel", "%(n)d brieven op tafel", row.on_table)
        % {"n": row.on_table}
    ]
    if row.nearest_deadline is not None:
        parts.append(
            _("eerste termijn %(left)s") % {"left": deadline_phrase(row.nearest_deadline, today)}
        )
    parts.append(looked_text(row.days_since_looked))
    return ", ".join(parts) + "."


def handled_text(counts: dict[str, int]) -> str:
    """ "Monique pakt 2 brieven op." per helper (first names), for a person's row."""
    return " ".join(
        ngettext("%(name)s pakt %(n)d brief op.", "%(name)s pakt %(n)d brieven op.", n)
        % {"name": first_name(name), "n": n}
        for name, n in counts.items()
    )


def state_text(row) -> str:
    """One short line about the mandate, when there is something to know."""
    represented = getattr(row, "represented", None)
    ends_on = getattr(represented, "ends_on", None) if represented is not None else None
    if row.ended:
        return (
            _("De machtiging is afgelopen op %(date)s.") % {"date": format_date(ends_on)}
            if ends_on
            else _("De machtiging is afgelopen.")
        )
    if row.ends_soon:
        return (
            _("De machtiging loopt af op %(date)s.") % {"date": format_date(ends_on)}
            if ends_on
            else _("De machtiging loopt bijna af.")
        )
    if represented is not None and not getattr(represented, "can_act", True):
        return _("U mag deze brieven alleen lezen.")
    return ""


#: one row of the model: person id, name, three lines, letter id or "", late,
#: and its mark ("2 nieuw", "Nieuw" or "")
Row = tuple[str, str, tuple[str, str, str], str, bool, str]


class OverviewModel(QAbstractListModel):
    """Rows of three lines: a name, the facts, the mandate's state, and a mark
    for new letters. The name is what the filter looks at (:attr:`NameRole`)."""

    PersonIdRole = Qt.ItemDataRole.UserRole + 1
    NameRole = Qt.ItemDataRole.UserRole + 2
    LinesRole = Qt.ItemDataRole.UserRole + 3
    LetterIdRole = Qt.ItemDataRole.UserRole + 4
    LateRole = Qt.ItemDataRole.UserRole + 5
    BadgeRole = Qt.ItemDataRole.UserRole + 6

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[Row] = []

    def set_rows(self, rows: list[Row]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        person_id, name, lines, letter_id, late, badge = self._rows[index.row()]
        if role == self.PersonIdRole:
            return person_id
        if role == self.NameRole:
            return name
        if role == self.LinesRole:
            return lines
        if role == self.LetterIdRole:
            return letter_id
        if role == self.LateRole:
            return late
        if role == self.BadgeRole:
            return badge
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            said = (lines[0], f"{badge}." if badge else "", *lines[1:])
            return " ".join(line for line in said if line)
        return None


class OverviewDelegate(QStyledItemDelegate):
    """A card per row: the person's initial in their colour, then three lines."""

    def _fonts(self, base: QFont) -> tuple[QFont, QFont]:
        name = QFont(base)
        name.setBold(True)
        name.setPointSizeF(base.pointSizeF() * 1.15)
        return name, QFont(base)

    def row_height(self, base: QFont) -> int:
        name, body = (QFontMetrics(f) for f in self._fonts(base))
        return 2 * MARGIN + 2 * PADDING + name.height() + 2 * GAP + 2 * body.lineSpacing()

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:  # noqa: N802
        return QSize(200, self.row_height(option.font))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        colors = theme.colors()
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rtl = option.direction == Qt.LayoutDirection.RightToLeft
        card = option.rect.adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN)
        chosen = bool(
            option.state & (QStyle.StateFlag.State_Selected | QStyle.StateFlag.State_HasFocus)
        )
        painter.setBrush(QColor(colors["card"]))
        painter.setPen(
            QPen(QColor(colors["focus"] if chosen else colors["card_border"]), 4 if chosen else 2)
        )
        painter.drawRoundedRect(card, 8, 8)
        name_font, body_font = self._fonts(option.font)
        nfm, bfm = QFontMetrics(name_font), QFontMetrics(body_font)
        inner = card.adjusted(PADDING, PADDING, -PADDING, -PADDING)
        side = nfm.height() + 8
        circle = QRect(inner.right() - side if rtl else inner.left(), inner.top(), side, side)
        name = index.data(OverviewModel.NameRole) or ""
        paint_initial(
            painter, circle, index.data(OverviewModel.PersonIdRole) or "", name, name_font
        )
        text = inner.adjusted(0 if rtl else side + 10, 0, -(side + 10) if rtl else 0, 0)
        # Absolute: the rects are placed for the direction already; Qt would
        # otherwise mirror AlignRight once more in Arabic (to the left).
        align = (
            (Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft)
            | Qt.AlignmentFlag.AlignAbsolute
            | Qt.AlignmentFlag.AlignVCenter
        )
        lines = index.data(OverviewModel.LinesRole) or ("", "", "")
        top = text.top()
        badge = index.data(OverviewModel.BadgeRole) or ""
        name_room = text
        if badge:  # "2 nieuw" as the table's cards say "Nieuw": at the far end
            bold = QFont(body_font)
            bold.setBold(True)
            bfm_bold = QFontMetrics(bold)
            wide = bfm_bold.horizontalAdvance(badge) + 24
            mark = QRect(text.left() if rtl else text.right() - wide, top, wide, nfm.height())
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(colors["new_bg"]))
            painter.drawRoundedRect(mark, 6, 6)
            painter.setFont(bold)
            painter.setPen(QColor(colors["new_text"]))
            painter.drawText(mark, Qt.AlignmentFlag.AlignCenter, badge)
            name_room = text.adjusted(wide + 12 if rtl else 0, 0, 0 if rtl else -wide - 12, 0)
        painter.setPen(QColor(colors["text"]))
        painter.setFont(name_font)
        painter.drawText(
            QRect(name_room.left(), top, name_room.width(), nfm.height()),
            align,
            nfm.elidedText(lines[0], Qt.TextElideMode.ElideRight, name_room.width()),
        )
        top += nfm.height() + GAP
        painter.setFont(body_font)
        for i, line in enumerate(lines[1:]):
            if i == 1 and line:
                # a letter's deadline line is red when it is late; a person's
                # third line (the mandate, who handles what) never is
                late = index.data(OverviewModel.LateRole) and index.data(OverviewModel.LetterIdRole)
                painter.setPen(QColor(colors["late"] if late else colors["muted"]))
            painter.drawText(
                QRect(text.left(), top, text.width(), bfm.lineSpacing()),
                align,
                bfm.elidedText(line, Qt.TextElideMode.ElideRight, text.width()),
            )
            top += bfm.lineSpacing() + GAP
        painter.restore()


class NameFilter(QSortFilterProxyModel):
    """Rows whose name holds what was typed (upper or lower case alike)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setFilterRole(OverviewModel.NameRole)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)


class OverviewScreen(Screen):
    """Everyone the holder looks after, one card each, or all their letters by date.

    Signals:
    sig_chosen(str, str): a person id, and a letter id ("" for the person's table).
    """

    sig_chosen = Signal(str, str)
    scrolls_itself = True

    def __init__(self, window, feature, parent=None):
        super().__init__(window, parent)
        self.feature = feature
        self.by_date = False
        self.layout_.setContentsMargins(24, 8, 24, 8)
        self.layout_.setSpacing(8)
        self.heading = label(role="title", name="overview_title")
        self.summary = label(role="summary", name="overview_summary")
        for line in (self.heading, self.summary):
            line.setMinimumHeight(1)
        self.layout_.addWidget(self.heading)
        self.layout_.addWidget(self.summary)
        row = QHBoxLayout()
        row.setSpacing(8)
        self.filter_label = label(name="overview_filter_label")
        self.filter_label.setWordWrap(False)
        self.filter_box = QLineEdit()
        self.filter_box.setObjectName("overview_filter")
        self.filter_box.setClearButtonEnabled(True)
        self.filter_label.setBuddy(self.filter_box)
        row.addWidget(self.filter_label)
        row.addWidget(self.filter_box, 1)
        self.layout_.addLayout(row)

        self.model = OverviewModel(self)
        self.proxy = NameFilter(self)
        self.proxy.setSourceModel(self.model)
        self.view = QListView()
        self.view.setObjectName("overview_list")
        self.view.setModel(self.proxy)
        self.view.setItemDelegate(OverviewDelegate(self.view))
        self.view.setUniformItemSizes(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.view.setTabKeyNavigation(False)
        self.layout_.addWidget(self.view, 1)
        self.empty = label(name="overview_empty")
        self.empty.hide()
        self.layout_.addWidget(self.empty)

        self.choose_button = button("", name="overview_choose")
        self.by_date_button = button("", name="overview_by_date", secondary=True)
        self.add_action(self.choose_button)
        self.add_action(self.by_date_button)
        self.filter_box.textChanged.connect(self._filter)
        self.view.activated.connect(self._on_activated)
        self.choose_button.clicked.connect(self._choose_current)
        self.by_date_button.clicked.connect(self.toggle_by_date)
        self.retranslate_ui()

    # -- texts -----------------------------------------------------------------
    def title(self) -> str:
        return _("Alle brieven op datum") if self.by_date else _("Voor wie wilt u de post zien?")

    def help_text(self) -> str:
        return _(
            "Hier ziet u iedereen voor wie u de post regelt. Kies iemand met de pijltjes. "
            "Druk op Enter om de brieven van die persoon te zien. "
            "Met 'Alle brieven op datum' ziet u alle brieven van iedereen, de eerste termijn boven."
        )

    def retranslate_ui(self) -> None:
        self.heading.setText(self.title())
        self.filter_label.setText(_("Zoek op naam:"))
        self.filter_box.setAccessibleName(_("Zoek op naam"))
        self.filter_box.setPlaceholderText(_("Typ een naam"))
        self.choose_button.setText(_("Brief openen") if self.by_date else _("Post bekijken"))
        self.by_date_button.setText(
            _("Per persoon") if self.by_date else _("Alle brieven op datum")
        )
        self.view.setAccessibleName(
            _("Alle brieven op datum") if self.by_date else _("Mensen voor wie u de post regelt")
        )
        self.view.setAccessibleDescription(_("Kies met de pijltjes. Druk op Enter om te kiezen."))
        self.empty.setText(_("Niemand gevonden met die naam."))
        if self.isVisible():
            self.refresh()

    # -- content -----------------------------------------------------------------
    def refresh(self) -> None:
        current = self._current_key()
        today = self.session.today()
        rows = self.feature.letter_rows(today) if self.by_date else self.feature.person_rows(today)
        self.model.set_rows(rows)
        self.summary.setText(self._summary(rows))
        self._select(current)
        self._update_empty()

    def _summary(self, rows) -> str:
        if self.by_date:
            return ngettext(
                "%(n)d brief van iedereen samen. De eerste termijn staat boven.",
                "%(n)d brieven van iedereen samen. De eerste termijn staat boven.",
                len(rows),
            ) % {"n": len(rows)}
        others = sum(1 for row in rows if row[0] != self.session.holder.id)
        return ngettext(
            "U regelt de post voor %(n)d ander. Kies voor wie.",
            "U regelt de post voor %(n)d anderen. Kies voor wie.",
            others,
        ) % {"n": others}

    def _current_key(self) -> tuple[str, str] | None:
        index = self.view.currentIndex()
        if not index.isValid():
            return None
        return (index.data(OverviewModel.PersonIdRole), index.data(OverviewModel.LetterIdRole))

    def _select(self, key: tuple[str, str] | None) -> None:
        target = 0
        if key is not None:
            for row in range(self.proxy.rowCount()):
                index = self.proxy.index(row, 0)
                if (
                    index.data(OverviewModel.PersonIdRole),
                    index.data(OverviewModel.LetterIdRole),
                ) == key:
                    target = row
                    break
        if self.proxy.rowCount():
            self.view.setCurrentIndex(self.proxy.index(target, 0))

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        if self.proxy.rowCount() and not self.view.currentIndex().isValid():
            self.view.setCurrentIndex(self.proxy.index(0, 0))
        self._update_empty()

    def _update_empty(self) -> None:
        found = self.proxy.rowCount() > 0
        self.empty.setVisible(not found)
        self.choose_button.setEnabled(found)

    def toggle_by_date(self) -> None:
        self.by_date = not self.by_date
        self.retranslate_ui()
        self.refresh()
        self.window_._update_title()
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def person_ids(self) -> list[str]:
        """The shown rows' person ids, top to bottom (tests and 'Voorlezen')."""
        return [
            self.proxy.index(row, 0).data(OverviewModel.PersonIdRole)
            for row in range(self.proxy.rowCount())
        ]

    def first_focus(self):
        return self.view if self.proxy.rowCount() else self.filter_box

    def read_aloud_text(self) -> str:
        rows = [
            self.proxy.index(row, 0).data(Qt.ItemDataRole.AccessibleTextRole)
            for row in range(self.proxy.rowCount())
        ]
        return "\n".join([self.heading.text(), self.summary.text(), *rows])

    # -- choosing ------------------------------------------------------------------
    def _on_activated(self, index: QModelIndex) -> None:
        person_id = index.data(OverviewModel.PersonIdRole)
        if person_id:
            self.sig_chosen.emit(person_id, index.data(OverviewModel.LetterIdRole) or "")

    def _choose_current(self) -> None:
        index = self.view.currentIndex()
        if index.isValid():
            self._on_activated(index)


def person_row(
    row,
    today: date,
    relation: Callable[[str], str] = relation_text,
    handled: dict[str, int] | None = None,
) -> Row:
    """One overview row (:class:`app.people.OverviewRow`) as the model keeps it;
    ``handled``: how many of the letters on their table each helper handles."""
    person = row.person
    represented = getattr(row, "represented", None)
    words = relation(getattr(represented, "relation", "") if represented is not None else "")
    name = shown(person.name, NAME_CHARS)
    first = f"{name} ({words})" if words else name
    late = row.nearest_deadline is not None and row.nearest_deadline < today
    third = " ".join(part for part in (state_text(row), handled_text(handled or {})) if part)
    lines = (first, facts_text(row, today), third)
    return (person.id, name, lines, "", late, new_text(row.unread))


def letter_row(person, letter, today: date, handler: str = "") -> Row:
    """One letter in "Alle brieven op datum": whose, from whom, by when, and who
    handles it (``handler``, a name; "" for nobody)."""
    name = shown(person.name, NAME_CHARS)
    first = f"{name}: {shown(letter.sender, 80)}"
    second = shown(letter.summary or letter.subject, 160)
    if letter.deadline is not None:
        third = _("Uiterlijk %(date)s (%(left)s).") % {
            "date": format_date(letter.deadline),
            "left": deadline_phrase(letter.deadline, today),
        }
    else:
        third = _("Geen termijn.")
    if handler:
        third += " " + _("%(name)s pakt deze brief op.") % {"name": first_name(handler)}
    late = letter.deadline is not None and letter.deadline < today
    badge = "" if letter.read else _("Nieuw")
    return (person.id, name, (first, second, third), letter.id, late, badge)
