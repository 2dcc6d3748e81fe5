"""Retrieval and answer quality on the development questions, both question forms.

One index of ../shared/seeds and ../shared/corpus; every question asked as written and with
its diacritics stripped. Prints hit@1, hit@5, MRR, answer-fact rate and refusals for the
full responder, and the ranking components (BM25 alone, dense alone, hybrid) side by side.

    python benchmarks/quality.py [--index-dir DIR] [--fresh]
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np

from benchmarks.common import OUT, QUESTION_FILES, build_index, machine, require_shared, write_json


def ranked_docs(chunk_doc_ids: list[str], scores: np.ndarray, depth: int = 30) -> list[str]:
    seen: list[str] = []
    for i in np.argsort(-scores)[:depth]:
        doc_id = chunk_doc_ids[int(i)]
        if doc_id not in seen:
            seen.append(doc_id)
    return seen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--index-dir", type=Path, default=OUT / "index-seeds-corpus")
    parser.add_argument("--fresh", action="store_true", help="rebuild the index")
    args = parser.parse_args()
    require_shared()

    from motcua.bot.answering.loading import load_responder
    from motcua.evaluation import FORMS, load_questions, score_answers, score_rankings
    from motcua.settings import Settings

    ingest = build_index(args.index_dir, fresh=args.fresh)
    questions = load_questions(*QUESTION_FILES)
    responder = load_responder(Settings(index_dir=args.index_dir, _env_file=None))
    retriever = responder.retriever
    doc_ids = [c.doc_id for c in retriever.chunks]

    def components(question: str) -> tuple[np.ndarray, np.ndarray]:
        query = retriever.prepare(question)
        return retriever.lexical_scores(query), retriever.dense_scores(query)

    results: dict = {"machine": machine(), "index": ingest, "forms": {}}
    for form in FORMS:
        cache = {q.asked(form): components(q.asked(form)) for q in questions}

        def by(component: int, cache: dict = cache) -> Callable[[str], list[str]]:
            return lambda question: ranked_docs(doc_ids, cache[question][component])

        row = {
            "bm25": score_rankings(questions, by(0), form),
            "dense": score_rankings(questions, by(1), form),
            "hybrid": score_rankings(
                questions, lambda q: [h.chunk.doc_id for h in retriever.search(q, k=10)], form
            ),
        }
        answers = score_answers(questions, responder.answer, form)
        row["motcua"] = answers.as_dict()
        row["motcua_failures"] = answers.failures
        results["forms"][form] = row

    for form, row in results["forms"].items():
        print(f"== {form}")
        for name in ("bm25", "dense", "hybrid"):
            print(f"  {name:8s} {json.dumps(row[name])}")
        print(f"  motcua   {json.dumps(row['motcua'], ensure_ascii=False)}")
        print(f"  failures {row['motcua_failures']}")
    print(f"written: {write_json('quality', results)}")


if __name__ == "__main__":
    main()
