"""The procedure catalogue stored with the index, linked to the built-in cards, answered with
the row cited, on the CLI, REST and console (its records as read: test_catalogue_reading)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from motcua.bot.answering.loading import load_responder, resolve_index
from motcua.bot.web.app import create_app
from motcua.commands.cli import app as cli
from motcua.index.build import load_catalogue
from motcua.index.catalogue import CATALOGUE_FILE
from tests.catalogue_documents import (
    COPY_CARD,
    FORM_DECISION,
    FORM_ID,
    LIST_DECISION,
    LIST_ID,
    THCS_CARD,
)
from tests.conftest import ingest_texts, make_settings

# -- stored with the index ------------------------------------------------------------------


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory, cards_index: Path) -> Path:
    texts = {f"{LIST_ID}.md": LIST_DECISION, f"{FORM_ID}.md": FORM_DECISION}
    return ingest_texts(tmp_path_factory.mktemp("catalogue"), texts, cards_index)


@pytest.fixture(scope="module")
def responder(index: Path):
    return load_responder(make_settings(index))


@pytest.fixture(scope="module")
def client(index: Path, responder):
    app = create_app(make_settings(index), responder=responder)
    with TestClient(app) as test_client:
        yield test_client


def test_the_catalogue_is_saved_with_the_index_version_and_linked_to_cards(index: Path) -> None:
    version = resolve_index(index)
    assert (version / CATALOGUE_FILE).is_file()
    catalogue = load_catalogue(version)
    assert len(catalogue) == 5
    [thcs] = catalogue.by_code("2.002481")
    assert thcs.card_id == THCS_CARD  # the card lists no code: linked by its name
    [copy] = catalogue.by_code("1.010020")
    assert copy.card_id == COPY_CARD  # named otherwise, linked by the card's code
    assert catalogue.by_code("1.005092")[0].card_id is None
    assert [r.code for r in catalogue.for_card(THCS_CARD)] == ["2.002481"]


def test_names_are_read_once_and_kept_with_the_catalogue(
    index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from motcua.index import catalogue as module

    def unexpected(name: str) -> None:
        raise AssertionError(f"read again: {name}")

    monkeypatch.setattr(module, "name_terms", unexpected)
    terms = load_catalogue(resolve_index(index)).name_terms()
    thcs = terms["chuyen truong doi voi hoc sinh trung hoc co so"]
    assert thcs.words == {"chuyen", "truong"} and thcs.levels == {"THCS"}


# -- CLI and REST ---------------------------------------------------------------------------


def test_cli_finds_procedures_by_code_and_words(index: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["procedures", "1.008950", "--json", "--index-dir", str(index)])
    assert result.exit_code == 0, result.output
    page = json.loads(result.output)
    assert page["total"] == 1
    [item] = page["items"]
    assert item["time_limit"].startswith("20 ngày làm việc")
    assert item["decision"].startswith("Quyết định số 567/QĐ-UBND")

    text = runner.invoke(cli, ["procedures", "phuc khao", "--index-dir", str(index)])
    assert text.exit_code == 0, text.output
    assert "1.005092 · Phúc khảo bài thi tốt nghiệp trung học phổ thông" in text.output
    assert "mục PHỤ LỤC > Bảng 1 > dòng 4" in text.output

    assert runner.invoke(cli, ["procedures", "1.999999", "--index-dir", str(index)]).exit_code == 1
    too_long = runner.invoke(cli, ["procedures", "x" * 300, "--index-dir", str(index)])
    assert too_long.exit_code == 2


def test_cli_mirrors_the_api(index: Path, client: TestClient) -> None:
    result = CliRunner().invoke(
        cli, ["procedures", "Hà Tĩnh", "--json", "--limit", "2", "--index-dir", str(index)]
    )
    assert result.exit_code == 0, result.output
    api = client.get("/v1/procedures", params={"q": "Hà Tĩnh", "limit": 2}).json()
    assert json.loads(result.output) == api


def test_rest_lists_searches_and_pages(client: TestClient) -> None:
    everything = client.get("/v1/procedures").json()
    assert everything["total"] == 5 and len(everything["items"]) == 5
    page = client.get("/v1/procedures", params={"limit": 2, "offset": 2}).json()
    assert page["total"] == 5 and page["offset"] == 2
    assert [i["code"] for i in page["items"]] == [i["code"] for i in everything["items"][2:4]]
    # folded words: typed without diacritics
    found = client.get("/v1/procedures", params={"q": "chuyen truong trung hoc co so"}).json()
    assert [i["code"] for i in found["items"]] == ["2.002481"]
    assert found["items"][0]["card_id"] == THCS_CARD
    assert client.get("/v1/procedures", params={"q": "đăng ký kết hôn"}).json()["total"] == 0


def test_rest_gets_a_procedure_by_code(client: TestClient) -> None:
    response = client.get("/v1/procedures/1.010020")
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == "1.010020"
    assert body["records"][0]["section"] == "PHỤ LỤC > Bảng 1 > dòng 3"
    assert body["cards"] == [{"id": COPY_CARD, "ten": "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc"}]
    # a local form of the code names the same procedure
    assert client.get("/v1/procedures/1.010020.000.00.00.H42").json()["code"] == "1.010020"


def test_rest_rejects_unknown_and_malformed_input(client: TestClient) -> None:
    missing = client.get("/v1/procedures/1.999999")
    assert missing.status_code == 404
    assert "1.999999" in missing.json()["detail"]
    for bad in ("abc", "1.01", "9.999999", "1.010219; drop"):
        response = client.get(f"/v1/procedures/{bad}")
        assert response.status_code == 422, bad
        assert "Yêu cầu không hợp lệ" in response.json()["detail"]
    assert client.get("/v1/procedures", params={"q": "x" * 201}).status_code == 422
    assert client.get("/v1/procedures", params={"limit": 0}).status_code == 422
    assert client.get("/v1/procedures", params={"limit": 101}).status_code == 422
    assert client.get("/v1/procedures", params={"offset": -1}).status_code == 422


# -- console --------------------------------------------------------------------------------


def test_console_lists_and_searches_the_catalogue(client: TestClient) -> None:
    page = client.get("/console/procedures")  # public, like the registry's page
    assert page.status_code == 200
    html = page.text
    assert 'href="/console/procedures" aria-current="page"' in html
    assert "5 thủ tục" in html and "Hà Tĩnh, Quảng Trị" in html
    assert "Chuyển trường đối với học sinh trung học cơ sở" in html
    # each row links to its decision opened at the row, and to the card of the same procedure
    assert f'href="/console/documents/{LIST_ID}#chunk-' in html
    assert f'href="/console/cards/{THCS_CARD}"' in html

    found = client.get("/console/procedures", params={"q": "1.008950"}).text
    assert "Xét cấp học bổng chính sách" in found and "Chuyển trường" not in found
    assert "20 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ" in found


def test_console_escapes_the_query_and_validates_it(client: TestClient) -> None:
    page = client.get("/console/procedures", params={"q": "<script>alert(1)</script>"})
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert client.get("/console/procedures", params={"q": "x" * 201}).status_code == 422
    assert client.get("/console/procedures", params={"page": 0}).status_code == 422


def test_console_pages_the_catalogue(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from motcua.bot.web.console import procedure_views

    monkeypatch.setattr(procedure_views, "PROCEDURES_PER_PAGE", 2)
    first = client.get("/console/procedures").text
    assert "trang 1/3" in first and 'href="/console/procedures?page=2"' in first
    last = client.get("/console/procedures", params={"page": 3}).text
    assert 'href="/console/procedures?page=2" rel="prev"' in last and 'rel="next"' not in last


def test_a_card_page_lists_its_catalogue_rows(client: TestClient) -> None:
    html = client.get(f"/console/cards/{COPY_CARD}").text
    assert "Trong danh mục thủ tục của địa phương" in html
    assert "Quyết định số 1234/QĐ-UBND ngày 15/08/2025 của Ủy ban nhân dân tỉnh Hà Tĩnh" in html
    assert "3.000 đồng/bản sao" in html
    other = client.get("/console/cards/tthc-truong-chuan-quoc-gia").text
    assert "Chưa có danh mục thủ tục nào trong chỉ mục liệt kê thủ tục này." in other


# -- answers --------------------------------------------------------------------------------


def test_a_code_question_is_answered_from_its_row(responder) -> None:
    answer = responder.answer("mã 2.002481 là thủ tục gì")
    assert answer.status == "answered"
    assert answer.lead == (
        "Mã 2.002481 là thủ tục “Chuyển trường đối với học sinh trung học cơ sở” "
        "(lĩnh vực Giáo dục trung học)."
    )
    first = answer.citations[0]
    assert first.doc_id == LIST_ID and first.so_hieu == "1234/QĐ-UBND"
    assert first.section == "PHỤ LỤC > Bảng 1 > dòng 1"
    assert "2.002481" in first.quote
    assert "Quyết định số 1234/QĐ-UBND" in answer.answer


def test_a_fact_asked_by_code_cites_the_line_holding_it(responder) -> None:
    answer = responder.answer("thủ tục 1.008950 mất bao lâu")
    assert answer.lead == "Thời hạn giải quyết: 20 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ"
    assert answer.citations[0].doc_id == FORM_ID
    assert answer.citations[0].section.endswith("> Bảng 1 > dòng 6")
    assert "20 ngày làm việc" in answer.citations[0].quote


def test_a_named_procedure_without_card_is_answered_from_the_list(responder) -> None:
    answer = responder.answer("phúc khảo bài thi tốt nghiệp trung học phổ thông nộp ở đâu")
    assert answer.lead == "Nơi tiếp nhận hồ sơ: Trường trung học phổ thông nơi thí sinh dự thi"
    assert answer.citations[0].section == "PHỤ LỤC > Bảng 1 > dòng 4"


def test_the_named_province_has_its_list_said_before_the_card(responder) -> None:
    local = responder.answer("chuyển trường THCS ở Hà Tĩnh mất bao lâu")
    assert local.lead == "Thời hạn giải quyết: 02 ngày làm việc kể từ ngày nhận đủ hồ sơ"
    assert local.citations[0].doc_id == LIST_ID
    assert THCS_CARD in [c.doc_id for c in local.citations]
    text = local.answer
    assert text.index("02 ngày làm việc") < text.index("Hướng dẫn chung")
    assert "Thường là 03 ngày làm việc" in text  # the card's general rule follows

    general = responder.answer("chuyển trường THCS mất bao lâu")
    assert general.citations[0].doc_id == THCS_CARD
    assert "02 ngày làm việc" not in general.answer


def test_a_card_linked_by_code_gives_way_to_the_province_list(responder) -> None:
    question = "xin bản sao bằng tốt nghiệp từ sổ gốc ở Hà Tĩnh mất phí bao nhiêu"
    # the list's name ("… cấp bản sao") is not the question's: retrieval finds the card, and
    # the card's link to the province's row puts the row first
    reading = responder.retriever.prepare(question).reading
    assert responder.catalogue_answers.find(question, reading) is None
    answer = responder.answer(question)
    assert answer.lead == "Phí, lệ phí: 3.000 đồng/bản sao"
    assert answer.citations[0].doc_id == LIST_ID
    assert answer.citations[0].section == "PHỤ LỤC > Bảng 1 > dòng 3"
    assert COPY_CARD in [c.doc_id for c in answer.citations]
    assert "Hướng dẫn chung (Cấp bản sao văn bằng, chứng chỉ từ sổ gốc)" in answer.answer
