"""Table documents (issue 16): questions about fee tables and procedure lists, asked of one index
of the seeds, the whole corpus (corpus/tables included) and the built-in cards.

Reported in both forms (as written / diacritics stripped): ../shared/eval/dev-tables.jsonl,
benchmarks/questions/tables.jsonl (written without reading dev-tables; never fitted) and
benchmarks/questions/charges.jsonl (amounts of a fee schedule's items and schools, and charges
the schedules do not list, written by someone who had not seen how rows are answered).

    python -m benchmarks.tables
"""

from __future__ import annotations

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

SETS = {
    "dev-tables": SHARED / "eval" / "dev-tables.jsonl",
    "questions/tables.jsonl (held out)": REPO / "benchmarks" / "questions" / "tables.jsonl",
    "questions/charges.jsonl (held out)": REPO / "benchmarks" / "questions" / "charges.jsonl",
}
COLUMNS = (
    "hit@1",
    "answer_fact",
    "false_refusal_rate",
    "asked_back_in_scope",
    "out_of_scope_refused",
)


def main() -> None:
    require_shared()
    from motcua.bot.answering.loading import load_responder
    from motcua.evaluation import load_questions
    from motcua.index.builds import ingest_into_index
    from motcua.settings import Settings

    # Built in place (index versions are registered in the shared-state database).
    settings = Settings(index_dir=OUT / "index-seeds-corpus-tables-cards", _env_file=None)
    ingest_into_index([*DOCUMENT_DIRS, SHARED / "corpus" / "tables"], settings, builtin=True)
    responder = load_responder(settings)
    sets = {name: load_questions(path) for name, path in SETS.items()}
    table, failures = score_sets(sets, responder.answer)
    print_scores(table, failures, COLUMNS, width=36)
    payload = {"machine": machine(), "table": table, "failures": failures}
    print(f"written: {write_json('tables', payload)}")


if __name__ == "__main__":
    main()
