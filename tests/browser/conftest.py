"""Headless Chromium (Debian's package, driven by Playwright) against the app on loopback.

No browser is downloaded: Playwright launches /usr/bin/chromium. A missing or broken Chromium
fails these tests (it never skips them): CI installs it, see .ci/run.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from tests.live_server import console_settings, serve_app

CHROMIUM = Path("/usr/bin/chromium")
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def console_url(console_index: Path) -> Iterator[str]:
    """The real app (it loads the index itself, as `motcua serve` does) on a free port."""
    with serve_app(console_settings(console_index)) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's package (apt-get install chromium)")
    with sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM))
        except PlaywrightError as exc:
            pytest.fail(f"Chromium at {CHROMIUM} could not start: {exc}")
        yield chromium
        chromium.close()


def open_page(browser: Browser, base_url: str, viewport: dict[str, int]) -> Page:
    context = browser.new_context(viewport=viewport, base_url=base_url, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


@pytest.fixture
def page(browser: Browser, console_url: str) -> Iterator[Page]:
    """A desktop-sized page (1366×768)."""
    page = open_page(browser, console_url, DESKTOP)
    yield page
    page.context.close()


@pytest.fixture
def phone_page(browser: Browser, console_url: str) -> Iterator[Page]:
    page = open_page(browser, console_url, PHONE)
    yield page
    page.context.close()
