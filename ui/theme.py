"""Look and size: large type by default, text size 100-200 %, visible focus.

All sizes come from one style sheet made from the text scale, so changing
the scale restyles every screen at once. Colours are chosen for a contrast of
at least 7:1 for text and 3:1 for control edges and focus.
"""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

BASE_POINT_SIZE = 14          # body text at 100 %
MIN_SCALE, MAX_SCALE, SCALE_STEP = 100, 200, 25
MIN_TARGET_PX = 44            # every control at least 44 x 44 px at 100 %

# Normal theme (contrast against its background measured in tests/test_theme.py).
COLORS = {
    "window": "#f7f4ee",       # warm paper-like table
    "text": "#1a1a1a",
    "muted": "#3d3d3d",
    "card": "#ffffff",
    "card_border": "#5c5c5c",
    "accent": "#0b4f8a",       # buttons, focus
    "accent_text": "#ffffff",
    "focus": "#b34700",
    "practice_bg": "#fff1b8",
    "practice_text": "#1a1a1a",
    "late": "#8a0f0f",
    "soon": "#6b3d00",
    "new_bg": "#0b4f8a",
    "new_text": "#ffffff",
    "paper": "#ffffff",
}


def point_size(scale: int, factor: float = 1.0) -> int:
    return max(8, round(BASE_POINT_SIZE * factor * scale / 100))


def style_sheet(scale: int) -> str:
    c = COLORS
    body = point_size(scale)
    big = point_size(scale, 1.45)
    medium = point_size(scale, 1.15)
    pad = max(8, round(10 * scale / 100))
    return f"""
    QWidget {{ color: {c['text']}; font-size: {body}pt; }}
    QMainWindow, QStackedWidget, QScrollArea, QScrollArea > QWidget > QWidget {{
        background: {c['window']}; }}
    QLabel[role="title"] {{ font-size: {big}pt; font-weight: bold; }}
    QLabel[role="summary"] {{ font-size: {medium}pt; }}
    QLabel[role="factname"] {{ font-weight: bold; }}
    QLabel[role="practice"] {{ background: {c['practice_bg']}; color: {c['practice_text']};
        border: 2px solid {c['card_border']}; padding: {pad // 2}px {pad}px; font-weight: bold; }}
    QLabel[role="notice"] {{ background: {c['card']}; border: 2px solid {c['focus']};
        padding: {pad}px; }}
    QFrame[role="box"] {{ background: {c['card']}; border: 2px solid {c['card_border']};
        border-radius: 6px; }}
    QPushButton, QToolButton {{ background: {c['accent']}; color: {c['accent_text']};
        border: 2px solid {c['accent']}; border-radius: 6px; padding: {pad}px {pad * 2}px;
        min-height: {MIN_TARGET_PX - 2 * pad // 2}px; min-width: {MIN_TARGET_PX}px;
        font-weight: bold; }}
    QPushButton[role="secondary"] {{ background: {c['card']}; color: {c['accent']}; }}
    QPushButton:focus, QToolButton:focus {{ border: 4px solid {c['focus']}; }}
    QPushButton:disabled {{ background: #d6d6d6; color: #1a1a1a; border-color: #5c5c5c; }}
    QListView, QTreeWidget, QPlainTextEdit {{ background: {c['window']};
        border: 2px solid {c['card_border']}; }}
    QListView:focus, QTreeWidget:focus, QPlainTextEdit:focus {{ border: 4px solid {c['focus']}; }}
    QPlainTextEdit[role="paper"] {{ background: {c['paper']}; font-family: serif; }}
    QTreeWidget::item {{ min-height: {MIN_TARGET_PX}px; }}
    QTreeWidget::item:selected {{ background: {c['accent']}; color: {c['accent_text']}; }}
    QComboBox {{ min-height: {MIN_TARGET_PX}px; padding: 0 {pad}px; background: {c['card']};
        border: 2px solid {c['card_border']}; }}
    QComboBox:focus {{ border: 4px solid {c['focus']}; }}
    QCheckBox {{ min-height: {MIN_TARGET_PX}px; }}
    QCheckBox::indicator {{ width: 28px; height: 28px; }}
    QCheckBox:focus {{ border: 3px solid {c['focus']}; }}
    """


def apply(app: QApplication, scale: int) -> None:
    scale = max(MIN_SCALE, min(MAX_SCALE, int(scale)))
    font = QFont(app.font())
    font.setPointSize(point_size(scale))
    app.setFont(font)
    app.setStyleSheet(style_sheet(scale))
