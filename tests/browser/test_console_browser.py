"""What an operator does on the console, in a real browser."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from motcua.text import fold

PLAN = "000_5348ec65c6d4a033"  # Kế hoạch 1655/KH-SGDĐT, Long An, 05/05/2025
SCHOOL_PLAN = "004_6c8115b2801e23a2"  # a school's plan, undated
PLANS_QUESTION = "ke hoach tuyen truyen cai cach hanh chinh nam 2025"


def ask(page: Page, question: str) -> None:
    page.goto("/console")
    page.fill("#q", question)
    page.press("#q", "Enter")
    wait_for_answer(page, question)


def wait_for_answer(page: Page, question: str, **filters: str) -> None:
    """The script writes the asked URL once the answer is on the page."""
    expected = {"q": question, **filters}
    page.wait_for_function(
        """expected => {
            const given = new URLSearchParams(location.search);
            return Object.entries(expected).every(([k, v]) => given.get(k) === v)
                && !document.getElementById("result").hidden;
        }""",
        arg=expected,
    )


def cited(page: Page) -> list[str]:
    return page.locator("#citations > li").evaluate_all("items => items.map(i => i.dataset.docId)")


def citation(page: Page, doc_id: str) -> Locator:
    return page.locator(f'#citations > li[data-doc-id="{doc_id}"]')


def test_question_without_diacritics_is_answered_and_a_citation_expands(page: Page) -> None:
    ask(page, "xin ban sao bang tot nghiep")
    expect(page.locator("#answer")).to_contain_text("bản sao")
    assert cited(page)[0] == "tthc-ban-sao-van-bang"

    first = citation(page, "tthc-ban-sao-van-bang")
    passage = first.locator(".passage")
    expect(passage).to_be_hidden()  # collapsed until asked for
    first.locator("summary").click()
    expect(passage).to_be_visible()
    marks = [m.lower() for m in passage.locator("mark").all_inner_texts()]
    assert any("bản sao" in m for m in marks), marks
    assert any("tốt nghiệp" in m for m in marks), marks
    expect(first.locator(".card-link")).to_have_attribute(
        "href", "/console/cards/tthc-ban-sao-van-bang"
    )


def test_a_citation_shows_the_documents_particulars(page: Page) -> None:
    ask(page, PLANS_QUESTION)
    plan = citation(page, PLAN)
    plan.locator("summary").click()
    expect(plan.locator('[data-field="so_hieu"]')).to_have_text("1655/KH-SGDĐT")
    expect(plan.locator('[data-field="date"]')).to_have_text("05/05/2025")
    expect(plan.locator('[data-field="issuer"]')).to_have_text(
        "Sở Giáo dục và Đào tạo tỉnh Long An"
    )


def test_a_citation_names_its_section(page: Page) -> None:
    ask(page, "hinh thuc tuyen truyen cai cach hanh chinh")
    school = citation(page, SCHOOL_PLAN)
    school.locator("summary").click()
    # The section on forms of communication answers it (shown as scanned where the repair of
    # its heading is not confident, so compared without diacritics).
    for field in ('[data-field="section"]', ".cite-section"):
        expect(school.locator(field)).to_be_visible()
        assert "hinh thuc tuyen truyen" in fold(school.locator(field).inner_text())


def test_copy_button_copies_the_answer(page: Page) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    ask(page, "chuyen truong THCS can giay to gi")
    page.click("#copy")
    expect(page.locator("#copy")).to_have_text("Đã sao chép")
    copied = page.evaluate("navigator.clipboard.readText()")
    # What is shown first (the lead, when the question asked one aspect) and what waits
    # collapsed beneath it are copied together: the operator pastes the whole answer.
    assert copied.startswith(page.locator("#answer").inner_text().strip())
    rest = page.locator("#answer-rest").text_content() or ""
    assert rest.strip() in copied
    assert "Chuyển trường" in copied


def test_filters_restrict_what_is_cited(page: Page) -> None:
    ask(page, PLANS_QUESTION)
    assert {PLAN, SCHOOL_PLAN} <= set(cited(page)), "both plans answer unfiltered"

    page.select_option("#f-year", "2025")
    wait_for_answer(page, PLANS_QUESTION, year="2025")
    assert cited(page) == [PLAN]

    page.select_option("#f-year", "")
    page.select_option("#f-issuer", "Trường THCS Thuong Son")
    wait_for_answer(page, PLANS_QUESTION, issuer="Trường THCS Thuong Son")
    assert cited(page) == [SCHOOL_PLAN]

    page.select_option("#f-doc-type", "Thủ tục hành chính")
    wait_for_answer(page, PLANS_QUESTION, doc_type="Thủ tục hành chính")
    assert cited(page) == []
    expect(page.locator("#notice")).to_contain_text("Không có tài liệu nào khớp bộ lọc")


def test_document_link_opens_the_document_at_the_cited_passage(page: Page) -> None:
    ask(page, PLANS_QUESTION)
    plan = citation(page, PLAN)
    plan.locator("summary").click()
    plan.locator(".doc-link").click()
    page.wait_for_url(re.compile(rf"/console/documents/{PLAN}#chunk-\d+$"))
    anchor = page.url.rsplit("#", 1)[1]
    target = page.locator(f"#{anchor}")
    expect(target).to_be_in_viewport()
    assert page.evaluate("document.querySelector(':target').id") == anchor
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator(".doc-head")).to_contain_text("1655/KH-SGDĐT")


def test_shared_link_asks_at_once(page: Page) -> None:
    page.goto("/console?q=chuyen+truong+THPT&doc_type=Th%E1%BB%A7+t%E1%BB%A5c+h%C3%A0nh+ch%C3%ADnh")
    wait_for_answer(page, "chuyen truong THPT", doc_type="Thủ tục hành chính")
    assert cited(page)[0] == "tthc-chuyen-truong-thpt"
    expect(page.locator("#f-doc-type")).to_have_value("Thủ tục hành chính")


def test_card_page_renders_the_procedure(page: Page) -> None:
    page.goto("/console/cards/tthc-chuyen-truong-thcs")
    expect(page.locator("h1")).to_contain_text("Chuyển trường")
    expect(page.locator("#trinh-tu h2")).to_have_text("Trình tự thực hiện")
    assert page.locator("#trinh-tu ol.steps > li").count() >= 2
    assert page.locator("#ho-so li").count() >= 2
    expect(page.locator("main")).to_contain_text("Thời hạn giải quyết")
    expect(page.locator("main")).to_contain_text("Lệ phí")
    expect(page.locator("#can-cu a").first).to_have_attribute("href", re.compile(r"/decrees\?q="))


def test_decree_page_finds_a_number_its_citers_and_amendments(page: Page) -> None:
    page.goto("/console/decrees")
    page.fill("#dq", "61/2018")
    page.press("#dq", "Enter")
    record = page.locator("#record")
    expect(record.locator("h2")).to_contain_text("61/2018/NĐ-CP")
    expect(record.locator(".relations")).to_contain_text("Được sửa đổi, bổ sung bởi")
    expect(record.locator(".relations")).to_contain_text("107/2021/NĐ-CP")
    record.locator(".mentions a").first.click()
    page.wait_for_url(re.compile(rf"/console/documents/{PLAN}#chunk-\d+$"))
    anchor = page.url.rsplit("#", 1)[1]
    expect(page.locator(f"#{anchor}")).to_contain_text("61/2018")


def no_horizontal_overflow(page: Page) -> None:
    widths = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"page is {widths[0]}px wide in a {widths[1]}px viewport"


def test_phone_width_has_no_horizontal_overflow(phone_page: Page) -> None:
    page = phone_page
    ask(page, PLANS_QUESTION)
    for item in page.locator("#citations summary").all():
        item.click()
    no_horizontal_overflow(page)
    for path in (
        f"/console/documents/{PLAN}",
        "/console/cards/tthc-ban-sao-van-bang",
        "/console/decrees?q=61/2018",
        "/console/documents",
    ):
        page.goto(path)
        no_horizontal_overflow(page)
