"""Whose post is this: each person's badge, a colour, an initial and a name.

The colour comes from a small palette, chosen by the person's id (the same id,
the same colour, on every start and every machine: ``zlib.crc32``, never
Python's ``hash``, which changes per process). Every colour carries its text at
4.5:1 or more (WCAG 1.4.3), in the normal theme (light text on a dark colour)
and in high contrast (black text on a light colour, on the black table);
``tests/people/test_badge.py`` measures them. The colour is a help, never the
only sign: the initial and the name are always beside it.
"""

from __future__ import annotations

import zlib
from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QPushButton, QSizePolicy, QWidget

from app.i18n import gettext as _
from app.model import Person
from ui.shell import theme

if TYPE_CHECKING:
    from PySide6.QtGui import QIcon

#: (background, text) per colour; normal theme: dark colours, light text
PALETTE = (
    ("#1f4e99", "#ffffff"),  # blue
    ("#0a5c36", "#ffffff"),  # green
    ("#7a1f5c", "#ffffff"),  # plum
    ("#8a3b00", "#ffffff"),  # brown
    ("#4b3f99", "#ffffff"),  # indigo
    ("#005f73", "#ffffff"),  # teal
)
#: the same colours for the high-contrast theme: light colours, black text
PALETTE_HIGH_CONTRAST = (
    ("#8fc1ff", "#000000"),
    ("#9ff0b5", "#000000"),
    ("#ffb3e0", "#000000"),
    ("#ffc98a", "#000000"),
    ("#cdc2ff", "#000000"),
    ("#8ee8f0", "#000000"),
)
MIN_BADGE_CONTRAST = 4.5


def colour_index(person_id: str) -> int:
    """The person's place in the palette: the same for the same id, always."""
    return zlib.crc32(person_id.encode("utf-8")) % len(PALETTE)


def badge_colours(person_id: str, high_contrast: bool | None = None) -> tuple[str, str]:
    """(background, text) of the person's badge in the theme in use (or the one asked)."""
    if high_contrast is None:
        high_contrast = theme.is_high_contrast()
    palette = PALETTE_HIGH_CONTRAST if high_contrast else PALETTE
    return palette[colour_index(person_id)]


def initial(name: str) -> str:
    """The first letter of the name, as a capital ("?" for an empty name)."""
    for ch in name.strip():
        if ch.isalnum():
            return ch.upper()
    return "?"


def first_name(name: str) -> str:
    parts = name.split()
    return parts[0] if parts else name


def whose_post_text(person: Person) -> str:
    """ "Post van Sanne": short, for the top bar."""
    return _("Post van %(name)s") % {"name": first_name(person.name)}


def whose_post_long(person: Person) -> str:
    """ "Post van Sanne Bos": the whole name, for prints and screen readers."""
    return _("Post van %(name)s") % {"name": person.name}


def paint_initial(painter: QPainter, rect: QRect, person_id: str, name: str, font: QFont) -> None:
    """A filled circle in the person's colour with their initial in it."""
    background, text = badge_colours(person_id)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    side = min(rect.width(), rect.height())
    circle = QRectF(
        rect.x() + (rect.width() - side) / 2, rect.y() + (rect.height() - side) / 2, side, side
    )
    painter.setPen(QColor(theme.colors()["card_border"]))
    painter.setBrush(QColor(background))
    painter.drawEllipse(circle)
    bold = QFont(font)
    bold.setBold(True)
    painter.setFont(bold)
    painter.setPen(QColor(text))
    painter.drawText(circle, Qt.AlignmentFlag.AlignCenter, initial(name))
    painter.restore()


def pill_width(name: str, font: QFont) -> int:
    """The width of :func:`paint_pill` for this name and font."""
    fm = QFontMetrics(font)
    return fm.height() + 6 + fm.horizontalAdvance(first_name(name)) + 14


def paint_pill(
    painter: QPainter, rect: QRect, person_id: str, name: str, font: QFont, *, rtl: bool = False
) -> None:
    """The card's badge: the person's colour with their initial and first name."""
    background, text = badge_colours(person_id)
    bold = QFont(font)
    bold.setBold(True)
    fm = QFontMetrics(bold)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(background))
    painter.drawRoundedRect(rect, rect.height() / 2, rect.height() / 2)
    painter.setFont(bold)
    painter.setPen(QColor(text))
    letter = QRect(0, rect.y(), fm.height(), rect.height())
    letter.moveLeft(rect.right() - fm.height() - 4 if rtl else rect.left() + 4)
    painter.drawText(letter, Qt.AlignmentFlag.AlignCenter, initial(name))
    words = rect.adjusted(4 if rtl else fm.height() + 10, 0, -(fm.height() + 10) if rtl else -4, 0)
    painter.drawText(words, Qt.AlignmentFlag.AlignCenter, first_name(name))
    painter.restore()


class InitialBadge(QWidget):
    """The initial in the person's colour, a circle one line of text high. It paints
    with the theme in use, so high contrast needs nothing more."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.person: Person | None = None
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def set_person(self, person: Person | None) -> None:
        self.person = person
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        side = QFontMetrics(self.font()).height() + 8
        return QSize(side, side)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return self.sizeHint()

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt API
        if self.person is None:
            return
        painter = QPainter(self)
        paint_initial(
            painter,
            self.rect().adjusted(1, 1, -1, -1),
            self.person.id,
            self.person.name,
            self.font(),
        )
        painter.end()


def _icon_key(person: Person, font: QFont) -> tuple[str, str, str, bool]:
    return (person.id, person.name, font.key(), theme.is_high_contrast())


#: the icons drawn, by :func:`_icon_key`: the top bar fits its button to the room
#: at every resize, and drew the same icon each time (issue 14)
_ICONS: dict[tuple[str, str, str, bool], QIcon] = {}


def initial_icon(person: Person, font: QFont) -> QIcon:
    """The initial in the person's colour, as a button's icon (the theme in use);
    drawn once per person, font and theme."""
    key = _icon_key(person, font)
    icon = _ICONS.get(key)
    if icon is None:
        if len(_ICONS) >= 64:
            _ICONS.clear()
        icon = _ICONS[key] = _draw_initial_icon(person, font)
    return icon


def _draw_initial_icon(person: Person, font: QFont) -> QIcon:
    # here: PySide makes QIcon (its 151-member ThemeIcon) and QPixmap with their
    # enums when first imported, and only a helper's top bar has this icon
    from PySide6.QtGui import QIcon, QPixmap

    side = QFontMetrics(font).height()
    pixmap = QPixmap(side * 2, side * 2)  # drawn at twice the size: sharp at 200 %
    pixmap.setDevicePixelRatio(2.0)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    paint_initial(painter, QRect(0, 0, side, side), person.id, person.name, font)
    painter.end()
    return QIcon(pixmap)


class WhoseButton(QPushButton):
    """The top bar's "Post van Sanne" with her initial in her colour: whose post is
    shown, on every screen, and the one action that chooses another person.

    Where the top bar has little room (200 % text, Arabic) the words give way:
    "Post van Sanne", then "Sanne", then the initial alone (:meth:`fit_to`); the
    whole name stays in the accessible name and the tooltip."""

    def __init__(self, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName(name)
        self.setAutoDefault(False)
        self.setProperty("role", "secondary")
        self.person: Person | None = None
        self._room = 1 << 20
        self._icon_for: tuple[str, str, str, bool] | None = None  # the icon set now

    def set_person(self, person: Person | None) -> None:
        self.person = person
        self.retranslate_ui()

    def texts(self) -> list[str]:
        person = self.person
        if person is None:
            return [""]
        return [whose_post_text(person), first_name(person.name), ""]

    def fit_to(self, room: int) -> None:
        """Take the longest text that leaves the button at most ``room`` wide."""
        self._room = room
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        person = self.person
        if person is not None:
            self.ensurePolished()  # the style's font (bold), as sizeHint() below would
        if person is not None and _icon_key(person, self.font()) != self._icon_for:
            # set again only when it changes (not at every fit to the room)
            self._icon_for = _icon_key(person, self.font())
            self.setIcon(initial_icon(person, self.font()))
            side = QFontMetrics(self.font()).height()
            self.setIconSize(QSize(side, side))
        texts = self.texts()
        chosen = texts[-1]
        for text in texts:
            self.setText(text)
            if self.sizeHint().width() <= self._room:
                chosen = text
                break
        self.setText(chosen)
        long = whose_post_long(person) if person else ""
        self.setAccessibleName(
            _("%(whose)s. Kies een andere persoon.") % {"whose": long} if long else ""
        )
        self.setToolTip(long)
