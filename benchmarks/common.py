"""Shared set-up for the benchmark scripts: the customer's documents and one index of them."""

from __future__ import annotations

import json
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
OUT = REPO / "benchmarks" / "out"
DOCUMENT_DIRS = [SHARED / "seeds", SHARED / "corpus" / "decrees", SHARED / "corpus" / "other"]
QUESTION_FILES = [SHARED / "eval" / "dev.jsonl", SHARED / "eval" / "dev-corpus.jsonl"]


def require_shared() -> None:
    if not (SHARED / "seeds").is_dir():
        sys.exit(f"benchmarks read the customer's documents from {SHARED}; not found")


def build_index(index_dir: Path, fresh: bool = False) -> dict:
    """Ingest seeds + corpus into `index_dir` (reused when already built unless `fresh`)."""
    from motcua.index.builds import ingest_into_index
    from motcua.settings import Settings

    if fresh and index_dir.exists():
        import shutil

        shutil.rmtree(index_dir)
    started = time.perf_counter()
    report = ingest_into_index(DOCUMENT_DIRS, Settings(index_dir=index_dir, _env_file=None))
    return {
        "documents": len(report.added) + len(report.skipped),
        "chunks_added": report.chunks,
        "seconds": round(time.perf_counter() - started, 2),
        "reused": not report.added,
    }


def machine() -> dict:
    import os

    return {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "date": time.strftime("%Y-%m-%d"),
    }


def write_json(name: str, payload: dict) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.json"
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False), encoding="utf-8")
    return path


def print_scores(
    table: dict[str, dict[str, dict]],
    failures: dict[str, dict[str, list[str]]],
    columns: tuple[str, ...],
    width: int = 42,
) -> None:
    """One line per question set and form, then the questions each form missed."""
    print(f"\n{'set':{width}s} {'form':9s} " + " ".join(f"{c[:12]:>12s}" for c in columns))
    for name, forms in table.items():
        for form, row in forms.items():
            cells = " ".join(f"{str(row[c]):>12s}" for c in columns)
            print(f"{name:{width}s} {form[:9]:9s} {cells}")
    for name, forms in failures.items():
        for form, missed in forms.items():
            print(f"{name} / {form}: {' '.join(missed)}")


def score_sets(
    sets: dict[str, list], answer: Callable
) -> tuple[dict[str, dict[str, dict]], dict[str, dict[str, list[str]]]]:
    """Every question set asked in both forms: the scores and the missed questions, by set
    and form."""
    from motcua.evaluation import FORMS, score_answers

    table: dict[str, dict[str, dict]] = {}
    failures: dict[str, dict[str, list[str]]] = {}
    for name, questions in sets.items():
        table[name], failures[name] = {}, {}
        for form in FORMS:
            scores = score_answers(questions, answer, form)
            table[name][form] = scores.as_dict()
            failures[name][form] = scores.failures
    return table, failures
