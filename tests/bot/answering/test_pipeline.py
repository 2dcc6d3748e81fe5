"""One question pipeline for every way in: curated answers first, then the dialogue, every
answer logged with its channel and who asked. Polling used to answer from the dialogue alone
(no curated answers), and the console never asked a clarifying question."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from motcua.bot.answering.pipeline import Question, standalone_pipeline
from motcua.bot.web.app import create_app
from motcua.commands.cli import app as cli
from motcua.storage.schema import questions
from tests.conftest import make_settings

OUT_OF_SCOPE = "Hồ sơ xin miễn giảm học phí gồm những gì?"  # no card covers it
CURATED = "Hồ sơ gồm đơn đề nghị miễn, giảm học phí và giấy tờ chứng minh đối tượng."
NO_LEVEL = "Thủ tục chuyển trường cho con"  # THCS or THPT: the dialogue asks back


def telegram(text: str, chat: int) -> Question:
    return Question(
        text, channel="telegram", user=f"telegram:{chat}0", conversation=f"telegram:{chat}"
    )


def test_the_pipeline_serves_curated_answers_then_the_dialogue_and_logs_them(
    tmp_path: Path, cards_responder
) -> None:
    settings = make_settings(tmp_path / "index")
    with standalone_pipeline(settings, cards_responder) as pipeline:
        before = pipeline.ask(telegram(OUT_OF_SCOPE, 42))
        assert before.refused and not before.curated
        pipeline.curated.create(OUT_OF_SCOPE, CURATED, author="admin")
        curated = pipeline.ask(telegram(OUT_OF_SCOPE, 42))
        assert curated.curated and CURATED in curated.answer
        # the dialogue still reads the conversation: a level asked back, then answered
        asked = pipeline.ask(telegram(NO_LEVEL, 7))
        assert "THCS hay THPT" in asked.answer
        level = pipeline.ask(telegram("lớp 8", 7))
        assert level.citations[0].doc_id == "tthc-chuyen-truong-thcs"
        with pipeline.conversations.database.read() as connection:
            logged = connection.execute(questions.select()).all()
    assert len(logged) == 4 and {row.channel for row in logged} == {"telegram"}
    # the log knows who asked (the platform user), not only the chat
    assert {row.user_key for row in logged} == {"telegram:420", "telegram:70"}
    # and how each question ended and how long its answer took (the insights page's figures)
    in_order = sorted(logged, key=lambda row: row.created_at)
    assert [row.status for row in in_order] == ["refused", "answered", "clarify", "answered"]
    assert all(row.elapsed_ms is not None and row.elapsed_ms >= 0 for row in logged)


def test_the_console_asks_back_where_the_api_does(
    tmp_path: Path, cards_index: Path, cards_responder
) -> None:
    settings = make_settings(cards_index, data_dir=tmp_path / "data")
    with TestClient(create_app(settings, responder=cards_responder)) as client:
        api = client.post("/v1/ask", json={"question": NO_LEVEL}).json()
        console = client.get("/console/api/answer", params={"q": NO_LEVEL}).json()
    assert api["status"] == console["status"] == "clarify"
    assert console["answer"] == api["answer"]


def test_motcua_ask_answers_through_the_pipeline_and_logs_nothing(
    tmp_path: Path, cards_index: Path
) -> None:
    data = tmp_path / "data"
    env = {"MOTCUA_DATA_DIR": str(data)}
    runner = CliRunner()
    with standalone_pipeline(make_settings(cards_index, data_dir=data), None) as pipeline:
        pipeline.curated.create(OUT_OF_SCOPE, CURATED, author="admin")
    result = runner.invoke(cli, ["ask", OUT_OF_SCOPE, "--index-dir", str(cards_index)], env=env)
    assert result.exit_code == 0, result.output
    assert CURATED in result.output  # the department's answer, as on the API
    asked = runner.invoke(cli, ["ask", NO_LEVEL, "--index-dir", str(cards_index)], env=env)
    assert "THCS hay THPT" in asked.output
    settings = make_settings(cards_index, data_dir=data)
    with (
        standalone_pipeline(settings, None) as pipeline,
        pipeline.conversations.database.read() as db,
    ):
        logged = db.execute(questions.select()).all()
    assert logged == []  # an operator's questions stay out of the public's log
