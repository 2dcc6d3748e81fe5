"""Answerability: fit the model on generated questions, report it on questions it never saw.

One index of ../shared/seeds, ../shared/corpus/{decrees,other} and the built-in cards. The model
is fitted on the questions generated from that index (`motcua.commands.calibration.generate`)
plus the calibration questions in tests/data; nothing else is fitted to. Reported, in both forms
(as written / diacritics stripped):

- the development sets dev, dev-corpus and dev-realistic, each and all together (never fitted);
- benchmarks/questions/written.jsonl, written for this purpose by someone who had not seen the
  development sets (never fitted);
- the generated questions, each answered by a model fitted without its document's fold.

    python -m benchmarks.answerability [--save] [--skip-held-out] [--shipped] [--seed N]
        [--oos-error E]

`--save` writes the fitted model to bot/answering/answerability.json (the model that ships);
`--shipped` fits nothing and reports the shipped model on the question sets (minutes, not half
an hour: what today's code does with the model users get).
`--seed` draws another sample of generated questions and folds: a change to the signals moves
the refitted fold models, so it is judged over several seeds.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from benchmarks.common import (
    DOCUMENT_DIRS,
    OUT,
    REPO,
    SHARED,
    machine,
    print_scores,
    require_shared,
    score_sets,
    write_json,
)

DEV_SETS = ("dev", "dev-corpus", "dev-realistic")
WRITTEN = REPO / "benchmarks" / "questions" / "written.jsonl"
CALIBRATION = REPO / "tests" / "data" / "calibration.jsonl"
SHIPPED = REPO / "bot" / "answering" / "answerability.json"
COLUMNS = (
    "hit@1",
    "answer_fact",
    "false_refusal_rate",
    "asked_back_in_scope",
    "out_of_scope_refused",
    "asked_back_out_of_scope",
)


def cards_index(index_dir: Path) -> None:
    """One index of seeds + corpus + the built-in cards (reused when already built: unchanged
    files are skipped by their content hash). Index versions are recorded in the shared-state
    database, so the index is built in place rather than copied from another."""
    from motcua.index.builds import ingest_into_index
    from motcua.settings import Settings

    ingest_into_index(DOCUMENT_DIRS, Settings(index_dir=index_dir, _env_file=None), builtin=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--index-dir", type=Path, default=OUT / "index-seeds-corpus-cards")
    parser.add_argument(
        "--save", action="store_true", help="write bot/answering/answerability.json"
    )
    parser.add_argument("--skip-held-out", action="store_true", help="no per-fold answers (faster)")
    parser.add_argument("--shipped", action="store_true", help="report the shipped model, no fit")
    parser.add_argument(
        "--seed", type=int, default=0, help="draws the generated questions and their folds"
    )
    parser.add_argument("--oos-error", type=float, default=None, help="stated out-of-scope error")
    args = parser.parse_args()
    require_shared()

    from motcua.bot.answering.loading import load_responder
    from motcua.commands.calibration.calibrate import calibrate
    from motcua.commands.calibration.fit import OOS_ERROR
    from motcua.evaluation import FORMS, load_questions
    from motcua.index.builds import ingest_into_index
    from motcua.settings import Settings

    cards_index(args.index_dir)
    responder = load_responder(Settings(index_dir=args.index_dir, _env_file=None))
    # The model ships for every knowledge base, from five cards (`make run`) to a province's
    # documents: it is fitted on indexes of both sizes.
    others = []
    for name, folders in (("index-cards", []), ("index-seeds-cards", [SHARED / "seeds"])):
        settings = Settings(index_dir=OUT / name, _env_file=None)
        ingest_into_index(folders, settings, builtin=True)
        others.append(load_responder(settings))
    held_out: dict = {}
    if args.shipped:
        model = (
            responder.answerability
        )  # bot/answering/answerability.json, as load_responder reads it
    else:
        started = time.perf_counter()
        result = calibrate(
            responder,
            load_questions(CALIBRATION),
            others=others,
            seed=args.seed,
            oos_error=OOS_ERROR if args.oos_error is None else args.oos_error,
            answers=not args.skip_held_out,
            progress=print,
        )
        model, held_out = result.model, result.held_out
        responder.answerability = model
        print(f"fitted in {time.perf_counter() - started:.0f} s: {json.dumps(model.report)}")
        for name, weight in sorted(
            zip(model.features, model.coef, strict=True), key=lambda t: -abs(t[1])
        ):
            print(f"  {name:20s} {weight:+.2f}")

    sets = {name: load_questions(SHARED / "eval" / f"{name}.jsonl") for name in DEV_SETS}
    sets["dev, dev-corpus, dev-realistic"] = [q for name in DEV_SETS for q in sets[name]]
    if WRITTEN.is_file():
        sets["written (held out)"] = load_questions(WRITTEN)
    responder.retriever.warm([q.asked(f) for qs in sets.values() for q in qs for f in FORMS])
    table, failures = score_sets(sets, responder.answer)
    # What `make run` serves: the cards alone, asked the procedure questions and those out of
    # scope (the plans' and decrees' questions have nothing to be answered from there).
    cards_only = others[0]
    cards_only.answerability = model
    card_questions = [q for q in sets["dev-realistic"] if q.kind == "procedure" or q.expect_refused]
    cards_table, cards_failures = score_sets(
        {"dev-realistic procedures + out of scope, cards only": card_questions}, cards_only.answer
    )
    table.update(cards_table)
    failures.update(cards_failures)
    if held_out:
        table["generated, folds by document (held out)"] = {"as generated": held_out}

    print_scores(table, failures, COLUMNS)
    if args.save and not args.shipped:
        model.save(SHIPPED)
        print(f"model written: {SHIPPED}")
    payload = {"machine": machine(), "model": model.report, "table": table, "failures": failures}
    print(f"written: {write_json('answerability', payload)}")


if __name__ == "__main__":
    main()
