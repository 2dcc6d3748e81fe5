"""The dialogue layer above the responder: small talk, follow-ups, clarification, history.

The responder answers one self-contained question. Parents chat: they greet, thank, ask "còn THPT
thì sao?" after a question about THCS, and rarely say which level their child is in. `Dialogue`
turns each message into a self-contained question using the conversation's recent turns (kept in
a `ConversationStore`), asks back when the level changes the answer, and otherwise delegates.

Everything here is rule-based on folded text (no diacritics, lower case), so a message typed
without diacritics is understood the same way.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

from motcua.bot.answering.choices import chosen_number, offered, pick
from motcua.bot.answering.message_reading import (
    LEVEL_ORDER,
    names_level,
    rewrite_followup,
    smalltalk_kind,
    strip_greeting,
    with_level,
)
from motcua.bot.answering.procedures import card_lead
from motcua.bot.answering.responder import Responder
from motcua.bot.answering.templates import render
from motcua.ingest.cards import ProcedureCard, builtin_card
from motcua.lexicon import name_without_levels, normalize
from motcua.periodic import Periodic
from motcua.settings import Settings
from motcua.storage.conversations import ConversationStore, SqlConversationStore, Turn
from motcua.storage.database import database_url
from motcua.types import STATUS_CLARIFY, Answer, Suggestion

IDLE_EXPIRY_SECONDS = 30 * 60  # a conversation idle this long starts afresh
RETENTION_SECONDS = 24 * 3600  # stored turns are deleted after this (parents' messages)
PURGE_INTERVAL_SECONDS = 10 * 60
HISTORY_TURNS = 10  # recent turns read per message; only the last question or two matter
SIBLING_SCORE_RATIO = 0.9  # level siblings this close to the best hit make the level matter

KIND_ANSWER, KIND_REFUSAL, KIND_CLARIFY = "answer", "refusal", "clarify"
KIND_SMALLTALK = "smalltalk"
QUESTION_KINDS = (KIND_ANSWER, KIND_REFUSAL, KIND_CLARIFY)


# --- Storage ------------------------------------------------------------------------------


def open_conversation_store(settings: Settings) -> SqlConversationStore:
    """A store of its own over the settings' database (the app passes a shared one instead)."""
    return SqlConversationStore(database_url(settings))


# --- The dialogue -----------------------------------------------------------------------------


def _same_for_both(question: str, first: ProcedureCard, second: ProcedureCard) -> bool:
    """The question asks aspects (fee, time…) whose facts the two cards state alike."""
    reading = normalize(question)
    lead = card_lead(first, reading)
    return lead is not None and lead == card_lead(second, reading)


class Dialogue:
    """A `Responder` with per-conversation context (follow-ups, clarifications, small talk);
    the question pipeline serves one per loaded index."""

    def __init__(
        self,
        responder: Responder,
        store: ConversationStore | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.responder = responder
        self.store = store if store is not None else open_conversation_store(responder.settings)
        self.clock = clock
        self._purge = Periodic(PURGE_INTERVAL_SECONDS)

    def close(self) -> None:
        self.store.close()

    def history(self, conversation_id: str) -> list[Turn]:
        """Recent turns, newest first, cut where the conversation was idle too long."""
        kept: list[Turn] = []
        later = self.clock()
        for turn in self.store.recent(conversation_id, HISTORY_TURNS):
            if later - turn.created_at > IDLE_EXPIRY_SECONDS:
                break
            kept.append(turn)
            later = turn.created_at
        return kept

    def choice(
        self, conversation_id: str, number: int, key: str | None = None
    ) -> Suggestion | None:
        """Suggestion `number` of this conversation's clarify turn (see `choices.pick`)."""
        return pick(self.history(conversation_id), number, key)

    def chosen(self, message: str, conversation_id: str | None) -> Suggestion | None:
        """The suggestion a reply such as "2" picks, right after a clarify answer."""
        number = chosen_number(message)
        if number is None or conversation_id is None:
            return None
        return self.choice(conversation_id, number)

    def answer(self, question: str, conversation_id: str | None = None) -> Answer:
        # "2" right after "did you mean…": answered as if the chosen question had been typed.
        if (chosen := self.chosen(question, conversation_id)) is not None:
            question = chosen.question
        kind = smalltalk_kind(question)
        if kind is not None:
            answer = self._smalltalk(question, kind)
            self._remember(conversation_id, question, question, answer, KIND_SMALLTALK)
            return answer

        asked = strip_greeting(question)
        understood = asked
        previous = self._previous(conversation_id)
        if previous is not None:
            restorer = getattr(self.responder.retriever, "restorer", None)
            understood = rewrite_followup(asked, previous.understood, restorer) or asked
        # What the user picked from our own offer, or what the conversation made precise, is
        # not asked back a second time: unsure then means answer (a refusal still refuses).
        settled = (
            chosen is not None
            or understood != asked
            or (
                previous is not None
                and previous.kind == KIND_CLARIFY
                and any(s.question == question for s in previous.suggestions)
            )
        )
        answer = self.responder.answer(understood, conversation_id, settled=settled)
        # Asked back with or without a conversation: each level is a suggestion that carries
        # the whole question, so a link or a button answers it even where "2" cannot.
        levels = self._ambiguous_levels(understood, answer)
        if levels == [] and answer.status == STATUS_CLARIFY:
            # Unsure only between one procedure's two levels, which answer alike: answer.
            answer = self.responder.answer(understood, conversation_id, settled=True)
        elif levels:
            text = render("clarify_level.txt", levels=levels)
            # Each level is also offered as a choice: a button, or "2" typed back.
            offer = [Suggestion(v[:1].upper() + v[1:], with_level(understood, v)) for v in levels]
            answer = Answer(question, text, False, status=STATUS_CLARIFY, suggestions=offer)
            self._remember(conversation_id, question, understood, answer, KIND_CLARIFY)
            return answer

        # `replace` keeps what the responder said besides the text (status, suggestions, lead).
        if understood != asked and not answer.refused:
            text = render("followup_note.txt", understood=understood, answer=answer.answer)
            # The note belongs with the lead, so the lead still opens the text.
            lead = answer.lead and text.removesuffix(answer.answer) + answer.lead
            answer = replace(answer, question=question, answer=text, lead=lead)
        else:
            answer = replace(answer, question=question)
        kind = KIND_REFUSAL if answer.refused else KIND_ANSWER
        if answer.status == STATUS_CLARIFY:
            kind = KIND_CLARIFY
        self._remember(conversation_id, question, understood, answer, kind)
        return answer

    def _smalltalk(self, question: str, kind: str) -> Answer:
        text = render(
            f"smalltalk_{kind}.txt",
            hotline=self.responder.settings.hotline,
            portal_url=self.responder.settings.portal_url,
        )
        return Answer(question=question, answer=text, refused=False, citations=[])

    def _previous(self, conversation_id: str | None) -> Turn | None:
        """The last question of the conversation (a pending clarification included)."""
        if conversation_id is None:
            return None
        return next((t for t in self.history(conversation_id) if t.kind in QUESTION_KINDS), None)

    def _ambiguous_levels(self, question: str, answer: Answer) -> list[str] | None:
        """Levels to ask about when the best sources are one procedure per school level; an
        empty list when they are, but both levels answer the question alike."""
        if answer.refused:
            return None
        cards: list[tuple[ProcedureCard, float]] = []
        if answer.status == STATUS_CLARIFY:
            # Unsure which procedure: if the closest are one procedure at two levels, the
            # level is what to ask.
            by_name = {c.ten: c for c in self._cards()}
            cards = [(by_name[s.label], 1.0) for s in answer.suggestions[:2] if s.label in by_name]
            if len(cards) < 2:
                return None
        elif not answer.citations:
            return None
        best = answer.citations[0].score if answer.citations else 1.0
        for citation in answer.citations[:3]:
            document = self.responder.index.documents.get(citation.doc_id)
            card = builtin_card(citation.doc_id) if document and document.kind == "card" else None
            if card is not None:
                cards.append((card, citation.score))
        for i, (first, score) in enumerate(cards):
            if score < best * SIBLING_SCORE_RATIO:
                break
            for second, _ in cards[i + 1 :]:
                if set(first.cap_hoc) != set(second.cap_hoc) and name_without_levels(
                    first.ten
                ) == name_without_levels(second.ten):
                    # Read only now: most answers have no such pair of cards.
                    if names_level(question):
                        return None
                    if _same_for_both(question, first, second):
                        return []  # "có mất phí không": both levels answer alike
                    named = {*first.cap_hoc, *second.cap_hoc}
                    return [level for level in LEVEL_ORDER if level in named] or sorted(named)
        return None

    def _cards(self) -> list[ProcedureCard]:
        documents = self.responder.index.documents
        return [
            card
            for doc_id, document in documents.items()
            if document.kind == "card" and (card := builtin_card(doc_id)) is not None
        ]

    def _remember(
        self, conversation_id: str | None, asked: str, understood: str, answer: Answer, kind: str
    ) -> None:
        if conversation_id is None:
            return
        now = self.clock()
        self.store.append(
            Turn(
                conversation_id,
                asked,
                understood,
                answer.answer,
                answer.refused,
                kind,
                now,
                tuple(offered(answer)),
            )
        )
        if self._purge.due(now):
            self.store.purge(now - RETENTION_SECONDS)
