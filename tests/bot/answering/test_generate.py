"""Generated answers and their hallucination guard, without a network.

LangChain's fake chat models stand in for the model; a stub OpenAI-compatible server on
loopback proves the real `ChatOpenAI` path, its timeout and the guard behind it. Every test of
an invented figure asserts the figure is absent, so removing the guard fails them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from motcua.bot.answering.llm_answers import (
    GeneratedComposer,
    Passage,
    build_chat_model,
    figures,
    guard_answer,
)
from motcua.settings import Settings
from tests.stubs import serve_json

PASSAGES = [
    Passage(
        number=1,
        doc_id="nd-86-2018",
        label="Nghị định số 86/2018/NĐ-CP ngày 06/09/2018 của Chính phủ",
        section="Điều 12. Cấp bản sao văn bằng",
        text=(
            "Hồ sơ gồm đơn đề nghị cấp bản sao và bản chính giấy tờ tùy thân. "
            "Thời hạn giải quyết là 5 ngày làm việc kể từ ngày nhận đủ hồ sơ. "
            "Lệ phí 20.000 đồng/bản. Quy định có hiệu lực từ ngày 15 tháng 10 năm 2018."
        ),
    ),
    Passage(
        number=2,
        doc_id="tt-08-2021",
        label="Thông tư số 08/2021/TT-BGDĐT của Bộ Giáo dục và Đào tạo",
        section=None,
        text="Người đề nghị nộp hồ sơ trực tiếp hoặc qua bưu điện tại cơ quan đang quản lý sổ gốc.",
    ),
]

FAITHFUL = (
    "Bạn cần nộp đơn đề nghị cấp bản sao và bản chính giấy tờ tùy thân [1]. "
    "Hồ sơ nộp trực tiếp hoặc qua bưu điện tại cơ quan quản lý sổ gốc [2].\n"
    "Thời hạn giải quyết là 5 ngày làm việc, lệ phí 20.000 đồng/bản [1]. "
    "Căn cứ: Nghị định 86/2018/NĐ-CP [1]."
)
QUESTION = "Xin cấp bản sao bằng tốt nghiệp cần gì?"


def compose_with(*responses: str) -> str | None:
    model = FakeListChatModel(responses=list(responses))
    return GeneratedComposer(model).compose(QUESTION, PASSAGES)


class FailingModel(FakeListChatModel):
    def _call(self, *args: Any, **kwargs: Any) -> str:
        raise TimeoutError("model did not answer in time")


# --- fake chat models ------------------------------------------------------------------------


def test_faithful_answer_passes_through_unchanged() -> None:
    assert compose_with(FAITHFUL) == FAITHFUL


def test_invented_decree_number_never_reaches_the_output() -> None:
    answer = compose_with(FAITHFUL + " Theo Nghị định 99/2099/NĐ-CP, hồ sơ được miễn phí [1].")
    assert answer is not None
    assert "99/2099" not in answer and "miễn phí" not in answer
    assert "86/2018/NĐ-CP" in answer and "20.000 đồng/bản [1]" in answer


def test_invented_document_number_of_another_shape_is_dropped() -> None:
    answer = compose_with(FAITHFUL + "\nXem thêm Kế hoạch 4321/KH-SGDĐT [2].")
    assert answer is not None and "4321" not in answer


def test_marker_of_a_passage_not_given_is_dropped() -> None:
    answer = compose_with(FAITHFUL + " Học sinh cũng có thể nộp trực tuyến [7].")
    assert answer is not None
    assert "[7]" not in answer and "trực tuyến" not in answer
    assert "[2]" in answer


def test_marker_ranges_and_lists_are_checked() -> None:
    answer = compose_with(FAITHFUL + " Mọi thủ tục đều giống nhau [1-3].")
    assert answer is not None and "[1-3]" not in answer
    assert compose_with(FAITHFUL + " Cả hai văn bản quy định [1, 2].") is not None


@pytest.mark.parametrize(
    "invented",
    [
        "Lệ phí là 50.000 đồng [1].",
        "Lệ phí là 50 nghìn đồng [1].",
        "Phí dịch vụ 150.000 VNĐ mỗi bản [2].",
        "Hạn cuối nộp hồ sơ là 01/01/2030 [1].",
        "Quy định áp dụng từ ngày 1 tháng 7 năm 2030 [1].",
        "Thời hạn giải quyết là 30 ngày [1].",
    ],
)
def test_invented_fee_date_or_figure_is_dropped(invented: str) -> None:
    answer = compose_with(f"{FAITHFUL} {invented}")
    assert answer is not None
    assert invented.rstrip(".") not in answer
    for figure in ("50.000", "50 nghìn", "150.000", "2030", "30 ngày"):
        assert figure not in answer


def test_figures_match_across_spellings() -> None:
    # The passage's date in words, its fee in digits, its decree with diacritics and zeros.
    answer = (
        "Quy định có hiệu lực từ 15/10/2018 [1]. Lệ phí 20 nghìn đồng mỗi bản [1]. "
        "Căn cứ Nghị định 86/2018/ND-CP ngày 6/9/2018 [1] và Thông tư 8/2021/TT-BGDDT [2]."
    )
    assert compose_with(answer) == answer


def test_uncited_sentences_keep_no_figures() -> None:
    answer = compose_with(
        FAITHFUL
        + "\nThời hạn giải quyết là 5 ngày làm việc.\nBạn nên liên hệ trường để được hỗ trợ."
    )
    assert answer is not None
    assert answer.count("5 ngày làm việc") == 1  # the uncited repeat is gone
    assert "Bạn nên liên hệ trường để được hỗ trợ." in answer


def test_list_items_inherit_the_markers_of_their_lead_in() -> None:
    listed = (
        "Hồ sơ gồm [1]:\n- Đơn đề nghị cấp bản sao\n- Thời hạn 5 ngày làm việc\n- Nộp 2 bản sao"
    )
    answer = compose_with(listed)
    assert answer == "Hồ sơ gồm [1]:\n- Đơn đề nghị cấp bản sao\n- Thời hạn 5 ngày làm việc"
    # A lead-in citing a passage that was not given takes its list down with it.
    invented = compose_with(FAITHFUL + "\nNgoài ra cần [9]:\n- Giấy khám sức khỏe\n- Ảnh 3x4")
    assert invented is not None and "[9]" not in invented and "khám sức khỏe" not in invented


def test_reasoning_is_stripped() -> None:
    answer = compose_with("<think>Có lẽ là Nghị định 99/2099/NĐ-CP.</think>\n" + FAITHFUL)
    assert answer == FAITHFUL


def test_model_that_raises_falls_back() -> None:
    model = FailingModel(responses=[FAITHFUL])
    assert GeneratedComposer(model).compose(QUESTION, PASSAGES) is None


def test_mostly_invented_answer_falls_back() -> None:
    answer = (
        "Theo Nghị định 99/2099/NĐ-CP, bạn nộp hồ sơ trực tuyến [1]. "
        "Lệ phí 75.000 đồng [1]. Kết quả trả sau 45 ngày [2]. "
        "Hồ sơ gồm đơn đề nghị cấp bản sao [1]."
    )
    assert compose_with(answer) is None


def test_answer_without_any_valid_citation_falls_back() -> None:
    assert compose_with("Tôi chưa tìm thấy thông tin này trong các văn bản hiện có.") is None
    assert compose_with("") is None
    assert compose_with("Hồ sơ nộp tại trường [3].") is None


def test_no_passages_means_no_generated_answer() -> None:
    assert GeneratedComposer(FakeListChatModel(responses=[FAITHFUL])).compose(QUESTION, []) is None


def test_question_numbers_may_be_echoed_but_not_its_decree_numbers() -> None:
    echo = FAITHFUL + " Học sinh lớp 10 nộp hồ sơ như trên [2]."
    assert guard_answer(echo, PASSAGES, "học sinh lớp 10 cần gì?") == echo
    invented = FAITHFUL + " Nghị định 99/2099/NĐ-CP không áp dụng [1]."
    answer = guard_answer(invented, PASSAGES, "Nghị định 99/2099/NĐ-CP quy định gì?")
    assert answer is not None and "99/2099" not in answer


def test_figures_classifies_what_it_finds() -> None:
    found = figures(
        "Nghị định 86/2018/NĐ-CP ngày 06/09/2018, phí 1,5 triệu đồng, Bước 2: nộp 3 bản"
    )
    assert found.doc_numbers == {"86/2018/nd-cp"}
    assert found.dates == {(6, 9, 2018)}
    assert found.amounts == {1_500_000}
    assert found.numbers == {"3"}


# --- the OpenAI-compatible client against a loopback stub ----------------------------------


def test_no_endpoint_means_no_model() -> None:
    assert build_chat_model(Settings(_env_file=None)) is None
    assert build_chat_model(Settings(_env_file=None, llm_base_url="http://127.0.0.1:9/v1")) is None


Reply = Callable[[dict], str]


@contextmanager
def openai_stub(reply: Reply) -> Iterator[tuple[str, list[dict]]]:
    """`POST /v1/chat/completions` on 127.0.0.1 answering `reply(body)` in OpenAI's shape."""
    requests: list[dict] = []

    def handle(path: str, headers: dict[str, str], body: dict) -> object:
        requests.append({"path": path, "auth": headers.get("authorization"), **body})
        return {
            "id": "chatcmpl-stub",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", "stub"),
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": reply(body)},
                    "finish_reason": "stop",
                }
            ],
            "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
        }

    with serve_json(handle) as url:
        yield f"{url}/v1", requests


def stub_settings(base_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {"llm_base_url": base_url, "llm_model": "stub-model"}
    return Settings(_env_file=None, **(values | overrides))


def test_chat_openai_against_a_stub_server() -> None:
    with openai_stub(lambda body: FAITHFUL) as (url, requests):
        model = build_chat_model(stub_settings(url))
        assert model is not None
        assert GeneratedComposer(model).compose(QUESTION, PASSAGES) == FAITHFUL
    (request,) = requests
    assert request["path"] == "/v1/chat/completions"
    assert request["model"] == "stub-model" and request["temperature"] == 0
    assert request["auth"] == "Bearer not-needed"
    system, user = request["messages"]
    assert system["role"] == "system" and "[1]" in system["content"]
    assert "tiếng Việt" in system["content"] and "1, 2" in system["content"]
    assert user["content"].index("[1] Nghị định số 86/2018/NĐ-CP") < user["content"].index(
        "[2] Thông tư số 08/2021/TT-BGDĐT"
    )
    assert "(mục Điều 12. Cấp bản sao văn bằng)" in user["content"]
    assert user["content"].rstrip().endswith("sau mỗi câu.") and QUESTION in user["content"]


def test_stub_inventing_a_decree_number_never_reaches_the_user() -> None:
    invented = FAITHFUL + "\nTheo Nghị định số 99/2099/NĐ-CP, lệ phí được miễn hoàn toàn [1]."
    with openai_stub(lambda body: invented) as (url, _):
        settings = stub_settings(url, llm_api_key="secret-key")
        answer = GeneratedComposer(build_chat_model(settings)).compose(QUESTION, PASSAGES)
    assert answer is not None
    assert "99/2099" not in answer and "miễn hoàn toàn" not in answer
    assert answer == FAITHFUL


def test_stub_slower_than_the_timeout_falls_back() -> None:
    release = threading.Event()

    def slow(body: dict) -> str:
        release.wait(5)
        return FAITHFUL

    with openai_stub(slow) as (url, _):
        model = build_chat_model(stub_settings(url, llm_timeout_seconds=0.3))
        started = time.monotonic()
        try:
            assert GeneratedComposer(model).compose(QUESTION, PASSAGES) is None
        finally:
            release.set()
        assert time.monotonic() - started < 2.5  # one attempt, no retries
