"""Issue 13: the people a signed-in person acts for, over a real practice session.

A real practice box (SQLite, seeded from resources/practice with the mandate
stories' letters) and a real desk under ``tmp_path``; nothing mocked. The
session's holder is the signed-in person; ``session.person`` is whose post is
shown; :mod:`app.people` reads only what the session heard and the desk."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from app import mandates as mnd
from app import people
from app.desk import Desk
from app.mailbox import ErrorCode, MailboxError
from app.mailbox.practice import (
    PracticeMailbox,
    load_mandate_data,
    load_story_letters,
    story_letters,
)
from app.session import Session

TODAY = date(2026, 12, 1)
PIETS_CLIENTS = ["wim", "fatima", "henk", "truus", "mohamed"]
PIETS_CLIENTS += ["ans", "gerrit", "yvonne", "dirk", "marja"]


def open_as(folder: Path, person_id: str, today: date = TODAY) -> Session:
    return Session.open_practice(folder, person_id=person_id, today=lambda: today)


@pytest.fixture
def sessions(tmp_path):
    opened: list[Session] = []

    def make(person_id: str, today: date = TODAY, folder: str = "") -> Session:
        session = open_as(tmp_path / (folder or person_id), person_id, today)
        opened.append(session)
        return session

    yield make
    for session in opened:
        session.close()


def same_box_as(session: Session, person_id: str, desk_folder: Path) -> Session:
    """Another person signed in to the same practice box (their own desk)."""
    box = PracticeMailbox(
        session.mailbox.path, person_id=person_id, holder=person_id, today=session.today
    )
    me = box.me()
    other = Session(box, Desk(desk_folder, today=session.today), me, session.today)
    other.signed_in = me
    other.load_people()
    return other


def refused(call, *args) -> str:
    with pytest.raises(MailboxError) as error:
        call(*args)
    assert error.value.code is ErrorCode.FORBIDDEN
    return error.value.detail


def test_the_holder_is_the_signed_in_person_and_comes_first(sessions):
    koen = sessions("koen")
    assert koen.holder == koen.person and koen.holder.id == "koen"
    (only,) = people.represented(koen)
    assert only.relation == "self" and only.can_act and only.organisations is None
    piet = sessions("piet")
    assert piet.holder.id == "piet" == piet.person.id
    found = people.represented(piet)
    assert [r.person.id for r in found] == ["piet", *PIETS_CLIENTS]
    assert {r.relation for r in found[1:]} == {"bewindvoerder"}
    assert all(r.can_act and r.ends_on is None and not r.ended for r in found[1:])
    assert "rdw" not in found[1].organisations and "belastingdienst" in found[1].organisations


def test_monique_handles_sannes_letters_and_sanne_reads_it_in_her_log(sessions, tmp_path):
    monique = sessions("monique")
    (_, sanne) = people.represented(monique)
    assert (sanne.person.id, sanne.relation, sanne.can_act, sanne.organisations) == (
        "sanne",
        "curator",
        True,
        None,
    )
    monique.switch_person("sanne")
    assert monique.person.id == "sanne" and monique.holder.id == "monique"
    table = monique.table()
    assert len(table) == 6 and any(letter.org_id == "rdw" for letter in table)  # a curator: all
    first, second = table[0], table[1]
    opened = monique.open_letter(first.id)
    assert opened.id == first.id
    monique.put_away(second.id)
    assert not monique.is_on_table(second.id)
    paper = monique.mailbox.request_paper("sanne", "uwv")
    assert paper.new
    lines = monique.access_log_lines()  # Monique sees her own accesses of Sanne's post
    assert len(lines) == 3 and all(line.startswith("Monique Bos ") for line in lines)

    sanne_self = same_box_as(monique, "sanne", tmp_path / "sanne-desk")
    own = sanne_self.access_log_lines()
    assert any("opende op 1 december uw brief van" in line for line in own)
    assert any("opgeborgen" in line for line in own)
    assert any("vroeg op 1 december papieren post aan bij UWV" in line for line in own)
    # the helper's opening did not mark it read for Sanne
    assert sanne_self.mailbox.letter("sanne", first.id).read == first.read
    sanne_self.close()
    # the log has no way to be changed: nothing on the session or the box
    for name in dir(monique.mailbox) + dir(monique):
        assert not re.search(r"(delete|remove|change|edit|clear).*log", name), name


def test_piet_sees_his_ten_clients_by_deadline(sessions):
    piet = sessions("piet")
    rows = people.overview(piet)
    assert [row.person.id for row in rows] == ["piet", *PIETS_CLIENTS]
    clients = rows[1:]
    assert sum(row.on_table for row in clients) >= 250  # a few hundred among them
    assert all(row.nearest_deadline is not None for row in clients)
    assert all(0 < row.unread <= row.on_table for row in clients)
    pairs = people.all_by_deadline(piet)
    assert {p.id for p, _ in pairs} == set(PIETS_CLIENTS)
    deadlines = [letter.deadline for _, letter in pairs if letter.deadline]
    assert deadlines == sorted(deadlines)
    assert pairs[-1][1].deadline is None  # without a deadline: last
    # a bewindvoerder never receives a letter of a non-financial organisation
    assert not [letter for _, letter in pairs if letter.org_id == "rdw"]
    assert len(pairs) == sum(row.on_table for row in rows)


def test_switching_is_desk_only_and_refuses_a_stranger(sessions):
    piet = sessions("piet")
    calls: list[str] = []
    real = piet.mailbox

    class Recording:
        def __getattr__(self, name):
            calls.append(name)
            return getattr(real, name)

    piet.mailbox = Recording()  # type: ignore[assignment]
    try:
        piet.switch_person("wim")
        assert piet.person.id == "wim" and piet.table()
        people.overview(piet)
        people.represented(piet)
        assert refused(piet.switch_person, "sanne") == "no-mandate"
        assert piet.person.id == "wim"  # a refusal changes nothing
    finally:
        piet.mailbox = real
    assert calls == []
    piet.switch_person("piet")
    assert piet.table() == []


def test_ingrid_reads_two_organisations_and_cannot_put_away(sessions):
    ingrid = sessions("ingrid")
    willem = people.find(ingrid, "willem")
    assert willem is not None
    assert (willem.relation, willem.can_act, willem.organisations) == (
        "mandate",
        False,
        frozenset({"svb", "pensioenfonds"}),
    )
    assert willem.ends_on == TODAY + timedelta(days=30) and not willem.ends_soon
    assert people.mandate_words(willem, TODAY) == "U mag deze brieven alleen lezen."
    ingrid.switch_person("willem")
    table = ingrid.table()
    assert {letter.org_id for letter in table} == {"svb", "pensioenfonds"}  # nothing else
    assert not ingrid.may_act()
    assert refused(ingrid.put_away, table[0].id) == "read-only"
    assert ingrid.is_on_table(table[0].id)  # refused: the desk did not move it
    assert refused(ingrid.mailbox.request_paper, "willem", "svb") == "read-only"
    assert refused(ingrid.mailbox.letter, "willem", "willem-004") == "outside-mandate"


def test_a_mandate_ending_within_a_week_is_told_to_helper_and_person(sessions, tmp_path):
    open_as(tmp_path / "box", "ingrid").close()  # the box made today
    later = TODAY + timedelta(days=25)  # Ingrid's mandate ends in 5 days
    ingrid = sessions("ingrid", later, folder="box")
    willem = people.find(ingrid, "willem")
    assert willem is not None and willem.ends_soon and not willem.ended
    assert people.mandate_words(willem, later) == (
        "Uw machtiging voor Willem stopt op 31 december. "
        "Vraag Willem op tijd om een nieuwe machtiging via DigiD Machtigen. "
        "U mag deze brieven alleen lezen."
    )
    assert [row.ends_soon for row in people.overview(ingrid)] == [False, True]
    willem_self = same_box_as(ingrid, "willem", tmp_path / "willem-desk")
    assert people.person_warnings(willem_self) == [
        "Uw machtiging voor Ingrid stopt op 31 december. "
        "Moet Ingrid uw post blijven zien? Geef dan een nieuwe machtiging via DigiD Machtigen."
    ]
    willem_self.close()
    assert people.person_warnings(sessions("willem", TODAY, folder="box")) == []


def test_ali_whose_mandate_ended_sees_nothing_new_and_is_told_why(sessions):
    ali = sessions("ali")
    gerda = people.find(ali, "gerda")
    assert gerda is not None and gerda.ended and not gerda.can_act
    assert people.mandate_words(gerda, TODAY) == (
        "Uw machtiging voor Gerda is op 25 november gestopt. U ziet geen nieuwe brieven meer. "
        "Vraag Gerda om een nieuwe machtiging via DigiD Machtigen."
    )
    ali.switch_person("gerda")
    table = ali.table()
    end = TODAY - timedelta(days=6)
    assert table and all(letter.received <= end for letter in table)  # nothing newer
    newer = ali.mailbox.letters("gerda")  # asked again: still nothing newer
    assert all(letter.received <= end for letter in newer.letters)
    assert refused(ali.mailbox.letter, "gerda", "gerda-003") == "mandate-ended"
    assert refused(ali.put_away, table[0].id) == "mandate-ended"
    words = people.refusal_words("mandate-ended", gerda.person)
    assert "Vraag Gerda om een nieuwe machtiging via DigiD Machtigen." in words


def test_overview_counts_looks_and_handlers(sessions):
    monique = sessions("monique")
    before = {row.person.id: row for row in people.overview(monique)}
    assert before["sanne"].days_since_looked is None
    monique.switch_person("sanne")
    letter = next(item for item in monique.table() if not item.read)
    monique.open_letter(letter.id)
    later = TODAY + timedelta(days=3)
    after = {row.person.id: row for row in people.overview(monique, later)}
    assert after["sanne"].days_since_looked == 3
    assert after["sanne"].unread == before["sanne"].unread - 1  # on Monique's desk
    assert after["monique"].days_since_looked is None
    monique.set_handler(letter.id, "Monique", "Bel het CAK maandag.")
    handler = monique.handler(letter.id)
    assert handler is not None and (handler.name, handler.note) == (
        "Monique",
        "Bel het CAK maandag.",
    )
    assert set(monique.handlers()) == {letter.id}
    monique.set_handler(letter.id, "")
    assert monique.handler(letter.id) is None
    with pytest.raises(KeyError):
        monique.set_handler("no-such-letter", "Monique")
    monique.switch_person("monique")
    assert monique.handlers() == {}  # per person


def test_filter_on_name(sessions):
    rows = people.overview(sessions("piet"))
    assert [row.person.id for row in people.filter_rows(rows, " fat")] == ["fatima"]
    assert len(people.filter_rows(rows, "")) == len(rows)
    assert people.filter_rows(rows, "xyz") == []


def test_every_reason_has_plain_words():
    for reason in mnd.Reason:
        words = people.refusal_words(reason.value)
        assert words and "%(" not in words


def test_story_letters_are_the_same_on_every_run_and_spread_out():
    stories = load_story_letters()
    persons, _ = load_mandate_data()
    first, again = story_letters(stories, persons), story_letters(stories, persons)
    assert first == again
    piets = [item for item in first if item["recipient"] in PIETS_CLIENTS]
    assert 200 <= len(piets) <= 400
    assert len({item["id"] for item in first}) == len(first)
    deadlines = {item["deadline_in_days"] for item in piets if item["deadline_in_days"] is not None}
    assert len(deadlines) > 30 and min(deadlines) < 0 < max(deadlines)
    assert len({item["org"] for item in piets}) >= 10
    for item in first:
        text = item["body"] + item["what_to_do"] + item["reference"]
        assert not re.search(r"\{(?!deadline\}|received\})\w+\}", text), item["id"]
