"""How an answer quotes and cites a passage: the sentences shown (a scan's still unrepaired
ones marked as such), the source the answer template lists, the citation."""

from __future__ import annotations

import re

from motcua.bot.answering.document_labels import DocumentLabels
from motcua.bot.answering.extractive import Extract
from motcua.ingest.text_layer import is_ocr_text
from motcua.types import Citation, DocumentMeta

# Lines of the facts passage we write ourselves: never "unrepaired scan" text.
FACT_LINES = ("Trích yếu:", "Nơi ban hành:", "Người ký:")
UNREPAIRED_NOTE = "(nguyên văn bản quét, chưa khôi phục được dấu)"


def shown_sentence(sentence: str, *, from_scan: bool) -> str:
    """A quoted sentence as the answer shows it. Repair keeps each syllable it is unsure of as
    scanned, so a sentence of a scan can be repaired, raw, or a mix; one that still reads like
    a scan (mostly without diacritics) carries `UNREPAIRED_NOTE`, the rest is shown as is."""
    sentence = re.sub(r"^[-•–]\s+", "", sentence)  # the template draws its own bullets
    if from_scan and is_ocr_text(sentence) and not sentence.startswith(FACT_LINES):
        return f"{sentence} {UNREPAIRED_NOTE}"
    return sentence


def extract_source(labels: DocumentLabels, item: Extract) -> dict:
    doc_id = item.hit.chunk.doc_id
    section = item.hit.chunk.section
    return {
        "label": labels.label(doc_id),
        "section": labels.readable(doc_id, section) if section else None,
        "sentences": [shown_sentence(s, from_scan=doc_id in labels.ocr) for s in item.sentences],
    }


def extract_citation(labels: DocumentLabels, item: Extract) -> Citation:
    chunk = item.hit.chunk
    document = labels.document(chunk.doc_id)
    meta = document.meta if document else DocumentMeta()
    return Citation(
        doc_id=chunk.doc_id,
        title=labels.label(chunk.doc_id),
        so_hieu=meta.so_hieu,
        section=labels.readable(chunk.doc_id, chunk.section) if chunk.section else None,
        quote=item.quote or chunk.shown[:300],
        score=round(item.hit.score, 4),
    )
