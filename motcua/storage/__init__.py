"""Shared state behind small interfaces: SQLite by default, PostgreSQL and Redis at scale."""
