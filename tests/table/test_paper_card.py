"""A letter the person added from paper says so on its card ("Papieren brief"
beside "Nieuw") and in the card's spoken sentence; a letter from the Berichtenbox
does not. A real desk and the real card delegate painting into an image."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import QModelIndex
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QApplication, QStyleOptionViewItem

from app.model import PAPER
from app.plain import letter_sentence
from app.session import Session
from ui.shell import theme
from ui.shell.main_window import MainWindow

TODAY = date(2026, 11, 28)


def _painted(delegate, index, width: int, height: int) -> QImage:
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(0xFFFFFFFF)
    option = QStyleOptionViewItem()
    option.rect = image.rect()
    painter = QPainter(image)
    delegate.paint(painter, option, index)
    painter.end()
    return image


def test_a_paper_letter_says_so_on_its_card_and_aloud(qtbot, tmp_path):
    session = Session.open_practice(tmp_path, person_id="koen", today=lambda: TODAY)
    theme.apply(QApplication.instance(), theme.MIN_SCALE)
    window = MainWindow(session, pdf_folder=tmp_path / "pdf")
    qtbot.addWidget(window)
    try:
        letter = session.table()[0]
        paper = replace(letter, source=PAPER)
        assert "Papieren brief." in letter_sentence(paper, TODAY)
        assert "Papieren brief" not in letter_sentence(letter, TODAY)
        view = window.table_screen.view
        model = view.model()
        index = model.index(0, 0, QModelIndex())
        delegate = view.itemDelegate()
        size = delegate.sizeHint(QStyleOptionViewItem(), index)
        width, height = max(size.width(), 900), size.height()
        plain = _painted(delegate, index, width, height)
        model._letters[model.ids()[0]] = replace(model.letter_at(0), source=PAPER)
        model._cache.clear()
        tagged = _painted(delegate, index, width, height)
        assert tagged != plain  # the tag is drawn (the same card otherwise)
    finally:
        session.close()
