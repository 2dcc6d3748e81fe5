"""Repair of OCR'd Vietnamese before diacritic restoration.

Scans of Vietnamese plans lose or mangle the marked vowels: "ứ" comes out as "ir", "ổ" as "6",
"ă"/"â" as "i", "ụ" as "y", "Đ" as "P", "của" as "ctia"/"ciia"/"cta". Each OCR token gets the
candidates reachable by at most two such confusions (applied to its folded spelling) that the
language model knows; the restorer's Viterbi then ranks them with the confusion cost as a
penalty, so context decides between "nim"→"năm" and a genuine "nim".

A reader must not be shown invented words ("nhận thức" as "nhận thuế"), so what is displayed
keeps a syllable as scanned unless the posterior of its repair, summed over every reading of
the sentence (forward-backward), reaches `min_posterior`: chosen in
`python -m benchmarks.restoration` so that on held-out OCR lines 99% of the displayed changes
are right.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from motcua.ingest.restoration.restorer import (
    Candidate,
    DiacriticRestorer,
    Reading,
    Restoration,
)
from motcua.ingest.restoration.spelling import _VOWEL, CODE, normalize_tone
from motcua.ingest.restoration.word_lists import _ACRONYM_BY_FOLD
from motcua.text import fold, nfc

__all__ = [
    "Confusion",
    "DEFAULT_CONFUSIONS",
    "MIN_POSTERIOR",
    "OcrRepairer",
    "Shown",
    "keep_unsure_raw",
]

# Chosen on half of the aligned OCR lines of the seeds (benchmarks.restoration prints the
# choice and the other half's precision): the lowest posterior at which at least 99.5% of
# the changes made there are right, a half-point margin for the lines it was not chosen on.
MIN_POSTERIOR = 0.65


@dataclass(frozen=True)
class Shown:
    """What a reader is shown of an OCR line: repaired where the model is sure, raw elsewhere."""

    text: str
    repaired: int  # syllables shown changed
    kept_raw: int  # syllables the repair would change but was unsure of, shown as scanned
    best: str = ""  # every syllable at its likeliest reading, sure or not: for search only


def keep_unsure_raw(
    text: str, readings: Sequence[Reading], min_posterior: float, best: str = ""
) -> Shown:
    """`text` (the decoded text the readings index) with each changed syllable whose posterior
    is below `min_posterior` put back as it was typed."""
    out: list[str] = []
    last, repaired, kept = 0, 0, 0
    for r in readings:
        if r.shown == r.raw:
            continue
        out.append(text[last : r.start])
        last = r.end
        if r.posterior >= min_posterior:
            out.append(r.shown)
            repaired += 1
        else:
            out.append(r.raw)
            kept += 1
    out.append(text[last:])
    return Shown("".join(out), repaired, kept, best)


@dataclass(frozen=True)
class Confusion:
    """OCR wrote `seen` where the folded text had `meant`; `cost` is a penalty in nats."""

    seen: str
    meant: str
    cost: float
    anchor: str = ""  # "" anywhere, "start" at the token start, "whole" the whole token


def _c(seen: str, meant: str, cost: float, anchor: str = "") -> Confusion:
    return Confusion(seen, meant, cost, anchor)


# Folded confusions observed in scanned plans. Cheaper = seen more often.
# fmt: off
DEFAULT_CONFUSIONS: tuple[Confusion, ...] = (
    # ư/ứ/ử/ữ: "chirc" chức, "chtrc" chức, "gitta" giữa, "vitng" vững, "dimg" đứng, "tng" ứng
    _c("ir", "u", 1.5), _c("tr", "u", 3.0), _c("uir", "u", 2.0), _c("it", "u", 3.0),
    _c("tt", "u", 2.5), _c("im", "u", 3.0), _c("mg", "ng", 1.5), _c("ue", "u", 3.0),
    _c("w", "u", 2.0), _c("t", "u", 3.5, "start"),
    # ủ/ũ/ụ: "ctia"/"ciia"/"cila"/"clia"/"cuia"/"cta" của, "phi1"/"pha" phủ, "vy" vụ
    _c("ti", "u", 2.0), _c("ii", "u", 2.0), _c("il", "u", 2.5), _c("li", "u", 2.5),
    _c("ui", "u", 2.0), _c("i1", "u", 2.0), _c("i", "u", 3.0), _c("t", "u", 3.5),
    _c("a", "u", 4.5), _c("y", "u", 2.0), _c("y", "", 3.5),
    # ă/â/á/ã: "nim"/"n3m"/"ndm" năm, "cip" cấp, "x4" xã, "phéap" pháp
    _c("i", "a", 2.5), _c("3", "a", 2.0), _c("4", "a", 2.0), _c("d", "a", 3.0), _c("e", "a", 3.0),
    _c("ea", "a", 2.0), _c("ia", "a", 3.0),
    # ô/ơ/ố/ổ/ộ: "s6" số, "td" tổ, "bg" bộ, "nudc" nước, "dugc"/"duogc" được, "TUQONG"/"TUQNG" TƯỢNG
    _c("6", "o", 1.5), _c("0", "o", 2.5), _c("d", "o", 3.0), _c("b", "o", 3.0), _c("g", "o", 3.0),
    _c("e", "o", 3.0), _c("og", "o", 2.5), _c("e6", "o", 2.0), _c("o6", "o", 2.0),
    _c("q", "", 3.0), _c("q", "o", 3.0), _c("do", "o", 3.0),
    # Đ: "Pao tao" Đào tạo, "DPoi" Đổi, "dd" for đ, "Bang" Đảng
    _c("p", "d", 2.5, "start"), _c("dp", "d", 1.5, "start"), _c("b", "d", 4.0, "start"),
    _c("dd", "d", 2.0),
    # letters read as digits or symbols: "16ng" lồng, "1a" là, "nd1" nội
    _c("1", "l", 2.0), _c("1", "i", 2.0), _c("ee", "e", 1.0), _c("e", "c", 3.0),
    # a dropped vowel: "S GD&ĐT" Sở GD&ĐT
    _c("s", "so", 3.0, "whole"),
)
# fmt: on

# Symbols that OCR puts where a marked vowel was ("nhi€ém", "hi¢u", "ga‘in").
_SYMBOL_E = re.compile(r"(?<=[^\W\d_])[€¢]")
_SYMBOL_QUOTE = re.compile(r"(?<=[^\W\d_])[‘’'`](?=[^\W\d_])")
_YEN = re.compile(r"¥")
# "15thang", "04ndm": a number glued to a following word of three letters or more.
_GLUED_NUMBER = re.compile(r"(?<![\w/.,-])(\d{2,})(?=[^\W\d_]{3,})")


class OcrRepairer:
    """Confusion candidates + the restorer's language model for OCR'd Vietnamese."""

    def __init__(
        self,
        restorer: DiacriticRestorer,
        confusions: Iterable[Confusion] = DEFAULT_CONFUSIONS,
        *,
        max_edits: int = 2,
        max_cost: float = 6.0,
        min_posterior: float = MIN_POSTERIOR,
        known_word_cost: float = 1.5,
    ) -> None:
        self.restorer = restorer
        self.confusions = tuple(confusions)
        self.max_edits = max_edits
        self.max_cost = max_cost
        self.known_word_cost = known_word_cost
        # A syllable's repair is shown only from this posterior on; below, the scan's form.
        self.min_posterior = min_posterior
        self._cache: dict[str, list[Candidate]] = {}

    # ------------------------------------------------------------------ public API
    def repair(self, text: str) -> Restoration:
        """The model's best reading of every syllable, sure or not, with each one's posterior
        in `readings` (spans of the cleaned text, see `clean`)."""
        return self._decode(self.clean(text))

    def for_display(self, text: str) -> Shown:
        """The repaired text with every syllable the model is unsure of left as scanned."""
        cleaned = self.clean(text)
        result = self._decode(cleaned)
        return keep_unsure_raw(cleaned, result.readings, self.min_posterior, result.text)

    def repair_for_display(self, text: str) -> tuple[str, bool]:
        """(text to show, whether any of its syllables was repaired)."""
        shown = self.for_display(text)
        return shown.text, shown.repaired > 0

    @staticmethod
    def clean(text: str) -> str:
        """Undo OCR artefacts that are not letter confusions: symbols, glued numbers."""
        text = nfc(text)
        text = _SYMBOL_E.sub("e", text)
        text = _SYMBOL_QUOTE.sub("", text)
        text = _YEN.sub("y", text)
        return _GLUED_NUMBER.sub(r"\1 ", text)

    def corrections(self, raw: str) -> dict[str, float]:
        """Folded spellings the LM knows, reachable from `raw` by confusions, with their cost."""
        start = fold(raw)
        best: dict[str, float] = {start: 0.0}
        frontier = {start: 0.0}
        for _ in range(self.max_edits):
            nxt: dict[str, float] = {}
            for s, cost in frontier.items():
                for conf in self.confusions:
                    for t in self._apply(conf, s):
                        c = cost + conf.cost
                        if c <= self.max_cost and c < best.get(t, float("inf")):
                            best[t] = nxt[t] = c
            frontier = nxt
        # A token that is already a real word was usually read right: corrections cost more.
        extra = self.known_word_cost if self.restorer.forms(start) else 0.0
        return {
            s: (c + extra if s != start else 0.0) for s, c in best.items() if self.restorer.forms(s)
        }

    def candidates(self, raw: str) -> list[Candidate]:
        """Readings of one OCR token: confusion corrections ranked later by the LM."""
        cached = self._cache.get(raw)
        if cached is not None:
            return cached
        out: list[Candidate] = []
        if raw.isupper() and len(raw) > 1:
            fixed = self.restorer.candidates(raw)
            if len(fixed) == 1 and fixed[0].form != raw.lower():
                out = fixed  # a listed acronym
            elif raw.isalpha() and not _VOWEL.search(fold(raw)):
                # No vowel, so no syllable: an acronym ("CB", "GD"), perhaps with Đ read as P.
                out = self._acronym(raw)
        if not out:
            has_digit = any(c.isdigit() for c in raw)
            limit = self.restorer.max_candidates
            for folded, cost in sorted(self.corrections(raw).items(), key=lambda kv: kv[1]):
                out.extend(Candidate(f, -cost) for f in self.restorer.forms(folded)[:limit])
            if has_digit:
                out.append(Candidate(CODE, -2.0))  # "S6" is usually "Số"; a real code stays
            else:
                # The scan's own spelling competes too (a name, a word the model lacks): when
                # the LM has little for a correction, the posterior then stays low.
                out.append(Candidate(raw.lower()))
        # Several confusion paths can reach one form: keep its cheapest.
        seen: dict[str, Candidate] = {}
        for cand in out:
            kept = seen.get(cand.form)
            if kept is None or cand.logw > kept.logw:
                seen[cand.form] = cand
        result = sorted(seen.values(), key=lambda c: -c.logw)[: 3 * self.restorer.max_candidates]
        if len(self._cache) > 50_000:
            self._cache.clear()
        self._cache[raw] = result
        return result

    # ------------------------------------------------------------------ internals
    def _decode(self, cleaned: str) -> Restoration:
        tokens = self.restorer.tokenize(normalize_tone(cleaned), self.candidates)
        return self.restorer.decode_tokens(cleaned, tokens, marginals=True)

    def _acronym(self, raw: str) -> list[Candidate]:
        """An all-caps token without vowels: itself, or a listed acronym with Đ read as P."""
        as_typed = Candidate(raw.lower())
        for conf in self.confusions:
            if conf.anchor != "start" or conf.meant != "d":
                continue
            for variant in self._apply(conf, fold(raw)):
                acronym = _ACRONYM_BY_FOLD.get(variant)
                if acronym:
                    # Listed first: on a tie (neither known to the LM) the acronym wins.
                    return [Candidate(acronym.lower()), as_typed]
        return [as_typed]

    @staticmethod
    def _apply(conf: Confusion, s: str) -> list[str]:
        if conf.anchor == "whole":
            return [conf.meant] if s == conf.seen else []
        if conf.anchor == "start":
            return [conf.meant + s[len(conf.seen) :]] if s.startswith(conf.seen) else []
        out = []
        i = s.find(conf.seen)
        while i >= 0:
            out.append(s[:i] + conf.meant + s[i + len(conf.seen) :])
            i = s.find(conf.seen, i + 1)
        return out
