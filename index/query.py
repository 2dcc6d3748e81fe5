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
from motcua.text import fold

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
    level = reading.level
    levels = [level] if level and level.lower() not in core.lower() else []
    added = list(levels)
    # The documents' word for each synonym typed, unless the question already has it.
    for canonical in reading.values("synonym"):
        if not reading.says(canonical):
            added.append(canonical)
    # The embedder also gets, in brackets, what the lexicon read that the question does not
    # say in the documents' words: the level a grade implies, the procedure a move names
    # ("chuyển từ Bình Dương về" is a transfer, "chuyển trường").
    unsaid = [a for a in reading.actions if not reading.says(fold(a))]
    added += unsaid
    hints = levels + unsaid
    dense_text = f"{core} ({', '.join(hints)})" if hints else core
    text = " ".join([core, *added])
    return PreparedQuery(text, dense_text, reading.text != reading.asked, reading)
