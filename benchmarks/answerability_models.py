"""Which learner decides answerability: boosted trees against logistic regression.

The questions generated from the three indexes `benchmarks.answerability` fits on (the cards;
the seeds and the cards; the seeds, the corpus and the cards) are answered by a model fitted
without their document's fold, for three fold seeds, with each index's thresholds chosen for
the same out-of-scope error (5%): false refusals, questions asked back and out-of-scope
questions refused, per learner. Nothing here is fitted on the development sets.

    python -m benchmarks.answerability_models [--seeds 0 1 2]
"""

from __future__ import annotations

import argparse

from benchmarks.answerability import cards_index
from benchmarks.common import OUT, SHARED, machine, require_shared, write_json


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    args = parser.parse_args()
    require_shared()

    from motcua.bot.answering.loading import load_responder
    from motcua.commands.calibration.calibrate import MAIN, _rows, index_questions
    from motcua.commands.calibration.fit import (
        FEATURES,
        FOLDS,
        LEARNERS,
        held_out_outcome,
        out_of_fold,
    )
    from motcua.index.builds import ingest_into_index
    from motcua.settings import Settings

    main_dir = OUT / "index-seeds-corpus-cards"
    cards_index(main_dir)
    rows = []
    for name, folders in (("index-cards", []), ("index-seeds-cards", [SHARED / "seeds"])):
        settings = Settings(index_dir=OUT / name, _env_file=None)
        ingest_into_index(folders, settings, builtin=True)
        other = load_responder(settings)
        rows += _rows(other, index_questions(other), name)
    responder = load_responder(Settings(index_dir=main_dir, _env_file=None))
    rows += _rows(responder, index_questions(responder), MAIN)
    print(f"{len(rows)} generated questions over three indexes")

    table: dict[str, dict[str, dict]] = {}
    for seed in args.seeds:
        for name, learner in LEARNERS.items():
            probs = out_of_fold(rows, FEATURES, FOLDS, seed, learner)
            _, held = held_out_outcome(rows, probs)
            table.setdefault(name, {})[f"fold seed {seed}"] = held.as_dict()
            figures = held.as_dict()
            print(
                f"{name:15s} seed {seed}: false refusals {figures['false_refusal_rate']:.3f}, "
                f"asked back {figures['asked_back_in_scope']:.3f}, "
                f"out of scope refused {figures['out_of_scope_refused']:.3f}"
            )
    print(f"written: {write_json('answerability_models', {'machine': machine(), 'table': table})}")


if __name__ == "__main__":
    main()
