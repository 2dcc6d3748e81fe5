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

from tests.live_server import admin_settings, build_cards_index, console_settings, serve_app

CHROMIUM = Path("/usr/bin/chromium")
ADMIN = {"username": "admin", "password": "mat-khau-quan-tri"}
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def console_url(console_index: Path) -> Iterator[str]:
    """The real app (it loads the index itself, as `motcua serve` does) on a free port."""
    with serve_app(console_settings(console_index)) as url:
        yield url


# Package scope: sync playwright keeps an event loop running in this thread while it lives,
# which would break later tests that call asyncio.run().
@pytest.fixture(scope="package")
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


def log_in(page: Page, password: str = ADMIN["password"]) -> None:
    """Log in at the login page as a person does."""
    page.goto("/console/admin/login")
    page.fill("#username", ADMIN["username"])
    page.fill("#password", password)
    page.click("form.login button[type=submit]")


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


@pytest.fixture
def admin_url(tmp_path: Path) -> Iterator[str]:
    """A server of its own for one upkeep test: a fresh writable index (the built-in cards,
    ~10 s to build) and its own database, so uploads and curated answers stay in this test."""
    index_dir = build_cards_index(tmp_path / "index")
    with serve_app(admin_settings(index_dir, ADMIN["password"])) as url:
        yield url


@pytest.fixture
def admin_page(browser: Browser, admin_url: str) -> Iterator[Page]:
    """A desktop page logged in as admin (the session cookie of the login form)."""
    page = open_page(browser, admin_url, DESKTOP)
    log_in(page)
    page.wait_for_url("**/console/admin/documents")
    yield page
    page.context.close()
