"""Uploads and deletions through /v1/documents on one embedded process (in-process job queue):
the new index version is swapped in atomically while questions keep being answered."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from motcua.bot.web.app import create_app
from motcua.index.builds import ingest_into_index
from tests.conftest import make_settings

pytestmark = pytest.mark.slow  # each test builds its own index and runs ingest jobs

KEY = {"X-API-Key": "khoa-quan-tri"}
PLAN = """UỶ BAN NHÂN DÂN TỈNH BẾN TRE
SỞ GIÁO DỤC VÀ ĐÀO TẠO
Số: 77/KH-SGDĐT
Bến Tre, ngày 3 tháng 3 năm 2026
KẾ HOẠCH
Tổ chức ngày hội đọc sách trong trường học năm 2026
I. MỤC ĐÍCH
Khuyến khích học sinh đọc sách; mỗi trường tổ chức ngày hội đọc sách vào ngày 21 tháng 4.
II. KINH PHÍ
Kinh phí tổ chức ngày hội đọc sách do ngân sách tỉnh bảo đảm.
"""
QUESTION = "ngay hoi doc sach to chuc vao ngay nao?"


@pytest.fixture
def client(tmp_path: Path):
    settings = make_settings(
        tmp_path / "index", admin_api_key=KEY["X-API-Key"], index_poll_seconds=0.1
    )
    ingest_into_index([], settings, builtin=True)
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def wait_for(client: TestClient, job_id: str, timeout: float = 120) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(f"/v1/jobs/{job_id}", headers=KEY).json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} did not finish in {timeout} s")


def wait_for_version(client: TestClient, version_id: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while client.app.state.pipeline.index_version != version_id:
        assert time.monotonic() < deadline, "the worker did not switch to the new version"
        time.sleep(0.1)


def upload(client: TestClient, name: str, data: bytes, headers: dict = KEY):
    return client.post("/v1/documents", headers=headers, files=[("files", (name, data))])


def test_upload_requires_admin(client: TestClient) -> None:
    assert upload(client, "a.txt", b"x", headers={}).status_code == 401
    assert upload(client, "a.txt", b"x", headers={"X-API-Key": "sai"}).status_code == 401
    assert client.get("/v1/jobs", headers={}).status_code == 401


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("virus.exe", b"MZ", "không được hỗ trợ"),
        ("rong.txt", b"", "tệp rỗng"),
        ("hong.pdf", b"%PDF-1.4 not really", "không đọc được"),
        ("trang.txt", b"   \n  ", "không có nội dung"),
    ],
)
def test_bad_files_are_refused_with_a_reason_and_nothing_is_kept(
    client: TestClient, name: str, data: bytes, says: str
) -> None:
    response = upload(client, name, data)
    assert response.status_code == 422
    assert says in response.json()["detail"]
    assert "/tmp" not in response.json()["detail"], "no server path is shown"
    listing = client.get("/v1/documents", headers=KEY).json()
    assert listing["uploads"] == []
    assert client.get("/v1/jobs", headers=KEY).json() == []


def test_unreadable_upload_says_what_to_send(client: TestClient) -> None:
    response = client.post(
        "/v1/documents",
        headers={**KEY, "Content-Type": "multipart/form-data; boundary=xyz"},
        content=b"--xyz\r\nthis is not a form part",
    )
    assert response.status_code == 400
    assert "multipart/form-data" in response.json()["detail"]
    assert "question" not in response.json()["detail"]


def test_uploaded_plan_is_answered_then_deleted(client: TestClient) -> None:
    before = client.post("/v1/ask", json={"question": QUESTION}).json()
    assert before["refused"] is True
    first_version = client.app.state.pipeline.index_version

    answered_during: list[int] = []
    stop = threading.Event()

    def keep_asking() -> None:
        while not stop.is_set():
            status = client.post("/v1/ask", json={"question": "chuyen truong thcs"}).status_code
            answered_during.append(status)

    asker = threading.Thread(target=keep_asking)
    asker.start()
    try:
        response = upload(client, "Kế hoạch ngày hội đọc sách.txt", PLAN.encode("utf-8"))
        assert response.status_code == 202, response.text
        assert response.json()["doc_ids"] == ["ke-hoach-ngay-hoi-doc-sach"]
        job = wait_for(client, response.json()["job"]["id"])
    finally:
        stop.set()
        asker.join()
    assert job["status"] == "done", job
    assert job["progress"] == job["total"] > 0
    assert job["version_id"] != first_version
    assert answered_during and set(answered_during) == {200}, "no question failed meanwhile"
    assert 'motcua_ingest_jobs{status="done"} 1.0' in client.get("/metrics").text

    wait_for_version(client, job["version_id"])
    after = client.post("/v1/ask", json={"question": QUESTION}).json()
    assert after["refused"] is False
    assert after["citations"][0]["doc_id"] == "ke-hoach-ngay-hoi-doc-sach"
    assert "21 tháng 4" in after["answer"]
    listing = client.get("/v1/documents", headers=KEY).json()
    (record,) = listing["uploads"]
    assert record["status"] == "indexed"
    assert "ke-hoach-ngay-hoi-doc-sach" in {d["doc_id"] for d in listing["documents"]}

    gone = client.delete("/v1/documents/ke-hoach-ngay-hoi-doc-sach", headers=KEY)
    assert gone.status_code == 202
    job = wait_for(client, gone.json()["job"]["id"])
    assert job["status"] == "done", job
    wait_for_version(client, job["version_id"])
    assert client.post("/v1/ask", json={"question": QUESTION}).json()["refused"] is True
    listing = client.get("/v1/documents", headers=KEY).json()
    assert "ke-hoach-ngay-hoi-doc-sach" not in {d["doc_id"] for d in listing["documents"]}
    assert listing["uploads"] == []


def test_deleting_an_unknown_document_is_a_404(client: TestClient) -> None:
    response = client.delete("/v1/documents/khong-co", headers=KEY)
    assert response.status_code == 404 and "khong-co" in response.json()["detail"]
