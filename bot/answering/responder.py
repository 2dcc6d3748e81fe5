"""The responder: a question in, a cited Vietnamese answer (or a polite refusal) out.

It never sees a channel's types; REST, Telegram, Zalo and the console all call `answer`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from itertools import chain

from motcua.bot.answering.answerability import (
    IndexTerms,
    Signals,
    amount_unsaid,
    answer_type_found,
    hit_text,
    signals,
)
from motcua.bot.answering.answerability_model import AnswerabilityModel
from motcua.bot.answering.catalogue_answers import CatalogueAnswers, CatalogueFinding, asked_facts
from motcua.bot.answering.clarifying import ClarifyingOffers
from motcua.bot.answering.document_labels import DocumentLabels
from motcua.bot.answering.document_scope import DocumentScope
from motcua.bot.answering.evidence import TermWeights
from motcua.bot.answering.extractive import Extract, extract
from motcua.bot.answering.llm_answers import GeneratedComposer, Passage, build_chat_model
from motcua.bot.answering.passages import PassageChoice
from motcua.bot.answering.procedures import card_answer, card_fits, levels_served, papers_unnamed
from motcua.bot.answering.question_shapes import shape_fits
from motcua.bot.answering.quoting import extract_citation, extract_source
from motcua.bot.answering.record_replies import RecordReplies
from motcua.bot.answering.registry_answers import (
    bases_asked,
    cited_subject,
    named_text,
    registry_answer,
    type_note,
)
from motcua.bot.answering.table_answers import TableRows
from motcua.bot.answering.templates import render
from motcua.index.filters import DocumentFilter
from motcua.index.loaded import LoadedIndex
from motcua.index.passage_terms import TEXT, PassageTerms
from motcua.index.query import PreparedQuery
from motcua.lexicon import Normalized
from motcua.settings import Settings
from motcua.text import fold_phrase, folded_words
from motcua.types import STATUS_CLARIFY, STATUS_REFUSED, Answer, Chunk, Hit

CANDIDATES = 20  # chunks retrieved; citations keep the best one per document
PAPER_EVIDENCE = 10  # retrieved passages read for the papers a question names


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
        index: LoadedIndex,
        settings: Settings,
        answerability: AnswerabilityModel | None = None,
    ) -> None:
        self.index = index
        self.retriever = index.retriever
        self.settings = settings
        self.catalogue_answers = CatalogueAnswers(index.catalogue)
        self.answerability = answerability or AnswerabilityModel.load()
        model = build_chat_model(settings)
        self.composer = GeneratedComposer(model) if model is not None else None
        # The index's word counts as stored with it; counted here when it has none.
        terms = index.terms if index.terms is not None else PassageTerms.count(index.chunks)
        self.weights = TermWeights.of(terms.text, TEXT.tokenize)
        self.index_terms = IndexTerms(counted=terms)
        self.cards = index.cards
        self._identities = {
            doc_id: f"{d.meta.doc_type or ''} {d.meta.so_hieu}"
            for doc_id, d in index.documents.items()
            if d.meta.so_hieu
        }
        self.table_rows = TableRows(index.chunks, self.weights)
        # How documents are named, which passages answer, which documents may, the answers
        # read from records, and what is offered back when a question is unclear.
        self.labels = DocumentLabels(index.documents, index.text_layer)
        self.passages = PassageChoice(index, self.labels, self.weights, self.table_rows)
        self.scope = DocumentScope(index.documents)
        self.replies = RecordReplies(settings, index, self.labels)
        self.offers = ClarifyingOffers(settings, index, self.labels)

    @property
    def index_version(self) -> int:
        return self.index.version

    def readable(self, doc_id: str, text: str) -> str:
        """OCR text is shown repaired (each syllable where the model is sure); clean text as is."""
        return self.labels.readable(doc_id, text)

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
        elsewhere = self.scope.elsewhere(question, reading)
        # A card about other papers or another procedure is no evidence for this question,
        # nor is another province's decision ("học phí ở Đà Nẵng" from Hà Nội's fees).
        served = levels_served(self.cards.values(), reading)
        hits = [
            h
            for h in retrieval.hits
            if (
                h.chunk.doc_id not in self.cards
                or (served and card_fits(self.cards[h.chunk.doc_id], reading, self.index_terms))
            )
            and not elsewhere(h.chunk.doc_id)
        ]
        # Read only where it can matter: the flag it lifts needs another sector's words.
        names_text = bool(reading.sectors) and (
            named_text(reading.core or question, self.index.registry) is not None
        )
        found = signals(
            reading, hits, self.index_terms, self.cards, retrieval, self._identities, names_text
        )
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
        query = self.retriever.prepare(question)
        assert query.reading is not None
        # Read without greetings and particles, chat words written out ("… là jì nha?"): the
        # registry's phrasings are those of the question itself.
        linked = registry_answer(query.reading.core or question, self.index.registry)
        if linked is not None:
            reply = self.replies.registry_reply(question, linked, doc_filter)
            return reply or self.refusal(question)
        if not query.reading.content_indices():
            return self.no_question(question)  # politeness alone: "ạ", "ad ơi"
        allowed = self.scope.record_filter(doc_filter)
        listed = self.catalogue_answers.find(question, query.reading, allowed)
        if listed is not None:
            return self.replies.catalogue_reply(
                question, listed, self.replies.general(listed, query.reading)
            )
        judged = self.judge(question, doc_filter, query)
        model = self.answerability
        reading = judged.reading
        if judged.signals.values["other_sector_only"]:
            return self.refusal(question)  # another sector's procedure: plainly, no options
        allowed_rows = self.scope.rows_allowed(question, reading, doc_filter)
        rows = self.table_rows.find(
            question, reading, self.labels.title, allowed_rows
        ) or self.table_rows.item(reading, judged.hits, allowed_rows)
        rows = rows or self.table_rows.column(reading, judged.hits, allowed_rows)
        # A paper the question names (a transcript, a certificate of merit) that neither the
        # rows found nor the passages retrieved name: they are another procedure's, however
        # alike the request ("cấp lại giấy khen" beside "cấp lại giấy phép lao động").
        # Read lazily: most questions name no paper, and then no passage is read.
        evidence = chain(
            (c.text for c in rows.named) if rows is not None else (),
            (hit_text(h, self.cards) for h in judged.hits[:PAPER_EVIDENCE]),
        )
        if papers_unnamed(reading, evidence):
            return self.refusal(question)
        if rows is not None:
            return self.replies.rows_reply(question, rows)
        refuse_below, answer_from = model.thresholds(len(self.retriever.chunks))
        request = reading.paper_request() if self.cards and not settled else None
        if request and (not judged.hits or judged.hits[0].chunk.doc_id in self.cards):
            # "xin bản sao thì làm sao": of a diploma, a school record, a transcript? Unless
            # the rest of the question names the one card that handles it ("… tra nhiều sổ
            # gốc …"): then it is answered as any other.
            which = self.offers.which_paper(question, reading, *request)
            if which is not None:
                return which
        if self.cards and (
            (reading.aspects and not reading.subject_indices()) or reading.names_no_procedure()
        ):
            # "phí bao nhiêu?", "mất bao lâu?", "thủ tục cấp 3 thế nào?" on their own: which
            # procedure's? The cards of the level named first, as in answers.
            offered = self.passages.for_level(self.offers.cards_first(judged.hits), reading.level)
            return self._clarify(question, reading, offered)
        named = named_text(reading.core or question, self.index.registry)
        # "Quyết định 1766 do ai ký?": a text named by its number and asked about itself (its
        # signer, date, issuer, recipients) is answered from its particulars or its
        # closing block, whatever the model makes of so few words.
        about_named = (
            named is not None
            and any(h.chunk.doc_id == named.doc_id for h in judged.hits)
            and self._own_passage(question, named.doc_id) is not None
        )
        if not about_named and (not judged.hits or judged.probability < refuse_below):
            return self.refusal(question)
        hits = self.scope.named_first(
            named.doc_id if named else None, self.scope.for_year(question, judged.hits)
        )
        ranked = self.passages.for_level(
            self.passages.answering_passages(reading.core, hits, reading), reading.level
        )
        if judged.probability < answer_from and not (settled or about_named):
            return self._clarify(question, reading, ranked)
        top = ranked[0].chunk.doc_id
        made_on = bases_asked(reading.core, top, self.labels.label(top), self.index.registry)
        if made_on is not None and (
            reply := self.replies.registry_reply(question, made_on, doc_filter)
        ):
            return reply  # a text named by its title: its own "Căn cứ …" answer
        cited = cited_subject(reading.core, top, self.labels.label(top), self.index.registry)
        if cited and (reply := self.replies.registry_reply(question, cited, doc_filter)):
            return reply  # "Theo kế hoạch … năm 2024, kế hoạch nào quy định về …": one it cites
        if (own := self._own_passage(question, top)) is not None:
            ranked[0] = replace(ranked[0], chunk=own)
        fits = _sentence_fits(question, reading)
        extracts = [
            extract(
                reading.core,
                self.passages.with_body(hit, reading.core),
                self.weights,
                self.labels.known(hit),
                fits=fits,
            )
            for hit in ranked
        ]
        citations = [extract_citation(self.labels, e) for e in extracts[: self.settings.top_k]]
        main = extracts[0]
        card = self.cards.get(main.hit.chunk.doc_id)
        quoted = [e.hit.chunk.shown for e in extracts[: self.settings.top_k]]
        if card is None and amount_unsaid(reading, quoted):
            # "… được bố trí bao nhiêu tiền kinh phí?" of a plan that only says the budget
            # is drawn up yearly: quoting it would pass for an answer about a sum it never
            # names. Refused, pointing to the hotline; a card says how its fee is set.
            return self.refusal(question)
        if card is not None:
            text, lead = card_answer(card, reading, self.settings.portal_url)
            local = self.catalogue_answers.local_records(card.id, question, allowed)
            if local:
                # The province's own list says it first; the card's general rule follows.
                finding = CatalogueFinding(local, asked_facts(reading), local=True)
                return self.replies.catalogue_reply(question, finding, (card, text, citations))
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
            source=extract_source(self.labels, main),
            extra=extract_source(self.labels, extra) if extra else None,
        )
        # "Thông tư nào quy định …" answered from a Nghị định: say so before the passages.
        document = self.labels.document(main.hit.chunk.doc_id)
        if note := type_note(question, self.index.registry, document.meta if document else None):
            text = f"{note}\n\n{text}"
        return Answer(question=question, answer=text, refused=False, citations=citations)

    def _own_passage(self, question: str, doc_id: str) -> Chunk | None:
        """A question about the document itself is answered by its own particulars ("ai ký",
        "ban hành ngày nào") or its closing block ("gửi tới những nơi nào", "người ký giữ
        chức vụ gì", a scan whose particulars name no signer): None for any other."""
        facts, closing = self.index.facts.get(doc_id), self.index.closings.get(doc_id)
        if asks_for_closing(question):
            return closing
        if not asks_for_particulars(question):
            return None
        unsigned = facts is None or "Người ký:" not in facts.text
        if closing is not None and unsigned and _SIGNER.search(fold_phrase(question)):
            return closing
        return facts

    def _clarify(self, question: str, reading: Normalized, ranked: list[Hit]) -> Answer:
        """Not sure the question is understood: offer the closest procedures or passages, and
        refuse when there are none."""
        return self.offers.clarify(question, reading, ranked) or self.refusal(question)

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
                    label=self.labels.label(chunk.doc_id),
                    section=self.readable(chunk.doc_id, chunk.section) if chunk.section else None,
                    text=chunk.shown,
                )
            )
        return self.composer.compose(question, passages)


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


_PARTICULARS = re.compile(
    r"\b(ai ky|nguoi ky|do ai ky|ky ban hanh|ngay ban hanh|ban hanh ngay|ban hanh khi nao"
    r"|ban hanh vao ngay|so hieu|ky hieu van ban|ky ngay|ky vao ngay|ky khi nao"
    # the issuer of the text itself, not of something it provides for ("ai ban hành Danh mục …")
    r"|do (?:co quan|don vi|ai)(?: nao)? ban hanh"
    r"|(?:co quan|don vi|ai)(?: nao)? ban hanh (?:nghi dinh|thong tu|quyet dinh|nghi quyet"
    r"|ke hoach|luat|chi thi|cong van|van ban|hien phap))\b"
)


def asks_for_particulars(question: str) -> bool:
    """Questions about a document itself (signer, date, number) rather than its content."""
    return bool(_PARTICULARS.search(fold_phrase(question)))


_SIGNER = re.compile(r"\b(ai ky|nguoi ky|do ai ky)\b")
# Who a document goes to and who signs it in what capacity: its closing block. The document
# must be what is sent ("kế hoạch … gửi đến những nơi nào"), not a file a procedure sends
# ("hồ sơ gửi tới cơ quan nào"), and the title must be the signer's.
_CLOSING = re.compile(
    r"\bnoi nhan\b"
    r"|\b(?:ke hoach|van ban|quyet dinh|nghi dinh|thong tu|chi thi|cong van|nghi quyet)"
    r"(?: [a-z0-9]+){0,12}? (?:duoc )?gui (?:toi|den|cho|ve)\b"
    r"|\b(?:ai|nguoi) ky\b.*\b(?:chuc vu|cuong vi)\b|\b(?:chuc vu|cuong vi) (?:cua )?nguoi ky\b"
)


def asks_for_closing(question: str) -> bool:
    return bool(_CLOSING.search(fold_phrase(question)))
