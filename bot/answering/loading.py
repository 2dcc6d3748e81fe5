"""Opening an index version from disk as a responder: the loaded index (index/loaded.py) and
the answerability model fitted beside it."""

from __future__ import annotations

from pathlib import Path

from motcua.bot.answering.answerability_model import AnswerabilityModel
from motcua.bot.answering.responder import Responder
from motcua.index.loaded import open_index
from motcua.index.store import IndexNotFound
from motcua.index.versions import NoIndex
from motcua.index.versions import resolve as resolve_versions
from motcua.settings import Settings


def resolve_index(index_dir: Path | str, version_path: str | None = None) -> Path:
    """The folder of the index version to read (see `index.versions`)."""
    try:
        return resolve_versions(index_dir, version_path)
    except NoIndex as exc:
        raise IndexNotFound(str(exc)) from exc


def load_responder(settings: Settings, index_dir: Path | None = None) -> Responder:
    """Open the current index version and make a responder over it."""
    index = open_index(resolve_index(index_dir or settings.index_dir))
    # `motcua calibrate` writes the model beside the index versions: it outlives a re-ingest.
    model = AnswerabilityModel.load(Path(index_dir or settings.index_dir), index.embedder.id)
    return Responder(index, settings, model)
