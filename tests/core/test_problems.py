"""Error codes are one typed list, and each has kind plain words in one place."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from app.mailbox import ErrorCode, MailboxError
from app.problems import Doing, problem_text, unexpected_text

ROOT = Path(__file__).resolve().parents[2]
NETWORK = [
    "unreachable",
    "timeout",
    "unauthorized",
    "forbidden",
    "not-ready",
    "busy",
    "bad-answer",
    "server-error",
]


def test_the_codes_include_what_a_network_brings():
    assert {c.value for c in ErrorCode} >= set(NETWORK)


def test_a_code_is_equal_to_its_text_and_a_string_becomes_the_type():
    error = MailboxError("not-active", "koen")
    assert error.code is ErrorCode.NOT_ACTIVE
    assert error.code == "not-active"


def test_an_unknown_code_from_a_server_is_a_bad_answer_not_a_crash():
    error = MailboxError("something-new")
    assert error.code is ErrorCode.BAD_ANSWER
    assert "something-new" in error.detail


def test_busy_carries_retry_after_and_counts_as_passing():
    error = MailboxError(ErrorCode.BUSY, retry_after=30)
    assert error.retry_after == 30 and error.transient
    assert not MailboxError(ErrorCode.FORBIDDEN).transient


SHOWN = [
    c
    for c in ErrorCode
    if c
    not in (
        ErrorCode.NOT_NEW,
        ErrorCode.NOT_TICKED,
        ErrorCode.BAD_STATE,
        ErrorCode.UNKNOWN_PERSON,
        ErrorCode.UNKNOWN_LETTER,
        ErrorCode.UNKNOWN_REQUEST,
    )
]


@pytest.mark.parametrize("code", list(ErrorCode))
def test_every_code_has_kind_short_plain_words(code):
    text = problem_text(MailboxError(code))
    assert text and "Traceback" not in text and code.value not in text
    for sentence in text.replace("?", ".").split("."):
        assert len(sentence.split()) <= 20, sentence


def test_the_codes_a_person_meets_each_have_their_own_words():
    texts = [problem_text(code) for code in SHOWN]
    assert len(set(texts)) == len(texts)
    # what a network brings always says that nothing is lost or changed, or what to do
    for code in NETWORK:
        text = problem_text(code)
        assert any(word in text for word in ("niets", "opnieuw", "Probeer", "machtiging"))


def test_paper_and_sync_read_in_their_own_context():
    assert "op papier" in problem_text("not-active", Doing.PAPER)
    assert problem_text("unreachable", Doing.SYNC).startswith("Nieuwe post ophalen")
    assert "Druk nog eens" in problem_text("unknown-request", Doing.PAPER)
    assert "niet aan u" in unexpected_text()


def test_error_words_live_in_one_place():
    """No module other than app/problems.py maps codes to words (two copies before)."""
    offenders = []
    for path in sorted((ROOT / "app").rglob("*.py")) + sorted((ROOT / "ui").rglob("*.py")):
        if path.name == "problems.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name == "error_text":
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
