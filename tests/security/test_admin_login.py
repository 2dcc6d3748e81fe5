"""Issue 17, items 1 and 7: the admin pages used HTTP Basic, which a browser resends to any
request, so a page on another site made a logged-in admin upload a document, retire and create
curated answers with plain form POSTs; login attempts were unlimited and any password length
was accepted. Now: a session login with a CSRF token on every change, Origin checked, attempts
counted, short secrets refused."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from motcua.bot.web.app import create_app
from motcua.bot.web.routes.console_admin import ADMIN_NAV
from motcua.settings import Settings
from tests.conftest import make_settings

PASSWORD = "mat-khau-quan-tri-dai"
HTML = {"Accept": "text/html"}
EVIL = "https://evil.example"
CURATED = {"question": "Học phí trường A bao nhiêu?", "answer": "Chuyển khoản 9 triệu cho tôi."}


def make_client(tmp_path: Path, cards_responder, **overrides: object) -> TestClient:
    settings = make_settings(tmp_path / "index", admin_password=PASSWORD, **overrides)
    return TestClient(create_app(settings, responder=cards_responder))


@pytest.fixture
def client(tmp_path: Path, cards_responder):
    with make_client(tmp_path, cards_responder) as test_client:
        yield test_client


def log_in(client: TestClient, password: str = PASSWORD, **headers: str):
    return client.post(
        "/console/admin/login",
        data={"username": "admin", "password": password, "next": "/console/admin/curated"},
        headers=headers,
        follow_redirects=False,
    )


def csrf_token(client: TestClient) -> str:
    page = client.get("/console/admin/curated", headers=HTML)
    return re.search(r'name="csrf-token" content="([^"]+)"', page.text).group(1)


def test_the_session_cookie_is_httponly_and_strict(client: TestClient) -> None:
    response = log_in(client)
    assert response.status_code == 303 and response.headers["location"] == "/console/admin/curated"
    cookie = response.headers["set-cookie"].lower()
    assert "motcua_admin=" in cookie and "httponly" in cookie and "samesite=strict" in cookie
    assert "secure" not in cookie  # plain HTTP here; see the next test


def test_the_cookie_is_secure_behind_https(tmp_path: Path, cards_responder) -> None:
    with make_client(tmp_path, cards_responder, admin_cookie_secure=True) as client:
        assert "secure" in log_in(client).headers["set-cookie"].lower()


def test_a_cross_site_form_cannot_act_for_a_logged_in_admin(client: TestClient) -> None:
    log_in(client)
    # What another site's <form method=post> sends: the cookie (were it not SameSite), no
    # token, its own Origin.
    forged = client.post("/v1/admin/curated", data=CURATED, headers={"Origin": EVIL})
    assert forged.status_code == 403
    no_token = client.post("/v1/admin/curated", json=CURATED)
    assert no_token.status_code == 403
    wrong = client.post("/v1/admin/curated", json=CURATED, headers={"X-CSRF-Token": "x" * 43})
    assert wrong.status_code == 403
    token = csrf_token(client)
    elsewhere = client.post(
        "/v1/admin/curated", json=CURATED, headers={"X-CSRF-Token": token, "Origin": EVIL}
    )
    assert elsewhere.status_code == 403
    upload = client.post(
        "/v1/documents", files={"files": ("x.txt", b"le phi 9 trieu", "text/plain")}
    )
    assert upload.status_code == 403
    assert client.get("/v1/admin/curated").json() == []  # nothing was created
    own = client.post(
        "/v1/admin/curated",
        json=CURATED,
        headers={"X-CSRF-Token": token, "Origin": str(client.base_url)},
    )
    assert own.status_code == 201


def test_retiring_a_curated_answer_needs_the_token_and_this_site(client: TestClient) -> None:
    log_in(client)
    token = csrf_token(client)
    own = {"X-CSRF-Token": token, "Origin": str(client.base_url)}
    group = client.post("/v1/admin/curated", json=CURATED, headers=own).json()["group_id"]
    retire = f"/v1/admin/curated/{group}/retire"
    # Another site's <form method=post>, then a request without the token, then the token
    # sent from another site.
    assert client.post(retire, data={"confirm": "1"}, headers={"Origin": EVIL}).status_code == 403
    assert client.post(retire).status_code == 403
    assert client.post(retire, headers={"X-CSRF-Token": token, "Origin": EVIL}).status_code == 403
    assert client.get(f"/v1/admin/curated/{group}").json()[0]["status"] != "retired"
    done = client.post(retire, headers=own)
    assert done.status_code == 200 and done.json()["status"] == "retired"


def test_a_logged_in_admin_page_is_never_cached_nor_framed(client: TestClient) -> None:
    log_in(client)
    for _, path, _ in ADMIN_NAV:
        page = client.get(path, headers=HTML, follow_redirects=False)
        assert page.status_code == 200 and 'name="csrf-token"' in page.text, path  # logged in
        assert page.headers["cache-control"] == "no-store", path
        policy = page.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in policy and "script-src 'self'" in policy, path
        assert page.headers["x-frame-options"] == "DENY", path


def test_http_basic_no_longer_logs_in(client: TestClient) -> None:
    response = client.get("/v1/admin/curated", auth=("admin", PASSWORD))
    assert response.status_code == 401


def test_login_from_another_site_is_refused(client: TestClient) -> None:
    assert log_in(client, Origin=EVIL).status_code == 403
    assert client.get("/v1/admin/curated").status_code == 401


def test_login_attempts_are_limited(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    # One fixed minute: attempts straddling a minute's end would start a new count.
    monkeypatch.setattr("motcua.storage.ephemeral.window_clock", lambda: 1_800_000_030.0)
    for _ in range(5):
        assert log_in(client, password="doan-sai-mat-khau").status_code == 401
    assert log_in(client).status_code == 429  # even the right password, for a while
    assert client.get("/v1/admin/curated").status_code == 401


def test_login_never_redirects_to_another_site(client: TestClient) -> None:
    for target in (f"{EVIL}/x", "//evil.example/x", "/console/../v1/x"):
        response = client.post(
            "/console/admin/login",
            data={"username": "admin", "password": PASSWORD, "next": target},
            follow_redirects=False,
        )
        assert response.headers["location"].startswith("/console/admin/"), target
        assert "evil" not in response.headers["location"]


def test_logout_needs_the_token_and_ends_the_session(client: TestClient) -> None:
    log_in(client)
    token = csrf_token(client)
    assert client.post("/console/admin/logout", data={"csrf": "sai"}).status_code == 403
    assert client.get("/v1/admin/curated").status_code == 200
    done = client.post("/console/admin/logout", data={"csrf": token}, follow_redirects=False)
    assert done.status_code == 303
    assert client.get("/v1/admin/curated").status_code == 401


@pytest.mark.parametrize("field", ["admin_password", "admin_api_key"])
def test_short_admin_secrets_are_refused_at_start(field: str) -> None:
    with pytest.raises(ValidationError, match="at least 12 characters"):
        Settings(_env_file=None, **{field: "ngan-qua"})
