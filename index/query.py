"""Preparing a question for retrieval.

Dense retrieval collapses on questions typed without diacritics, so such questions are
restored before they are embedded; lexical search always uses the folded form.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

from motcua.text import diacritic_ratio

log = logging.getLogger(__name__)

ACCENTLESS_RATIO = 0.15


class Restorer(Protocol):
    def restore(self, text: str) -> str: ...


class PyviRestorer:
    """pyvi's CRF accent restorer; it raises on some inputs, so failures fall back to input."""

    def restore(self, text: str) -> str:
        try:
            from pyvi import ViUtils

            restored = ViUtils.add_accents(text)
        except Exception as exc:  # noqa: BLE001 - pyvi raises KeyError and others on odd input
            log.debug("pyvi could not restore %r: %s", text, exc)
            return text
        return restored if isinstance(restored, str) else text


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
