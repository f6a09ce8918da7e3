"""The reminder rules: what is due on which day, for the person and the trusted person."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from app import reminders as r
from app.model import Action, Letter
from app.reminders import Kind, TrustedPerson

TODAY = date(2026, 12, 3)
ANNA = TrustedPerson("Anna", "anna@example.org")
SECRET = "Kenteken 7-KZS-28 geheim"


def letter(
    letter_id="rdw-1",
    *,
    days_ago=0,
    deadline_in=None,
    read=False,
    sender="RDW",
    subject="APK verloopt",
) -> Letter:
    return Letter(
        id=letter_id,
        recipient="koen",
        org_id="rdw",
        sender=sender,
        subject=subject,
        summary="Uw auto moet naar de APK. " + SECRET,
        body="Geachte heer De Vries, " + SECRET,
        action=Action.RESPOND,
        received=TODAY - timedelta(days=days_ago),
        deadline=None if deadline_in is None else TODAY + timedelta(days=deadline_in),
        read=read,
    )


def kinds(letters, today=TODAY, **kw):
    return [(x.letter_id, x.kind) for x in r.desktop_reminders(letters, today, **kw)]


def test_a_new_letter_is_reminded_once_then_again_after_seven_days_unopened():
    new = letter(days_ago=0)
    assert kinds([new]) == [("rdw-1", Kind.NEW)]
    reminded = {"rdw-1": TODAY}
    assert kinds([new], reminded=reminded) == []  # once a day
    for day in range(1, 7):
        assert kinds([new], TODAY + timedelta(days=day), reminded=reminded) == []
    day7 = TODAY + timedelta(days=7)
    (reminder,) = r.desktop_reminders([new], day7, reminded=reminded)
    assert reminder.kind is Kind.UNOPENED
    assert reminder.text == "De brief van RDW ligt al 7 dagen ongeopend."
    # and every day after, until it is opened or put away
    assert kinds([new], day7 + timedelta(days=1), reminded={"rdw-1": day7}) == [
        ("rdw-1", Kind.UNOPENED)
    ]
    opened = letter(days_ago=0, read=True)
    assert kinds([opened], day7 + timedelta(days=1), reminded={"rdw-1": day7}) == []


def test_deadline_three_two_one_and_the_day_itself_and_after():
    texts = {}
    for left, kind in [
        (4, None),
        (3, Kind.SOON),
        (2, Kind.SOON),
        (1, Kind.TOMORROW),
        (0, Kind.TODAY),
        (-2, Kind.LATE),
    ]:
        due = r.desktop_reminders([letter(read=True, deadline_in=left)], TODAY)
        assert [x.kind for x in due] == ([kind] if kind else [])
        if due:
            texts[left] = due[0].text
    assert texts[3] == "Brief van RDW: uiterlijk 6 december 2026, nog 3 dagen."
    assert texts[1] == "Brief van RDW: uiterlijk 4 december 2026, morgen."
    assert texts[-2] == "Brief van RDW: uiterlijk 1 december 2026, 2 dagen te laat."


def test_the_deadline_goes_before_unopened_and_the_most_pressing_comes_first():
    letters = [
        letter("a", days_ago=10),
        letter("b", days_ago=10, deadline_in=1),
        letter("c", days_ago=0),
        letter("d", read=True, deadline_in=-1),
    ]
    assert kinds(letters) == [
        ("d", Kind.LATE),
        ("b", Kind.TOMORROW),
        ("a", Kind.UNOPENED),
        ("c", Kind.NEW),
    ]


def test_snooze_is_three_days_of_quiet_then_it_reminds_again():
    due = letter(read=True, deadline_in=10)
    until = r.snooze_until(TODAY)
    assert until == TODAY + timedelta(days=3)
    soon = TODAY + timedelta(days=7)  # deadline in 3 days
    assert kinds([due], soon, snoozed={"rdw-1": soon + timedelta(days=1)}) == []
    assert kinds([due], soon, snoozed={"rdw-1": soon}) == [("rdw-1", Kind.SOON)]
    assert r.snooze_label() == "Ik weet het, herinner me over 3 dagen"


def test_koens_rdw_letter_unopened_seven_days_tells_anna_once_without_its_text():
    rdw = letter(days_ago=7, deadline_in=12)
    assert (
        r.trusted_mail([rdw], TODAY - timedelta(days=1), person_name="Koen", trusted=ANNA) is None
    )
    mail = r.trusted_mail([rdw], TODAY, person_name="Koen de Vries", trusted=ANNA)
    assert mail is not None
    assert mail.to == "anna@example.org"
    assert mail.items == ("rdw-1:unopened",)
    assert "RDW" in mail.body and "15 december 2026" in mail.body
    assert "Kijk samen in Brieventafel." in mail.body
    assert "Koen de Vries heeft u gekozen als vertrouwd persoon" in mail.body
    assert SECRET not in mail.body and "APK" not in mail.body and "APK" not in mail.subject
    assert "niets uit de brief zelf" in mail.body
    # told: nothing again, the next days neither
    for day in range(0, 9):
        later = TODAY + timedelta(days=day)
        assert r.trusted_mail([rdw], later, person_name="K", trusted=ANNA, told=mail.items) is None
    # three days before the deadline: the second reason, once
    near = TODAY + timedelta(days=9)
    second = r.trusted_mail([rdw], near, person_name="K", trusted=ANNA, told=mail.items)
    assert second is not None and second.items == ("rdw-1:deadline",)
    assert "nog 3 dagen" in second.body


def test_the_subject_only_when_the_person_allowed_it_and_never_the_text():
    rdw = letter(days_ago=8)
    allowed = TrustedPerson("Anna", "anna@example.org", show_subject=True)
    mail = r.trusted_mail([rdw], TODAY, person_name="Koen", trusted=allowed)
    assert mail is not None
    assert "Onderwerp: APK verloopt" in mail.body
    assert SECRET not in mail.body


def test_one_mail_names_every_letter_due_and_its_key_is_stable():
    letters = [letter("a", days_ago=9), letter("b", days_ago=1, deadline_in=2, sender="CJIB")]
    first = r.trusted_mail(letters, TODAY, person_name="Koen", trusted=ANNA, key_prefix="p/")
    again = r.trusted_mail(letters, TODAY, person_name="Koen", trusted=ANNA, key_prefix="p/")
    assert first is not None and again is not None
    assert first.key == again.key and first.key.startswith("p/trusted/")
    assert first.items == ("b:deadline", "a:unopened")
    assert "Er liggen 2 brieven" in first.body and "CJIB" in first.body
    assert first.senders == {"a": "RDW", "b": "CJIB"}


def test_practice_mail_says_so():
    mail = r.trusted_mail([letter(days_ago=8)], TODAY, person_name="K", trusted=ANNA, practice=True)
    assert mail is not None
    assert mail.subject.startswith("Oefening: ") and "oefenpost" in mail.body


# -- properties ----------------------------------------------------------------------------
letters_st = st.lists(
    st.builds(
        letter,
        letter_id=st.sampled_from(["a", "b", "c", "d", "e"]),
        days_ago=st.integers(0, 60),
        deadline_in=st.none() | st.integers(-30, 30),
        read=st.booleans(),
    ),
    max_size=5,
    unique_by=lambda l: l.id,
)


@settings(max_examples=150, deadline=None)
@given(letters_st, st.integers(0, 40), st.sets(st.sampled_from(["a", "b", "c", "d", "e"])))
def test_put_away_letters_are_never_reminded_and_none_twice_a_day(letters, offset, put_away):
    today = TODAY + timedelta(days=offset)
    on_table = [l for l in letters if l.id not in put_away]
    due = r.desktop_reminders(on_table, today)
    ids = [x.letter_id for x in due]
    assert len(ids) == len(set(ids))
    assert not set(ids) & put_away
    assert r.desktop_reminders(on_table, today, reminded=dict.fromkeys(ids, today)) == []
    mail = r.trusted_mail(on_table, today, person_name="K", trusted=ANNA)
    if mail is not None:
        assert not {i.split(":")[0] for i in mail.items} & put_away
        assert SECRET not in mail.body and SECRET not in mail.subject
        assert (
            r.trusted_mail(on_table, today, person_name="K", trusted=ANNA, told=mail.items) is None
        )


@settings(max_examples=100, deadline=None)
@given(letters_st, st.integers(0, 30))
def test_a_letter_near_its_deadline_is_reminded_every_day_until_put_away(letters, offset):
    today = TODAY + timedelta(days=offset)
    for l in letters:
        left = l.days_left(today)
        due = [
            x.letter_id
            for x in r.desktop_reminders([l], today, reminded={l.id: today - timedelta(days=1)})
        ]
        assert (l.id in due) == (
            left is not None and left <= 3 or (not l.read and (today - l.received).days >= 7)
        )


@settings(max_examples=100, deadline=None)
@given(letters_st, st.integers(0, 30), st.integers(1, 10))
def test_snoozed_means_quiet_until_the_day_given(letters, offset, snooze):
    today = TODAY + timedelta(days=offset)
    until = today + timedelta(days=snooze)
    snoozed = {l.id: until for l in letters}
    assert r.desktop_reminders(letters, today, snoozed=snoozed) == []


def test_what_koen_sees_each_day_from_arrival_to_after_the_deadline():
    """The day-by-day table of docs/watch.md."""
    start = date(2026, 11, 19)
    rdw = Letter(
        id="rdw",
        recipient="koen",
        org_id="rdw",
        sender="RDW",
        subject="APK",
        summary="",
        body="",
        action=Action.RESPOND,
        received=start,
        deadline=start + timedelta(days=14),
    )
    reminded: dict[str, date] = {}
    told: list[str] = []
    seen = []
    for day in range(17):
        today = start + timedelta(days=day)
        due = r.desktop_reminders([rdw], today, reminded=reminded)
        reminded.update({x.letter_id: today for x in due})
        mail = r.trusted_mail([rdw], today, person_name="Koen", trusted=ANNA, told=told)
        told += mail.items if mail else ()
        seen.append(([x.text for x in due], list(mail.items) if mail else []))
    assert seen[0] == (["Nieuwe brief van RDW."], [])
    assert all(seen[d] == ([], []) for d in range(1, 7))
    assert seen[7] == (["De brief van RDW ligt al 7 dagen ongeopend."], ["rdw:unopened"])
    assert [seen[d][0] for d in (8, 9, 10)] == [
        [f"De brief van RDW ligt al {d} dagen ongeopend."] for d in (8, 9, 10)
    ]
    assert seen[11] == (
        ["Brief van RDW: uiterlijk 3 december 2026, nog 3 dagen."],
        ["rdw:deadline"],
    )
    assert [seen[d][0][0].rsplit(", ", 1)[1] for d in range(12, 17)] == [
        "nog 2 dagen.",
        "morgen.",
        "vandaag.",
        "1 dag te laat.",
        "2 dagen te laat.",
    ]
    assert all(seen[d][1] == [] for d in range(12, 17))
