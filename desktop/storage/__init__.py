"""Persistence: the only package that uses SQLAlchemy. Repositories return `core` dataclasses."""
