"""Search files: an index version carries its vectors, lexical index and word counts as files
that workers memory-map; they answer exactly as building everything in memory did, and a
version written before them still loads (in memory, with a warning)."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import numpy as np
import pytest

from motcua.bot.answering.loading import load_responder, resolve_index
from motcua.evaluation import FORMS, load_questions
from motcua.index.builds import build_version, ingest_into_index
from motcua.index.passage_terms import VIEWS, PassageTerms
from motcua.index.search_files import SEARCH, open_search_files
from motcua.index.store import IndexStore
from tests.conftest import SHARED, make_settings

SCANNED, CLEAN = "000_5348ec65c6d4a033", "004_6c8115b2801e23a2"  # an OCR'd plan, a clean one
ASKED_ELSEWHERE = ["Thủ tục chuyển trường cho học sinh trung học cơ sở cần giấy tờ gì?"]


def _seed(name: str) -> Path:
    path = SHARED / "seeds" / f"{name}.txt"
    if not path.is_file():
        pytest.fail(f"test document missing: {path} (the customer's files live in {SHARED})")
    return path


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two real plans and the built-in cards, built as `motcua ingest` builds a version."""
    index_dir = tmp_path_factory.mktemp("search-files") / "index"
    report = ingest_into_index([_seed(SCANNED), _seed(CLEAN)], make_settings(index_dir), True)
    assert report.added and not report.failed
    return index_dir


@pytest.fixture(scope="module")
def questions() -> list[str]:
    """The development questions on these two plans, out-of-scope ones, a card's; both forms."""
    path = SHARED / "eval" / "dev.jsonl"
    asked = [
        q
        for q in load_questions(path)
        if not q.expect_docs or {SCANNED, CLEAN} & set(q.expect_docs)
    ]
    return [q.asked(form) for q in asked for form in FORMS] + ASKED_ELSEWHERE


def _without_search_files(version: Path, target: Path) -> Path:
    """A copy of the version as the code before search files wrote it."""
    shutil.copytree(version, target, ignore=shutil.ignore_patterns(SEARCH))
    return target


def search_files_fit_their_store(version: Path) -> None:
    store = IndexStore.open(version)
    try:
        search = open_search_files(store)
        assert search is not None
        chunks = store.chunks()
        assert search.chunk_ids.tolist() == [c.chunk_id for c in chunks]
        assert search.vectors.shape == (len(chunks), store.manifest["dim"])
        for row in (0, len(chunks) // 2, len(chunks) - 1):
            expected = store.vectors.reconstruct(int(search.chunk_ids[row]))
            assert np.array_equal(search.vectors[row], expected)
        assert search.lexical.size == len(chunks)
        counted = PassageTerms.count(chunks)
        for view in VIEWS:
            stored, fresh = getattr(search.terms, view.name), getattr(counted, view.name)
            assert stored.passages == fresh.passages == len(chunks)
            assert dict(stored.table.items()) == dict(fresh.table.items()), view.name
    finally:
        store.close()


# The index of two real plans takes 40-60 s to embed on a busy 2-core machine: the tests
# reading it are in the slow lane; the fast lane checks the session's cards index instead.
@pytest.mark.slow
def test_a_version_carries_search_files_that_fit_its_store(index_dir: Path) -> None:
    search_files_fit_their_store(resolve_index(index_dir))


def test_the_cards_index_carries_search_files_that_a_worker_maps(
    cards_index: Path, cards_responder
) -> None:
    """The fast lane's check: the session's cards index, which its loaded responder maps."""
    version = resolve_index(cards_index)
    search_files_fit_their_store(version)
    mapped = Path("/proc/self/maps").read_text()
    for name in ("vectors.npy", "lexical/data.csc.index.npy", "terms/evidence.keys.npy"):
        assert str(version / SEARCH / name) in mapped, name
    assert cards_responder.retriever.lexical.size == len(cards_responder.index.chunks)


@pytest.mark.slow
def test_a_worker_maps_the_files_instead_of_copying_them(index_dir: Path) -> None:
    responder = load_responder(make_settings(index_dir))
    search = resolve_index(index_dir) / SEARCH
    mapped = Path("/proc/self/maps").read_text()
    for name in (
        "vectors.npy",
        "lexical/data.csc.index.npy",
        "lexical/vocabulary.keys.npy",
        "terms/evidence.keys.npy",
    ):
        assert str(search / name) in mapped, name
    assert responder.index_terms.folded.seen("tuyen_truyen")


@pytest.mark.slow
def test_mapped_files_answer_exactly_as_building_in_memory(
    index_dir: Path, questions: list[str], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    mapped = load_responder(make_settings(index_dir))
    old = _without_search_files(resolve_index(index_dir), tmp_path / "old-index")
    with caplog.at_level(logging.WARNING, logger="motcua.index.search_files"):
        built = load_responder(make_settings(old))
    assert "no search files" in caplog.text
    assert len(questions) > 20
    for responder in (mapped, built):
        responder.retriever.warm(questions)  # one batch of query embeddings, not one by one
    answered = 0
    for i, question in enumerate(questions):
        query = mapped.retriever.prepare(question)
        ours, theirs = mapped.retriever.retrieve(query, k=20), built.retriever.retrieve(query, k=20)
        assert np.array_equal(ours.lexical, theirs.lexical), question
        assert np.array_equal(ours.dense, theirs.dense), question
        # The signals read the word counts: the same probability, to the last bit.
        judged, rejudged = mapped.judge(question), built.judge(question)
        assert judged.probability == rejudged.probability, question
        assert judged.hits == rejudged.hits, question
        if i % 2 == 0:  # answers (passage and sentence choice weigh words too), half the list
            answer = mapped.answer(question)
            assert answer == built.answer(question), question
            answered += not answer.refused
    assert answered > len(questions) // 6


@pytest.mark.slow
def test_search_files_of_another_store_state_are_not_read(
    index_dir: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(resolve_index(index_dir), copy)
    manifest = copy / SEARCH / "manifest.json"
    found = json.loads(manifest.read_text())
    manifest.write_text(json.dumps({**found, "store_version": found["store_version"] - 1}))
    store = IndexStore.open(copy)
    try:
        with caplog.at_level(logging.WARNING, logger="motcua.index.search_files"):
            assert open_search_files(store) is None
    finally:
        store.close()
    assert "do not fit" in caplog.text and "store_version" in caplog.text
    # Loading still works, built in memory.
    assert load_responder(make_settings(copy)).retriever.lexical.size == found["chunks"]


@pytest.mark.slow
def test_deleting_a_document_writes_the_new_versions_search_files(index_dir: Path) -> None:
    copy = index_dir.parent / "delete-from"
    shutil.copytree(resolve_index(index_dir), copy)  # an unversioned index: the base
    settings = make_settings(copy)
    result = build_version(settings, delete=[CLEAN])
    assert result.changed == {CLEAN: None} and result.version is not None
    store = IndexStore.open(result.version.directory)
    try:
        search = open_search_files(store)
        assert search is not None
        assert (
            len(search.chunk_ids)
            == store.chunk_count()
            < json.loads((copy / SEARCH / "manifest.json").read_text())["chunks"]
        )
    finally:
        store.close()
