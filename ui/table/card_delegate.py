"""Paints each letter on the table as a large card.

Layout, top to bottom: sender (bold) with a "Nieuw" badge, the plain summary
(up to two lines, wrapped, never elided), then what to do and the deadline in
words, and at the far end of that row whose post it is (the person's colour,
initial and first name; only while the signed-in person looks after others,
ui/people/feature.py), with before it who handles the letter ("Monique pakt dit
op", her initial in a plain ring: not a person's colour, so it is never taken
for whose post it is). All text is drawn as plain text. Every card has the same height for
the current font, so the view can use uniform item sizes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen, QTextOption
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from app.i18n import gettext as _
from app.model import Person, Urgency
from ui.people.badge import first_name, initial, paint_pill, pill_width
from ui.shell import theme
from ui.table.model import LetterTableModel

MARGIN = 4  # space around a card (twice this between two cards)
PADDING = 8  # space inside a card
GAP = 4  # space between the rows of a card
STRIPE = 10  # urgency stripe on the leading edge
SUMMARY_CHARS = 90  # summaries are one short sentence; room for this many characters
MAX_SUMMARY_LINES = 5  # a longer (hostile) summary is cut; the letter shows it whole


def _fonts(base: QFont) -> tuple[QFont, QFont, QFont]:
    sender = QFont(base)
    sender.setBold(True)
    sender.setPointSizeF(base.pointSizeF() * 1.3)
    summary = QFont(base)
    summary.setPointSizeF(base.pointSizeF() * 1.1)
    meta = QFont(base)
    meta.setBold(True)
    return sender, summary, meta


def summary_lines(base: QFont, width: int, texts: Sequence[str] = ()) -> int:
    """Lines reserved for a summary so that none of ``texts`` is cut off at this width:
    they are measured as they wrap (one line on a wide window for most tables).
    Without texts, room for SUMMARY_CHARS characters."""
    summary = QFontMetrics(_fonts(base)[1])
    room = max(1, width - 2 * MARGIN - 2 * PADDING - STRIPE)
    if texts:
        box = QRect(0, 0, room - 2, 100_000)  # a little narrower: never a word too many
        flags = int(Qt.TextFlag.TextWordWrap)
        high = max(summary.boundingRect(box, flags, text).height() for text in texts)
        # the first line is one font height, every next one a line spacing (Qt's
        # bounding rect is a pixel taller than the font's height: rounded)
        lines = 1 + round(max(0, high - summary.height()) / max(1, summary.lineSpacing()))
    else:
        per_line = max(1, room // max(1, summary.averageCharWidth()))
        lines = -(-int(SUMMARY_CHARS * 1.15) // per_line)
    return max(1, min(MAX_SUMMARY_LINES, lines))


def card_height(base: QFont, width: int, texts: Sequence[str] = ()) -> int:
    """One height for every card: no more than the summaries ``texts`` need, so that
    three cards and more are seen at 100 % on a laptop, and one at 200 %."""
    sender, summary, meta = (QFontMetrics(f) for f in _fonts(base))
    return (
        2 * MARGIN
        + 2 * PADDING
        + sender.height()
        + GAP
        + summary_lines(base, width, texts) * summary.lineSpacing()
        + GAP
        + meta.height()
    )


def _draw_own_direction(painter: QPainter, rect: QRect, align, text: str, *, wrap: bool) -> None:
    """Draw sender text in its own direction: Dutch stays left to right in an
    Arabic window (the full stop stays at the end), aligned to the reading side."""
    option = QTextOption(Qt.AlignmentFlag(align))
    option.setTextDirection(Qt.LayoutDirection.LayoutDirectionAuto)
    option.setWrapMode(QTextOption.WrapMode.WordWrap if wrap else QTextOption.WrapMode.NoWrap)
    painter.drawText(QRectF(rect), text, option)


class CardDelegate(QStyledItemDelegate):
    """The view sets :attr:`width` to its viewport width whenever it changes."""

    width = 600

    def __init__(self, parent=None):
        super().__init__(parent)
        #: the longest summaries on the table (the view sets them when the letters change)
        self.summaries: tuple[str, ...] = ()
        self._heights: dict[tuple[str, int], int] = {}
        #: whose post the cards are (their badge), or None: no badge
        self.person: Person | None = None
        #: who handles which letter, by letter id (their name; ui/people/feature.py)
        self.handlers: dict[str, str] = {}

    def set_person(self, person: Person | None) -> None:
        self.person = person

    def set_handlers(self, names: Mapping[str, str]) -> None:
        """Who handles which letter (a helper's name by letter id; empty: nobody)."""
        self.handlers = dict(names)

    def handler_text(self, letter_id: str) -> str:
        """ "Monique pakt dit op" on the card of a letter someone handles."""
        name = self.handlers.get(letter_id, "")
        return _("%(name)s pakt dit op") % {"name": first_name(name)} if name else ""

    def set_summaries(self, texts: Sequence[str]) -> None:
        self.summaries = tuple(texts)
        self._heights.clear()

    def card_height(self, font: QFont) -> int:
        """The cards' height for this font at the view's width (measured once)."""
        key = (font.key(), self.width)
        if key not in self._heights:
            self._heights[key] = card_height(font, self.width, self.summaries)
        return self._heights[key]

    def sizeHint(
        self,
        option: QStyleOptionViewItem,  # noqa: N802 - Qt API
        index: QModelIndex | QPersistentModelIndex,
    ) -> QSize:
        return QSize(self.width, self.card_height(option.font))

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        colors = theme.colors()  # the theme in use (normal or high contrast)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rtl = option.direction == Qt.LayoutDirection.RightToLeft
        card = option.rect.adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        focused = bool(option.state & QStyle.StateFlag.State_HasFocus)

        painter.setBrush(QColor(colors["card"]))
        border = QColor(colors["focus"] if (selected or focused) else colors["card_border"])
        painter.setPen(QPen(border, 4 if (selected or focused) else 2))
        painter.drawRoundedRect(card, 8, 8)

        level = index.data(LetterTableModel.UrgencyRole)
        stripe_color = {
            Urgency.OVERDUE: colors["late"],
            Urgency.SOON: colors["soon"],
            Urgency.NEW: colors["accent"],
        }.get(level, colors["card_border"])
        stripe = QRect(
            card.right() - STRIPE if rtl else card.left(), card.top(), STRIPE, card.height()
        )
        painter.fillRect(stripe.adjusted(2, 2, -2, -2), QColor(stripe_color))

        inner = card.adjusted(
            PADDING + (0 if rtl else STRIPE), PADDING, -PADDING - (STRIPE if rtl else 0), -PADDING
        )
        sender_font, summary_font, meta_font = _fonts(option.font)
        align = Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft
        text = QColor(colors["text"])

        # Row 1: sender and the "Nieuw" badge.
        fm = QFontMetrics(sender_font)
        top = inner.top()
        badge_width = 0
        if index.data(LetterTableModel.NewRole):
            badge = _("Nieuw")
            painter.setFont(meta_font)
            bfm = QFontMetrics(meta_font)
            badge_width = bfm.horizontalAdvance(badge) + 24
            badge_rect = QRect(
                inner.left() if rtl else inner.right() - badge_width, top, badge_width, fm.height()
            )
            painter.setBrush(QColor(colors["new_bg"]))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawRoundedRect(badge_rect, 6, 6)
            painter.setPen(QColor(colors["new_text"]))
            painter.drawText(badge_rect, Qt.AlignmentFlag.AlignCenter, badge)
        painter.setFont(sender_font)
        painter.setPen(text)
        sender_rect = QRect(
            inner.left() + (badge_width + 12 if rtl else 0),
            top,
            inner.width() - badge_width - 12,
            fm.height(),
        )
        _draw_own_direction(
            painter,
            sender_rect,
            align | Qt.AlignmentFlag.AlignVCenter,
            index.data(LetterTableModel.SenderRole) or "",
            wrap=False,
        )
        top += fm.height() + GAP

        # Row 2: the plain summary, wrapped.
        sfm = QFontMetrics(summary_font)
        painter.setFont(summary_font)
        lines = summary_lines(option.font, self.width, self.summaries)
        summary_rect = QRect(inner.left(), top, inner.width(), lines * sfm.lineSpacing())
        _draw_own_direction(
            painter,
            summary_rect,
            align | Qt.AlignmentFlag.AlignTop,
            index.data(LetterTableModel.SummaryRole) or "",
            wrap=True,
        )
        top += lines * sfm.lineSpacing() + GAP

        # Row 3: what to do, and by when.
        mfm = QFontMetrics(meta_font)
        painter.setFont(meta_font)
        action = index.data(LetterTableModel.ActionRole) or ""
        deadline = index.data(LetterTableModel.DeadlineRole) or ""
        person = self.person
        if person is not None:  # whose post: at the far end of the row
            whose_width = min(pill_width(person.name, meta_font), inner.width() // 3)
            whose = QRect(
                inner.left() if rtl else inner.right() - whose_width,
                top,
                whose_width,
                mfm.height(),
            )
            paint_pill(painter, whose, person.id, person.name, meta_font, rtl=rtl)
            inner = inner.adjusted(
                whose_width + 8 if rtl else 0, 0, 0 if rtl else -whose_width - 8, 0
            )
        letter_id = index.data(LetterTableModel.IdRole) or ""
        handled = self.handler_text(letter_id)
        ring = mfm.height()
        # what to do and by when come first; who handles it takes the room left:
        # "Piet pakt dit op", else "Piet", else the ring with the initial alone
        spare = inner.width() - (mfm.horizontalAdvance(action) + 24 + 8)
        spare -= (mfm.horizontalAdvance(deadline) if deadline else 0) + 12
        if handled and spare >= ring:
            words = ""
            for choice in (handled, first_name(self.handlers.get(letter_id, ""))):
                if ring + 6 + mfm.horizontalAdvance(choice) <= spare:
                    words = choice
                    break
            room = ring + (6 + mfm.horizontalAdvance(words) if words else 0)
            where = QRect(inner.left() if rtl else inner.right() - room, top, room, mfm.height())
            circle = QRect(where.right() - ring if rtl else where.left(), top, ring, ring)
            painter.setPen(QPen(text, 2))
            painter.setBrush(QColor(colors["card"]))
            painter.drawEllipse(circle.adjusted(1, 1, -1, -1))
            painter.drawText(
                circle, Qt.AlignmentFlag.AlignCenter, initial(self.handlers.get(letter_id, ""))
            )
            words_rect = where.adjusted(0 if rtl else ring + 6, 0, -(ring + 6) if rtl else 0, 0)
            painter.drawText(words_rect, align | Qt.AlignmentFlag.AlignVCenter, words)
            inner = inner.adjusted(room + 12 if rtl else 0, 0, 0 if rtl else -room - 12, 0)
        painter.setPen(text)
        action_width = mfm.horizontalAdvance(action) + 24
        action_rect = QRect(
            inner.right() - action_width if rtl else inner.left(), top, action_width, mfm.height()
        )
        painter.drawText(action_rect, align | Qt.AlignmentFlag.AlignVCenter, action)
        if deadline:
            color = {Urgency.OVERDUE: colors["late"], Urgency.SOON: colors["soon"]}.get(
                level, colors["text"]
            )
            painter.setPen(QColor(color))
            deadline_rect = QRect(
                inner.left() if rtl else action_rect.right() + 8,
                top,
                inner.width() - action_width - 8,
                mfm.height(),
            )
            painter.drawText(deadline_rect, align | Qt.AlignmentFlag.AlignVCenter, deadline)
        painter.restore()
