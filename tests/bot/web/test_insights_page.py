"""/console/admin/insights, its CSV and its printable report: admin only, every parameter
checked, question text escaped and masked, the figures of the log on the page; over a log in
SQLite and in PostgreSQL."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from motcua.bot.web.app import create_app
from motcua.storage.interactions import Interactions, LoggedAnswer
from motcua.types import Answer
from tests.conftest import fresh_postgres_database, make_settings
from tests.question_log import make_log

PASSWORD = "mật-khẩu-thống-kê"
KEY = {"X-API-Key": "khoa-thong-ke-du-dai"}
HTML = {"Accept": "text/html"}
PAGE = "/console/admin/insights"
HOSTILE = '<script>alert("x")</script> học phí'
# A topic of its own whether wordings group by their words (a page's first view) or by meaning
# (views after the embeddings are made): its examples are shown either way.
PERSONAL = "Con tôi CCCD 012345678901, gọi 0912345678, hỏi xe buýt đưa đón ngoại khoá"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> Iterator[str | None]:
    """None: the SQLite file of the app's data folder. Module-wide, as the log it holds."""
    if request.param == "sqlite":
        yield None
        return
    with fresh_postgres_database() as url:
        yield url


@pytest.fixture(scope="module")
def client(
    tmp_path_factory: pytest.TempPathFactory, database_url: str | None
) -> Iterator[TestClient]:
    """The app over a made-up log, logged in once for the module (logins are rate-limited)."""
    folder = tmp_path_factory.mktemp("insights")
    settings = make_settings(
        folder / "index",
        admin_password=PASSWORD,
        admin_api_key=KEY["X-API-Key"],
        database_url=database_url,
    )
    app = create_app(settings)
    with TestClient(app) as test_client:
        backend = app.state.database.engine.dialect.name
        assert backend == ("sqlite" if database_url is None else "postgresql")
        now = time.time()
        make_log(app.state.database, 300, 14, now)
        Interactions(app.state.database).log_answers(
            [
                LoggedAnswer("zalo", "z", Answer(HOSTILE, "…", True), 1.0, now - 60),
                LoggedAnswer("zalo", "z", Answer(PERSONAL, "…", True), 1.0, now - 50),
            ]
        )
        response = test_client.post(
            "/console/admin/login",
            data={"username": "admin", "password": PASSWORD},
            follow_redirects=False,
        )
        assert response.status_code == 303
        yield test_client


@pytest.mark.parametrize("path", [PAGE, f"{PAGE}.csv", f"{PAGE}/report"])
def test_anonymous_visitors_get_nothing(client: TestClient, path: str) -> None:
    session = dict(client.cookies)
    client.cookies.clear()
    try:
        page = client.get(path, headers=HTML, follow_redirects=False)
        script = client.get(path, follow_redirects=False)
    finally:
        client.cookies.update(session)
    assert page.status_code == 303, "a person is sent to the login page"
    assert page.headers["location"].startswith("/console/admin/login?next=/console/admin/insights")
    assert script.status_code == 401 and "Admin login required" in script.text
    assert "Soạn câu trả lời chuẩn" not in page.text + script.text


def test_the_page_draws_every_figure_with_its_table(client: TestClient) -> None:
    html = client.get(PAGE, headers=HTML).text
    assert '<a href="/console/admin/insights" aria-current="page">Thống kê</a>' in html
    for heading in (
        "Câu hỏi mỗi ngày theo kênh",
        "Thời gian trả lời",
        "Đánh giá của người hỏi",
        "Thủ tục và văn bản được hỏi nhiều nhất",
        "Chủ đề chưa trả lời được",
    ):
        assert heading in html
    # One stacked chart per channel, then answer times and ratings; each an accessible image
    for chart in ("api", "console", "telegram", "zalo"):
        assert f'id="chart-questions-{chart}"' in html
    assert 'id="chart-times"' in html and 'id="chart-ratings"' in html
    charts = re.findall(r'<svg class="chart"[^>]*role="img"[^>]*aria-labelledby="([^"]+)"', html)
    assert len(charts) == 6
    assert html.count('<table class="figures') >= 7 and '<th scope="col">Từ chối</th>' in html
    # Ratings are named in words in the legend, the table, the chart and the card: without an
    # emoji font (Debian's Chromium) 👍/👎 are empty boxes.
    ratings = html[html.index('id="ratings"') : html.index('id="most-cited"')]
    assert '<th scope="col">Hài lòng</th><th scope="col">Chưa hài lòng</th>' in ratings
    assert re.search(r"</svg>Hài lòng</li>\s*<li><svg[^>]*>.*?</svg>Chưa hài lòng</li>", ratings)
    assert re.search(r"<desc [^>]*>Hài lòng \d+, chưa hài lòng \d+ trong \d+ ngày", ratings)
    assert re.search(r"Hài lòng [\d.]+ · chưa hài lòng [\d.]+</span>", html)
    assert "👍" not in html and "👎" not in html
    # The biggest unanswered topic is the fee waiver, with three examples and a curate link
    first = html[html.index('<li class="topic"') :]
    first = first[: first.index("</li>\n    \n")]
    assert "học phí" in first and first.count('class="example"') == 3
    assert re.search(r'href="/console/admin/curated/new\?question_id=[0-9a-f]{16}"', first)
    assert "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc" in html
    # The console's policy allows no inline style or script: the charts need neither.
    assert ' style="' not in html and re.findall(r"<script(?![^>]*\bsrc=)", html) == []


def test_question_text_is_escaped_and_personal_numbers_masked(client: TestClient) -> None:
    # The second view groups by meaning (the first one's response embedded the wordings).
    for _view in ("by words", "by meaning"):
        html = client.get(PAGE, headers=HTML, params={"channel": "zalo"}).text
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; học phí" in html
        assert "012345678901" not in html and "0912345678" not in html
        assert "[CCCD]" in html and "[SĐT]" in html
    report = client.get(f"{PAGE}/report", params={"channel": "zalo"}).text
    assert "<script>alert" not in report and "0912345678" not in report


def test_the_channel_filter_keeps_only_that_channel(client: TestClient) -> None:
    html = client.get(PAGE, headers=HTML, params={"channel": "telegram"}).text
    assert 'id="chart-questions-telegram"' in html
    assert 'id="chart-questions-zalo"' not in html and 'id="chart-questions-api"' not in html
    assert '<option value="telegram" selected>' in html


@pytest.mark.parametrize(
    ("params", "says"),
    [
        ({"since": "2026-02-30"}, "không có thật"),
        ({"since": "<b>x</b>"}, "&lt;b&gt;x&lt;/b&gt;"),
        ({"since": "2026-11-10", "until": "2026-11-01"}, "phải trước"),
        ({"since": "2020-01-01", "until": "2026-01-01"}, "tối đa 366 ngày"),
        ({"channel": "sms"}, "Kênh không hợp lệ"),
    ],
)
def test_bad_parameters_are_refused_on_the_page(
    client: TestClient, params: dict[str, str], says: str
) -> None:
    response = client.get(PAGE, headers=HTML, params=params)
    assert response.status_code == 422
    assert 'role="alert"' in response.text and says in response.text
    assert "<b>x</b>" not in response.text
    assert 'id="chart-times"' not in response.text
    assert client.get(f"{PAGE}.csv", params=params).status_code == 422


def test_overlong_parameters_never_reach_the_service(client: TestClient) -> None:
    for params in ({"since": "2026-11-01" * 50}, {"channel": "x" * 100}):
        assert client.get(PAGE, params=params).status_code == 422


def test_csv_and_report_carry_the_same_figures(client: TestClient) -> None:
    export = client.get(f"{PAGE}.csv", headers=KEY)
    assert export.status_code == 200
    assert export.headers["content-type"].startswith("text/csv")
    assert export.headers["cache-control"] == "no-store"
    assert re.match(
        r'attachment; filename="motcua-thong-ke-[\d-]+\.csv"', export.headers["content-disposition"]
    )
    assert "cau_hoi," in export.text and "chua_tra_loi,,all,chu_de_1," in export.text
    report = client.get(f"{PAGE}/report", headers=KEY)
    assert report.status_code == 200 and "<style>" in report.text
    assert "<script" not in report.text and "@media print" in report.text
    assert "Báo cáo câu hỏi của người dân" in report.text and 'id="chart-times"' in report.text
