"""Opening an index version from disk as a responder: its store, embedder, text layer,
registry, catalogue and the answerability model fitted beside it."""

from __future__ import annotations

from pathlib import Path

from motcua.bot.answerability import AnswerabilityModel
from motcua.bot.responder import Responder
from motcua.index.build import load_catalogue, load_registry
from motcua.index.embedders import get_embedder
from motcua.index.retriever import HybridRetriever
from motcua.index.search_files import open_search_files
from motcua.index.store import IndexNotFound, IndexStore
from motcua.index.versions import NoIndex
from motcua.index.versions import resolve as resolve_versions
from motcua.ingest.text_layer import TextLayer
from motcua.settings import Settings


def resolve_index(index_dir: Path | str, version_path: str | None = None) -> Path:
    """The folder of the index version to read (see `index.versions`)."""
    try:
        return resolve_versions(index_dir, version_path)
    except NoIndex as exc:
        raise IndexNotFound(str(exc)) from exc


def load_responder(settings: Settings, index_dir: Path | None = None) -> Responder:
    """Open the index, load the embedder and the text layer built with it, make a responder.
    The version's search files are memory-mapped (shared with the host's other workers)."""
    root = resolve_index(index_dir or settings.index_dir)
    store = IndexStore.open(root)
    try:
        embedder = get_embedder(store.embedder_id)
        text_layer = TextLayer.load(root)
        search = open_search_files(store)
        retriever = HybridRetriever.from_store(store, embedder, text_layer, search)
    finally:
        store.close()
    # `motcua calibrate` writes the model beside the index versions: it outlives a re-ingest.
    model = AnswerabilityModel.load(Path(index_dir or settings.index_dir), embedder.id)
    return Responder(
        retriever,
        settings,
        text_layer,
        load_registry(root),
        model,
        load_catalogue(root),
        terms=search.terms if search is not None else None,
    )
