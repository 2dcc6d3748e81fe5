"""The public HTTP contract of POST /v1/ask, including bad input."""

from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient

from motcua.bot.app import create_app
from tests.conftest import make_settings


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
    assert set(body) == {"question", "answer", "refused", "citations", "answer_id", "curated"}
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
    assert body["refused"] is True
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
    (row,) = client.app.state.interactions.unanswered()
    assert (row.question, row.thumbs_down, row.refused) == ("chuyen truong cho con lop 7", 1, 0)
    unknown = client.post("/v1/feedback", json={**down, "answer_id": "nope"})
    assert unknown.status_code == 404 and "unknown answer id" in unknown.json()["detail"]
    bad = client.post("/v1/feedback", json={**down, "rating": "meh"})
    assert bad.status_code == 422


def test_refused_questions_are_grouped_across_diacritics(fresh_client: TestClient) -> None:
    client = fresh_client
    for question in ("Giá vé máy bay đi Đà Nẵng?", "gia ve may bay di da nang?"):
        assert client.post("/v1/ask", json={"question": question}).json()["refused"] is True
    (row,) = client.app.state.interactions.unanswered()
    assert row.count == 2 and row.refused == 2
    assert row.question == "gia ve may bay di da nang?", "the latest wording is shown"


ASK = {"question": "chuyen truong THCS can giay to gi"}


def test_public_ask_is_limited_per_client_address_when_configured(
    cards_index, cards_responder, tmp_path
) -> None:
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
    cards_index, cards_responder, tmp_path, redis_url: str
) -> None:
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
