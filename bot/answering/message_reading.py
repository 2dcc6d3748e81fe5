"""Reading a chat message by rule, on folded text (no diacritics, lower case), so a message typed
without diacritics reads the same: the school levels and aspects it names, the words that
carry its topic, small talk, a greeting to drop, and a follow-up made self-contained.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from motcua.lexicon import Normalized, normalize, vocabulary
from motcua.lexicon.normalize import Restorer
from motcua.lexicon.phrases import Token, tokenize
from motcua.text import nfc

MAX_FOLLOWUP_TOKENS = 12  # a long message is a question of its own


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
