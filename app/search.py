"""Finding letters: what a person types, made into a safe SQLite FTS5 query.

The desk keeps an FTS5 index of every letter (``letters_search`` in
:mod:`app.desk`, tokenizer ``unicode61 remove_diacritics 2``, so "Zoë" is found
by "zoe" and "Şükrü" by "sukru"). Dots are taken out of the indexed text and
out of the query alike, so "WOZ" finds "W.O.Z." and "1.234,56" finds 1234,56.

Nothing a person types ever reaches FTS5 as syntax: the query is cut into words
(letters and digits only) and each word becomes a quoted prefix term
(``"belasting"*``), all of them needed. Quotes, ``*``, ``NEAR(``, ``AND``,
``-`` or ``:`` are only separators or plain words here, never operators.
Searching happens on the desk only: nothing is sent anywhere.
"""

from __future__ import annotations

import re

#: a word as the unicode61 tokenizer sees one: letters and digits (not "_")
_WORD = re.compile(r"[^\W_]+")
#: at most this many words count (a pasted page must not make a huge query)
MAX_WORDS = 12
#: ... of at most this many characters each
MAX_WORD_CHARS = 64


def words(query: str) -> list[str]:
    """The words of ``query`` that are searched for, dots taken out first
    ("W.O.Z." is one word, "WOZ"), at most :data:`MAX_WORDS`."""
    text = query[: MAX_WORDS * (MAX_WORD_CHARS + 8)].replace(".", "")
    return [w[:MAX_WORD_CHARS] for w in _WORD.findall(text)][:MAX_WORDS]


def match_expression(query: str) -> str | None:
    """The FTS5 MATCH expression for what was typed: every word as a quoted
    prefix term, all needed; None when there is no word in it."""
    found = words(query)
    if not found:
        return None
    return " ".join('"' + w.replace('"', '""') + '"*' for w in found)


__all__ = ["MAX_WORDS", "match_expression", "words"]
