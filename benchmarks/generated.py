"""Generated evaluation questions: made from the index itself (`motcua.commands.calibration`).

Reads the index of the seeds, the corpus and the built-in cards, writes the labelled questions
to benchmarks/out/generated.jsonl, and prints counts by kind, transform and group, the
out-of-scope topics left out because a document names them, the sizes of a 5-fold split by
group, and three examples of each kind and of each transform.

    python -m benchmarks.generated [--index-dir DIR] [--seed N] [--per-document N]
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

from benchmarks.common import OUT


def _counts(title: str, counter: Counter[str]) -> None:
    print(f"\n{title} ({sum(counter.values())} rows)")
    for key, n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {n:5d}  {key}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--index-dir", type=Path, default=OUT / "index-seeds-corpus-cards")
    parser.add_argument("--out", type=Path, default=OUT / "generated.jsonl")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--per-document", type=int, default=12)
    args = parser.parse_args()

    from motcua.commands.calibration import generate, split_by_group, write_jsonl
    from motcua.commands.calibration.out_of_scope import dropped_out_of_scope
    from motcua.index.store import IndexStore
    from motcua.index.versions import NoIndex, resolve
    from motcua.ingest.cards import builtin_cards

    try:
        store = IndexStore.open(resolve(args.index_dir))
    except (NoIndex, FileNotFoundError) as exc:
        sys.exit(f"{exc} (python -m benchmarks.answerability builds it)")
    documents, chunks, cards = store.documents(), store.chunks(), builtin_cards()
    questions = generate(documents, chunks, cards, seed=args.seed, per_document=args.per_document)
    path = write_jsonl(questions, args.out)
    print(f"{len(questions)} questions from {len(documents)} documents -> {path}")

    in_scope = sum(not q.expect_refused for q in questions)
    print(f"in scope: {in_scope}, out of scope: {len(questions) - in_scope}")
    _counts("by kind", Counter(q.kind for q in questions))
    _counts("by transform", Counter(q.transform for q in questions))
    _counts("by group", Counter(q.group for q in questions))
    dropped = dropped_out_of_scope(documents, chunks, cards)
    print(f"\nout-of-scope topics left out, a document names them ({len(dropped)}):")
    for topic in dropped:
        print(f"  - {topic}")

    print("\n5-fold split by group (test rows: in scope / out of scope, groups):")
    for k, (_, test) in enumerate(split_by_group(questions, 5, seed=args.seed)):
        refused = sum(q.expect_refused for q in test)
        groups = len({q.group for q in test})
        print(f"  fold {k}: {len(test) - refused:4d} / {refused:4d}, {groups} groups")

    rng = random.Random(args.seed)
    for label, key in (("kind", "kind"), ("transform", "transform")):
        by: dict[str, list] = defaultdict(list)
        for q in questions:
            by[getattr(q, key)].append(q)
        print(f"\nexamples by {label}:")
        for value in sorted(by):
            print(f"  [{value}]")
            for q in rng.sample(by[value], min(3, len(by[value]))):
                expected = "refuse" if q.expect_refused else f"{q.expect_docs} {q.expect_any}"
                print(f"    {q.question}\n      -> {expected}")


if __name__ == "__main__":
    main()
