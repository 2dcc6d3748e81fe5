"""Preparing a question for retrieval.

Dense retrieval collapses on questions typed without diacritics, so such questions are
restored before they are embedded; lexical search always uses the folded form.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from motcua.text import diacritic_ratio

ACCENTLESS_RATIO = 0.15


class Restorer(Protocol):
    def restore(self, text: str) -> str: ...


@dataclass
class PreparedQuery:
    text: str  # as typed
    dense_text: str  # what the embedder sees (restored when typed without diacritics)
    restored: bool


def prepare(question: str, restorer: Restorer | None) -> PreparedQuery:
    text = " ".join(question.split())
    if restorer is not None and diacritic_ratio(text) < ACCENTLESS_RATIO:
        restored = restorer.restore(text)
        return PreparedQuery(text, restored, restored != text)
    return PreparedQuery(text, text, False)
