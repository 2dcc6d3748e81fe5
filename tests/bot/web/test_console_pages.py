"""The console's pages and its JSON over a real small index (no browser: see tests/browser)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from motcua.bot.web.app import create_app
from motcua.bot.web.console.highlight import highlight, question_terms
from tests.conftest import make_settings
from tests.scripted import DETAILS, FEE_QUESTION, LEAD, SUGGESTIONS, UNCLEAR, ScriptedResponder

PLAN = "000_5348ec65c6d4a033"


@pytest.fixture(scope="module")
def client(console_index, console_responder):
    # Wrapped as the app wraps it when it loads the index itself.
    app = create_app(make_settings(console_index), responder=console_responder)
    with TestClient(app) as test_client:
        yield test_client


def marked(text: str, question: str) -> list[str]:
    return [s.text for s in highlight(text, question_terms(question)) if s.mark]


def test_highlight_matches_folded_words() -> None:
    assert marked("Chuyển trường đối với học sinh THCS.", "chuyen truong") == ["Chuyển trường"]
    # Function words only count inside a pair the question has.
    assert marked("Cấp bản sao cho bạn.", "xin ban sao") == ["bản sao"]
    assert marked("Không có gì.", "chuyen truong") == []


def test_highlight_keeps_the_text() -> None:
    text = "Hồ sơ chuyển trường, gồm: đơn xin chuyển trường…"
    segments = highlight(text, question_terms("ho so chuyen truong"))
    assert "".join(s.text for s in segments) == text


def test_console_page_offers_filters_from_the_index(client: TestClient) -> None:
    page = client.get("/console")
    assert page.status_code == 200
    html = page.text
    assert '<meta name="viewport"' in html
    assert 'lang="vi"' in html
    for option in ("Kế hoạch", "Thủ tục hành chính", "Sở Giáo dục và Đào tạo tỉnh Long An"):
        assert f'<option value="{option}">' in html
    assert '<option value="2025">' in html
    assert client.get("/console/static/console.js").status_code == 200


def test_answer_json_enriches_citations(client: TestClient) -> None:
    response = client.get("/console/api/answer", params={"q": "xin ban sao bang tot nghiep"})
    assert response.status_code == 200
    body = response.json()
    assert not body["refused"]
    first = body["citations"][0]
    assert first["doc_id"] == "tthc-ban-sao-van-bang"
    assert first["link"].startswith("/console/documents/tthc-ban-sao-van-bang#chunk-")
    assert first["card_link"] == "/console/cards/tthc-ban-sao-van-bang"
    marks = [s["text"].lower() for s in first["passage"] if s["mark"]]
    assert any("bản sao" in m for m in marks), marks
    assert {"bang", "tot", "nghiep"} <= set(body["terms"])


def test_answer_json_names_a_plans_particulars(client: TestClient) -> None:
    body = client.get(
        "/console/api/answer",
        params={"q": "kế hoạch tuyên truyền cải cách hành chính năm 2025", "year": 2025},
    ).json()
    assert body["filtered"] and not body["refused"]
    plan = next(c for c in body["citations"] if c["doc_id"] == PLAN)
    assert plan["so_hieu"] == "1655/KH-SGDĐT"
    assert plan["date"] == "05/05/2025"
    assert plan["issuer"] == "Sở Giáo dục và Đào tạo tỉnh Long An"
    anchor = plan["link"].split("#")[1]
    document = client.get(plan["link"].split("#")[0]).text
    assert f'id="{anchor}"' in document


def test_a_filter_that_leaves_nothing_says_so(client: TestClient) -> None:
    body = client.get(
        "/console/api/answer",
        params={"q": "chuyen truong", "doc_type": "Thủ tục hành chính", "year": 2025},
    ).json()
    assert body["refused"] and body["citations"] == []
    assert body["notice"].startswith("Không có tài liệu nào khớp bộ lọc")


def test_bad_questions_are_rejected(client: TestClient) -> None:
    assert client.get("/console/api/answer", params={"q": "   "}).status_code == 422
    assert client.get("/console/api/answer", params={"q": "a", "year": "x"}).status_code == 422


def test_document_page_has_anchored_chunks_and_metadata(client: TestClient) -> None:
    page = client.get(f"/console/documents/{PLAN}")
    assert page.status_code == 200
    assert "1655/KH-SGDĐT" in page.text and "05/05/2025" in page.text
    assert 'id="chunk-0"' in page.text and 'id="chunk-1"' in page.text
    assert client.get("/console/documents/no-such-doc").status_code == 404


def test_card_page_lists_the_procedure(client: TestClient) -> None:
    page = client.get("/console/cards/tthc-chuyen-truong-thcs")
    assert page.status_code == 200
    for heading in ("Trình tự thực hiện", "Thành phần hồ sơ", "Thời hạn giải quyết", "Lệ phí"):
        assert heading in page.text
    assert "Căn cứ pháp lý" in page.text and "/console/decrees?q=" in page.text
    assert client.get(f"/console/cards/{PLAN}").status_code == 404  # a plan is not a card


def test_decree_page_shows_record_citations_and_amendments(client: TestClient) -> None:
    page = client.get("/console/decrees", params={"q": "61/2018"})
    assert page.status_code == 200
    html = page.text
    assert "61/2018/NĐ-CP" in html
    assert "Được sửa đổi, bổ sung bởi" in html and "107/2021/NĐ-CP" in html
    assert f"/console/documents/{PLAN}#chunk-" in html
    # The plan names 61/2018 twice in one clause: one citing passage, shown once.
    assert "Được trích dẫn trong 1 đoạn" in html
    missing = client.get("/console/decrees", params={"q": "999/2099"}).text
    assert "Không tìm thấy văn bản nào" in missing


def test_documents_list_links_every_document(client: TestClient) -> None:
    html = client.get("/console/documents").text
    assert f"/console/documents/{PLAN}" in html
    assert "/console/cards/tthc-ban-sao-van-bang" in html


def test_without_an_index_the_console_says_so(tmp_path) -> None:
    app = create_app(make_settings(tmp_path / "none"))
    with TestClient(app) as empty:
        assert empty.get("/console").status_code == 503
        assert "motcua ingest" in empty.get("/console").text
        assert empty.get("/console/api/answer", params={"q": "x"}).status_code == 503


# --- Suggestions and leads (scripted answers in front of the real index) ----------------------


@pytest.fixture(scope="module")
def scripted_client(console_index, console_responder, tmp_path_factory):
    settings = make_settings(console_index, data_dir=tmp_path_factory.mktemp("scripted-data"))
    scripted = ScriptedResponder(inner=console_responder)
    with TestClient(create_app(settings, responder=scripted)) as test_client:
        yield test_client


def test_a_clarify_answer_offers_links_that_ask_each_suggestion(scripted_client) -> None:
    body = scripted_client.get("/console/api/answer", params={"q": UNCLEAR}).json()
    assert body["status"] == "clarify" and not body["refused"]
    assert [s["label"] for s in body["suggestions"]] == [s.label for s in SUGGESTIONS]
    for shown, suggestion in zip(body["suggestions"], SUGGESTIONS, strict=True):
        link = urlsplit(shown["link"])
        assert link.path == "/console" and not link.scheme and not link.netloc
        assert parse_qs(link.query) == {"q": [suggestion.question]}
        # Escaped in the URL: nothing of "<trong tỉnh> & …" reaches markup or splits the query.
        assert not re.search(r"[<>\"' ]", shown["link"]) and shown["link"].count("&") == 0
    followed = scripted_client.get(body["suggestions"][1]["link"])
    assert followed.status_code == 200 and 'id="ask-form"' in followed.text


def test_a_led_answer_gives_lead_and_details_apart(scripted_client) -> None:
    body = scripted_client.get("/console/api/answer", params={"q": FEE_QUESTION}).json()
    assert (body["lead"], body["details"]) == (LEAD, DETAILS)
    assert body["answer"] == f"{LEAD}\n\n{DETAILS}", "copy still copies the whole answer"
    assert body["suggestions"] == [] and body["status"] == "answered"
    plain = scripted_client.get("/console/api/answer", params={"q": "xin ban sao bang"}).json()
    assert plain["lead"] is None and plain["details"] is None


def test_the_page_has_a_collapsed_details_block_and_a_suggestion_list(scripted_client) -> None:
    html = scripted_client.get("/console").text
    details = re.search(r"<details id=\"answer-details\"[^>]*>", html)
    assert details and " open" not in details.group(0), "collapsed until asked for"
    assert "<summary>Xem đầy đủ thủ tục</summary>" in html
    assert 'id="suggestion-list"' in html
