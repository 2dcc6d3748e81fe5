"""FastAPI dependencies: the settings and the question pipeline live on the application state."""

from __future__ import annotations

import logging
import sqlite3

import redis
from fastapi import HTTPException, Request
from fastapi.concurrency import run_in_threadpool

from motcua.bot.answering.pipeline import QuestionPipeline
from motcua.bot.answering.responder import Responder
from motcua.bot.insights.service import InsightsService
from motcua.settings import Settings
from motcua.storage.curated import CuratedStore
from motcua.storage.interactions import Interactions

log = logging.getLogger(__name__)

API_RATE_MESSAGE = (
    "Bạn đang gửi câu hỏi quá nhanh, xin vui lòng đợi một phút rồi hỏi tiếp. / "
    "Too many questions from this address; please wait a minute."
)


# Async, as are `get_answers` and `limit_api_rate`: FastAPI runs a sync dependency on the
# thread pool, a trip each that /v1/ask paid for reading an attribute.
async def get_settings_dep(request: Request) -> Settings:
    return request.app.state.settings


def get_pipeline(request: Request) -> QuestionPipeline:
    return request.app.state.pipeline


def get_responder(request: Request) -> Responder:
    """The responder of the index being served; 503 until one is loaded."""
    responder = get_pipeline(request).responder
    if responder is None:
        raise HTTPException(
            status_code=503,
            detail="Chưa có chỉ mục tài liệu: hãy chạy `motcua ingest`. / "
            "No index loaded yet: run `motcua ingest`.",
        )
    return responder


async def get_answers(request: Request) -> QuestionPipeline:
    """The question pipeline; 503 until an index is loaded (same message as the responder)."""
    get_responder(request)
    return get_pipeline(request)


def get_interactions(request: Request) -> Interactions:
    """The question log (unanswered view, ratings): the pipeline's."""
    interactions = get_pipeline(request).interactions
    if interactions is None:
        raise HTTPException(
            status_code=503,
            detail="Chưa có nhật ký câu hỏi. / The question log is not open.",
        )
    return interactions


def get_insights(request: Request) -> InsightsService:
    """Figures over the question log; unanswered questions are embedded with the served
    index's embedder (the curated answers' one until an index is loaded)."""
    pipeline = get_pipeline(request)
    responder = pipeline.responder
    if responder is not None:
        embedder = responder.retriever.embedder
    else:
        embedder = getattr(pipeline.curated, "embedder", None)
    return InsightsService(request.app.state.database, embedder)


def get_curated(request: Request) -> CuratedStore:
    """Curated answers (the pipeline's store)."""
    return get_pipeline(request).curated  # type: ignore[return-value]


async def limit_api_rate(request: Request) -> None:
    """429 once a client address is over `api_rate_limit_per_minute` (when a limit is set).

    A limiter that cannot be reached lets the question through: losing the limit for a while
    is better than refusing every parent. Async, so that with no limit set a question does not
    pay a trip through the thread pool.
    """
    limiter = getattr(request.app.state, "api_limiter", None)
    if limiter is None:
        return
    client = request.client.host if request.client else "unknown"
    try:
        allowed = await run_in_threadpool(limiter.allow, f"api:{client}")
    except (redis.RedisError, sqlite3.Error):
        log.exception("API rate limiter unavailable; question let through")
        return
    if not allowed:
        raise HTTPException(status_code=429, detail=API_RATE_MESSAGE, headers={"Retry-After": "60"})
