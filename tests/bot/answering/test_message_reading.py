"""Reading a chat message: small talk recognised, follow-ups made self-contained."""

from __future__ import annotations

import pytest

from motcua.bot.answering.message_reading import rewrite_followup, smalltalk_kind


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("xin chào", "greeting"),
        ("xin chao", "greeting"),
        ("Chào bạn!", "greeting"),
        ("chao ban", "greeting"),
        ("Hello", "greeting"),
        ("cảm ơn", "thanks"),
        ("cam on", "thanks"),
        ("Cảm ơn bạn nhiều ạ", "thanks"),
        ("bạn là ai?", "identity"),
        ("ban la ai", "identity"),
        ("Bạn làm được gì?", "capabilities"),
        ("ban lam duoc gi", "capabilities"),
    ],
)
def test_small_talk_is_recognised(message: str, kind: str) -> None:
    assert smalltalk_kind(message) == kind


@pytest.mark.parametrize(
    "message",
    [
        "xin chào, chuyển trường THCS cần giấy tờ gì?",
        "cam on, con toi hoc lop 7 muon chuyen truong",
        "chuyển trường",
        "lệ phí bao nhiêu?",
    ],
)
def test_real_questions_are_not_small_talk(message: str) -> None:
    assert smalltalk_kind(message) is None


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("còn THPT thì sao?", "Chuyển trường THPT cần giấy tờ gì?"),
        ("con thpt thi sao", "Chuyển trường THPT cần giấy tờ gì?"),
        ("vậy còn cấp 3?", "Chuyển trường THPT cần giấy tờ gì?"),
        ("thế còn lệ phí?", "Lệ phí chuyển trường (THCS)?"),
        ("mất bao lâu?", "Thời hạn giải quyết chuyển trường (THCS)?"),
        ("nop o dau", "Nơi nộp hồ sơ chuyển trường (THCS)?"),
    ],
)
def test_followups_are_rewritten_from_the_previous_question(message: str, expected: str) -> None:
    assert rewrite_followup(message, "Chuyển trường THCS cần giấy tờ gì?") == expected


@pytest.mark.parametrize(
    "message", ["Xin bản sao bằng tốt nghiệp ở đâu?", "vậy à", "chỉnh sửa văn bằng thì sao?"]
)
def test_questions_with_their_own_subject_are_not_followups(message: str) -> None:
    assert rewrite_followup(message, "Chuyển trường THCS cần giấy tờ gì?") is None
