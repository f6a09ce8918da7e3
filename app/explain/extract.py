"""The Babel extractor for the explanation rules (``resources/explain/*.json``),
so every text a rule says reaches the translators' template without a line of
code per sender. babel.cfg needs (the lead's file)::

    [extractors]
    explain_rules = app.explain.extract:extract_rules
    [explain_rules: resources/explain/**.json]
"""

from __future__ import annotations


def texts(data: dict) -> list[str]:
    """Every msgid of a rules document: each rule's summary and what-to-do texts."""
    out: list[str] = []
    for rule in data.get("rules", ()):
        for key, value in rule.items():
            if key.startswith(("summary", "what_to_do")) and isinstance(value, str):
                out.append(value)
    return out


def extract_rules(fileobj, keywords, comment_tags, options):
    """Babel extractor: yields (line, funcname, message, comments)."""
    from app.guided.extract import json_texts

    yield from json_texts(fileobj, texts, "explanation rule")
