"""The registry of cited legal documents on the CLI and the HTTP service."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from motcua.bot.app import create_app
from motcua.cli import app as cli
from tests.conftest import make_settings

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


def test_cli_reports_an_unknown_number(index: Path) -> None:
    result = CliRunner().invoke(cli, ["decrees", "999/2099/NĐ-CP", "--index-dir", str(index)])
    assert result.exit_code == 1


def test_api_lists_and_gets_records(index: Path) -> None:
    from motcua.bot.loading import load_responder

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
    from motcua.bot.loading import load_responder

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
