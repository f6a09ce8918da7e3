"""The watcher in the background: the tray (or a small calm window) and the
settings part "Herinneringen" (issue 16)."""
