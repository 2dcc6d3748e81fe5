"""The responder: a question in, a cited Vietnamese answer (or a polite refusal) out.

It never sees a channel's types; REST, Telegram, Zalo and the console all call `answer`.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from motcua.bot.compose import Extract, extract
from motcua.bot.evidence import (
    QuestionTerms,
    TermWeights,
    assess,
    evidence_weights,
    question_terms,
    terms_coverage,
)
from motcua.bot.generate import GeneratedComposer, Passage, build_chat_model
from motcua.bot.registry_answers import RegistryAnswer, registry_answer
from motcua.bot.templates import render
from motcua.index.embedders import get_embedder
from motcua.index.filters import DocumentFilter
from motcua.index.query import school_level
from motcua.index.retriever import HybridRetriever
from motcua.index.store import IndexNotFound, IndexStore, StoredDocument
from motcua.index.versions import NoIndex
from motcua.index.versions import resolve as resolve_versions
from motcua.ingest.cards import ProcedureCard, builtin_card
from motcua.ingest.pipeline import FACTS_SECTION, load_registry
from motcua.ingest.registry import DecreeRegistry
from motcua.ingest.text_layer import TextLayer, is_ocr_text
from motcua.settings import Settings
from motcua.text import fold_phrase, initialisms
from motcua.types import Answer, Chunk, Citation, DocumentMeta, Hit

# Lines of the facts passage we write ourselves: never "unrepaired scan" text.
FACT_LINES = ("Trích yếu:", "Nơi ban hành:", "Người ký:")
UNREPAIRED_NOTE = "(nguyên văn bản quét, chưa khôi phục được dấu)"
CANDIDATES = 20  # chunks retrieved; citations keep the best one per document
# A document's passages scoring at least this share of its best one compete to answer
# (measured on the dev set: 0.4-0.5 picked the answering passage where the opening won).
PASSAGE_RATIO = 0.5


class Responder:
    def __init__(
        self,
        retriever: HybridRetriever,
        settings: Settings,
        text_layer: TextLayer,
        registry: DecreeRegistry | None = None,
    ) -> None:
        self.retriever = retriever
        self.settings = settings
        self.text_layer = text_layer
        self.registry = registry or DecreeRegistry()
        model = build_chat_model(settings)
        self.composer = GeneratedComposer(model) if model is not None else None
        self.weights = TermWeights([c.text for c in retriever.chunks])
        self.evidence_weights = evidence_weights(retriever.chunks)
        self._facts = {c.doc_id: c for c in retriever.chunks if c.section == FACTS_SECTION}
        self._ocr = {d.doc_id for d in retriever.documents.values() if is_ocr_text(d.text)}
        self._labels: dict[str, str] = {}  # the index is read-only: a label never changes

    @property
    def index_version(self) -> int:
        return self.retriever.index_version

    def readable(self, doc_id: str, text: str) -> str:
        """OCR text is shown repaired (where the model is confident); clean text as is."""
        return self.text_layer.readable(text) if doc_id in self._ocr else text

    def _document(self, doc_id: str) -> StoredDocument | None:
        return self.retriever.documents.get(doc_id)

    def _label(self, doc_id: str) -> str:
        if doc_id not in self._labels:
            self._labels[doc_id] = self._make_label(doc_id)
        return self._labels[doc_id]

    def _make_label(self, doc_id: str) -> str:
        document = self._document(doc_id)
        meta = document.meta if document else DocumentMeta()
        if meta.title:
            meta = replace(meta, title=self.readable(doc_id, meta.title))
        return meta.label(doc_id)

    def _identity(self, doc_id: str) -> str:
        """The words that name a document (label, title, issuer, place) and their initials."""
        document = self._document(doc_id)
        meta = document.meta if document else DocumentMeta()
        name = " ".join(
            (self._label(doc_id), meta.title or "", meta.issuer or "", meta.place or "")
        )
        return " ".join([name, *initialisms(name)])

    def _known(self, hit: Hit) -> str:
        return f"{self._identity(hit.chunk.doc_id)} {hit.chunk.section or ''}"

    def _answering_passages(self, question: str, hits: list[Hit]) -> list[Hit]:
        """One passage per document, documents in ranking order (citations name distinct
        sources). Within a document the passages ranked close to its best compete on how much
        of the question they cover beyond the document's own name: a plan's opening ("Kế
        hoạch tuyên truyền CCHC năm 2024 … như sau:") shares its title's words with every
        question about the plan, yet answers none of them."""
        by_document: dict[str, list[Hit]] = {}
        for hit in hits:
            by_document.setdefault(hit.chunk.doc_id, []).append(hit)
        chosen = []
        for doc_id, doc_hits in by_document.items():
            rivals = [h for h in doc_hits if h.score >= doc_hits[0].score * PASSAGE_RATIO]
            if len(rivals) == 1:
                chosen.append(rivals[0])
                continue
            terms = question_terms(question, self.weights, known=self._identity(doc_id))

            def answers(hit: Hit, terms: QuestionTerms = terms) -> tuple[float, float]:
                text = f"{hit.chunk.section or ''}\n{hit.chunk.shown}"
                return round(terms_coverage(terms, text, self.weights), 3), hit.score

            chosen.append(max(rivals, key=answers))
        return chosen

    def refusal(self, question: str) -> Answer:
        text = render(
            "refusal.txt", hotline=self.settings.hotline, portal_url=self.settings.portal_url
        )
        return Answer(question=question, answer=text, refused=True, citations=[])

    def answer(
        self,
        question: str,
        conversation_id: str | None = None,
        *,
        doc_filter: DocumentFilter | None = None,
    ) -> Answer:
        """With `doc_filter`, only documents it lets through are searched and cited."""
        linked = registry_answer(question, self.registry)
        if linked is not None:
            return self._registry_reply(question, linked, doc_filter)
        query = self.retriever.prepare(question)
        hits = self.retriever.search_prepared(
            query, k=max(self.settings.top_k, CANDIDATES), doc_filter=doc_filter
        )
        if not assess(query.dense_text, hits, self.evidence_weights).sufficient:
            return self.refusal(question)
        ranked = self._for_level(self._answering_passages(question, hits), school_level(question))
        if asks_for_particulars(question) and ranked[0].chunk.doc_id in self._facts:
            # "Ai ký…", "ban hành ngày nào": the document's own particulars answer it.
            top = ranked[0]
            ranked[0] = replace(top, chunk=self._facts[top.chunk.doc_id])
        extracts = [extract(question, hit, self.weights, known=self._known(hit)) for hit in ranked]
        citations = [self._citation(e) for e in extracts[: self.settings.top_k]]
        main = extracts[0]
        card = self._card(main.hit)
        if card is not None:
            text = render("answer_procedure.txt", card=card, portal_url=self.settings.portal_url)
            return Answer(question=question, answer=text, refused=False, citations=citations)
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
        text = self._generated(question, extracts[: self.settings.top_k]) or render(
            "answer_extractive.txt",
            source=self._source(main),
            extra=self._source(extra) if extra else None,
        )
        return Answer(question=question, answer=text, refused=False, citations=citations)

    def _generated(self, question: str, extracts: list[Extract]) -> str | None:
        """A language-model answer over the cited passages (numbered as the citations are),
        when a model is configured; None keeps the extractive answer."""
        if self.composer is None:
            return None
        passages = []
        for number, item in enumerate(extracts, start=1):
            chunk = item.hit.chunk
            passages.append(
                Passage(
                    number=number,
                    doc_id=chunk.doc_id,
                    label=self._label(chunk.doc_id),
                    section=self.readable(chunk.doc_id, chunk.section) if chunk.section else None,
                    text=chunk.shown,
                )
            )
        return self.composer.compose(question, passages)

    def _registry_reply(
        self, question: str, linked: RegistryAnswer, doc_filter: DocumentFilter | None = None
    ) -> Answer:
        citations: list[Citation] = []
        for doc_id, passage in linked.mentions:
            document = self._document(doc_id)
            if doc_id in {c.doc_id for c in citations} or document is None:
                continue
            if doc_filter is not None and not doc_filter.matches(document.meta):
                continue
            chunk = self._chunk_quoting(doc_id, passage)
            section = chunk.section if chunk else None
            citations.append(
                Citation(
                    doc_id=doc_id,
                    title=self._label(doc_id),
                    so_hieu=self._document(doc_id).meta.so_hieu,
                    section=self.readable(doc_id, section) if section else None,
                    quote=self.readable(doc_id, passage),
                    score=1.0,
                )
            )
        if not citations:
            return self.refusal(question)
        citations = citations[: self.settings.top_k]
        sources = [{"label": c.title, "section": c.section} for c in citations]
        text = render(
            "answer_registry.txt", heading=linked.heading, lines=linked.lines, sources=sources
        )
        return Answer(question=question, answer=text, refused=False, citations=citations)

    def _chunk_quoting(self, doc_id: str, passage: str) -> Chunk | None:
        probe = fold_phrase(passage)[:60]
        return next(
            (
                c
                for c in self.retriever.chunks
                if c.doc_id == doc_id and probe in fold_phrase(c.text)
            ),
            None,
        )

    def _for_level(self, ranked: list[Hit], level: str | None) -> list[Hit]:
        """A question that names a school level ("lớp 8", "cấp 3") is not answered from a
        procedure card of another level: such cards step back (the sort is stable)."""
        if level is None:
            return ranked

        def other_level(hit: Hit) -> bool:
            card = self._card(hit)
            return card is not None and level not in card.cap_hoc

        return sorted(ranked, key=other_level)

    def _card(self, hit: Hit) -> ProcedureCard | None:
        """The procedure card a hit belongs to, when the best source is one."""
        document = self._document(hit.chunk.doc_id)
        if document is None or document.kind != "card":
            return None
        return builtin_card(document.doc_id)

    def _source(self, item: Extract) -> dict:
        doc_id = item.hit.chunk.doc_id
        section = item.hit.chunk.section
        return {
            "label": self._label(doc_id),
            "section": self.readable(doc_id, section) if section else None,
            "sentences": [self._shown_sentence(doc_id, s) for s in item.sentences],
        }

    def _shown_sentence(self, doc_id: str, sentence: str) -> str:
        sentence = re.sub(r"^[-•–]\s+", "", sentence)  # the template draws its own bullets
        if doc_id in self._ocr and is_ocr_text(sentence) and not sentence.startswith(FACT_LINES):
            # The repair was not confident enough: the scan's text, said to be so.
            return f"{sentence} {UNREPAIRED_NOTE}"
        return sentence

    def _citation(self, item: Extract) -> Citation:
        chunk = item.hit.chunk
        document = self._document(chunk.doc_id)
        meta = document.meta if document else DocumentMeta()
        return Citation(
            doc_id=chunk.doc_id,
            title=self._label(chunk.doc_id),
            so_hieu=meta.so_hieu,
            section=self.readable(chunk.doc_id, chunk.section) if chunk.section else None,
            quote=item.quote or chunk.shown[:300],
            score=round(item.hit.score, 4),
        )


_PARTICULARS = re.compile(
    r"\b(ai ky|nguoi ky|do ai ky|ky ban hanh|ngay ban hanh|ban hanh ngay|ban hanh khi nao"
    r"|ban hanh vao ngay|so hieu|ky hieu van ban)\b"
)


def asks_for_particulars(question: str) -> bool:
    """Questions about a document itself (signer, date, number) rather than its content."""
    return bool(_PARTICULARS.search(fold_phrase(question)))


def resolve_index(index_dir: Path | str, version_path: str | None = None) -> Path:
    """The folder of the index version to read (see `index.versions`)."""
    try:
        return resolve_versions(index_dir, version_path)
    except NoIndex as exc:
        raise IndexNotFound(str(exc)) from exc


def load_responder(settings: Settings, index_dir: Path | None = None) -> Responder:
    """Open the index, load the embedder and the text layer built with it, make a responder."""
    root = resolve_index(index_dir or settings.index_dir)
    store = IndexStore.open(root)
    try:
        embedder = get_embedder(store.embedder_id)
        text_layer = TextLayer.load(root)
        retriever = HybridRetriever.from_store(store, embedder, text_layer)
    finally:
        store.close()
    return Responder(retriever, settings, text_layer, load_registry(root))
