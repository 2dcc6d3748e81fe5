"""The lexical index built from a stream of token ids scores exactly as the list-based build
it replaced, in memory and memory-mapped from its saved files."""

from __future__ import annotations

from pathlib import Path

import bm25s
import numpy as np
import pytest

from motcua.evaluation import FORMS, load_questions
from motcua.index.lexical import LexicalIndex, query_tokens, tokens
from motcua.index.term_table import TermTable
from motcua.ingest.chunking import chunk_text
from tests.conftest import SHARED

SEEDS = ["000_5348ec65c6d4a033", "002_a3b05bab0daef918", "004_6c8115b2801e23a2"]


def _shared(relative: str) -> Path:
    path = SHARED / relative
    if not path.is_file():
        pytest.fail(f"test file missing: {path} (the customer's files live in {SHARED})")
    return path


@pytest.fixture(scope="module")
def passages() -> list[str]:
    """Real passages: a scanned plan (000, OCR) and two clean ones, as chunking cuts them."""
    texts = []
    for seed in SEEDS:
        text = _shared(f"seeds/{seed}.txt").read_text(encoding="utf-8")
        texts += [chunk.text for chunk in chunk_text(text)]
    return texts


@pytest.fixture(scope="module")
def questions() -> list[str]:
    asked = load_questions(_shared("eval/dev.jsonl"))
    return [q.asked(form) for q in asked for form in FORMS]


def _list_based(texts: list[str]) -> bm25s.BM25:
    """How LexicalIndex built its index before: a list of token strings per passage."""
    bm25 = bm25s.BM25()
    bm25.index([tokens(t) for t in texts], show_progress=False)
    return bm25


def test_the_streamed_index_scores_exactly_like_the_list_based_one(
    passages: list[str], questions: list[str]
) -> None:
    reference = _list_based(passages)
    streamed = LexicalIndex.build(iter(passages))  # a one-pass iterator, as the build reads
    assert streamed.size == len(passages) > 50
    matched = 0
    for question in questions:
        expected = np.asarray(reference.get_scores(query_tokens(question)), dtype=np.float32)
        found = streamed.scores(question)
        assert found.dtype == np.float32
        assert np.array_equal(found, expected), question
        matched += bool(expected.max() > 0)
    assert matched > len(questions) * 0.9, "the questions share words with the plans"


def test_the_saved_index_is_memory_mapped_and_scores_the_same(
    passages: list[str], questions: list[str], tmp_path: Path
) -> None:
    built = LexicalIndex.build(passages)
    built.save(tmp_path / "lexical")
    loaded = LexicalIndex.load(tmp_path / "lexical")
    mapped = Path("/proc/self/maps").read_text()
    assert str(tmp_path / "lexical" / "data.csc.index.npy") in mapped
    assert str(tmp_path / "lexical" / "vocabulary.keys.npy") in mapped
    for question in questions:
        assert np.array_equal(loaded.scores(question), built.scores(question)), question


def test_an_empty_query_or_index_scores_zero(passages: list[str], tmp_path: Path) -> None:
    index = LexicalIndex.build(passages)
    for query in ("", "???", "🙂", "xyzzyq plughq"):  # no word, or none the passages hold
        scores = index.scores(query)
        assert scores.shape == (len(passages),) and not scores.any(), query
    empty = LexicalIndex.build([])
    assert empty.size == 0 and empty.scores("hồ sơ").shape == (0,)
    empty.save(tmp_path / "empty")
    assert LexicalIndex.load(tmp_path / "empty").scores("hồ sơ").shape == (0,)


def test_an_index_of_another_format_is_not_read(passages: list[str], tmp_path: Path) -> None:
    LexicalIndex.build(passages[:5]).save(tmp_path / "lexical")
    meta = tmp_path / "lexical" / "lexical.json"
    meta.write_text(meta.read_text().replace('"format": 1', '"format": 0'))
    with pytest.raises(ValueError, match="format"):
        LexicalIndex.load(tmp_path / "lexical")


def test_a_term_table_finds_every_term_and_nothing_else(tmp_path: Path) -> None:
    counts = {t: i for i, t in enumerate(tokens("Hồ sơ chuyển trường gồm đơn xin chuyển trường"))}
    table = TermTable.from_mapping(counts)
    table.save(tmp_path, "t")
    for found in (table, TermTable.load(tmp_path, "t")):
        assert dict(found.items()) == counts
        assert all(found.get(t) == v for t, v in counts.items())
        assert "chuyen_truong" in found and "truong_chuyen" not in found
        assert found.get("truong_chuyen", 0) == 0


def test_terms_sharing_a_hash_stay_apart(monkeypatch: pytest.MonkeyPatch) -> None:
    from motcua.index import term_table

    monkeypatch.setattr(term_table, "_key", lambda encoded: 7)  # every term collides
    table = TermTable.from_mapping({"ho": 1, "so": 2, "ho_so": 3})
    assert [table.get(t) for t in ("ho", "so", "ho_so", "nop")] == [1, 2, 3, term_table.MISSING]
