"""paper: see docs/architecture.md."""
