"""Checking a question before it reaches the responder; messages in Vietnamese and English."""

from __future__ import annotations

import unicodedata

from motcua.text import nfc


class QuestionError(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def clean_question(raw: object, max_chars: int) -> str:
    if not isinstance(raw, str):
        raise QuestionError("Câu hỏi phải là một chuỗi văn bản. / The question must be a string.")
    # Control characters carry nothing a reader can see.
    text = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in nfc(raw))
    text = " ".join(text.split())
    if not text:
        raise QuestionError("Câu hỏi đang để trống. / The question is empty.")
    if len(text) > max_chars:
        raise QuestionError(
            f"Câu hỏi quá dài (tối đa {max_chars} ký tự). / "
            f"The question is too long (at most {max_chars} characters)."
        )
    return text
