"""app/regex_cache.py: a pattern made from kept code is the pattern ``re`` makes.

In this process, with a cache file in tmp_path: patterns are compiled once
inside ``kept()`` (the file is written), ``re``'s own cache is emptied, and
compiled again inside ``kept()`` (now from the file). Each must equal what
``re``'s own compiler makes of the same text and flags (``Pattern.__eq__``
compares the flags and the matcher's code), with the same groups, and match
the same. PySide's own three large patterns are among them; a hypothesis
grammar adds others.
"""

from __future__ import annotations

import _sre
import marshal
import re
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app import regex_cache

pytestmark = pytest.mark.skipif(not regex_cache.SUPPORTED, reason="CPython 3.11 only")


@pytest.fixture(autouse=True)
def bytecode_written(monkeypatch):
    """Written as where Python keeps bytecode (the shell may say otherwise)."""
    monkeypatch.setattr(sys, "dont_write_bytecode", False)


def pyside_patterns() -> list[tuple[str, int]]:
    """The large patterns PySide's support modules compile at its import."""
    import PySide6.QtCore  # noqa: F401  (loads shibokensupport)

    formatter = sys.modules["shibokensupport.signature.lib.pyi_generator"].Formatter
    found = [formatter.opt_uni_searcher, formatter.brace_searcher]
    return [(p.pattern, p.flags & ~re.UNICODE) for p in found]


OURS = [
    (r"(?P<year>\d{4})-(?P<month>\d\d)-(?P<day>\d\d)", 0),
    (r"[a-zà-ÿ]+(?:\s+[a-zà-ÿ]+)*", re.IGNORECASE),
    (
        r"""
        ^ \s* (?P<amount> € \s* \d+ (?:[.,]\d{2})? ) \s* $   # an amount
     """,
        re.VERBOSE | re.MULTILINE,
    ),
    (r"(a|b)*?c{2,5}(?!d)(?<=c)\b", 0),
    (r"[^\x00-\x1f\u200b-\u200f\u202a-\u202e]", 0),
    (r"(?i)w\.?o\.?z\.?", 0),
    (r"(?s).*", re.ASCII),
]
SAMPLES = [
    "2026-12-01",
    "W.O.Z. Belastingdienst",
    "  € 12,50 ",
    "aabccc",
    "typing.Optional[int]",
    "f(a, (b, [c]), {d: 'e'})",
    "\u200bx",
    "ÀÉÎ õü",
]


def own(pattern: str, flags: int) -> re.Pattern:
    """``re``'s own compile, past every cache."""
    return re._compiler.compile(pattern, flags)  # type: ignore[attr-defined]


def twice(path: Path, patterns: list[tuple[str, int]]) -> tuple[list[re.Pattern], int, int]:
    re.purge()
    with regex_cache.kept(str(path)):
        for pattern, flags in patterns:
            re.compile(pattern, flags)
    first = regex_cache.compiled
    re.purge()
    with regex_cache.kept(str(path)):
        made = [re.compile(pattern, flags) for pattern, flags in patterns]
    assert regex_cache.compiled == 0
    return made, first, regex_cache.taken


def same(made: re.Pattern, pattern: str, flags: int) -> None:
    expected = own(pattern, flags)
    assert made == expected  # flags, text and the matcher's code
    assert made.groups == expected.groups and made.groupindex == expected.groupindex
    for text in SAMPLES:
        a, b = made.search(text), expected.search(text)
        assert (a and (a.span(), a.groups())) == (b and (b.span(), b.groups()))


def test_kept_patterns_are_the_patterns_re_makes(tmp_path):
    patterns = pyside_patterns() + OURS
    made, first, taken = twice(tmp_path / "regex.bin", patterns)
    assert first == taken == len(patterns)
    for result, (pattern, flags) in zip(made, patterns, strict=True):
        same(result, pattern, flags)
        assert re.compile(pattern, flags) is result  # in re's own cache, as re keeps it


def test_the_hooks_are_re_s_own_again_afterwards_also_after_an_error(tmp_path):
    with pytest.raises(re.error), regex_cache.kept(str(tmp_path / "regex.bin")):
        assert re._compile is not regex_cache._real_compile  # type: ignore[attr-defined]
        re.compile("(unclosed")  # re's own error, as without the cache
    assert re._compile is regex_cache._real_compile  # type: ignore[attr-defined]
    assert _sre.compile is regex_cache._real_sre_compile


def test_a_damaged_or_foreign_file_is_compiled_again(tmp_path):
    path = tmp_path / "regex.bin"
    for content in (
        b"\x00 not marshal",
        marshal.dumps({"version": (1, 2, 3), "patterns": {}}),
        marshal.dumps({"version": regex_cache._VERSION, "patterns": {("a", 0): ("bad",)}}),
    ):
        path.write_bytes(content)
        re.purge()
        with regex_cache.kept(str(path)):
            result = re.compile(OURS[0][0], OURS[0][1])
        assert regex_cache.taken == 0 and regex_cache.compiled == 1
        same(result, *OURS[0])
        assert regex_cache._load(str(path))  # written whole again


def test_code_the_matcher_refuses_is_compiled_again(tmp_path):
    path = tmp_path / "regex.bin"
    pattern, flags = OURS[0]
    twice(path, [(pattern, flags)])
    kept = marshal.loads(path.read_bytes())
    entry = kept["patterns"][(pattern, flags)]
    for bad in ((99999, 1, 2), ("not", "numbers"), (-1,) * 40):
        kept["patterns"][(pattern, flags)] = (entry[0], bad, *entry[2:])
        path.write_bytes(marshal.dumps(kept))
        re.purge()
        with regex_cache.kept(str(path)):
            result = re.compile(pattern, flags)
        assert regex_cache.taken == 0 and regex_cache.compiled == 1
        same(result, pattern, flags)


def test_nothing_is_written_where_python_writes_no_bytecode(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    path = tmp_path / "regex.bin"
    re.purge()
    with regex_cache.kept(str(path)):
        re.compile(*OURS[1])
    assert regex_cache.compiled == 1 and not path.exists()


def test_bytes_patterns_and_debug_go_to_re_alone(tmp_path):
    path = tmp_path / "regex.bin"
    re.purge()
    with regex_cache.kept(str(path)):
        assert re.compile(rb"\d+").match(b"42")
    assert regex_cache.compiled == 0 and not path.exists()


# -- a grammar of patterns ------------------------------------------------------------
ATOMS = st.sampled_from(
    ["a", "b", "é", ".", r"\d", r"\w", r"\s", r"\b", "[a-c]", "[^x-z]", r"\.", "€", "^", "$"]
)


def _patterns() -> st.SearchStrategy[str]:
    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.one_of(
            st.tuples(inner, inner).map("".join),
            st.tuples(inner, inner).map(lambda p: f"{p[0]}|{p[1]}"),
            inner.map(lambda p: f"({p})"),
            inner.map(lambda p: f"(?:{p})"),
            inner.map(lambda p: f"(?P<g>{p})"),
            st.tuples(inner, st.sampled_from(["*", "+", "?", "*?", "{1,3}", "{2}"])).map(
                lambda p: f"(?:{p[0]}){p[1]}"
            ),
            inner.map(lambda p: f"(?={p})"),
        )

    return st.recursive(ATOMS, extend, max_leaves=8)


FLAGS = st.sampled_from([0, re.IGNORECASE, re.MULTILINE | re.DOTALL, re.ASCII, re.VERBOSE])


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(pattern=_patterns(), flags=FLAGS)
def test_any_pattern_kept_is_the_pattern_re_makes(tmp_path, pattern, flags):
    try:
        own(pattern, flags)
    except re.error:  # e.g. a group name twice: re's own error, nothing kept
        return
    path = tmp_path / "grammar.bin"
    path.unlink(missing_ok=True)
    [made], first, taken = twice(path, [(pattern, flags)])
    assert first == taken == 1
    same(made, pattern, flags)
