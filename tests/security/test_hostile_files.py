"""Issue 17, item 4: the upload limit counted compressed bytes, so a 1 MB DOCX took the server to
2.1 GB and a 500, and kept the memory; a 50,000-page PDF held its request for 50 s. Archives
are checked before parsing, uploads are read in a child process with memory and time limits,
and a PDF over the page limit is refused from its page count. Item 10: a file a parser fails
on is a 422 that names the problem, with nothing left in uploads/incoming/."""

from __future__ import annotations

import io
import os
import resource
import zipfile
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from pypdf import PdfWriter

from motcua.bot.web.app import create_app
from motcua.ingest.isolated import load_text_isolated
from motcua.ingest.loaders import LoaderError, load_text
from motcua.settings import Settings
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


def child_hook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str) -> None:
    """Run `source` at the start of every Python child process this test starts (a
    sitecustomize on PYTHONPATH): a stand-in for what a hostile file does to a parser."""
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(source, encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", f"{hook}{os.pathsep}{os.environ.get('PYTHONPATH', '')}")


def test_a_reader_over_its_time_is_stopped(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "slow.txt"
    path.write_text("chậm", encoding="utf-8")
    child_hook(tmp_path, monkeypatch, "import time\ntime.sleep(30)\n")  # a stuck parser
    with pytest.raises(LoaderError, match="giây"):
        load_text_isolated(path, seconds=2, memory_mb=1024)


def test_a_reader_that_crashes_says_the_file_could_not_be_read(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "ke-hoach.txt"
    path.write_text("Kế hoạch", encoding="utf-8")
    # A parser failing in a way the loader does not expect, as lxml did on a broken DOCX.
    child_hook(
        tmp_path,
        monkeypatch,
        "from motcua.ingest import loaders\n"
        "def crash(path):\n    raise RuntimeError('parser bug at /srv/motcua')\n"
        "loaders.LOADERS['.txt'] = crash\n",
    )
    with pytest.raises(LoaderError) as caught:
        load_text_isolated(path, seconds=60, memory_mb=1024)
    message = str(caught.value)
    assert "không đọc được" in message and "RuntimeError" in message
    assert "MB" not in message  # not blamed on the memory limit
    assert "/srv/motcua" not in message  # the exception's text stays in the log


def upload(settings: Settings, cards_responder, name: str, data: bytes) -> httpx.Response:
    with TestClient(create_app(settings, responder=cards_responder)) as client:
        return client.post(
            "/v1/documents",
            headers=KEY,
            files={"files": (name, data, "application/octet-stream")},
        )


def incoming(settings: Settings) -> list[Path]:
    folder = Path(settings.data_dir) / "uploads" / "incoming"
    return sorted(folder.glob("*")) if folder.exists() else []


def test_the_upload_endpoint_refuses_a_bomb_with_a_clear_message(
    tmp_path: Path, cards_responder
) -> None:
    settings = make_settings(tmp_path / "index", admin_api_key=KEY["X-API-Key"])
    response = upload(settings, cards_responder, "ke-hoach.docx", docx_bomb(300))
    assert response.status_code == 422
    assert "ke-hoach.docx" in response.json()["detail"]
    assert incoming(settings) == []  # nothing left behind


def blank_pdf(pages: int) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_pdf_over_the_page_limit_is_refused_before_its_text_is_read(
    tmp_path: Path, monkeypatch, cards_responder
) -> None:
    settings = make_settings(tmp_path / "index", admin_api_key=KEY["X-API-Key"])
    pages = settings.max_pdf_pages + 1  # the default limit
    # Reading any page's text ends the reader: the refusal must come from the page count.
    child_hook(
        tmp_path,
        monkeypatch,
        "import os, pypdf, pdfplumber\n"
        "def read(*args, **kwargs):\n    os._exit(99)\n"
        "pypdf.PageObject.extract_text = read\n"
        "pdfplumber.open = read\n",
    )
    response = upload(settings, cards_responder, "ke-hoach-dai.pdf", blank_pdf(pages))
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert "ke-hoach-dai.pdf" in detail
    assert f"{pages} trang" in detail and f"{settings.max_pdf_pages} trang" in detail
    assert incoming(settings) == []


def docx_with_broken_xml() -> bytes:
    """A well-formed DOCX package whose document part is cut off mid-element."""
    out = io.BytesIO()
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    rels = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/>'
            f'<Override PartName="/word/document.xml" ContentType="{main}"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rels}" Target="word/document.xml"/></Relationships>',
        )
        archive.writestr(
            "word/document.xml",
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:body><w:p><w:r><w:t>Kế hoạch tuyên truyền",
        )
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        ("ke-hoach.docx", docx_with_broken_xml(), "DOCX hỏng"),
        ("ke-hoach.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 40, "PDF hỏng"),
        ("nghi-dinh.pdf", blank_pdf(3)[:600], "PDF hỏng"),  # cut off in transfer
    ],
    ids=["docx-broken-xml", "pdf-garbage", "pdf-truncated"],
)
def test_the_upload_endpoint_names_what_is_wrong_with_a_damaged_file(
    tmp_path: Path, cards_responder, name: str, data: bytes, problem: str
) -> None:
    settings = make_settings(tmp_path / "index", admin_api_key=KEY["X-API-Key"])
    response = upload(settings, cards_responder, name, data)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert name in detail and problem in detail
    assert "MB" not in detail  # not the memory limit's message
    assert incoming(settings) == []
