"""The procedure catalogue: records read from published lists and forms, stored with the index,
linked to the built-in cards, answered with the row cited, on the CLI, REST and console."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from motcua.bot.app import create_app
from motcua.bot.loading import load_responder, resolve_index
from motcua.commands.cli import app as cli
from motcua.index.build import load_catalogue
from motcua.index.catalogue import CATALOGUE_FILE, Catalogue
from motcua.ingest.catalogue import ProcedureRecord, catalogue_records, is_catalogue
from motcua.ingest.metadata import extract_metadata
from motcua.ingest.signature_block import split_signature_block
from tests.conftest import ingest_texts, make_settings

# A provincial decision publishing a list of four procedures, as a markdown pipe table.
LIST_DECISION = """ỦY BAN NHÂN DÂN
TỈNH HÀ TĨNH

Số: 1234/QĐ-UBND

Hà Tĩnh, ngày 15 tháng 8 năm 2025

QUYẾT ĐỊNH
Về việc công bố danh mục thủ tục hành chính lĩnh vực giáo dục và đào tạo thực hiện trên địa \
bàn tỉnh Hà Tĩnh

CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH

Căn cứ Nghị định số 63/2010/NĐ-CP ngày 08/6/2010 của Chính phủ về kiểm soát thủ tục hành chính;

Theo đề nghị của Giám đốc Sở Giáo dục và Đào tạo.

QUYẾT ĐỊNH:

Điều 1. Công bố kèm theo Quyết định này danh mục thủ tục hành chính lĩnh vực giáo dục và đào \
tạo thực hiện trên địa bàn tỉnh Hà Tĩnh (chi tiết tại Phụ lục kèm theo).

Điều 2. Quyết định này có hiệu lực kể từ ngày ký.

Điều 3. Chánh Văn phòng UBND tỉnh, Giám đốc Sở Giáo dục và Đào tạo và các tổ chức, cá nhân có \
liên quan chịu trách nhiệm thi hành Quyết định này./.

PHỤ LỤC

DANH MỤC THỦ TỤC HÀNH CHÍNH LĨNH VỰC GIÁO DỤC VÀ ĐÀO TẠO
(Kèm theo Quyết định số 1234/QĐ-UBND ngày 15/8/2025 của Chủ tịch UBND tỉnh Hà Tĩnh)

| STT | Mã thủ tục | Tên thủ tục hành chính | Cấp thực hiện | Thời hạn giải quyết | Phí, lệ phí \
| Địa điểm thực hiện | Mức độ DVC trực tuyến | Căn cứ pháp lý |
|---|---|---|---|---|---|---|---|---|
| I | LĨNH VỰC GIÁO DỤC TRUNG HỌC | | | | | | | |
| 1 | 2.002481 | Chuyển trường đối với học sinh trung học cơ sở | Cấp xã | 02 ngày làm việc \
kể từ ngày nhận đủ hồ sơ | Không | Trường trung học cơ sở nơi học sinh chuyển đến | Toàn trình \
| Quyết định số 51/2002/QĐ-BGDĐT; Thông tư số 50/2021/TT-BGDĐT |
| 2 | 1.006390 | Xét tuyển sinh vào trường phổ thông dân tộc nội trú | Cấp tỉnh | 10 ngày \
làm việc | Không | Trung tâm Phục vụ hành chính công tỉnh Hà Tĩnh | Một phần | Thông tư số \
04/2023/TT-BGDĐT |
| II | LĨNH VỰC VĂN BẰNG, CHỨNG CHỈ | | | | | | | |
| 3 | 1.010020 | Cấp bản sao văn bằng, chứng chỉ từ sổ gốc cấp bản sao | Cấp tỉnh | Trong ngày \
làm việc | 3.000 đồng/bản sao | Sở Giáo dục và Đào tạo tỉnh Hà Tĩnh | Toàn trình | Nghị định số \
23/2015/NĐ-CP |
| 4 | 1.005092 | Phúc khảo bài thi tốt nghiệp trung học phổ thông | Cấp tỉnh | 15 ngày kể từ \
ngày hết hạn nhận đơn | Không | Trường trung học phổ thông nơi thí sinh dự thi | Một phần | Thông \
tư số 24/2024/TT-BGDĐT |
"""

# A decision publishing one procedure as a label/value form.
FORM_DECISION = """ỦY BAN NHÂN DÂN
TỈNH QUẢNG TRỊ

Số: 567/QĐ-UBND

Quảng Trị, ngày 02 tháng 10 năm 2025

QUYẾT ĐỊNH
Về việc công bố thủ tục hành chính mới ban hành lĩnh vực giáo dục dân tộc thuộc phạm vi quản \
lý của Sở Giáo dục và Đào tạo tỉnh Quảng Trị

CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ

Căn cứ Nghị định số 63/2010/NĐ-CP ngày 08/6/2010 của Chính phủ về kiểm soát thủ tục hành chính;

QUYẾT ĐỊNH:

Điều 1. Công bố kèm theo Quyết định này thủ tục hành chính mới ban hành lĩnh vực giáo dục dân tộc.

Điều 2. Quyết định này có hiệu lực kể từ ngày ký./.

PHỤ LỤC

NỘI DUNG CỤ THỂ CỦA THỦ TỤC HÀNH CHÍNH

| Tên thủ tục | Xét cấp học bổng chính sách cho học sinh trường phổ thông dân tộc bán trú |
|---|---|
| Mã thủ tục | 1.008950 |
| Lĩnh vực | Giáo dục dân tộc |
| Cấp thực hiện | Cấp xã |
| Cách thức thực hiện | Nộp trực tiếp hoặc qua dịch vụ bưu chính công ích |
| Cơ quan thực hiện | Ủy ban nhân dân cấp xã nơi học sinh cư trú |
| Thời hạn giải quyết | 20 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ |
| Phí, lệ phí | Không |
| Thành phần hồ sơ | Đơn đề nghị cấp học bổng; bản sao giấy khai sinh |
| Căn cứ pháp lý | Nghị định số 66/2025/NĐ-CP ngày 12/3/2025 của Chính phủ |
"""

LIST_ID = "qd-1234-ha-tinh"
FORM_ID = "qd-567-quang-tri"
THCS_CARD = "tthc-chuyen-truong-thcs"
COPY_CARD = "tthc-ban-sao-van-bang"


def records_of(doc_id: str, text: str) -> list[ProcedureRecord]:
    body, _tail = split_signature_block(text)
    return catalogue_records(doc_id, body, extract_metadata(text))


# -- reading ----------------------------------------------------------------------------------


def test_list_rows_become_records_with_their_decision_and_row() -> None:
    records = records_of(LIST_ID, LIST_DECISION)
    assert [r.code for r in records] == ["2.002481", "1.006390", "1.010020", "1.005092"]
    first = records[0]
    assert first.name == "Chuyển trường đối với học sinh trung học cơ sở"
    assert first.field == "Giáo dục trung học"  # from the group row above it
    assert first.levels == ["xã"]
    assert first.time_limit == "02 ngày làm việc kể từ ngày nhận đủ hồ sơ"
    assert first.fee == "Không"
    assert first.place == "Trường trung học cơ sở nơi học sinh chuyển đến"
    assert first.online_level == "Toàn trình"
    assert "51/2002/QĐ-BGDĐT" in (first.legal_basis or "")
    assert first.section == "PHỤ LỤC > Bảng 1 > dòng 1"
    assert first.province == "Hà Tĩnh" and first.so_hieu == "1234/QĐ-UBND"
    assert first.decision_label() == (
        "Quyết định số 1234/QĐ-UBND ngày 15/08/2025 của Ủy ban nhân dân tỉnh Hà Tĩnh"
    )
    assert records[2].fee == "3.000 đồng/bản sao"
    assert records[2].field == "Văn bằng, chứng chỉ"


def test_a_label_value_form_becomes_a_record_citing_each_line() -> None:
    [record] = records_of(FORM_ID, FORM_DECISION)
    assert record.name == (
        "Xét cấp học bổng chính sách cho học sinh trường phổ thông dân tộc bán trú"
    )
    assert record.code == "1.008950"
    assert record.time_limit == "20 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ"
    assert record.agency == "Ủy ban nhân dân cấp xã nơi học sinh cư trú"
    assert record.levels == ["xã"]
    assert record.extra["Thành phần hồ sơ"].startswith("Đơn đề nghị cấp học bổng")
    # each fact cites the form's line that holds it
    assert record.section_of("time_limit").endswith("> Bảng 1 > dòng 6")
    assert record.section_of("fee").endswith("> Bảng 1 > dòng 7")


def test_tables_that_name_no_procedure_are_no_catalogue() -> None:
    assert not is_catalogue(("STT", "Tên trường", "Mức thu học phí"))
    assert not is_catalogue(("Bước", "Nội dung công việc", "Đơn vị thực hiện", "Thời gian"))
    assert not is_catalogue(("STT", "Tên TTHC"))  # a name alone tells nothing of it
    assert is_catalogue(("TT", "Tên thủ tục", "Thời hạn giải quyết"))
    fees = """QUYẾT ĐỊNH

| STT | Tên đơn vị | Mức học phí năm học 2025-2026 |
|---|---|---|
| 1 | Trường THPT Chu Văn An | 1.200.000 |
| 2 | Trường THPT Nguyễn Trãi | 900.000 |
"""
    assert records_of("fees", fees) == []


def test_a_second_header_row_written_as_data_is_realigned() -> None:
    """As a web save wrote 1766/QĐ-UBND of Bình Thuận: "Mức độ DVC | Thực hiện qua BCCI" sit
    under "Cách thức thực hiện" but were written left-aligned as the first row."""
    text = """PHỤ LỤC

| TT | Mã số TTHC | Tên TTHC | Thời hạn giải quyết (Ngày làm việc) | Cách thức thực hiện \
| Địa điểm thực hiện | Phí, lệ phí (đồng) | Căn cứ pháp lý | |
|---|---|---|---|---|---|---|---|---|
| Mức độ DVC | Thực hiện qua BCCI | | | | | | | |
| 1 | 2.000815 | Chứng thực bản sao từ bản chính | Trong ngày | 2 | Không | UBND cấp xã | \
2.000 đồng/trang | Nghị định số 23/2015/NĐ-CP ngày 16/02/2015 |
| 2 | 2.000884 | Chứng thực chữ ký | 2 | 3 | Có | Phòng Tư pháp cấp huyện | 10.000 \
đồng/trường hợp | Nghị định số 23/2015/NĐ-CP ngày 16/02/2015 |
"""
    first, second = records_of("bt", text)
    assert first.online_level == "2"
    assert first.channel == "Thực hiện qua BCCI: Không"
    assert first.place == "UBND cấp xã"
    assert first.fee == "2.000 đồng/trang"
    assert first.legal_basis and first.legal_basis.startswith("Nghị định số 23/2015")
    assert second.time_limit == "2 ngày làm việc"  # the header's unit
    # the rows' passages, what search finds and answers quote, name the same columns
    from motcua.ingest.chunking import chunk_text

    passages = [d.text for d in chunk_text(text)]
    [row] = [p for p in passages if "2.000815" in p]
    assert "Phí, lệ phí (đồng): 2.000 đồng/trang" in row
    assert "Căn cứ pháp lý: Nghị định số 23/2015" in row
    # the misplaced header row is no passage of its own ("TT: Mức độ DVC · Mã số TTHC: …")
    assert not any("TT: Mức độ DVC" in p for p in passages)


def test_the_real_bac_ninh_decision(shared_dir: Path) -> None:
    from motcua.index.build import read_document

    document = read_document(shared_dir / "corpus" / "tables" / "1521_2025_qd-ubnd.txt")
    body, _tail = split_signature_block(document.text)
    catalogue = Catalogue(catalogue_records(document.doc_id, body, document.meta))
    [record] = catalogue.by_code("1.010219")
    assert record.name == "Tuyển sinh đầu cấp Tiểu học"
    assert record.field == "Giáo dục tiểu học"
    assert record.province == "Bắc Ninh"
    assert record.abolished  # Phụ lục 2 lists the procedures taken off the local list
    assert record.section == "PHỤ LỤC 2 > Bảng 2 > dòng 21"
    # Phụ lục 3's form of a listed procedure fills its row's time limit and fee
    [junction] = catalogue.search("chấp thuận thiết kế nút giao đấu nối").records
    assert junction.section == "PHỤ LỤC 1 > Bảng 1 > dòng 3"
    assert junction.time_limit and junction.time_limit.startswith("07 ngày làm việc")
    assert junction.section_of("time_limit").startswith("PHỤ LỤC 3 > Bảng 3")


def test_a_question_names_one_listed_procedure_or_none() -> None:
    from motcua.bot.catalogue_answers import CatalogueAnswers
    from motcua.lexicon import normalize

    def listed(name: str, time: str) -> ProcedureRecord:
        return ProcedureRecord(name=name, time_limit=time, doc_id="d", province="Bắc Ninh")

    catalogue = Catalogue(
        [
            listed("Chấp thuận thiết kế nút giao đấu nối vào quốc lộ, đường địa phương", "07 ngày"),
            listed("Cấp phép thi công nút giao đấu nối vào quốc lộ, đường địa phương", "05 ngày"),
            listed("Chuyển trường đối với học sinh trung học cơ sở", "02 ngày"),
            listed("Chuyển trường đối với học sinh trung học phổ thông", "03 ngày"),
            listed("Hỗ trợ chuyển đổi nghề nghiệp tại cơ sở gây ô nhiễm môi trường", "30 ngày"),
        ]
    )
    answers = CatalogueAnswers(catalogue)

    def time_of(question: str) -> str | None:
        found = answers.find(question, normalize(question))
        return found.records[0].time_limit if found else None

    assert time_of("chấp thuận thiết kế nút giao đấu nối mất bao lâu") == "07 ngày"
    assert time_of("cấp phép thi công nút giao mất mấy ngày") == "05 ngày"
    assert time_of("chuyển trường cho con lớp 7 mất bao lâu") == "02 ngày"  # lớp 7 is THCS
    assert time_of("chuyển trường cấp 3 mất bao lâu") == "03 ngày"
    assert time_of("chuyển trường mất bao lâu") is None  # which level?
    assert time_of("nút giao đấu nối mất bao lâu") is None  # which of the two?
    assert time_of("chuyển trường THCS") is None  # asks nothing of it
    assert time_of("đăng ký kết hôn mất bao lâu") is None


def test_the_announcing_decision_is_asked_and_a_named_cost_is_no_fee() -> None:
    from motcua.bot.catalogue_answers import CatalogueAnswers, catalogue_text
    from motcua.lexicon import normalize

    record = ProcedureRecord(
        name="Chính sách hỗ trợ chi phí học tập cho sinh viên sư phạm",
        legal_basis="Nghị định số 116/2020/NĐ-CP",
        extra={"Quyết định công bố": "431/QĐ-UBND ngày 23/3/2025", "Ghi chú": "—"},
        doc_id="d",
        province="Bắc Ninh",
    )
    answers = CatalogueAnswers(Catalogue([record]))

    def lead(question: str) -> str | None:
        found = answers.find(question, normalize(question))
        return catalogue_text(found)[1] if found else None

    announced = "chính sách hỗ trợ chi phí học tập cho sinh viên sư phạm công bố tại quyết định nào"
    assert lead(announced) == "Quyết định công bố: 431/QĐ-UBND ngày 23/3/2025"
    # "chi phí" is part of the name: no fee asked, no "danh mục không ghi" line about one
    assert lead("chính sách hỗ trợ chi phí học tập cho sinh viên sư phạm căn cứ văn bản nào") == (
        "Căn cứ pháp lý: Nghị định số 116/2020/NĐ-CP"
    )
    assert lead("chính sách hỗ trợ chi phí học tập cho sinh viên sư phạm") is None
    # a list without the column: the legal basis answers
    bare = ProcedureRecord(name=record.name, legal_basis=record.legal_basis, doc_id="d")
    found = CatalogueAnswers(Catalogue([bare])).find(announced, normalize(announced))
    assert found and catalogue_text(found)[1] == "Căn cứ pháp lý: Nghị định số 116/2020/NĐ-CP"


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
    from motcua.bot.console import procedure_views

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
