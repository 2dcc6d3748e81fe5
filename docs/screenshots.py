"""Screenshots of the operator console at desktop (1366×768) and phone (390×844) width.

    make install-dev   # Playwright comes with the dev extra
    .venv/bin/python docs/screenshots.py [--out docs/screenshots] [--seeds ../shared/seeds]

Builds the browser tests' small index (the built-in cards and two of the customer's plans) in
a temporary folder, serves the app on a free loopback port the way the tests do, and drives
Debian's chromium (/usr/bin/chromium) with Playwright. The admin pages are shot too, logged in
with a throwaway password, after a refused question and a curated answer give them something
to list, and the insights page over 300 made-up questions of the last two weeks
(tests/question_log.py). The PNGs are not committed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # run as a script: `tests.live_server` lives beside `docs/`

import httpx  # noqa: E402

from tests.live_server import (  # noqa: E402
    ADMIN_API_KEY,
    admin_settings,
    build_console_index,
    serve_app,
)
from tests.question_log import fill_log  # noqa: E402

if TYPE_CHECKING:
    from playwright.sync_api import Page, PlaywrightContextManager

CHROMIUM = "/usr/bin/chromium"
SIZES = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}
QUESTION = "xin ban sao bang tot nghiep"
PLAN = "000_5348ec65c6d4a033"
ADMIN = ("admin", "screenshots-only-password")
REFUSED = "Hồ sơ xin miễn giảm học phí gồm những gì?"
CURATED = {
    "question": "Xin cấp bản sao bằng tốt nghiệp THPT ở đâu?",
    "answer": "Nộp hồ sơ tại cơ quan đang quản lý sổ gốc cấp văn bằng (trường hoặc Sở).",
    "sources": [{"doc_id": "tthc-ban-sao-van-bang", "title": "Cấp bản sao văn bằng từ sổ gốc"}],
}


def seed_admin_pages(url: str) -> str:
    """A refused question for the unanswered view and a curated answer; its group id."""
    httpx.get(f"{url}/console/api/answer", params={"q": REFUSED}, timeout=60).raise_for_status()
    made = httpx.post(
        f"{url}/v1/admin/curated", json=CURATED, headers={"X-API-Key": ADMIN_API_KEY}, timeout=60
    )
    made.raise_for_status()
    return made.json()["group_id"]


def log_in(page: Page) -> None:
    """The admin pages are shot logged in, through the login form."""
    page.goto("/console/admin/login")
    page.fill("#username", ADMIN[0])
    page.fill("#password", ADMIN[1])
    page.click("form.login button[type=submit]")
    page.wait_for_url("**/console/admin/documents")


def ask(page: Page, question: str) -> None:
    page.goto("/console")
    page.fill("#q", question)
    page.press("#q", "Enter")
    # A locator wait: the page's policy refuses the eval a string wait_for_function needs.
    page.locator("#result").wait_for(state="visible")
    page.locator("#citations summary").first.click()


def shoot(page: Page, out: Path, size: str, group_id: str) -> list[Path]:
    written = []

    def save(name: str, full_page: bool = False) -> None:
        path = out / f"{name}-{size}.png"
        page.screenshot(path=str(path), full_page=full_page)
        written.append(path)

    ask(page, QUESTION)
    page.evaluate("window.scrollTo(0, 0)")  # expanding a citation scrolled it into view
    save("console")
    save("console-full", full_page=True)
    page.goto(f"/console/documents/{PLAN}#chunk-3")
    save("document")
    page.goto("/console/cards/tthc-chuyen-truong-thcs")
    save("card")
    page.goto("/console/decrees?q=61/2018")
    save("decrees")
    ask(page, "ban sao bang tot nghiep thpt nop o dau")  # the curated answer, with its badge
    page.evaluate("window.scrollTo(0, 0)")
    save("console-curated")
    page.goto("/console/admin/documents")
    save("admin-documents")
    page.goto("/console/admin/unanswered")
    save("admin-unanswered")
    page.goto("/console/admin/curated")
    save("admin-curated")
    page.locator("#curated-rows a", has_text="Sửa").first.click()
    page.wait_for_url(f"**/console/admin/curated/{group_id}")
    save("admin-curate", full_page=True)
    page.goto("/console/admin/insights")
    save("admin-insights")
    save("admin-insights-full", full_page=True)
    return written


def playwright_or_exit() -> PlaywrightContextManager:
    """Playwright comes with the dev extra only: without it, one line says how to get it,
    before minutes go into building the index."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise SystemExit(
            "docs/screenshots.py needs Playwright, which the dev extra installs: "
            "run `make install-dev`, then `.venv/bin/python docs/screenshots.py`."
        ) from None
    return sync_playwright()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    parser.add_argument("--seeds", type=Path, default=REPO.parent / "shared" / "seeds")
    args = parser.parse_args()
    playwright_manager = playwright_or_exit()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="motcua-shots-") as tmp:
        index_dir = build_console_index(Path(tmp) / "index", args.seeds)
        settings = admin_settings(index_dir, ADMIN[1])
        fill_log(settings, 300, 14)
        with serve_app(settings) as url, playwright_manager as playwright:
            group_id = seed_admin_pages(url)
            browser = playwright.chromium.launch(executable_path=CHROMIUM)
            try:
                for size, viewport in SIZES.items():
                    context = browser.new_context(viewport=viewport, base_url=url, locale="vi-VN")
                    page = context.new_page()
                    log_in(page)
                    for path in shoot(page, args.out, size, group_id):
                        print(path.relative_to(REPO) if path.is_relative_to(REPO) else path)
                    context.close()
            finally:
                browser.close()


if __name__ == "__main__":
    main()
