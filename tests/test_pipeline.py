"""The question pipeline of processes outside the web app (`motcua telegram --polling`):
curated answers first, then the dialogue, every answer logged. Polling used to answer from
the dialogue alone, so the department's curated answers never reached it."""

from __future__ import annotations

from pathlib import Path

from motcua.bot.pipeline import open_pipeline
from motcua.storage.schema import questions
from tests.conftest import make_settings

OUT_OF_SCOPE = "Hồ sơ xin miễn giảm học phí gồm những gì?"  # no card covers it
CURATED = "Hồ sơ gồm đơn đề nghị miễn, giảm học phí và giấy tờ chứng minh đối tượng."


def test_the_pipeline_serves_curated_answers_then_the_dialogue_and_logs_them(
    tmp_path: Path, cards_responder
) -> None:
    settings = make_settings(tmp_path / "index")
    pipeline = open_pipeline(settings, cards_responder)
    try:
        answers = pipeline.answers
        before = answers.answer(OUT_OF_SCOPE, "telegram:42", channel="telegram")
        assert before.refused and not before.curated
        answers.curated.create(OUT_OF_SCOPE, CURATED, author="admin")
        curated = answers.answer(OUT_OF_SCOPE, "telegram:42", channel="telegram")
        assert curated.curated and CURATED in curated.answer
        # the dialogue still reads the conversation: a level asked back, then answered
        asked = answers.answer("Thủ tục chuyển trường cho con", "telegram:7", channel="telegram")
        assert "THCS hay THPT" in asked.answer
        level = answers.answer("lớp 8", "telegram:7", channel="telegram")
        assert level.citations[0].doc_id == "tthc-chuyen-truong-thcs"
        with pipeline.database.read() as connection:
            logged = connection.execute(questions.select()).all()
        assert len(logged) == 4 and {row.channel for row in logged} == {"telegram"}
    finally:
        pipeline.close()
