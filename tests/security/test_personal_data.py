"""Issue 17, item 9: phone and CCCD numbers typed into questions were stored unmasked beside the
platform user id, shown on the admin page and exported, and kept for ever."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from motcua.bot.web.app import create_app
from motcua.commands.cli import app as cli
from motcua.storage.conversations import SqlConversationStore
from motcua.storage.database import Database
from motcua.storage.interactions import DAY_SECONDS, Interactions
from motcua.storage.schema import conversation_turns, feedback, questions
from motcua.types import Answer
from tests.conftest import make_settings

PERSONAL = "em sđt 0912 345 678, cccd 079203001234, xin bản sao bằng tốt nghiệp ở đâu"
KEY = {"X-API-Key": "khoa-quan-tri-du-dai"}


def stored_text(database: Database) -> str:
    with database.read() as connection:
        rows = [
            *connection.execute(questions.select()).mappings(),
            *connection.execute(conversation_turns.select()).mappings(),
        ]
    return " ".join(str(value) for row in rows for value in row.values())


@pytest.fixture
def client(tmp_path: Path, cards_responder):
    settings = make_settings(tmp_path / "index", admin_api_key=KEY["X-API-Key"])
    app = create_app(settings, responder=cards_responder)
    with TestClient(app) as test_client:
        yield test_client


def test_numbers_are_masked_before_anything_is_stored(client: TestClient) -> None:
    body = client.post("/v1/ask", json={"question": PERSONAL}).json()
    follow_up = {"question": "còn lệ phí thì sao, gọi 0987654321"}
    client.post("/v1/ask", json={**follow_up, "conversation_id": body["conversation_id"]})
    text = stored_text(client.app.state.database)
    assert "0912 345 678" not in text and "079203001234" not in text and "0987654321" not in text
    assert "[SĐT]" in text and "[CCCD]" in text
    listed = client.get("/v1/admin/unanswered.csv", headers=KEY).text
    assert "079203001234" not in listed


def test_old_questions_and_their_ratings_are_purged(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'state.sqlite3'}")
    database.migrate()
    log = Interactions(database, retention_days=30)
    old = log.log_answer("api", "web:a", Answer(question="câu cũ", answer="…", refused=True))
    assert log.record(old, "down", "web:a")
    with database.write() as connection:  # asked 31 days ago
        connection.execute(questions.update().values(created_at=time.time() - 31 * DAY_SECONDS))
    recent = Interactions(database, retention_days=30)  # a new process: purges on first log
    kept = recent.log_answer("api", "web:b", Answer(question="câu mới", answer="…", refused=True))
    with database.read() as connection:
        ids = [row.id for row in connection.execute(questions.select())]
        ratings = connection.execute(feedback.select()).all()
    assert ids == [kept] and ratings == []
    database.close()


def test_the_purge_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'state.sqlite3'}"
    monkeypatch.setenv("MOTCUA_DATABASE_URL", url)
    database = Database(url)
    database.migrate()
    Interactions(database).log_answer("api", None, Answer(question="cũ", answer="…", refused=True))
    with database.write() as connection:
        connection.execute(questions.update().values(created_at=time.time() - 400 * DAY_SECONDS))
    from motcua.settings import get_settings

    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(cli, ["purge"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert "Deleted 1 questions" in result.output
    with database.read() as connection:
        assert connection.execute(questions.select()).all() == []
    database.close()


def test_conversation_turns_are_masked_in_the_store(tmp_path: Path) -> None:
    store = SqlConversationStore(f"sqlite:///{tmp_path / 'turns.sqlite3'}")
    from motcua.storage.conversations import Turn

    store.append(Turn("web:x", PERSONAL, PERSONAL, "…", False, "answer", time.time()))
    (turn,) = store.recent("web:x", 1)
    assert "079203001234" not in turn.asked and "[CCCD]" in turn.understood
