"""Each rule on a real-looking letter (tests/explain/letters.py): the summary,
the action, the deadline, the amount, the reference, and the objection date."""

from __future__ import annotations

import dataclasses
import json
from datetime import date

import explain_letters as L  # noqa: N812 - short: the fixtures are read as L.WOZ
import pytest

from app import i18n
from app.explain import UNKNOWN, explain, explained, objection, objection_text
from app.explain.rules import parse_amount, parse_date, parse_rules, rules, sent_date
from app.model import Action
from app.paths import resources_dir

CASES = [
    # org, sender, subject, body, rule, action, deadline, amount, reference
    (
        "rdw",
        "RDW",
        "Herinnering: de APK van uw voertuig verloopt",
        L.RDW_APK,
        "rdw-apk",
        Action.RESPOND,
        date(2027, 1, 15),
        None,
        "Kenteken 7-KZS-28",
    ),
    (
        "cjib",
        "CJIB",
        "Beschikking verkeersboete",
        L.CJIB_BESCHIKKING,
        "cjib-beschikking",
        Action.PAY,
        date(2027, 2, 15),
        118900,
        "CJIB-nummer 1234 5678 9012 3456",
    ),
    (
        "cjib",
        "CJIB",
        "Aanmaning: betaal uw boete",
        L.CJIB_AANMANING,
        "cjib-aanmaning",
        Action.PAY,
        date(2027, 3, 29),
        13600,
        "CJIB-nummer 1234 5678 9012 3456",
    ),
    (
        "belastingdienst",
        "Belastingdienst",
        "Voorlopige aanslag inkomstenbelasting 2027",
        L.BD_VOORLOPIG,
        "belastingdienst-voorlopige-aanslag",
        Action.READ,
        None,
        None,
        "Aanslagnummer 1234.56.789.H.71.01",
    ),
    (
        "belastingdienst",
        "Belastingdienst",
        "Definitieve aanslag inkomstenbelasting 2025",
        L.BD_DEFINITIEF,
        "belastingdienst-aanslag",
        Action.PAY,
        date(2027, 4, 30),
        123456,
        "Aanslagnummer 1234.56.789.H.01.02",
    ),
    (
        "toeslagen",
        "Dienst Toeslagen",
        "Definitieve berekening zorgtoeslag 2025",
        L.TOESLAGEN,
        "toeslagen-beschikking",
        Action.PAY,
        date(2027, 7, 1),
        31200,
        "Beschikkingsnummer 2025 0012 3456",
    ),
    (
        "gemeente",
        "Gemeente Zwolle",
        "WOZ-beschikking 2027",
        L.WOZ,
        "gemeente-woz",
        Action.READ,
        None,
        None,
        "",
    ),
    (
        "gemeente",
        "Gemeente Zwolle",
        "Aanslag gemeentelijke belastingen 2027",
        L.GEMEENTE_AANSLAG,
        "gemeente-belastingaanslag",
        Action.PAY,
        date(2027, 3, 31),
        90150,
        "Aanslagnummer 7702 4518 3306",
    ),
    (
        "gemeente",
        "Gemeente Zwolle",
        "Naheffingsaanslag parkeerbelasting",
        L.NAHEFFING,
        "parkeren-naheffingsaanslag",
        Action.PAY,
        date(2027, 3, 3),
        7610,
        "Aanslagnummer 8801 2233 4455",
    ),
    (
        "waterschap",
        "GBLT",
        "Aanslag waterschapsbelasting 2027",
        L.WATERSCHAP,
        "waterschapsbelasting",
        Action.PAY,
        date(2027, 4, 30),
        32604,
        "Aanslagnummer 5566 7788 9900",
    ),
    (
        "svb",
        "SVB",
        "Besluit over uw AOW",
        L.SVB_AOW,
        "svb-aow",
        Action.READ,
        None,
        153412,
        "Klantnummer 1234567890",
    ),
    (
        "uwv",
        "UWV",
        "U moet WW-uitkering terugbetalen",
        L.UWV_TERUG,
        "uwv",
        Action.PAY,
        date(2027, 5, 15),
        64580,
        "Kenmerk WW-2027-118822",
    ),
    (
        "duo",
        "DUO",
        "Betalingsachterstand studieschuld",
        L.DUO_ACHTERSTAND,
        "duo",
        Action.PAY,
        date(2027, 5, 20),
        28400,
        "Klantnummer 9988776655",
    ),
    (
        "pensioenfonds",
        "ABP",
        "Uw Uniform Pensioenoverzicht",
        L.PENSIOEN,
        "pensioenfonds",
        Action.READ,
        None,
        81240,
        "Pensioennummer 4455 6677 8899",
    ),
]
IDS = [case[4] for case in CASES]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_each_rule_reads_its_letter(case):
    org, sender, subject, body, rule_id, action, deadline, amount, reference = case
    found = explain(L.letter(org, sender, subject, body, received=date(2027, 6, 30)))
    assert found.rule_id == rule_id
    assert found.action is action
    assert found.deadline == deadline
    assert found.amount_cents == amount
    assert found.reference == reference
    assert found.summary and found.what_to_do
    assert found.missing == ()


def test_every_rule_of_the_file_has_a_letter_here():
    assert {r.id for r in rules().rules} == set(IDS)


def test_the_apk_reminder_in_plain_words():
    found = explain(L.letter("rdw", "RDW", "Herinnering: de APK verloopt", L.RDW_APK))
    assert found.summary == "De APK van uw voertuig verloopt. Uw voertuig moet gekeurd worden."
    assert found.what_to_do.startswith("Laat uw voertuig keuren vóór 15 januari 2027.")
    assert "bezwaar" not in found.what_to_do  # a reminder is no decision


def test_a_fine_says_the_amount_the_day_and_where_to_appeal():
    letter = L.letter(
        "cjib", "CJIB", "Beschikking verkeersboete", L.CJIB_BESCHIKKING, received=date(2027, 1, 5)
    )
    found = explain(letter)
    assert "Betaal €\xa01.189,00 vóór 15 februari 2027." in found.what_to_do
    # Dated Monday 4 January: the term ends Monday 15 February (the appeal goes
    # to the officier van justitie, through Parket CVOM).
    assert "U kunt beroep instellen tot 15 februari 2027." in found.what_to_do
    assert "Parket CVOM" in found.what_to_do
    item = objection(letter)
    assert item is not None and item.sent == date(2027, 1, 4) and item.kind == "beroep"
    assert item.route is not None and item.route.source.startswith("https://www.cjib.nl/")


def test_a_woz_decision_gets_its_objection_date():
    # Dated Sunday 31 January 2027: six weeks end on Sunday 14 March, so Monday 15 March.
    letter = L.letter(
        "gemeente", "Gemeente Zwolle", "WOZ-beschikking 2027", L.WOZ, received=date(2027, 2, 1)
    )
    item = objection(letter)
    assert item is not None and item.until == date(2027, 3, 15) and item.certain
    assert "U kunt bezwaar maken tot 15 maart 2027." in objection_text(item)
    assert "U kunt bezwaar maken tot 15 maart 2027." in explain(letter).what_to_do


def test_a_provisional_assessment_is_no_decision_to_object_to():
    letter = L.letter(
        "belastingdienst", "Belastingdienst", "Voorlopige aanslag 2027", L.BD_VOORLOPIG
    )
    assert objection(letter) is None
    assert "U hoeft niets te doen." in explain(letter).what_to_do


def test_the_date_on_the_letter_counts_but_never_after_it_arrived():
    late = L.letter(
        "gemeente", "Gemeente Zwolle", "WOZ-beschikking 2027", L.WOZ, received=date(2027, 1, 20)
    )  # arrived before its own date
    item = objection(late)
    assert item is not None and item.sent == date(2027, 1, 20)
    bare = L.letter(
        "gemeente",
        "Gemeente Zwolle",
        "WOZ-beschikking 2027",
        "Uw WOZ-waarde is € 312.000.",
        received=date(2027, 2, 1),
    )
    found = objection(bare)
    assert found is not None and found.sent == date(2027, 2, 1)
    assert found.until == date(2027, 3, 15)


def test_a_known_sender_without_the_amount_says_so():
    body = L.CJIB_BESCHIKKING.replace("Totaal te betalen: € 1.189,00", "")
    body = body.replace("Sanctie: € 1.180,00", "").replace("Administratiekosten: € 9,00", "")
    found = explain(L.letter("cjib", "CJIB", "Beschikking verkeersboete", body))
    assert found.rule_id == "cjib-beschikking"
    assert found.amount_cents is None and found.missing == ("amount",)
    assert "Wij vinden het bedrag niet in de brief." in found.what_to_do
    assert "€" not in found.what_to_do
    assert "058 233 88 88" in found.what_to_do  # the CJIB's number, to ask


def test_an_unknown_letter_gets_the_honest_line_and_the_phone_number():
    found = explain(L.letter("rdw", "RDW", "Open dag", L.UNKNOWN))
    assert found.rule_id == UNKNOWN
    assert found.summary == (
        "Wij weten niet precies wat deze brief vraagt. Bel de afzender of vraag hulp."
    )
    assert found.what_to_do == "Het telefoonnummer van RDW is 0900 07 39."
    assert found.action is Action.READ and found.deadline is None and found.amount_cents is None


def test_an_unknown_sender_without_a_phone_number_is_sent_to_help():
    found = explain(L.letter("bibliotheek", "Bibliotheek Zwolle", "Uw pas", "Uw pas verloopt."))
    assert found.rule_id == UNKNOWN
    assert found.what_to_do == "Vraag iemand om hulp die de brief met u leest."


def test_an_unknown_letter_that_looks_like_a_decision_is_hedged():
    letter = L.letter(
        "cak",
        "CAK",
        "Beschikking eigen bijdrage",
        "Datum: 4 januari 2027\nU betaalt.",
        received=date(2027, 1, 5),
    )
    found = explain(letter)
    assert found.rule_id == UNKNOWN
    assert (
        "Dit lijkt een besluit. Dan kunt u bezwaar maken tot 15 februari 2027." in found.what_to_do
    )
    item = objection(letter)
    assert item is not None and not item.certain


def test_facts_the_letter_has_are_kept():
    letter = L.letter(
        "cjib",
        "CJIB",
        "Beschikking verkeersboete",
        L.CJIB_BESCHIKKING,
        amount_cents=5000,
        deadline="2027-03-01",
        reference="Zaak 9",
        action=Action.RESPOND.value,
    )
    found = explain(letter)
    assert (found.amount_cents, found.deadline, found.reference) == (
        5000,
        date(2027, 3, 1),
        "Zaak 9",
    )
    assert found.action is Action.RESPOND


def test_explained_changes_nothing_of_the_original():
    letter = L.letter("rdw", "RDW", "Herinnering: de APK verloopt", L.RDW_APK)
    once = explained(dataclasses.replace(letter, summary="", what_to_do="", explained_by=""))
    assert (once.subject, once.body, once.sender, once.org_id) == (
        letter.subject,
        letter.body,
        letter.sender,
        letter.org_id,
    )
    assert once.explained_by == "rdw-apk"
    assert explained(once) == once  # idempotent


def test_a_letter_with_its_own_explanation_keeps_it():
    own = L.letter(
        "rdw",
        "RDW",
        "Herinnering: de APK verloopt",
        L.RDW_APK,
        summary="Eigen woorden.",
        what_to_do="Eigen actie.",
    )
    assert explained(own) == own
    assert own.summary == "Eigen woorden." and own.explained_by == ""


def test_the_explanation_follows_the_interface_language(monkeypatch):
    letter = L.letter("rdw", "RDW", "Herinnering: de APK verloopt", L.RDW_APK)
    translations = {
        "De APK van uw voertuig verloopt. Uw voertuig moet gekeurd worden.": "MOT ends."
    }
    monkeypatch.setattr(i18n, "gettext", lambda m: translations.get(m, m))
    monkeypatch.setattr("app.explain._", lambda m: translations.get(m, m))
    assert explain(letter).summary == "MOT ends."


@pytest.mark.parametrize(
    ("raw", "cents"),
    [
        ("1.234,56", 123456),
        ("127,00", 12700),
        ("127,-", 12700),
        ("86", 8600),
        ("312.000", 31200000),
        ("1.234.567,89", 123456789),
        ("12,5", None),
        ("abc", None),
    ],
)
def test_amounts(raw, cents):
    assert parse_amount(raw) == cents


@pytest.mark.parametrize(
    ("raw", "day"),
    [
        ("15 januari 2027", date(2027, 1, 15)),
        ("1 Maart 2027", date(2027, 3, 1)),
        ("15-01-2027", date(2027, 1, 15)),
        ("31 februari 2027", None),
        ("15 jan 2027", None),
        ("32-01-2027", None),
    ],
)
def test_dates(raw, day):
    assert parse_date(raw) == day


def test_the_sent_date_reads_dagtekening_datum_and_place_date():
    assert sent_date("Dagtekening: 12 maart 2027\n") == date(2027, 3, 12)
    assert sent_date("Zwolle, 31 januari 2027\n\nGeachte") == date(2027, 1, 31)
    assert sent_date("Datum van de aanslag: 3 februari 2027") == date(2027, 2, 3)
    assert sent_date("Geachte heer, u krijgt geld.") is None


def test_the_shipped_file_is_sound():
    data = json.loads((resources_dir() / "explain" / "rules.json").read_text("utf-8"))
    parsed = parse_rules(data)
    assert len({r.id for r in parsed.rules}) == len(parsed.rules)
    for org, route in parsed.routes.items():
        assert route.source.startswith("https://"), org
        assert route.kind in ("bezwaar", "beroep") and (route.online or route.address)
    for rule in parsed.rules:
        assert "summary" in rule.texts and "what_to_do" in rule.texts, rule.id
        if rule.action is not Action.READ or rule.action_by_text:
            assert "what_to_do_plain" in rule.texts, rule.id


def test_the_extractor_yields_every_rule_text_once():
    import io

    from app.explain.extract import extract_rules

    path = resources_dir() / "explain" / "rules.json"
    found = [m for _, _, m, _ in extract_rules(io.BytesIO(path.read_bytes()), [], [], {})]
    assert len(found) == len(set(found))
    assert "U hebt een verkeersboete gekregen." in found
    for rule in rules().rules:
        assert rule.texts["summary"] in found
