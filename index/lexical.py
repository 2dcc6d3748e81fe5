"""BM25 over folded Vietnamese syllables plus syllable bigrams.

Folding (no diacritics, đ→d, lower case) makes "chuyen truong" and "chuyển trường" one key and
survives OCR that dropped the marks; bigrams keep multi-syllable words ("thủ tục") together.

The index is built from a stream of texts: each text's tokens become integer ids in one flat
array as it is read (a list of token strings per passage cost about 24 KB a chunk at 100k
chunks), and bm25s scores them with its scipy backend. Saved, its score matrix is `.npy` files
that workers memory-map, and its vocabulary a `TermTable`, mapped too.
"""

from __future__ import annotations

import json
from array import array
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import bm25s
import numpy as np
from bm25s.tokenization import Tokenized

from motcua.index.term_table import MISSING, TermTable
from motcua.ingest.chunking import contextual_text
from motcua.text import folded_words
from motcua.types import Chunk, DocumentMeta

# Bumped when tokens() or the scoring changes: saved indexes of another format are not read.
FORMAT = 1
_META = "lexical.json"
_VOCABULARY = "vocabulary"

# Function words that carry no topic, and parents' filler ("con tôi cần…"); query side only.
QUERY_STOPWORDS = frozenset(
    {
        "a",
        "ai",
        "anh",
        "ban",
        "bao",
        "cac",
        "can",
        "chi",
        "cho",
        "co",
        "con",
        "cua",
        "dau",
        "de",
        "do",
        "duoc",
        "em",
        "gi",
        "hay",
        "hoac",
        "khong",
        "kia",
        "la",
        "len",
        "ma",
        "minh",
        "mot",
        "nao",
        "nay",
        "nhe",
        "nhieu",
        "nhu",
        "nhung",
        "oi",
        "ra",
        "sao",
        "tai",
        "the",
        "theo",
        "thi",
        "toi",
        "trong",
        "va",
        "vay",
        "ve",
        "voi",
    }
)


def tokens(text: str) -> list[str]:
    syllables = folded_words(text)
    return syllables + [f"{a}_{b}" for a, b in zip(syllables, syllables[1:], strict=False)]


def query_tokens(text: str) -> list[str]:
    syllables = folded_words(text)
    bigrams = [f"{a}_{b}" for a, b in zip(syllables, syllables[1:], strict=False)]
    return [s for s in syllables if s not in QUERY_STOPWORDS] + bigrams


def lexical_text(meta: DocumentMeta, chunk: Chunk) -> str:
    """What BM25 reads of a chunk: OCR chunks are searchable by their raw and their repaired
    words alike."""
    return contextual_text(
        meta, chunk.section, f"{chunk.text}\n{chunk.repaired or chunk.readable or ''}"
    )


class _Passages(Sequence[list[int]]):
    """The token ids of each passage, as bm25s reads a corpus (it passes over it three
    times), made one passage at a time from the flat array."""

    def __init__(self, ids: array, ends: array) -> None:
        self._ids, self._ends = ids, ends

    def __len__(self) -> int:
        return len(self._ends)

    def __getitem__(self, i: int) -> list[int]:  # type: ignore[override]
        start = self._ends[i - 1] if i else 0
        return self._ids[start : self._ends[i]].tolist()

    def __iter__(self) -> Iterator[list[int]]:
        start = 0
        for end in self._ends:
            yield self._ids[start:end].tolist()
            start = end


class LexicalIndex:
    def __init__(self, bm25: bm25s.BM25 | None, vocabulary: TermTable, size: int) -> None:
        self._bm25 = bm25
        self._vocabulary = vocabulary  # token -> column of the score matrix
        self.size = size

    @classmethod
    def build(cls, texts: Iterable[str]) -> LexicalIndex:
        vocabulary: dict[str, int] = {}
        ids = array("i")
        ends = array("q")
        for text in texts:
            ids.extend(vocabulary.setdefault(t, len(vocabulary)) for t in tokens(text))
            ends.append(len(ids))
        bm25 = None
        if vocabulary:
            bm25 = bm25s.BM25(csc_backend="scipy")
            bm25.index(
                Tokenized(ids=_Passages(ids, ends), vocab=vocabulary),
                create_empty_token=False,
                show_progress=False,
            )
            # Queries are looked up in the compact table below; bm25s's own dict and id set
            # would hold every token a second and a third time.
            bm25.vocab_dict, bm25.unique_token_ids_set = {}, set()
        return cls(bm25, TermTable.from_mapping(vocabulary), len(ends))

    def scores(self, query: str) -> np.ndarray:
        found = query_tokens(query)
        if self._bm25 is None or not found:  # "???", an emoji: no word matches any passage
            return np.zeros(self.size, dtype=np.float32)
        # Unknown tokens are left out and the others kept in the query's order, as bm25s's
        # own lookup does: the same sum in the same order, so the same float32 scores.
        columns = [c for t in found if (c := self._vocabulary.get(t)) != MISSING]
        return np.asarray(self._bm25.get_scores_from_ids(columns), dtype=np.float32)

    # -- files ---------------------------------------------------------------------------
    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        if self._bm25 is not None:
            self._bm25.save(folder, show_progress=False)  # the matrix as .npy, no vocabulary
        self._vocabulary.save(folder, _VOCABULARY)
        meta = {"format": FORMAT, "size": self.size, "bm25": self._bm25 is not None}
        (folder / _META).write_text(json.dumps(meta), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        """The saved index with its arrays memory-mapped (ValueError: another format)."""
        meta = json.loads((folder / _META).read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT:
            raise ValueError(f"lexical index format {meta.get('format')}, not {FORMAT}")
        bm25 = None
        if meta["bm25"]:
            bm25 = bm25s.BM25.load(folder, mmap=True, load_vocab=False, show_progress=False)
        return cls(bm25, TermTable.load(folder, _VOCABULARY), int(meta["size"]))
