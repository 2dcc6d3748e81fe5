"""Preparing a question for retrieval.

Dense retrieval collapses on questions typed without diacritics, so such questions are
restored before they are embedded; lexical search always uses the folded form. Parents name a
school level by grade ("lớp 7", "cấp 3") while documents name it THCS/THPT: the level is added
to the question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from motcua.text import diacritic_ratio, fold

ACCENTLESS_RATIO = 0.15

# Grades 1-5 are primary, 6-9 lower secondary, 10-12 upper secondary (Luật Giáo dục 2019).
_GRADE = re.compile(r"\blop\s*(1[0-2]|[1-9])\b")
_LEVEL_BY_NUMBER = re.compile(r"\bcap\s*([123])\b")
_LEVEL_NAMES = {1: "tiểu học", 2: "THCS", 3: "THPT"}


class Restorer(Protocol):
    def restore(self, text: str) -> str: ...


@dataclass
class PreparedQuery:
    text: str  # as typed, plus the school level a grade implies (lexical search)
    dense_text: str  # what the embedder sees (restored when typed without diacritics)
    restored: bool


def school_level(question: str) -> str | None:
    """THCS/THPT/tiểu học implied by "lớp N" or "cấp N", when the question names it that way."""
    folded = fold(question)
    grade = _GRADE.search(folded)
    if grade:
        number = int(grade.group(1))
        return _LEVEL_NAMES[1 if number <= 5 else 2 if number <= 9 else 3]
    level = _LEVEL_BY_NUMBER.search(folded)
    return _LEVEL_NAMES[int(level.group(1))] if level else None


def prepare(question: str, restorer: Restorer | None) -> PreparedQuery:
    text = " ".join(question.split())
    dense_text = text
    if restorer is not None and diacritic_ratio(text) < ACCENTLESS_RATIO:
        dense_text = restorer.restore(text)
    level = school_level(text)
    if level and level.lower() not in text.lower():
        text, dense_text = f"{text} ({level})", f"{dense_text} ({level})"
    return PreparedQuery(text, dense_text, dense_text != text)
