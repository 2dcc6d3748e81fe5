"""/v1/admin: the unanswered view (JSON, CSV) and curated answers. Admin login required.

Handlers translate HTTP to `Interactions` and `CuratedStore` calls and their errors to 404 and
422; nothing else happens here.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Body, Depends, HTTPException, Query
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from pydantic import BaseModel, Field

from motcua.bot.answering.routing import AllowingRoute
from motcua.bot.web.auth import AdminUser, require_admin
from motcua.bot.web.deps import get_curated, get_interactions
from motcua.bot.web.routes.ask import ErrorOut
from motcua.storage.curated import (
    STATUSES,
    CuratedConflict,
    CuratedError,
    CuratedNotFound,
    CuratedStore,
)
from motcua.storage.interactions import Interactions

T = TypeVar("T")

router = APIRouter(
    prefix="/v1/admin",
    tags=["admin"],
    dependencies=[Depends(require_admin)],
    route_class=AllowingRoute,  # GET and POST (PUT) share paths: 405 must name both
    responses={
        400: {"model": ErrorOut, "description": "Thân yêu cầu không đọc được / unreadable body"},
        401: {"model": ErrorOut, "description": "Chưa đăng nhập / login required"},
        403: {"model": ErrorOut, "description": "Quản trị đang tắt / admin is off"},
        422: {"model": ErrorOut, "description": "Dữ liệu không hợp lệ / invalid input"},
        503: {"model": ErrorOut, "description": "Chưa có cơ sở dữ liệu / no database"},
    },
)
NOT_FOUND = {404: {"model": ErrorOut, "description": "Không tìm thấy / not found"}}

Log = Annotated[Interactions, Depends(get_interactions)]
Curated = Annotated[CuratedStore, Depends(get_curated)]


class SourceIn(BaseModel):
    doc_id: str = Field(..., max_length=200)
    title: str = Field("", max_length=1000)
    so_hieu: str | None = Field(None, max_length=200)
    section: str | None = Field(None, max_length=1000)
    quote: str = Field("", max_length=10_000)


class CuratedIn(BaseModel):
    # Blank text is the store's to refuse, with a message that says which field.
    question: str = Field(..., max_length=2000)
    answer: str = Field(..., max_length=20_000)
    sources: list[SourceIn] = Field(default_factory=list, max_length=20)


class CuratedPatch(BaseModel):
    """What changes in the new version; fields left out are kept."""

    question: str | None = Field(None, max_length=2000)
    answer: str | None = Field(None, max_length=20_000)
    sources: list[SourceIn] | None = Field(None, max_length=20)


class CuratedOut(BaseModel):
    id: int
    group_id: str
    version: int
    question: str
    answer: str
    sources: list[SourceIn]
    source_hashes: dict[str, str]
    status: str
    review_reason: str | None
    author: str | None
    created_at: float
    updated_at: float


class UnansweredOut(BaseModel):
    question: str
    folded: str
    count: int
    refused: int
    thumbs_down: int
    last_asked: float
    last_answer: str
    last_question_id: str


async def _call(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a store call off the event loop, its errors as 404/409/422 with their own message."""
    try:
        return await run_in_threadpool(fn, *args, **kwargs)
    except CuratedNotFound as exc:
        raise _no_group(exc.args[0]) from exc
    except CuratedConflict as exc:
        raise HTTPException(status_code=409, detail=exc.message) from exc
    except CuratedError as exc:
        raise HTTPException(status_code=422, detail=exc.message) from exc


def _no_group(group_id: str) -> HTTPException:
    return HTTPException(
        status_code=404,
        detail=f"Không có câu trả lời chuẩn {group_id!r}. / No curated answer {group_id!r}.",
    )


def _out(curated: Any) -> CuratedOut:
    return CuratedOut.model_validate(curated.to_dict())


def _sources(sources: list[SourceIn] | None) -> list[dict[str, Any]] | None:
    return None if sources is None else [s.model_dump() for s in sources]


@router.get("/unanswered", response_model=list[UnansweredOut])
async def unanswered(
    log: Log,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 200,
    since: Annotated[float | None, Query(ge=0, description="Unix time")] = None,
) -> list[UnansweredOut]:
    """Refused and 👎-rated questions grouped by folded text, newest first, with counts."""
    rows = await run_in_threadpool(log.unanswered, limit, since)
    return [UnansweredOut.model_validate(r.to_dict()) for r in rows]


@router.get(
    "/unanswered.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "CSV, UTF-8"}},
)
async def unanswered_csv(log: Log) -> Response:
    body = await run_in_threadpool(log.unanswered_csv)
    filename = time.strftime("motcua-unanswered-%Y%m%d.csv", time.gmtime())
    # The BOM makes Excel read the file as UTF-8 (otherwise Vietnamese comes out garbled).
    return Response(
        content="\ufeff" + body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/curated", response_model=list[CuratedOut])
async def list_curated(
    curated: Curated,
    status: Annotated[
        str | None, Query(description=f"one of {', '.join(STATUSES)}", max_length=20)
    ] = None,
) -> list[CuratedOut]:
    """The latest version of every curated answer (optionally only one status)."""
    return [_out(c) for c in await _call(curated.list, status)]


@router.post("/curated", response_model=CuratedOut, status_code=201)
async def create_curated(body: CuratedIn, curated: Curated, user: AdminUser) -> CuratedOut:
    created = await _call(
        curated.create, body.question, body.answer, _sources(body.sources), author=user
    )
    return _out(created)


@router.post(
    "/curated/from-question/{question_id}",
    response_model=CuratedOut,
    status_code=201,
    responses=NOT_FOUND,
)
async def curate_from_question(
    question_id: str,
    log: Log,
    curated: Curated,
    user: AdminUser,
    body: Annotated[CuratedPatch | None, Body()] = None,
) -> CuratedOut:
    """A curated answer prefilled from a logged question: its wording, answer and citations,
    each replaced by what the body gives (a refused question needs the body's answer)."""
    logged = await run_in_threadpool(log.question, question_id)
    if logged is None:
        raise HTTPException(
            status_code=404,
            detail=f"Không có câu hỏi {question_id!r} trong nhật ký. / "
            f"No logged question {question_id!r}.",
        )
    body = body or CuratedPatch()
    answer = body.answer
    if answer is None:
        if logged["refused"]:
            raise HTTPException(
                status_code=422,
                detail="Câu hỏi này đã bị từ chối: hãy nhập câu trả lời chuẩn (answer). / "
                "This question was refused: give the curated answer in `answer`.",
            )
        answer = str(logged["answer"])
    sources = _sources(body.sources)
    if sources is None:
        sources = list(logged["citations"])  # type: ignore[arg-type]
    created = await _call(
        curated.create,
        body.question if body.question is not None else str(logged["question"]),
        answer,
        sources,
        author=user,
    )
    return _out(created)


@router.get("/curated/{group_id}", response_model=list[CuratedOut], responses=NOT_FOUND)
async def curated_history(group_id: str, curated: Curated) -> list[CuratedOut]:
    """Every version of one curated answer, newest first."""
    versions = await _call(curated.history, group_id)
    if not versions:
        raise _no_group(group_id)
    return [_out(c) for c in versions]


@router.put("/curated/{group_id}", response_model=CuratedOut, responses=NOT_FOUND)
async def revise_curated(
    group_id: str, body: CuratedPatch, curated: Curated, user: AdminUser
) -> CuratedOut:
    """A new version; the previous one is kept in the history as superseded."""
    revised = await _call(
        curated.revise,
        group_id,
        question=body.question,
        answer=body.answer,
        sources=_sources(body.sources),
        author=user,
    )
    return _out(revised)


@router.post("/curated/{group_id}/retire", response_model=CuratedOut, responses=NOT_FOUND)
async def retire_curated(group_id: str, curated: Curated) -> CuratedOut:
    return _out(await _call(curated.retire, group_id))
