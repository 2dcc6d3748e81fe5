"""The dialogue layer above the responder: small talk, follow-ups, clarification, history.

The responder answers one self-contained question. Parents chat: they greet, thank, ask "còn THPT
thì sao?" after a question about THCS, and rarely say which level their child is in. `Dialogue`
turns each message into a self-contained question using the conversation's recent turns (kept in
a `ConversationStore`), asks back when the level changes the answer, and otherwise delegates.

Everything here is rule-based on folded text (no diacritics, lower case), so a message typed
without diacritics is understood the same way.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from motcua.bot.responder import Responder
from motcua.bot.templates import render
from motcua.index.query import school_level
from motcua.ingest.cards import ProcedureCard, builtin_card
from motcua.settings import Settings
from motcua.storage.conversations import ConversationStore, SqlConversationStore, Turn
from motcua.storage.database import database_url
from motcua.text import fold, fold_phrase, nfc
from motcua.types import Answer

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

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass(frozen=True)
class Token:
    text: str  # as written (NFC)
    folded: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    return [Token(m.group(), fold(m.group()), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _phrases(spec: str) -> list[tuple[str, ...]]:
    """Folded phrases separated by "|", longest first so the longest match wins."""
    return sorted({tuple(i.split()) for i in spec.split("|") if i.strip()}, key=len, reverse=True)


# Filler words whose folded form is also a content word ("bạn" / "bản sao", "còn" / "cơ"):
# written with diacritics, only these spellings are fillers.
_WRITTEN = {
    "ban": {"bạn"},
    "con": {"còn", "con"},
    "the": {"thế"},
    "co": {"có"},
    "da": {"dạ", "đã"},
    "do": {"đó"},
    "ma": {"mà"},
    "nam": {"năm"},
    "o": {"ở"},
    "tu": {"từ"},
    "mot": {"một"},
    "moi": {"mọi", "mới"},
    "ve": {"về"},
    "hoi": {"hỏi"},
    "can": {"cần"},
    "lam": {"làm", "lắm"},
    "dang": {"đang"},
    "be": {"bé"},
    "chau": {"cháu"},
    "nhung": {"những", "nhưng"},
    "thay": {"thấy"},
    "day": {"đây", "đấy"},
    "tai": {"tại"},
    "long": {"lòng"},
    "hoc": {"học"},
    "sinh": {"sinh"},
    "trong": {"trong"},
    "nay": {"nay", "này"},
}


def _same(token: Token, word: str, written: bool) -> bool:
    if token.folded != word:
        return False
    spelled = token.text.lower()
    return not written or spelled == token.folded or spelled in _WRITTEN.get(word, {spelled})


def _match(
    tokens: list[Token], at: int, phrases: list[tuple[str, ...]], written: bool = False
) -> int:
    """Length of the longest phrase that starts at token `at` (0 when none).

    With `written`, an accented token must also be spelled as `_WRITTEN` says.
    """
    for phrase in phrases:
        end = at + len(phrase)
        if end <= len(tokens) and all(
            _same(t, p, written) for t, p in zip(tokens[at:end], phrase, strict=True)
        ):
            return len(phrase)
    return 0


LEVEL_ORDER = ("tiểu học", "THCS", "THPT")
_LEVEL_WORDS = {
    "tiểu học": _phrases("tieu hoc|cap 1|cap mot|cap i"),
    "THCS": _phrases("thcs|trung hoc co so|cap 2|cap hai|cap ii"),
    "THPT": _phrases("thpt|trung hoc pho thong|cap 3|cap ba|cap iii"),
}
_GLUED_LEVEL = re.compile(r"^(lop|cap)(\d{1,2})$")  # "lop7", "cap3"


def _level_of_number(kind: str, number: int) -> str | None:
    if kind == "cap":
        return {1: "tiểu học", 2: "THCS", 3: "THPT"}.get(number)
    if 1 <= number <= 12:  # grades 1-5 primary, 6-9 lower, 10-12 upper secondary
        return LEVEL_ORDER[0 if number <= 5 else 1 if number <= 9 else 2]
    return None


def _level_at(tokens: list[Token], at: int) -> tuple[str, int] | None:
    """(level, tokens used) when a school level is named at token `at`."""
    for level, phrases in _LEVEL_WORDS.items():
        size = _match(tokens, at, phrases)
        if size:
            return level, size
    word = tokens[at].folded
    glued = _GLUED_LEVEL.match(word)
    if glued:
        level = _level_of_number(glued.group(1), int(glued.group(2)))
        return (level, 1) if level else None
    if word == "lop" and at + 1 < len(tokens) and tokens[at + 1].folded.isdigit():
        level = _level_of_number("lop", int(tokens[at + 1].folded))
        return (level, 2) if level else None
    return None


# What a follow-up may ask about, and how a self-contained question names it.
_ASPECTS: dict[str, list[tuple[str, ...]]] = {
    "Lệ phí": _phrases(
        "le phi|phi|chi phi|mat phi|tien|mat tien|ton tien|bao nhieu tien|mien phi|thu phi"
    ),
    "Thời hạn giải quyết": _phrases(
        "bao lau|mat bao lau|thoi han|thoi gian|may ngay|bao nhieu ngay|khi nao|"
        "bao gio|bao nhieu lau"
    ),
    "Nơi nộp hồ sơ": _phrases("o dau|noi nop|nop o dau|nop dau|cho nao|dia chi|co quan nao"),
    "Hồ sơ cần chuẩn bị": _phrases(
        "giay to|ho so|thanh phan ho so|can gi|can nhung gi|mang gi|chuan bi gi|"
        "can nhung giay to gi"
    ),
    "Các bước thực hiện": _phrases(
        "thu tuc|cac buoc|trinh tu|quy trinh|cach lam|lam the nao|lam sao|lam nhu the nao"
    ),
    "Căn cứ pháp lý": _phrases(
        "can cu|can cu phap ly|co so phap ly|van ban nao|quy dinh nao|luat nao|"
        "nghi dinh nao|thong tu nao"
    ),
    "Nộp trực tuyến": _phrases("truc tuyen|online|qua mang|nop online"),
    "Kết quả": _phrases("ket qua|nhan duoc gi"),
}

# Words that carry no topic: follow-up cues ("còn … thì sao", "thế còn", "vậy"), question and
# politeness words, pronouns. Folded, so "còn" and "con" (child) are one word — neither names a
# procedure.
_FILLERS = _phrases(
    "con|the con|vay con|thi sao|the thi sao|ra sao|vi sao|the nao|nhu the nao|the|"
    "vay|thi|nhu|nao|a|ah|ha|nhi|nhe|nha|nua|cho|cua|la|co|khong|ko|k|hong|gi|"
    "nhung|can|phai|bao|nhieu|di|oi|minh|toi|tui|em|anh|chi|ban|ad|hoc|sinh|chau|"
    "be|dang|nam|nay|va|voi|duoc|dc|mat|lau|ve|hoi|xin|vui|long|giup|tiep|neu|muon|"
    "hay|hoac|truong hop|lam|nop|roi|day|do|kia|o|tai|tu|trong|mot|cac|moi|se|thay|"
    "ma|vang|da|dung|u|uh|ok|oke|nhe"
)

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

    tokens: list[Token]
    levels: list[tuple[str, int, int]] = field(default_factory=list)  # level, start, end chars
    aspects: list[str] = field(default_factory=list)
    content: list[Token] = field(default_factory=list)

    @property
    def level(self) -> str | None:
        return self.levels[-1][0] if self.levels else None


def read(text: str) -> Reading:
    tokens = tokenize(text)
    reading = Reading(tokens)
    at = 0
    while at < len(tokens):
        level = _level_at(tokens, at)
        if level:
            name, size = level
            reading.levels.append((name, tokens[at].start, tokens[at + size - 1].end))
            at += size
            continue
        aspect, size = next(
            ((name, n) for name, phrases in _ASPECTS.items() if (n := _match(tokens, at, phrases))),
            (None, 0),
        )
        if aspect:
            if aspect not in reading.aspects:
                reading.aspects.append(aspect)
            at += size
            continue
        size = _match(tokens, at, _FILLERS, written=True)
        if size:
            at += size
            continue
        reading.content.append(tokens[at])
        at += 1
    return reading


def names_level(text: str) -> bool:
    return read(text).level is not None or school_level(text) is not None


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
    if reading.levels:
        parts, last = [], 0
        for _, start, end in reading.levels:
            parts += [question[last:start], level]
            last = end
        return "".join(parts) + question[last:]
    body = question.rstrip().rstrip("?").rstrip()
    return f"{body} ({level})?"


def topic(reading: Reading) -> str:
    """The words of a question that name its subject, as written."""
    return " ".join(t.text for t in reading.content)


def rewrite_followup(message: str, previous: str) -> str | None:
    """A self-contained question for a follow-up to `previous`, or None when it is not one."""
    now = read(message)
    if now.content or len(now.tokens) > MAX_FOLLOWUP_TOKENS:
        return None  # it names its own subject
    if not now.levels and not now.aspects:
        return None  # "vậy à?": nothing to carry over
    if not now.aspects:
        return with_level(previous, now.level or "")
    before = read(previous)
    subject = topic(before)
    if not subject:
        return None
    level = now.level or before.level
    aspects = ", ".join(now.aspects)
    question = f"{aspects} {subject[:1].lower()}{subject[1:]}"
    return f"{question} ({level})?" if level else f"{question}?"


# --- The dialogue -----------------------------------------------------------------------------


def _title_without_level(card: ProcedureCard) -> str:
    title = f" {fold_phrase(card.ten)} "
    for phrases in _LEVEL_WORDS.values():
        for phrase in phrases:
            title = title.replace(f" {' '.join(phrase)} ", " ")
    return " ".join(title.split())


class Dialogue:
    """Stands in for a `Responder` (same `answer`), keeping per-conversation context."""

    def __init__(
        self,
        responder: Responder,
        store: ConversationStore | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.responder = responder
        self.store = store if store is not None else open_conversation_store(responder.settings)
        self.clock = clock
        self._purged_at = 0.0
        self._purge_lock = threading.Lock()

    # The app's routes and channels read these from whatever stands on `app.state.responder`.
    @property
    def registry(self):  # noqa: ANN201 - the responder's DecreeRegistry
        return self.responder.registry

    @property
    def retriever(self):  # noqa: ANN201 - the responder's HybridRetriever
        return self.responder.retriever

    @property
    def settings(self) -> Settings:
        return self.responder.settings

    @property
    def index_version(self) -> int:
        return self.responder.index_version

    def refusal(self, question: str) -> Answer:
        return self.responder.refusal(question)

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

    def answer(self, question: str, conversation_id: str | None = None) -> Answer:
        kind = smalltalk_kind(question)
        if kind is not None:
            answer = self._smalltalk(question, kind)
            self._remember(conversation_id, question, question, answer, KIND_SMALLTALK)
            return answer

        asked = strip_greeting(question)
        understood = asked
        previous = self._previous(conversation_id)
        if previous is not None:
            understood = rewrite_followup(asked, previous.understood) or asked

        answer = self.responder.answer(understood, conversation_id)
        levels = None if conversation_id is None else self._ambiguous_levels(understood, answer)
        if levels:
            text = render("clarify_level.txt", levels=levels)
            answer = Answer(question=question, answer=text, refused=False, citations=[])
            self._remember(conversation_id, question, understood, answer, KIND_CLARIFY)
            return answer

        if understood != asked and not answer.refused:
            text = render("followup_note.txt", understood=understood, answer=answer.answer)
            answer = Answer(question, text, answer.refused, answer.citations)
        else:
            answer = Answer(question, answer.answer, answer.refused, answer.citations)
        kind = KIND_REFUSAL if answer.refused else KIND_ANSWER
        self._remember(conversation_id, question, understood, answer, kind)
        return answer

    def _smalltalk(self, question: str, kind: str) -> Answer:
        text = render(
            f"smalltalk_{kind}.txt",
            hotline=self.settings.hotline,
            portal_url=self.settings.portal_url,
        )
        return Answer(question=question, answer=text, refused=False, citations=[])

    def _previous(self, conversation_id: str | None) -> Turn | None:
        """The last question of the conversation (a pending clarification included)."""
        if conversation_id is None:
            return None
        return next((t for t in self.history(conversation_id) if t.kind in QUESTION_KINDS), None)

    def _ambiguous_levels(self, question: str, answer: Answer) -> list[str] | None:
        """Levels to ask about when the best sources are one procedure per school level."""
        if answer.refused or not answer.citations or names_level(question):
            return None
        best = answer.citations[0].score
        cards: list[tuple[ProcedureCard, float]] = []
        for citation in answer.citations[:3]:
            document = self.responder.retriever.documents.get(citation.doc_id)
            card = builtin_card(citation.doc_id) if document and document.kind == "card" else None
            if card is not None:
                cards.append((card, citation.score))
        for i, (first, score) in enumerate(cards):
            if score < best * SIBLING_SCORE_RATIO:
                break
            for second, _ in cards[i + 1 :]:
                if set(first.cap_hoc) != set(second.cap_hoc) and _title_without_level(
                    first
                ) == _title_without_level(second):
                    named = {*first.cap_hoc, *second.cap_hoc}
                    return [level for level in LEVEL_ORDER if level in named] or sorted(named)
        return None

    def _remember(
        self, conversation_id: str | None, asked: str, understood: str, answer: Answer, kind: str
    ) -> None:
        if conversation_id is None:
            return
        now = self.clock()
        self.store.append(
            Turn(conversation_id, asked, understood, answer.answer, answer.refused, kind, now)
        )
        with self._purge_lock:
            due = now - self._purged_at >= PURGE_INTERVAL_SECONDS
            if due:
                self._purged_at = now
        if due:
            self.store.purge(now - RETENTION_SECONDS)
