"""POST /v1/ask: the public question endpoint."""

from __future__ import annotations

import secrets
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from motcua.bot.answering.pipeline import Question, QuestionPipeline
from motcua.bot.web.deps import get_answers, get_settings_dep, limit_api_rate
from motcua.bot.web.validation import clean_question
from motcua.settings import Settings

router = APIRouter(prefix="/v1", tags=["ask"])
MAX_QUESTION_CHARS = Settings.model_fields["max_question_chars"].default
# Conversations of REST clients: ids the server issues, random (128 bits) so none can be
# guessed, and never a channel's ("telegram:<chat id>"), which only its webhook may address.
CONVERSATION_PREFIX = "web:"
CONVERSATION_PATTERN = r"^web:[A-Za-z0-9_-]{22,64}$"


def new_conversation_id() -> str:
    return CONVERSATION_PREFIX + secrets.token_urlsafe(16)


class AskRequest(BaseModel):
    question: str = Field(
        ...,
        min_length=1,
        max_length=MAX_QUESTION_CHARS,
        # At least one visible character: blank or control-only questions are rejected.
        pattern=r"[^\s\x00-\x1f\x7f-\x9f]",
        description="Câu hỏi (the question), with or without diacritics",
    )
    conversation_id: str | None = Field(
        None,
        pattern=CONVERSATION_PATTERN,
        description="Mã hội thoại do máy chủ cấp ở câu trả lời trước (bỏ trống ở câu đầu) / "
        "the conversation id a previous answer returned (leave it out at first)",
    )


class CitationOut(BaseModel):
    doc_id: str
    title: str
    so_hieu: str | None
    section: str | None
    quote: str
    score: float


class SuggestionOut(BaseModel):
    label: str = Field(..., description="Điều hiển thị cho người hỏi / what the asker sees")
    question: str = Field(
        ...,
        description="Câu hỏi đầy đủ được hỏi khi chọn gợi ý này (gửi lại nó tới /v1/ask, hoặc "
        "gửi số thứ tự trong cùng `conversation_id`) / the self-contained question that "
        "choosing it asks (send it to /v1/ask, or its number in the same conversation)",
    )


class ErrorOut(BaseModel):
    detail: str = Field(..., description="Thông báo lỗi tiếng Việt / English message")


ERRORS: dict[int | str, dict] = {
    400: {"model": ErrorOut, "description": "Thân yêu cầu không đọc được / unreadable body"},
    422: {"model": ErrorOut, "description": "Câu hỏi không hợp lệ / invalid question"},
    429: {"model": ErrorOut, "description": "Gửi quá nhanh / too many questions, see Retry-After"},
    503: {"model": ErrorOut, "description": "Chưa có chỉ mục / no index loaded"},
}


class AskResponse(BaseModel):
    question: str
    answer: str = Field(..., description="Toàn văn: `lead` trước, rồi phần còn lại / full text")
    status: Literal["answered", "clarify", "refused"] = Field(
        ...,
        description="answered: có câu trả lời; clarify: hỏi lại, chọn một trong `suggestions`; "
        "refused: không có trong tài liệu (kèm đường dây nóng, cổng dịch vụ công)",
    )
    refused: bool = Field(..., description='Đúng khi và chỉ khi status là "refused"')
    suggestions: list[SuggestionOut] = Field(
        default_factory=list, description="Các gợi ý để chọn khi status là clarify"
    )
    lead: str | None = Field(
        None,
        description="Khi câu hỏi hỏi một khía cạnh (lệ phí, thời hạn…): một hai dòng trả lời "
        "thẳng; `answer` bắt đầu bằng nó / the line or two answering the asked aspect",
    )
    citations: list[CitationOut]
    answer_id: str | None = Field(None, description="Mã câu trả lời, dùng để gửi 👍/👎")
    curated: bool = Field(False, description="Câu trả lời chuẩn do cán bộ soạn / curated")
    conversation_id: str = Field(
        ...,
        description="Gửi lại mã này với câu hỏi tiếp theo để hỏi tiếp (chọn gợi ý, hỏi thêm) / "
        "send it back with the next question to continue the conversation",
    )


@router.post(
    "/ask",
    response_model=AskResponse,
    responses=ERRORS,
    dependencies=[Depends(limit_api_rate)],
)
async def ask(
    request: AskRequest,
    http_request: Request,
    pipeline: Annotated[QuestionPipeline, Depends(get_answers)],
    settings: Annotated[Settings, Depends(get_settings_dep)],
) -> AskResponse:
    question = clean_question(request.question, settings.max_question_chars)
    conversation = request.conversation_id or new_conversation_id()
    asked = Question(question, channel="api", conversation=conversation)
    answer = await run_in_threadpool(pipeline.ask, asked)
    http_request.app.state.metrics.answers.labels(answer.status).inc()
    return AskResponse.model_validate(
        {**answer.to_dict(), "curated": answer.curated, "conversation_id": conversation}
    )


class FeedbackRequest(BaseModel):
    answer_id: str = Field(..., min_length=1, max_length=32)
    rating: Literal["up", "down"]


@router.post(
    "/feedback",
    responses={
        400: ERRORS[400],
        404: {"model": ErrorOut, "description": "Không có câu trả lời này / unknown answer id"},
        422: {"model": ErrorOut, "description": "Đánh giá không hợp lệ / invalid rating"},
    },
)
def feedback(request: FeedbackRequest, http_request: Request) -> dict[str, str]:
    """Rate an answer 👍/👎 by the `answer_id` that /v1/ask returned: one vote per answer and
    client address (a second vote replaces the first)."""
    interactions = http_request.app.state.pipeline.interactions
    # Counted by the client's address, never by a name the client chooses (which would let
    # one client vote as many times as it likes).
    user = f"web:{http_request.client.host if http_request.client else '-'}"
    if not interactions.record(request.answer_id, request.rating, user):
        raise HTTPException(
            status_code=404,
            detail=f"Không tìm thấy câu trả lời {request.answer_id!r} / unknown answer id",
        )
    return {"status": "recorded"}
