"""How answers name the documents of one index: their labels ("Kế hoạch số … của …"),
titles and the words that name them, and the text of scans shown repaired."""

from __future__ import annotations

from dataclasses import replace

from motcua.index.store import StoredDocument
from motcua.ingest.text_layer import TextLayer, is_ocr_text
from motcua.text import initialisms
from motcua.types import DocumentMeta, Hit


class DocumentLabels:
    """Labels, titles and readable text of the documents of one (read-only) index."""

    def __init__(self, documents: dict[str, StoredDocument], text_layer: TextLayer) -> None:
        self.documents = documents
        self.text_layer = text_layer
        self.ocr = {d.doc_id for d in documents.values() if is_ocr_text(d.text)}
        self._labels: dict[str, str] = {}  # the index is read-only: a label never changes
        self._identities: dict[str, str] = {}

    def readable(self, doc_id: str, text: str) -> str:
        """OCR text is shown repaired (each syllable where the model is sure); clean text as is."""
        return self.text_layer.readable(text) if doc_id in self.ocr else text

    def document(self, doc_id: str) -> StoredDocument | None:
        return self.documents.get(doc_id)

    def meta(self, doc_id: str) -> DocumentMeta | None:
        document = self.document(doc_id)
        return document.meta if document else None

    def title(self, doc_id: str) -> str:
        document = self.document(doc_id)
        return self.readable(doc_id, document.meta.title or "") if document else ""

    def label(self, doc_id: str) -> str:
        if doc_id not in self._labels:
            self._labels[doc_id] = self._make_label(doc_id)
        return self._labels[doc_id]

    def _make_label(self, doc_id: str) -> str:
        document = self.document(doc_id)
        meta = document.meta if document else DocumentMeta()
        if meta.title:
            meta = replace(meta, title=self.readable(doc_id, meta.title))
        return meta.label(doc_id)

    def identity(self, doc_id: str) -> str:
        """The words that name a document (label, title, issuer, place) and their initials.
        A scan's title is read as search reads its passages too, every syllable at its
        likeliest repair: "nim 2021" of the scan names the plan of "năm 2021"."""
        if doc_id not in self._identities:
            document = self.document(doc_id)
            meta = document.meta if document else DocumentMeta()
            title = meta.title or ""
            if title and doc_id in self.ocr:
                title = f"{title} {self.text_layer.views(title)[1]}"
            name = " ".join((self.label(doc_id), title, meta.issuer or "", meta.place or ""))
            self._identities[doc_id] = " ".join([name, *initialisms(name)])
        return self._identities[doc_id]

    def known(self, hit: Hit) -> str:
        return f"{self.identity(hit.chunk.doc_id)} {hit.chunk.section or ''}"
