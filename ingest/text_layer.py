"""The readable text layer: diacritic restoration and OCR repair, trained per index.

The restorer learns from the documents in the index (clean legal texts are good training
text) plus the word list shipped with pyvi, and is rebuilt whenever the index changes. It
serves three places: questions typed without diacritics (before dense retrieval), OCR chunks
(before they are embedded) and OCR sentences quoted in answers. What is shown keeps every
syllable whose repair the model is unsure of as scanned (`OcrRepairer.for_display`), so a
reader meets the scan's own spelling rather than an invented word; the raw text also stays
in the index and in citations.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from motcua.ingest.ocr_repair import OcrRepairer, Shown
from motcua.ingest.restoration.restorer import DiacriticRestorer
from motcua.text import diacritic_ratio

log = logging.getLogger(__name__)

RESTORER_FILE = "restorer.json.gz"
# Running Vietnamese has ~0.8 of its syllables marked; the customer's OCR scans ~0.2.
OCR_RATIO = 0.5


def is_ocr_text(text: str) -> bool:
    """Text whose diacritics were mostly lost (OCR output or typed without marks)."""
    return diacritic_ratio(text) < OCR_RATIO


class TextLayer:
    def __init__(self, restorer: DiacriticRestorer) -> None:
        self.restorer = restorer
        self.repairer = OcrRepairer(restorer)
        # Titles and section headings are shown with every answer that cites them.
        self._line = lru_cache(maxsize=8192)(self._repair_line)

    @classmethod
    def train(cls, texts: Iterable[str]) -> TextLayer:
        return cls(DiacriticRestorer.train(list(texts)))

    @classmethod
    def load(cls, index_dir: Path) -> TextLayer:
        path = Path(index_dir) / RESTORER_FILE
        if path.exists():
            try:
                return cls(DiacriticRestorer.load(path))
            except ValueError as exc:
                log.warning("ignoring unreadable %s: %s", path, exc)
        # An index built before restoration existed: the shipped word list alone.
        return cls.train([])

    def save(self, index_dir: Path) -> None:
        self.restorer.save(Path(index_dir) / RESTORER_FILE)

    def restore(self, text: str) -> str:
        """Accents for a question typed without them."""
        return self.restorer.restore(text)

    def readable(self, text: str) -> str:
        """OCR text repaired syllable by syllable where the model is sure, as scanned elsewhere."""
        return "\n".join(self._line(line).text for line in text.split("\n"))

    def views(self, text: str) -> tuple[str, str]:
        """(what a reader is shown, what search matches) of OCR text, from one repair: the
        second takes every syllable at its likeliest reading, sure or not."""
        lines = [self._line(line) for line in text.split("\n")]
        return "\n".join(s.text for s in lines), "\n".join(s.best for s in lines)

    def _repair_line(self, line: str) -> Shown:
        return self.repairer.for_display(line) if line.strip() else Shown(line, 0, 0, line)
