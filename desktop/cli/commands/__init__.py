"""Subcommand modules; each exposes `register(subparsers)` and is discovered automatically."""
