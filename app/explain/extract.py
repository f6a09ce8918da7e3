"""The Babel extractor for the explanation rules (``resources/explain/*.json``),
so every text a rule says reaches the translators' template without a line of
code per sender. babel.cfg needs (the lead's file)::

    [extractors]
    explain_rules = app.explain.extract:extract_rules
    [explain_rules: resources/explain/**.json]
"""

from __future__ import annotations

import json


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
    raw = fileobj.read()
    text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    seen: set[str] = set()
    for message in texts(json.loads(text)):
        if message in seen:
            continue
        seen.add(message)
        at = text.find(json.dumps(message, ensure_ascii=False))
        line = text.count("\n", 0, at) + 1 if at >= 0 else 1
        yield line, "_", message, ["explanation rule"]
