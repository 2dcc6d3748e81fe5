"""The registry of cited legal documents on the CLI and the HTTP service."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from motcua.bot.web.app import create_app
from motcua.commands.cli import app as cli
from tests.conftest import SHARED, make_settings

PLAN = """UBND TỈNH AN GIANG
SỞ GIÁO DỤC VÀ ĐÀO TẠO
Số: 212/KH-SGDĐT An Giang, ngày 03 tháng 3 năm 2025
KẾ HOẠCH
Kiểm soát thủ tục hành chính năm 2025

Căn cứ Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ về thực hiện cơ chế một cửa,
một cửa liên thông trong giải quyết thủ tục hành chính; Nghị định số 107/2021/NĐ-CP ngày
06/12/2021 của Chính phủ sửa đổi, bổ sung một số điều của Nghị định số 61/2018/NĐ-CP;
Sở Giáo dục và Đào tạo ban hành kế hoạch như sau:

I. MỤC ĐÍCH
1. Mục đích
Bảo đảm việc tiếp nhận hồ sơ tại bộ phận một cửa đúng quy định, công khai, minh bạch.
"""


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("plans")
    (folder / "kh-212.txt").write_text(PLAN, encoding="utf-8")
    index_dir = folder / "index"
    result = CliRunner().invoke(cli, ["ingest", str(folder), "--index-dir", str(index_dir)])
    assert result.exit_code == 0, result.output
    return index_dir


def test_cli_finds_a_decree_by_short_number(index: Path) -> None:
    result = CliRunner().invoke(cli, ["decrees", "61/2018", "--json", "--index-dir", str(index)])
    assert result.exit_code == 0, result.output
    record = json.loads(result.output.splitlines()[0])
    assert record["so_hieu"] == "61/2018/NĐ-CP"
    assert record["date"] == "2018-04-23"
    assert "kh-212" in [m["doc_id"] for m in record["cited_by"]]
    assert record["amended_by"], "107/2021 amends 61/2018"


def test_cli_names_linked_texts_and_says_when_it_shows_only_some(index: Path) -> None:
    result = CliRunner().invoke(cli, ["decrees", "61/2018", "--index-dir", str(index)])
    assert result.exit_code == 0, result.output
    assert "được sửa đổi bởi: Nghị định 107/2021/NĐ-CP ngày 6/12/2021" in result.output
    assert "107/2021/nd-cp" not in result.output  # a key is not a name
    assert "về: về" not in result.output
    everything = CliRunner().invoke(cli, ["decrees", "--index-dir", str(index)])
    total = sum(1 for line in everything.output.splitlines() if not line.startswith(" "))
    one = CliRunner().invoke(cli, ["decrees", "--limit", "1", "--index-dir", str(index)])
    assert f"1 of {total} shown" in one.output


def test_cli_reports_an_unknown_number(index: Path) -> None:
    result = CliRunner().invoke(cli, ["decrees", "999/2099/NĐ-CP", "--index-dir", str(index)])
    assert result.exit_code == 1


def test_api_lists_and_gets_records(index: Path) -> None:
    from motcua.bot.answering.loading import load_responder

    settings = make_settings(index)
    with TestClient(create_app(settings, responder=load_responder(settings))) as client:
        listed = client.get("/v1/decrees", params={"q": "một cửa"}).json()
        assert "61/2018/NĐ-CP" in [r["so_hieu"] for r in listed]
        record = client.get("/v1/decrees/107/2021/NĐ-CP").json()
        assert record["date"] == "2021-12-06"
        assert record["amends"]
        assert client.get("/v1/decrees/1/1999/XX").status_code == 404


@pytest.fixture(scope="module")
def responder(index: Path):
    from motcua.bot.answering.loading import load_responder

    return load_responder(make_settings(index))


def test_what_a_plan_rests_on_is_answered_from_the_registry(responder) -> None:
    answer = responder.answer("Kế hoạch 212 căn cứ văn bản nào?")
    assert not answer.refused
    assert "61/2018/NĐ-CP" in answer.answer and "107/2021/NĐ-CP" in answer.answer
    assert answer.citations[0].doc_id == "kh-212"


@pytest.mark.parametrize(
    ("question", "expected", "absent"),
    [
        ("Văn bản nào sửa đổi Nghị định 61/2018?", "107/2021/NĐ-CP", None),
        ("van ban nao sua doi nghi dinh 61/2018", "107/2021/NĐ-CP", None),
        ("Nghị định 107/2021 sửa đổi văn bản nào?", "61/2018/NĐ-CP", "được sửa đổi"),
    ],
)
def test_amendment_direction_follows_the_question(
    responder, question: str, expected: str, absent: str | None
) -> None:
    answer = responder.answer(question)
    assert not answer.refused
    assert expected in answer.answer
    if absent:
        assert absent not in answer.answer
    assert answer.citations and answer.citations[0].doc_id == "kh-212"


def test_the_cards_legal_bases_are_in_the_registry(cards_index: Path) -> None:
    # Their registry pages said "Không tìm thấy": cards are documents, what they cite is cited.
    # The session's index of the built-in cards (`ingest --builtin`), read only.
    index_dir = cards_index
    for number, card in (
        ("23/2015/NĐ-CP", "tthc-ban-sao-van-bang"),
        ("21/2019/TT-BGDĐT", "tthc-chinh-sua-van-bang"),
    ):
        found = CliRunner().invoke(
            cli, ["decrees", number, "--json", "--index-dir", str(index_dir)]
        )
        assert found.exit_code == 0, found.output
        record = json.loads(found.output.splitlines()[0])
        assert card in [m["doc_id"] for m in record["cited_by"]]


# -- plans scanned without their marks ------------------------------------------------------

SCAN = "seeds/000_5348ec65c6d4a033.txt"  # Kế hoạch 1655/KH-SGDĐT (2025), OCR without marks
TYPED = "seeds/002_a3b05bab0daef918.txt"  # the same plan for 2024, typed


def opening(relative: str, lines: int) -> str:
    path = SHARED / relative
    if not path.is_file():
        pytest.fail(f"the customer's documents are expected in {SHARED}: {relative} is missing")
    return "\n".join(path.read_text(encoding="utf-8").split("\n")[:lines])


@pytest.fixture(scope="module")
def scanned_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The openings (header, bases, aims) of the 2025 plan as scanned and the 2024 one typed."""
    folder = tmp_path_factory.mktemp("scanned")
    (folder / "kh-1655-scan.txt").write_text(opening(SCAN, 30), encoding="utf-8")
    (folder / "kh-2024.txt").write_text(opening(TYPED, 14), encoding="utf-8")
    index_dir = folder / "index"
    result = CliRunner().invoke(cli, ["ingest", str(folder), "--index-dir", str(index_dir)])
    assert result.exit_code == 0, result.output
    return index_dir


def test_a_scanned_title_and_subject_are_repaired_and_kept_as_scanned(
    scanned_index: Path,
) -> None:
    def record(number: str) -> dict:
        result = CliRunner().invoke(
            cli, ["decrees", number, "--json", "--index-dir", str(scanned_index)]
        )
        assert result.exit_code == 0, result.output
        return json.loads(result.output.splitlines()[0])

    plan = record("1655/KH-SGDĐT")  # the scan's own header: "S6: 1655 /KH-SGDDT"
    assert plan["title"] == "Tuyên truyền cải cách hành chính năm 2025"
    assert plan["title_raw"] == "Tuyén truyén cii cich hanh chinh nim 2025"
    cited = record("1012/KH-UBND")  # "vé viéc Tuyén truyén cong tac cai cach hanh chinh nam …"
    assert cited["subject"].startswith("về việc Tuyên truyền công tác cải cách hành chính")
    assert cited["subject_raw"].startswith("vé viéc Tuyén truyén cong tac")
    typed = record("826/KH-UBND")  # cited by the typed plan: nothing to repair
    assert typed["subject"].startswith("về việc Tuyên truyền") and typed["subject_raw"] is None


@pytest.fixture(scope="module")
def scanned_responder(scanned_index: Path):
    from motcua.bot.answering.loading import load_responder

    return load_responder(make_settings(scanned_index))


@pytest.mark.parametrize(
    "query",
    ["tuyên truyền cải cách hành chính năm 2025", "tuyen truyen cai cach hanh chinh nam 2025"],
)
def test_search_finds_a_scanned_plan_by_its_repaired_title(
    scanned_index: Path, scanned_responder, query: str
) -> None:
    settings = make_settings(scanned_index)
    with TestClient(create_app(settings, responder=scanned_responder)) as client:
        listed = client.get("/v1/decrees", params={"q": query}).json()
    # "năm 2025" is a year of the subject, not a document numbered 2025
    assert [r["so_hieu"] for r in listed][:2] == ["1655/KH-SGDĐT", "1012/KH-UBND"]


def test_words_list_every_text_that_fits_not_only_the_best(scanned_index: Path) -> None:
    # `decrees "một cửa"` printed 107/2021 alone: words were looked up as one record.
    result = CliRunner().invoke(
        cli, ["decrees", "cải cách hành chính", "--json", "--index-dir", str(scanned_index)]
    )
    assert result.exit_code == 0, result.output
    found = [json.loads(line)["so_hieu"] for line in result.output.splitlines()]
    assert {"1655/KH-SGDĐT", "1012/KH-UBND", "826/KH-UBND", "5055/KH-SGDĐT"} <= set(found)


def test_the_console_shows_the_repaired_title_with_the_scan_beside(scanned_responder) -> None:
    from motcua.bot.web.console.decree_views import decree_page

    record = decree_page(scanned_responder, "1655/KH-SGDĐT").record
    assert record is not None
    assert record.title == "Tuyên truyền cải cách hành chính năm 2025"
    assert record.scanned == "Tuyén truyén cii cich hanh chinh nim 2025"


def test_citing_documents_are_named_by_their_titles_not_their_file_ids(
    scanned_index: Path, scanned_responder
) -> None:
    from motcua.bot.web.console.decree_views import decree_page

    shown = CliRunner().invoke(cli, ["decrees", "1012/KH-UBND", "--index-dir", str(scanned_index)])
    assert shown.exit_code == 0, shown.output
    assert "kh-1655-scan" not in shown.output
    assert "Kế hoạch số 1655/KH-SGDĐT" in shown.output
    assert "Tuyên truyền cải cách hành chính năm 2025" in shown.output  # its title, repaired
    as_json = CliRunner().invoke(
        cli, ["decrees", "1012/KH-UBND", "--json", "--index-dir", str(scanned_index)]
    )
    (citing,) = json.loads(as_json.output.splitlines()[0])["citing_documents"]
    assert citing["doc_id"] == "kh-1655-scan"  # machines keep the id
    assert citing["title"] == "Tuyên truyền cải cách hành chính năm 2025"
    settings = make_settings(scanned_index)
    with TestClient(create_app(settings, responder=scanned_responder)) as client:
        record = client.get("/v1/decrees/1012/KH-UBND").json()
    assert record["citing_documents"] == [citing]
    page = decree_page(scanned_responder, "1012/KH-UBND").record
    assert page is not None
    assert [m.label for m in page.cited_by][0].endswith(
        ": Tuyên truyền cải cách hành chính năm 2025"
    )


def test_a_partial_repeal_is_printed_as_one(tmp_path: Path) -> None:
    # Nghị định 63/2010: its header and the article that repeals Điều 2 of Quyết định 1699
    lines = (SHARED / "corpus/decrees/63_2010_nd-cp.txt").read_text(encoding="utf-8").split("\n")
    text = "\n".join(lines[:12] + [line for line in lines if "1699/QĐ-TTg" in line])
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "63_2010_nd-cp.txt").write_text(text, encoding="utf-8")
    index_dir = tmp_path / "index"
    done = CliRunner().invoke(
        cli, ["ingest", str(tmp_path / "docs"), "--index-dir", str(index_dir)]
    )
    assert done.exit_code == 0, done.output
    shown = CliRunner().invoke(cli, ["decrees", "63/2010/NĐ-CP", "--index-dir", str(index_dir)])
    assert "bãi bỏ một phần: Quyết định 1699/QĐ-TTg" in shown.output
    assert "sửa đổi" not in shown.output
    other = CliRunner().invoke(cli, ["decrees", "1699/QĐ-TTg", "--index-dir", str(index_dir)])
    assert "bị bãi bỏ một phần bởi: Nghị định 63/2010/NĐ-CP" in other.output
