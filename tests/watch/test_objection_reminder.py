"""Issue 15 through the watcher: a reminder a week before the objection term ends,
and on its last day (app/reminders.py, pure rules).

The letters are the explanation tests' real-looking decisions; their end dates
come from the core (app/explain/terms.py): a term that ends on a Sunday, at
Easter or at Christmas moves to the next working day, and so do the reminders.
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

from app import reminders as r
from app.explain import objection
from app.model import Letter
from app.reminders import Kind
from explain import explain_letters as L  # noqa: N812 - the explanation tests' letters


def woz(dated: str = "31 januari 2027", *, received: date, read: bool = True) -> Letter:
    """The WOZ decision of Gemeente Zwolle, dated ``dated``, opened (no other reminder)."""
    text = L.WOZ.replace("31 januari 2027", dated)
    found = L.letter("gemeente", "Gemeente Zwolle", "WOZ-beschikking", text, received=received)
    return dataclasses.replace(found, read=read, deadline=None)


def days_seen(letters, first: date, last: date, **kw) -> dict[date, list[str]]:
    """Day by day as the watcher keeps it: each day's reminders, ``reminded`` kept."""
    reminded: dict[str, date] = {}
    seen = {}
    day = first
    while day <= last:
        due = r.desktop_reminders(letters, day, reminded=reminded, **kw)
        reminded.update({x.letter_id: day for x in due})
        if due:
            seen[day] = [x.text for x in due]
        day += timedelta(days=1)
    return seen


def test_a_week_before_and_on_the_last_day_a_sunday_end_moves_to_monday():
    # 31 January 2027 + six weeks = Sunday 14 March: the term ends Monday 15 March
    letter = woz(received=date(2027, 2, 2))
    assert objection(letter).until == date(2027, 3, 15)
    seen = days_seen([letter], date(2027, 2, 2), date(2027, 4, 1))
    assert seen == {
        date(2027, 3, 8): [
            "Bezwaar maken tegen de brief van Gemeente Zwolle kan nog tot 15 maart 2027."
        ],
        date(2027, 3, 15): [
            "Vandaag is de laatste dag om bezwaar te maken tegen de brief van Gemeente Zwolle."
        ],
    }


def test_easter_and_christmas_move_the_end_and_the_reminders_with_it():
    # 12 February + six weeks = Good Friday 26 March 2027; Easter Monday 29 March: Tuesday 30
    easter = woz("12 februari 2027", received=date(2027, 2, 13))
    assert objection(easter).until == date(2027, 3, 30)
    seen = days_seen([easter], date(2027, 2, 13), date(2027, 4, 30))
    assert list(seen) == [date(2027, 3, 23), date(2027, 3, 30)]
    # 13 November 2026 + six weeks = Christmas Day; the 26th, a Saturday, a Sunday: Monday 28
    christmas = woz("13 november 2026", received=date(2026, 11, 14))
    assert objection(christmas).until == date(2026, 12, 28)
    seen = days_seen([christmas], date(2026, 11, 14), date(2027, 1, 31))
    assert list(seen) == [date(2026, 12, 21), date(2026, 12, 28)]
    assert seen[date(2026, 12, 21)] == [
        "Bezwaar maken tegen de brief van Gemeente Zwolle kan nog tot 28 december 2026."
    ]


def test_the_cjib_is_an_appeal():
    cjib = dataclasses.replace(
        L.letter("cjib", "CJIB", "Beschikking verkeersboete", L.CJIB_BESCHIKKING), read=True
    )
    end = objection(cjib).until
    assert end == date(2027, 2, 15)
    week = r.desktop_reminders([cjib], end - timedelta(days=7))
    assert [(x.kind, x.text) for x in week] == [
        (Kind.APPEAL, "Beroep instellen tegen de brief van CJIB kan nog tot 15 februari 2027.")
    ]
    (last,) = r.desktop_reminders([cjib], end, reminded={cjib.id: end - timedelta(days=1)})
    assert last.text == "Vandaag is de laatste dag om beroep in te stellen tegen de brief van CJIB."


def test_never_for_a_guess_nor_for_a_letter_that_is_no_decision():
    guess = dataclasses.replace(
        L.letter("onbekend-org", "Stichting X", "Besluit over uw aanvraag", L.UNKNOWN), read=True
    )
    assert objection(guess) is not None and not objection(guess).certain
    apk = dataclasses.replace(
        L.letter("rdw", "RDW", "Uw auto moet op tijd gekeurd worden", L.RDW_APK), read=True
    )
    assert objection(apk) is None
    for letter in (guess, apk):
        seen = days_seen(
            [dataclasses.replace(letter, deadline=None)], date(2027, 1, 4), date(2027, 4, 1)
        )
        assert seen == {}, letter.sender


def test_only_on_the_table_and_not_while_snoozed_and_a_missed_week_day_comes_later():
    letter = woz(received=date(2027, 2, 2))
    week, end = date(2027, 3, 8), date(2027, 3, 15)
    assert r.desktop_reminders([], week) == []  # put away: not passed, never reminded
    # snoozed over the week's day: quiet, then the week's reminder once the snooze ends
    seen = days_seen(
        [letter], date(2027, 3, 1), date(2027, 3, 20), snoozed={letter.id: week + timedelta(days=2)}
    )
    assert list(seen) == [week + timedelta(days=2), end]
    # the computer off on that day (nothing shown since the 3rd): it comes on the 10th
    (late,) = r.desktop_reminders(
        [letter], date(2027, 3, 10), reminded={letter.id: date(2027, 3, 3)}
    )
    assert late.kind is Kind.OBJECTION and "kan nog tot 15 maart 2027" in late.text
    # snoozed over the last day: nothing (the person chose quiet)
    assert r.desktop_reminders([letter], end, snoozed={letter.id: end + timedelta(days=1)}) == []
    # after the term: nothing
    assert r.desktop_reminders([letter], end + timedelta(days=1)) == []


def test_on_its_two_days_it_goes_before_unopened_which_comes_back_after():
    letter = woz(received=date(2027, 2, 2), read=False)
    week = date(2027, 3, 8)
    before = r.desktop_reminders(
        [letter], week - timedelta(days=1), reminded={letter.id: week - timedelta(days=2)}
    )
    assert [x.kind for x in before] == [Kind.UNOPENED]
    (on,) = r.desktop_reminders([letter], week, reminded={letter.id: week - timedelta(days=1)})
    assert on.kind is Kind.OBJECTION
    after = r.desktop_reminders([letter], week + timedelta(days=1), reminded={letter.id: week})
    assert [x.kind for x in after] == [Kind.UNOPENED]


def test_the_tray_count_and_the_snooze_button_see_it_only_on_its_days():
    """reminder_for without the last day reminded (the tray's count, the letter
    screen's "Later herinneren"): exactly a week before and the last day."""
    letter = woz(received=date(2027, 2, 2))
    due = [
        date(2027, 3, 1) + timedelta(days=n)
        for n in range(20)
        if r.reminder_for(letter, date(2027, 3, 1) + timedelta(days=n), reminded_before=True)
    ]
    assert due == [date(2027, 3, 8), date(2027, 3, 15)]


# -- through the watcher: the real desk, and `brieventafel --watch --once` ----------------
def test_the_watcher_says_it_on_its_days_on_the_practice_desk(tmp_path):
    """app.watch.run_once (what --watch --once runs) on a real practice desk, day by day."""
    from datetime import UTC, datetime

    from app import watch
    from app.session import Session

    data = tmp_path / "data"
    Session.open_practice(data, person_id="koen", today=lambda: date(2026, 11, 28)).close()
    said = {}
    for day in (date(2026, 11, 26), date(2026, 11, 27), date(2026, 12, 3), date(2026, 12, 4)):
        noon = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
        result = watch.run_once(
            data, person_id="koen", today=lambda d=day: d, clock=lambda n=noon: n
        )
        said[day] = [line for line in result.lines if "bezwaar" in line.lower()]
    # the parking decision and the Toeslagen decision: their term ends Friday 4 December
    assert said[date(2026, 11, 26)] == []
    assert [line.split(": ", 1)[1] for line in said[date(2026, 11, 27)]] == [
        "Bezwaar maken tegen de brief van Gemeente Zwolle kan nog tot 4 december 2026.",
        "Bezwaar maken tegen de brief van Dienst Toeslagen kan nog tot 4 december 2026.",
    ]
    assert said[date(2026, 12, 3)] == []
    assert [line.split(": ", 1)[1] for line in said[date(2026, 12, 4)]] == [
        "Vandaag is de laatste dag om bezwaar te maken tegen de brief van Gemeente Zwolle.",
        "Vandaag is de laatste dag om bezwaar te maken tegen de brief van Dienst Toeslagen.",
    ]


def test_watch_once_prints_it_as_a_real_process(tmp_path):
    """The real command, on the real calendar: the practice desk is made on a day
    that puts a decision's term end a week from today (the practice letters' dates
    follow the day the desk is made)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from app.session import Session

    root = Path(__file__).resolve().parents[2]
    today = date.today()
    data = None
    for back in range(-1, 60):
        seed = today - timedelta(days=back)
        folder = tmp_path / f"data{back}"
        session = Session.open_practice(folder, person_id="koen", today=lambda s=seed: s)
        try:
            ends = {
                x.sender: found.until
                for x in session.table()
                if (found := objection(x)) is not None and found.certain
            }
        finally:
            session.close()
        hits = sorted(s for s, end in ends.items() if (end - today).days == 7)
        if hits:
            data = folder
            break
    assert data is not None, "no day makes a practice decision's term end in a week"
    env = dict(os.environ, PYTHONPATH=str(root), XDG_DATA_HOME=str(tmp_path / "xdg"))
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "app",
            "--data-dir",
            str(data),
            "--watch",
            "--once",
            "--person",
            "koen",
        ],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    for sender in hits:
        assert f"Herinnering: Bezwaar maken tegen de brief van {sender} kan nog tot " in done.stdout
