"""Preparing a question for retrieval.

The question is read by the lexicon's normalizer first: chat spellings expanded, diacritics
restored when typed without (dense retrieval collapses on unmarked text), politeness dropped
("ad ơi cho em hỏi", "ạ"). Lexical search also gets the documents' words for the synonyms
typed ("web" → "trang thông tin điện tử") and the school level a grade implies ("lớp 7" →
THCS), since documents name levels that way.
"""

from __future__ import annotations

from dataclasses import dataclass

from motcua.lexicon import Normalized, normalize
from motcua.lexicon.normalize import Restorer

__all__ = ["PreparedQuery", "Restorer", "prepare", "school_level"]


@dataclass
class PreparedQuery:
    text: str  # what lexical search sees
    dense_text: str  # what the embedder sees (restored when typed without diacritics)
    restored: bool
    reading: Normalized | None = None


def school_level(question: str) -> str | None:
    """The school level a question names ("lớp 7", "cấp 3", "THPT"), the last one if several."""
    return normalize(question).level


def prepare(question: str, restorer: Restorer | None) -> PreparedQuery:
    reading = normalize(question, restorer)
    core = reading.core
    added = []
    level = reading.level
    if level and level.lower() not in core.lower():
        added.append(level)
    # The documents' word for each synonym typed, unless the question already has it.
    for canonical in reading.values("synonym"):
        if not reading.says(canonical):
            added.append(canonical)
    dense_text = f"{core} ({level})" if level and level.lower() not in core.lower() else core
    text = " ".join([core, *added])
    return PreparedQuery(text, dense_text, reading.text != reading.asked, reading)
