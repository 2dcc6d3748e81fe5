"""Request ids (kept when sane, else generated, echoed back) and JSON log lines carrying them."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from motcua.bot.web.app import create_app
from motcua.logs import configure_logging
from tests.conftest import copy_index, make_settings

QUESTION = "Con tôi tên Nguyễn Văn A, chuyển trường THCS cần giấy tờ gì?"


@pytest.fixture
def app_without_index(tmp_path: Path):
    app = create_app(make_settings(tmp_path / "missing"))

    @app.get("/probe")
    def probe() -> dict[str, str]:
        # A sync handler runs in a worker thread: the id must follow it there.
        logging.getLogger("motcua.probe").warning("inside the handler")
        return {"ok": "yes"}

    return app


@pytest.fixture
def log_stream(request: pytest.FixtureRequest) -> Iterator[io.StringIO]:
    """Route all logging through motcua's handler into a buffer, then put things back."""
    log_format = getattr(request, "param", "json")
    root = logging.getLogger()
    saved_level = root.level
    saved_uvicorn = {
        name: (logging.getLogger(name).handlers[:], logging.getLogger(name).propagate)
        for name in ("uvicorn", "uvicorn.error", "uvicorn.asgi", "uvicorn.access")
    }
    stream = io.StringIO()
    handler = configure_logging(make_settings(Path("unused"), log_format=log_format), stream)
    yield stream
    root.removeHandler(handler)
    root.setLevel(saved_level)
    for name, (handlers, propagate) in saved_uvicorn.items():
        logging.getLogger(name).handlers[:] = handlers
        logging.getLogger(name).propagate = propagate


def json_lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def test_request_id_round_trips(app_without_index) -> None:
    client = TestClient(app_without_index)
    response = client.get("/healthz", headers={"X-Request-ID": "lb-2026.11_abc-42"})
    assert response.headers["x-request-id"] == "lb-2026.11_abc-42"


@pytest.mark.parametrize("offered", [None, "", "a" * 65, "has space", "x<script>", "id;rm"])
def test_missing_or_odd_ids_are_replaced_by_a_fresh_one(app_without_index, offered) -> None:
    client = TestClient(app_without_index)
    headers = {} if offered is None else {"X-Request-ID": offered}
    first = client.get("/healthz", headers=headers).headers["x-request-id"]
    second = client.get("/healthz", headers=headers).headers["x-request-id"]
    assert first != offered and len(first) == 32 and int(first, 16) >= 0
    assert first != second


def test_json_log_line_per_request_carries_the_id(app_without_index, log_stream) -> None:
    client = TestClient(app_without_index)
    client.get("/probe", headers={"X-Request-ID": "req-1"})
    lines = json_lines(log_stream)
    inside = [line for line in lines if line["message"] == "inside the handler"]
    assert inside and inside[0]["request_id"] == "req-1"
    assert inside[0]["level"] == "WARNING" and inside[0]["logger"] == "motcua.probe"
    access = [line for line in lines if line["logger"] == "motcua.http"]
    assert len(access) == 1
    assert access[0]["request_id"] == "req-1"
    assert access[0]["method"] == "GET" and access[0]["path"] == "/probe"
    assert access[0]["status"] == 200 and access[0]["duration_ms"] >= 0


def test_generated_id_is_logged_and_outside_requests_there_is_none(
    app_without_index, log_stream
) -> None:
    response = TestClient(app_without_index).get("/healthz")
    logging.getLogger("motcua.test").info("after the request")
    lines = json_lines(log_stream)
    access = next(line for line in lines if line["logger"] == "motcua.http")
    assert access["request_id"] == response.headers["x-request-id"]
    assert lines[-1]["message"] == "after the request" and lines[-1]["request_id"] == "-"


def test_configured_level_holds_for_libraries_that_set_their_own(log_stream) -> None:
    noisy = logging.getLogger("motcua.test.noisy")
    noisy.setLevel(logging.DEBUG)  # as bm25s does to its logger
    noisy.debug("debug detail")
    assert "debug detail" not in log_stream.getvalue()


def test_question_text_is_not_logged(app_without_index, log_stream) -> None:
    TestClient(app_without_index).post("/v1/ask", json={"question": QUESTION})
    assert "Nguyễn" not in log_stream.getvalue()
    statuses = [line["status"] for line in json_lines(log_stream) if "status" in line]
    assert statuses == [503]


@pytest.mark.parametrize("log_stream", ["text"], indirect=True)
def test_text_format_shows_the_id(app_without_index, log_stream) -> None:
    TestClient(app_without_index).get("/healthz", headers={"X-Request-ID": "t-7"})
    line = next(x for x in log_stream.getvalue().splitlines() if "motcua.http" in x)
    assert "[t-7]" in line and "GET /healthz 200" in line


ADDRESSES = ("/v1/ask", "http://127.0.0.1:8000/console", "http://127.0.0.1:8000/docs")


@pytest.mark.parametrize("log_stream", ["text"], indirect=True)
def test_start_up_says_where_to_go_and_libraries_keep_routine_lines_to_themselves(
    log_stream: io.StringIO, tmp_path: Path, cards_index: Path
) -> None:
    logging.getLogger("alembic.runtime.plugins").info("setup plugin alembic.autogenerate.x")
    logging.getLogger("faiss.loader").info("Could not load library with AVX512 support")
    logging.getLogger("faiss.loader").warning("a real problem")
    index_dir = copy_index(cards_index, tmp_path / "index")
    settings = make_settings(index_dir, public_url="http://127.0.0.1:8000/")
    with TestClient(create_app(settings)):
        pass
    text = log_stream.getvalue()
    assert "setup plugin" not in text and "AVX512" not in text
    assert "a real problem" in text
    assert "No index" not in text
    ready = [line for line in text.splitlines() if "motcua sẵn sàng (ready)" in line]
    assert len(ready) == 1
    for address in ADDRESSES:
        assert address in ready[0]


@pytest.mark.parametrize("log_stream", ["text"], indirect=True)
@pytest.mark.parametrize("folder", ["missing", "empty"])
def test_start_up_without_an_index_says_how_to_build_one_and_does_not_claim_ready(
    log_stream: io.StringIO, tmp_path: Path, folder: str
) -> None:
    index_dir = tmp_path / folder
    if folder == "empty":
        index_dir.mkdir()
    settings = make_settings(index_dir, public_url="http://127.0.0.1:8000/")
    with TestClient(create_app(settings)) as client:
        assert client.get("/healthz").status_code == 200  # still starts
    lines = log_stream.getvalue().splitlines()
    warning = next(i for i, line in enumerate(lines) if "No index" in line)
    assert " WARNING " in lines[warning] and "Chưa có chỉ mục" in lines[warning]
    assert f"motcua ingest --builtin --index-dir {index_dir}" in lines[warning]
    assert not [line for line in lines if "sẵn sàng" in line or "(ready)" in line]
    started = next(i for i, line in enumerate(lines) if "no index yet" in line)
    assert warning < started
    for address in ADDRESSES:
        assert address in lines[started]


def test_library_lines_are_shown_when_debugging(tmp_path: Path) -> None:
    root = logging.getLogger()
    saved = root.level, root.handlers[:]
    try:
        configure_logging(make_settings(tmp_path, log_level="DEBUG"), io.StringIO())
        assert logging.getLogger("alembic").getEffectiveLevel() == logging.DEBUG
        configure_logging(make_settings(tmp_path, log_level="INFO"), io.StringIO())
        assert logging.getLogger("alembic").getEffectiveLevel() == logging.WARNING
    finally:
        root.setLevel(saved[0])
        root.handlers[:] = saved[1]
