"""start: see docs/architecture.md."""
