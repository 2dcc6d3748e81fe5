"""Extractive answers: the sentences of the best passages that answer the question.

No language model: sentences are ranked by how much of the question's content they cover
(rare words weigh more), and quoted with their source so a parent can act on them and staff
can check them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from motcua.bot.answering.evidence import TermWeights, content_terms, coverage
from motcua.index.build import FACTS_SECTION, SIGNATURE_SECTION
from motcua.ingest.chunking import is_row_section
from motcua.ingest.cleaning import sentences
from motcua.text import folded_words
from motcua.types import Hit

MAX_SENTENCES = 3
MAX_QUOTE_CHARS = 900
TYPED = 1.25  # weight of a sentence holding the kind of fact asked


@dataclass
class Extract:
    hit: Hit
    sentences: list[str]
    score: float

    @property
    def quote(self) -> str:
        return " ".join(self.sentences)


def _units(text: str) -> list[str]:
    units: list[str] = []
    for line in text.split("\n"):
        units.extend(sentences(line))
    return units


# "6. ", "1.2. ", "III. ", "b) ", "Điều 10. ": the numbering of a part or an item.
_NUMBERED = re.compile(
    r"^(?:\d+(?:\.\d+)*\.?|[IVXLC]+\.|[a-zđ]\)|(?i:điều|chương|mục|phần) [\dIVXLC]+[a-z]?\.?)\s"
)
NUMBERED_HEADING_CHARS = 320  # plans title items at length ("4. Tổ chức đối thoại, tọa đàm …")


def _is_heading(unit: str) -> bool:
    """A unit that names a part rather than saying something: "Điều 4.", "3. Chuyên trang…",
    "6. Liên đoàn Lao động tỉnh, Tỉnh Đoàn, Hội Liên hiệp Phụ nữ…" (what they do follows)."""
    text = unit.strip()
    if len(text) < 15:
        return True
    letters = [c for c in text if c.isalpha()]
    if letters and all(c.isupper() for c in letters):
        return True
    ends = text.endswith((".", ";", ":", "!", "?"))
    if _NUMBERED.match(text) and len(text) < NUMBERED_HEADING_CHARS and not ends:
        return True
    return len(text) < 60 and not ends


def _with_body(units: list[str], index: int, chosen: set[int]) -> list[int]:
    """A unit plus what it needs to say something: the body under a heading, the items of a
    list it introduces ("…các hành vi sau đây:"), up to the quote limit."""
    picked = [index]
    length = len(units[index])
    listing = units[index].rstrip().endswith(":")
    need_body = _is_heading(units[index])
    j = index + 1
    while (need_body or listing) and j < len(units) and length < MAX_QUOTE_CHARS:
        if j not in chosen:
            picked.append(j)
            length += len(units[j])
        if units[j].rstrip().endswith(":"):
            listing = True
        elif not _is_heading(units[j]):
            need_body = False
        j += 1
    return picked


def extract(
    question: str,
    hit: Hit,
    weights: TermWeights,
    known: str = "",
    limit: int = MAX_SENTENCES,
    fits: Callable[[str], bool] | None = None,
) -> Extract:
    """Best sentences of one passage, in document order.

    `known` is what the reader already knows of the source (its title, number, section): words
    of the question found there pick the document, not the sentence that answers, so they do
    not count when sentences are ranked. When every word of the question is of that kind
    ("nguyên tắc kiểm soát thủ tục hành chính" under the article of that name), the passage
    itself is the answer and its opening sentences are quoted. `fits` says whether a sentence
    holds the kind of fact asked (a date, an amount…): such a sentence ranks as if it covered
    a quarter more.
    """
    known_terms = set(folded_words(known))
    terms = [t for t in content_terms(question) if t not in known_terms]
    if hit.chunk.section in (FACTS_SECTION, SIGNATURE_SECTION) or is_row_section(hit.chunk.section):
        # Quoted whole. A table row: its caption, unit and group lines say what its figures
        # are, and its fields line is the fact (sentence-picking kept the headings). A
        # document's particulars (number, subject, date, signer) and its closing block
        # (recipients, signing title): the words they share with the question are the
        # document's own name, which ranking sets aside ("quyết định 715 thuộc lĩnh vực
        # nào": its subject).
        lines = [line for line in hit.chunk.shown.split("\n") if line.strip()]
        score = coverage(terms, set(folded_words(hit.chunk.searchable)), weights)
        return Extract(hit, lines, score)
    units = _units(hit.chunk.shown)
    if not units:
        return Extract(hit, [], 0.0)
    # Sentences are ranked by the repair's best reading of an OCR chunk (a syllable shown as
    # scanned still matches) and quoted as shown; both split alike unless the repair changed
    # a sentence boundary, and then the shown text ranks too.
    matched = _units(hit.chunk.searchable)
    if len(matched) != len(units):
        matched = units
    scored = [
        (
            coverage(terms, set(folded_words(unit)), weights)
            * (TYPED if fits and fits(unit) else 1),
            i,
        )
        for i, unit in enumerate(matched)
    ]
    if not any(score for score, _ in scored):
        scored = [(0.0 if _is_heading(unit) else 1.0, i) for i, unit in enumerate(units)]
    scored.sort(key=lambda pair: (-pair[0], pair[1]))
    best_score = scored[0][0]
    chosen: set[int] = set()
    picked_units = 0
    for score, i in scored:
        if picked_units >= limit or (chosen and (score < best_score * 0.5 or score == 0)):
            break
        if i in chosen:
            continue
        block = _with_body(units, i, chosen)
        if chosen and sum(len(units[j]) for j in chosen | set(block)) > MAX_QUOTE_CHARS:
            continue
        chosen.update(block)
        picked_units += 1
    return Extract(hit, [units[i] for i in sorted(chosen)], best_score)
