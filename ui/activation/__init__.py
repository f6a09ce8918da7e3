"""activation: see docs/architecture.md."""
