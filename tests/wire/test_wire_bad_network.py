"""Bad answers from real sockets on loopback (wire_server.BadServer): each becomes
one MailboxError code, in bounded time, and nothing of the answer is quoted."""

from __future__ import annotations

import time

import pytest
from wire_server import BadServer

from app.mailbox import ErrorCode, MailboxError
from app.mailbox.remote import RemoteMailbox

TOKEN = "geheim-token-voor-de-test"


@pytest.fixture
def bad():
    servers: list[BadServer] = []

    def make(mode: str) -> BadServer:
        servers.append(BadServer(mode))
        return servers[-1]

    yield make
    for server in servers:
        server.close()


def _sync_error(server: BadServer, **kw) -> tuple[MailboxError, float]:
    mailbox = RemoteMailbox(server.base, "koen", TOKEN, timeout=(1, 0.4), **kw)
    started = time.monotonic()
    try:
        with pytest.raises(MailboxError) as caught:
            mailbox.letters("koen")
    finally:
        mailbox.close()
    error = caught.value
    assert TOKEN not in f"{error} {error.detail}" and error.__cause__ is None
    return error, time.monotonic() - started


@pytest.mark.parametrize(
    ("mode", "code"),
    [
        ("silent", ErrorCode.TIMEOUT),  # accepts and never answers
        ("html", ErrorCode.BAD_ANSWER),
        ("garbage", ErrorCode.BAD_ANSWER),
        ("big", ErrorCode.BAD_ANSWER),  # 50 MB: read no further than the cap
        ("500", ErrorCode.SERVER_ERROR),
        ("cut", ErrorCode.BAD_ANSWER),  # the connection ends inside the headers
        ("cut-body", ErrorCode.UNREACHABLE),  # ... or inside the body
    ],
)
def test_a_bad_answer_is_one_code_in_bounded_time(bad, mode, code):
    server = bad(mode)
    error, took = _sync_error(server, max_body=2 * 1024 * 1024)
    assert error.code is code
    assert took < 5
    pages = [p for _, p in server.requests if "/berichten" in p]
    # GET is retried (500: twice more; a read timeout once more), never endlessly
    assert 1 <= len(pages) <= 3


def test_503_with_a_long_retry_after_gives_up_at_once_and_says_when(bad):
    server = bad("503-long")
    error, took = _sync_error(server)
    assert error.code is ErrorCode.BUSY and error.retry_after == 120
    assert took < 1
    assert len([p for _, p in server.requests if "/berichten" in p]) == 1


def test_503_with_a_short_retry_after_is_waited_for_and_retried(bad):
    server = bad("503-once")
    mailbox = RemoteMailbox(server.base, "koen", TOKEN, timeout=(1, 2))
    try:
        batch = mailbox.letters("koen")
    finally:
        mailbox.close()
    assert batch.letters == []
    (first, _), (second, _) = [r for r in server.requests if "/berichten" in r[1]]
    assert second - first >= 0.9  # Retry-After: 1 honoured


def test_an_event_stream_that_ends_before_ophalen_gereed_is_not_ready(bad):
    server = bad("sse-cut")
    steps = []
    mailbox = RemoteMailbox(server.base, "koen", TOKEN, timeout=(1, 2))
    try:
        with pytest.raises(MailboxError) as caught:
            mailbox.letters("koen", progress=steps.append)
    finally:
        mailbox.close()
    assert caught.value.code is ErrorCode.NOT_READY
    assert [s.store for s in steps] == ["RDW"]


def test_nobody_listening_is_unreachable(bad):
    server = bad("html")
    base = server.base
    server.close()
    mailbox = RemoteMailbox(base, "koen", TOKEN, timeout=(1, 1))
    try:
        with pytest.raises(MailboxError) as caught:
            mailbox.me()
    finally:
        mailbox.close()
    assert caught.value.code is ErrorCode.UNREACHABLE


def test_tls_is_never_switched_off():
    with pytest.raises(ValueError):
        RemoteMailbox("https://127.0.0.1:1", "koen", TOKEN, verify=False)  # type: ignore[arg-type]
