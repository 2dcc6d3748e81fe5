"""Issue 17, item 4: the upload limit counted compressed bytes, so a 1 MB DOCX took the server to
2.1 GB and a 500, and kept the memory; a 50,000-page PDF held its request for 50 s. Archives
are checked before parsing, and uploads are read in a child process with memory and time
limits."""

from __future__ import annotations

import io
import os
import resource
import zipfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from motcua.bot.app import create_app
from motcua.ingest.isolated import load_text_isolated
from motcua.ingest.loaders import LoaderError, load_text
from tests.conftest import make_settings

KEY = {"X-API-Key": "khoa-quan-tri-du-dai"}


def docx_bomb(inflated_mb: int) -> bytes:
    """A DOCX-shaped zip whose document part inflates to `inflated_mb` of XML."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        chunk = b"<w:p><w:r><w:t>aaaaaaaaaaaaaaaaaaaa</w:t></w:r></w:p>" * 20_000
        with archive.open("word/document.xml", "w") as part:
            for _ in range(inflated_mb * 1024 * 1024 // len(chunk)):
                part.write(chunk)
    return out.getvalue()


def test_a_docx_bomb_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    path = tmp_path / "bom.docx"
    path.write_bytes(docx_bomb(300))
    assert path.stat().st_size < 2 * 1024 * 1024  # small on the wire
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(LoaderError, match="giải nén"):
        load_text(path)
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kb < 50 * 1024  # the XML was never inflated in this process


def test_a_reader_over_its_memory_is_stopped_in_its_own_process(tmp_path: Path) -> None:
    path = tmp_path / "plain.txt"
    path.write_text("Kế hoạch tuyên truyền. " * 2_000_000, encoding="utf-8")  # ~46 MB
    with pytest.raises(LoaderError, match="MB"):
        load_text_isolated(path, seconds=60, memory_mb=128)
    assert load_text_isolated(path, seconds=60, memory_mb=1024).startswith("Kế hoạch")


def test_a_reader_over_its_time_is_stopped(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "slow.txt"
    path.write_text("chậm", encoding="utf-8")
    # A sitecustomize that sleeps stands in for a parser stuck on a hostile file.
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text("import time\ntime.sleep(30)\n", encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", f"{hook}{os.pathsep}{os.environ.get('PYTHONPATH', '')}")
    with pytest.raises(LoaderError, match="giây"):
        load_text_isolated(path, seconds=2, memory_mb=1024)


def test_the_upload_endpoint_refuses_a_bomb_with_a_clear_message(
    tmp_path: Path, cards_responder
) -> None:
    settings = make_settings(tmp_path / "index", admin_api_key=KEY["X-API-Key"])
    with TestClient(create_app(settings, responder=cards_responder)) as client:
        response = client.post(
            "/v1/documents",
            headers=KEY,
            files={"files": ("ke-hoach.docx", docx_bomb(300), "application/octet-stream")},
        )
    assert response.status_code == 422
    assert "ke-hoach.docx" in response.json()["detail"]
    incoming = Path(settings.data_dir) / "uploads" / "incoming"
    assert not any(incoming.glob("*")) if incoming.exists() else True  # nothing left behind
