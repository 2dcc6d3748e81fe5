"""A question about a paper no passage names is refused (issue 15 item 5): a province's list of
procedures shares the request ("cấp lại", "lệ phí", "thời hạn") with every procedure it lists,
and quoting another procedure's row or passage would pass for an answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from motcua.bot.answering.loading import load_responder
from motcua.bot.answering.procedures import papers_unnamed
from motcua.lexicon import normalize
from tests.conftest import ingest_texts, make_settings

DOC_ID = "1766_2020_qd-ubnd"
# The shape of a provincial decision that publishes procedures, as web saves give it.
CATALOGUE = """ỦY BAN NHÂN DÂN
TỈNH BÌNH THUẬN

Số: 1766/QĐ-UBND

Bình Thuận, ngày 03 tháng 8 năm 2020

QUYẾT ĐỊNH
Về việc công bố danh mục thủ tục hành chính thuộc thẩm quyền giải quyết của Sở Tư pháp

Điều 1. Công bố kèm theo Quyết định này danh mục thủ tục hành chính thuộc thẩm quyền giải
quyết của Sở Tư pháp tỉnh Bình Thuận.

Điều 2. Quyết định này có hiệu lực kể từ ngày ký.

PHỤ LỤC

DANH MỤC THỦ TỤC HÀNH CHÍNH

| TT | Tên thủ tục hành chính | Thời hạn giải quyết | Phí, lệ phí | Địa điểm thực hiện |
| --- | --- | --- | --- | --- |
| 1 | Cấp giấy xác nhận là người gốc Việt Nam | 05 ngày | 100.000 đồng | Trung tâm HCC tỉnh |
| 2 | Cấp lại giấy phép hoạt động dạy thêm | 10 ngày | Không | Trung tâm HCC tỉnh |
"""


@pytest.fixture(scope="module")
def responder(tmp_path_factory: pytest.TempPathFactory, cards_index: Path):
    folder = tmp_path_factory.mktemp("papers-asked")
    index = ingest_texts(folder, {f"{DOC_ID}.md": CATALOGUE}, cards_index)
    return load_responder(make_settings(index))


@pytest.mark.parametrize(
    "question",
    [
        "lệ phí xin giấy xác nhận đang học cho con là bao nhiêu?",
        "le phi xin giay xac nhan dang hoc cho con la bn",
        "thời hạn giải quyết thủ tục cấp lại giấy khen là bao lâu?",
        "cấp lại giấy khen nộp ở đâu vậy ad",
    ],
)
def test_a_paper_no_row_names_is_refused(responder, question: str) -> None:
    answer = responder.answer(question)
    assert answer.status == "refused", answer.answer
    assert not answer.citations


def test_the_rows_answer_the_procedures_they_name(responder) -> None:
    answer = responder.answer("Lệ phí cấp giấy xác nhận là người gốc Việt Nam là bao nhiêu?")
    assert answer.status == "answered", answer.answer
    assert "100.000 đồng" in answer.answer
    assert answer.citations[0].doc_id == DOC_ID


@pytest.mark.parametrize(
    ("question", "passage", "unnamed"),
    [
        ("cấp lại giấy khen mất bao lâu", "Cấp lại giấy phép lao động: 05 ngày", True),
        ("cấp lại giấy khen mất bao lâu", "Cấp lại giấy khen: 05 ngày", False),
        # a paper's other names count: "giấy báo điểm" is the "phiếu điểm" of the lexicon
        ("xin giấy báo điểm thi ở đâu", "Phiếu điểm được gửi về trường", False),
        ("xin giay xac nhan dang hoc o dau", "Cấp giấy xác nhận là người gốc Việt Nam", True),
        # "bằng" is also the preposition: a paper read from it alone decides nothing
        ("nộp hồ sơ bằng đường bưu điện được không", "Nộp trực tiếp tại trường", False),
        ("chuyển trường cần giấy tờ gì", "Đơn xin chuyển trường", False),  # no paper named
    ],
)
def test_papers_unnamed(question: str, passage: str, unnamed: bool) -> None:
    assert papers_unnamed(normalize(question), [passage]) is unnamed
