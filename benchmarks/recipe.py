"""motcua's retrieval against the LangChain tutorial recipe and plain BM25, side by side.

Same documents (seeds + corpus), same questions (dev + dev-corpus, as written and with
diacritics stripped), same embedder. Rows:

- motcua hybrid: `HybridRetriever.search` (BM25 on folded syllables + e5, fused)
- motcua answer: the documents cited by the full extractive responder, in order
- LangChain recipe: `RecursiveCharacterTextSplitter(1000, 200)` + the embedder wrapped as a
  LangChain `Embeddings` + `FAISS.from_documents`, `similarity_search`
- BM25 alone: bm25s over folded syllables of the recipe's own chunks (no bigrams, no stopwords)
- motcua lexical side alone: its BM25 (folded syllables + bigrams, query stopwords) on its chunks
- dense alone: motcua's chunks and its prepared query, e5 similarity only

Rankings are deduplicated by document (a document counts at its best chunk's rank). "fact" is
the answer-fact rate of what each system shows first: motcua's answer, or a retrieval
baseline's whole top chunk. The
recipe's FAISS index is cached under benchmarks/out/recipe-faiss (faiss file + JSON, nothing
pickled) and rebuilt when the documents, the splitter settings or the embedder change.

    python -m benchmarks.recipe [--index-dir DIR] [--fresh]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings

from benchmarks.common import (
    DOCUMENT_DIRS,
    OUT,
    QUESTION_FILES,
    build_index,
    machine,
    require_shared,
    write_json,
)
from benchmarks.host import CpuWatch, check_quiet
from benchmarks.latency import percentile
from benchmarks.quality import ranked_docs
from motcua.evaluation import EvalQuestion, facts_ok
from motcua.index.embedders import Embedder

if TYPE_CHECKING:
    from langchain_community.vectorstores import FAISS

# langchain-community announces its own sunset on import; the recipe still uses it.
warnings.filterwarnings("ignore", message=".*langchain-community.*")

CHUNK_SIZE = 1000
CHUNK_OVERLAP = 200
DEPTH = 30  # chunks retrieved per question before deduplicating by document
EMBED_BATCH = 16
CACHE = OUT / "recipe-faiss"


class MotcuaEmbeddings(Embeddings):
    """A motcua embedder seen through LangChain's `Embeddings` interface."""

    def __init__(self, embedder: Embedder, batch: int = EMBED_BATCH) -> None:
        self.embedder = embedder
        self.batch = batch

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        rows: list[list[float]] = []
        for start in range(0, len(texts), self.batch):
            rows.extend(self.embedder.embed_passages(texts[start : start + self.batch]).tolist())
        return rows

    def embed_query(self, text: str) -> list[float]:
        return self.embedder.embed_queries([text])[0].tolist()


def source_files() -> list[Path]:
    from motcua.ingest.loaders import iter_files

    return list(iter_files(DOCUMENT_DIRS))


def load_documents(paths: Sequence[Path]) -> list[Document]:
    """The tutorial's loading step: one LangChain document per file, id = file stem."""
    from langchain_community.document_loaders import TextLoader

    documents = []
    for path in paths:
        for doc in TextLoader(str(path), encoding="utf-8").load():
            doc.metadata["doc_id"] = path.stem
            documents.append(doc)
    return documents


def split_documents(documents: list[Document]) -> list[Document]:
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP)
    return splitter.split_documents(documents)


def fingerprint(paths: Sequence[Path], embedder_id: str) -> str:
    from importlib.metadata import version

    digest = hashlib.sha256()
    digest.update(f"{CHUNK_SIZE}/{CHUNK_OVERLAP}/{embedder_id}".encode())
    digest.update(version("langchain-text-splitters").encode())
    for path in paths:
        digest.update(path.name.encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@dataclass
class Recipe:
    store: FAISS
    chunks: list[Document]
    ingest_seconds: float  # load + split + embed + index, when it was built
    cached: bool

    def ranking(self, question: str, depth: int = DEPTH) -> list[str]:
        seen: list[str] = []
        for doc in self.store.similarity_search(question, k=depth):
            if doc.metadata["doc_id"] not in seen:
                seen.append(doc.metadata["doc_id"])
        return seen

    def top_passage(self, question: str) -> str:
        found = self.store.similarity_search(question, k=1)
        return found[0].page_content if found else ""


def _save(store: FAISS, meta: dict, cache: Path) -> None:
    import faiss

    cache.mkdir(parents=True, exist_ok=True)
    rows = []
    for position in range(store.index.ntotal):
        key = store.index_to_docstore_id[position]
        doc = store.docstore.search(key)
        assert isinstance(doc, Document)
        rows.append({"id": key, "text": doc.page_content, "metadata": doc.metadata})
    faiss.write_index(store.index, str(cache / "index.faiss"))
    (cache / "chunks.json").write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    (cache / "meta.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")


def _load(embeddings: Embeddings, cache: Path) -> tuple[FAISS, list[Document]]:
    import faiss
    from langchain_community.docstore.in_memory import InMemoryDocstore
    from langchain_community.vectorstores import FAISS

    rows = json.loads((cache / "chunks.json").read_text(encoding="utf-8"))
    docs = [Document(page_content=r["text"], metadata=r["metadata"]) for r in rows]
    store = FAISS(
        embedding_function=embeddings,
        index=faiss.read_index(str(cache / "index.faiss")),
        docstore=InMemoryDocstore({r["id"]: d for r, d in zip(rows, docs, strict=True)}),
        index_to_docstore_id={i: r["id"] for i, r in enumerate(rows)},
    )
    return store, docs


def load_recipe(embedder: Embedder, fresh: bool = False, cache: Path = CACHE) -> Recipe:
    """The recipe's vector store, from the cache when it matches the inputs, else built."""
    from langchain_community.vectorstores import FAISS

    paths = source_files()
    key = fingerprint(paths, embedder.id)
    embeddings = MotcuaEmbeddings(embedder)
    meta_path = cache / "meta.json"
    if not fresh and meta_path.exists():
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("fingerprint") == key:
            store, docs = _load(embeddings, cache)
            return Recipe(store, docs, meta["ingest_seconds"], cached=True)
    started, cpu = time.perf_counter(), time.process_time()
    with CpuWatch() as watch:
        chunks = split_documents(load_documents(paths))
        store = FAISS.from_documents(chunks, embeddings)
    seconds = time.perf_counter() - started
    meta = {
        "fingerprint": key,
        "ingest_seconds": round(seconds, 2),
        "ingest_cpu_seconds": round(time.process_time() - cpu, 2),
        "others_cpu_share": watch.others_share,
        "chunks": len(chunks),
    }
    _save(store, meta, cache)
    return Recipe(store, chunks, round(seconds, 2), cached=False)


class PlainBM25:
    """bm25s over folded syllables, nothing else (the usual lexical baseline)."""

    def __init__(self, chunks: list[Document]) -> None:
        import bm25s

        from motcua.text import folded_words

        self._fold = folded_words
        started = time.perf_counter()
        self.doc_ids = [c.metadata["doc_id"] for c in chunks]
        self.texts = [c.page_content for c in chunks]
        self.bm25 = bm25s.BM25()
        self.bm25.index([folded_words(c.page_content) for c in chunks], show_progress=False)
        self.ingest_seconds = time.perf_counter() - started

    def scores(self, question: str) -> np.ndarray:
        return np.asarray(self.bm25.get_scores(self._fold(question)), dtype=np.float32)

    def ranking(self, question: str) -> list[str]:
        return ranked_docs(self.doc_ids, self.scores(question), depth=DEPTH)

    def top_passage(self, question: str) -> str:
        return self.texts[int(np.argmax(self.scores(question)))]


def fact_rate(questions: list[EvalQuestion], passage: Callable[[str], str], form: str) -> float:
    """Share of in-scope questions whose expected facts are in the text a system shows first:
    motcua's answer, or a retrieval baseline's whole top chunk (a generous reading for them)."""
    in_scope = [q for q in questions if not q.expect_refused]
    found = sum(facts_ok(q, passage(q.asked(form))) for q in in_scope)
    return round(found / max(len(in_scope), 1), 3)


def timed(rank: Callable[[str], list[str]], timings: list[float]) -> Callable[[str], list[str]]:
    def wrapper(question: str) -> list[str]:
        started = time.perf_counter()
        result = rank(question)
        timings.append((time.perf_counter() - started) * 1000)
        return result

    return wrapper


def latency(timings: list[float]) -> dict:
    return {
        "p50_ms": round(percentile(timings, 0.5), 2),
        "p95_ms": round(percentile(timings, 0.95), 2),
        "mean_ms": round(statistics.fmean(timings), 2),
    }


ROWS = {
    "hybrid": "motcua hybrid",
    "answer": "motcua answer (cited docs)",
    "recipe": "LangChain recipe",
    "bm25": "BM25 alone (recipe chunks)",
    "lexical": "motcua lexical side alone",
    "dense": "dense alone (motcua chunks)",
}


def print_table(forms: dict) -> None:
    print(f"{'':30s}" + "".join(f"|{form:^32s}" for form in forms))
    print(f"{'system':30s}" + "|   hit@1   hit@5     MRR    fact" * len(forms))
    for key, label in ROWS.items():
        cells = "".join(
            "|" + "".join(f"{forms[f][key][m]:8.3f}" for m in ("hit@1", "hit@5", "mrr", "fact"))
            for f in forms
        )
        print(f"{label:30s}{cells}")


def print_latency(latencies: dict) -> None:
    print(f"{'per question, ms':30s}" + "".join(f"|{form:^16s}" for form in latencies))
    print(f"{'system':30s}" + "|     p50     p95" * len(latencies))
    for key, label in ROWS.items():
        cells = "".join(
            f"|{latencies[f][key]['p50_ms']:8.1f}{latencies[f][key]['p95_ms']:8.1f}"
            for f in latencies
        )
        print(f"{label:30s}{cells}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--index-dir", type=Path, default=OUT / "index-seeds-corpus")
    parser.add_argument("--fresh", action="store_true", help="rebuild the recipe's FAISS index")
    args = parser.parse_args()
    require_shared()

    from motcua.bot.answering.loading import load_responder
    from motcua.evaluation import FORMS, load_questions, score_rankings
    from motcua.settings import Settings

    ingest = build_index(args.index_dir)
    busy_before = check_quiet("before measuring")
    questions = load_questions(*QUESTION_FILES)
    responder = load_responder(Settings(index_dir=args.index_dir, _env_file=None))
    retriever = responder.retriever
    doc_ids = [c.doc_id for c in retriever.chunks]

    print("LangChain recipe: loading the cached index or embedding its chunks (minutes)...")
    recipe = load_recipe(retriever.embedder, fresh=args.fresh)
    bm25 = PlainBM25(recipe.chunks)

    def hybrid(question: str) -> list[str]:
        hits = retriever.search(question, k=DEPTH)
        return list(dict.fromkeys(h.chunk.doc_id for h in hits))

    def answer(question: str) -> list[str]:
        return [c.doc_id for c in responder.answer(question).citations]

    def lexical(question: str) -> list[str]:
        return ranked_docs(doc_ids, retriever.lexical_scores(retriever.prepare(question)), DEPTH)

    def top_chunk(scores: np.ndarray) -> str:
        return retriever.chunks[int(np.argmax(scores))].shown

    def dense(question: str) -> list[str]:
        return ranked_docs(doc_ids, retriever.dense_scores(retriever.prepare(question)), DEPTH)

    systems: dict[str, Callable[[str], list[str]]] = {
        "hybrid": hybrid,
        "answer": answer,
        "recipe": recipe.ranking,
        "bm25": bm25.ranking,
        "lexical": lexical,
        "dense": dense,
    }
    for warm in systems.values():
        warm("khởi động")
    timings: dict[str, dict[str, list[float]]] = {f: {k: [] for k in systems} for f in FORMS}
    forms: dict[str, dict] = {}
    shown_first: dict[str, Callable[[str], str]] = {
        "hybrid": lambda q: retriever.search(q, k=1)[0].chunk.shown,
        "answer": lambda q: responder.answer(q).answer,
        "recipe": recipe.top_passage,
        "bm25": bm25.top_passage,
        "lexical": lambda q: top_chunk(retriever.lexical_scores(retriever.prepare(q))),
        "dense": lambda q: top_chunk(retriever.dense_scores(retriever.prepare(q))),
    }
    for form in FORMS:
        forms[form] = {
            key: score_rankings(questions, timed(rank, timings[form][key]), form)
            for key, rank in systems.items()
        }
        for key, passage in shown_first.items():  # untimed: a second pass per question
            forms[form][key]["fact"] = fact_rate(questions, passage, form)

    busy_after = check_quiet("after measuring")
    results = {
        "machine": machine(),
        "others_cpu_share": {"before": busy_before, "after": busy_after},
        "index": ingest,
        "motcua_chunks": len(retriever.chunks),
        "recipe": {
            "chunks": len(recipe.chunks),
            "ingest_seconds": recipe.ingest_seconds,
            "ingest_cached": recipe.cached,
            "splitter": f"RecursiveCharacterTextSplitter({CHUNK_SIZE}, {CHUNK_OVERLAP})",
            "embedder": retriever.embedder.id,
        },
        "bm25": {"chunks": len(recipe.chunks), "ingest_seconds": round(bm25.ingest_seconds, 3)},
        "latency_per_question": {
            form: {key: latency(t) for key, t in rows.items()} for form, rows in timings.items()
        },
        "forms": forms,
    }
    print_table(forms)
    print(
        f"recipe: {len(recipe.chunks)} chunks, ingest {recipe.ingest_seconds} s"
        f"{' (cached, measured when built)' if recipe.cached else ''}; "
        f"BM25: ingest {bm25.ingest_seconds:.2f} s; motcua: {len(retriever.chunks)} chunks"
    )
    print_latency(results["latency_per_question"])
    print(f"written: {write_json('recipe', results)}")


if __name__ == "__main__":
    main()
