"""Table documents (issue 16): questions about fee tables and procedure lists, asked of one index
of the seeds, the whole corpus (corpus/tables included) and the built-in cards.

Reported in both forms (as written / diacritics stripped): ../shared/eval/dev-tables.jsonl and
benchmarks/questions/tables.jsonl (written without reading dev-tables; never fitted).

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
    write_json,
)

SETS = {
    "dev-tables": SHARED / "eval" / "dev-tables.jsonl",
    "questions/tables.jsonl (held out)": REPO / "benchmarks" / "questions" / "tables.jsonl",
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
    from motcua.bot.responder import load_responder
    from motcua.evaluation import FORMS, load_questions, score_answers
    from motcua.services import ingest_into_index
    from motcua.settings import Settings

    # Built in place (index versions are registered in the shared-state database).
    settings = Settings(index_dir=OUT / "index-seeds-corpus-tables-cards", _env_file=None)
    ingest_into_index([*DOCUMENT_DIRS, SHARED / "corpus" / "tables"], settings, builtin=True)
    responder = load_responder(settings)
    table: dict[str, dict[str, dict]] = {}
    failures: dict[str, dict[str, list[str]]] = {}
    for name, path in SETS.items():
        questions = load_questions(path)
        table[name], failures[name] = {}, {}
        for form in FORMS:
            scores = score_answers(questions, responder.answer, form)
            table[name][form] = scores.as_dict()
            failures[name][form] = scores.failures
    print_scores(table, failures, COLUMNS, width=36)
    payload = {"machine": machine(), "table": table, "failures": failures}
    print(f"written: {write_json('tables', payload)}")


if __name__ == "__main__":
    main()
