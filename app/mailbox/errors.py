"""Every way a mailbox can refuse or fail: one typed list.

The codes are stable and machine-readable; the practice mailbox, the remote
client and the server use the same ones (the server sends them as the
problem+json ``code``). Plain words for each live in one place:
:mod:`app.problems`.
"""

from __future__ import annotations

import enum


class ErrorCode(enum.StrEnum):
    """Why a mailbox call did not happen. A ``StrEnum``: equal to its text."""

    # -- the rules said no (nothing changed) ---------------------------------------
    CONFIRMATION_REQUIRED = "confirmation-required"
    INVALID_CONFIRMATION = "invalid-confirmation"
    CONFIRMATION_EXPIRED = "confirmation-expired"
    ALREADY_ACTIVE = "already-active"
    NOT_ACTIVE = "not-active"
    FIXED_BY_LAW = "fixed-by-law"
    ALREADY_ASKED = "already-asked"
    NOT_NEW = "not-new"
    NOT_TICKED = "not-ticked"
    BAD_STATE = "bad-state"
    # -- asked for something that is not there -------------------------------------
    UNKNOWN_PERSON = "unknown-person"
    UNKNOWN_ORGANISATION = "unknown-organisation"
    UNKNOWN_LETTER = "unknown-letter"
    UNKNOWN_REQUEST = "unknown-request"
    # -- the store itself ------------------------------------------------------------
    STORAGE_FAILED = "storage-failed"
    # -- what a network brings -------------------------------------------------------
    UNREACHABLE = "unreachable"  # no connection at all
    TIMEOUT = "timeout"  # connected, but no answer in time
    UNAUTHORIZED = "unauthorized"  # 401: signed out, or the key is no longer valid
    FORBIDDEN = "forbidden"  # 403: no mandate for this person or organisation
    NOT_READY = "not-ready"  # FBS 409: the mailbox cache is not filled yet
    BUSY = "busy"  # 503 with Retry-After
    BAD_ANSWER = "bad-answer"  # an answer we cannot read
    SERVER_ERROR = "server-error"  # 5xx
    #: the server's certificate is not one this computer trusts: trying again never
    #: helps, and nothing (no PIN, no token) was sent to it
    UNTRUSTED = "untrusted-server"


#: Failures that may pass by themselves: trying again later can help.
TRANSIENT = frozenset(
    {
        ErrorCode.UNREACHABLE,
        ErrorCode.TIMEOUT,
        ErrorCode.NOT_READY,
        ErrorCode.BUSY,
        ErrorCode.SERVER_ERROR,
        ErrorCode.STORAGE_FAILED,
    }
)


class MailboxError(Exception):
    """The mailbox refused or could not do something.

    ``code`` is an :class:`ErrorCode` (a plain string from a server is
    converted; an unknown one becomes ``BAD_ANSWER``). ``detail`` is for
    developers and never shown; it must not hold personal data beyond ids.
    ``retry_after`` (seconds) comes with ``BUSY``.
    """

    def __init__(
        self, code: ErrorCode | str, detail: str = "", *, retry_after: float | None = None
    ):
        try:
            typed = ErrorCode(code)
        except ValueError:
            typed, detail = ErrorCode.BAD_ANSWER, f"unknown code {code!r} {detail}".strip()
        super().__init__(f"{typed.value}: {detail}" if detail else typed.value)
        self.code: ErrorCode = typed
        self.detail = detail
        self.retry_after = retry_after

    @property
    def transient(self) -> bool:
        return self.code in TRANSIENT


__all__ = ["ErrorCode", "MailboxError", "TRANSIENT"]
