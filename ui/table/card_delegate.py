"""Paints each letter on the table as a large card.

Layout, top to bottom: sender (bold) with a "Nieuw" badge, the plain summary
(up to two lines, wrapped, never elided), then what to do and the deadline in
words, and at the far end of that row whose post it is (the person's colour,
initial and first name; only while the signed-in person looks after others,
ui/people/feature.py), with before it who handles the letter ("Monique pakt dit
op", her initial in a plain ring: not a person's colour, so it is never taken
for whose post it is). A decision that can still be objected to says so
("Bezwaar tot 12 januari", issue 15) in the room a card has: at the far end of
that last row, else beside the sender, else on a free line of the summary; the
card never grows for it and the deadline is never cut. All text is drawn as
plain text. Every card has the same height for the current font, so the view can
use uniform item sizes.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from datetime import date

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen, QTextOption
from PySide6.QtWidgets import QAbstractItemView, QStyledItemDelegate, QStyleOptionViewItem

from app.i18n import gettext as _
from app.model import PAPER, Letter, Person, Urgency
from app.plain import format_date
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


def card_height(
    base: QFont, width: int, texts: Sequence[str] = (), *, lines: int | None = None
) -> int:
    """One height for every card: no more than the summaries ``texts`` need, so that
    three cards and more are seen at 100 % on a laptop, and one at 200 %.
    ``lines``: the summary's lines when they are known (:func:`summary_lines`)."""
    sender, summary, meta = (QFontMetrics(f) for f in _fonts(base))
    if lines is None:
        lines = summary_lines(base, width, texts)
    return (
        2 * MARGIN
        + 2 * PADDING
        + sender.height()
        + GAP
        + lines * summary.lineSpacing()
        + GAP
        + meta.height()
    )


class _Measures:
    """A card's three fonts and their metrics for one base font: made once per
    font, not for every card painted (issue 14)."""

    __slots__ = ("sender", "summary", "meta", "sender_fm", "summary_fm", "meta_fm")

    def __init__(self, base: QFont) -> None:
        self.sender, self.summary, self.meta = _fonts(base)
        self.sender_fm = QFontMetrics(self.sender)
        self.summary_fm = QFontMetrics(self.summary)
        self.meta_fm = QFontMetrics(self.meta)


#: measures and summary lines kept per font (and width): a resize or a text size
#: adds one; beyond this many they are measured again
KEPT_MEASURES = 64


def objection_phrase(letter: Letter, today: date) -> str:
    """ "Bezwaar tot 12 januari" ("Beroep tot ..." for a CJIB decision) while one
    can still object to this letter; empty for a letter that is no decision, whose
    term is over, or whose date is only a guess (the letter screen hedges that)."""
    from app.explain import objection

    found = objection(letter)
    if found is None or not found.certain or found.until < today:
        return ""
    day = format_date(found.until, "d MMMM")
    if found.kind == "beroep":
        return _("Beroep tot %(date)s") % {"date": day}
    return _("Bezwaar tot %(date)s") % {"date": day}


def _draw_own_direction(painter: QPainter, rect: QRect, align, text: str, *, wrap: bool) -> None:
    """Draw sender text in its own direction: Dutch stays left to right in an
    Arabic window (the full stop stays at the end), aligned to the reading side."""
    option = QTextOption(Qt.AlignmentFlag(align))
    option.setTextDirection(Qt.LayoutDirection.LayoutDirectionAuto)
    option.setWrapMode(QTextOption.WrapMode.WordWrap if wrap else QTextOption.WrapMode.NoWrap)
    painter.drawText(QRectF(rect), text, option)


def _marks(
    option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
) -> tuple[bool, bool]:
    """Whether the card is selected and whether it has the focus, as its view
    paints it (QListView: selected in the selection model; the focus is the
    view's, or its viewport's, and the card is the current one).

    Asked of the view, not read from ``option.state``: that value is a
    ``QStyle.StateFlag``, and PySide makes QStyle with its 40 enums (8 ms here)
    for it, which nothing else does before the first frame (issue 14). Painted
    for no view (an image), the option's own state says it."""
    view = option.widget
    if isinstance(view, QAbstractItemView):
        selection = view.selectionModel()
        selected = selection is not None and selection.isSelected(index)
        focused = (view.hasFocus() or view.viewport().hasFocus()) and view.currentIndex() == index
        return selected, focused
    from PySide6.QtWidgets import QStyle

    state = option.state
    return (
        bool(state & QStyle.StateFlag.State_Selected),
        bool(state & QStyle.StateFlag.State_HasFocus),
    )


class CardDelegate(QStyledItemDelegate):
    """The view sets :attr:`width` to its viewport width whenever it changes."""

    width = 600

    def __init__(self, parent=None):
        super().__init__(parent)
        #: the longest summaries on the table (the view sets them when the letters change)
        self.summaries: tuple[str, ...] = ()
        self._heights: dict[tuple[str, int], int] = {}
        #: the summary's lines per (font, width), for the summaries above: measured
        #: once (12 wrapped texts), not again for every card painted (issue 14)
        self._lines: dict[tuple[str, int], int] = {}
        self._measures: dict[str, _Measures] = {}
        #: whose post the cards are (their badge), or None: no badge
        self.person: Person | None = None
        #: who handles which letter, by letter id (their name; ui/people/feature.py)
        self.handlers: dict[str, str] = {}
        #: the objection phrases said, by (letter, day, language)
        self._objections: dict[tuple[Letter, date, str], str] = {}
        #: the explanations (app.explain) may be loaded: not before the window's
        #: first frame (issue 14), then the cards are painted again with them
        self._explain_ready = "app.explain" in sys.modules
        self._explain_asked = False
        #: per letter id where the last paint put its rows (for the tests): "sender",
        #: "deadline", "objection" (QRect) and "objection_place"
        self.painted: dict[str, dict[str, object]] = {}

    def set_person(self, person: Person | None) -> None:
        self.person = person

    def set_handlers(self, names: Mapping[str, str]) -> None:
        """Who handles which letter (a helper's name by letter id; empty: nobody)."""
        self.handlers = dict(names)

    def handler_text(self, letter_id: str) -> str:
        """ "Monique pakt dit op" on the card of a letter someone handles."""
        name = self.handlers.get(letter_id, "")
        return _("%(name)s pakt dit op") % {"name": first_name(name)} if name else ""

    def objection_text(self, index: QModelIndex | QPersistentModelIndex, widget) -> str:
        """The card's objection phrase (cached), or "" before the first frame."""
        if not self._explain_ready:
            self._ask_for_explain(widget)
            if not self._explain_ready:
                return ""
        letter = index.data(LetterTableModel.LetterRole)
        if not isinstance(letter, Letter):
            return ""
        from app import i18n

        # the model's day (a practice desk has its own), else the calendar's
        today = getattr(index.model(), "_today", date.today)()
        key = (letter, today, i18n.language())
        if key not in self._objections:
            if len(self._objections) > 2000:
                self._objections.clear()
            self._objections[key] = objection_phrase(letter, today)
        return self._objections[key]

    def _ask_for_explain(self, widget) -> None:
        if self._explain_asked:
            return
        self._explain_asked = True
        window = widget.window() if widget is not None else None
        later = getattr(window, "after_first_frame", None)
        if later is None:  # not in the main window (a bare view): no first frame to wait for
            self._explain_ready = True
            return

        def ready() -> None:
            self._explain_ready = True
            if widget is not None:  # paint the cards again, now with it
                getattr(widget, "viewport", lambda: widget)().update()

        later(ready)

    def set_summaries(self, texts: Sequence[str]) -> None:
        self.summaries = tuple(texts)
        self._heights.clear()
        self._lines.clear()

    def summary_lines(self, font: QFont) -> int:
        """The lines a card gives its summary, for this font at the view's width
        (:func:`summary_lines`, measured once)."""
        key = (font.key(), self.width)
        lines = self._lines.get(key)
        if lines is None:
            if len(self._lines) >= KEPT_MEASURES:
                self._lines.clear()
            lines = self._lines[key] = summary_lines(font, self.width, self.summaries)
        return lines

    def measures(self, font: QFont) -> _Measures:
        """The card's fonts and metrics for this base font (made once)."""
        key = font.key()
        found = self._measures.get(key)
        if found is None:
            if len(self._measures) >= KEPT_MEASURES:
                self._measures.clear()
            found = self._measures[key] = _Measures(font)
        return found

    def card_height(self, font: QFont) -> int:
        """The cards' height for this font at the view's width (measured once)."""
        key = (font.key(), self.width)
        height = self._heights.get(key)
        if height is None:
            if len(self._heights) >= KEPT_MEASURES:
                self._heights.clear()
            lines = self.summary_lines(font)
            height = self._heights[key] = card_height(font, self.width, self.summaries, lines=lines)
        return height

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
        selected, focused = _marks(option, index)

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
        # drawRect without a pen fills the same pixels as fillRect; fillRect's
        # overloads made PySide build QGradient and its 180 presets (~3 ms) at
        # the first frame (issue 14)
        painter.save()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(stripe_color))
        painter.drawRect(stripe.adjusted(2, 2, -2, -2))
        painter.restore()

        inner = card.adjusted(
            PADDING + (0 if rtl else STRIPE), PADDING, -PADDING - (STRIPE if rtl else 0), -PADDING
        )
        measures = self.measures(option.font)
        sender_font, summary_font, meta_font = measures.sender, measures.summary, measures.meta
        align = Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft
        text = QColor(colors["text"])

        letter_id = index.data(LetterTableModel.IdRole) or ""
        sender = index.data(LetterTableModel.SenderRole) or ""
        summary = index.data(LetterTableModel.SummaryRole) or ""
        claim = self.objection_text(index, option.widget)
        painted: dict[str, object] = {}
        if len(self.painted) > 500:
            self.painted.clear()
        self.painted[letter_id] = painted
        fm, sfm, mfm = measures.sender_fm, measures.summary_fm, measures.meta_fm
        claim_width = mfm.horizontalAdvance(claim) + 2 if claim else 0

        # Row 1: sender and the "Nieuw" badge (the sender is drawn last: it gives
        # room to the objection when the other rows have none).
        top = inner.top()
        sender_top = top
        badge_width = 0
        if index.data(LetterTableModel.NewRole):
            badge = _("Nieuw")
            painter.setFont(meta_font)
            badge_width = mfm.horizontalAdvance(badge) + 24
            badge_rect = QRect(
                inner.left() if rtl else inner.right() - badge_width, top, badge_width, fm.height()
            )
            painter.setBrush(QColor(colors["new_bg"]))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawRoundedRect(badge_rect, 6, 6)
            painter.setPen(QColor(colors["new_text"]))
            painter.drawText(badge_rect, Qt.AlignmentFlag.AlignCenter, badge)
        letter = index.data(LetterTableModel.LetterRole)
        if isinstance(letter, Letter) and letter.source == PAPER:
            # a letter the person added from paper or a PDF: an outlined tag
            # beside "Nieuw", in the text's own colour
            tag = _("Papieren brief")
            painter.setFont(meta_font)
            tag_width = min(mfm.horizontalAdvance(tag) + 24, inner.width() // 3)
            gap = 12 if badge_width else 0
            tag_rect = QRect(
                inner.left() + badge_width + gap
                if rtl
                else inner.right() - badge_width - gap - tag_width,
                top,
                tag_width,
                fm.height(),
            )
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(text, 2))
            painter.drawRoundedRect(tag_rect.adjusted(1, 1, -1, -1), 6, 6)
            painter.drawText(
                tag_rect,
                Qt.AlignmentFlag.AlignCenter,
                mfm.elidedText(tag, Qt.TextElideMode.ElideRight, tag_width - 12),
            )
            badge_width += gap + tag_width
        sender_rect = QRect(
            inner.left() + (badge_width + 12 if rtl else 0),
            top,
            inner.width() - badge_width - 12,
            fm.height(),
        )
        top += fm.height() + GAP

        # Row 2: the plain summary, wrapped.
        painter.setFont(summary_font)
        painter.setPen(text)
        lines = self.summary_lines(option.font)
        summary_rect = QRect(inner.left(), top, inner.width(), lines * sfm.lineSpacing())
        _draw_own_direction(
            painter, summary_rect, align | Qt.AlignmentFlag.AlignTop, summary, wrap=True
        )
        top += lines * sfm.lineSpacing() + GAP

        # Row 3: what to do, and by when.
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
            spare -= room + 12
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
            deadline_width = min(
                inner.width() - action_width - 8, mfm.horizontalAdvance(deadline) + 2
            )
            deadline_rect = QRect(
                action_rect.left() - 8 - deadline_width if rtl else action_rect.right() + 8,
                top,
                deadline_width,
                mfm.height(),
            )
            painter.drawText(deadline_rect, align | Qt.AlignmentFlag.AlignVCenter, deadline)
            painted["deadline"] = deadline_rect

        # The objection date, where there is room for it whole: at the far end of
        # the last row, else beside the sender, else on a line the summary leaves free.
        if claim:
            place, where = "", QRect()
            sender_width = fm.horizontalAdvance(sender) + 2
            box = QRect(0, 0, summary_rect.width(), 100_000)
            flags = int(Qt.TextFlag.TextWordWrap)
            used = sfm.boundingRect(box, flags, summary).height() if summary else 0
            used_lines = 1 + round(max(0, used - sfm.height()) / max(1, sfm.lineSpacing()))
            if claim_width <= spare:
                place = "row"
                where = QRect(
                    inner.left() if rtl else inner.right() - claim_width,
                    top,
                    claim_width,
                    mfm.height(),
                )
            elif claim_width + 16 + sender_width <= sender_rect.width():
                place = "sender"
            elif summary and used_lines < lines:
                place = "summary"
                line_top = summary_rect.top() + used_lines * sfm.lineSpacing()
                where = QRect(summary_rect.left(), line_top, summary_rect.width(), mfm.height())
            else:  # the sender gives room (its whole name is in the letter and said aloud)
                place = "sender"
                claim_width = min(claim_width, sender_rect.width() * 2 // 3)
            if place == "sender":
                where = QRect(
                    sender_rect.left() if rtl else sender_rect.right() - claim_width,
                    sender_top,
                    claim_width,
                    fm.height(),
                )
                sender_rect = sender_rect.adjusted(
                    claim_width + 16 if rtl else 0, 0, 0 if rtl else -claim_width - 16, 0
                )
            painter.setFont(meta_font)
            painter.setPen(text)
            shown_claim = mfm.elidedText(claim, Qt.TextElideMode.ElideRight, where.width())
            painter.drawText(where, align | Qt.AlignmentFlag.AlignVCenter, shown_claim)
            painted["objection"] = where
            painted["objection_place"] = place
            painted["objection_shown"] = shown_claim

        painter.setFont(sender_font)
        painter.setPen(text)
        # A sender that has to give room ends in "…", never cut off mid-word
        # ("Gemeente Zwol" read as a name at 200 %, seen on a screenshot).
        shown_sender = fm.elidedText(sender, Qt.TextElideMode.ElideRight, sender_rect.width())
        _draw_own_direction(
            painter, sender_rect, align | Qt.AlignmentFlag.AlignVCenter, shown_sender, wrap=False
        )
        painted["sender"] = sender_rect
        painted["sender_shown"] = shown_sender
        painter.restore()
