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
from dataclasses import dataclass, field, replace

from motcua.bot.choices import chosen_number, offered, pick
from motcua.bot.procedures import card_lead
from motcua.bot.responder import Responder
from motcua.bot.templates import render
from motcua.ingest.cards import ProcedureCard, builtin_card
from motcua.lexicon import Normalized, name_without_levels, normalize, vocabulary
from motcua.lexicon.normalize import Restorer
from motcua.lexicon.phrases import Token, tokenize
from motcua.periodic import Periodic
from motcua.settings import Settings
from motcua.storage.conversations import ConversationStore, SqlConversationStore, Turn
from motcua.storage.database import database_url
from motcua.text import nfc
from motcua.types import STATUS_CLARIFY, Answer, Suggestion

IDLE_EXPIRY_SECONDS = 30 * 60  # a conversation idle this long starts afresh
RETENTION_SECONDS = 24 * 3600  # stored turns are deleted after this (parents' messages)
PURGE_INTERVAL_SECONDS = 10 * 60
HISTORY_TURNS = 10  # recent turns read per message; only the last question or two matter
MAX_FOLLOWUP_TOKENS = 12  # a long message is a question of its own
SIBLING_SCORE_RATIO = 0.9  # level siblings this close to the best hit make the level matter

KIND_ANSWER, KIND_REFUSAL, KIND_CLARIFY = "answer", "refusal", "clarify"
KIND_SMALLTALK = "smalltalk"
QUESTION_KINDS = (KIND_ANSWER, KIND_REFUSAL, KIND_CLARIFY)


# --- Storage ------------------------------------------------------------------------------


def open_conversation_store(settings: Settings) -> SqlConversationStore:
    """A store of its own over the settings' database (the app passes a shared one instead)."""
    return SqlConversationStore(database_url(settings))


# --- Reading a message ----------------------------------------------------------------------


def _phrases(spec: str) -> list[tuple[str, ...]]:
    """Folded phrases separated by "|", longest first so the longest match wins."""
    return sorted({tuple(i.split()) for i in spec.split("|") if i.strip()}, key=len, reverse=True)


def _match(tokens: list[Token], at: int, phrases: list[tuple[str, ...]]) -> int:
    """Length of the longest folded phrase that starts at token `at` (0 when none)."""
    for phrase in phrases:
        end = at + len(phrase)
        if end <= len(tokens) and all(
            t.folded == p for t, p in zip(tokens[at:end], phrase, strict=True)
        ):
            return len(phrase)
    return 0


LEVEL_ORDER = tuple(level.name for level in vocabulary().levels)

_SMALLTALK: dict[str, list[tuple[str, ...]]] = {
    "identity": _phrases(
        "ban la ai|may la ai|em la ai|ai day|ai vay|ban ten gi|ten ban la gi|"
        "ban ten la gi|ban la gi|ban la nguoi hay may|la ai|who are you"
    ),
    "capabilities": _phrases(
        "lam duoc gi|giup duoc gi|co the lam gi|lam gi|giup gi|biet gi|tra loi duoc gi|"
        "ho tro gi|ho tro duoc gi|co the giup gi|biet lam gi|giup duoc nhung gi|"
        "lam duoc nhung gi|hoi duoc gi|hoi gi|what can you do"
    ),
    "thanks": _phrases("cam on|camon|cam ong|thank|thanks|thank you|thanks you|tks|thx|ty"),
    "goodbye": _phrases("tam biet|bye|bye bye|goodbye|hen gap lai"),
    "greeting": _phrases(
        "xin chao|chao|hello|hi|hey|alo|chao buoi sang|chao buoi chieu|chao buoi toi|"
        "good morning|khoe khong"
    ),
}
_SMALLTALK_FILLERS = _phrases(
    "ban|a|ah|ha|nhe|nha|nhieu|rat|oi|bot|ad|admin|em|anh|chi|minh|toi|voi|lam|qua|"
    "vay|nhi|the|day|co|khong|ko|may|tro ly|shop|ca nha|moi nguoi|lan nua"
)
_GREETING_LEAD = _SMALLTALK["greeting"]
_ADDRESS = _phrases("ban|ad|admin|em|anh|chi|a|oi|bot|tro ly")


@dataclass
class Reading:
    """What a message names: school level(s), aspects, and the words that carry a topic."""

    normalized: Normalized
    levels: list[tuple[str, int, int]] = field(default_factory=list)  # level, start, end chars
    aspects: list[str] = field(default_factory=list)  # labels: "Lệ phí", "Thời hạn giải quyết"
    content: list[Token] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.normalized.text

    @property
    def tokens(self) -> list[Token]:
        return self.normalized.tokens

    @property
    def level(self) -> str | None:
        return self.levels[-1][0] if self.levels else None


def read(text: str, restorer: Restorer | None = None) -> Reading:
    """A message read by the lexicon's normalizer (chat spellings, levels, aspects)."""
    normalized = normalize(text, restorer)
    tokens = normalized.tokens
    vocab = vocabulary()
    return Reading(
        normalized,
        levels=[
            (s.value, tokens[s.first].start, tokens[s.end - 1].end) for s in normalized.of("level")
        ],
        aspects=[vocab.aspect(key).label for key in normalized.aspects],
        content=[tokens[i] for i in normalized.subject_indices()],
    )


def names_level(text: str) -> bool:
    return read(text).level is not None


def smalltalk_kind(text: str) -> str | None:
    """identity | capabilities | thanks | goodbye | greeting, when the message is only that."""
    tokens = tokenize(nfc(text))
    found: set[str] = set()
    at = 0
    while at < len(tokens):
        kind, size = next(
            ((k, n) for k, phrases in _SMALLTALK.items() if (n := _match(tokens, at, phrases))),
            (None, 0),
        )
        if kind:
            found.add(kind)
            at += size
            continue
        size = _match(tokens, at, _SMALLTALK_FILLERS)
        if not size:
            return None  # a real word: not small talk
        at += size
    return next((k for k in _SMALLTALK if k in found), None)


def strip_greeting(text: str) -> str:
    """ "Xin chào, cho hỏi …" -> "cho hỏi …": the greeting only blurs retrieval."""
    tokens = tokenize(text)
    size = _match(tokens, 0, _GREETING_LEAD)
    if not size:
        return text
    at = size
    while at < len(tokens) and (step := _match(tokens, at, _ADDRESS)):
        at += step
    if at >= len(tokens):
        return text
    return text[tokens[at].start :]


def with_level(question: str, level: str) -> str:
    """The question about `level`: levels it names are replaced, otherwise the level is added."""
    reading = read(question)
    text = reading.text
    if reading.levels:
        parts, last = [], 0
        for _, start, end in reading.levels:
            parts += [text[last:start], level]
            last = end
        return "".join(parts) + text[last:]
    body = text.rstrip().rstrip("?").rstrip()
    return f"{body} ({level})?"


def topic(reading: Reading) -> str:
    """The words of a question that name its subject, as written."""
    return " ".join(t.text for t in reading.content)


def rewrite_followup(message: str, previous: str, restorer: Restorer | None = None) -> str | None:
    """A self-contained question for a follow-up to `previous`, or None when it is not one.

    `previous` is the self-contained question understood last time, so a follow-up of a
    follow-up names the subject once ("mất bao lâu?" twice is the same question)."""
    now = read(message, restorer)
    if now.content or len(now.tokens) > MAX_FOLLOWUP_TOKENS:
        return None  # it names its own subject
    if not now.levels and not now.aspects:
        return None  # "vậy à?": nothing to carry over
    if not now.aspects:
        return with_level(previous, now.level or "")
    before = read(previous, restorer)
    subject = topic(before)
    if not subject:
        return None
    level = now.level or before.level
    aspects = ", ".join(now.aspects)
    question = f"{aspects} {subject[:1].lower()}{subject[1:]}"
    return f"{question} ({level})?" if level else f"{question}?"


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
