"""Refusal calibration: evidence signals for in-scope and out-of-scope questions.

Asks the calibration questions written for this purpose (tests/data/calibration.jsonl:
procedure-card, plan and decree questions, and everyday questions the documents do not
answer) and the development set, both forms, against one index of the seeds, the corpus and
the built-in cards. Prints each question's coverage and dense score, and the refusal
accuracy of the thresholds in bot/evidence.py.

    python -m benchmarks.refusal [--index-dir DIR]
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from benchmarks.common import OUT, QUESTION_FILES, REPO, build_index, require_shared, write_json


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--index-dir", type=Path, default=OUT / "index-seeds-corpus-cards")
    args = parser.parse_args()
    require_shared()

    from motcua.bot.evidence import assess, evidence_weights
    from motcua.bot.responder import CANDIDATES, load_responder
    from motcua.evaluation import FORMS, load_questions
    from motcua.services import ingest_into_index
    from motcua.settings import Settings

    if not args.index_dir.exists():
        # The quality benchmark's index of seeds + corpus, plus the cards (a few seconds).
        source = OUT / "index-seeds-corpus"
        build_index(source)
        shutil.copytree(source, args.index_dir)
    settings = Settings(index_dir=args.index_dir, _env_file=None)
    ingest_into_index([], settings, builtin=True)
    responder = load_responder(settings)
    questions = load_questions(*QUESTION_FILES, REPO / "tests" / "data" / "calibration.jsonl")

    weights = evidence_weights(responder.retriever.chunks)
    rows = []
    for q in questions:
        for form in FORMS:
            text = q.asked(form)
            query = responder.retriever.prepare(text)
            hits = responder.retriever.search_prepared(query, k=CANDIDATES)
            evidence = assess(query.dense_text, hits, weights)
            rows.append(
                {
                    "id": q.id,
                    "form": form,
                    "out_of_scope": q.expect_refused,
                    "coverage": round(evidence.coverage, 3),
                    "dense": round(evidence.dense, 3),
                    "answered": evidence.sufficient,
                    "question": q.question,
                }
            )
    rows.sort(key=lambda r: r["coverage"])
    for r in rows:
        mark = "OOS" if r["out_of_scope"] else "in "
        wrong = " <-- wrong" if r["answered"] == r["out_of_scope"] else ""
        print(
            f"{mark} cov={r['coverage']:.2f} dense={r['dense']:.3f} {r['form'][0]} "
            f"{r['id']} {r['question'][:60]}{wrong}"
        )
    inside = [r for r in rows if not r["out_of_scope"]]
    outside = [r for r in rows if r["out_of_scope"]]
    summary = {
        "in_scope_answered": f"{sum(r['answered'] for r in inside)}/{len(inside)}",
        "out_of_scope_refused": f"{sum(not r['answered'] for r in outside)}/{len(outside)}",
    }
    print(summary)
    write_json("refusal", {"summary": summary, "rows": rows})


if __name__ == "__main__":
    main()
