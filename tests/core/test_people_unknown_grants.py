"""When the service's grants cannot be read, the app errs on the safe side.

A real practice session for Piet (bewindvoerder of ten clients). The failure
to read the grants is made by replacing the box's ``grants`` with one that
raises, as a server with a broken answer does (tests/wire has the same over a
real HTTP server); nothing else is replaced."""

from __future__ import annotations

from datetime import date

from app import people
from app.mailbox import ErrorCode, MailboxError
from app.session import Session

TODAY = date(2026, 12, 1)


def refuse() -> None:
    raise MailboxError(ErrorCode.BAD_ANSWER, "grants: bad field")


def test_grants_known_before_stay_when_they_cannot_be_read_again(tmp_path):
    session = Session.open_practice(tmp_path, person_id="piet", today=lambda: TODAY)
    try:
        before = {r.person.id: (r.relation, r.can_act) for r in people.represented(session)}
        assert before["wim"] == ("bewindvoerder", True)
        session.mailbox.grants = refuse  # type: ignore[method-assign]
        session.load_people()
        after = {r.person.id: (r.relation, r.can_act) for r in people.represented(session)}
        assert after == before
    finally:
        session.close()


def test_without_any_known_grant_a_listed_person_is_only_read(tmp_path):
    session = Session.open_practice(tmp_path, person_id="piet", today=lambda: TODAY)
    try:
        session.grants_known = ()
        session.mailbox.grants = refuse  # type: ignore[method-assign]
        session.load_people()
        others = [r for r in people.represented(session) if r.person.id != "piet"]
        assert others and all(not r.can_act for r in others)
    finally:
        session.close()


def test_a_helper_without_a_known_name_is_your_helper_not_your(tmp_path):
    """The week's warning to the person who gave the mandate names the helper by
    first name; without a name it says "uw helper" whole (it said "uw")."""
    from datetime import timedelta

    Session.open_practice(tmp_path, person_id="willem", today=lambda: TODAY).close()
    later = TODAY + timedelta(days=25)  # the box was made today: Ingrid's ends in 5 days
    willem = Session.open_practice(tmp_path, person_id="willem", today=lambda: later)
    try:
        [line] = people.person_warnings(willem)
        assert "voor Ingrid stopt op" in line
        willem.names_known = {}
        [line] = people.person_warnings(willem)
        assert "voor uw helper stopt op" in line and "Moet uw helper uw post" in line
    finally:
        willem.close()
