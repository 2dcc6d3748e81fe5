"""Which documents may answer a question: not another province's than the one(s) it names,
nor one that an operator's filter leaves out; a plan for the year asked before another's."""

from __future__ import annotations

import re
from collections.abc import Callable

from motcua.index.filters import DocumentFilter
from motcua.index.store import StoredDocument
from motcua.ingest.catalogue import ProcedureRecord, issuing_province
from motcua.ingest.metadata import is_local_body
from motcua.lexicon import Normalized
from motcua.text import fold_phrase, strip_diacritics
from motcua.types import Hit

# A year on its own ("năm 2024", "2024"), not one of a number or a date ("30/2020", "5/5/2025"),
# nor the end or the span of a period ("đến năm 2030", "giai đoạn 2021 - 2030"): what a plan is
# for, not what it aims at.
_YEAR = re.compile(r"(?<![\d/])(?:19|20)\d{2}(?![\d/])")
_PERIOD = re.compile(
    r"\b(?:den|toi)\s+(?:nam\s+)?(?:19|20)\d{2}|(?:19|20)\d{2}\s*[-–]\s*(?:19|20)\d{2}"
)


def _years(text: str | None) -> frozenset[str]:
    return frozenset(_YEAR.findall(_PERIOD.sub(" ", strip_diacritics(text or "").lower())))


class DocumentScope:
    def __init__(self, documents: dict[str, StoredDocument]) -> None:
        self.documents = documents
        # The province of each local document (a province's decision, a Sở's plan): its
        # issuer's, or for a local body whose name leaves it out ("Sở Giáo dục và Đào tạo" of
        # a plan saved without its header) where it was signed or the one it keeps naming.
        self._provinces = {
            doc_id: fold_phrase(province)
            for doc_id, d in documents.items()
            if (
                province := issuing_province(d.meta)
                or (d.meta.place if is_local_body(d.meta.issuer) else None)
            )
        }

        # The years a document's title is for ("Tuyên truyền cải cách hành chính năm 2024").
        self._title_years = {
            doc_id: years for doc_id, d in documents.items() if (years := _years(d.meta.title))
        }

    def for_year(self, question: str, hits: list[Hit]) -> list[Hit]:
        """Hits of documents for the year a question names first: a province's plans for
        2024 and 2025 share most of their words, and "kế hoạch … năm 2024" is the 2024 one.
        Only when a retrieved document is titled for that year (the sort is stable)."""
        asked = _years(question)
        if not asked:
            return hits
        years = [self._title_years.get(h.chunk.doc_id, frozenset()) for h in hits]
        if not any(y & asked for y in years):
            return hits
        order = sorted(range(len(hits)), key=lambda i: bool(years[i]) and not years[i] & asked)
        return [hits[i] for i in order]

    @staticmethod
    def named_first(doc_id: str | None, hits: list[Hit]) -> list[Hit]:
        """Hits of the text a question names by its number first ("Nghị định 09/2025 có hiệu
        lực từ ngày nào"): every decree has such an article, and another decree's may share
        more of the question's words than the one asked about (the sort is stable)."""
        if doc_id is None or not any(h.chunk.doc_id == doc_id for h in hits):
            return hits
        return sorted(hits, key=lambda h: h.chunk.doc_id != doc_id)

    def elsewhere(self, question: str, reading: Normalized) -> Callable[[str], bool]:
        """Whether a document is another province's than the one(s) a question names: a
        province's fee resolution does not answer for another province. National texts and
        cards hold everywhere; a document the question names by number is kept."""
        named = reading.provinces()
        if not named:
            return lambda doc_id: False
        asked = f" {fold_phrase(question)} "

        def elsewhere(doc_id: str) -> bool:
            province = self._provinces.get(doc_id)
            if province is None or any(_same_place(province, n) for n in named):
                return False
            document = self.documents.get(doc_id)
            number = (document.meta.so_hieu or "").split("/")[0] if document else ""
            return not (number and f" {fold_phrase(number)} " in asked)

        return elsewhere

    def rows_allowed(
        self, question: str, reading: Normalized, doc_filter: DocumentFilter | None
    ) -> Callable[[str], bool]:
        elsewhere = self.elsewhere(question, reading)

        def allowed(doc_id: str) -> bool:
            document = self.documents.get(doc_id)
            if document is None or elsewhere(doc_id):
                return False
            return doc_filter is None or doc_filter.matches(document.meta)

        return allowed

    def record_filter(
        self, doc_filter: DocumentFilter | None
    ) -> Callable[[ProcedureRecord], bool] | None:
        """Catalogue records of the documents a filter lets through (None: every record)."""
        if doc_filter is None or not doc_filter.active:
            return None

        def allowed(record: ProcedureRecord) -> bool:
            document = self.documents.get(record.doc_id)
            return document is not None and doc_filter.matches(document.meta)

        return allowed


def _same_place(a: str, b: str) -> bool:
    """Folded place names naming one province ("hue", "thua thien hue")."""
    return f" {a} " in f" {b} " or f" {b} " in f" {a} "
