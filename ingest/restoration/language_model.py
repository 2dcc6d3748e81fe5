"""The restorer's language model: syllable trigram counts, their Kneser-Ney smoothing, the
accented forms seen for each folded syllable, how often each form is capitalised, and the
file the counts are saved in."""

from __future__ import annotations

import gzip
import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Self

from motcua.ingest.restoration.spelling import (
    _BOUNDARY,
    _TOKEN,
    _misspelt,
    _number_class,
    case_evidence,
    normalize_tone,
)
from motcua.ingest.restoration.word_lists import default_training_text
from motcua.text import diacritic_ratio, fold

__all__ = ["SyllableTrigramModel"]

FORMAT_VERSION = 1
BOS, EOS = "<s>", "</s>"
_LOG_FLOOR = -30.0


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


class SyllableTrigramModel:
    """Syllable trigram model with interpolated modified Kneser-Ney smoothing, and how
    often each form is capitalised inside a sentence: what `DiacriticRestorer` decodes
    with. Saved and loaded as one file, with the decoding options."""

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
    def train(cls, texts: Iterable[str], *, with_default: bool = True, **options: Any) -> Self:
        """A model fitted on `texts` and, by default, `default_training_text()`.

        `options` go to the constructor (min_line_ratio, max_candidates, beam, margin).
        """
        model = cls(**options)
        if with_default:
            model._count_wordlist(default_training_text(), weight=1)
        return model.fit(texts)

    def fit(self, texts: Iterable[str]) -> Self:
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

    def add_wordlist(self, entries: Iterable[str], weight: int = 1) -> Self:
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
    def load(cls, path: str | Path) -> Self:
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
