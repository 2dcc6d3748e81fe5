"""The knowledge base's upkeep, in a real browser: uploads, the unanswered view, curated
answers. Each test has a server of its own (see `admin_url`), since each one changes it."""

from __future__ import annotations

import re

import httpx
from playwright.sync_api import Browser, Page, expect

from tests.bot.web.test_uploads import PLAN
from tests.bot.web.test_uploads import QUESTION as PLAN_QUESTION
from tests.browser.conftest import ADMIN, DESKTOP, PHONE, log_in, open_page
from tests.browser.test_console_browser import ask, cited, no_horizontal_overflow
from tests.live_server import ADMIN_API_KEY

PLAN_ID = "ke-hoach-ngay-hoi-doc-sach"
# Tuition waivers: no built-in card covers them, so the bot declines.
OUT_OF_SCOPE = "Hồ sơ xin miễn giảm học phí gồm những gì?"
REWORDED = "xin mien giam hoc phi can nop giay to gi"
CURATED_ANSWER = "Hồ sơ gồm đơn đề nghị miễn, giảm học phí và giấy tờ chứng minh thuộc đối tượng."
JOB_TIMEOUT_MS = 120_000


def badge(page: Page):  # noqa: ANN201 - a Locator
    return page.get_by_test_id("curated-badge")


def expect_refused(page: Page) -> None:
    expect(page.locator("#answer")).to_have_class(re.compile(r"\brefused\b"))
    expect(badge(page)).to_be_hidden()


def test_admin_pages_ask_for_the_login(browser: Browser, admin_url: str) -> None:
    page = open_page(browser, admin_url, DESKTOP)
    assert page.goto("/console").status == 200  # the public page stays open
    for path in ("/console/admin/documents", "/console/admin/unanswered"):
        page.goto(path)  # sent to the login page, which returns there afterwards
        expect(page).to_have_url(re.compile(r"/console/admin/login\?next="))
        expect(page.locator("#upload-form, #unanswered-rows")).to_have_count(0)
    log_in(page, password="mat-khau-sai-roi")
    expect(page.get_by_role("alert")).to_contain_text("không đúng")
    expect(page.locator("#upload-form")).to_have_count(0)
    page.goto("/console/admin/unanswered")
    page.fill("#username", ADMIN["username"])
    page.fill("#password", ADMIN["password"])
    page.click("form.login button[type=submit]")
    expect(page).to_have_url(re.compile(r"/console/admin/unanswered$"))
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page).to_have_url(re.compile(r"/console/admin/login"))
    page.goto("/console/admin/documents")
    expect(page).to_have_url(re.compile(r"/console/admin/login\?next="))
    page.context.close()


def test_upload_a_plan_follow_its_progress_then_ask_it_and_delete_it(admin_page: Page) -> None:
    page = admin_page
    page.goto("/console/admin/documents")
    expect(page.locator("h1")).to_have_text("Quản lý tài liệu")
    expect(page.locator(f'#document-rows li[data-doc-id="{PLAN_ID}"]')).to_have_count(0)

    page.set_input_files(
        "#files",
        files=[{"name": f"{PLAN_ID}.txt", "mimeType": "text/plain", "buffer": PLAN.encode()}],
    )
    page.get_by_role("button", name="Tải lên và nạp").click()
    expect(page.get_by_test_id("job")).to_be_visible()
    expect(page.locator("#job-status")).to_have_attribute(
        "data-status", "done", timeout=JOB_TIMEOUT_MS
    )
    # Finished only once the server answers from the new index version.
    expect(page.locator("#job")).to_have_attribute("data-finished", "done", timeout=60_000)
    expect(page.locator("#job-title")).to_have_text("Đã nạp xong")
    expect(page.locator("#job-error")).to_be_hidden()
    value, maximum = page.locator("#job-progress").evaluate("bar => [bar.value, bar.max]")
    assert value == maximum and maximum >= 1, (value, maximum)
    # The lists were refreshed in place: the plan is indexed and the upload log says so.
    expect(page.locator(f'#document-rows li[data-doc-id="{PLAN_ID}"]')).to_contain_text("77/KH")
    upload = page.locator(f'#upload-rows li[data-doc-id="{PLAN_ID}"]')
    expect(upload).to_contain_text(f"{PLAN_ID}.txt")
    expect(upload).to_contain_text("Đã nạp")

    ask(page, PLAN_QUESTION)
    assert cited(page)[0] == PLAN_ID
    expect(page.locator("#answer")).to_contain_text("21 tháng 4")

    page.goto("/console/admin/documents")
    dialogs: list[str] = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    page.locator(f'#document-rows [data-delete="{PLAN_ID}"]').click()
    expect(page.locator("#job")).to_have_attribute("data-finished", "done", timeout=JOB_TIMEOUT_MS)
    assert dialogs and "Xoá" in dialogs[0], "deleting asks first"
    expect(page.locator(f'#document-rows li[data-doc-id="{PLAN_ID}"]')).to_have_count(0)
    ask(page, PLAN_QUESTION)
    assert PLAN_ID not in cited(page)


def test_refused_question_is_curated_from_the_unanswered_view(admin_page: Page) -> None:
    page = admin_page
    # A 👎 on an answer the bot did give lands in the same view.
    ask(page, "xin ban sao bang tot nghiep")
    expect(badge(page)).to_be_hidden()
    page.get_by_role("button", name="👎 Chưa đúng").click()
    expect(page.locator("#feedback-status")).to_have_text("Cảm ơn, đã ghi nhận đánh giá.")

    ask(page, OUT_OF_SCOPE)
    expect_refused(page)

    page.goto("/console/admin/unanswered")
    rows = page.locator("#unanswered-rows li.unanswered")
    expect(rows).to_have_count(2)
    expect(rows.first.locator(".question")).to_have_text(OUT_OF_SCOPE)  # newest first
    expect(rows.first).to_contain_text("từ chối 1")
    expect(rows.nth(1)).to_contain_text("chưa hài lòng: 1")
    csv = page.get_by_role("link", name="Tải CSV")
    expect(csv).to_have_attribute("href", "/v1/admin/unanswered.csv")

    rows.first.get_by_role("link", name="Soạn câu trả lời chuẩn").click()
    expect(page.locator("#c-question")).to_have_value(OUT_OF_SCOPE)
    expect(page.locator("main")).to_contain_text("Bot đã từ chối trả lời")
    page.fill("#c-answer", CURATED_ANSWER)
    page.select_option("#s-doc", "tthc-ban-sao-van-bang")
    page.fill("#s-section", "Thành phần hồ sơ")
    page.click("#add-source")
    page.get_by_role("button", name="Lưu câu trả lời chuẩn").click()
    page.wait_for_url(re.compile(r"/console/admin/curated/[^/?]+\?saved=1$"))
    expect(page.locator("#saved")).to_contain_text("Đã lưu phiên bản 1")
    expect(page.locator("#current-status")).to_have_text("Đang dùng")

    ask(page, REWORDED)
    expect(badge(page)).to_be_visible()
    expect(badge(page)).to_have_text("Câu trả lời chuẩn của Sở")
    expect(page.locator("#answer")).to_contain_text(CURATED_ANSWER)
    assert cited(page) == ["tthc-ban-sao-van-bang"]


def test_revised_then_retired_curated_answer(admin_page: Page, admin_url: str) -> None:
    page = admin_page
    made = httpx.post(
        f"{admin_url}/v1/admin/curated",
        headers={"X-API-Key": ADMIN_API_KEY},
        json={"question": OUT_OF_SCOPE, "answer": CURATED_ANSWER},
    )
    assert made.status_code == 201, made.text
    group = made.json()["group_id"]

    page.goto("/console/admin/curated")
    row = page.locator(f'#curated-rows li[data-group-id="{group}"]')
    expect(row).to_have_attribute("data-status", "active")
    row.get_by_role("link", name="Sửa · lịch sử").click()
    page.fill("#c-answer", "Nộp đơn đề nghị tại trường đang học.")
    page.get_by_role("button", name="Lưu phiên bản mới").click()
    page.wait_for_url(re.compile(rf"/console/admin/curated/{group}\?saved=2$"))
    expect(page.locator("#history > li")).to_have_count(2)
    expect(page.locator("#history > li").nth(1)).to_contain_text("Phiên bản cũ")

    ask(page, REWORDED)
    expect(badge(page)).to_be_visible()
    expect(page.locator("#answer")).to_contain_text("tại trường đang học")

    page.goto("/console/admin/curated")
    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="Ngừng dùng").click()
    expect(row).to_have_attribute("data-status", "retired")
    expect(row).to_contain_text("Đã ngừng dùng")
    expect(row.get_by_role("button", name="Ngừng dùng")).to_have_count(0)

    ask(page, REWORDED)
    expect_refused(page)


def test_admin_pages_fit_a_phone(browser: Browser, admin_url: str) -> None:
    page = open_page(browser, admin_url, PHONE)
    log_in(page)
    ask(page, OUT_OF_SCOPE)  # something for the unanswered view to list
    for path in (
        "/console/admin/documents",
        "/console/admin/unanswered",
        "/console/admin/curated",
        "/console/admin/curated/new",
    ):
        page.goto(path)
        expect(page.locator("h1")).to_be_visible()
        no_horizontal_overflow(page)
    page.context.close()
