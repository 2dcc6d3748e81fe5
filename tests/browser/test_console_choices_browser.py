"""Suggestions and aspect-led answers on the console, in a real browser (scripted answers in
front of the real index, so the page is tested on the shapes whatever the responder says)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import DESKTOP, PHONE, open_page
from tests.browser.test_console_browser import ask, no_horizontal_overflow, wait_for_answer
from tests.conftest import make_settings
from tests.live_server import serve_app
from tests.scripted import DETAILS, FEE_QUESTION, LEAD, SUGGESTIONS, UNCLEAR, ScriptedResponder


@pytest.fixture(scope="module")
def scripted_url(
    console_index: Path, console_responder, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    settings = make_settings(console_index, data_dir=tmp_path_factory.mktemp("browser-data"))
    responder = ScriptedResponder(inner=console_responder)
    with serve_app(settings, responder) as url:
        yield url


@pytest.fixture
def desktop(browser: Browser, scripted_url: str) -> Iterator[Page]:
    page = open_page(browser, scripted_url, DESKTOP)
    yield page
    page.context.close()


@pytest.fixture
def phone(browser: Browser, scripted_url: str) -> Iterator[Page]:
    page = open_page(browser, scripted_url, PHONE)
    yield page
    page.context.close()


def test_suggestions_are_links_that_ask_them(desktop: Page) -> None:
    page = desktop
    ask(page, UNCLEAR)
    expect(page.locator("#status")).to_contain_text("chọn một gợi ý")
    links = page.locator("#suggestion-list a")
    expect(links).to_have_count(len(SUGGESTIONS))
    # Markup in a label is shown as text, never parsed.
    expect(links.first).to_have_text(SUGGESTIONS[0].label)
    assert page.locator("#suggestion-list b, #suggestion-list script").count() == 0
    expect(page.locator("#answer-details")).to_be_hidden()
    links.first.click()
    wait_for_answer(page, SUGGESTIONS[0].question)
    expect(page.locator("#q")).to_have_value(SUGGESTIONS[0].question)
    expect(page.locator("#suggestions")).to_be_hidden()


def test_the_lead_comes_first_and_the_rest_is_folded(phone: Page) -> None:
    page = phone
    ask(page, FEE_QUESTION)
    expect(page.locator("#answer")).to_have_text(LEAD)
    expect(page.locator("#answer")).to_have_class("answer lead")
    summary = page.locator("#answer-details > summary")
    expect(summary).to_have_text("Xem đầy đủ thủ tục")
    rest = page.locator("#answer-rest")
    expect(rest).to_be_hidden()  # collapsed until asked for
    summary.focus()
    page.keyboard.press("Enter")  # a real <summary>: the keyboard opens it too
    expect(rest).to_be_visible()
    expect(rest).to_have_text(DETAILS)
    no_horizontal_overflow(page)

    ask(page, "xin ban sao bang tot nghiep")  # no lead: the answer as before
    expect(page.locator("#answer-details")).to_be_hidden()
    expect(page.locator("#answer")).not_to_have_class("answer lead")
