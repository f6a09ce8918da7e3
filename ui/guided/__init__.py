"""guided: see docs/architecture.md."""
