"""Which documents may answer a question: not another province's than the one(s) it names,
nor one that an operator's filter leaves out."""

from __future__ import annotations

from collections.abc import Callable

from motcua.index.filters import DocumentFilter
from motcua.index.store import StoredDocument
from motcua.ingest.catalogue import ProcedureRecord, issuing_province
from motcua.ingest.metadata import is_local_body
from motcua.lexicon import Normalized
from motcua.text import fold_phrase


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
