"""The responder: a question in, a cited Vietnamese answer (or a polite refusal) out.

It never sees a channel's types; REST, Telegram, Zalo and the console all call `answer`.
"""

from __future__ import annotations

from pathlib import Path

from motcua.bot.compose import Extract, extract
from motcua.bot.evidence import TermWeights, assess
from motcua.bot.templates import render
from motcua.index.embedders import get_embedder
from motcua.index.query import PyviRestorer, Restorer
from motcua.index.retriever import HybridRetriever
from motcua.index.store import IndexStore, StoredDocument
from motcua.settings import Settings
from motcua.types import Answer, Citation, DocumentMeta, Hit

CANDIDATES = 8


def document_label(meta: DocumentMeta, doc_id: str) -> str:
    """How a document is named to a reader: type, number, date, issuer; never a file name."""
    parts = [meta.doc_type or "Văn bản"]
    if meta.so_hieu:
        parts.append(meta.so_hieu)
    if meta.issued_date:
        year, month, day = meta.issued_date.split("-")
        parts.append(f"ngày {int(day)}/{int(month)}/{year}")
    if meta.issuer:
        parts.append(f"của {meta.issuer}")
    if not meta.so_hieu and meta.title:
        parts.append(f"“{meta.title}”")
    if len(parts) == 1:
        parts.append(f"“{doc_id}”")
    return " ".join(parts)


class Responder:
    def __init__(self, retriever: HybridRetriever, settings: Settings) -> None:
        self.retriever = retriever
        self.settings = settings
        self.weights = TermWeights([c.text for c in retriever.chunks])

    def _document(self, doc_id: str) -> StoredDocument | None:
        return self.retriever.documents.get(doc_id)

    def _label(self, doc_id: str) -> str:
        document = self._document(doc_id)
        return document_label(document.meta if document else DocumentMeta(), doc_id)

    def _known(self, hit: Hit) -> str:
        document = self._document(hit.chunk.doc_id)
        title = document.meta.title or "" if document else ""
        return " ".join((self._label(hit.chunk.doc_id), title, hit.chunk.section or ""))

    def refusal(self, question: str) -> Answer:
        text = render(
            "refusal.txt", hotline=self.settings.hotline, portal_url=self.settings.portal_url
        )
        return Answer(question=question, answer=text, refused=True, citations=[])

    def answer(self, question: str, conversation_id: str | None = None) -> Answer:
        hits = self.retriever.search(question, k=max(self.settings.top_k, CANDIDATES))
        if not assess(question, hits, self.weights).sufficient:
            return self.refusal(question)
        extracts = [extract(question, hit, self.weights, known=self._known(hit)) for hit in hits]
        main = extracts[0]
        extra = next(
            (
                e
                for e in extracts[1:3]
                if e.hit.chunk.doc_id != main.hit.chunk.doc_id
                and e.score >= main.score * 0.9
                and e.sentences
            ),
            None,
        )
        text = render(
            "answer_extractive.txt",
            source=self._source(main),
            extra=self._source(extra) if extra else None,
        )
        citations = [self._citation(e) for e in extracts[: self.settings.top_k]]
        return Answer(question=question, answer=text, refused=False, citations=citations)

    def _source(self, item: Extract) -> dict:
        return {
            "label": self._label(item.hit.chunk.doc_id),
            "section": item.hit.chunk.section,
            "sentences": item.sentences,
        }

    def _citation(self, item: Extract) -> Citation:
        chunk = item.hit.chunk
        document = self._document(chunk.doc_id)
        meta = document.meta if document else DocumentMeta()
        return Citation(
            doc_id=chunk.doc_id,
            title=self._label(chunk.doc_id),
            so_hieu=meta.so_hieu,
            section=chunk.section,
            quote=item.quote or chunk.text[:300],
            score=round(item.hit.score, 4),
        )


def load_responder(
    settings: Settings, index_dir: Path | None = None, restorer: Restorer | None = None
) -> Responder:
    """Open the index, load the embedder that built it, and make a responder."""
    store = IndexStore.open(Path(index_dir or settings.index_dir))
    try:
        embedder = get_embedder(store.embedder_id)
        retriever = HybridRetriever.from_store(store, embedder, restorer or PyviRestorer())
    finally:
        store.close()
    return Responder(retriever, settings)


def hits_doc_ids(hits: list[Hit]) -> list[str]:
    return [h.chunk.doc_id for h in hits]
