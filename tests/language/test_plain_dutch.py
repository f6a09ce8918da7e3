"""The Dutch text is plain Dutch (B1): measured, not hoped for.

The Dutch catalog is the set of msgids in ``resources/i18n/brieventafel.pot``
(the msgids are the Dutch text). Measured with textstat's Flesch-Douma
(``set_lang("nl")``): at least 70 for the interface, and no sentence over 20
words. The explanations of the practice letters (``summary`` and
``what_to_do`` in ``resources/practice/letters.json``) may read a little
harder, but not below 60.

Run with ``-s`` to see the figures.
"""

from __future__ import annotations

import json
import re

import pytest

from app.i18n_tools import POT, read_catalog
from app.paths import resources_dir

MIN_FLESCH_UI = 70
MIN_FLESCH_LETTERS = 60
MAX_WORDS = 20
AIM_AVERAGE_WORDS = 12

# A placeholder reads as the word it stands for.
SAMPLES = {
    "n": "5",
    "count": "5",
    "percent": "150",
    "sender": "RDW",
    "org": "RDW",
    "organisation": "RDW",
    "name": "Koen",
    "date": "3 december",
    "left": "nog 5 dagen",
    "amount": "€ 95,00",
    "path": "map",
    "error": "fout",
}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|%[sdif]")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
WORD = re.compile(r"\w", re.UNICODE)


def readable(text: str) -> str:
    """The text as a person reads it: placeholders filled in, every unit ends a sentence."""
    text = PLACEHOLDER.sub(lambda m: SAMPLES.get(m.group(1) or "", "dit"), text)
    text = text.replace("%%", "%")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return " ".join(line if line[-1] in ".!?" else line + "." for line in lines)


def sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE_END.split(readable(text)) if WORD.search(s)]


def words(sentence: str) -> list[str]:
    return [w for w in sentence.split() if WORD.search(w)]


def flesch_douma(texts: list[str]) -> float:
    # imported here, not at collection: textstat loads nltk and its word lists
    # (~0.4 s of CPU), which the test processes that never run this file then skip
    import textstat

    textstat.set_lang("nl")
    try:
        return textstat.flesch_reading_ease(" ".join(readable(t) for t in texts))
    finally:
        textstat.set_lang("en_US")


def ui_texts() -> list[str]:
    """Every Dutch interface text: each msgid of the template, plural forms too."""
    texts = []
    for message in read_catalog(POT):
        if not message.id:
            continue
        texts.extend([message.id] if isinstance(message.id, str) else message.id)
    return texts


def letter_explanations() -> list[str]:
    letters = json.loads((resources_dir() / "practice" / "letters.json").read_text("utf-8"))
    items = letters["letters"] if isinstance(letters, dict) else letters
    return [item[key] for item in items for key in ("summary", "what_to_do") if item.get(key)]


def test_dutch_catalog_reads_at_b1():
    texts = ui_texts()
    assert len(texts) > 100
    score = flesch_douma(texts)
    all_sentences = [s for t in texts for s in sentences(t)]
    lengths = [len(words(s)) for s in all_sentences]
    average = sum(lengths) / len(lengths)
    longest = max(all_sentences, key=lambda s: len(words(s)))
    print(
        f"\nDutch catalog: {len(texts)} texts, {len(all_sentences)} sentences; "
        f"Flesch-Douma {score:.1f} (at least {MIN_FLESCH_UI}); "
        f"average sentence {average:.1f} words (aim at most {AIM_AVERAGE_WORDS}); "
        f"longest {len(words(longest))} words: {longest!r}"
    )
    assert score >= MIN_FLESCH_UI
    assert average <= AIM_AVERAGE_WORDS


def test_no_interface_sentence_is_longer_than_twenty_words():
    too_long = sorted({s for t in ui_texts() for s in sentences(t) if len(words(s)) > MAX_WORDS})
    assert too_long == []


@pytest.mark.parametrize(
    "text", ["Er ligt %(n)d brief op tafel.", "Tekst %(percent)d%%", "Brief openen"]
)
def test_measuring_reads_placeholders_as_words(text):
    # The measure itself: a placeholder is one word, a label without a full stop is a sentence.
    (sentence,) = sentences(text)
    assert "%" not in sentence.replace("150%", "")
    assert sentence.endswith((".", "%."))


def test_a_hard_sentence_fails_the_measure():
    # The test can fail: official Dutch scores far below the bar.
    official = (
        "Indien u niet binnen de gestelde termijn overgaat tot betaling van het "
        "verschuldigde bedrag, zal de invordering van rechtswege worden voortgezet "
        "overeenkomstig de bepalingen van de Algemene wet inzake rijksbelastingen."
    )
    assert flesch_douma([official]) < MIN_FLESCH_LETTERS
    assert len(words(sentences(official)[0])) > MAX_WORDS


def test_letter_explanations_read_plainly():
    texts = letter_explanations()
    assert len(texts) >= 10
    score = flesch_douma(texts)
    lengths = [len(words(s)) for t in texts for s in sentences(t)]
    print(
        f"\nLetter explanations: {len(texts)} texts; Flesch-Douma {score:.1f} "
        f"(at least {MIN_FLESCH_LETTERS}); average sentence "
        f"{sum(lengths) / len(lengths):.1f} words; longest {max(lengths)} words"
    )
    assert score >= MIN_FLESCH_LETTERS
