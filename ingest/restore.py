"""Diacritic restoration for Vietnamese typed without marks (and OCR text after repair).

A syllable trigram language model with interpolated modified Kneser-Ney smoothing scores the
accented forms seen in training for each folded syllable; Viterbi picks the best sequence.
The model learns only from text handed to `fit` (clean ingested documents) plus pyvi's MIT
word list (`default_training_text`), so nothing from test data ships with the product.
"""

from __future__ import annotations

import gzip
import json
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from motcua.text import diacritic_ratio, fold, nfc

__all__ = [
    "ACRONYMS",
    "CODE",
    "NUM",
    "QUESTION_PHRASES",
    "Candidate",
    "DiacriticRestorer",
    "Reading",
    "Restoration",
    "Token",
    "case_evidence",
    "default_training_text",
    "needs_restoration",
    "normalize_tone",
]

FORMAT_VERSION = 1
BOS, EOS = "<s>", "</s>"
NUM, CODE = "<num>", "<code>"  # numbers, and tokens mixing letters and digits ("H5N1", "2a")

# All-caps abbreviations of education/administrative texts, forced when typed in capitals:
# an LM trained on lower-cased text sees them too rarely to put the Đ back ("HDND" → "HĐND"),
# and listing the Đ-less ones keeps them from being "restored" as words.
# fmt: off
ACRONYMS: tuple[str, ...] = (
    "ĐT", "GDĐT", "SGDĐT", "BGDĐT", "PGDĐT", "NLĐ", "HĐND", "TTHĐND", "ĐTBXH", "LĐTBXH",
    "BLĐTBXH", "SLĐTBXH", "NĐ", "QĐ", "ĐH", "CĐ", "ĐHQG", "BCĐ", "ĐVHC", "ĐBQH", "ĐBSCL",
    "TĐKT", "VNĐ", "CBCCVC", "CBCC", "UBND", "CCHC", "TTHC", "THCS", "THPT", "GDTX", "CNTT",
)
# fmt: on
_ACRONYM_BY_FOLD: dict[str, str] = {fold(a): a for a in ACRONYMS}

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
# Separators that end a sentence-like unit: the LM context restarts after them.
_BOUNDARY = re.compile(r"[.!?;:()\[\]\"“”…]|\n")
_VOWEL = re.compile("[aeiouy]")
_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_LOG_FLOOR = -30.0


def normalize_tone(text: str) -> str:
    """Put the tone of open syllables ending in oa/oe/uy on the first vowel: hoá→hóa, thuỷ→thủy.

    Both placements are in use; training on one keeps counts of the same word together.
    """
    return _TOKEN.sub(lambda m: _normalize_syllable(m.group(0)), nfc(text))


def _normalize_syllable(word: str) -> str:
    low = word.lower()
    if len(low) < 2 or low[-2:] not in _MOVABLE_TAILS:
        return word
    if low[-2] == "u" and len(low) > 2 and low[-3] == "q":
        return word  # "quý": the u belongs to the onset, the tone stays on y
    tail = unicodedata.normalize("NFD", word[-1])
    tone = next(ch for ch in tail if ch in _TONE_MARKS)
    bare_last = unicodedata.normalize("NFC", "".join(ch for ch in tail if ch != tone))
    return word[:-2] + unicodedata.normalize("NFC", word[-2] + tone) + bare_last


def _movable_tails() -> frozenset[str]:
    """oa/oe/uy with the tone on the second vowel, in NFC: "oá", "oẻ", "uỷ", ..."""
    pairs = (("o", "a"), ("o", "e"), ("u", "y"))
    return frozenset(
        first + unicodedata.normalize("NFC", second + tone)
        for first, second in pairs
        for tone in _TONE_MARKS
    )


_MOVABLE_TAILS = _movable_tails()


def needs_restoration(text: str, threshold: float = 0.15) -> bool:
    """True for text typed (or scanned) without diacritics: running Vietnamese scores 0.6+.

    Acronyms ("UBND", "KH") never carry marks and are left out of the ratio; other all-caps
    words count only when there is nothing else (a heading).
    """
    alpha = [w for w in _TOKEN.findall(text) if w.isalpha()]
    plain = [w for w in alpha if not (w.isupper() and len(w) > 1)]
    if not plain:
        plain = [w for w in alpha if _VOWEL.search(fold(w)) and fold(w) not in _ACRONYM_BY_FOLD]
    return bool(plain) and diacritic_ratio(" ".join(plain)) < threshold


# OCR drops a circumflex or horn but keeps the tone ("tuyén", "hiéu", "nuóc"); standard spelling
# never has a bare e after i/y or a bare o after u/ư, so such a line is not clean text.
_MISSPELT = re.compile("(?<!g)[iy]e|[uư]o")


def _misspelt(line: str) -> bool:
    """True when a marked word of `line` breaks Vietnamese spelling ("gieo" is fine)."""
    for word in _TOKEN.findall(line.lower()):
        if not _has_mark(word):
            continue
        toneless = "".join(ch for ch in unicodedata.normalize("NFD", word) if ch not in _TONE_MARKS)
        if _MISSPELT.search(unicodedata.normalize("NFC", toneless)):
            return True
    return False


def _number_class(word: str) -> str | None:
    """NUM for digits, CODE for letters mixed with digits, None for a plain word."""
    if word.isdigit():
        return NUM
    return CODE if any(c.isdigit() for c in word) else None


def _has_mark(word: str) -> bool:
    return fold(word) != word.lower()


def _apply_case(template: str, word: str) -> str:
    """Copy the case of `template` onto `word` letter by letter (folding keeps lengths)."""
    letters = [c for c in template if c.isalpha()]
    upper = sum(c.isupper() for c in letters)
    if len(letters) > 3 and upper >= 3 * len(letters) / 4:
        return word.upper()  # OCR headings like "PiCH" are still meant as all caps
    if len(template) != len(word):
        return word[:1].upper() + word[1:] if template[:1].isupper() else word
    return "".join(c.upper() if t.isupper() else c for t, c in zip(template, word, strict=True))


def case_evidence(raws: Sequence[str], boundaries: Sequence[bool]) -> list[bool | None]:
    """Whether each token's case says something about the word: True = capitalised as a name.

    Inside a sentence a capital marks a name ("Sở", "Long An"); at a sentence start, in all
    caps and in numbers case says nothing.
    """
    out: list[bool | None] = []
    for i, w in enumerate(raws):
        if not w.isalpha() or (w.isupper() and len(w) > 1):
            out.append(None)
        elif not boundaries[i]:
            out.append(w[0].isupper())
        else:
            out.append(None)  # a sentence's first word is capitalised whatever it is
    return out


# Question wording that legal texts rarely contain but users type (written for this project;
# counted like dictionary entries, so it only settles within-phrase choices such as đâu/đầu).
# fmt: off
QUESTION_PHRASES: tuple[str, ...] = (
    "ở đâu", "nộp ở đâu", "làm ở đâu", "là gì", "giấy tờ gì", "những gì", "cần những gì",
    "bao nhiêu", "mất bao lâu", "bao lâu", "bao giờ", "khi nào", "lúc nào", "như thế nào",
    "thế nào", "làm sao", "làm thế nào", "vì sao", "tại sao", "có được không", "được không",
    "có phải", "hay không", "ai ký", "ai có thẩm quyền", "cơ quan nào", "văn bản nào",
    "nghị định nào", "thông tư nào", "quy định nào", "điều kiện gì", "hồ sơ gồm những gì",
    "lệ phí bao nhiêu", "thời hạn giải quyết", "trong bao nhiêu ngày", "xin cấp lại", "cho con",
    "con tôi", "tôi muốn", "tôi cần", "tôi phải", "em muốn hỏi", "cho hỏi", "xin hỏi",
    "phụ huynh", "học sinh trung học", "trẻ em", "mầm non", "tiểu học", "trung học cơ sở",
    "trung học phổ thông", "giáo dục thường xuyên", "chuyển trường", "nhập học", "tuyển sinh",
    "bằng tốt nghiệp", "học bạ", "bản sao", "chứng thực", "trực tuyến", "một cửa",
)
# fmt: on


def default_training_text() -> Iterator[str]:
    """Text shipped by a dependency that the default model may learn from.

    pyvi (MIT licence, already a dependency) ships a list of ~31K Vietnamese words; each
    multi-syllable entry contributes within-word n-grams and every entry a known spelling.
    The project's own `QUESTION_PHRASES` follow.
    """
    yield from _pyvi_words()
    yield from QUESTION_PHRASES


@lru_cache(maxsize=1)
def dictionary_word_pairs() -> frozenset[str]:
    """Two-syllable words of the shipped dictionary, folded: {"giay_to", "khai_sinh", ...}."""
    pairs = set()
    for entry in _pyvi_words():
        syllables = fold(entry).split()
        if len(syllables) == 2:
            pairs.add("_".join(syllables))
    return frozenset(pairs)


def _pyvi_words() -> Iterator[str]:
    try:
        dist = metadata.distribution("pyvi")
    except metadata.PackageNotFoundError:
        return
    path = Path(str(dist.locate_file("pyvi/models/words.txt")))
    if not path.is_file():
        return
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if line:
                yield line


def _segments(tokens: list[Token]) -> Iterator[list[Token]]:
    """Sentence-like runs of tokens: the LM context restarts at each boundary."""
    segment: list[Token] = []
    for tok in tokens:
        if tok.boundary_before and segment:
            yield segment
            segment = []
        segment.append(tok)
    if segment:
        yield segment


@dataclass(frozen=True)
class Candidate:
    """One reading of an input token; `logw` is a log-weight added to the LM score (<= 0)."""

    form: str  # lower-case spelling as the LM knows it
    logw: float = 0.0


@dataclass(frozen=True)
class Reading:
    """One word token of a decoded text: as typed, as chosen, and how sure the model is."""

    start: int  # span of the token in the decoded text
    end: int
    raw: str
    shown: str  # the chosen form, cased like `raw`
    posterior: float  # P(chosen form | the whole sentence), from forward-backward


@dataclass(frozen=True)
class Restoration:
    text: str
    confidence: float  # mean per-syllable probability that the chosen form is right, 0..1
    syllables: int  # alphabetic tokens scored
    unknown: int  # alphabetic tokens neither known nor restorable
    readings: tuple[Reading, ...] = ()  # filled by `decode_tokens(..., marginals=True)`


@dataclass
class Token:
    """One alphanumeric span of the input with the readings the decoder may choose from."""

    start: int
    end: int
    raw: str
    kind: str  # "word", or "num" for numbers and codes, which are copied as typed
    cands: list[Candidate]
    boundary_before: bool


def _discounts(count_of_counts: Counter[int]) -> tuple[float, float, float]:
    """Chen & Goodman's modified Kneser-Ney discounts D1, D2, D3+ from counts of counts."""
    n1, n2, n3, n4 = (count_of_counts.get(k, 0) for k in (1, 2, 3, 4))
    if not (n1 and n2 and n3 and n4):
        return 0.5, 0.75, 0.9
    y = n1 / (n1 + 2 * n2)
    d1 = 1 - 2 * y * n2 / n1
    d2 = 2 - 3 * y * n3 / n2
    d3 = 3 - 4 * y * n4 / n3
    return max(d1, 0.05), max(d2, 0.05), max(d3, 0.05)


class DiacriticRestorer:
    """Syllable trigram KN model + Viterbi restoration of Vietnamese diacritics."""

    def __init__(
        self,
        min_line_ratio: float = 0.5,
        max_candidates: int = 10,
        beam: int = 200,
        margin: float = 25.0,
    ) -> None:
        # Lines below this diacritic ratio are skipped in training: OCR or unaccented text
        # would teach wrong spellings.
        self.min_line_ratio = min_line_ratio
        self.max_candidates = max_candidates
        self.beam = beam
        self.margin = margin
        self._trigrams: Counter[tuple[str, str, str]] = Counter()
        # form -> [capitalised inside a sentence, seen inside a sentence]
        self._case: dict[str, list[int]] = {}
        self._reset_derived()

    # ---------------------------------------------------------------- training
    @classmethod
    def train(
        cls, texts: Iterable[str], *, with_default: bool = True, **options: Any
    ) -> DiacriticRestorer:
        """A model fitted on `texts` and, by default, `default_training_text()`.

        `options` go to the constructor (min_line_ratio, max_candidates, beam, margin).
        """
        model = cls(**options)
        if with_default:
            model._count_wordlist(default_training_text(), weight=1)
        return model.fit(texts)

    def fit(self, texts: Iterable[str]) -> DiacriticRestorer:
        """Add the clean lines of `texts` to the counts (repeatable) and rebuild the model."""
        for text in texts:
            for line in normalize_tone(text).splitlines():
                if diacritic_ratio(line) < self.min_line_ratio or _misspelt(line):
                    continue
                for sentence in self._sentences(line):
                    self._count(sentence, bounded=True)
                self._count_case(line)
        self._build()
        return self

    def _count_case(self, line: str) -> None:
        """How often each form is capitalised inside a sentence (names: "Sở", "Long An")."""
        for part in _BOUNDARY.split(line):
            ws = _TOKEN.findall(part)
            for w, cap in zip(ws, case_evidence(ws, [True] + [False] * (len(ws) - 1)), strict=True):
                if cap is not None:
                    row = self._case.setdefault(w.lower(), [0, 0])
                    row[0] += cap
                    row[1] += 1

    def add_wordlist(self, entries: Iterable[str], weight: int = 1) -> DiacriticRestorer:
        """Count dictionary entries: within-word n-grams only, no sentence boundaries."""
        self._count_wordlist(entries, weight)
        self._build()
        return self

    def _count_wordlist(self, entries: Iterable[str], weight: int) -> None:
        for entry in entries:
            sylls = [w.lower() for w in _TOKEN.findall(normalize_tone(entry)) if w.isalpha()]
            if sylls:
                self._count(sylls, bounded=False, weight=weight)

    def _sentences(self, line: str) -> Iterator[list[str]]:
        for part in _BOUNDARY.split(line):
            sent = [_number_class(w) or w.lower() for w in _TOKEN.findall(part)]
            if sent:
                yield sent

    def _count(self, sylls: Sequence[str], *, bounded: bool, weight: int = 1) -> None:
        seq = [BOS, BOS, *sylls, EOS] if bounded else list(sylls)
        if not bounded and len(seq) < 3:
            # Single words and pairs still need unigram/bigram evidence: pad with a marker
            # context that no decoded sentence ever uses.
            seq = ["<w>", "<w>", *seq]
        tri = self._trigrams
        for i in range(2, len(seq)):
            tri[(seq[i - 2], seq[i - 1], seq[i])] += weight

    def _reset_derived(self) -> None:
        self._ctx3: dict[tuple[str, str], tuple[int, int, int, int]] = {}
        self._cont2: Counter[tuple[str, str]] = Counter()
        self._ctx2: dict[str, tuple[int, int, int, int]] = {}
        self._cont1: Counter[str] = Counter()
        self._cont1_total = 0
        self._d3 = self._d2 = (0.5, 0.75, 0.9)
        self._forms: dict[str, list[str]] = {}
        self._unigram: Counter[str] = Counter()
        self._cache: dict[tuple[str, str, str], float] = {}
        self._cache2: dict[tuple[str, str], float] = {}
        self._cap_prior = 0.1

    def _build(self) -> None:
        """Derive the KN statistics and the candidate table from the trigram counts."""
        self._reset_derived()
        tri = self._trigrams
        ctx3: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
        cont2: Counter[tuple[str, str]] = Counter()
        coc3: Counter[int] = Counter()
        for (u, v, w), c in tri.items():
            row = ctx3[(u, v)]
            row[0] += c
            row[min(c, 3)] += 1
            cont2[(v, w)] += 1
            coc3[c] += 1
            if w not in (EOS,):
                self._unigram[w] += c
        ctx2: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
        cont1: Counter[str] = Counter()
        coc2: Counter[int] = Counter()
        for (v, w), c in cont2.items():
            row = ctx2[v]
            row[0] += c
            row[min(c, 3)] += 1
            cont1[w] += 1
            coc2[c] += 1
        self._ctx3 = {k: tuple(v) for k, v in ctx3.items()}  # type: ignore[misc]
        self._ctx2 = {k: tuple(v) for k, v in ctx2.items()}  # type: ignore[misc]
        self._cont2, self._cont1 = cont2, cont1
        self._cont1_total = sum(cont1.values())
        self._d3, self._d2 = _discounts(coc3), _discounts(coc2)
        forms: dict[str, Counter[str]] = defaultdict(Counter)
        for w, c in self._unigram.items():
            if w.isalpha():
                forms[fold(w)][w] += c
        self._forms = {k: [w for w, _ in cnt.most_common()] for k, cnt in forms.items()}
        caps = sum(r[0] for r in self._case.values())
        seen = sum(r[1] for r in self._case.values())
        self._cap_prior = (caps + 1) / (seen + 10)

    def case_logprob(self, form: str, capitalised: bool) -> float:
        """log P(typed capitalised / lower case inside a sentence | form)."""
        cap, seen = self._case.get(form, (0, 0))
        a = 2.0
        p = (cap + a * self._cap_prior) / (seen + a)
        return math.log(p if capitalised else 1.0 - p)

    # ---------------------------------------------------------------- language model
    def _p2(self, v: str, w: str) -> float:
        """P(w | v): the bigram level (continuation counts) over the unigram level."""
        key = (v, w)
        cached = self._cache2.get(key)
        if cached is not None:
            return cached
        # Unigram: continuation probability, with a little mass for unseen words.
        vocab = len(self._cont1) + 1
        p = (self._cont1.get(w, 0) + 0.5) / (self._cont1_total + 0.5 * vocab)
        row2 = self._ctx2.get(v)
        if row2:
            total, n1, n2, n3 = row2
            d1, d2, d3 = self._d2
            c = self._cont2.get(key, 0)
            disc = d1 if c == 1 else d2 if c == 2 else d3 if c else 0.0
            p = max(c - disc, 0.0) / total + (d1 * n1 + d2 * n2 + d3 * n3) / total * p
        if len(self._cache2) > 500_000:
            self._cache2.clear()
        self._cache2[key] = p
        return p

    def _p3(self, row3: tuple[int, int, int, int], key: tuple[str, str, str], p2: float) -> float:
        total, n1, n2, n3 = row3
        d1, d2, d3 = self._d3
        c = self._trigrams.get(key, 0)
        disc = d1 if c == 1 else d2 if c == 2 else d3 if c else 0.0
        return max(c - disc, 0.0) / total + (d1 * n1 + d2 * n2 + d3 * n3) / total * p2

    def logprob(self, u: str, v: str, w: str) -> float:
        """log P(w | u v) under interpolated modified Kneser-Ney."""
        key = (u, v, w)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        p = self._p2(v, w)
        row3 = self._ctx3.get((u, v))
        if row3:
            p = self._p3(row3, key, p)
        lp = math.log(p) if p > 0 else _LOG_FLOOR
        if len(self._cache) > 500_000:
            self._cache.clear()
        self._cache[key] = lp
        return lp

    def forms(self, folded: str) -> list[str]:
        """Accented spellings seen in training for a folded syllable, most frequent first."""
        return self._forms.get(folded, [])

    def known(self, form: str) -> bool:
        return form in self._unigram

    # ---------------------------------------------------------------- restoration
    def restore(self, text: str) -> str:
        return self.analyse(text).text

    def restore_with_confidence(self, text: str) -> tuple[str, float]:
        result = self.analyse(text)
        return result.text, result.confidence

    def analyse(self, text: str) -> Restoration:
        """Restore `text` and report how sure the model is."""
        tokens = self.tokenize(normalize_tone(text))
        return self.decode_tokens(nfc(text) if tokens else text, tokens)

    def tokenize(
        self, text: str, candidates: Callable[[str], list[Candidate]] | None = None
    ) -> list[Token]:
        """Tokens of `text` with their readings: `candidates(raw)`, by default every seen
        accented form. With a custom `candidates` only pure numbers are copied as typed, so
        OCR tokens such as "S6" can still be read as words."""
        tokens: list[Token] = []
        last = 0
        for m in _TOKEN.finditer(text):
            raw = m.group(0)
            boundary = bool(_BOUNDARY.search(text[last : m.start()])) or not tokens
            last = m.end()
            number = _number_class(raw)
            if number == NUM or (number and candidates is None):
                tokens.append(Token(m.start(), m.end(), raw, "num", [Candidate(number)], boundary))
                continue
            cands = (candidates or self.candidates)(raw)
            tokens.append(Token(m.start(), m.end(), raw, "word", cands, boundary))
        self.add_case_penalties(tokens)
        return tokens

    def add_case_penalties(self, tokens: list[Token]) -> None:
        """Weigh each token's candidates by how well they fit the case it was typed in."""
        evidence = case_evidence([t.raw for t in tokens], [t.boundary_before for t in tokens])
        for tok, cap in zip(tokens, evidence, strict=True):
            if cap is None or len(tok.cands) < 2:
                continue
            tok.cands = [
                Candidate(c.form, c.logw + self.case_logprob(c.form, cap))
                if c.form not in (NUM, CODE)
                else c
                for c in tok.cands
            ]

    def candidates(self, raw: str) -> list[Candidate]:
        """Readings of one alphabetic token; an accented token already known stays as typed."""
        low = raw.lower()
        if raw.isupper() and len(raw) > 1:
            acronym = _ACRONYM_BY_FOLD.get(fold(raw))
            if acronym:
                return [Candidate(acronym.lower())]
        if _has_mark(raw) and self.known(low):
            return [Candidate(low)]
        forms = self.forms(fold(raw))[: self.max_candidates]
        if not forms:
            return [Candidate(low)]
        return [Candidate(f) for f in forms]

    def decode_tokens(
        self, text: str, tokens: list[Token], *, marginals: bool = False
    ) -> Restoration:
        """Viterbi over `tokens` (spans of `text`), then splice the chosen forms into `text`.

        With `marginals`, forward-backward instead: each token takes its most probable form
        over every reading of the sentence (which maximises the expected number of right
        syllables) and its `Reading` carries that probability.
        """
        if not tokens:
            return Restoration(text, 1.0, 0, 0)
        chosen: list[str] = []
        probs: list[float] = []
        posteriors: list[float] = []
        for segment in _segments(tokens):
            if marginals:
                best = [max(m.items(), key=lambda kv: kv[1]) for m in self._marginals(segment)]
                forms = [form for form, _ in best]
                posteriors += [p for _, p in best]
                cands = [[c.form for c in tok.cands] for tok in segment]
                p = self._posteriors(
                    [tok.cands for tok in segment],
                    [options.index(f) for options, f in zip(cands, forms, strict=True)],
                    forms,
                )
            else:
                forms, p = self._viterbi(segment)
            chosen += forms
            probs += p

        out: list[str] = []
        readings: list[Reading] = []
        last = 0
        scored, unknown, total_p = 0, 0, 0.0
        for i, (tok, form, prob) in enumerate(zip(tokens, chosen, probs, strict=True)):
            out.append(text[last : tok.start])
            last = tok.end
            if tok.kind == "num" or form in (NUM, CODE):
                out.append(tok.raw)
                continue
            shown = _apply_case(tok.raw, form)
            out.append(shown)
            if marginals:
                raw = text[tok.start : tok.end]  # as typed, before tone normalisation
                readings.append(Reading(tok.start, tok.end, raw, shown, posteriors[i]))
            scored += 1
            if not self.known(form):
                unknown += 1
                # Unknown: an all-caps run of consonants is an acronym ("GD"), fine as typed;
                # a marked or capitalised token may be a name; the rest is unrestorable noise.
                if tok.raw.isupper() and not _VOWEL.search(fold(tok.raw)):
                    prob = 1.0
                else:
                    prob = 0.5 if (_has_mark(tok.raw) or tok.raw.isupper()) else 0.0
            total_p += prob
        out.append(text[last:])
        confidence = total_p / scored if scored else 1.0
        return Restoration("".join(out), confidence, scored, unknown, tuple(readings))

    def _marginals(self, seg: list[Token]) -> list[dict[str, float]]:
        """P(form at i | the whole segment) for every candidate form, by forward-backward over
        the lattice `_viterbi` searches (states: pairs of neighbouring candidates).

        Unlike `_posteriors`, which trusts the chosen neighbours, this sums over their
        alternatives too: a form that wins only if a doubtful neighbour is right scores low.
        Probabilities, not logs, rescaled at each position (the scale cancels out): the sums
        then cost a multiplication each.
        """
        p2, p3, ctx3 = self._p2, self._p3, self._ctx3
        forms = [[c.form for c in tok.cands] for tok in seg]
        weights = [[math.exp(c.logw) for c in tok.cands] for tok in seg]
        n = len(seg)
        floor = math.exp(-self.margin)

        def context(i: int, a: int) -> str:
            return forms[i][a] if i >= 0 and a >= 0 else BOS

        # alpha[i][(a, b)]: mass of the paths with candidate a at i-1 and b at i.
        first = {
            (-1, j): math.exp(self.logprob(BOS, BOS, f)) * weights[0][j]
            for j, f in enumerate(forms[0])
        }
        alpha: list[dict[tuple[int, int], float]] = [self._prune_mass(first, floor)]
        for i in range(1, n):
            by_b: dict[int, list[tuple[int, float]]] = defaultdict(list)
            for (a, b), mass in alpha[-1].items():
                by_b[b].append((a, mass))
            cur: dict[tuple[int, int], float] = {}
            for b, states in by_b.items():
                v = forms[i - 1][b]
                plain = 0.0
                seen: list[tuple[float, str, tuple[int, int, int, int]]] = []
                for a, mass in states:
                    u = context(i - 2, a)
                    row = ctx3.get((u, v))
                    if row is None:
                        plain += mass  # unseen (u, v): P(w | u v) = P(w | v) for all such u
                    else:
                        seen.append((mass, u, row))
                for k, w in enumerate(forms[i]):
                    pw = p2(v, w)
                    total = plain * pw
                    for mass, u, row in seen:
                        total += mass * p3(row, (u, v, w), pw)
                    cur[(b, k)] = total * weights[i][k]
            alpha.append(self._prune_mass(cur, floor))
        # beta[i][(a, b)]: mass of the continuations of state (a, b) to </s>.
        beta: list[dict[tuple[int, int], float]] = [{} for _ in range(n)]
        beta[n - 1] = {
            (a, b): math.exp(self.logprob(context(n - 2, a), forms[n - 1][b], EOS))
            for a, b in alpha[n - 1]
        }
        for i in range(n - 2, -1, -1):
            nxt: dict[int, list[tuple[int, float]]] = defaultdict(list)
            for (b, k), mass in beta[i + 1].items():
                nxt[b].append((k, mass * weights[i + 1][k]))
            plain_cache: dict[int, float] = {}
            layer: dict[tuple[int, int], float] = {}
            for a, b in alpha[i]:
                u, v = context(i - 1, a), forms[i][b]
                row = ctx3.get((u, v))
                if row is None and b in plain_cache:
                    layer[(a, b)] = plain_cache[b]
                    continue
                total = 0.0
                for k, mass in nxt.get(b, ()):
                    w = forms[i + 1][k]
                    pw = p2(v, w)
                    total += mass * (pw if row is None else p3(row, (u, v, w), pw))
                layer[(a, b)] = total
                if row is None:
                    plain_cache[b] = total
            top = max(layer.values(), default=0.0)
            beta[i] = {k: m / top for k, m in layer.items()} if top > 0 else layer
        out: list[dict[str, float]] = []
        for i in range(n):
            joint: dict[int, float] = defaultdict(float)
            for state, mass in alpha[i].items():
                joint[state[1]] += mass * beta[i].get(state, 0.0)
            z = sum(joint.values())
            probs: dict[str, float] = {}
            for b, mass in joint.items():
                # Two candidates may share a form (case penalties keep both): add them up.
                probs[forms[i][b]] = probs.get(forms[i][b], 0.0) + (mass / z if z > 0 else 0.0)
            out.append(probs)
        return out

    def _prune_mass(
        self, states: dict[tuple[int, int], float], floor: float
    ) -> dict[tuple[int, int], float]:
        """Rescale to a best state of 1 and keep the Viterbi's beam: states below `floor`
        (e^-margin) of the best carry no mass worth summing."""
        top = max(states.values(), default=0.0)
        if top <= 0:
            return states
        kept = [(k, m / top) for k, m in states.items() if m >= top * floor]
        if len(kept) > self.beam:
            kept.sort(key=lambda kv: kv[1], reverse=True)
            kept = kept[: self.beam]
        return dict(kept)

    def _viterbi(self, seg: list[Token]) -> tuple[list[str], list[float]]:
        """Best forms for one sentence-like segment, plus each form's local posterior.

        Exact second-order Viterbi made cheap by the model's structure: when the trigram
        context (u, v) was never seen, P(w | u v) = P(w | v), so all such u share one max.
        """
        log, p2, p3, ctx3 = math.log, self._p2, self._p3, self._ctx3
        cands = [tok.cands for tok in seg]
        # layers[i][(a, b)] = (score, index of the candidate before a); a = -1 is <s>.
        first = {
            (-1, j): (self.logprob(BOS, BOS, c.form) + c.logw, -1) for j, c in enumerate(cands[0])
        }
        layers: list[dict[tuple[int, int], tuple[float, int]]] = [first]
        for i in range(1, len(seg) + 1):
            prev = layers[-1]
            prev_forms = [c.form for c in cands[i - 2]] if i >= 2 else [BOS]
            cur_cands = cands[i] if i < len(seg) else [Candidate(EOS)]
            by_b: dict[int, list[tuple[int, float]]] = defaultdict(list)
            for (a, b), (score, _) in prev.items():
                by_b[b].append((a, score))
            cur: dict[tuple[int, int], tuple[float, int]] = {}
            for b, states in by_b.items():
                v = cands[i - 1][b].form
                plain_a, plain_score = -2, -math.inf
                seen: list[tuple[int, float, str, tuple[int, int, int, int]]] = []
                for a, score in states:
                    u = prev_forms[a] if a >= 0 else BOS
                    row = ctx3.get((u, v))
                    if row is None:
                        if score > plain_score:
                            plain_a, plain_score = a, score
                    else:
                        seen.append((a, score, u, row))
                for k, c in enumerate(cur_cands):
                    w = c.form
                    pw = p2(v, w)
                    best_s, best_a = plain_score + (log(pw) if pw > 0 else _LOG_FLOOR), plain_a
                    for a, score, u, row in seen:
                        q = p3(row, (u, v, w), pw)
                        s = score + (log(q) if q > 0 else _LOG_FLOOR)
                        if s > best_s:
                            best_s, best_a = s, a
                    if best_a == -2:
                        continue
                    best_s += c.logw
                    old = cur.get((b, k))
                    if old is None or best_s > old[0]:
                        cur[(b, k)] = (best_s, best_a)
            if len(cur) > self.beam:
                # Beam: states far below the best never win in practice.
                top = max(v[0] for v in cur.values())
                kept = [kv for kv in cur.items() if kv[1][0] >= top - self.margin]
                if len(kept) > self.beam:
                    kept.sort(key=lambda kv: kv[1][0], reverse=True)
                    kept = kept[: self.beam]
                cur = dict(kept)
            layers.append(cur)
        # The last layer holds (last candidate, </s>) states; walk the back-pointers.
        (b, _), (_, a) = max(layers[-1].items(), key=lambda kv: kv[1][0])
        n = len(seg)
        idx = [0] * n
        idx[n - 1] = b
        for i in range(n - 1, 0, -1):
            idx[i - 1] = a
            a = layers[i][(a, idx[i])][1]
        forms = [cands[i][idx[i]].form for i in range(n)]
        return forms, self._posteriors(cands, idx, forms)

    def _posteriors(
        self, cands: list[list[Candidate]], idx: list[int], forms: list[str]
    ) -> list[float]:
        """P(chosen form at i | chosen neighbours), a cheap per-syllable confidence."""
        lp = self.logprob
        n = len(forms)
        ctx = [BOS, BOS, *forms, EOS]
        out: list[float] = []
        for i in range(n):
            if len(cands[i]) == 1:
                out.append(1.0)
                continue
            u, v = ctx[i], ctx[i + 1]
            nxt = ctx[i + 3]
            nxt2 = ctx[i + 4] if i + 4 < len(ctx) else None
            scores = []
            for c in cands[i]:
                s = lp(u, v, c.form) + c.logw + lp(v, c.form, nxt)
                if nxt2 is not None:
                    s += lp(c.form, nxt, nxt2)
                scores.append(s)
            top = max(scores)
            z = sum(math.exp(s - top) for s in scores)
            out.append(math.exp(scores[idx[i]] - top) / z)
        return out

    # ---------------------------------------------------------------- persistence
    def save(self, path: str | Path) -> None:
        """Write the trigram counts as gzip'd JSON (the rest is derived on load)."""
        vocab = sorted({w for key in self._trigrams for w in key})
        ids = {w: i for i, w in enumerate(vocab)}
        rows = [[ids[u], ids[v], ids[w], c] for (u, v, w), c in self._trigrams.items()]
        payload = {
            "format": "motcua-diacritic-restorer",
            "version": FORMAT_VERSION,
            "min_line_ratio": self.min_line_ratio,
            "max_candidates": self.max_candidates,
            "beam": self.beam,
            "margin": self.margin,
            "vocab": vocab,
            "trigrams": rows,
            "case": self._case,
        }
        with gzip.open(Path(path), "wt", encoding="utf-8") as fh:
            json.dump(payload, fh, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def load(cls, path: str | Path) -> DiacriticRestorer:
        with gzip.open(Path(path), "rt", encoding="utf-8") as fh:
            payload = json.load(fh)
        if payload.get("format") != "motcua-diacritic-restorer":
            raise ValueError(f"{path}: not a diacritic restorer model")
        if payload.get("version") != FORMAT_VERSION:
            raise ValueError(f"{path}: unsupported model version {payload.get('version')}")
        model = cls(payload["min_line_ratio"], payload["max_candidates"])
        model.beam, model.margin = payload.get("beam", model.beam), payload.get("margin", 25.0)
        vocab = payload["vocab"]
        model._trigrams = Counter(
            {(vocab[u], vocab[v], vocab[w]): c for u, v, w, c in payload["trigrams"]}
        )
        model._case = {k: list(v) for k, v in payload.get("case", {}).items()}
        model._build()
        return model

    @property
    def size(self) -> int:
        """Number of distinct trigrams (a rough size of the model)."""
        return len(self._trigrams)
