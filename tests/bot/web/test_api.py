"""The public HTTP contract of POST /v1/ask, including bad input."""

from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient

from motcua.bot.answering.pipeline import Question, QuestionPipeline
from motcua.bot.web.app import create_app
from motcua.storage.conversations import SqlConversationStore
from tests.conftest import make_settings
from tests.scripted import (
    FEE_QUESTION,
    LEAD,
    SUGGESTIONS,
    UNCLEAR,
    OneCuratedAnswer,
    ScriptedResponder,
)


@pytest.fixture(scope="module")
def client(cards_index, cards_responder):
    app = create_app(make_settings(cards_index), responder=cards_responder)
    with TestClient(app) as test_client:
        yield test_client


def test_answer_has_the_documented_shape(client: TestClient) -> None:
    response = client.post(
        "/v1/ask", json={"question": "Xin bản sao bằng tốt nghiệp từ sổ gốc ở đâu?"}
    )
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "question",
        "answer",
        "status",
        "refused",
        "suggestions",
        "lead",
        "citations",
        "answer_id",
        "curated",
        "conversation_id",
    }
    assert body["status"] == "answered" and body["suggestions"] == []
    assert body["refused"] is False and body["curated"] is False
    assert body["answer_id"], "every answer is logged with an id that 👍/👎 can refer to"
    assert body["citations"], "an answer cites its sources"
    first = body["citations"][0]
    assert set(first) == {"doc_id", "title", "so_hieu", "section", "quote", "score"}
    assert first["doc_id"] == "tthc-ban-sao-van-bang"
    scores = [c["score"] for c in body["citations"]]
    assert scores == sorted(scores, reverse=True), "citations are ordered best first"


def test_question_without_diacritics_finds_the_same_card(client: TestClient) -> None:
    body = client.post(
        "/v1/ask", json={"question": "chuyen truong cho hoc sinh THCS can giay to gi"}
    ).json()
    assert not body["refused"]
    assert body["citations"][0]["doc_id"] == "tthc-chuyen-truong-thcs"


def test_out_of_scope_question_is_refused_politely(client: TestClient) -> None:
    body = client.post("/v1/ask", json={"question": "Giá vàng SJC hôm nay bao nhiêu?"}).json()
    assert body["refused"] is True and body["status"] == "refused"
    assert body["suggestions"] == [] and body["lead"] is None
    assert body["citations"] == []
    assert "dichvucong.gov.vn" in body["answer"]


@pytest.mark.parametrize(
    "payload",
    [
        {"question": ""},
        {"question": "   \n\t "},
        {"question": "a" * 50_000},
        {"question": 42},
        {"question": None},
        {"question": ["chuyển trường"]},
        {},
        {"conversation_id": "x"},
        {"question": "còn lệ phí thì sao?", "conversation_id": "telegram:123456789"},
        {"question": "còn lệ phí thì sao?", "conversation_id": "zalo:4567"},
        {"question": "còn lệ phí thì sao?", "conversation_id": "web:short"},
    ],
)
def test_bad_questions_get_a_clear_4xx(client: TestClient, payload: dict) -> None:
    response = client.post("/v1/ask", json=payload)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert isinstance(detail, str) and "/" in detail, "message in Vietnamese / English"


@pytest.mark.parametrize("raw", [b"{not json", b"", b"\xff\xfe", b'"just a string"', b"[1, 2]"])
def test_malformed_bodies_get_a_clear_4xx(client: TestClient, raw: bytes) -> None:
    response = client.post("/v1/ask", content=raw, headers={"content-type": "application/json"})
    assert 400 <= response.status_code < 500
    assert "JSON" in response.json()["detail"]


def test_health(client: TestClient) -> None:
    body = client.get("/healthz").json()
    assert body["status"] == "ok" and isinstance(body["pid"], int)


def test_service_without_an_index_says_so(tmp_path) -> None:
    app = create_app(make_settings(tmp_path / "missing"))
    with TestClient(app) as fresh:
        response = fresh.post("/v1/ask", json={"question": "chuyển trường"})
    assert response.status_code == 503
    assert "motcua ingest" in response.json()["detail"]


def test_ready_and_metrics(client: TestClient) -> None:
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["index_version"] >= 1
    client.post("/v1/ask", json={"question": "Giá vàng SJC hôm nay bao nhiêu?"})
    text = client.get("/metrics").text
    assert 'motcua_answers_total{outcome="refused"}' in text
    assert 'motcua_requests_total{channel="http",route="/v1/ask",status="200"}' in text
    assert "motcua_index_version" in text


def test_not_ready_without_an_index(tmp_path) -> None:
    with TestClient(create_app(make_settings(tmp_path / "missing"))) as fresh:
        assert fresh.get("/readyz").status_code == 503
        assert fresh.get("/healthz").status_code == 200


@pytest.fixture
def fresh_client(cards_index, cards_responder, tmp_path):
    settings = make_settings(cards_index, data_dir=tmp_path / "data")
    with TestClient(create_app(settings, responder=cards_responder)) as test_client:
        yield test_client


def test_feedback_by_answer_id_lands_in_the_unanswered_view(fresh_client: TestClient) -> None:
    client = fresh_client
    body = client.post("/v1/ask", json={"question": "chuyen truong cho con lop 7"}).json()
    down = {"answer_id": body["answer_id"], "rating": "down", "user": "parent-1"}
    assert client.post("/v1/feedback", json=down).json() == {"status": "recorded"}
    (row,) = client.app.state.pipeline.interactions.unanswered()
    assert (row.question, row.thumbs_down, row.refused) == ("chuyen truong cho con lop 7", 1, 0)
    unknown = client.post("/v1/feedback", json={**down, "answer_id": "nope"})
    assert unknown.status_code == 404 and "unknown answer id" in unknown.json()["detail"]
    bad = client.post("/v1/feedback", json={**down, "rating": "meh"})
    assert bad.status_code == 422


def test_refused_questions_are_grouped_across_diacritics(fresh_client: TestClient) -> None:
    client = fresh_client
    for question in ("Giá vé máy bay đi Đà Nẵng?", "gia ve may bay di da nang?"):
        assert client.post("/v1/ask", json={"question": question}).json()["refused"] is True
    (row,) = client.app.state.pipeline.interactions.unanswered()
    assert row.count == 2 and row.refused == 2
    assert row.question == "gia ve may bay di da nang?", "the latest wording is shown"


ASK = {"question": "chuyen truong THCS can giay to gi"}


def test_public_ask_is_limited_per_client_address_when_configured(
    cards_index, cards_responder, tmp_path, monkeypatch
) -> None:
    # One fixed minute: requests straddling a minute's end would start a new count.
    monkeypatch.setattr("motcua.storage.ephemeral.window_clock", lambda: 1_800_000_030.0)
    settings = make_settings(cards_index, data_dir=tmp_path, api_rate_limit_per_minute=2)
    with TestClient(create_app(settings, responder=cards_responder)) as limited:
        assert [limited.post("/v1/ask", json=ASK).status_code for _ in range(2)] == [200, 200]
        over = limited.post("/v1/ask", json=ASK)
        assert over.status_code == 429
        assert over.headers["retry-after"] == "60"
        assert "đợi một phút" in over.json()["detail"]
        # Other routes (the console's pages, health) are not counted against the address.
        assert limited.get("/healthz").status_code == 200


def test_workers_sharing_redis_share_one_count(
    cards_index, cards_responder, tmp_path, redis_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One fixed minute: requests straddling a minute's end would start a new count.
    monkeypatch.setattr("motcua.storage.ephemeral.window_clock", lambda: 1_800_000_030.0)
    namespace = f"t{uuid.uuid4().hex[:8]}"
    settings = make_settings(
        cards_index,
        data_dir=tmp_path,
        redis_url=redis_url,
        redis_namespace=namespace,
        api_rate_limit_per_minute=3,
    )
    first = TestClient(create_app(settings, responder=cards_responder))
    second = TestClient(create_app(settings, responder=cards_responder))
    with first, second:
        codes = [client.post("/v1/ask", json=ASK).status_code for client in (first, second) * 2]
    assert codes == [200, 200, 200, 429]


def test_unreachable_limiter_lets_questions_through(cards_index, cards_responder, tmp_path) -> None:
    # Nothing listens on port 9 (discard): every INCR fails.
    settings = make_settings(
        cards_index,
        data_dir=tmp_path,
        redis_url="redis://127.0.0.1:9/0",
        api_rate_limit_per_minute=1,
    )
    with TestClient(create_app(settings, responder=cards_responder)) as client:
        assert [client.post("/v1/ask", json=ASK).status_code for _ in range(3)] == [200] * 3


# --- Clarify answers, suggestions and leads (scripted answers in front of the real index) ------


@pytest.fixture
def scripted_client(cards_index, cards_responder, tmp_path):
    scripted = ScriptedResponder(inner=cards_responder)
    settings = make_settings(cards_index, data_dir=tmp_path / "data")
    app = create_app(settings, responder=scripted)
    app.state.scripted = scripted
    with TestClient(app) as test_client:
        yield test_client


def test_a_clarify_answer_carries_its_suggestions(scripted_client: TestClient) -> None:
    body = scripted_client.post("/v1/ask", json={"question": UNCLEAR}).json()
    assert body["status"] == "clarify" and body["refused"] is False
    assert body["suggestions"] == [{"label": s.label, "question": s.question} for s in SUGGESTIONS]
    assert body["lead"] is None


def test_a_number_in_the_conversation_asks_the_suggestion(scripted_client: TestClient) -> None:
    first = scripted_client.post("/v1/ask", json={"question": UNCLEAR}).json()
    conversation = {"conversation_id": first["conversation_id"]}
    body = scripted_client.post("/v1/ask", json={"question": "số 2", **conversation}).json()
    chosen = SUGGESTIONS[1].question
    assert body["question"] == chosen
    assert scripted_client.app.state.scripted.questions[-1] == chosen
    # The question log holds the question that was answered, not "số 2".
    logged = scripted_client.app.state.pipeline.interactions.question(body["answer_id"])
    assert logged["question"] == chosen


def test_an_aspect_led_answer_carries_its_lead(scripted_client: TestClient) -> None:
    body = scripted_client.post("/v1/ask", json={"question": FEE_QUESTION}).json()
    assert body["status"] == "answered" and body["lead"] == LEAD
    assert body["answer"].startswith(LEAD)


def test_openapi_documents_status_suggestions_and_lead(client: TestClient) -> None:
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    ask = schemas["AskResponse"]["properties"]
    assert ask["status"]["enum"] == ["answered", "clarify", "refused"]
    assert ask["suggestions"]["items"]["$ref"].endswith("/SuggestionOut")
    assert set(schemas["SuggestionOut"]["required"]) == {"label", "question"}
    assert "lead" in ask and ask["lead"]["description"]
    assert "status" in schemas["AskResponse"]["required"]


def test_a_chosen_suggestion_gets_its_curated_answer() -> None:
    scripted = ScriptedResponder()
    pipeline = QuestionPipeline(
        SqlConversationStore("sqlite://"), None, OneCuratedAnswer(SUGGESTIONS[2].question)
    )
    pipeline.serve(scripted, version=1)  # type: ignore[arg-type]
    assert pipeline.ask(Question(UNCLEAR, conversation="zalo:5")).status == "clarify"
    answer = pipeline.ask(Question("3", channel="zalo", conversation="zalo:5"))
    assert answer.curated_id == 7 and answer.question == SUGGESTIONS[2].question
    assert scripted.questions == [UNCLEAR], "the curated answer needed no responder"


@pytest.mark.parametrize(
    ("method", "path", "body", "vietnamese", "english"),
    [
        ("post", "/v1/ask", {}, "question: thiếu trường bắt buộc", "Field required"),
        ("post", "/v1/ask", {"question": 5}, "question: phải là chuỗi ký tự", "valid string"),
        ("get", "/v1/procedures?limit=1000", None, "limit: phải từ 100 trở xuống", "less than"),
        ("get", "/v1/decrees?limit=abc", None, "limit: phải là số nguyên", "valid integer"),
    ],
)
def test_a_refused_field_is_explained_in_both_languages(
    client: TestClient, method: str, path: str, body: dict | None, vietnamese: str, english: str
) -> None:
    response = client.request(method, path, json=body)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert vietnamese in detail and english in detail
