"""The objection term: Awb 6:7 and 6:8, and the Algemene termijnenwet (pure)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.explain.terms import (
    easter,
    holidays,
    is_working_day,
    kings_day,
    next_working_day,
    objection_end,
)

DAYS = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31))


@pytest.mark.parametrize(
    ("year", "sunday"),
    [
        (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)),
        (2026, date(2026, 4, 5)),
        (2027, date(2027, 3, 28)),
        (2028, date(2028, 4, 16)),
        (2038, date(2038, 4, 25)),  # the latest possible Easter
        (2285, date(2285, 3, 22)),  # the earliest possible Easter
    ],
)
def test_easter_sunday(year, sunday):
    assert easter(year) == sunday


def test_the_holidays_of_2027_hang_on_easter_where_they_should():
    days = holidays(2027)
    assert days[date(2027, 3, 26)] == "Goede Vrijdag"
    assert days[date(2027, 3, 29)] == "Tweede Paasdag"
    assert days[date(2027, 5, 6)] == "Hemelvaartsdag"
    assert days[date(2027, 5, 17)] == "Tweede Pinksterdag"
    assert days[date(2027, 4, 27)] == "Koningsdag"
    assert {date(2027, 1, 1), date(2027, 5, 5), date(2027, 12, 25), date(2027, 12, 26)} <= set(days)
    assert len(days) == 9


def test_kings_day_on_a_sunday_is_the_saturday_before():
    assert kings_day(2025) == date(2025, 4, 26)  # 27 April 2025 is a Sunday
    assert kings_day(2026) == date(2026, 4, 27)
    assert kings_day(2013) == date(2013, 4, 30)  # still the Queen's day


def test_six_weeks_end_on_the_same_weekday():
    # Sent on Monday 4 January 2027: the term starts on the 5th, ends Monday 15 February.
    assert objection_end(date(2027, 1, 4)) == date(2027, 2, 15)


def test_a_term_that_ends_on_a_saturday_runs_to_monday():
    assert objection_end(date(2027, 1, 2)) == date(2027, 2, 15)  # Sat 13 Feb -> Mon 15 Feb


def test_a_term_that_ends_on_good_friday_runs_past_easter_monday():
    # Sent Friday 12 February 2027: six weeks end on Good Friday 26 March,
    # Saturday, Sunday and Easter Monday follow: Tuesday 30 March.
    assert objection_end(date(2027, 2, 12)) == date(2027, 3, 30)


def test_a_term_that_ends_on_ascension_day_runs_to_the_friday():
    # Ascension Day 2027 is Thursday 6 May (Easter 28 March + 39 days).
    assert objection_end(date(2027, 3, 25)) == date(2027, 5, 7)


def test_a_term_that_ends_on_whit_monday_runs_to_tuesday():
    assert objection_end(date(2027, 4, 5)) == date(2027, 5, 18)  # Whit Monday 17 May 2027


def test_christmas_and_new_year():
    assert objection_end(date(2027, 11, 13)) == date(2027, 12, 27)  # Sat 25 Dec -> Mon 27
    assert objection_end(date(2026, 11, 20)) == date(2027, 1, 4)  # Fri 1 Jan -> Mon 4 Jan


@given(DAYS)
def test_the_end_is_never_before_six_weeks_and_at_most_a_few_days_after(sent):
    end = objection_end(sent)
    assert end >= sent + timedelta(weeks=6)
    # The longest run of non-working days is Good Friday to Easter Monday (4 days)
    # or Christmas + a weekend: the end moves at most 4 days.
    assert (end - (sent + timedelta(weeks=6))).days <= 4


@given(DAYS)
def test_the_end_is_never_a_weekend_or_holiday(sent):
    end = objection_end(sent)
    assert end.weekday() < 5
    assert end not in holidays(end.year)


@given(DAYS)
def test_a_working_day_six_weeks_on_is_the_end_itself(sent):
    plain = sent + timedelta(weeks=6)
    if is_working_day(plain):
        assert objection_end(sent) == plain
    else:
        assert objection_end(sent) > plain
        assert all(
            not is_working_day(plain + timedelta(days=i))
            for i in range((objection_end(sent) - plain).days)
        )


@given(DAYS)
def test_next_working_day_is_idempotent_and_monotone(day):
    first = next_working_day(day)
    assert next_working_day(first) == first
    assert first >= day
    assert next_working_day(day + timedelta(days=1)) >= first


@given(st.integers(min_value=1900, max_value=2400))
def test_easter_is_a_sunday_between_22_march_and_25_april(year):
    sunday = easter(year)
    assert sunday.weekday() == 6
    assert date(year, 3, 22) <= sunday <= date(year, 4, 25)
