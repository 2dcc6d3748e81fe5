"""Reading a question as people type it: chat spellings, politeness, levels, places, aspects.

`normalize` turns "ad oi cho e hoi chuyen truong cap 3 co ton phi ko" into the written question
("chuyển trường cấp 3 có tốn phí không"), with what it names marked: the school level (THPT),
the aspect asked (fee), places, the papers a procedure acts on, other sectors' procedures, and
the documents' words for synonyms typed. Every word list is data (the YAML files beside this
module); this module only applies them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from typing import Protocol

from motcua.lexicon.vocabulary import Phrase, Vocabulary, vocabulary
from motcua.text import diacritic_ratio, fold, nfc

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_GRADE = re.compile(r"^lop(\d{1,2})$")  # "lop7" typed glued
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


def marks(word: str) -> tuple[str, ...]:
    """The diacritics of a word, wherever they sit: "hoá" and "hóa" have the same."""
    return tuple(sorted(c for c in unicodedata.normalize("NFD", word) if unicodedata.combining(c)))


def same_word(typed: str, written: str) -> bool:
    """`typed` is `written` (lower case, tone placement ignored)."""
    typed, written = typed.lower(), written.lower()
    return fold(typed) == fold(written) and marks(typed) == marks(written)


@dataclass(frozen=True)
class Token:
    text: str  # as it stands in `Normalized.text`
    folded: str
    start: int
    end: int
    # Typed without marks (they may have been restored since): its spelling then says less
    # than its folded form, as the restorer can guess "thì" as "thị".
    unmarked: bool = False


@dataclass(frozen=True)
class Span:
    kind: str  # filler level aspect object action sector place synonym education answer_type
    value: str  # the level's, aspect's, object's, sector's name; a synonym's documents' word
    first: int  # token indices, end exclusive
    end: int


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
            phrase = _loose_at(self.tokens, at, vocab.followup_cues) or _loose_at(
                self.tokens, at, vocab.no_topic
            )
            if phrase is None:
                at += 1
                continue
            drop.update(range(at, at + len(phrase)))
            at += len(phrase)
        return [i for i in range(len(self.tokens)) if i not in drop]

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


def tokenize(text: str) -> list[Token]:
    return [Token(m.group(), fold(m.group()), m.start(), m.end()) for m in _TOKEN.finditer(text)]


@lru_cache(maxsize=512)
def _by_first_word(phrases: tuple[Phrase, ...], folded: bool) -> dict[str, tuple[Phrase, ...]]:
    """The phrases grouped by their first word (folded when `folded`), each group in the
    list's order: a question is read against every phrase list of the lexicon at every
    word, and only the phrases starting with that word can match there."""
    groups: dict[str, list[Phrase]] = {}
    for phrase in phrases:
        first = _folded_phrase(phrase)[0] if folded else phrase[0]
        groups.setdefault(first, []).append(phrase)
    return {first: tuple(group) for first, group in groups.items()}


def _starting_with(word: str, phrases: tuple[Phrase, ...], folded: bool) -> tuple[Phrase, ...]:
    if not all(phrases):  # an empty phrase would match anywhere: keep the whole list
        return phrases
    return _by_first_word(phrases, folded).get(word, ())


def _phrase_at(words: list[str], at: int, phrases: tuple[Phrase, ...]) -> Phrase | None:
    if at >= len(words):
        return next((p for p in phrases if not p), None)
    for phrase in _starting_with(words[at], phrases, folded=False):
        if tuple(words[at : at + len(phrase)]) == phrase:
            return phrase
    return None


@cache
def _folded_phrase(phrase: Phrase) -> Phrase:
    return tuple(fold(w) for w in phrase)


def _folded_candidates(
    tokens: list[Token], at: int, phrases: tuple[Phrase, ...]
) -> tuple[Phrase, ...]:
    return _starting_with(tokens[at].folded, phrases, True) if at < len(tokens) else phrases


def _written_at(tokens: list[Token], at: int, phrases: tuple[Phrase, ...]) -> Phrase | None:
    for phrase in _folded_candidates(tokens, at, phrases):
        end = at + len(phrase)
        if (
            end <= len(tokens)
            and tuple(t.folded for t in tokens[at:end]) == _folded_phrase(phrase)
            and all(same_word(t.text, w) for t, w in zip(tokens[at:end], phrase, strict=True))
        ):
            return phrase
    return None


def _loose_at(tokens: list[Token], at: int, phrases: tuple[Phrase, ...]) -> Phrase | None:
    """A written phrase at `at`: tokens typed with marks must be spelled as written ("bản" is
    not "bạn"), tokens typed without match by their folded form."""
    for phrase in _folded_candidates(tokens, at, phrases):
        end = at + len(phrase)
        if (
            end <= len(tokens)
            and tuple(t.folded for t in tokens[at:end]) == _folded_phrase(phrase)
            and all(
                t.unmarked or t.folded == t.text.lower() or same_word(t.text, w)
                for t, w in zip(tokens[at:end], phrase, strict=True)
            )
        ):
            return phrase
    return None


def expand_chat(text: str, vocab: Vocabulary | None = None) -> str:
    """Chat spellings replaced by the words they stand for; everything else kept as typed."""
    vocab = vocab or vocabulary()
    tokens = tokenize(text)
    lowered = [t.text.lower() for t in tokens]
    anywhere = sorted(vocab.chat_anywhere, key=len, reverse=True)
    at_end = sorted(vocab.chat_at_end, key=len, reverse=True)
    out: list[str] = []
    last = 0
    at = 0
    while at < len(tokens):
        found = None
        for table, phrases, needs_end in (
            (vocab.chat_anywhere, anywhere, False),
            (vocab.chat_at_end, at_end, True),
        ):
            phrase = _phrase_at(lowered, at, tuple(phrases))
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
    reading.spans = _spans(tokens, vocab)
    return reading


# Running Vietnamese has 0.6-0.8 of its syllables marked; typed without diacritics ~0.
ACCENTLESS_RATIO = 0.15


def _spans(tokens: list[Token], vocab: Vocabulary) -> list[Span]:
    folded = [t.folded for t in tokens]
    spans: list[Span] = []
    spans += _level_spans(tokens, folded, vocab)
    education = _folded_spans(folded, "education", "education", vocab.education)
    for aspect in vocab.aspects:
        # A cue inside a longer word of the sector is that word's: the "phí" of "học phí"
        # asks for no procedure's fee.
        spans += [
            s
            for s in _folded_spans(folded, "aspect", aspect.key, aspect.cues)
            if not any(
                e.first <= s.first and s.end <= e.end and e.end - e.first > s.end - s.first
                for e in education
            )
        ]
    for name, phrases in vocab.objects.items():
        spans += _object_spans(tokens, folded, name, phrases)
    for name, phrases in vocab.actions.items():
        spans += _folded_spans(folded, "action", name, phrases)
    for name, phrases in vocab.sectors.items():
        spans += _folded_spans(folded, "sector", name, phrases)
    spans += _synonym_spans(folded, vocab)
    spans += education
    for kind in vocab.answer_types:
        spans += _folded_spans(folded, "answer_type", kind.key, kind.cues)
    spans += _place_spans(tokens, folded, vocab)
    taken = {i for s in spans if s.kind in ("level", "place") for i in range(s.first, s.end)}
    spans += _filler_spans(tokens, vocab, taken)
    return spans


def _folded_spans(
    folded: list[str], kind: str, value: str, phrases: tuple[Phrase, ...]
) -> list[Span]:
    spans, at = [], 0
    while at < len(folded):
        phrase = _phrase_at(folded, at, phrases)
        if phrase is None:
            at += 1
            continue
        spans.append(Span(kind, value, at, at + len(phrase)))
        at += len(phrase)
    return spans


def _synonym_spans(folded: list[str], vocab: Vocabulary) -> list[Span]:
    """Synonyms across groups, the longer phrase winning where two overlap: "chuyển trường"
    is one phrase, not also the "trường" of "trường học"."""
    found = [
        span
        for group in vocab.synonyms
        for span in _folded_spans(folded, "synonym", " ".join(group[0]), group)
    ]
    found.sort(key=lambda s: (s.first - s.end, s.first))
    kept: list[Span] = []
    for span in found:
        if all(span.end <= k.first or span.first >= k.end for k in kept):
            kept.append(span)
    return sorted(kept, key=lambda s: s.first)


def _object_spans(
    tokens: list[Token], folded: list[str], name: str, phrases: tuple[Phrase, ...]
) -> list[Span]:
    """Papers: one-syllable names ("bằng") only with their marks, as "bảng", "bang" (state)
    and the preposition "bằng" are other words; longer names folded."""
    spans = []
    for span in _folded_spans(folded, "object", name, phrases):
        if span.end - span.first == 1:
            word = tokens[span.first].text
            if fold(word) == word.lower():
                continue  # typed without marks and not restored: can't tell
            if name == "văn bằng" and not same_word(word, "bằng"):
                continue
            if name == "văn bằng" and _preposition(folded, span.first):
                continue
        spans.append(span)
    return spans


# "nộp bằng đường bưu điện", "bằng cách nào": "bằng" as "by", not a diploma.
_BY_FOLLOWERS = frozenset({"cach", "duong", "hinh", "phuong", "email", "mail", "tay"})


def _preposition(folded: list[str], at: int) -> bool:
    return at + 1 < len(folded) and folded[at + 1] in _BY_FOLLOWERS


def _level_spans(tokens: list[Token], folded: list[str], vocab: Vocabulary) -> list[Span]:
    spans, at = [], 0
    while at < len(tokens):
        level = next(
            (
                (lv.name, len(p))
                for lv in vocab.levels
                if (p := _phrase_at(folded, at, lv.names)) is not None
            ),
            None,
        )
        if level is None:
            glued = _GRADE.match(folded[at])
            if glued:
                name = vocab.level_of_grade(int(glued.group(1)))
                level = (name, 1) if name else None
            elif folded[at] == "lop" and at + 1 < len(tokens) and folded[at + 1].isdigit():
                name = vocab.level_of_grade(int(folded[at + 1]))
                level = (name, 2) if name else None
        if level is None:
            at += 1
            continue
        spans.append(Span("level", level[0], at, at + level[1]))
        at += level[1]
    return spans


def _place_spans(tokens: list[Token], folded: list[str], vocab: Vocabulary) -> list[Span]:
    spans: list[Span] = []
    at = 0
    while at < len(tokens):
        name = _phrase_at(folded, at, vocab.places_folded) or _written_at(
            tokens, at, vocab.places_written
        )
        if name is not None and (len(name) > 1 or tokens[at].text[:1].isupper()):
            spans.append(Span("place", " ".join(name), at, at + len(name)))
            at += len(name)
            continue
        marker = _phrase_at(folded, at, vocab.place_markers)
        if marker is not None:
            end = at + len(marker)
            named = end
            # A local name is capitalised after its marker: "xã Tân Lập", "trường THCS Lê Lợi".
            while named < len(tokens) and named - end < 3 and tokens[named].text[:1].isupper():
                if tokens[named].text.isupper() and len(tokens[named].text) > 1:
                    break  # an acronym ("THCS") names a level, not the place
                named += 1
            if named > end:
                spans.append(Span("place", " ".join(folded[end:named]), end, named))
                at = named
                continue
        at += 1
    return spans


def _filler_spans(tokens: list[Token], vocab: Vocabulary, taken: set[int]) -> list[Span]:
    """Politeness: phrases of two words and more match folded ("cho em hoi" can be nothing
    else); one-word fillers as written ("ạ" folds to "a", "vậy" to "vay"), except in the run
    of fillers that ends a message, where "a", "vay", "nhe" can only be politeness."""
    spans, at = [], 0
    folded = [t.folded for t in tokens]
    multi = tuple(p for p in vocab.fillers if len(p) > 1)
    single = tuple(p for p in vocab.fillers if len(p) == 1)
    folded_multi = tuple(tuple(fold(w) for w in p) for p in multi)
    folded_single = tuple(tuple(fold(w) for w in p) for p in single)
    tail = len(tokens)
    while tail > 0 and (
        _phrase_at(folded, tail - 1, folded_single) is not None and tail - 1 not in taken
    ):
        tail -= 1
    while at < len(tokens):
        if at in taken:
            at += 1
            continue
        phrase = _phrase_at(folded, at, folded_multi) or _written_at(tokens, at, single)
        if phrase is None and at >= tail and at > 0:
            phrase = _phrase_at(folded, at, folded_single)
        if phrase is None:
            at += 1
            continue
        spans.append(Span("filler", " ".join(phrase), at, at + len(phrase)))
        at += len(phrase)
    return spans
