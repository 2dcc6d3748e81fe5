"""Labelled questions made from an index, without a language model.

The answerability model needs calibration data and held-out figures per document, and the
customer's question sets are too small and must not be fitted to. This module writes its own,
each kind made by its own module:

- from each document's sections (`document_questions`, with `sentence_questions` and
  `table_questions`): a question per heading ("Kế hoạch 1655 tuyên truyền những nội dung gì?")
  and per informative sentence, asking for the value it holds (a cited text's number, a date, a
  website, a time limit, who does what, what a term means), per table row, and from its
  particulars (number, date, issuer, signer, subject);
- from each procedure card (`card_questions`): every aspect of the lexicon asked of the
  procedure named the way people name it, the answer being a phrase of the aspect's field;
- out of scope (`out_of_scope`): other sectors' procedures, near-domain education questions,
  education procedures with no card, each dropped when a document of the index names its topic;
- each of these rewritten as people type it (see `transforms`), one row per rewrite
  (`generated_question`).

Every in-scope label is checked against the text it claims: an `expect_any` phrase occurs
(folded) in the document or card it names, and never in the question itself. Text from OCR
documents is taken from the repaired `readable` layer and only where no OCR debris is left
(`quotable`). Templates and word lists are data (`questions.yaml`, `out_of_scope.yaml`,
`transforms.yaml`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from motcua.commands.calibration.card_questions import _card_bases
from motcua.commands.calibration.document_questions import _document_bases
from motcua.commands.calibration.generated_question import GeneratedQuestion, _rows
from motcua.commands.calibration.out_of_scope import _IndexText, _out_of_scope_bases
from motcua.ingest.cards import ProcedureCard, card_to_document
from motcua.types import Chunk

if TYPE_CHECKING:  # the store opens FAISS; generating needs only its records
    from motcua.index.store import StoredDocument


def generate(
    documents: Sequence[StoredDocument],
    chunks: Sequence[Chunk],
    cards: Sequence[ProcedureCard],
    *,
    seed: int = 0,
    per_document: int = 12,
) -> list[GeneratedQuestion]:
    """Labelled questions from an index: its documents, its cards, and what it must decline.

    Deterministic for a given `seed`. `per_document` is the number of questions drawn from each
    document before rewrites; every question also appears rewritten (see `transforms`)."""
    cards_text = [card_to_document(c).text for c in cards]
    bases = _document_bases(documents, chunks, cards_text, seed, per_document)
    bases += _card_bases(cards, seed)
    oos, _ = _out_of_scope_bases(_IndexText(documents, chunks, cards_text), seed)
    bases += oos
    return [row for base in bases for row in _rows(base, seed)]
