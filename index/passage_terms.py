"""How many passages hold each word: what weighs a question's words against the index.

The answering code (bot.evidence, bot.answerability) reads three counts over the chunks, each
of syllables and adjacent-syllable pairs ("a_b"). At 100k chunks each is millions of terms, so
they are counted once when an index version is built and mapped by its workers (see
`index.search_files`); an index without them counts them in memory, the same way.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from pathlib import Path

from motcua.index.term_table import TermTable
from motcua.ingest.restoration.spelling import normalize_tone
from motcua.text import folded_words, kept_per_passage, words
from motcua.types import Chunk

Tokenizer = Callable[[str], list[str]]


def accented_words(text: str) -> list[str]:
    """Lower-case syllables with their marks (one tone placement): "phở" and "phố" differ."""
    return list(_accented_words(text))


@kept_per_passage
def _accented_words(text: str) -> tuple[str, ...]:
    return tuple(normalize_tone(w.lower()) for w in words(text))


def evidence_text(chunk: Chunk) -> str:
    # OCR chunks are weighed on their full repair (what search matches), not the cautious
    # text shown to readers.
    return f"{chunk.section or ''}\n{chunk.searchable}"


@dataclass(frozen=True)
class DocumentFrequencies:
    """How many of `passages` texts hold each syllable and each pair of adjacent syllables."""

    table: TermTable
    passages: int

    @classmethod
    def count(cls, texts: Iterable[str], tokenize: Tokenizer) -> DocumentFrequencies:
        """One pass over `texts`: a generator keeps no list of them."""
        df: Counter[str] = Counter()
        passages = 0
        for text in texts:
            syllables = tokenize(text)
            df.update(set(syllables))
            df.update({f"{a}_{b}" for a, b in zip(syllables, syllables[1:], strict=False)})
            passages += 1
        return cls(TermTable.from_mapping(df), passages)

    def get(self, term: str) -> int:
        return self.table.get(term, 0)

    def __contains__(self, term: str) -> bool:
        return term in self.table

    def save(self, folder: Path, name: str) -> None:
        self.table.save(folder, name)
        (folder / f"{name}.json").write_text(json.dumps({"passages": self.passages}))

    @classmethod
    def load(cls, folder: Path, name: str) -> DocumentFrequencies:
        passages = json.loads((folder / f"{name}.json").read_text())["passages"]
        return cls(TermTable.load(folder, name), int(passages))


@dataclass(frozen=True)
class TermView:
    """Which text of a chunk is counted, and how it is cut into words."""

    name: str
    text: Callable[[Chunk], str]
    tokenize: Tokenizer

    def count(self, chunks: Iterable[Chunk]) -> DocumentFrequencies:
        return DocumentFrequencies.count((self.text(c) for c in chunks), self.tokenize)


# The passage's own words: which passage of a document answers, which sentence, table rows.
TEXT = TermView("text", lambda c: c.text, folded_words)
# Heading, text and repaired reading, folded: whether the knowledge base answers at all.
EVIDENCE = TermView(
    "evidence", lambda c: f"{c.section or ''}\n{c.text}\n{c.searchable}", folded_words
)
# The same with marks kept ("phở" is not "phố").
ACCENTED = TermView("accented", evidence_text, accented_words)
VIEWS = (TEXT, EVIDENCE, ACCENTED)


@dataclass(frozen=True)
class PassageTerms:
    text: DocumentFrequencies
    evidence: DocumentFrequencies
    accented: DocumentFrequencies

    @classmethod
    def count(cls, chunks: Collection[Chunk]) -> PassageTerms:
        """In memory, for an index built before these counts were stored with it."""
        return cls(*(view.count(chunks) for view in VIEWS))

    @classmethod
    def load(cls, folder: Path) -> PassageTerms:
        return cls(*(DocumentFrequencies.load(folder, view.name) for view in VIEWS))
