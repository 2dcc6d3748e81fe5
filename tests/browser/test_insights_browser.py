"""The insights page in a real browser, over a few hundred made-up questions on every
channel and day of two weeks: the charts, their tables, the unanswered topics and the way
from a topic to its curated answer, at desktop and phone width."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import ADMIN, DESKTOP, PHONE, log_in, open_page
from tests.browser.test_console_browser import no_horizontal_overflow
from tests.live_server import admin_settings, serve_app
from tests.question_log import fill_log

PAGE = "/console/admin/insights"


@pytest.fixture(scope="module")
def insights_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app (no index needed: the admin pages read the question log) over 300 questions."""
    folder: Path = tmp_path_factory.mktemp("insights-browser")
    settings = admin_settings(folder / "index", ADMIN["password"])
    fill_log(settings, 300, 14)
    with serve_app(settings) as url:
        yield url


def admin(browser: Browser, url: str, viewport: dict[str, int]) -> Page:
    page = open_page(browser, url, viewport)
    log_in(page)
    page.wait_for_url("**/console/admin/documents")
    return page


def test_anonymous_visitors_are_sent_to_the_login(browser: Browser, insights_url: str) -> None:
    page = open_page(browser, insights_url, DESKTOP)
    page.goto(PAGE)
    expect(page).to_have_url(re.compile(r"/console/admin/login\?next=/console/admin/insights"))
    expect(page.locator("svg.chart")).to_have_count(0)
    page.context.close()


def test_the_page_shows_the_charts_and_the_unanswered_topics(
    browser: Browser, insights_url: str
) -> None:
    page = admin(browser, insights_url, DESKTOP)
    page.get_by_role("link", name="Thống kê").click()
    expect(page.locator("h1")).to_have_text("Thống kê câu hỏi")
    # Every channel has its chart, an image with a name, and a table of its days.
    for channel in ("REST (API)", "Bàn tra cứu", "Telegram", "Zalo"):
        expect(page.get_by_role("img", name=f"Câu hỏi mỗi ngày qua {channel}")).to_be_visible()
    expect(page.get_by_role("img", name="Thời gian trả lời mỗi ngày (giây)")).to_be_visible()
    ratings = page.get_by_role("img", name="Đánh giá hài lòng và chưa hài lòng mỗi ngày")
    expect(ratings).to_be_visible()
    # Ratings are named in words: Debian's Chromium has no emoji font to draw 👍/👎 with.
    expect(page.locator("#ratings .legend li")).to_have_text(["Hài lòng", "Chưa hài lòng"])
    bars = page.locator("#chart-questions-telegram rect")
    assert bars.count() >= 10, "two weeks of questions draw bars"
    rows = page.locator('figure[data-channel="zalo"] table tbody tr')
    assert rows.count() >= 10
    expect(page.locator(".insight-card").first).to_contain_text("Câu hỏi")
    expect(page.locator("#most-cited")).to_contain_text("Cấp bản sao văn bằng")

    topics = page.locator("#topic-rows > li.topic")
    assert topics.count() >= 5
    first = topics.first
    expect(first).to_contain_text("học phí")
    expect(first.locator(".example")).to_have_count(3)
    expect(first.locator(".trend")).to_contain_text("câu nửa đầu kỳ")
    example = first.locator(".example").first.inner_text()
    first.get_by_role("link", name="Soạn câu trả lời chuẩn").click()
    expect(page).to_have_url(re.compile(r"/console/admin/curated/new\?question_id=[0-9a-f]+"))
    expect(page.locator("#c-question")).to_have_value(example)
    page.context.close()


def test_the_channel_filter_and_a_bad_period(browser: Browser, insights_url: str) -> None:
    page = admin(browser, insights_url, DESKTOP)
    page.goto(PAGE)
    page.select_option("select[name=channel]", "zalo")
    page.get_by_role("button", name="Xem").click()
    expect(page).to_have_url(re.compile(r"channel=zalo"))
    expect(page.locator("svg.chart[id^=chart-questions-]")).to_have_count(1)
    expect(page.locator("#insight-scope")).to_contain_text("Zalo")
    page.goto(f"{PAGE}?since=2026-02-30")
    expect(page.get_by_role("alert")).to_contain_text("không có thật")
    expect(page.locator("svg.chart")).to_have_count(0)
    page.context.close()


def test_phone_width_reads_without_sideways_scrolling(browser: Browser, insights_url: str) -> None:
    page = admin(browser, insights_url, PHONE)
    page.goto(PAGE)
    expect(page.locator("#topic-rows > li.topic").first).to_be_visible()
    no_horizontal_overflow(page)
    chart = page.locator("#chart-questions-zalo")
    box = chart.bounding_box()
    assert box is not None and box["width"] <= PHONE["width"]
    # Axis labels stay readable on a phone: at least 9 px tall as drawn.
    label = chart.locator("text").first.bounding_box()
    assert label is not None and label["height"] >= 9, label
    page.context.close()
