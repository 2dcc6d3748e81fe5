"""One index version read from disk: everything answering, the console and curated matching read
of it, opened together so a worker swaps all of it at once (see index/watch.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from motcua.index.build import (
    FACTS_SECTION,
    SIGNATURE_SECTION,
    load_catalogue,
    load_registry,
)
from motcua.index.catalogue import Catalogue
from motcua.index.embedders import Embedder, get_embedder
from motcua.index.passage_terms import PassageTerms
from motcua.index.retriever import HybridRetriever
from motcua.index.search_files import open_search_files
from motcua.index.store import IndexStore, StoredDocument
from motcua.ingest.cards import ProcedureCard, builtin_card
from motcua.ingest.registry import DecreeRegistry
from motcua.ingest.text_layer import TextLayer
from motcua.types import Chunk


@dataclass
class LoadedIndex:
    """The documents and passages of a version, its search, text layer, registry and
    catalogue. `version` is the store's counter (0 for an index built in memory)."""

    retriever: HybridRetriever
    text_layer: TextLayer
    registry: DecreeRegistry = field(default_factory=DecreeRegistry)
    catalogue: Catalogue = field(default_factory=Catalogue)
    root: Path | None = None
    terms: PassageTerms | None = None  # word counts stored with the version; None: count them
    chunks_of: dict[str, list[Chunk]] = field(init=False)
    cards: dict[str, ProcedureCard] = field(init=False)
    facts: dict[str, Chunk] = field(init=False)

    def __post_init__(self) -> None:
        # Built once per version: several answer stages walk a document's passages in reading
        # order, look up the indexed built-in cards, or quote a document's facts passage.
        self.chunks_of = {}
        for chunk in self.retriever.chunks:
            self.chunks_of.setdefault(chunk.doc_id, []).append(chunk)
        self.cards = {
            doc_id: card
            for doc_id, document in self.retriever.documents.items()
            if document.kind == "card" and (card := builtin_card(doc_id)) is not None
        }
        self.facts = {c.doc_id: c for c in self.retriever.chunks if c.section == FACTS_SECTION}
        self.closings = {
            c.doc_id: c for c in self.retriever.chunks if c.section == SIGNATURE_SECTION
        }

    @property
    def documents(self) -> dict[str, StoredDocument]:
        return self.retriever.documents

    @property
    def chunks(self) -> list[Chunk]:
        return self.retriever.chunks

    @property
    def embedder(self) -> Embedder:
        return self.retriever.embedder

    @property
    def version(self) -> int:
        return self.retriever.index_version


def open_index(root: Path) -> LoadedIndex:
    """Read the version folder `root`: its store, the embedder it was built with, the text
    layer built with it, the registry and the catalogue. The version's search files are
    memory-mapped (shared with the host's other workers)."""
    store = IndexStore.open(root)
    try:
        embedder = get_embedder(store.embedder_id)
        text_layer = TextLayer.load(root)
        search = open_search_files(store)
        retriever = HybridRetriever.from_store(store, embedder, text_layer, search)
    finally:
        store.close()
    return LoadedIndex(
        retriever,
        text_layer,
        load_registry(root),
        load_catalogue(root),
        root,
        terms=search.terms if search is not None else None,
    )
