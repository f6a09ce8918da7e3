"""Every language catalog is complete, current, compiled and faithful to the Dutch.

Dutch is the source language: the msgids are the Dutch text, so Dutch has no
catalog and the template (``brieventafel.pot``) is the Dutch catalog. These
tests re-extract the template from the code, so a string added anywhere in
``app/``, ``ui/`` or the guided scripts without running
``python -m app.i18n_tools`` (and translating) fails here.
"""

from __future__ import annotations

import gettext
import re
from datetime import date

import pytest
from babel.messages.mofile import read_mo
from babel.messages.plurals import get_plural

from app import i18n, i18n_tools, plain
from app.i18n_tools import POT, mo_path, msgids, po_path, read_catalog

LANGUAGES = i18n_tools.translated_languages()
PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[-#0 +]*\d*(?:\.\d+)?[sdifr%]")


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def _translated(message) -> bool:
    strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
    return not message.fuzzy and all(strings)


@pytest.fixture(scope="module")
def template():
    return read_catalog(POT)


@pytest.fixture(scope="module", params=LANGUAGES)
def catalog(request):
    return request.param, read_catalog(po_path(request.param), request.param)


def test_every_language_but_dutch_has_a_catalog():
    assert set(LANGUAGES) == set(i18n.LANGUAGES) - {"nl"}
    assert len(LANGUAGES) == 7
    for language in LANGUAGES:
        assert po_path(language).is_file(), language
        assert mo_path(language).is_file(), language
    # Dutch needs none: the msgids are the Dutch text (an identity catalog could only go stale).
    assert not (POT.parent / "nl").exists()


def test_template_is_current_with_the_code(tmp_path, template):
    fresh = read_catalog(i18n_tools.extract(tmp_path / "fresh.pot"))
    new = sorted(set(msgids(fresh)) - set(msgids(template)))
    gone = sorted(set(msgids(template)) - set(msgids(fresh)))
    assert (new, gone) == ([], []), "run: python -m app.i18n_tools"
    assert len(msgids(template)) > 100


def test_guided_scripts_are_extracted(template):
    import json

    from app.paths import resources_dir

    path = resources_dir() / "guided" / "scripts.json"
    if not path.exists():
        pytest.skip("no guided scripts yet")
    data = json.loads(path.read_text(encoding="utf-8"))
    scripts = data["scripts"] if isinstance(data, dict) else data
    titles = [s["title"] for s in scripts]
    assert titles and set(titles) <= set(msgids(template))


def test_catalog_is_complete(catalog, template):
    language, po = catalog
    ours = {m.id if isinstance(m.id, str) else m.id[0]: m for m in po if m.id}
    absent = [mid for mid in msgids(template) if mid not in ours]
    fuzzy = [mid for mid, m in ours.items() if m.fuzzy]
    empty = [
        mid
        for mid, m in ours.items()
        if not all(m.string if isinstance(m.string, (list, tuple)) else [m.string])
    ]
    assert (absent, fuzzy, empty) == ([], [], []), language
    assert i18n_tools.missing(language) == []


def test_placeholders_are_kept(catalog):
    language, po = catalog
    wrong = []
    for message in po:
        if not message.id:
            continue
        if isinstance(message.id, str):
            if placeholders(message.string) != placeholders(message.id):
                wrong.append((message.id, message.string))
        else:
            # Every form keeps every placeholder; only the count itself may be left out
            # (a form for exactly one or two can say "one"/"two" in words).
            expected = placeholders(message.id[1])
            wrong += [
                (message.id[1], form)
                for form in message.string
                if [p for p in expected if p != "%(n)d"]
                != [p for p in placeholders(form) if p != "%(n)d"]
                or not set(placeholders(form)) <= set(expected)
            ]
    assert wrong == [], language


def test_plural_forms_match_the_language(catalog, template):
    language, po = catalog
    rule = get_plural(language)
    assert po.num_plurals == rule.num_plurals, language
    header = po.plural_forms.replace(" ", "")
    assert f"nplurals={rule.num_plurals};" in header
    plurals = [m for m in po if m.id and not isinstance(m.id, str)]
    assert len(plurals) == sum(1 for m in template if m.id and not isinstance(m.id, str)) > 0
    for message in plurals:
        assert len(message.string) == rule.num_plurals, (language, message.id)
        assert all(message.string), (language, message.id)
    assert {"ar": 6, "pl": 3, "uk": 3, "en": 2, "de": 2}.get(
        language, rule.num_plurals
    ) == rule.num_plurals


def test_compiled_catalog_matches_the_po(catalog):
    language, po = catalog
    with mo_path(language).open("rb") as f:
        mo = read_mo(f)
    for message in po:
        if not message.id or not _translated(message):
            continue  # test_catalog_is_complete names those
        compiled = mo.get(message.id)
        assert compiled is not None, (language, message.id)
        as_read = compiled.string
        assert (tuple(as_read) if isinstance(as_read, list) else as_read) == (
            tuple(message.string) if isinstance(message.string, list) else message.string
        ), (language, message.id)
    assert mo.num_plurals == po.num_plurals


def test_runtime_translates_and_picks_plural_forms(catalog):
    language, po = catalog
    assert i18n.set_language(language) == language
    for message in po:
        if not message.id or not _translated(message):
            continue
        if isinstance(message.id, str):
            assert i18n.gettext(message.id) == message.string
        else:
            rule = gettext.c2py(po.plural_expr)
            for n in (0, 1, 2, 3, 5, 11, 22, 101):
                got = i18n.ngettext(message.id[0], message.id[1], n)
                assert got == message.string[rule(n)], (language, n)


def test_dutch_is_the_source_text(template):
    assert i18n.set_language("nl") == "nl"
    for message in template:
        if message.id and isinstance(message.id, str):
            assert i18n.gettext(message.id) == message.id
    assert i18n.ngettext("nog %(n)d dag", "nog %(n)d dagen", 1) == "nog %(n)d dag"


def test_unknown_language_falls_back_to_dutch():
    assert i18n.set_language("xx") == "nl"
    assert i18n.gettext("Tafel") == "Tafel"


# -- dates, amounts and deadlines through Babel, for every language ---------------------------
DAY = date(2026, 12, 3)
TODAY = date(2026, 11, 28)
AMOUNTS = {  # what a reader of each language expects to see for 1234.56 euro
    "nl": "€ 1.234,56",
    "en": "€1,234.56",
    "de": "1.234,56 €",
    "es": "1.234,56 €",
    "pl": "1 234,56 €",
    "tr": "€1.234,56",
    "uk": "1 234,56 EUR",
    "ar": "1,234.56 €",
}
MONTH = {
    "nl": "december",
    "en": "December",
    "de": "Dezember",
    "es": "diciembre",
    "pl": "grudnia",
    "tr": "Aralık",
    "uk": "грудня",
    "ar": "ديسمبر",
}


def _plain(text: str) -> str:
    # Babel uses narrow/normal no-break spaces and direction marks; compare what a person sees.
    return re.sub(r"[\u200e\u200f\u061c]", "", text).replace("\u202f", "\xa0").strip()


@pytest.mark.parametrize("language", list(i18n.LANGUAGES))
def test_amounts_dates_and_deadlines_follow_the_language(language):
    i18n.set_language(language)
    amount = _plain(plain.format_amount(123456)).replace("\xa0", " ")
    assert amount == AMOUNTS[language]
    assert MONTH[language] in plain.format_date(DAY)
    assert "2026" in plain.format_date(DAY)
    phrases = [
        plain.deadline_phrase(TODAY, TODAY),
        plain.deadline_phrase(date(2026, 11, 29), TODAY),
        plain.deadline_phrase(DAY, TODAY),
        plain.deadline_phrase(date(2026, 11, 25), TODAY),
        plain.deadline_phrase(date(2027, 1, 9), TODAY),
    ]
    assert all(phrases) and len(set(phrases)) == 5
    assert "5" in phrases[2] and "3" in phrases[3]
    dutch = ["vandaag", "morgen", "nog 5 dagen", "3 dagen te laat", "over 1 maand"]
    if language == "nl":
        assert phrases == dutch
    else:
        # Translated (German "morgen" is the one word that may stay the same).
        assert sum(ours != theirs for ours, theirs in zip(phrases, dutch, strict=False)) >= 4


def test_polish_ukrainian_and_arabic_counts_use_their_own_forms():
    def left(n: int) -> str:
        return plain.deadline_phrase(date.fromordinal(TODAY.toordinal() + n), TODAY)

    i18n.set_language("pl")
    assert [left(n) for n in (2, 5, 22)] == ["zostały 2 dni", "zostało 5 dni", "zostały 22 dni"]
    i18n.set_language("uk")
    assert [left(n) for n in (2, 5, 21)] == ["лишилося 2 дні", "лишилося 5 днів", "лишився 21 день"]
    i18n.set_language("ar")
    forms = {left(n).replace(str(n), "N") for n in (2, 5, 11)}
    assert len(forms) == 3  # two, few (3-10) and many (11-99) each have their own form
