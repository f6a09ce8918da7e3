"""The objection term of a decision, counted as the law counts it.

* Awb art. 6:7: the term for an objection (bezwaar) or appeal is six weeks.
* Awb art. 6:8: it starts on the day after the decision was sent (bekendgemaakt),
  so it ends at the end of the same weekday six weeks later: sent on a Monday,
  it ends on the Monday six weeks on.
* Algemene termijnenwet art. 1: a term that ends on a Saturday, a Sunday or a
  generally recognised holiday runs on to the next day that is none of these.
  Art. 3 lid 1 names the holidays, lid 2 equates Good Friday with them.

Days equated by Royal Decree (art. 3 lid 3, a decree every few years, such as
the Friday after Ascension Day) are *not* counted here: we do not have those
decrees as data. Without them the date we give is at most a few days *earlier*
than the law's, never later, so nobody who follows it is too late.
"""

from __future__ import annotations

from datetime import date, timedelta

OBJECTION_WEEKS = 6


def easter(year: int) -> date:
    """Easter Sunday (Gregorian), by the anonymous algorithm (Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return date(year, month, day + 1)


def kings_day(year: int) -> date:
    """The day the King's (before 2014 the Queen's) birthday is celebrated:
    27 April (30 April until 2013); on a Sunday the day before."""
    day = date(year, 4, 27) if year >= 2014 else date(year, 4, 30)
    return day - timedelta(days=1) if day.weekday() == 6 else day


def holidays(year: int) -> dict[date, str]:
    """The generally recognised holidays of the Algemene termijnenwet art. 3
    lid 1 and 2 in ``year``, by day (the name is for tests and docs, in Dutch)."""
    sunday = easter(year)
    days = {
        date(year, 1, 1): "Nieuwjaarsdag",
        sunday - timedelta(days=2): "Goede Vrijdag",
        sunday + timedelta(days=1): "Tweede Paasdag",
        kings_day(year): "Koningsdag",
        date(year, 5, 5): "Bevrijdingsdag",
        sunday + timedelta(days=39): "Hemelvaartsdag",
        sunday + timedelta(days=50): "Tweede Pinksterdag",
        date(year, 12, 25): "Eerste Kerstdag",
        date(year, 12, 26): "Tweede Kerstdag",
    }
    return days


def is_holiday(day: date) -> bool:
    return day in holidays(day.year)


def is_working_day(day: date) -> bool:
    """Not a Saturday, a Sunday or a holiday of the Algemene termijnenwet."""
    return day.weekday() < 5 and not is_holiday(day)


def next_working_day(day: date) -> date:
    """``day`` itself when it is a working day, else the first one after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def objection_end(sent: date, weeks: int = OBJECTION_WEEKS) -> date:
    """The last day to object to a decision sent on ``sent``: the term starts the
    day after (Awb 6:8), lasts ``weeks`` weeks (Awb 6:7) and so ends on the same
    weekday as ``sent``; moved to the next working day when that is a Saturday,
    Sunday or holiday (Algemene termijnenwet art. 1)."""
    return next_working_day(sent + timedelta(weeks=weeks))
