"""The sign-in token of a Berichtenbox server, in the OS keyring only.

Never in a file, a log or a traceback. One entry per server address and
person: service ``Brieventafel <address>``, user the person's id. ``keyring``
is imported inside the functions, so start-up on the practice box never loads
it. "Afmelden" calls :func:`forget_token`.

A computer without a usable keyring raises :class:`NoKeyring`: the app then
keeps the token for this run only and asks to sign in at the next start.
"""

from __future__ import annotations

from urllib.parse import urlsplit

SERVICE = "Brieventafel"


class NoKeyring(Exception):
    """The OS keyring cannot be used here (none installed, locked, refused)."""


def service_name(base_url: str) -> str:
    """The keyring service for a server: its scheme, host and port, lower case
    (a path or a trailing slash is the same server)."""
    parts = urlsplit(base_url.strip())
    host = (parts.hostname or "").lower()
    port = f":{parts.port}" if parts.port else ""
    return f"{SERVICE} {parts.scheme.lower()}://{host}{port}"


def save_token(base_url: str, person_id: str, token: str) -> None:
    import keyring
    from keyring.errors import KeyringError

    failed = False
    try:
        keyring.set_password(service_name(base_url), person_id, token)
    except (KeyringError, RuntimeError, OSError):
        failed = True
    if failed:  # raised outside the except block: nothing chained could quote the token
        raise NoKeyring("the token could not be kept")


def load_token(base_url: str, person_id: str) -> str | None:
    """The token kept for this server and person, or None (never signed in,
    signed out, or no keyring)."""
    import keyring
    from keyring.errors import KeyringError

    try:
        token = keyring.get_password(service_name(base_url), person_id)
    except (KeyringError, RuntimeError, OSError):
        return None
    return token or None


def forget_token(base_url: str, person_id: str) -> None:
    """Remove the token ("Afmelden"). Nothing kept is fine."""
    import keyring
    from keyring.errors import KeyringError, PasswordDeleteError

    try:
        keyring.delete_password(service_name(base_url), person_id)
    except PasswordDeleteError:
        pass
    except (KeyringError, RuntimeError, OSError):
        raise NoKeyring("the token could not be removed") from None


__all__ = ["NoKeyring", "forget_token", "load_token", "save_token", "service_name"]
