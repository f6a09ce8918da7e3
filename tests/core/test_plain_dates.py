"""Dutch dates on the cards are written without Babel (it is slow to load before
the first frame), and must say exactly what Babel's Dutch locale says."""

from __future__ import annotations

from datetime import date

import pytest
from babel.dates import format_date as babel_format_date

from app import i18n
from app.plain import format_date


@pytest.fixture
def dutch():
    before = i18n.language()
    i18n.set_language("nl")
    yield
    i18n.set_language(before)


@pytest.mark.parametrize("fmt", ["long", "d MMMM"])
def test_every_dutch_month_reads_as_babel_writes_it(dutch, fmt):
    for year, month, day in ((2026, m, d) for m in range(1, 13) for d in (1, 9, 28)):
        day_ = date(year, month, day)
        assert format_date(day_, fmt) == babel_format_date(day_, format=fmt, locale="nl_NL")


def test_other_languages_and_formats_still_go_through_babel(dutch):
    day = date(2026, 3, 5)
    assert format_date(day, "short") == babel_format_date(day, format="short", locale="nl_NL")
    i18n.set_language("de")
    assert format_date(day) == "5. März 2026"
    assert format_date(None) == ""
