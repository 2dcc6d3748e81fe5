"""Alembic migrations of the shared-state database."""
