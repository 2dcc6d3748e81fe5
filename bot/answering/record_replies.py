"""Answers read from what the index records rather than extracted from a passage: the decree
registry's links between texts, a province's published list of procedures (followed by the
built-in card's general answer), the rows of a table that a question names."""

from __future__ import annotations

from motcua.bot.answering.catalogue_answers import CatalogueFinding, catalogue_text, record_citation
from motcua.bot.answering.document_labels import DocumentLabels
from motcua.bot.answering.procedures import card_answer
from motcua.bot.answering.registry_answers import RegistryAnswer
from motcua.bot.answering.table_answers import RowFinding, rows_lines
from motcua.bot.answering.templates import render
from motcua.index.build import FACTS_SECTION
from motcua.index.filters import DocumentFilter
from motcua.index.loaded import LoadedIndex
from motcua.ingest.cards import ProcedureCard
from motcua.ingest.chunking import table_section
from motcua.lexicon import Normalized, vocabulary
from motcua.settings import Settings
from motcua.text import fold_phrase
from motcua.types import Answer, Chunk, Citation


class RecordReplies:
    def __init__(
        self,
        settings: Settings,
        index: LoadedIndex,
        labels: DocumentLabels,
    ) -> None:
        self.settings = settings
        self.index = index  # passages by document, indexed cards: read, never copied
        self.labels = labels

    def registry_reply(
        self, question: str, linked: RegistryAnswer, doc_filter: DocumentFilter | None = None
    ) -> Answer | None:
        """The registry's answer, cited to the passages that mention the texts it names;
        None when no document the filter lets through mentions them."""
        citations: list[Citation] = []
        for doc_id, passage in linked.mentions:
            document = self.labels.document(doc_id)
            if doc_id in {c.doc_id for c in citations} or document is None:
                continue
            if doc_filter is not None and not doc_filter.matches(document.meta):
                continue
            chunk = self._chunk_quoting(doc_id, passage)
            section = chunk.section if chunk else None
            citations.append(
                Citation(
                    doc_id=doc_id,
                    title=self.labels.label(doc_id),
                    so_hieu=self.labels.document(doc_id).meta.so_hieu,
                    section=self.labels.readable(doc_id, section) if section else None,
                    quote=self.labels.readable(doc_id, passage),
                    score=1.0,
                )
            )
        if not citations:
            return None
        citations = citations[: self.settings.top_k]
        sources = [{"label": c.title, "section": c.section} for c in citations]
        text = render(
            "answer_registry.txt",
            heading=linked.heading,
            lines=linked.lines,
            sources=sources,
            note=linked.note,
            caveat=linked.caveat,
        )
        return Answer(question=question, answer=text, refused=False, citations=citations)

    def _chunk_quoting(self, doc_id: str, passage: str) -> Chunk | None:
        probe = fold_phrase(passage)[:60]
        return next(
            (c for c in self.index.chunks_of.get(doc_id, []) if probe in fold_phrase(c.text)),
            None,
        )

    def general(
        self, finding: CatalogueFinding, reading: Normalized
    ) -> tuple[ProcedureCard, str, list[Citation]] | None:
        """The card of a procedure a province's list answered: its general answer, cited to
        the card's section on the asked aspect, goes after the list's own facts."""
        card = self.index.cards.get(finding.records[0].card_id or "")
        if card is None or not finding.local:
            return None
        text, _lead = card_answer(card, reading, self.settings.portal_url)
        chunks = [c for c in self.index.chunks_of.get(card.id, []) if c.section != FACTS_SECTION]
        labels = [fold_phrase(vocabulary().aspect(a).label) for a in reading.aspects]
        chunk = next(
            (c for c in chunks if any(lb in fold_phrase(c.section or "") for lb in labels)),
            chunks[0] if chunks else None,
        )
        if chunk is None:
            return card, text, []
        citation = Citation(
            doc_id=card.id,
            title=self.labels.label(card.id),
            so_hieu=None,
            section=chunk.section,
            quote=chunk.shown[:300],
            score=1.0,
        )
        return card, text, [citation]

    def catalogue_reply(
        self,
        question: str,
        finding: CatalogueFinding,
        general: tuple[ProcedureCard, str, list[Citation]] | None = None,
    ) -> Answer:
        """An answer from catalogue records, each cited to its row; `general` (a card, its
        answer and citations) follows the province's own list."""
        card, general_text, general_citations = general or (None, None, [])
        text, lead = catalogue_text(finding, general_text, card.ten if card else None)
        citations = [
            record_citation(
                record,
                finding.asked,
                self.index.chunks_of.get(record.doc_id, []),
                self.labels.label(record.doc_id),
            )
            for record in finding.records
        ]
        cited = {c.doc_id for c in citations}
        citations += [c for c in general_citations if c.doc_id not in cited]
        return Answer(
            question=question,
            answer=text,
            refused=False,
            citations=citations[: self.settings.top_k],
            lead=lead,
        )

    def _rows_source(self, rows: list[Chunk]) -> dict:
        doc_id = rows[0].doc_id
        lines = rows_lines(rows, lambda c: self.labels.readable(doc_id, c.text))
        section = table_section(rows[0].section)
        return {
            "label": self.labels.label(doc_id),
            "section": self.labels.readable(doc_id, section) if section else None,
            "sentences": lines,
        }

    def rows_reply(self, question: str, found: RowFinding) -> Answer:
        """An answer quoting the rows a question names, and the rows their groups lead to."""
        source = self._rows_source(found.named)
        extra = self._rows_source(found.linked) if found.linked else None
        text = render("answer_extractive.txt", source=source, extra=extra)
        citations = [
            Citation(
                doc_id=rows[0].doc_id,
                title=self.labels.label(rows[0].doc_id),
                so_hieu=meta.so_hieu if (meta := self.labels.meta(rows[0].doc_id)) else None,
                section=shown["section"],
                quote=" ".join(shown["sentences"])[:600],
                score=1.0,
            )
            for rows, shown in ((found.named, source), (found.linked, extra))
            if rows and shown
        ]
        return Answer(question=question, answer=text, refused=False, citations=citations)
