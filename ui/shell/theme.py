"""Look and size: large type by default, text size 100-200 %, visible focus, two themes.

All sizes come from one style sheet made from the text scale, so changing
the scale restyles every screen at once. There are two themes: the normal one
(a warm paper table) and a high-contrast one (light text on black). Both are
measured in tests/test_theme.py with the WCAG formula for contrast:

* every text against its background at least 7:1 (WCAG 2.2 AAA, 1.4.6);
* control edges, card edges and focus rings at least 3:1 against what
  surrounds them (1.4.11), and the focus ring at least 3:1 against the same
  pixels when the control has no focus (2.4.13, focus appearance).

The ring touches the table, the box, the edge it replaces and the control's
own fill, and must reach 3:1 against every one of them, also on a main button.
A single black ring cannot do that on blue (2.5:1), so the colours are ordered
by lightness: table and boxes light, the focus ring a middle orange, and the
edges and main buttons dark (normal theme); in high contrast the table is
black, the ring the same middle orange, edges white and main buttons yellow.
Every ring is 4 px wide (the labels that can be read with Tab: 3 px).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

BASE_POINT_SIZE = 14  # body text at 100 %
MIN_SCALE, MAX_SCALE, SCALE_STEP = 100, 200, 25
MIN_TARGET_PX = 44  # every control at least 44 x 44 px at 100 %
FOCUS_WIDTH_PX = 4  # the focus ring; the edge it replaces is as wide
MIN_TEXT_CONTRAST = 7.0  # WCAG 2.2 AAA 1.4.6
MIN_NON_TEXT_CONTRAST = 3.0  # WCAG 2.2 1.4.11 and 2.4.13

# Normal theme.
COLORS = {
    "window": "#f7f4ee",  # warm paper-like table
    "text": "#1a1a1a",
    "muted": "#3d3d3d",
    "card": "#ffffff",
    "card_border": "#262626",
    "control_border": "#1a1a1a",  # the edge of every control without focus
    "accent": "#0a2a4f",  # main buttons: deep blue, so the focus ring stands out on it
    "accent_text": "#ffffff",
    "focus": "#d9480f",  # focus ring: orange, 3:1 on the blue button, the edge and the table
    "practice_bg": "#fff1b8",
    "practice_text": "#1a1a1a",
    "late": "#8a0f0f",
    "soon": "#6b3d00",
    "new_bg": "#0a2a4f",
    "new_text": "#ffffff",
    "paper": "#ffffff",
    "disabled_bg": "#d6d6d6",
    "disabled_text": "#1a1a1a",
    "scroll_handle": "#3d3d3d",
}

# High-contrast theme: light text on black, yellow buttons, white edges, an orange
# focus ring (a cyan one was 1.2:1 on the yellow buttons).
HIGH_CONTRAST = {
    "window": "#000000",
    "text": "#ffffff",
    "muted": "#e6e6e6",
    "card": "#000000",
    "card_border": "#ffffff",
    "control_border": "#ffffff",
    "accent": "#ffff00",
    "accent_text": "#000000",
    "focus": "#d9480f",
    "practice_bg": "#000000",
    "practice_text": "#ffff00",
    "late": "#ff9e9e",
    "soon": "#ffd27f",
    "new_bg": "#ffff00",
    "new_text": "#000000",
    "paper": "#000000",
    "disabled_bg": "#333333",
    "disabled_text": "#ffffff",
    "scroll_handle": "#ffffff",
}

THEMES = {"normal": COLORS, "high_contrast": HIGH_CONTRAST}

# (foreground, background, what it is): every text the app shows on a colour.
TEXT_PAIRS = [
    ("text", "window", "body text on the table"),
    ("text", "card", "text on a card, box or notice"),
    ("text", "paper", "the letter itself"),
    ("muted", "window", "quiet text on the table"),
    ("muted", "card", "quiet text on a card"),
    ("accent_text", "accent", "main button; chosen folder"),
    ("accent", "card", "second button (light) text"),
    ("practice_text", "practice_bg", "practice banner"),
    ("late", "card", "deadline passed, on a card"),
    ("soon", "card", "deadline soon, on a card"),
    ("new_text", "new_bg", "'Nieuw' badge"),
    ("disabled_text", "disabled_bg", "button that cannot be used now"),
]

# (colour, against, what it is): edges, focus and markers at least 3:1.
NON_TEXT_PAIRS = [
    ("control_border", "window", "edge of a control on the table"),
    ("control_border", "card", "edge of a control in a box"),
    ("control_border", "practice_bg", "edge of the practice banner"),
    ("card_border", "window", "edge of a card, box or list"),
    ("card_border", "card", "edge of a card seen from inside"),
    ("focus", "window", "focus ring on the table"),
    ("focus", "card", "focus ring in a box"),
    ("focus", "paper", "focus ring next to the letter"),
    ("focus", "control_border", "focus ring against the edge it replaces"),
    ("focus", "card_border", "chosen card against an unchosen card edge"),
    ("focus", "accent", "focus ring on a main (blue or yellow) button"),
    ("accent", "window", "main button body on the table"),
    ("late", "card", "urgency stripe: late"),
    ("soon", "card", "urgency stripe: soon"),
    ("accent", "card", "urgency stripe: new"),
    ("new_bg", "card", "'Nieuw' badge on a card"),
    ("scroll_handle", "window", "scroll bar handle"),
]

_active = "normal"


def colors() -> dict[str, str]:
    """The colours of the theme in use."""
    return THEMES[_active]


def is_high_contrast() -> bool:
    return _active == "high_contrast"


# -- contrast (WCAG 2.2 definitions) ----------------------------------------
def relative_luminance(color: str) -> float:
    """WCAG relative luminance of an sRGB colour like ``#1a1a1a``."""
    value = color.lstrip("#")
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(a: str, b: str) -> float:
    """WCAG contrast ratio between two colours, from 1.0 to 21.0."""
    light, dark = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


# -- style --------------------------------------------------------------------
def point_size(scale: int, factor: float = 1.0) -> int:
    return max(8, round(BASE_POINT_SIZE * factor * scale / 100))


def style_sheet(scale: int, high_contrast: bool = False) -> str:
    c = HIGH_CONTRAST if high_contrast else COLORS
    body = point_size(scale)
    big = point_size(scale, 1.45)
    medium = point_size(scale, 1.15)
    pad = max(8, round(10 * scale / 100))
    # Buttons grow with their text, not with their padding: at 200 % a button is
    # 20 px lower than with the padding doubled, so a row of actions that wraps
    # in a narrow pane (the guided window) still fits the window.
    pad_button = min(pad, 12)
    ring = FOCUS_WIDTH_PX
    target = MIN_TARGET_PX
    return f"""
    QWidget {{ color: {c["text"]}; font-size: {body}pt; }}
    QMainWindow, QStackedWidget, QScrollArea, QScrollArea > QWidget > QWidget, QDialog,
    QWizard, QWizardPage, QMessageBox {{ background: {c["window"]}; }}
    QLabel[role="title"] {{ font-size: {big}pt; font-weight: bold; }}
    QLabel[role="summary"] {{ font-size: {medium}pt; }}
    QLabel[role="pane_title"] {{ font-size: {medium}pt; font-weight: bold; }}
    QLabel[role="factname"] {{ font-weight: bold; }}
    QLabel[role="muted"] {{ color: {c["muted"]}; }}
    QLabel[role="practice"] {{ background: {c["practice_bg"]}; color: {c["practice_text"]};
        border: 2px solid {c["control_border"]}; padding: {pad // 2}px {pad}px;
        font-weight: bold; }}
    QLabel[role="notice"] {{ background: {c["card"]}; border: 2px solid {c["card_border"]};
        padding: {pad}px; }}
    QFrame[role="box"] {{ background: {c["card"]}; border: 2px solid {c["card_border"]};
        border-radius: 6px; }}
    QFrame[role="box"] QLabel {{ background: transparent; }}
    QPushButton, QToolButton {{ background: {c["accent"]}; color: {c["accent_text"]};
        border: {ring}px solid {c["control_border"]}; border-radius: 6px;
        padding: {pad_button}px 16px; min-height: {max(0, target - 2 * ring)}px;
        min-width: {target}px; font-weight: bold; }}
    QPushButton[role="secondary"], QToolButton[role="secondary"] {{ background: {c["card"]};
        color: {c["accent"]}; }}
    QWidget#top_bar QPushButton {{ padding: {pad_button}px 10px; }}
    QPushButton:checked {{ background: {c["accent"]}; color: {c["accent_text"]}; }}
    QPushButton:focus, QToolButton:focus {{ border-color: {c["focus"]}; }}
    QPushButton:disabled, QToolButton:disabled {{ background: {c["disabled_bg"]};
        color: {c["disabled_text"]}; border-color: {c["control_border"]}; }}
    QListView, QTreeView, QTableView, QPlainTextEdit, QTextEdit, QTextBrowser {{
        background: {c["window"]}; border: {ring}px solid {c["card_border"]}; }}
    QListView:focus, QTreeView:focus, QTableView:focus, QPlainTextEdit:focus, QTextEdit:focus,
    QTextBrowser:focus {{ border-color: {c["focus"]}; }}
    QScrollArea {{ border: {ring}px solid transparent; }}
    QScrollArea:focus {{ border-color: {c["focus"]}; }}
    QScrollArea#page_area {{ border: none; }}
    QFrame[role="action_bar"] {{ background: {c["window"]};
        border-top: 2px solid {c["card_border"]}; }}
    QLabel[readable="true"] {{ border: 3px solid transparent; padding: 2px; }}
    QLabel[readable="true"]:focus {{ border-color: {c["focus"]}; }}
    QPlainTextEdit[role="paper"], QTextEdit[role="paper"] {{ background: {c["paper"]};
        font-family: serif; }}
    QTreeView::item, QListWidget::item, QTableView::item {{ min-height: {target}px; }}
    QTreeView::item:selected, QListWidget::item:selected, QTableView::item:selected {{
        background: {c["accent"]}; color: {c["accent_text"]}; }}
    QLineEdit, QAbstractSpinBox, QComboBox {{ min-height: {max(0, target - 2 * ring)}px;
        padding: 0 {pad}px; background: {c["card"]}; color: {c["text"]};
        border: {ring}px solid {c["control_border"]}; }}
    QLineEdit:focus, QAbstractSpinBox:focus, QComboBox:focus {{ border-color: {c["focus"]}; }}
    QComboBox QAbstractItemView {{ background: {c["card"]}; color: {c["text"]};
        selection-background-color: {c["accent"]}; selection-color: {c["accent_text"]}; }}
    QCheckBox, QRadioButton {{ min-height: {max(0, target - 2 * ring)}px;
        border: {ring}px solid {c["window"]}; padding: 0 {pad // 2}px; }}
    QCheckBox:focus, QRadioButton:focus {{ border-color: {c["focus"]}; }}
    QCheckBox::indicator, QRadioButton::indicator {{ width: 28px; height: 28px; }}
    QTabBar::tab {{ min-height: {target}px; min-width: {target}px; padding: 0 {pad}px;
        background: {c["card"]}; color: {c["accent"]};
        border: {ring}px solid {c["control_border"]}; }}
    QTabBar::tab:selected {{ background: {c["accent"]}; color: {c["accent_text"]}; }}
    QTabBar::tab:focus {{ border-color: {c["focus"]}; }}
    QSlider {{ min-height: {target}px; }}
    QSlider:focus {{ border: {ring}px solid {c["focus"]}; }}
    QScrollBar:vertical {{ width: {target}px; background: {c["window"]};
        border: 2px solid {c["card_border"]}; }}
    QScrollBar:horizontal {{ height: {target}px; background: {c["window"]};
        border: 2px solid {c["card_border"]}; }}
    QScrollBar::handle {{ background: {c["scroll_handle"]}; border-radius: 4px; margin: 4px; }}
    QScrollBar::handle:vertical {{ min-height: {target}px; }}
    QScrollBar::handle:horizontal {{ min-width: {target}px; }}
    QScrollBar::add-line, QScrollBar::sub-line {{ width: 0; height: 0; border: none; }}
    QScrollBar::add-page, QScrollBar::sub-page {{ background: none; }}
    QScrollBar[idle="true"] {{ border: none; background: {c["window"]}; }}
    QScrollBar[idle="true"]::handle {{ background: transparent; }}
    QScrollBar:horizontal[idle="true"] {{ height: 2px; }}
    QToolTip {{ background: {c["card"]}; color: {c["text"]};
        border: 2px solid {c["card_border"]}; }}
    """


def palette(high_contrast: bool = False) -> QPalette:
    """The same colours for what the style sheet does not reach (dialogs, popups)."""
    c = HIGH_CONTRAST if high_contrast else COLORS
    pal = QPalette()
    roles = QPalette.ColorRole
    for role, key in (
        (roles.Window, "window"),
        (roles.WindowText, "text"),
        (roles.Base, "card"),
        (roles.AlternateBase, "window"),
        (roles.Text, "text"),
        (roles.Button, "card"),
        (roles.ButtonText, "text"),
        (roles.Highlight, "accent"),
        (roles.HighlightedText, "accent_text"),
        (roles.ToolTipBase, "card"),
        (roles.ToolTipText, "text"),
        (roles.PlaceholderText, "muted"),
        (roles.Link, "accent"),
        (roles.BrightText, "text"),
    ):
        pal.setColor(role, QColor(c[key]))
    for role, key in (
        (roles.WindowText, "disabled_text"),
        (roles.Text, "disabled_text"),
        (roles.ButtonText, "disabled_text"),
        (roles.Button, "disabled_bg"),
    ):
        pal.setColor(QPalette.ColorGroup.Disabled, role, QColor(c[key]))
    return pal


def is_applied(app: QCoreApplication | None, scale: int, high_contrast: bool = False) -> bool:
    """Whether ``app`` has this theme already (font, style sheet and colours):
    applying it again would restyle every widget there is for nothing (60 ms
    for the main window at start, issue 14)."""
    if not isinstance(app, QApplication):
        return False
    scale = max(MIN_SCALE, min(MAX_SCALE, int(scale)))
    return (
        _active == ("high_contrast" if high_contrast else "normal")
        and app.font().pointSize() == point_size(scale)
        and app.styleSheet() == style_sheet(scale, high_contrast)
        and app.palette() == palette(high_contrast)
    )


def apply(app: QCoreApplication | None, scale: int, high_contrast: bool = False) -> None:
    """Restyle the whole application for this text scale and theme.

    ``app`` is ``QApplication.instance()``: typed as Qt gives it back."""
    global _active
    assert isinstance(app, QApplication), "theme.apply needs the QApplication"
    _active = "high_contrast" if high_contrast else "normal"
    scale = max(MIN_SCALE, min(MAX_SCALE, int(scale)))
    font = QFont(app.font())
    font.setPointSize(point_size(scale))
    app.setFont(font)
    app.setPalette(palette(high_contrast))
    app.setStyleSheet(style_sheet(scale, high_contrast))
