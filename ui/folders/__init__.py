"""folders: see docs/architecture.md."""
