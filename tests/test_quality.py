"""Quality floor on the customer's documents: one index of ../shared/seeds + ../shared/corpus,
the development questions asked as written and with diacritics stripped.

Slow (the index is embedded once per session, a few minutes on 2 cores); the full figures are
printed by `python -m benchmarks.quality`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from motcua.evaluation import FORMS, load_questions, score_answers
from motcua.text import strip_diacritics

# One question below what is measured on this index (hit@1 0.895, MRR 0.908, answer-fact 0.921,
# 2 and 1 of 38 refused, 1 and 2 asked back, as written / stripped: d25 refused, d32 and d33
# refused or asked back), so a change that loses an answer shows here. The answerability
# model (regularised boosted trees) was chosen on questions held out by document and on
# benchmarks/questions/written.jsonl (benchmarks/README.md), not on these.
FLOORS = {"hit@1": 0.86, "mrr": 0.88, "answer_fact": 0.89}
MAX_FALSE_REFUSALS = 0.08


@pytest.mark.parametrize("form", FORMS)
def test_dev_questions_meet_the_floor(seeds_corpus_responder, shared_dir: Path, form: str) -> None:
    questions = load_questions(
        shared_dir / "eval" / "dev.jsonl", shared_dir / "eval" / "dev-corpus.jsonl"
    )
    scores = score_answers(questions, seeds_corpus_responder.answer, form)
    figures = scores.as_dict()
    for name, floor in FLOORS.items():
        assert figures[name] >= floor, (name, figures, scores.failures)
    assert figures["false_refusal_rate"] <= MAX_FALSE_REFUSALS, (figures, scores.failures)
    assert scores.refused_out_of_scope == scores.out_of_scope, scores.failures


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (question, expected)
        for q, expected in (
            (
                "Kế hoạch tuyên truyền cải cách hành chính năm 2024 của Sở Giáo dục Long An "
                "có nơi nhận là những cơ quan nào?",
                "Sở Nội vụ",
            ),
            (
                "Người ký kế hoạch tuyên truyền cải cách hành chính năm 2024 của Sở Giáo dục "
                "Long An giữ chức vụ gì?",
                "PHÓ GIÁM ĐỐC",
            ),
        )
        for question in (q, strip_diacritics(q))
    ],
)
def test_a_plans_closing_block_answers_who_it_goes_to_and_who_signs(
    seeds_corpus_responder, question: str, expected: str
) -> None:
    answer = seeds_corpus_responder.answer(question)
    assert not answer.refused
    assert answer.citations[0].doc_id == "002_a3b05bab0daef918"
    assert expected in answer.answer
