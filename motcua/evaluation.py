"""Measuring retrieval and answers on question sets in the format of `shared/eval/README.md`.

Used by the benchmark scripts and by the test that holds the quality floor, so both compute
the figures the same way.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from motcua.text import fold_phrase, strip_diacritics
from motcua.types import STATUS_CLARIFY, Answer

FORMS = ("accented", "stripped")


@dataclass
class EvalQuestion:
    id: str
    kind: str
    question: str
    expect_docs: list[str] = field(default_factory=list)
    expect_any: list[str] = field(default_factory=list)
    expect_all: list[str] = field(default_factory=list)
    expect_refused: bool = False

    def asked(self, form: str) -> str:
        return strip_diacritics(self.question) if form == "stripped" else self.question


def load_questions(*paths: Path) -> list[EvalQuestion]:
    questions = []
    for path in paths:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if line.strip():
                raw = json.loads(line)
                questions.append(
                    EvalQuestion(
                        **{k: raw[k] for k in raw if k in EvalQuestion.__dataclass_fields__}
                    )
                )
    return questions


def facts_ok(question: EvalQuestion, answer_text: str) -> bool:
    folded = f" {fold_phrase(answer_text)} "
    has = [f" {fold_phrase(p)} " in folded for p in question.expect_any]
    every = [f" {fold_phrase(p)} " in folded for p in question.expect_all]
    return (not has or any(has)) and all(every)


def reciprocal_rank(ranked_docs: list[str], expected: Iterable[str]) -> float:
    expected = set(expected)
    for rank, doc_id in enumerate(ranked_docs, start=1):
        if doc_id in expected:
            return 1.0 / rank
    return 0.0


@dataclass
class FormScores:
    in_scope: int = 0
    out_of_scope: int = 0
    with_sources: int = 0  # in-scope questions that name their expected documents
    hit1: float = 0.0
    hit5: float = 0.0
    mrr: float = 0.0
    answer_fact: float = 0.0
    false_refusals: int = 0
    refused_out_of_scope: int = 0
    asked_in_scope: int = 0  # answered "did you mean…" (neither refused nor answered)
    asked_out_of_scope: int = 0
    failures: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        n = max(self.in_scope, 1)
        sourced = max(self.with_sources, 1)
        return {
            "questions_in_scope": self.in_scope,
            "questions_out_of_scope": self.out_of_scope,
            "hit@1": round(self.hit1 / sourced, 3),
            "hit@5": round(self.hit5 / sourced, 3),
            "mrr": round(self.mrr / sourced, 3),
            "answer_fact": round(self.answer_fact / n, 3),
            "false_refusal_rate": round(self.false_refusals / n, 3),
            "out_of_scope_refused": f"{self.refused_out_of_scope}/{self.out_of_scope}",
            "asked_back_in_scope": round(self.asked_in_scope / n, 3),
            "asked_back_out_of_scope": f"{self.asked_out_of_scope}/{self.out_of_scope}",
        }


def score_answers(
    questions: list[EvalQuestion], ask: Callable[[str], Answer], form: str
) -> FormScores:
    scores = FormScores()
    for q in questions:
        answer = ask(q.asked(form))
        asked_back = answer.status == STATUS_CLARIFY
        if q.expect_refused:
            scores.out_of_scope += 1
            scores.asked_out_of_scope += int(asked_back)
            scores.refused_out_of_scope += int(answer.refused)
            if not answer.refused:
                scores.failures.append(f"{q.id}: answered an out-of-scope question")
            continue
        scores.in_scope += 1
        if q.expect_docs:
            # Source hits are measured where a question names its sources (a procedure
            # question answered by "any card that holds the fact" names none).
            ranked = [c.doc_id for c in answer.citations]
            rr = reciprocal_rank(ranked, q.expect_docs)
            scores.with_sources += 1
            scores.mrr += rr
            scores.hit1 += float(rr == 1.0)
            scores.hit5 += float(rr >= 0.2)
        scores.asked_in_scope += int(asked_back)
        if answer.refused:
            scores.false_refusals += 1
            scores.failures.append(f"{q.id}: refused")
        elif asked_back:
            scores.failures.append(f"{q.id}: asked back")
        elif facts_ok(q, answer.answer):
            scores.answer_fact += 1
        else:
            scores.failures.append(f"{q.id}: fact missing")
    return scores


def score_rankings(
    questions: list[EvalQuestion], rank: Callable[[str], list[str]], form: str
) -> dict:
    """hit@1, hit@5 and MRR of a ranking function returning doc ids, best first."""
    in_scope = [q for q in questions if not q.expect_refused]
    rrs = [reciprocal_rank(rank(q.asked(form))[:5], q.expect_docs) for q in in_scope]
    n = max(len(rrs), 1)
    return {
        "hit@1": round(sum(r == 1.0 for r in rrs) / n, 3),
        "hit@5": round(sum(r > 0 for r in rrs) / n, 3),
        "mrr": round(sum(rrs) / n, 3),
    }
