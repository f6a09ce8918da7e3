"""Issue 15 on the table: a decision's card says until when one can object.

"Bezwaar tot 31 december" ("Beroep tot ..." for the CJIB) is painted in the room
the card has (the end of the last row, beside the sender, or a free line of the
summary); the card is not made taller for it and the deadline is never cut. At
1280 x 652 and 200 %, in Dutch and Arabic, the table still shows a whole card and
fits. The card's spoken sentence says the date too. Real window, real practice
desk (Koen's letters on 28 November 2026), real painting (``grab``).
"""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QAbstractButton

from explain import explain_letters as L  # noqa: N812 - the explanation tests' letters
from fit import fit_problems, settle
from ui.table import card_delegate
from ui.table.card_delegate import MARGIN, _fonts, objection_phrase

pytestmark = pytest.mark.gui

#: Koen's practice decisions on 28 November 2026 and their objection dates (the core's)
DECISIONS = {
    "koen-002": "Bezwaar tot 4 december",  # parking: its deadline is 6 days past
    "koen-008": "Bezwaar tot 31 december",  # Belastingdienst
    "koen-006": "Bezwaar tot 4 januari",  # GBLT
    "koen-021": "Bezwaar tot 30 december",  # UWV: its deadline is the same day
    "koen-011": "Bezwaar tot 8 januari",  # Toeslagen, no deadline
}
NOT_NOW = ["koen-003", "koen-001", "koen-010", "koen-020"]  # no decision, or the term is over


def at(window, scale: int, lang: str, size=QSize(1280, 652)) -> None:
    if lang != "nl":
        from ui.language.screen import change_language

        change_language(window, lang)
    window.findChild(QAbstractButton, "start_own").click()
    window.set_scale(scale)
    if window.isMaximized():
        window.showNormal()
    window.resize(size)
    settle(window)


def letter_sender(view, letter_id: str) -> str:
    model = view.model()
    return model.index(model.row_of(letter_id), 0).data(model.SenderRole)


def show_card(window, letter_id: str):
    """Scroll the card to the top, paint the window; the card's rect (viewport)."""
    view = window.table_screen.view
    model = view.model()
    index = model.index(model.row_of(letter_id), 0)
    assert index.isValid(), letter_id
    view.scrollTo(index, view.ScrollHint.PositionAtTop)
    settle(window)
    window.grab()  # really painted
    return view.visualRect(index)


@pytest.mark.parametrize("lang", ["nl", "ar"])
@pytest.mark.parametrize("scale", [100, 200])
def test_a_decision_card_says_until_when_without_growing_or_cutting(window, scale, lang):
    at(window, scale, lang)
    view = window.table_screen.view
    delegate = view.itemDelegate()
    font = view.font()
    meta = QFontMetrics(_fonts(font)[2])
    # the height is the one the summaries alone ask for: the objection adds nothing
    height = card_delegate.card_height(font, delegate.width, delegate.summaries)
    for letter_id, dutch in DECISIONS.items():
        card = show_card(window, letter_id)
        assert card.height() == height
        painted = delegate.painted[letter_id]
        phrase = painted["objection_shown"]
        if lang == "nl":
            assert phrase == dutch
        assert "…" not in phrase  # whole
        where: QRect = painted["objection"]
        assert meta.horizontalAdvance(phrase) <= where.width()
        inside = card.adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN)
        assert inside.contains(where), (letter_id, painted["objection_place"], where, inside)
        assert not where.intersects(painted["sender"])
        # the sender whole, or shortened with "…": never cut off mid-word
        sender_font = QFontMetrics(_fonts(font)[0])
        shown = painted["sender_shown"]
        assert sender_font.horizontalAdvance(shown) <= painted["sender"].width(), shown
        assert shown == letter_sender(view, letter_id) or shown.endswith("…"), shown
        if "deadline" in painted:  # the deadline line whole, and not under the date
            deadline = (
                view.model()
                .index(view.model().row_of(letter_id), 0)
                .data(view.model().DeadlineRole)
            )
            assert meta.horizontalAdvance(deadline) <= painted["deadline"].width()
            assert not where.intersects(painted["deadline"])
    for letter_id in NOT_NOW:
        show_card(window, letter_id)
        assert "objection" not in delegate.painted[letter_id], letter_id
    # the table still shows a whole card and fits
    seen = view.viewport().rect()
    rows = range(view.model().rowCount())
    assert any(seen.contains(view.visualRect(view.model().index(r, 0))) for r in rows)
    assert fit_problems(window) == []


def test_the_spoken_sentence_says_the_date_too(window):
    at(window, 100, "nl")
    model = window.table_screen.view.model()

    def said(letter_id: str) -> str:
        return model.index(model.row_of(letter_id), 0).data(Qt.ItemDataRole.AccessibleTextRole)

    assert said("koen-008").endswith("U kunt bezwaar maken tot 31 december 2026.")
    assert "U kunt bezwaar maken tot 4 januari 2027." in said("koen-006")
    for letter_id in NOT_NOW:
        assert "bezwaar" not in said(letter_id), letter_id


def test_the_cjib_is_appeal_and_a_guess_is_not_on_the_card():
    cjib = L.letter("cjib", "CJIB", "Beschikking verkeersboete", L.CJIB_BESCHIKKING)
    phrase = objection_phrase(cjib, date(2027, 1, 5))
    assert phrase.startswith("Beroep tot ")
    # after the term: nothing
    assert objection_phrase(cjib, date(2027, 12, 1)) == ""
    # an unknown letter that only looks like a decision: the letter screen hedges it
    guess = L.letter("onbekend-org", "Stichting X", "Besluit over uw aanvraag", L.UNKNOWN)
    assert objection_phrase(guess, date(2027, 1, 5)) == ""
