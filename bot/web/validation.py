"""Checking a question before it reaches the responder; messages in Vietnamese and English."""

from __future__ import annotations

from motcua.text import tidy_message


class QuestionError(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def clean_question(raw: object, max_chars: int) -> str:
    if not isinstance(raw, str):
        raise QuestionError("Câu hỏi phải là một chuỗi văn bản. / The question must be a string.")
    text = tidy_message(raw)
    if not text:
        raise QuestionError("Câu hỏi đang để trống. / The question is empty.")
    if len(text) > max_chars:
        raise QuestionError(
            f"Câu hỏi quá dài (tối đa {max_chars} ký tự). / "
            f"The question is too long (at most {max_chars} characters)."
        )
    return text
