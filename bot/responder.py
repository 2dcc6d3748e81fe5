"""The responder: a question in, a cited Vietnamese answer (or a polite refusal) out.

It never sees a channel's types; REST, Telegram, Zalo and the console all call `answer`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from motcua.bot.answerability import (
    AnswerabilityModel,
    IndexTerms,
    Signals,
    answer_type_found,
    signals,
)
from motcua.bot.catalogue_answers import (
    CatalogueAnswers,
    CatalogueFinding,
    asked_facts,
    catalogue_text,
    record_citation,
)
from motcua.bot.evidence import QuestionTerms, TermWeights, question_terms, terms_coverage
from motcua.bot.extractive import Extract, extract
from motcua.bot.llm_answers import GeneratedComposer, Passage, build_chat_model
from motcua.bot.procedures import (
    card_answer,
    card_fits,
    card_objects,
    card_suggestion,
    suggestions_for,
)
from motcua.bot.question_shapes import asks_list, introduces_list, passage_fits, shape_fits
from motcua.bot.registry_answers import RegistryAnswer, registry_answer, type_note
from motcua.bot.table_answers import MAX_ROWS, RowFinding, TableRows, rows_lines
from motcua.bot.templates import render
from motcua.index.build import FACTS_SECTION, load_catalogue, load_registry
from motcua.index.catalogue import Catalogue
from motcua.index.embedders import get_embedder
from motcua.index.filters import DocumentFilter
from motcua.index.query import PreparedQuery
from motcua.index.retriever import HybridRetriever
from motcua.index.store import IndexNotFound, IndexStore, StoredDocument
from motcua.index.versions import NoIndex
from motcua.index.versions import resolve as resolve_versions
from motcua.ingest.cards import ProcedureCard, builtin_card
from motcua.ingest.catalogue import ProcedureRecord, issuing_province
from motcua.ingest.chunking import is_row_section, table_section
from motcua.ingest.registry import DecreeRegistry
from motcua.ingest.text_layer import TextLayer, is_ocr_text
from motcua.lexicon import Normalized, vocabulary
from motcua.settings import Settings
from motcua.text import fold_phrase, folded_words, initialisms
from motcua.types import (
    STATUS_CLARIFY,
    STATUS_REFUSED,
    Answer,
    Chunk,
    Citation,
    DocumentMeta,
    Hit,
    Suggestion,
)

# Lines of the facts passage we write ourselves: never "unrepaired scan" text.
FACT_LINES = ("Trích yếu:", "Nơi ban hành:", "Người ký:")
UNREPAIRED_NOTE = "(nguyên văn bản quét, chưa khôi phục được dấu)"
CANDIDATES = 20  # chunks retrieved; citations keep the best one per document
# A document's passages scoring at least this share of its best one compete to answer
# (measured on the dev set: 0.4-0.5 picked the answering passage where the opening won).
PASSAGE_RATIO = 0.5
WHOLE_DOCUMENTS = 1  # the best documents whose every passage competes to answer
SHORT_PASSAGE = 160  # characters: a passage this short is read with the one after it
LIST_OPENING = 0.5  # share of the question a list's opening line covers to be the list asked
CLOSE_COVERAGE = 0.85  # passages covering this share of the best one's coverage still compete


@dataclass
class Judgement:
    """What retrieval found for a question and how likely the knowledge base answers it."""

    query: PreparedQuery
    reading: Normalized
    hits: list[Hit]
    signals: Signals
    probability: float


class Responder:
    def __init__(
        self,
        retriever: HybridRetriever,
        settings: Settings,
        text_layer: TextLayer,
        registry: DecreeRegistry | None = None,
        answerability: AnswerabilityModel | None = None,
        catalogue: Catalogue | None = None,
    ) -> None:
        self.retriever = retriever
        self.settings = settings
        self.text_layer = text_layer
        self.registry = registry or DecreeRegistry()
        self.catalogue = catalogue if catalogue is not None else Catalogue()
        self.catalogue_answers = CatalogueAnswers(self.catalogue)
        self.answerability = answerability or AnswerabilityModel.load()
        model = build_chat_model(settings)
        self.composer = GeneratedComposer(model) if model is not None else None
        self.weights = TermWeights([c.text for c in retriever.chunks])
        self.index_terms = IndexTerms(retriever.chunks)
        self.cards = {
            doc_id: card
            for doc_id, document in retriever.documents.items()
            if document.kind == "card" and (card := builtin_card(doc_id)) is not None
        }
        self._facts = {c.doc_id: c for c in retriever.chunks if c.section == FACTS_SECTION}
        self._identities = {
            doc_id: f"{d.meta.doc_type or ''} {d.meta.so_hieu}"
            for doc_id, d in retriever.documents.items()
            if d.meta.so_hieu
        }
        self._chunks_of: dict[str, list[Chunk]] = {}
        for chunk in retriever.chunks:
            self._chunks_of.setdefault(chunk.doc_id, []).append(chunk)
        self._ocr = {d.doc_id for d in retriever.documents.values() if is_ocr_text(d.text)}
        self.table_rows = TableRows(retriever.chunks, self.weights)
        # The province of each local document (a province's decision, a Sở's plan).
        self._provinces = {
            doc_id: fold_phrase(province)
            for doc_id, d in retriever.documents.items()
            if (province := issuing_province(d.meta))
        }
        self._labels: dict[str, str] = {}  # the index is read-only: a label never changes

    @property
    def index_version(self) -> int:
        return self.retriever.index_version

    def readable(self, doc_id: str, text: str) -> str:
        """OCR text is shown repaired (each syllable where the model is sure); clean text as is."""
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

    def _answering_passages(
        self, question: str, hits: list[Hit], reading: Normalized | None = None
    ) -> list[Hit]:
        """One passage per document, documents in ranking order (citations name distinct
        sources). Within a document the passages ranked close to its best compete on how much
        of the question they cover beyond the document's own name: a plan's opening ("Kế
        hoạch tuyên truyền CCHC năm 2024 … như sau:") shares its title's words with every
        question about the plan, yet answers none of them. Among passages covering nearly as
        much, one holding a fact of the kind asked (a date for "khi nào", an organisation for
        "cơ quan nào") wins."""
        shaped = passage_fits(question)  # "X được hiểu là gì": “X” là …
        listing = asks_list(question)  # "gồm những bộ phận nào"
        by_document: dict[str, list[Hit]] = {}
        for hit in hits:
            by_document.setdefault(hit.chunk.doc_id, []).append(hit)
        chosen = []
        for rank, (doc_id, doc_hits) in enumerate(by_document.items()):
            rivals = [h for h in doc_hits if h.score >= doc_hits[0].score * PASSAGE_RATIO]
            if rank < WHOLE_DOCUMENTS and doc_id not in self.cards:
                # Retrieval finds the document; the passage that answers may rank below
                # passages that repeat the document's name, so all of them compete (with no
                # retrieval score: they win on covering more of the question only).
                retrieved = {h.chunk.chunk_id for h in doc_hits}
                # Table rows are left out: retrieval ranks rows well, and a list of hundreds
                # holds some row that repeats more of the question's words.
                rivals += [
                    Hit(c, 0.0)
                    for c in self._chunks_of.get(doc_id, [])
                    if c.chunk_id not in retrieved
                    and c.section != FACTS_SECTION
                    and not is_row_section(c.section)
                ]
            if len(rivals) == 1:
                chosen.append(rivals[0])
                continue
            terms = question_terms(question, self.weights, known=self._identity(doc_id))

            def answers(
                hit: Hit, terms: QuestionTerms = terms
            ) -> tuple[float, float, float, float]:
                section = hit.chunk.section or ""
                text = f"{section}\n{hit.chunk.searchable}"
                # Between passages that both cover the question, the one filed under a heading
                # that names it ("3. Đối tượng tuyên truyền") beats one that mentions it in
                # passing, or sits under a parent heading that lists it among others ("I. MỤC
                # ĐÍCH, YÊU CẦU, ĐỐI TƯỢNG > 1. Mục tiêu"): its own heading counts first, then
                # the whole path.
                heading = section.rsplit(" > ", 1)[-1]
                return (
                    round(terms_coverage(terms, heading, self.weights), 3),
                    round(terms_coverage(terms, text, self.weights), 3),
                    round(terms_coverage(terms, section, self.weights), 3),
                    hit.score,
                )

            scored = [(answers(h), h) for h in rivals]
            best = max(key[1] for key, _ in scored)
            close = [(key, h) for key, h in scored if key[1] >= best * CLOSE_COVERAGE]
            typed = [
                (key, h)
                for key, h in close
                if (reading is not None and answer_type_found(reading, h.chunk.searchable))
                or (shaped is not None and shaped(h.chunk.searchable))
                or (listing and self._lists_about(terms, h.chunk.searchable))
            ]
            if all(is_row_section(h.chunk.section) for _, h in typed or close):
                # Rows of a table repeat its caption and columns, so their coverage differs
                # by a word or two: retrieval, which reads the whole row, ranks them better.
                chosen.append(max(typed or close, key=lambda pair: pair[1].score)[1])
                continue
            chosen.append(max(typed or close, key=lambda pair: pair[0])[1])
        return chosen

    def _lists_about(self, terms: QuestionTerms, passage: str) -> bool:
        """Whether a passage opens a list ("… các bộ phận tạo thành cơ bản sau đây:") in the
        question's words: most articles open some list, the one asked for is about them."""
        return any(
            introduces_list(line) and terms_coverage(terms, line, self.weights) >= LIST_OPENING
            for line in passage.split("\n")
        )

    def _with_body(self, hit: Hit) -> Hit:
        """A passage that is little more than its heading ("6. Liên đoàn Lao động tỉnh, Tỉnh
        Đoàn…") continues in the next passage of its section: quote from both. A table row is
        quoted with the other rows of its group (a school's grades or ages), as the one that
        fits ("20 tháng tuổi") is for the reader to see."""
        chunk = hit.chunk
        if is_row_section(chunk.section):
            rows = self.table_rows.group_of(chunk)
            if not 1 < len(rows) <= MAX_ROWS:
                return hit
            joined = replace(
                chunk,
                text="\n".join(rows_lines(rows, lambda c: c.text)),
                readable="\n".join(rows_lines(rows, lambda c: c.shown)) if chunk.readable else None,
                repaired=None,
            )
            return replace(hit, chunk=joined)
        if len(chunk.shown) >= SHORT_PASSAGE or chunk.section == FACTS_SECTION:
            return hit
        passages = self._chunks_of.get(chunk.doc_id, [])
        following = next((c for c in passages if c.position == chunk.position + 1), None)
        if following is None or not (following.section or "").startswith(chunk.section or ""):
            return hit
        joined = replace(
            chunk,
            text=f"{chunk.text}\n{following.text}",
            readable=f"{chunk.shown}\n{following.shown}" if chunk.readable else None,
            repaired=f"{chunk.searchable}\n{following.searchable}" if chunk.repaired else None,
        )
        return replace(hit, chunk=joined)

    def refusal(self, question: str) -> Answer:
        text = render(
            "refusal.txt", hotline=self.settings.hotline, portal_url=self.settings.portal_url
        )
        return Answer(
            question=question, answer=text, refused=True, citations=[], status=STATUS_REFUSED
        )

    def no_question(self, question: str) -> Answer:
        """A message with nothing to search for: ask for the question, refuse nothing."""
        text = render("no_question.txt", hotline=self.settings.hotline)
        return Answer(question=question, answer=text, refused=False, status=STATUS_CLARIFY)

    def judge(
        self,
        question: str,
        doc_filter: DocumentFilter | None = None,
        query: PreparedQuery | None = None,
    ) -> Judgement:
        """Retrieve for a question and decide whether the knowledge base answers it."""
        query = query or self.retriever.prepare(question)
        retrieval = self.retriever.retrieve(
            query, k=max(self.settings.top_k, CANDIDATES), doc_filter=doc_filter
        )
        reading = query.reading
        assert reading is not None
        elsewhere = self._elsewhere(question, reading)
        # A card about other papers or another procedure is no evidence for this question,
        # nor is another province's decision ("học phí ở Đà Nẵng" from Hà Nội's fees).
        hits = [
            h
            for h in retrieval.hits
            if (
                h.chunk.doc_id not in self.cards
                or card_fits(self.cards[h.chunk.doc_id], reading, self.index_terms)
            )
            and not elsewhere(h.chunk.doc_id)
        ]
        found = signals(reading, hits, self.index_terms, self.cards, retrieval, self._identities)
        probability = self.answerability.probability(found)
        return Judgement(query, reading, hits, found, probability)

    def answer(
        self,
        question: str,
        conversation_id: str | None = None,
        *,
        doc_filter: DocumentFilter | None = None,
        settled: bool = False,
    ) -> Answer:
        """With `doc_filter`, only documents it lets through are searched and cited. A
        `settled` question (chosen from our suggestions, or made precise by the conversation)
        is answered where it would otherwise be asked back."""
        if not folded_words(question):
            return self.no_question(question)  # "???", emoji, zero-width characters
        linked = registry_answer(question, self.registry)
        if linked is not None:
            return self._registry_reply(question, linked, doc_filter)
        query = self.retriever.prepare(question)
        assert query.reading is not None
        if not query.reading.content_indices():
            return self.no_question(question)  # politeness alone: "ạ", "ad ơi"
        allowed = self._record_filter(doc_filter)
        listed = self.catalogue_answers.find(question, query.reading, allowed)
        if listed is not None:
            return self._catalogue_reply(question, listed, self._general(listed, query.reading))
        judged = self.judge(question, doc_filter, query)
        model = self.answerability
        reading = judged.reading
        if judged.signals.values["other_sector_only"]:
            return self.refusal(question)  # another sector's procedure: plainly, no options
        rows = self.table_rows.find(
            question, reading, self._title, self._rows_allowed(question, reading, doc_filter)
        )
        if rows is not None:
            return self._rows_reply(question, rows)
        refuse_below, answer_from = model.thresholds(len(self.retriever.chunks))
        request = reading.paper_request() if self.cards and not settled else None
        if request and (not judged.hits or judged.hits[0].chunk.doc_id in self.cards):
            # "xin bản sao thì làm sao": of a diploma, a school record, a transcript? Unless
            # the rest of the question settles it ("… tra nhiều sổ gốc …"): one card fits
            # and the model is sure.
            which = self._which_paper(question, reading, *request)
            sure = judged.probability >= answer_from
            if which is not None and not (sure and len(which.suggestions) == 1):
                return which
        if reading.aspects and not reading.subject_indices() and self.cards:
            # "phí bao nhiêu?", "mất bao lâu?" on their own: which procedure's?
            return self._clarify(question, reading, self._cards_first(judged.hits))
        if not judged.hits or judged.probability < refuse_below:
            return self.refusal(question)
        ranked = self._for_level(
            self._answering_passages(reading.core, judged.hits, reading), reading.level
        )
        if judged.probability < answer_from and not settled:
            return self._clarify(question, reading, ranked)
        if asks_for_particulars(question) and ranked[0].chunk.doc_id in self._facts:
            # "Ai ký…", "ban hành ngày nào": the document's own particulars answer it.
            top = ranked[0]
            ranked[0] = replace(top, chunk=self._facts[top.chunk.doc_id])
        fits = _sentence_fits(question, reading)
        extracts = [
            extract(reading.core, self._with_body(hit), self.weights, self._known(hit), fits=fits)
            for hit in ranked
        ]
        citations = [self._citation(e) for e in extracts[: self.settings.top_k]]
        main = extracts[0]
        card = self.cards.get(main.hit.chunk.doc_id)
        if card is not None:
            text, lead = card_answer(card, reading, self.settings.portal_url)
            local = self.catalogue_answers.local_records(card.id, question, allowed)
            if local:
                # The province's own list says it first; the card's general rule follows.
                finding = CatalogueFinding(local, asked_facts(reading), local=True)
                return self._catalogue_reply(question, finding, (card, text, citations))
            return Answer(
                question=question, answer=text, refused=False, citations=citations, lead=lead
            )
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
        # "Thông tư nào quy định …" answered from a Nghị định: say so before the passages.
        document = self._document(main.hit.chunk.doc_id)
        if note := type_note(question, self.registry, document.meta if document else None):
            text = f"{note}\n\n{text}"
        return Answer(question=question, answer=text, refused=False, citations=citations)

    def _elsewhere(self, question: str, reading: Normalized) -> Callable[[str], bool]:
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
            document = self._document(doc_id)
            number = (document.meta.so_hieu or "").split("/")[0] if document else ""
            return not (number and f" {fold_phrase(number)} " in asked)

        return elsewhere

    def _rows_allowed(
        self, question: str, reading: Normalized, doc_filter: DocumentFilter | None
    ) -> Callable[[str], bool]:
        elsewhere = self._elsewhere(question, reading)

        def allowed(doc_id: str) -> bool:
            document = self._document(doc_id)
            if document is None or elsewhere(doc_id):
                return False
            return doc_filter is None or doc_filter.matches(document.meta)

        return allowed

    def _title(self, doc_id: str) -> str:
        document = self._document(doc_id)
        return self.readable(doc_id, document.meta.title or "") if document else ""

    def _rows_source(self, rows: list[Chunk]) -> dict:
        doc_id = rows[0].doc_id
        lines = rows_lines(rows, lambda c: self.readable(doc_id, c.text))
        section = table_section(rows[0].section)
        return {
            "label": self._label(doc_id),
            "section": self.readable(doc_id, section) if section else None,
            "sentences": lines,
        }

    def _rows_reply(self, question: str, found: RowFinding) -> Answer:
        """An answer quoting the rows a question names, and the rows their groups lead to."""
        source = self._rows_source(found.named)
        extra = self._rows_source(found.linked) if found.linked else None
        text = render("answer_extractive.txt", source=source, extra=extra)
        citations = [
            Citation(
                doc_id=rows[0].doc_id,
                title=self._label(rows[0].doc_id),
                so_hieu=meta.so_hieu if (meta := self._meta(rows[0].doc_id)) else None,
                section=shown["section"],
                quote=" ".join(shown["sentences"])[:600],
                score=1.0,
            )
            for rows, shown in ((found.named, source), (found.linked, extra))
            if rows and shown
        ]
        return Answer(question=question, answer=text, refused=False, citations=citations)

    def _meta(self, doc_id: str) -> DocumentMeta | None:
        document = self._document(doc_id)
        return document.meta if document else None

    def _clarify(self, question: str, reading: Normalized, ranked: list[Hit]) -> Answer:
        """Not sure the question is understood: offer the closest procedures or passages."""
        offered = suggestions_for(reading, ranked, self.cards, self._passage_suggestion)
        if not offered:
            return self.refusal(question)
        return self._offering(question, offered)

    def _offering(
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

    def _which_paper(
        self, question: str, reading: Normalized, request: str, papers: tuple[str, ...]
    ) -> Answer | None:
        """Ask which paper a request is about: the cards that handle it for a paper are
        offered, and the papers no card handles are said plainly. None when no card handles
        the request at all (the question is then answered or refused as any other)."""
        wanted = set(fold_phrase(request).split())
        offered: list[Suggestion] = []
        missing: list[str] = []
        for paper in papers:
            card = next(
                (
                    c
                    for c in self.cards.values()
                    if paper in card_objects(c)
                    and wanted <= set(fold_phrase(" ".join([c.ten, *c.tu_khoa])).split())
                ),
                None,
            )
            if card is None:
                missing.append(f"{request} {paper}")
            elif all(s.label != card.ten for s in offered):
                offered.append(card_suggestion(card, reading))
        return self._offering(question, offered, missing) if offered else None

    def _cards_first(self, hits: list[Hit]) -> list[Hit]:
        """Card passages in ranking order, then the cards retrieval did not reach."""
        found = [h for h in hits if h.chunk.doc_id in self.cards]
        reached = {h.chunk.doc_id for h in found}
        rest = [
            Hit(self._chunks_of[doc_id][0], 0.0)
            for doc_id in self.cards
            if doc_id not in reached and self._chunks_of.get(doc_id)
        ]
        return found + rest

    def _passage_suggestion(self, hit: Hit) -> tuple[str, str]:
        """(label, question) offering one passage: its document and section, in the
        document's own words, so that choosing it finds it again."""
        doc_id = hit.chunk.doc_id
        document = self._document(doc_id)
        meta = document.meta if document else DocumentMeta()
        name = " ".join(p for p in (meta.doc_type, meta.so_hieu) if p) or self._label(doc_id)
        section = self.readable(doc_id, hit.chunk.section) if hit.chunk.section else None
        topic = section.split(">")[-1].strip() if section else (meta.title or "")
        topic = re.sub(r"^[IVXLC\d]+[.)]\s*", "", topic).strip() or (meta.title or name)
        topic = topic[:1].upper() + topic[1:].lower() if topic.isupper() else topic
        return f"{topic} ({name})", f"{topic} theo {name}?"

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
            "answer_registry.txt",
            heading=linked.heading,
            lines=linked.lines,
            sources=sources,
            note=linked.note,
            caveat=linked.caveat,
        )
        return Answer(question=question, answer=text, refused=False, citations=citations)

    def _record_filter(
        self, doc_filter: DocumentFilter | None
    ) -> Callable[[ProcedureRecord], bool] | None:
        """Catalogue records of the documents a filter lets through (None: every record)."""
        if doc_filter is None or not doc_filter.active:
            return None

        def allowed(record: ProcedureRecord) -> bool:
            document = self._document(record.doc_id)
            return document is not None and doc_filter.matches(document.meta)

        return allowed

    def _general(
        self, finding: CatalogueFinding, reading: Normalized
    ) -> tuple[ProcedureCard, str, list[Citation]] | None:
        """The card of a procedure a province's list answered: its general answer, cited to
        the card's section on the asked aspect, goes after the list's own facts."""
        card = self.cards.get(finding.records[0].card_id or "")
        if card is None or not finding.local:
            return None
        text, _lead = card_answer(card, reading, self.settings.portal_url)
        chunks = [c for c in self._chunks_of.get(card.id, []) if c.section != FACTS_SECTION]
        labels = [fold_phrase(vocabulary().aspect(a).label) for a in reading.aspects]
        chunk = next(
            (c for c in chunks if any(lb in fold_phrase(c.section or "") for lb in labels)),
            chunks[0] if chunks else None,
        )
        if chunk is None:
            return card, text, []
        citation = Citation(
            doc_id=card.id,
            title=self._label(card.id),
            so_hieu=None,
            section=chunk.section,
            quote=chunk.shown[:300],
            score=1.0,
        )
        return card, text, [citation]

    def _catalogue_reply(
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
                self._chunks_of.get(record.doc_id, []),
                self._label(record.doc_id),
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
        return self.cards.get(hit.chunk.doc_id)

    def _source(self, item: Extract) -> dict:
        doc_id = item.hit.chunk.doc_id
        section = item.hit.chunk.section
        return {
            "label": self._label(doc_id),
            "section": self.readable(doc_id, section) if section else None,
            "sentences": [shown_sentence(s, from_scan=doc_id in self._ocr) for s in item.sentences],
        }

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


def _sentence_fits(question: str, reading: Normalized) -> Callable[[str], bool] | None:
    """Whether a sentence holds the kind of fact asked (a date, an amount…) or has the shape
    asked (a definition, the sentence that introduces a list); None when nothing is asked."""
    typed = bool(reading.values("answer_type"))
    shaped = shape_fits(question)
    if not typed:
        return shaped
    return lambda sentence: (
        bool(answer_type_found(reading, sentence)) or bool(shaped and shaped(sentence))
    )


def _same_place(a: str, b: str) -> bool:
    """Folded place names naming one province ("hue", "thua thien hue")."""
    return f" {a} " in f" {b} " or f" {b} " in f" {a} "


def shown_sentence(sentence: str, *, from_scan: bool) -> str:
    """A quoted sentence as the answer shows it. Repair keeps each syllable it is unsure of as
    scanned, so a sentence of a scan can be repaired, raw, or a mix; one that still reads like
    a scan (mostly without diacritics) carries `UNREPAIRED_NOTE`, the rest is shown as is."""
    sentence = re.sub(r"^[-•–]\s+", "", sentence)  # the template draws its own bullets
    if from_scan and is_ocr_text(sentence) and not sentence.startswith(FACT_LINES):
        return f"{sentence} {UNREPAIRED_NOTE}"
    return sentence


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
    # `motcua calibrate` writes the model beside the index versions: it outlives a re-ingest.
    model = AnswerabilityModel.load(Path(index_dir or settings.index_dir), embedder.id)
    return Responder(
        retriever, settings, text_layer, load_registry(root), model, load_catalogue(root)
    )
