"""FAISS index types (exact, HNSW, IVF) over one set of vectors: build cost and per-question
timings of the retrieval path with each, with recall@10 against the exact search."""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable

import faiss
import numpy as np

from benchmarks.common import QUESTION_FILES
from benchmarks.host import least_disturbed
from benchmarks.latency import percentile
from benchmarks.memory import status_mb

TOP_K = 10
SEARCH_SETTINGS: dict[str, list[int]] = {"flat": [0], "hnsw": [64, 256], "ivf": [16, 64]}
POOL = 40  # lexical candidates, as HybridRetriever's pool


def build_faiss(kind: str, vectors: np.ndarray) -> faiss.Index:
    dim = vectors.shape[1]
    if kind == "flat":
        index = faiss.IndexFlatIP(dim)
    elif kind == "hnsw":
        index = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = 64
    else:
        nlist = int(2 * np.sqrt(len(vectors)))
        index = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, nlist, faiss.METRIC_INNER_PRODUCT)
        rng = np.random.default_rng(5)
        train = vectors[rng.choice(len(vectors), min(len(vectors), 40 * nlist), replace=False)]
        index.train(train)
    index.add(vectors)
    return index


def search_setting(kind: str, index: faiss.Index, value: int) -> str:
    """Apply a search-time setting and name the configuration."""
    if kind == "hnsw":
        index.hnsw.efSearch = value
        return f"HNSW M=32 efC=64 efSearch={value}"
    if kind == "ivf":
        index.nprobe = value
        return f"IVFFlat nlist={index.nlist} nprobe={value}"
    return "FlatIP (exact)"


def disk_mb(index: faiss.Index) -> float:
    with tempfile.NamedTemporaryFile(suffix=".faiss") as tmp:
        faiss.write_index(index, tmp.name)
        return round(os.path.getsize(tmp.name) / 2**20, 1)


def stats(values: list[float]) -> dict:
    return {
        "p50_ms": round(percentile(values, 0.5), 2),
        "p95_ms": round(percentile(values, 0.95), 2),
    }


def top(scores: np.ndarray, k: int) -> np.ndarray:
    k = min(k, len(scores))
    part = np.argpartition(-scores, k - 1)[:k]
    return part[np.argsort(-scores[part])]


Prepare = Callable[[str], object]  # question -> PreparedQuery (text, dense_text)


def questions() -> list[str]:
    from motcua.evaluation import FORMS, load_questions

    return [q.asked(f) for q in load_questions(*QUESTION_FILES) for f in FORMS]


def compare_faiss(
    kinds: list[str],
    vectors: np.ndarray,
    lexical_scores: Callable[[str], np.ndarray],
    prepare: Prepare,
    embed: Callable[[list[str]], np.ndarray],
) -> tuple[dict, list[dict]]:
    """Each FAISS index type over `vectors`: (its build figures, per-configuration timings)."""
    indexes: dict[str, faiss.Index] = {}
    built: dict[str, dict] = {}
    for kind in kinds:
        before, started = status_mb(), time.perf_counter()
        indexes[kind] = build_faiss(kind, vectors)
        built[kind] = {
            "build_seconds": round(time.perf_counter() - started, 2),
            "rss_growth_mb": round(status_mb() - before, 1),
            "disk_mb": disk_mb(indexes[kind]),
        }
    asked = questions()

    def retrieve(question: str, index: faiss.Index) -> tuple[np.ndarray, list[float]]:
        """The retrieval path with a FAISS dense side: each step timed (ms)."""
        t0 = time.perf_counter()
        prepared = prepare(question)
        t1 = time.perf_counter()
        query = embed([prepared.dense_text])  # type: ignore[attr-defined]
        t2 = time.perf_counter()
        top(lexical_scores(prepared.text), POOL)  # type: ignore[attr-defined]
        t3 = time.perf_counter()
        _, ids = index.search(query, TOP_K)
        t4 = time.perf_counter()
        return ids[0], [(t1 - t0) * 1000, (t2 - t1) * 1000, (t3 - t2) * 1000, (t4 - t3) * 1000]

    configs: list[dict] = []
    exact: list[np.ndarray] | None = None
    for kind in kinds:
        for value in SEARCH_SETTINGS[kind]:
            label = search_setting(kind, indexes[kind], value)
            retrieve(asked[0], indexes[kind])

            def run(index: faiss.Index = indexes[kind]) -> list[tuple[np.ndarray, list[float]]]:
                return [retrieve(question, index) for question in asked]

            measured, share, runs = least_disturbed(run)
            found = [ids for ids, _ in measured]
            steps = [step for _, step in measured]
            if kind == "flat":
                exact = found
            row = {
                "kind": kind,
                "config": label,
                "prepare": stats([s[0] for s in steps]),
                "embed_query": stats([s[1] for s in steps]),
                "bm25": stats([s[2] for s in steps]),
                "dense_search": stats([s[3] for s in steps]),
                "retrieval": stats([sum(s) for s in steps]),
                "others_cpu_share": share,
                "runs": runs,
            }
            if exact is not None:
                overlap = [
                    len(set(a.tolist()) & set(b.tolist())) / TOP_K
                    for a, b in zip(found, exact, strict=True)
                ]
                row["recall@10_vs_exact"] = round(float(np.mean(overlap)), 3)
            configs.append(row)
    return built, configs
