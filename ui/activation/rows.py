"""One organisation as one large row of the activation screens: its name, what
it sends, and a switch. The generic parts (a check whose text wraps, a row that
clicks its check) are ``ui/shell/accessible.py``."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QAbstractButton, QFrame, QLayout, QVBoxLayout

from app.i18n import gettext as _
from app.model import Organisation
from ui.shell import theme
from ui.shell.accessible import ClickThroughRow, WrappingCheck
from ui.shell.widgets import label

#: the check box's square at 100 % text (the theme's QCheckBox::indicator)
INDICATOR_PX = 28


def indicator_px(check: QAbstractButton) -> int:
    """The square's size for the check's text size: 28 px at 100 %, 56 px at 200 %."""
    base = theme.point_size(theme.MIN_SCALE)
    return max(INDICATOR_PX, round(INDICATOR_PX * check.font().pointSizeF() / base))


class IndicatorFollowsText(QObject):
    """Keeps a check box's square as big as its text: the theme gives every check
    a 28 px square, which at 200 % text is a small box beside a big name. On each
    font change (the text size set on the Instellingen screen restyles the whole
    app) the check gets its own square size, and ``under`` (the lines below the
    name) stays indented to the name, not to the box."""

    def __init__(self, check: QAbstractButton, under: QLayout | None = None):
        super().__init__(check)
        self.check = check
        self.under = under
        self.px = 0
        check.installEventFilter(self)
        self.follow()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt API
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.follow()
        return False

    def follow(self) -> None:
        px = indicator_px(self.check)
        if px != self.px:
            self.px = px
            self.check.setStyleSheet(f"QCheckBox::indicator {{ width: {px}px; height: {px}px; }}")
        if self.under is not None:
            # under the name: the check's width and the row's spacing (10 px)
            indent = self.check.sizeHint().width() + 10
            margins = self.under.contentsMargins()
            if margins.left() != indent:
                self.under.setContentsMargins(indent, 0, 0, 0)


class OrganisationRow(ClickThroughRow, QFrame):
    """A whole-row-clickable block: a check with the organisation's name, a plain
    description of what it sends, and a line for what a change means.

    The organisation fixed by law shows a check that is on and cannot be
    changed, with the reason and the paper route under it.
    """

    def __init__(self, org: Organisation, parent=None):
        super().__init__(parent)
        self.org = org
        self.setProperty("role", "box")
        self.setObjectName(f"org_row_{org.id}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(4)
        self.header = WrappingCheck(f"org_check_{org.id}", bold=True)
        self.check = self.header.check
        self.sends = label(name=f"org_sends_{org.id}")
        self.note = label(name=f"org_note_{org.id}")
        self.note.setProperty("role", "factname")
        self.result = label(role="notice", name=f"org_result_{org.id}")
        self.result.hide()
        layout.addWidget(self.header)
        under = QVBoxLayout()
        under.setContentsMargins(62, 0, 0, 0)  # under the name, not under the box
        under.setSpacing(4)
        for widget in (self.sends, self.note, self.result):
            under.addWidget(widget)
        layout.addLayout(under)
        self.indicator = IndicatorFollowsText(self.check, under)
        if org.fixed_by_law:
            self.check.setChecked(True)
            self.check.setEnabled(False)
        else:
            self.note.hide()
        self.retranslate_ui()

    def retranslate_ui(self, phone: str = "") -> None:
        org = self.org
        self.header.set_text(org.name, _("Digitale post van %(org)s") % {"org": org.name})
        self.sends.setText(org.sends)
        self.check.setAccessibleDescription(
            f"{org.sends} {self.result.text()}".strip()
            if self.result.isVisibleTo(self)
            else org.sends
        )
        if org.fixed_by_law:
            self.note.setText(
                _(
                    "Post van %(org)s komt altijd digitaal. Dat staat in de wet. "
                    "Wilt u toch papier? Bel dan %(phone)s."
                )
                % {"org": org.name, "phone": phone or org.phone}
            )

    def set_result(self, text: str) -> None:
        """Show what the last change means; the check's description says it too."""
        self.result.setText(text)
        self.result.setVisible(bool(text))
        self.check.setAccessibleDescription(f"{self.org.sends} {text}".strip())
