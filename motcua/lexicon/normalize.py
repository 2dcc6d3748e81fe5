"""Reading a question as people type it: chat spellings, politeness, levels, places, aspects.

`normalize` turns "ad oi cho e hoi chuyen truong cap 3 co ton phi ko" into the written question
("chuyển trường cấp 3 có tốn phí không"), with what it names marked: the school level (THPT),
the aspect asked (fee), places, the papers a procedure acts on, other sectors' procedures, and
the documents' words for synonyms typed. Every word list is data (the YAML files beside this
module); this module only applies them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Protocol

from motcua.lexicon.phrases import Span, Token, loose_at, phrase_at, tokenize
from motcua.lexicon.spans import find_spans
from motcua.lexicon.vocabulary import Vocabulary, vocabulary
from motcua.text import diacritic_ratio, fold, nfc

_CLAUSE_END = re.compile(r"^\s*([?.!,;:…]|$)")
# After these a question word still ends the clause: "được hong ad", "gì chi vậy".
_TAIL_WORDS = frozenset(
    {
        "a",
        "ad",
        "admin",
        "ah",
        "ak",
        "vay",
        "z",
        "v",
        "nhe",
        "nha",
        "ha",
        "ta",
        "mn",
        "nhi",
        "ban",
        "em",
        "e",
        "chi",
        "anh",
        "oi",
        "ne",
    }
)
_CLAUSE_BREAK_SYMBOLS = {"?", ".", "!", ",", ";", ":", "…"}


class Restorer(Protocol):
    def restore(self, text: str) -> str: ...


@dataclass
class Normalized:
    asked: str  # as typed, NFC, spaces collapsed
    text: str  # chat spellings expanded, diacritics restored when typed without them
    accentless: bool  # typed without diacritics
    tokens: list[Token]
    spans: list[Span] = field(default_factory=list)

    def of(self, kind: str) -> list[Span]:
        return [s for s in self.spans if s.kind == kind]

    def values(self, kind: str) -> list[str]:
        return list(dict.fromkeys(s.value for s in self.of(kind)))

    @property
    def levels(self) -> list[str]:
        return self.values("level")

    @property
    def level(self) -> str | None:
        """The last school level named (a follow-up's level overrides the earlier one)."""
        levels = self.of("level")
        return levels[-1].value if levels else None

    @property
    def aspects(self) -> list[str]:
        return self.values("aspect")

    @property
    def objects(self) -> list[str]:
        return self.values("object")

    @property
    def actions(self) -> list[str]:
        return self.values("action")

    @property
    def sectors(self) -> list[str]:
        return self.values("sector")

    @property
    def places(self) -> list[str]:
        return [self.span_text(s) for s in self.of("place")]

    def says(self, folded: str) -> bool:
        """Whether the question holds these whole words, folded ("cong bo")."""
        return f" {folded} " in f" {' '.join(t.folded for t in self.tokens)} "

    def paper_request(self) -> tuple[str, tuple[str, ...]] | None:
        """A request on a paper the question does not name ("xin bản sao thì làm sao"): the
        request as written and the papers it may mean; None when a paper is named."""
        if self.objects:
            return None
        for written, folded, papers in vocabulary().paper_requests:
            if self.says(" ".join(folded)):
                return written, papers
        return None

    def provinces(self) -> list[str]:
        """The provinces the question names, folded ("binh duong", "hue")."""
        known = vocabulary().provinces
        named = (" ".join(fold(s.value).split()) for s in self.of("place"))
        return [name for name in named if name in known]

    def covered(self, kind: str) -> set[int]:
        return {i for s in self.of(kind) for i in range(s.first, s.end)}

    def span_text(self, span: Span) -> str:
        return self.text[self.tokens[span.first].start : self.tokens[span.end - 1].end]

    def without(self, *kinds: str) -> str:
        """The text with the tokens of spans of `kinds` left out ("ad ơi", "ạ" for fillers)."""
        drop = set().union(*(self.covered(k) for k in kinds))
        kept = [i for i in range(len(self.tokens)) if i not in drop]
        return _join(self.text, self.tokens, kept)

    @property
    def core(self) -> str:
        """The question without greetings and politeness: what retrieval and weighing see."""
        return self.without("filler") or self.text

    def subject_indices(self) -> list[int]:
        """Tokens that name what the question is about: not politeness, level, aspect, place,
        nor the cues and words of a follow-up ("còn … thì sao", "con em", "nộp")."""
        vocab = vocabulary()
        drop = set().union(*(self.covered(k) for k in ("filler", "level", "aspect", "place")))
        at = 0
        while at < len(self.tokens):
            phrase = loose_at(self.tokens, at, vocab.followup_cues) or loose_at(
                self.tokens, at, vocab.no_topic
            )
            if phrase is None:
                at += 1
                continue
            drop.update(range(at, at + len(phrase)))
            at += len(phrase)
        return [i for i in range(len(self.tokens)) if i not in drop]

    def names_no_procedure(self) -> bool:
        """Asks for a procedure and names none: its subject is only "thủ tục", "hồ sơ"…"""
        subject = " ".join(self.tokens[i].folded for i in self.subject_indices())
        return subject in vocabulary().any_procedure

    def content_indices(self) -> list[int]:
        """Tokens that carry the question's subject: not politeness, not a place."""
        drop = self.covered("filler") | self.covered("place")
        return [i for i in range(len(self.tokens)) if i not in drop]


def _join(text: str, tokens: list[Token], kept: list[int]) -> str:
    """The kept tokens with the spaces and punctuation between them where nothing was
    dropped, one space where something was."""
    parts = []
    for n, i in enumerate(kept):
        parts.append(tokens[i].text)
        if n + 1 < len(kept):
            following = kept[n + 1]
            parts.append(
                text[tokens[i].end : tokens[following].start] if following == i + 1 else " "
            )
        elif i + 1 == len(tokens):
            parts.append(text[tokens[i].end :])
    return "".join(parts).strip()


def expand_chat(text: str, vocab: Vocabulary | None = None) -> str:
    """Chat spellings replaced by the words they stand for; everything else kept as typed."""
    vocab = vocab or vocabulary()
    tokens = tokenize(text)
    lowered = [t.text.lower() for t in tokens]
    anywhere, at_end = vocab.chat_longest_first
    out: list[str] = []
    last = 0
    at = 0
    while at < len(tokens):
        found = None
        for table, phrases, needs_end in (
            (vocab.chat_anywhere, anywhere, False),
            (vocab.chat_at_end, at_end, True),
        ):
            phrase = phrase_at(lowered, at, phrases)
            if phrase is None:
                continue
            end = at + len(phrase)
            if len(phrase) == 1 and len(phrase[0]) == 1 and not tokens[at].text.islower():
                continue  # "V", "E": a numeral or a letter, not chat
            if needs_end and not _ends_clause(text, tokens, end):
                continue
            found = (end, table[phrase])
            break
        if found is None:
            at += 1
            continue
        end, replacement = found
        out.append(text[last : tokens[at].start])
        out.append(" ".join(replacement))
        last = tokens[end - 1].end
        at = end
    out.append(text[last:])
    return "".join(out)


def _ends_clause(text: str, tokens: list[Token], end: int) -> bool:
    if end >= len(tokens):
        return True
    if _CLAUSE_END.match(text[tokens[end - 1].end : tokens[end].start]):
        gap = text[tokens[end - 1].end : tokens[end].start].strip()
        if gap and gap[0] in _CLAUSE_BREAK_SYMBOLS:
            return True
    return all(t.folded in _TAIL_WORDS for t in tokens[end:])


def normalize(question: str, restorer: Restorer | None = None) -> Normalized:
    """Read a question (see the module's docstring). `restorer` puts back the diacritics of a
    question typed without them; without one such a question stays as typed."""
    vocab = vocabulary()
    asked = " ".join(nfc(question).split())
    accentless = diacritic_ratio(asked) < ACCENTLESS_RATIO
    text = expand_chat(asked, vocab)
    typed = tokenize(text)
    if accentless and restorer is not None:
        text = restorer.restore(text)
    tokens = tokenize(text)
    if len(typed) == len(tokens):  # the restorer keeps every token in its place
        tokens = [
            replace(t, unmarked=o.folded == o.text.lower())
            for t, o in zip(tokens, typed, strict=True)
        ]
    reading = Normalized(asked, text, accentless, tokens)
    reading.spans = find_spans(tokens, vocab)
    return reading


# Running Vietnamese has 0.6-0.8 of its syllables marked; typed without diacritics ~0.
ACCENTLESS_RATIO = 0.15


@lru_cache(maxsize=1024)
def name_without_levels(name: str) -> str:
    """A procedure's name folded, its school levels left out: "Chuyển trường … trung học cơ
    sở" and "… trung học phổ thông" are one procedure at two levels. Kept per name, as every
    question compares the names of the cards it retrieves."""
    reading = normalize(name)
    levels = reading.covered("level")
    return " ".join(t.folded for i, t in enumerate(reading.tokens) if i not in levels)
