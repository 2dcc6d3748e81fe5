"""Shared fixtures: real documents from ../shared, small indexes built with the real embedder."""

from __future__ import annotations

from pathlib import Path

import pytest

from motcua.settings import Settings

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "seeds").is_dir():
        pytest.fail(f"the customer's documents are expected in {SHARED} (seeds/, corpus/, eval/)")
    return SHARED


def make_settings(index_dir: Path, **overrides: object) -> Settings:
    overrides.setdefault("data_dir", Path(index_dir).parent / f"{Path(index_dir).name}-data")
    return Settings(index_dir=index_dir, _env_file=None, **overrides)


@pytest.fixture(scope="session")
def cards_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of the built-in procedure cards (what `make run` serves)."""
    from motcua.services import ingest_into_index

    index_dir = tmp_path_factory.mktemp("cards-index")
    report = ingest_into_index([], make_settings(index_dir), builtin=True)
    assert report.added and not report.failed
    return index_dir


@pytest.fixture(scope="session")
def cards_responder(cards_index: Path):
    from motcua.bot.responder import load_responder

    return load_responder(make_settings(cards_index))
