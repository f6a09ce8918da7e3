"""A practice letter now and then (issue 16): the watcher itself puts one in the
practice box every 7 days (the first run included), so a person who learns
sees a reminder happen; never on a server. A clock makes it deterministic."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app import watch


def practice_ids(data_dir):
    from app.session import Session

    session = Session.open_practice(data_dir, person_id="koen")
    try:
        return sorted(l.id for l in session.table() if "-oefen-" in l.id)
    finally:
        session.close()


def test_a_practice_letter_arrives_every_seven_days_and_is_reminded(tmp_path):
    data_dir = tmp_path / "data"
    start = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    seen: dict[int, list[str]] = {}
    for day in (0, 1, 6, 7, 8, 14):
        now = start + timedelta(days=day)
        result = watch.run_once(
            data_dir, person_id="koen", today=lambda n=now: n.date(), clock=lambda n=now: n
        )
        seen[day] = practice_ids(data_dir)
        if day in (0, 7, 14):
            assert "Herinnering: Nieuwe brief van RDW." in result.lines, day
    assert len(seen[0]) == 1
    assert seen[1] == seen[6] == seen[0]
    assert len(seen[7]) == 2 and seen[8] == seen[7]
    assert len(seen[14]) == 3
    assert seen[0][0] == "koen-oefen-20261201090000"
