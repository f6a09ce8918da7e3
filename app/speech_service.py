"""Is the speech service (speech-dispatcher) there, and does it answer?

Qt's "speechd" engine talks to speech-dispatcher over a local socket and waits
for it without a limit. On a computer where the service hangs (for example one
without sound), starting the engine would freeze the window. So before the UI
starts that engine, it asks here, with a short limit. No Qt in this module.
"""

from __future__ import annotations

import os
from pathlib import Path


def speechd_socket() -> Path:
    """Where speech-dispatcher listens: SPEECHD_ADDRESS, else the user's runtime folder."""
    address = os.environ.get("SPEECHD_ADDRESS", "")
    if address.startswith("unix_socket:"):
        return Path(address.split(":", 1)[1])
    base = os.environ.get("XDG_RUNTIME_DIR") or str(Path.home() / ".cache")
    return Path(base) / "speech-dispatcher" / "speechd.sock"


def speechd_answers(limit_seconds: float = 2.0) -> bool | None:
    """True when speech-dispatcher answers; False when it is there but hangs or refuses;
    None when it is not running (the engine may then start it itself)."""
    path = speechd_socket()
    if not path.exists():
        return None
    import socket  # only when asked: about 4 ms to load, and the window loads this module

    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.settimeout(limit_seconds)
        try:
            conn.connect(str(path))
            conn.sendall(b"SET SELF CLIENT_NAME brieventafel:probe:main\r\n")
            reply = conn.recv(200)
            if reply:
                conn.sendall(b"QUIT\r\n")
        except ConnectionRefusedError:
            return None  # a socket left behind by a service that stopped
        except OSError:
            return False
    return reply.startswith(b"2")
