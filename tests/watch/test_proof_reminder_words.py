"""Every kind of desktop reminder has words in the proof pack of its letter, and
one the pack cannot word still shows (the objection and appeal reminders showed
as empty lines when they were added). A real practice desk; the reminders are
written to it as the watcher writes them (its log setting)."""

from __future__ import annotations

import json
from datetime import date

from app import proof, watch
from app.reminders import Kind
from app.session import Session


def test_every_reminder_kind_is_worded_in_the_proof_pack(tmp_path):
    session = Session.open_practice(tmp_path, person_id="koen", today=lambda: date(2026, 12, 1))
    try:
        letter = session.table()[0]
        kinds = [k.value for k in Kind] + ["a-kind-of-later"]
        log = [{"letter": letter.id, "kind": k, "at": "2026-12-01T09:00:00"} for k in kinds]
        session.desk.set_setting("koen", watch.LOG, json.dumps(log))
        events = proof._desk_events(session.desk, "koen", letter)
        said = [e.text for e in events if e.text.startswith("herinnering op de computer")]
        assert len(said) == len(kinds)
        assert len(set(said[: len(Kind)])) == len(Kind)  # each kind its own words
        assert said[-1] == "herinnering op de computer"
    finally:
        session.close()
