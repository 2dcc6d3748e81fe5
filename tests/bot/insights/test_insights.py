"""The insights' figures over the question log, on SQLite and PostgreSQL: outcomes per day and
channel, answer times, ratings, most cited documents, the unanswered and their masking; the
period and channel read from untrusted input; the CSV export."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from alembic import command
from sqlalchemy import insert, inspect, select

from motcua.bot.insights.export import insights_csv
from motcua.bot.insights.period import Period, PeriodError, parse_channel, parse_period
from motcua.bot.insights.service import InsightsService
from motcua.bot.insights.topics import trend
from motcua.storage.database import Database, alembic_config
from motcua.storage.interactions import Interactions, LoggedAnswer
from motcua.storage.schema import feedback, question_citations, questions
from motcua.types import STATUS_CLARIFY, Answer, Citation

# 2026-11-02 00:00 in Vietnam (UTC+7) is 2026-11-01 17:00 UTC.
NOV_2 = 1_793_552_400.0
HOUR = 3600.0
CARD = Citation("tthc-ban-sao-van-bang", "Cấp bản sao văn bằng", None, "Hồ sơ", "…", 1.0)
PLAN = Citation("000_plan", "Kế hoạch số 1655/KH-SGDĐT", "1655/KH-SGDĐT", None, "…", 1.0)
PERIOD = Period(date(2026, 11, 1), date(2026, 11, 3))


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'state.sqlite3'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def database(database_url: str):
    database = Database(database_url)
    database.migrate()
    yield database
    database.close()


def answered(question: str, *cited: Citation) -> Answer:
    return Answer(question, "Hồ sơ gồm…", False, citations=list(cited))


def refused(question: str) -> Answer:
    return Answer(question, "Xin lỗi, chưa có thông tin.", True)


def rate(database: Database, question_id: str, rating: str, at: float, user: str = "u") -> None:
    with database.write() as connection:
        connection.execute(
            insert(feedback).values(
                question_id=question_id, user_key=user, rating=rating, created_at=at
            )
        )


def test_figures_count_each_day_of_vietnam_by_channel_and_outcome(database: Database) -> None:
    log = Interactions(database)
    ids = log.log_answers(
        [
            # 23:30 on 1 Nov in Vietnam (16:30 UTC): still the 1st there
            LoggedAnswer(
                "telegram", "t:1", answered("bản sao", CARD, CARD), 0.2, NOV_2 - 0.5 * HOUR
            ),
            # 00:30 on 2 Nov in Vietnam, 17:30 UTC on the 1st
            LoggedAnswer(
                "telegram", "t:2", answered("bản sao", CARD, PLAN), 0.4, NOV_2 + 0.5 * HOUR
            ),
            LoggedAnswer("telegram", "t:3", refused("học phí"), 1.0, NOV_2 + 2 * HOUR),
            LoggedAnswer(
                "zalo",
                "z:1",
                Answer("chuyển trường", "?", False, status=STATUS_CLARIFY),
                0.8,
                NOV_2 + 3 * HOUR,
            ),
            LoggedAnswer("zalo", "z:2", answered("kế hoạch", PLAN), None, NOV_2 + 30 * HOUR),
            LoggedAnswer("api", None, answered("ngoài kỳ", CARD), 0.1, NOV_2 + 80 * HOUR),
        ]
    )
    rate(database, ids[0], "up", NOV_2 - 0.25 * HOUR)
    rate(database, ids[1], "down", NOV_2 + 1 * HOUR)
    rate(database, ids[2], "down", NOV_2 + 2.5 * HOUR)
    rate(database, ids[4], "up", NOV_2 + 31 * HOUR)

    data = InsightsService(database).figures(PERIOD)
    assert data.days == PERIOD.days
    assert list(data.outcomes) == ["telegram", "zalo"], "channels in the page's order"
    assert data.outcomes["telegram"] == {
        "answered": [1, 1, 0],
        "clarify": [0, 0, 0],
        "refused": [0, 1, 0],
    }
    assert data.outcomes["zalo"] == {
        "answered": [0, 0, 1],
        "clarify": [0, 1, 0],
        "refused": [0, 0, 0],
    }
    assert data.totals == {"answered": 3, "clarify": 1, "refused": 1} and data.total == 5
    # Answer times: the unmeasured (None) answer is left out, percentiles as numpy's.
    assert [t.answers for t in data.times] == [1, 3, 0]
    assert data.times[1].p50_ms == pytest.approx(800)
    assert data.times[1].p95_ms == pytest.approx(np.percentile([400, 1000, 800], 95))
    assert data.times[2].p50_ms is None
    assert data.p50_ms == pytest.approx(600)
    assert (data.thumbs_up, data.thumbs_down) == ([1, 0, 1], [0, 2, 0])
    assert data.satisfaction == pytest.approx(0.5)
    # An answer citing a document twice counts once for it.
    assert [(c.doc_id, c.count, c.is_procedure) for c in data.cited] == [
        ("000_plan", 2, False),
        ("tthc-ban-sao-van-bang", 2, True),
    ]

    zalo = InsightsService(database).figures(PERIOD, "zalo")
    assert list(zalo.outcomes) == ["zalo"] and zalo.total == 2
    assert (zalo.thumbs_up, zalo.thumbs_down) == ([0, 0, 1], [0, 0, 0])
    assert [c.doc_id for c in zalo.cited] == ["000_plan"]
    assert [t.answers for t in zalo.times] == [0, 1, 0]


def test_unanswered_topics_count_refused_and_thumbs_down_once_each(database: Database) -> None:
    log = Interactions(database)
    at = NOV_2 + HOUR
    ids = log.log_answers(
        [
            LoggedAnswer(
                "api", "a", refused("Miễn giảm học phí cần giấy tờ gì? 0912345678"), 1, at
            ),
            LoggedAnswer("api", "b", refused("mien giam hoc phi can giay to gi"), 1, at + 1),
            LoggedAnswer("api", "c", refused("miễn giảm học phí cần giấy tờ gì"), 1, at + 2),
            LoggedAnswer("zalo", "d", answered("bản sao bằng", CARD), 1, at + 3),
            LoggedAnswer("zalo", "e", answered("bản sao bằng", CARD), 1, at + 4),
        ]
    )
    rate(database, ids[0], "down", at + 10)  # refused and 👎: one question, counted once
    rate(database, ids[3], "down", at + 10)
    rate(database, ids[4], "up", at + 10)

    data = InsightsService(database).figures(PERIOD)
    assert [t.size for t in data.topics] == [3, 1]
    fees, copy = data.topics
    assert (fees.refused, fees.thumbs_down) == (3, 1)
    assert (copy.refused, copy.thumbs_down) == (0, 1)
    shown = [e.question for e in fees.examples]
    assert all("0912345678" not in q for q in shown), "personal numbers never shown"
    assert any("[SĐT]" in q for q in shown)
    assert fees.examples[0].question_id in ids[:3], "curated from one of the group's questions"
    assert fees.days == {int((at + 7 * HOUR) // 86400): 3}
    # The log starts on 2 Nov: the halves are 2 Nov and 3 Nov, not 1 Nov and 2-3 Nov.
    assert data.trends[0] == ("down", 3, 0)


def test_trends_compare_the_halves_of_the_days() -> None:
    days = range(100, 110)
    assert trend({100: 2, 106: 9}, days) == ("up", 2, 9)
    assert trend({101: 9, 108: 2}, days) == ("down", 9, 2)
    assert trend({101: 4, 108: 5}, days) == ("steady", 4, 5)
    assert trend({107: 1}, days) == ("new", 0, 1)
    assert trend({}, days) == ("steady", 0, 0)


def test_an_existing_log_gets_outcomes_and_citations_from_the_migration(
    database_url: str,
) -> None:
    database = Database(database_url)
    database.migrate("0002")
    base = {"channel": "api", "user_key": None, "answer": "…", "curated_id": None}
    cited = [{"doc_id": "d1", "title": "Văn bản 1", "so_hieu": "1/KH"}, {"doc_id": "d1"}]
    old_questions = [
        {"id": "a", "question": "x", "folded": "x", "refused": False, "created_at": NOV_2},
        {"id": "r", "question": "y", "folded": "y", "refused": True, "created_at": NOV_2},
        {"id": "bad", "question": "z", "folded": "z", "refused": False, "created_at": NOV_2},
    ]
    citations = {"a": json.dumps(cited), "r": json.dumps(cited), "bad": "{not json"}
    # Only the columns 0002 knew are named: the insert renders no others.
    old = questions.c
    with database.write() as connection:
        for row in old_questions:
            connection.execute(
                insert(questions).values(**base, **row, citations=citations[row["id"]])
            )
    database.migrate()
    with database.read() as connection:
        statuses = dict(connection.execute(select(old.id, old.status)).all())
        rows = connection.execute(
            select(question_citations.c.question_id, question_citations.c.doc_id)
        ).all()
    assert statuses == {"a": "answered", "r": "refused", "bad": "answered"}
    assert [tuple(r) for r in rows] == [("a", "d1")], "once per answer; refusals cite nothing"

    with database.engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0002")
    assert "question_citations" not in inspect(database.engine).get_table_names()
    database.migrate()
    database.close()


def test_purge_takes_citations_and_vectors_with_the_questions(tmp_path: Path) -> None:
    from motcua.storage.question_vectors import QuestionVectors

    database = Database(f"sqlite:///{tmp_path / 'p.sqlite3'}")
    database.migrate()
    Interactions(database).log_answers([LoggedAnswer("api", None, answered("q", CARD), 1, 10.0)])
    QuestionVectors(database).put("e", {"q": np.ones(3, dtype=np.float32)})
    assert QuestionVectors(database).get("e", ["q"])["q"].tolist() == [1.0, 1.0, 1.0]
    Interactions(database).purge(float("inf"))
    with database.read() as connection:
        assert connection.execute(select(question_citations)).all() == []
    assert QuestionVectors(database).get("e", ["q"]) == {}
    database.close()


@pytest.mark.parametrize(
    ("since", "until", "reason"),
    [
        ("2026-13-01", None, "không có thật"),
        ("01/11/2026", None, "YYYY-MM-DD"),
        ("2026-1-1", None, "YYYY-MM-DD"),
        ("<script>", None, "YYYY-MM-DD"),
        ("2026-11-05", "2026-11-01", "trước"),
        ("2024-01-01", "2026-01-01", "tối đa"),
        ("1999-12-31", "2000-01-01", "ngoài khoảng"),
    ],
)
def test_a_bad_period_is_refused_with_the_reason(
    since: str, until: str | None, reason: str
) -> None:
    with pytest.raises(PeriodError, match=reason):
        parse_period(since, until)


def test_the_default_period_is_the_last_30_days_of_vietnam() -> None:
    # 17:30 UTC on 1 Nov is already 2 Nov in Vietnam.
    period = parse_period(None, None, now=NOV_2 + 0.5 * HOUR)
    assert (period.first, period.last) == (date(2026, 10, 4), date(2026, 11, 2))
    assert parse_period("2026-11-01", "", now=NOV_2 - HOUR).days == [date(2026, 11, 1)]
    window = Period(date(2026, 11, 2), date(2026, 11, 2)).window("zalo")
    assert (window.start, window.end, window.channel) == (NOV_2, NOV_2 + 24 * HOUR, "zalo")


def test_only_known_channels_pass() -> None:
    assert parse_channel("") is None and parse_channel("all") is None
    assert parse_channel("telegram") == "telegram"
    for bad in ("sms", "telegram'--", "<b>"):
        with pytest.raises(PeriodError):
            parse_channel(bad)


def test_every_pipeline_channel_has_a_label() -> None:
    from motcua.bot.answering.pipeline import CHANNELS
    from motcua.bot.insights.period import CHANNEL_LABELS

    assert set(CHANNELS) <= set(CHANNEL_LABELS)


def test_csv_has_every_figure_and_quotes_formulas(database: Database) -> None:
    log = Interactions(database)
    at = NOV_2 + HOUR
    ids = log.log_answers(
        [
            LoggedAnswer("api", None, refused('=HYPERLINK("http://x")'), 1, at),
            LoggedAnswer("telegram", None, answered("bản sao", CARD), 0.5, at),
        ]
    )
    rate(database, ids[1], "up", at + 10)
    text = insights_csv(InsightsService(database).figures(PERIOD))
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["muc", "ngay", "kenh", "chi_so", "gia_tri", "noi_dung"]
    assert ["cau_hoi", "2026-11-02", "telegram", "answered", "1", "Telegram"] in rows
    assert ["cau_hoi", "2026-11-02", "api", "refused", "1", "REST (API)"] in rows
    assert ["trich_dan", "", "all", "thu_tuc:tthc-ban-sao-van-bang", "1", CARD.title] in rows
    # Ratings say in words what they are, as the page does (no 👍/👎)
    assert ["danh_gia", "2026-11-02", "all", "up", "1", "Hài lòng"] in rows
    assert ["danh_gia", "2026-11-02", "all", "down", "0", "Chưa hài lòng"] in rows
    topic = next(r for r in rows if r[3] == "chu_de_1")
    assert topic[5].startswith("'="), "a formula is written as text"
