"""Splitting, escaping and log hygiene shared by the channels."""

from __future__ import annotations

import concurrent.futures
import logging
import sys
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from motcua.bot.channels.render import (
    TELEGRAM_LIMIT,
    ZALO_LIMIT,
    choose_hint,
    escape_html,
    render_telegram,
    render_zalo,
    split_text,
    utf16_len,
)
from motcua.bot.channels.state import open_state
from motcua.log_redaction import RedactingFilter, install_log_redaction
from motcua.privacy import mask_pii
from motcua.types import Answer, Citation, Suggestion


def words(text: str) -> str:
    return " ".join(text.split())


# --- splitting ------------------------------------------------------------------------------


def test_short_text_is_one_chunk() -> None:
    assert split_text("  Một câu ngắn.  ", 100) == ["Một câu ngắn."]
    assert split_text("   ", 100) == []


def test_split_prefers_paragraphs_then_list_items_then_sentences() -> None:
    para1 = "Đoạn một nói về hồ sơ."
    para2 = "Hồ sơ gồm:\n- Đơn đề nghị.\n- Bản sao giấy khai sinh.\n- Học bạ."
    assert split_text(f"{para1}\n\n{para2}", len(para2) + 2) == [para1, para2]

    chunks = split_text(para2, 35)
    assert chunks == ["Hồ sơ gồm:\n- Đơn đề nghị.", "- Bản sao giấy khai sinh.\n- Học bạ."]

    sentences = "Câu thứ nhất khá dài. Câu thứ hai cũng dài! Câu ba hỏi gì? Câu bốn."
    chunks = split_text(sentences, 25)
    assert all(len(c) <= 25 for c in chunks)
    assert all(c.endswith((".", "!", "?")) for c in chunks)
    assert words(" ".join(chunks)) == words(sentences)


def test_numbered_list_marker_stays_with_its_item() -> None:
    text = "Các bước: 1. Nộp hồ sơ tại bộ phận một cửa. 2. Nhận giấy hẹn trả kết quả."
    chunks = split_text(text, 50)
    assert not any(c.rstrip().endswith((" 1.", " 2.")) for c in chunks)
    assert words(" ".join(chunks)) == words(text)


def test_words_and_hard_cut_as_last_resort() -> None:
    text = " ".join(["từ"] * 50)
    chunks = split_text(text, 20)
    assert all(len(c) <= 20 for c in chunks)
    assert words(" ".join(chunks)) == words(text)

    blob = "x" * 45
    assert split_text(blob, 20) == ["x" * 20, "x" * 20, "x" * 5]


def test_split_measures_what_is_sent() -> None:
    # `&` becomes `&amp;` (5 characters): measured escaped, each chunk fits once escaped.
    text = "A & B. " * 200
    chunks = split_text(text, 100, lambda s: len(escape_html(s)))
    assert all(len(escape_html(c)) <= 100 for c in chunks)
    # Emoji count twice in Telegram's UTF-16 length.
    assert utf16_len("👍") == 2 and utf16_len("đ") == 1


# --- rendering ------------------------------------------------------------------------------

CITE = Citation("d1", "Quyết định <số 5> & quy_chế", "5/QĐ-BGDĐT", "Điều 3 > Khoản 2", "q", 1.0)


def test_render_telegram_escapes_body_and_citation() -> None:
    answer = Answer("q", "Điều kiện: điểm <5 & hạnh_kiểm tốt.", False, [CITE, CITE])
    (message,) = render_telegram(answer)
    assert message == (
        "Điều kiện: điểm &lt;5 &amp; hạnh_kiểm tốt.\n\n"
        "📚 <b>Nguồn tham khảo:</b>\n"
        "1. <b>Quyết định &lt;số 5&gt; &amp; quy_chế</b> (5/QĐ-BGDĐT) — <i>Điều 3 &gt; Khoản 2</i>"
    )


def test_render_zalo_is_plain_text() -> None:
    answer = Answer("q", "Điểm <5 & hạnh_kiểm.", False, [CITE])
    (message,) = render_zalo(answer)
    assert message == (
        "Điểm <5 & hạnh_kiểm.\n\nNguồn tham khảo:\n"
        "1. Quyết định <số 5> & quy_chế (5/QĐ-BGDĐT) - Mục: Điều 3 > Khoản 2"
    )


def test_render_without_citations_or_section() -> None:
    bare = Citation("d2", "Thông tư 01", None, None, "q", 1.0)
    assert render_zalo(Answer("q", "Xin lỗi, tôi chưa tìm thấy.", True)) == [
        "Xin lỗi, tôi chưa tìm thấy."
    ]
    assert render_zalo(Answer("q", "Có.", False, [bare]))[0].endswith("1. Thông tư 01")


@pytest.mark.parametrize(
    "render, measure, limit",
    [(render_telegram, utf16_len, TELEGRAM_LIMIT), (render_zalo, len, ZALO_LIMIT)],
)
def test_long_answer_and_many_citations_fit(
    render: Callable[[Answer], list[str]], measure: Callable[[str], int], limit: int
) -> None:
    body = "\n".join(f"- Mục {i}: nộp <bản sao> & bản chính để đối chiếu." for i in range(400))
    cites = [
        Citation(f"d{i}", f"Văn bản {i} " * 20, f"{i}/QĐ", "Điều 1", "q", 1.0) for i in range(30)
    ]
    parts = render(Answer("q", body, False, cites))
    assert len(parts) > 2
    assert all(measure(p) <= limit for p in parts)
    assert "30. " in parts[-1]


# --- lead, suggestions ------------------------------------------------------------------------


LED = Answer(
    "lệ phí?",
    "Lệ phí: <không> thu & miễn.\n\nThủ tục đầy đủ:\n1. Nộp đơn.",
    False,
    [CITE],
    lead="Lệ phí: <không> thu & miễn.",
)


def test_the_lead_is_its_own_first_message_on_both_channels() -> None:
    lead, rest = render_telegram(LED)
    assert lead == "Lệ phí: &lt;không&gt; thu &amp; miễn."
    assert rest.startswith("Thủ tục đầy đủ:\n1. Nộp đơn.\n\n📚 <b>Nguồn tham khảo:</b>")
    lead, rest = render_zalo(LED)
    assert lead == "Lệ phí: <không> thu & miễn."
    assert rest.startswith("Thủ tục đầy đủ:\n1. Nộp đơn.\n\nNguồn tham khảo:\n1. ")


def test_a_lead_without_details_or_no_lead_changes_nothing() -> None:
    whole = Answer("q", "Lệ phí: không thu.", False, [CITE], lead="Lệ phí: không thu.")
    assert len(render_zalo(whole)) == 1 and len(render_telegram(whole)) == 1
    plain = Answer("q", "Một.\n\nHai.", False, [CITE])
    assert len(render_zalo(plain)) == 1


def test_long_details_are_split_after_the_lead() -> None:
    details = "\n".join(f"- Giấy tờ {i}: bản sao có chứng thực." for i in range(200))
    answer = Answer("q", f"Lệ phí: 0 đồng.\n{details}", False, [CITE], lead="Lệ phí: 0 đồng.")
    parts = render_zalo(answer)
    assert parts[0] == "Lệ phí: 0 đồng." and len(parts) >= 3
    assert all(len(p) <= ZALO_LIMIT for p in parts)


def test_zalo_numbers_a_clarify_answers_suggestions() -> None:
    offer = [
        Suggestion("Chuyển trường <THCS> & lớp_6", "q1?"),
        Suggestion("Chuyển trường THPT", "q2?"),
        Suggestion("  Xin   học lại ", "q3?"),
    ]
    clarify = Answer("q", "Bạn muốn hỏi thủ tục nào?", False, status="clarify", suggestions=offer)
    assert render_zalo(clarify) == [
        "Bạn muốn hỏi thủ tục nào?\n\n"
        "1) Chuyển trường <THCS> & lớp_6\n2) Chuyển trường THPT\n3) Xin học lại\n"
        "Trả lời số 1, 2 hoặc 3 để chọn."
    ]
    two = Answer("q", "?", False, status="clarify", suggestions=offer[:2])
    assert render_zalo(two)[0].endswith("2) Chuyển trường THPT\nTrả lời số 1 hoặc 2 để chọn.")
    # Suggestions on any other answer are not offered; refusals stay as they were.
    assert render_zalo(Answer("q", "Có.", False, suggestions=offer)) == ["Có."]
    refusal = Answer("q", "Xin lỗi… gọi 1900.", True, suggestions=offer)
    assert render_zalo(refusal) == ["Xin lỗi… gọi 1900."]


# --- logs -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, masked",
    [
        ("Số CCCD của tôi là 001203004567", "Số CCCD của tôi là [CCCD]"),
        ("CCCD 001 203 004 567 nhé", "CCCD [CCCD] nhé"),
        ("CMND 123456789.", "CMND [CMND]."),
        ("gọi 0912345678 hoặc 0912 345 678", "gọi [SĐT] hoặc [SĐT]"),
        ("số +84 912 345 678 và 84912345678", "số [SĐT] và [SĐT]"),
        ("máy bàn 024.3869.4808", "máy bàn [SĐT]"),
    ],
)
def test_mask_pii(raw: str, masked: str) -> None:
    assert mask_pii(raw) == masked


@pytest.mark.parametrize(
    "text",
    ["Công văn 1655/KH-SGDĐT ngày 12/05/2024", "năm học 2024-2025", "lệ phí 50.000 đồng"],
)
def test_mask_pii_leaves_ordinary_numbers(text: str) -> None:
    assert mask_pii(text) == text


UNLISTED_TOKEN = "123456:" + "A" * 35


def _record(msg: object, *args: object, exc: bool = False) -> logging.LogRecord:
    exc_info = None
    if exc:
        try:
            raise RuntimeError(f"POST https://api.telegram.org/bot{UNLISTED_TOKEN}/x")
        except RuntimeError:
            exc_info = sys.exc_info()
    return logging.LogRecord("t", logging.INFO, __file__, 1, msg, args or None, exc_info)


def test_redacting_filter_hides_secrets_everywhere() -> None:
    token = "987654321:AAH" + "x" * 32
    flt = RedactingFilter([token, "zalo-oa-secret-key", None, "abc"])

    url = httpx.URL(f"https://api.telegram.org/bot{token}/sendMessage")
    record = _record('HTTP Request: %s %s "%s"', "POST", url, "HTTP/1.1 200 OK")
    flt.filter(record)
    assert token not in record.getMessage() and "bot***/sendMessage" in record.getMessage()

    record = _record("secret is zalo-oa-secret-key, user typed 0912345678")
    flt.filter(record)
    assert record.getMessage() == "secret is ***, user typed [SĐT]"

    # An unlisted token shape is caught too, and so are tracebacks.
    record = _record("boom", exc=True)
    flt.filter(record)
    assert UNLISTED_TOKEN not in str(record.exc_text) and "bot***/x" in str(record.exc_text)

    # Structured args survive (uvicorn's access formatter unpacks them).
    record = _record('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5", "POST", "/webhook/zalo", "1.1", 200)
    flt.filter(record)
    assert isinstance(record.args, tuple) and record.args[-1] == 200


def test_installed_redaction_covers_child_loggers(caplog: pytest.LogCaptureFixture) -> None:
    install_log_redaction(["installed-secret-value"])
    caplog.set_level(logging.INFO)
    logging.getLogger("telegram.ext.Application.child").info("x installed-secret-value y")
    assert "installed-secret-value" not in caplog.text and "x *** y" in caplog.text


# --- state ----------------------------------------------------------------------------------


def test_rate_limiter_counts_per_user(tmp_path: Path) -> None:
    state = open_state(tmp_path, rate_limit_per_minute=3)
    assert [state.rate_limiter.allow("a") for _ in range(4)] == [True, True, True, False]
    assert state.rate_limiter.allow("b")


def test_feedback_for_unknown_answer_is_refused(tmp_path: Path) -> None:
    state = open_state(tmp_path, rate_limit_per_minute=3)
    assert not state.feedback.record("0" * 16, "up", "telegram:1")
    answer_id = state.feedback.remember_answer("telegram", "telegram:1", Answer("q", "a", False))
    assert state.feedback.record(answer_id, "up", "telegram:1")
    assert state.feedback.record(answer_id, "down", "telegram:1")  # changes the vote
    rows = state.feedback.feedback_rows()  # type: ignore[attr-defined]
    assert [r["rating"] for r in rows] == ["down"]


def test_dedup_is_shared_across_threads(tmp_path: Path) -> None:
    state = open_state(tmp_path, rate_limit_per_minute=3)
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: state.dedup.first_time("same", 60), range(32)))
    assert results.count(True) == 1


@pytest.mark.parametrize(
    ("count", "hint"),
    [(1, "Trả lời số 1 để chọn."), (2, "Trả lời số 1 hoặc 2 để chọn.")],
)
def test_the_choosing_hint_names_every_number(count: int, hint: str) -> None:
    assert choose_hint(count) == hint
