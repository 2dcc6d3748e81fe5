"""Issue 17, item 10: the lower findings. Uploads named like a built-in card or an indexed
document replaced it silently; the ingest queue was unbounded (repeated deletions queued 291
jobs); Zalo accepted stale events; one client could vote any number of times; "%0a" in a path
forged a log line; no CSP, framing or caching headers; /docs and /metrics could not be off."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from motcua.bot.web.app import create_app
from motcua.index.uploads import (
    MAX_QUEUED_JOBS,
    QueueFull,
    Upload,
    UploadConflict,
    UploadError,
    accept_uploads,
    request_deletion,
)
from motcua.storage.database import Database
from motcua.storage.jobs import ADD, IngestJobs
from motcua.storage.schema import feedback
from tests.bot.channels.test_channel_zalo import APP_ID, OA_SECRET, signed, text_event
from tests.conftest import make_settings

KEY = {"X-API-Key": "khoa-quan-tri-du-dai"}
PLAN = "KẾ HOẠCH\nTuyên truyền cải cách hành chính năm 2026 tại trường học.\n"


@pytest.fixture
def database(tmp_path: Path):
    database = Database(f"sqlite:///{tmp_path / 'state.sqlite3'}")
    database.migrate()
    yield database
    database.close()


def test_uploads_never_silently_replace_a_card_or_a_document(tmp_path: Path, database) -> None:
    settings = make_settings(tmp_path / "index")
    card = [Upload("tthc-ban-sao-van-bang.txt", PLAN.encode())]
    with pytest.raises(UploadError, match="thẻ thủ tục có sẵn"):
        accept_uploads(settings, database, card, "admin", replace=True)
    plan = [Upload("ke-hoach-2026.txt", PLAN.encode())]
    accept_uploads(settings, database, plan, "admin")
    with pytest.raises(UploadConflict, match="replace=true"):
        accept_uploads(settings, database, plan, "admin")
    with pytest.raises(UploadConflict):
        accept_uploads(settings, database, [Upload("x.txt", b"x y")], "admin", existing={"x"})
    job, doc_ids = accept_uploads(settings, database, plan, "admin", replace=True)
    assert doc_ids == ["ke-hoach-2026"] and job.action == ADD


def test_the_ingest_queue_is_bounded_and_deletions_are_not_repeated(
    tmp_path: Path, database
) -> None:
    first = request_deletion(database, ["ke-hoach-cu"])
    assert [request_deletion(database, ["ke-hoach-cu"]).id for _ in range(5)] == [first.id] * 5
    jobs = IngestJobs(database)
    while len(jobs.queued()) < MAX_QUEUED_JOBS:
        jobs.create(ADD, ["x"])
    with pytest.raises(QueueFull):
        request_deletion(database, ["another"])
    with pytest.raises(QueueFull):
        accept_uploads(make_settings(tmp_path / "i"), database, [Upload("a.txt", b"a b")], None)


@pytest.fixture
def client(tmp_path: Path, cards_responder):
    zalo = {
        "zalo_app_id": APP_ID,
        "zalo_oa_secret_key": OA_SECRET,
        "zalo_access_token": "access-1",
        "zalo_refresh_token": "refresh-1",
        "zalo_api_base_url": "http://127.0.0.1:9",
        "zalo_oauth_base_url": "http://127.0.0.1:9",
    }
    settings = make_settings(tmp_path / "index", admin_api_key=KEY["X-API-Key"], **zalo)
    with TestClient(create_app(settings, responder=cards_responder)) as test_client:
        yield test_client


def test_a_stale_zalo_event_is_refused(client: TestClient) -> None:
    stale = text_event("chuyển trường THCS cần gì")
    stale["timestamp"] = str(int((time.time() - 3600) * 1000))  # signed, but an hour old
    raw, headers = signed(stale)
    assert client.post("/webhook/zalo", content=raw, headers=headers).status_code == 403
    raw, headers = signed(text_event("chuyển trường THCS cần gì"))
    assert client.post("/webhook/zalo", content=raw, headers=headers).status_code == 200


def test_one_vote_per_answer_and_client(client: TestClient) -> None:
    answer_id = client.post("/v1/ask", json={"question": "chuyển trường THCS"}).json()["answer_id"]
    for n in range(5):  # a client naming itself anew each time
        vote = {"answer_id": answer_id, "rating": "down", "user": f"khach-{n}"}
        assert client.post("/v1/feedback", json=vote).status_code == 200
    with client.app.state.database.read() as connection:
        assert len(connection.execute(feedback.select()).all()) == 1


def test_a_path_cannot_forge_a_log_line(client: TestClient, caplog) -> None:
    with caplog.at_level(logging.INFO, logger="motcua.http"):
        client.get("/v1/x%0a2026-11-26 INFO GET /v1/admin 200")
    lines = [r.getMessage() for r in caplog.records if r.name == "motcua.http"]
    assert lines and all("\n" not in line for line in lines)
    assert any("\\x0a" in line for line in lines)


def test_pages_say_what_a_browser_may_do(client: TestClient) -> None:
    page = client.get("/console")
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["x-content-type-options"] == "nosniff"
    export = client.get("/v1/admin/unanswered.csv", headers=KEY)
    assert export.headers["cache-control"] == "no-store"
    assert client.get("/console/admin/login").headers["cache-control"] == "no-store"
    assert client.post("/v1/ask", json={"question": "a b"}).headers["x-content-type-options"]


def test_docs_and_metrics_can_be_turned_off(tmp_path: Path, cards_responder) -> None:
    settings = make_settings(tmp_path / "index", api_docs=False, metrics_endpoint=False)
    with TestClient(create_app(settings, responder=cards_responder)) as client:
        for path in ("/docs", "/redoc", "/openapi.json", "/metrics"):
            assert client.get(path).status_code == 404, path
        assert client.post("/v1/ask", json={"question": "chuyển trường"}).status_code == 200
