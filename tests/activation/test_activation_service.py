"""The activation rules, as the mailbox service enforces them for every client.

Every account starts dormant; only one explicit, confirmed activation call
activates it; it cannot be undone; organisations are opt-in except the one
fixed by law; a newly joined organisation is asked about once, "no" by default.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app import activation
from app.mailbox import ActivationOffer, Mailbox, MailboxError
from app.mailbox.practice import PAPER_AFTER_DAYS, PracticeMailbox
from app.model import AccountStatus

TODAY = date(2026, 11, 28)


@pytest.fixture
def clock():
    """A clock the test can move forward."""

    class Clock:
        day = TODAY

        def __call__(self) -> date:
            return self.day

    return Clock()


@pytest.fixture
def box(tmp_path, clock):
    mailbox = PracticeMailbox(tmp_path / "practice.sqlite3", person_id="corry", today=clock)
    yield mailbox
    mailbox.close()


def by_law(box) -> list[str]:
    return [o.id for o in box.organisations() if o.fixed_by_law]


def choosable(box) -> list[str]:
    return [o.id for o in box.organisations() if not o.fixed_by_law]


def joining(box) -> list[str]:
    return [o.id for o in box.organisations() if o.joins_later and not o.fixed_by_law]


def snapshot(box, person_id="corry"):
    return box.account_status(person_id), box.tick_history(person_id)


def test_practice_mailbox_speaks_the_whole_protocol(box):
    assert isinstance(box, Mailbox)
    for name in ("activation_offer", "activate", "new_organisations", "answer_new_organisation"):
        assert callable(getattr(box, name))


def test_corry_starts_dormant_and_looking_changes_nothing(box):
    before = snapshot(box)
    assert before[0].active is False and before[0].activated_on is None
    assert before[0].ticked == frozenset() and before[1] == []
    # Everything a person can look at, several times over.
    for _ in range(3):
        box.me()
        box.people()
        box.organisations()
        box.account_status("corry")
        box.letters("corry")
        box.tick_history("corry")
        assert box.new_organisations("corry") == []
        box.activation_offer("corry", choosable(box)[:2])
    assert snapshot(box) == before


def test_dormant_account_has_no_ticks_to_set(box):
    with pytest.raises(MailboxError) as refused:
        box.set_tick("corry", choosable(box)[0], True)
    assert refused.value.code == "not-active"
    assert snapshot(box)[0].active is False


def test_offer_lists_exactly_what_will_happen(box):
    orgs = choosable(box)
    offer = box.activation_offer("corry", [orgs[1], orgs[0], *by_law(box)])
    assert isinstance(offer, ActivationOffer)
    assert offer.person_id == "corry" and offer.offered_on == TODAY
    assert offer.org_ids == (orgs[0], orgs[1])  # the box's order, without the law's
    assert offer.by_law == tuple(by_law(box)) and len(offer.by_law) == 1
    assert set(offer.paper_ids) == set(orgs[2:])
    assert offer.token


def test_activation_without_confirmation_is_refused(box):
    orgs = choosable(box)[:2]
    offer = box.activation_offer("corry", orgs)
    before = snapshot(box)
    for confirmed in (False, None, 1, "yes"):
        with pytest.raises(MailboxError) as refused:
            box.activate("corry", offer.token, orgs, confirmed=confirmed)
        assert refused.value.code == "confirmation-required"
    with pytest.raises(MailboxError) as refused:
        box.activate("corry", offer.token, orgs)  # default: not confirmed
    assert refused.value.code == "confirmation-required"
    assert snapshot(box) == before


@pytest.mark.parametrize(
    "token", ["", "nonsense", "2026-11-28.", "2026-11-28.00ff", "gisteren.abc"]
)
def test_activation_with_a_made_up_token_is_refused(box, token):
    before = snapshot(box)
    with pytest.raises(MailboxError) as refused:
        box.activate("corry", token, choosable(box)[:1], confirmed=True)
    assert refused.value.code == "invalid-confirmation"
    assert snapshot(box) == before


def test_token_holds_only_for_the_organisations_and_person_it_was_given_for(box):
    orgs = choosable(box)
    offer = box.activation_offer("corry", orgs[:2])
    before = snapshot(box)
    for other in ([orgs[0]], orgs[:3], []):
        with pytest.raises(MailboxError) as refused:
            box.activate("corry", offer.token, other, confirmed=True)
        assert refused.value.code == "invalid-confirmation"
    # Another dormant person cannot use Corry's confirmation. Make one by
    # reading the practice people: anyone not active will do.
    dormant = [
        p.id
        for p in box.practice_people()
        if p.id != "corry" and not box.account_status(p.id).active
    ]
    for person_id in dormant:
        with pytest.raises(MailboxError) as refused:
            box.activate(person_id, offer.token, orgs[:2], confirmed=True)
        assert refused.value.code == "invalid-confirmation"
    assert snapshot(box) == before


def test_an_offer_of_yesterday_has_expired(box, clock):
    orgs = choosable(box)[:1]
    offer = box.activation_offer("corry", orgs)
    clock.day = TODAY + timedelta(days=1)
    with pytest.raises(MailboxError) as refused:
        box.activate("corry", offer.token, orgs, confirmed=True)
    assert refused.value.code == "confirmation-expired"
    assert box.account_status("corry").active is False
    fresh = box.activation_offer("corry", orgs)
    assert box.activate("corry", fresh.token, orgs, confirmed=True).active


def test_unknown_organisation_is_refused(box):
    with pytest.raises(MailboxError) as refused:
        box.activation_offer("corry", ["bestaat-niet"])
    assert refused.value.code == "unknown-organisation"


def test_activation_ticks_exactly_the_chosen_plus_the_law(box):
    orgs = choosable(box)[:2]
    offer = box.activation_offer("corry", orgs)
    status = box.activate("corry", offer.token, offer.org_ids, confirmed=True)
    assert isinstance(status, AccountStatus)
    assert status.active and status.activated_on == TODAY
    assert status.ticked == frozenset(orgs) | frozenset(by_law(box))
    history = box.tick_history("corry")
    assert {c.org_id for c in history} == set(orgs) | set(by_law(box))
    assert all(c.ticked and c.changed_on == TODAY and c.effective_on == TODAY for c in history)
    assert box.account_status("corry") == status


def test_activation_with_nothing_chosen_ticks_only_the_law(box):
    offer = box.activation_offer("corry", [])
    status = box.activate("corry", offer.token, [], confirmed=True)
    assert status.ticked == frozenset(by_law(box))


def test_activation_cannot_be_undone_or_repeated(box):
    orgs = choosable(box)[:1]
    offer = box.activation_offer("corry", orgs)
    box.activate("corry", offer.token, orgs, confirmed=True)
    with pytest.raises(MailboxError) as refused:
        box.activate("corry", offer.token, orgs, confirmed=True)
    assert refused.value.code == "already-active"
    with pytest.raises(MailboxError) as refused:
        box.activation_offer("corry", orgs)
    assert refused.value.code == "already-active"
    # No way back: the protocol has no deactivation, and unticking all keeps it active.
    assert not any(hasattr(box, name) for name in ("deactivate", "deactivation", "cancel"))
    for org_id in orgs:
        box.set_tick("corry", org_id, False)
    status = box.account_status("corry")
    assert status.active and status.activated_on == TODAY
    assert status.ticked == frozenset(by_law(box))


def test_activation_survives_a_restart(tmp_path, clock):
    path = tmp_path / "practice.sqlite3"
    first = PracticeMailbox(path, person_id="corry", today=clock)
    orgs = [o.id for o in first.organisations() if not o.fixed_by_law][:2]
    offer = first.activation_offer("corry", orgs)
    first.close()
    # The offer's token still holds after a restart the same day.
    again = PracticeMailbox(path, person_id="corry", today=clock)
    status = again.activate("corry", offer.token, orgs, confirmed=True)
    again.close()
    third = PracticeMailbox(path, person_id="corry", today=clock)
    assert third.account_status("corry") == status
    third.close()


def test_law_fixed_organisation_cannot_be_unticked_but_others_can(box, clock):
    orgs = choosable(box)[:2]
    offer = box.activation_offer("corry", orgs)
    box.activate("corry", offer.token, orgs, confirmed=True)
    with pytest.raises(MailboxError) as refused:
        box.set_tick("corry", by_law(box)[0], False)
    assert refused.value.code == "fixed-by-law"
    clock.day = TODAY + timedelta(days=5)
    change = box.set_tick("corry", orgs[0], False)
    assert change.effective_on == clock.day + timedelta(days=PAPER_AFTER_DAYS)
    assert box.tick_history("corry")[-1] == change
    sentence = activation.change_sentence(change, box.organisation(orgs[0]), clock.day)
    assert sentence.startswith("Vanaf ongeveer 24 december krijgt u post van ")
    assert "weer op papier" in sentence


def test_new_organisation_is_asked_once_with_no_as_default(box):
    new = joining(box)
    assert new, "the practice data holds an organisation that joins later"
    # Koen activated years ago: he has not been asked about it.
    assert [o.id for o in box.new_organisations("koen")] == new
    before = box.account_status("koen")
    change = box.answer_new_organisation("koen", new[0])  # default: no
    assert change.ticked is False and change.changed is False
    assert box.account_status("koen").ticked == before.ticked
    assert new[0] not in [o.id for o in box.new_organisations("koen")]
    with pytest.raises(MailboxError) as refused:
        box.answer_new_organisation("koen", new[0], ticked=True)
    assert refused.value.code == "already-asked"
    assert new[0] not in box.account_status("koen").ticked
    # He can still tick it himself later, like any organisation.
    assert box.set_tick("koen", new[0], True).changed


def test_new_organisation_answered_yes_is_ticked_from_today(box):
    new = joining(box)[0]
    change = box.answer_new_organisation("koen", new, ticked=True)
    assert change.ticked and change.effective_on == TODAY
    assert new in box.account_status("koen").ticked
    assert box.tick_history("koen")[-1].org_id == new


def test_new_organisation_question_only_for_active_accounts(box):
    assert box.new_organisations("corry") == []
    with pytest.raises(MailboxError) as refused:
        box.answer_new_organisation("corry", joining(box)[0])
    assert refused.value.code == "not-active"
    with pytest.raises(MailboxError) as refused:
        box.answer_new_organisation("koen", by_law(box)[0])
    assert refused.value.code == "not-new"


def test_who_activates_now_is_not_asked_about_organisations_already_there(box):
    offer = box.activation_offer("corry", [])
    box.activate("corry", offer.token, [], confirmed=True)
    assert box.new_organisations("corry") == []


def test_guide_steps_are_one_idea_each_in_short_sentences(box):
    keys = [step.key for step in activation.GUIDE_STEPS]
    assert keys == ["what", "changes", "belastingdienst", "look", "final", "choose", "confirm"]
    for step in activation.GUIDE_STEPS:
        title, body = activation.step_texts(step, box.organisations())
        assert title and body and "%(" not in body
        for sentence in body.replace("?", ".").split("."):
            assert len(sentence.split()) <= 20, sentence
    _, tax = activation.step_texts(activation.GUIDE_STEPS[2], box.organisations())
    phone = activation.helpdesk_phone(box.organisations())
    assert phone and phone in tax


def test_status_in_plain_words(box):
    dormant = activation.status_summary(
        box.account_status("corry"), box.organisations(), box.tick_history("corry"), TODAY
    )
    assert not dormant.active and dormant.headline.startswith("Nee.")
    koen = box.account_status("koen")
    active = activation.status_summary(koen, box.organisations(), box.tick_history("koen"), TODAY)
    assert active.active and active.headline.startswith("Ja.")
    assert set(active.digital) == {o.name for o in box.organisations() if o.id in koen.ticked}


def test_dormant_status_tells_the_belastingdienst_truth(box):
    """Corry's Berichtenbox is off, yet a digital Belastingdienst letter lies on her
    table (resources/practice). Her status must not say "al uw post op papier"."""
    status = box.account_status("corry")
    assert not status.active
    tax = next(o for o in box.organisations() if o.fixed_by_law)
    senders = {letter.org_id for letter in box.letters("corry").letters}
    assert tax.id in senders  # the data this is about: a digital letter, account off
    summary = activation.status_summary(status, box.organisations(), [], TODAY)
    assert "U krijgt al uw post op papier." not in summary.lines
    assert "U hoeft niets te doen." not in summary.lines
    assert "De Belastingdienst kan sommige brieven toch digitaal sturen." in summary.lines
    assert "Die brieven komen hier op tafel." in summary.lines
    assert not summary.digital  # nothing was ticked: the list of chosen organisations is empty
    for line in summary.lines:  # B1: short sentences
        for sentence in line.replace("?", ".").split("."):
            assert len(sentence.split()) <= 15, sentence
