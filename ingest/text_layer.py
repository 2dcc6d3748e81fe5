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

import gzip
import json
import logging
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from motcua.ingest.ocr_repair import OcrRepairer, Shown
from motcua.ingest.restoration.restorer import DiacriticRestorer
from motcua.text import diacritic_ratio

log = logging.getLogger(__name__)

RESTORER_FILE = "restorer.json.gz"
SHOWN_FILE = "shown-lines.json.gz"  # scans' headings and titles as repaired when built
# Running Vietnamese has ~0.8 of its syllables marked; the customer's OCR scans ~0.2.
OCR_RATIO = 0.5


def is_ocr_text(text: str) -> bool:
    """Text whose diacritics were mostly lost (OCR output or typed without marks)."""
    return diacritic_ratio(text) < OCR_RATIO


class TextLayer:
    def __init__(self, restorer: DiacriticRestorer, kept: dict[str, Shown] | None = None) -> None:
        self.restorer = restorer
        self.repairer = OcrRepairer(restorer)
        # Titles and section headings are shown with every answer that cites them: those of
        # the index are repaired when it is built (`keep`), others once per process.
        self._kept = dict(kept or {})
        self._line = lru_cache(maxsize=8192)(self._repair_line)

    @classmethod
    def train(cls, texts: Iterable[str]) -> TextLayer:
        return cls(DiacriticRestorer.train(list(texts)))

    @classmethod
    def load(cls, index_dir: Path) -> TextLayer:
        path = Path(index_dir) / RESTORER_FILE
        if path.exists():
            try:
                return cls(DiacriticRestorer.load(path), _read_kept(Path(index_dir) / SHOWN_FILE))
            except ValueError as exc:
                log.warning("ignoring unreadable %s: %s", path, exc)
        # An index built before restoration existed: the shipped word list alone.
        return cls.train([])

    def save(self, index_dir: Path) -> None:
        self.restorer.save(Path(index_dir) / RESTORER_FILE)
        rows = [[line, s.text, s.repaired, s.kept_raw, s.best] for line, s in self._kept.items()]
        with gzip.open(Path(index_dir) / SHOWN_FILE, "wt", encoding="utf-8") as out:
            json.dump(rows, out, ensure_ascii=False)

    def keep(self, texts: Iterable[str]) -> None:
        """Repair the lines of `texts` now and save them with the layer, so that answering
        never repairs them while a question waits (a scan's headings and titles)."""
        for text in texts:
            for line in text.split("\n"):
                if line.strip():
                    self._kept[line] = self._line(line)

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
        kept = self._kept.get(line)
        if kept is not None:
            return kept
        return self.repairer.for_display(line) if line.strip() else Shown(line, 0, 0, line)


def _read_kept(path: Path) -> dict[str, Shown]:
    """The lines a build repaired (none for an index built before they were kept)."""
    if not path.exists():
        return {}
    try:
        with gzip.open(path, "rt", encoding="utf-8") as src:
            return {row[0]: Shown(*row[1:]) for row in json.load(src)}
    except (OSError, ValueError, TypeError, IndexError) as exc:
        log.warning("ignoring unreadable %s: %s", path, exc)
        return {}
