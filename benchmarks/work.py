"""Work per question beyond the query embedding, in process (issue 18 item 6).

The development questions of `benchmarks.speed` (dev + dev-corpus, both forms) go through the
question pipeline (`QuestionPipeline.ask`: curated answers, dialogue, responder, question log
on SQLite), once each, after a warm-up on other questions (dev-realistic), as a server's
caches are warm with other people's questions. Query embeddings are made beforehand and kept
in benchmarks/out/work-embeddings.npz, so only the work beyond the one model call is timed.

On a shared or virtual machine the milliseconds vary by a tenth from run to run; the count of
instructions does not. Run under callgrind, the asks alone are counted: they run inside a
callback of libc's `qsort`, and collection is switched on only within `qsort_r`:

    python -m benchmarks.work
    PYTHONHASHSEED=0 OMP_NUM_THREADS=1 valgrind --tool=callgrind --collect-atstart=no \
        --toggle-collect=qsort_r --callgrind-out-file=/tmp/work.cg python -m benchmarks.work
    # "Collected : N" is the instructions of all the asks: divide by the questions printed
"""

from __future__ import annotations

import argparse
import ctypes
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from benchmarks.answerability import cards_index
from benchmarks.common import OUT, SHARED, machine, require_shared, write_json
from benchmarks.latency import percentile
from benchmarks.speed import speed_questions
from motcua.index.embedders import Embedder

EMBEDDINGS = OUT / "work-embeddings.npz"


def inside_qsort(work: Callable[[], None]) -> None:
    """Run `work` inside libc's qsort (two elements, one comparison), so that callgrind can
    count it alone (see the module's docstring)."""
    libc = ctypes.CDLL("libc.so.6")
    compare_type = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)
    done: list[bool] = []

    def compare(_a: int, _b: int) -> int:
        if not done:
            done.append(True)
            work()
        return 0

    items = (ctypes.c_int * 2)(1, 2)
    libc.qsort(items, 2, ctypes.sizeof(ctypes.c_int), compare_type(compare))


class KeptEmbeddings:
    """An embedder whose query vectors come from a file where they were kept (made by the
    embedder itself on the first run): under callgrind the model is never run."""

    def __init__(self, inner: Embedder, texts: list[str]) -> None:
        self.inner = inner
        kept: dict[str, np.ndarray] = {}
        if EMBEDDINGS.is_file():
            with np.load(EMBEDDINGS) as data:
                kept = dict(zip(data["texts"].tolist(), data["vectors"], strict=True))
        missing = [t for t in dict.fromkeys(texts) if t not in kept]
        if missing:
            kept.update(zip(missing, inner.embed_queries(missing), strict=True))
            OUT.mkdir(parents=True, exist_ok=True)
            vectors = np.stack(list(kept.values()))
            np.savez(EMBEDDINGS, texts=np.array(list(kept)), vectors=vectors)
        self.kept = kept

    @property
    def id(self) -> str:
        return self.inner.id

    @property
    def dim(self) -> int:
        return self.inner.dim

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        if all(t in self.kept for t in texts):
            return np.stack([self.kept[t] for t in texts])
        return self.inner.embed_queries(texts)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self.inner.embed_passages(texts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--index-dir", type=Path, default=OUT / "index-seeds-corpus-cards")
    args = parser.parse_args()
    require_shared()

    from motcua.bot.answering.loading import load_responder
    from motcua.bot.answering.pipeline import Question, open_pipeline
    from motcua.evaluation import FORMS, load_questions
    from motcua.settings import Settings
    from motcua.storage.database import Database

    cards_index(args.index_dir)
    asked = speed_questions()
    others = [
        q.asked(f) for q in load_questions(SHARED / "eval" / "dev-realistic.jsonl") for f in FORMS
    ]
    with tempfile.TemporaryDirectory(prefix="motcua-work-") as tmp:
        settings = Settings(index_dir=args.index_dir, data_dir=Path(tmp), _env_file=None)
        responder = load_responder(settings)
        retriever = responder.retriever
        dense = [retriever.prepare(q).dense_text for q in asked + others]
        retriever.embedder = KeptEmbeddings(retriever.embedder, dense)
        database = Database.open(settings)
        pipeline = open_pipeline(settings, database, responder)
        for question in others:
            pipeline.ask(Question(question))
        timings: list[float] = []

        def answer_all() -> None:
            for question in asked:
                started = time.perf_counter()
                pipeline.ask(Question(question))
                timings.append((time.perf_counter() - started) * 1000)

        inside_qsort(answer_all)
        pipeline.close()
        database.close()
    p50, mean = percentile(timings, 0.5), sum(timings) / len(timings)
    print(
        f"{len(timings)} questions, work beyond the query embedding: p50 {p50:.2f} ms, "
        f"mean {mean:.2f} ms"
    )
    write_json(
        "work",
        {
            "machine": machine(),
            "questions": len(timings),
            "p50_ms": round(p50, 2),
            "mean_ms": round(mean, 2),
        },
    )


if __name__ == "__main__":
    main()
