"""The Babel extractor for the guided-mode scripts (``babel.cfg``:
``app.guided.extract:extract_scripts``), so every script text reaches the
translators' template without a line of code per script."""

from __future__ import annotations

import json

from app.guided.scripts import texts


def json_texts(fileobj, texts, comment: str):
    """For a Babel extractor of a JSON data file: each text ``texts(data)`` finds,
    once, with the line it stands on: (line, funcname, message, comments)."""
    raw = fileobj.read()
    text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    seen: set[str] = set()
    for message in texts(json.loads(text)):
        if message in seen:
            continue
        seen.add(message)
        at = text.find(json.dumps(message, ensure_ascii=False))
        line = text.count("\n", 0, at) + 1 if at >= 0 else 1
        yield line, "_", message, [comment]


def extract_scripts(fileobj, keywords, comment_tags, options):
    """Babel extractor for ``scripts.json``: yields (line, funcname, message, comments)."""
    yield from json_texts(fileobj, texts, "guided script")
