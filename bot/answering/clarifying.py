"""Answers that ask back rather than answer: the closest procedures or passages to choose
from, or which paper a request is about (and the papers no card handles)."""

from __future__ import annotations

import re

from motcua.bot.answering.document_labels import DocumentLabels
from motcua.bot.answering.procedures import card_objects, card_suggestion, suggestions_for
from motcua.bot.answering.templates import render
from motcua.index.loaded import LoadedIndex
from motcua.ingest.cards import ProcedureCard
from motcua.ingest.chunking import is_row_section, read_row_passage
from motcua.lexicon import Normalized, vocabulary
from motcua.settings import Settings
from motcua.text import fold_phrase
from motcua.types import STATUS_CLARIFY, Answer, DocumentMeta, Hit, Suggestion


class ClarifyingOffers:
    def __init__(
        self,
        settings: Settings,
        index: LoadedIndex,
        labels: DocumentLabels,
    ) -> None:
        self.settings = settings
        self.index = index  # passages by document, indexed cards: read, never copied
        self.labels = labels

    def clarify(self, question: str, reading: Normalized, ranked: list[Hit]) -> Answer | None:
        """Not sure the question is understood: offer the closest procedures or passages
        (None: nothing to offer)."""
        offered = suggestions_for(reading, ranked, self.index.cards, self.passage_suggestion)
        if not offered:
            return None
        return self.offering(question, offered)

    def offering(
        self, question: str, offered: list[Suggestion], missing: list[str] | None = None
    ) -> Answer:
        """A clarify answer: the suggestions to choose from, and what no document covers."""
        text = render(
            "clarify_suggestions.txt",
            suggestions=offered,
            missing=missing or [],
            hotline=self.settings.hotline,
            portal_url=self.settings.portal_url,
        )
        return Answer(
            question=question,
            answer=text,
            refused=False,
            status=STATUS_CLARIFY,
            suggestions=offered,
        )

    def which_paper(
        self, question: str, reading: Normalized, request: str, papers: tuple[str, ...]
    ) -> Answer | None:
        """Ask which paper a request is about: the cards that handle it for a paper are
        offered, and the papers no card handles are said plainly. None when no card handles
        the request at all (the question is then answered or refused as any other)."""
        wanted = set(fold_phrase(request).split())
        offered: list[Suggestion] = []
        handling: list[ProcedureCard] = []
        missing: list[str] = []
        for paper in papers:
            card = next(
                (
                    c
                    for c in self.index.cards.values()
                    if paper in card_objects(c)
                    and wanted <= set(fold_phrase(" ".join([c.ten, *c.tu_khoa])).split())
                ),
                None,
            )
            if card is None:
                missing.append(f"{request} {paper}")
            elif all(s.label != card.ten for s in offered):
                offered.append(card_suggestion(card, reading))
                handling.append(card)
        if len(handling) == 1 and names_card(question, handling[0], request):
            return None  # "… tra nhiều sổ gốc …": the question names the card's procedure
        return self.offering(question, offered, missing) if offered else None

    def cards_first(self, hits: list[Hit]) -> list[Hit]:
        """Card passages in ranking order, then the cards retrieval did not reach."""
        found = [h for h in hits if h.chunk.doc_id in self.index.cards]
        reached = {h.chunk.doc_id for h in found}
        rest = [
            Hit(self.index.chunks_of[doc_id][0], 0.0)
            for doc_id in self.index.cards
            if doc_id not in reached and self.index.chunks_of.get(doc_id)
        ]
        return found + rest

    def passage_suggestion(self, hit: Hit) -> tuple[str, str]:
        """(label, question) offering one passage: its document and section, in the
        document's own words, so that choosing it finds it again."""
        doc_id = hit.chunk.doc_id
        document = self.labels.document(doc_id)
        meta = document.meta if document else DocumentMeta()
        name = " ".join(p for p in (meta.doc_type, meta.so_hieu) if p) or self.labels.label(doc_id)
        section = self.labels.readable(doc_id, hit.chunk.section) if hit.chunk.section else None
        topic = section.split(">")[-1].strip() if section else (meta.title or "")
        if is_row_section(hit.chunk.section):
            # "dòng Phí, lệ phí: Không" says nothing of which procedure's row it is.
            topic = row_topic(self.labels.readable(doc_id, hit.chunk.text))
        topic = re.sub(r"^[IVXLC\d]+[.)]\s*", "", topic).strip() or (meta.title or name)
        topic = topic[:1].upper() + topic[1:].lower() if topic.isupper() else topic
        return f"{topic} ({name})", f"{topic} theo {name}?"


def _pairs(words: list[str]) -> set[tuple[str, str]]:
    return set(zip(words, words[1:], strict=False))


def names_card(question: str, card: ProcedureCard, request: str) -> bool:
    """Whether the question names the card's procedure beyond the request it shares with
    other papers: a pair of words of the card's name ("sổ gốc" of "Cấp bản sao văn bằng,
    chứng chỉ từ sổ gốc") other than the request's ("bản sao") and the papers' names."""
    shared = _pairs(fold_phrase(request).split())
    for names in vocabulary().objects.values():
        for name in names:
            shared |= _pairs(list(name))
    own = _pairs(fold_phrase(card.ten).split()) - shared
    return bool(own & _pairs(fold_phrase(question).split()))


PLACE_CHARS = 80  # of the line that places a row, in a suggestion's label
_UNIT_LINE = re.compile(r"^\s*Đơn vị", re.IGNORECASE)
_NUMBERED = re.compile(r"^\s*(?:[IVXLC]+|\d+(?:\.\d+)*)[.)]\s*")


def row_topic(passage: str) -> str:
    """A table row as a choice: the line nearest above it that says what it belongs to (its
    group, the procedure of a catalogue's form, the table's title; not the unit), then its
    first field. "Tên thủ tục số 1: Chấp thuận thiết kế nút giao… — Phí, lệ phí: Không"."""
    head, fields = read_row_passage(passage)
    places = [line for line in head if not _UNIT_LINE.match(line)]
    place = _NUMBERED.sub("", places[-1]).strip() if places else ""
    if len(place) > PLACE_CHARS:
        place = place[:PLACE_CHARS].rsplit(" ", 1)[0].rstrip(",;:.") + "…"
    first = next(
        (f"{name}: {value}" if name else value for name, value in fields if value.strip()), ""
    )
    return " — ".join(part for part in (place, first) if part)
