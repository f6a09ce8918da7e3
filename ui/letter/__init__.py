"""letter: see docs/architecture.md."""
