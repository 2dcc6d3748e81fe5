"""POST /v1/ask: the public question endpoint."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from motcua.bot.deps import get_responder, get_settings_dep
from motcua.bot.responder import Responder
from motcua.bot.validation import clean_question
from motcua.settings import Settings

router = APIRouter(prefix="/v1", tags=["ask"])
MAX_QUESTION_CHARS = Settings.model_fields["max_question_chars"].default


class AskRequest(BaseModel):
    question: str = Field(
        ...,
        min_length=1,
        max_length=MAX_QUESTION_CHARS,
        # At least one visible character: blank or control-only questions are rejected.
        pattern=r"[^\s\x00-\x1f\x7f-\x9f]",
        description="Câu hỏi (the question), with or without diacritics",
    )
    conversation_id: str | None = Field(None, max_length=200)


class CitationOut(BaseModel):
    doc_id: str
    title: str
    so_hieu: str | None
    section: str | None
    quote: str
    score: float


class ErrorOut(BaseModel):
    detail: str = Field(..., description="Thông báo lỗi tiếng Việt / English message")


ERRORS: dict[int | str, dict] = {
    400: {"model": ErrorOut, "description": "Thân yêu cầu không đọc được / unreadable body"},
    422: {"model": ErrorOut, "description": "Câu hỏi không hợp lệ / invalid question"},
    503: {"model": ErrorOut, "description": "Chưa có chỉ mục / no index loaded"},
}


class AskResponse(BaseModel):
    question: str
    answer: str
    refused: bool
    citations: list[CitationOut]


@router.post("/ask", response_model=AskResponse, responses=ERRORS)
async def ask(
    request: AskRequest,
    http_request: Request,
    responder: Annotated[Responder, Depends(get_responder)],
    settings: Annotated[Settings, Depends(get_settings_dep)],
) -> AskResponse:
    question = clean_question(request.question, settings.max_question_chars)
    answer = await run_in_threadpool(responder.answer, question, request.conversation_id)
    http_request.app.state.metrics.answers.labels("refused" if answer.refused else "answered").inc()
    return AskResponse.model_validate(answer.to_dict())
