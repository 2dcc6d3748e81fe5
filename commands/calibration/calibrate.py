"""`motcua calibrate`: fit the answerability model on an index's own questions, report it held
out by document.

Questions are generated from the index (its documents, its cards, and what it must decline),
their signals read through the responder's own retrieval, and the model fitted on them (plus
any labelled questions given). The report answers every generated question with a model fitted
without its document's fold, so its figures say how the bot does on documents it was not
fitted to.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from motcua.bot.answering.answerability_model import AnswerabilityModel
from motcua.commands.calibration.fit import FOLDS, OOS_ERROR, LabelledRow, collect, fit, group_folds
from motcua.commands.calibration.generate import generate
from motcua.commands.calibration.generated_question import GeneratedQuestion
from motcua.evaluation import EvalQuestion, FormScores, score_answers

if TYPE_CHECKING:
    from motcua.bot.answering.responder import Responder

Progress = Callable[[str], None]
MAIN = "index"  # the rows of the index being calibrated, beside any others fitted on


@dataclass
class Calibration:
    model: AnswerabilityModel
    questions: list[EvalQuestion]
    rows: list[LabelledRow]
    held_out: dict = field(default_factory=dict)  # end-to-end answers, folds by document


def index_questions(responder: Responder, seed: int = 0) -> list[GeneratedQuestion]:
    retriever = responder.retriever
    documents = [d for d in retriever.documents.values() if d.kind != "card"]
    return generate(documents, retriever.chunks, list(responder.cards.values()), seed=seed)


def _judge(responder: Responder) -> Callable[[str], dict[str, float]]:
    return lambda question: responder.judge(question).signals.values


def calibrate(
    responder: Responder,
    extra: Sequence[EvalQuestion] = (),
    *,
    others: Sequence[Responder] = (),
    seed: int = 0,
    oos_error: float = OOS_ERROR,
    folds: int = FOLDS,
    answers: bool = True,
    progress: Progress | None = None,
) -> Calibration:
    """Fit on the index's generated questions plus `extra`; with `answers`, also answer every
    generated question with its fold's model (a few minutes on a large index).

    `others` are responders over other indexes whose generated questions are fitted on too:
    a model shipped for every knowledge base should not learn one index's score scale (an
    index of five cards scores lower on BM25 than one of a thousand passages). A document's
    questions keep their group across indexes, so they share a fold."""
    say = progress or (lambda _: None)
    questions: list[EvalQuestion] = [*index_questions(responder, seed), *extra]
    say(f"{len(questions)} labelled questions; reading their signals")
    rows = _rows(responder, questions, MAIN)
    fitted = list(rows)
    for number, other in enumerate(others, start=1):
        made = index_questions(other, seed)
        say(f"{len(made)} more from an index of {len(other.retriever.documents)} documents")
        fitted += _rows(other, made, f"other index {number}")
    model = fit(fitted, oos_error=oos_error, folds=folds, seed=seed)
    model.embedder = responder.retriever.embedder.id
    result = Calibration(model, questions, rows)
    if answers:
        say("answering each fold's questions with a model fitted without them")
        result.held_out = held_out_answers(responder, questions, fitted, oos_error, folds, seed)
    model.report["answers_held_out"] = result.held_out
    return result


def _rows(responder: Responder, questions: Sequence[EvalQuestion], index: str) -> list[LabelledRow]:
    responder.retriever.warm([q.question for q in questions])
    # Generated rows already hold their rewrites (stripped, chat…): asked as written.
    chunks = len(responder.index.chunks)
    return collect(
        questions, _judge(responder), forms=("accented",), index=index, index_chunks=chunks
    )


def held_out_answers(
    responder: Responder,
    questions: Sequence[EvalQuestion],
    rows: Sequence[LabelledRow],
    oos_error: float = OOS_ERROR,
    folds: int = FOLDS,
    seed: int = 0,
) -> dict:
    """hit@1, answer-fact, false refusals and out-of-scope refusals over the questions of
    `responder`'s index, each answered by a model fitted without its fold's groups. `rows` are
    all the rows fitted on (this index's and any other's)."""
    by_id = {q.id: q for q in questions}
    kept = responder.answerability
    total = FormScores()
    try:
        for test in group_folds(rows, folds, seed):
            groups = {rows[i].group for i in test}
            train = [r for r in rows if r.group not in groups]
            responder.answerability = fit(train, oos_error=oos_error, folds=folds, seed=seed)
            fold_questions = [
                by_id[rows[i].id] for i in test if rows[i].index == MAIN and rows[i].id in by_id
            ]
            _add(total, score_answers(fold_questions, responder.answer, "accented"))
    finally:
        responder.answerability = kept
    return total.as_dict()


def _add(total: FormScores, part: FormScores) -> None:
    for name in (
        "in_scope",
        "out_of_scope",
        "with_sources",
        "hit1",
        "hit5",
        "mrr",
        "answer_fact",
        "false_refusals",
        "refused_out_of_scope",
        "asked_in_scope",
        "asked_out_of_scope",
    ):
        setattr(total, name, getattr(total, name) + getattr(part, name))
    total.failures += part.failures
