"""Issue 17, item 5: request bodies had no limit (one anonymous 200 MB POST to /v1/ask or to a
webhook was read whole), and a webhook read and parsed its body before looking for its
signature (deeply nested JSON was a server error)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from motcua.bot.web.app import create_app
from tests.conftest import make_settings

ZALO = {
    "zalo_app_id": "1234567890",
    "zalo_oa_secret_key": "oa-secret-for-tests",
    "zalo_access_token": "access-1",
    "zalo_refresh_token": "refresh-1",
    "zalo_api_base_url": "http://127.0.0.1:9",  # never called: no valid event gets through
    "zalo_oauth_base_url": "http://127.0.0.1:9",
}


@pytest.fixture(scope="module")
def client(cards_index, cards_responder):
    settings = make_settings(cards_index, max_body_kb=64, **ZALO)
    app = create_app(settings, responder=cards_responder)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def test_a_declared_oversized_body_is_refused_before_it_is_read(client: TestClient) -> None:
    response = client.post(
        "/v1/ask",
        content=b'{"question": "' + b"a" * 200_000 + b'"}',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 413


def test_a_chunked_body_is_counted_as_it_arrives(client: TestClient) -> None:
    def chunks():
        yield b'{"question": "'
        for _ in range(100):
            yield b"a" * 4096  # 400 KB in all, with no Content-Length
        yield b'"}'

    response = client.post(
        "/v1/ask", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413


def test_an_ordinary_question_still_passes(client: TestClient) -> None:
    response = client.post("/v1/ask", json={"question": "chuyển trường THCS cần giấy tờ gì"})
    assert response.status_code == 200


def test_a_webhook_without_a_signature_is_refused_before_its_body_is_read(
    client: TestClient,
) -> None:
    assert client.post("/webhook/zalo", content=b"{}").status_code == 401
    big = b"[" * 2_000_000
    assert client.post("/webhook/zalo", content=big).status_code == 413


def test_deeply_nested_json_is_a_client_error_on_the_webhook(client: TestClient) -> None:
    nested = b"[" * 50_000 + b"]" * 50_000  # 100 KB, under the webhook limit
    response = client.post(
        "/webhook/zalo", content=nested, headers={"X-ZEvent-Signature": "mac=deadbeef"}
    )
    assert response.status_code == 400


def test_deeply_nested_json_is_a_client_error_on_ask(client: TestClient) -> None:
    nested = b'{"question": ' + b"[" * 20_000 + b"]" * 20_000 + b"}"
    response = client.post("/v1/ask", content=nested, headers={"content-type": "application/json"})
    assert 400 <= response.status_code < 500


@pytest.mark.parametrize(
    ("method", "path"),
    [("post", "/v1/ask"), ("get", "/v1/decrees"), ("get", "/health"), ("post", "/webhook/zalo")],
)
def test_every_413_is_the_documented_json(client: TestClient, method: str, path: str) -> None:
    # An endpoint that never reads its body used to get Starlette's plain-text 413, which the
    # OpenAPI schema (413: ErrorOut) does not describe.
    response = client.request(
        method, path, content=b"x" * 3_000_000, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("application/json")
    assert "quá lớn" in response.json()["detail"]
