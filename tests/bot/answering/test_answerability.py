"""The answerability signals and model: each signal reads what it says, fitting keeps its
promise on the out-of-scope error, and the model round-trips through its file."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from motcua.bot.answering.answerability import (
    FEATURES,
    IndexTerms,
    Signals,
    amount_unsaid,
    answer_type_found,
    coverage,
    question_words,
    signals,
)
from motcua.bot.answering.answerability_model import AnswerabilityModel, Trees
from motcua.commands.calibration.fit import (
    ANSWERED_SHARE,
    LabelledRow,
    fit,
    group_folds,
    monotone_trees_learner,
    outcome,
    thresholds,
    trees_learner,
)
from motcua.ingest.cards import builtin_card
from motcua.lexicon import normalize
from motcua.types import Chunk, Hit

PASSAGES = [
    "Đăng tải thông tin trên trang thông tin điện tử của Sở tại địa chỉ sgddt.longan.gov.vn.",
    "Hồ sơ chuyển trường gồm đơn xin chuyển trường, học bạ và giấy giới thiệu của hiệu trưởng.",
    "Lệ phí cấp bản sao văn bằng do từng tỉnh quy định.",
    "Tuyên truyền cải cách hành chính đến cán bộ, công chức, viên chức và người dân.",
]


@pytest.fixture(scope="module")
def terms() -> IndexTerms:
    chunks = [Chunk(i, f"doc{i}", text) for i, text in enumerate(PASSAGES)]
    return IndexTerms(chunks)


def hits_for(*texts: str, dense: float = 0.9, lexical: float = 10.0) -> list[Hit]:
    return [
        Hit(Chunk(100 + i, f"d{i}", t), 1.0 - i / 10, lexical, dense) for i, t in enumerate(texts)
    ]


def test_politeness_and_places_are_not_question_words(terms: IndexTerms) -> None:
    words = question_words(normalize("ad ơi cho em hỏi nhà em ở Bình Dương, chuyển trường"), terms)
    assert "chuyen" in words.words and "truong" in words.words
    assert not {"ad", "binh", "duong", "hoi"} & set(words.words)


def test_a_synonym_is_covered_by_the_documents_word(terms: IndexTerms) -> None:
    asked = question_words(normalize("web của Sở là gì"), terms)
    assert coverage(asked, PASSAGES[0], terms, seen_only=True) == pytest.approx(1.0)
    assert coverage(asked, PASSAGES[3], terms, seen_only=True) < 0.5


def test_a_word_the_knowledge_base_never_saw_does_not_sink_seen_coverage(
    terms: IndexTerms,
) -> None:
    plain = question_words(normalize("hồ sơ chuyển trường gồm gì"), terms)
    odd = question_words(normalize("hồ sơ chuyển trường gồm gì xyzzy"), terms)
    passage = PASSAGES[1]
    assert coverage(odd, passage, terms, True) == pytest.approx(
        coverage(plain, passage, terms, True)
    )
    assert coverage(odd, passage, terms, False) < coverage(plain, passage, terms, False)


def _signals(question: str, terms: IndexTerms, *texts: str) -> dict[str, float]:
    cards = {"tthc-ban-sao-van-bang": builtin_card("tthc-ban-sao-van-bang")}
    return signals(normalize(question), hits_for(*texts), terms, cards).values


def test_every_feature_is_computed(terms: IndexTerms) -> None:
    values = _signals("chuyển trường cần gì", terms, PASSAGES[1])
    assert set(values) == set(FEATURES)
    assert all(math.isfinite(v) for v in values.values())


def test_another_sector_alone_is_flagged_but_not_as_a_paper_to_bring(terms: IndexTerms) -> None:
    marriage = _signals("đăng ký kết hôn cần giấy tờ gì", terms, PASSAGES[1])
    assert marriage["other_sector_only"] == 1.0
    copy = _signals("xin bản sao bằng tốt nghiệp dùng hộ chiếu được không", terms, PASSAGES[2])
    assert copy["other_sector_only"] == 0.0


def test_another_sectors_words_about_an_indexed_text_are_not_another_sector(
    terms: IndexTerms,
) -> None:
    """ "Theo Thông tư 101/2018, chi đóng bảo hiểm y tế gồm gì" asks about a text the
    knowledge base holds: its health-insurance words make it no other sector's procedure."""
    question = normalize("thẻ bảo hiểm y tế cấp cho ai theo thông tư 101/2018")
    hits = hits_for(PASSAGES[3])
    assert signals(question, hits, terms, {}).values["other_sector_only"] == 1.0
    named = signals(question, hits, terms, {}, names_text=True)
    assert named.values["other_sector_only"] == 0.0


def test_an_answer_of_the_asked_kind_must_be_in_the_passage(terms: IndexTerms) -> None:
    fee = "lệ phí cấp bản sao văn bằng là bao nhiêu tiền"
    assert _signals(fee, terms, PASSAGES[2])["answer_type_missing"] == 0.0  # "do tỉnh quy định"
    assert _signals(fee, terms, PASSAGES[3])["answer_type_missing"] == 1.0
    assert _signals("web của Sở là gì", terms, PASSAGES[0])["answer_type_missing"] == 0.0


def test_a_sum_asked_must_be_stated_by_a_passage_quoted() -> None:
    budget = normalize("kế hoạch tuyên truyền năm 2024 được bố trí bao nhiêu tiền kinh phí")
    yearly = "Lập dự toán kinh phí thực hiện công tác CCHC hàng năm theo phân cấp."
    assert amount_unsaid(budget, [yearly])
    assert not amount_unsaid(budget, [yearly, "Kinh phí thực hiện: 120.000.000 đồng."])
    assert not amount_unsaid(budget, ["Kinh phí do ngân sách tỉnh bố trí theo quy định."])
    # Only a question that asks for a sum alone: a date or a place is not held to it.
    assert not amount_unsaid(normalize("kinh phí được cấp khi nào"), [yearly])


def test_a_clause_of_context_does_not_dilute_the_request(terms: IndexTerms) -> None:
    asked = "em đang làm việc ở xa, quê ở nơi khác, hồ sơ chuyển trường gồm gì"
    found = _signals(asked, terms, PASSAGES[1])
    assert found["clause_coverage"] > found["coverage_seen"]
    assert found["clause_coverage"] == pytest.approx(1.0)


def test_missing_rarest_names_what_the_passage_lacks(terms: IndexTerms) -> None:
    whole = _signals("lệ phí cấp bản sao văn bằng", terms, PASSAGES[2])
    lacking = _signals("lệ phí cấp bản sao học bạ", terms, PASSAGES[2])
    assert whole["missing_rarest"] == 0.0
    assert lacking["missing_rarest"] > 0.5


def test_card_coverage_reads_the_card_among_the_hits(terms: IndexTerms) -> None:
    hits = hits_for(PASSAGES[2])
    hits.append(Hit(Chunk(200, "tthc-ban-sao-van-bang", "Lệ phí"), 0.5, 1.0, 0.8))
    cards = {"tthc-ban-sao-van-bang": builtin_card("tthc-ban-sao-van-bang")}
    found = signals(normalize("xin bản sao văn bằng từ sổ gốc"), hits, terms, cards).values
    assert found["card_coverage"] > 0.8
    assert (
        signals(normalize("xin bản sao văn bằng"), hits[:1], terms, cards).values["card_coverage"]
        == 0.0
    )


def test_a_legal_text_passage_answers_which_text_by_its_document(terms: IndexTerms) -> None:
    hits = hits_for("Thể thức văn bản gồm quốc hiệu, tên cơ quan, số và ký hiệu văn bản.")
    named = {"d0": "Nghị định 30/2020/NĐ-CP"}

    def missing(question: str, identities: dict[str, str] | None) -> float:
        reading = normalize(question)
        return signals(reading, hits, terms, {}, None, identities).values["answer_type_missing"]

    assert missing("Văn bản nào quy định thể thức văn bản?", None) == 1.0
    assert missing("Văn bản nào quy định thể thức văn bản?", named) == 0.0
    assert missing("Thông tư nào quy định thể thức văn bản?", named) == 0.0
    # A date must be in the passage itself: the document's number is no date.
    assert missing("Thể thức văn bản áp dụng từ ngày nào?", named) == 1.0


def _model(**overrides: object) -> AnswerabilityModel:
    n = len(FEATURES)
    values: dict = {
        "features": list(FEATURES),
        "mean": [0.0] * n,
        "scale": [1.0] * n,
        "coef": [0.0] * n,
        "intercept": 0.0,
        "refuse_below": 0.4,
        "answer_from": 0.6,
    }
    values.update(overrides)
    return AnswerabilityModel(**values)


def test_probability_follows_the_coefficients() -> None:
    coef = [0.0] * len(FEATURES)
    coef[FEATURES.index("coverage_seen")] = 4.0
    model = _model(coef=coef, intercept=-2.0)
    low = Signals({f: 0.0 for f in FEATURES})
    high = Signals({**low.values, "coverage_seen": 1.0})
    assert model.probability(low) < 0.2 < 0.8 < model.probability(high)


def test_model_file_round_trips_and_rejects_unknown_signals(tmp_path: Path) -> None:
    model = _model(intercept=1.5)
    model.save(tmp_path / "answerability.json")
    loaded = AnswerabilityModel.load(tmp_path)
    assert loaded == model
    bad = (tmp_path / "answerability.json").read_text().replace('"coverage_seen"', '"vibes"')
    with pytest.raises(ValueError, match="vibes"):
        AnswerabilityModel.from_json(bad)


def test_the_shipped_model_loads() -> None:
    model = AnswerabilityModel.load()
    assert set(model.features) <= set(FEATURES)
    assert 0.0 < model.refuse_below <= model.answer_from < 1.0


def _rows(n: int, seed: int = 0) -> list[LabelledRow]:
    """In-scope rows cover more than out-of-scope ones, with overlap."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        inside = i % 3 != 0
        base = {f: float(rng.normal()) for f in FEATURES}
        base["coverage_seen"] = float(rng.normal(1.5 if inside else -1.5))
        base["other_sector_only"] = 0.0
        group = f"doc{i % 7}" if inside else f"oos:family{i % 4}"
        rows.append(LabelledRow(f"q{i}", group, "accented", inside, base))
    return rows


def test_thresholds_keep_the_stated_out_of_scope_error() -> None:
    rng = np.random.default_rng(1)
    probs = np.concatenate([rng.uniform(0.5, 1.0, 300), rng.uniform(0.0, 0.7, 100)])
    labels = np.concatenate([np.ones(300), np.zeros(100)])
    refuse_below, answer_from = thresholds(probs, labels, oos_error=0.05)
    outside = probs[labels == 0]
    assert (outside >= refuse_below).mean() <= 0.05
    assert (outside >= answer_from).mean() <= 0.05 * ANSWERED_SHARE
    assert (outside >= answer_from).sum() > 0  # the share is used, not a stricter cut
    assert refuse_below <= answer_from


def test_folds_keep_groups_whole() -> None:
    rows = _rows(200)
    folds = group_folds(rows, 5)
    for fold in folds:
        groups = {rows[i].group for i in fold}
        others = {rows[i].group for f in folds if f is not fold for i in f}
        assert not groups & others
    assert sorted(i for f in folds for i in f) == list(range(200))


def test_fit_separates_and_reports_held_out_figures() -> None:
    model = fit(_rows(300), oos_error=0.05)
    assert model.coef[model.features.index("coverage_seen")] > 0
    held = model.report["held_out"]
    assert held["out_of_scope_refused"] >= 0.9
    assert held["false_refusal_rate"] < 0.2
    # The fitted model refuses what it was fitted to refuse, on rows it never saw.
    fresh = _rows(150, seed=7)
    probs = np.asarray([model.probability(Signals(r.values)) for r in fresh])
    result = outcome(fresh, probs, model.refuse_below, model.answer_from)
    assert result.refused_out_of_scope / result.out_of_scope >= 0.85


def test_thresholds_follow_the_size_of_the_index() -> None:
    model = _model(by_size=[[50.0, 0.5, 0.6], [1000.0, 0.8, 0.9]])
    assert model.thresholds(50) == (0.5, 0.6)
    assert model.thresholds(1000) == pytest.approx((0.8, 0.9))
    assert model.thresholds(10) == (0.5, 0.6)  # smaller than any fitted: the smallest's
    assert model.thresholds(5000) == pytest.approx((0.8, 0.9))
    low, high = model.thresholds(220)
    assert 0.5 < low < 0.8 and 0.6 < high < 0.9
    assert _model().thresholds(220) == (0.4, 0.6)  # fitted on one size: the same everywhere


def test_fit_keeps_each_index_size_own_thresholds() -> None:
    """A small index whose out-of-scope rows score low gets lower thresholds than a big one
    whose out-of-scope rows score high, instead of the big one's for both."""
    small = [replace(r, index="small", index_chunks=50) for r in _rows(300, seed=3)]
    big = [replace(r, index="big", index_chunks=1000, id=f"b{r.id}") for r in _rows(300, seed=4)]
    for row in big:
        if not row.in_scope:
            row.values["coverage_seen"] += 1.0  # out of scope, yet more of it is covered
    model = fit(small + big, oos_error=0.05)
    assert [size for size, _, _ in model.by_size] == [50.0, 1000.0]
    assert model.thresholds(50)[0] < model.thresholds(1000)[0]
    assert model.refuse_below == model.thresholds(1000)[0]


def test_trees_read_as_data_give_scikit_learns_probabilities() -> None:
    from sklearn.ensemble import HistGradientBoostingClassifier

    rng = np.random.default_rng(5)
    x = rng.normal(size=(400, 4))
    y = (x[:, 0] + x[:, 1] * x[:, 2] > 0).astype(int)
    fitted = HistGradientBoostingClassifier(max_leaf_nodes=7, max_iter=20).fit(x, y)
    trees = Trees.of(fitted)
    # Fresh rows, and rows lying exactly on the split thresholds (scikit-learn goes left).
    on_splits = [node[1] for tree in trees.nodes for node in tree if node[2] >= 0][:50]
    rows = np.vstack([rng.normal(size=(100, 4)), np.tile(np.asarray(on_splits)[:, None], 4)])
    ours = np.asarray([trees.probability(row) for row in rows])
    assert np.allclose(ours, fitted.predict_proba(rows)[:, 1], atol=1e-9)


def test_a_fitted_model_decides_with_trees_and_round_trips(tmp_path: Path) -> None:
    model = fit(_rows(300), oos_error=0.05)
    assert model.trees is not None
    model.save(tmp_path / "answerability.json")
    loaded = AnswerabilityModel.load(tmp_path)
    assert loaded == model
    fresh = [Signals(r.values) for r in _rows(50, seed=9)]
    assert [loaded.probability(f) for f in fresh] == [model.probability(f) for f in fresh]
    # The trees decide, not the logistic weights beside them.
    flat = replace(loaded, coef=[0.0] * len(loaded.coef), intercept=0.0)
    assert [flat.probability(f) for f in fresh] == [model.probability(f) for f in fresh]


def test_monotone_trees_never_lower_the_probability_for_more_coverage() -> None:
    rng = np.random.default_rng(3)
    x = rng.uniform(size=(600, len(FEATURES)))
    coverage = x[:, FEATURES.index("coverage_seen")]
    y = ((coverage > 0.9) | ((coverage > 0.3) & (coverage < 0.6))).astype(int)  # dips at 0.6-0.9
    grid = np.tile(x[:1], (21, 1))
    grid[:, FEATURES.index("coverage_seen")] = np.linspace(0, 1, 21)
    free = trees_learner(x, y, FEATURES)(grid)
    monotone = monotone_trees_learner(x, y, FEATURES)(grid)
    assert np.any(np.diff(free) < 0)  # unconstrained trees follow the dip
    assert np.all(np.diff(monotone) >= 0)


@pytest.mark.parametrize(
    ("question", "passage", "found"),
    [
        # a body is named with a capital: "Bộ Nội vụ", "Sở GD&ĐT", "Báo Long An"
        ("cơ quan nào quản lý văn thư", "Bộ Nội vụ chịu trách nhiệm trước Chính phủ", True),
        ("đơn vị nào chủ trì", "Giao Sở GD&ĐT chủ trì, phối hợp thực hiện.", True),
        ("ai phụ trách chuyên mục", "Báo Long An mở chuyên mục cải cách hành chính.", True),
        # the same syllables in lower case are other words ("sơ kết", "bổ sung", "bảo đảm")
        ("cơ quan nào chủ trì", "Sơ kết, tổng kết; bổ sung, bảo đảm kinh phí.", False),
        ("cơ quan nào chủ trì", "Phong trào thi đua được phát động hằng năm.", False),
        # a place is where one goes or looks, not any "tại" or "công"
        ("nộp hồ sơ ở đâu", "Nộp tại Bộ phận tiếp nhận và trả kết quả của Sở.", True),
        ("xem ở đâu", "Đăng trên Trang thông tin điện tử sgddt.longan.gov.vn.", True),
        ("nộp hồ sơ ở đâu", "Nội dung công tác tuyên truyền được quy định tại Điều 5.", False),
    ],
)
def test_answer_types_of_places_and_bodies(question: str, passage: str, found: bool) -> None:
    assert answer_type_found(normalize(question), passage) is found
