"""Fixtures of the answering tests shared across files."""

from __future__ import annotations

from pathlib import Path

import pytest

from motcua.ingest.registry import DecreeRegistry


@pytest.fixture(scope="session")
def registry(shared_dir: Path) -> DecreeRegistry:
    """The registry of the plans and the legal corpus (what the real index holds)."""
    reg = DecreeRegistry()
    for folder in ("seeds", "corpus/decrees", "corpus/other"):
        for path in sorted((shared_dir / folder).glob("*.txt")):
            reg.add_document(path.stem, path.read_text(encoding="utf-8"))
    return reg
