"""GET /v1/decrees and /v1/decrees/{so_hieu}: the registry of cited legal documents."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query

from motcua.bot.answering.responder import Responder
from motcua.bot.web.deps import get_responder
from motcua.bot.web.routes.ask import ErrorOut

router = APIRouter(prefix="/v1/decrees", tags=["decrees"])


@router.get("", responses={422: {"model": ErrorOut}, 503: {"model": ErrorOut}})
def list_decrees(
    responder: Annotated[Responder, Depends(get_responder)],
    q: Annotated[str | None, Query(max_length=200, description="số hiệu or words")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[dict[str, Any]]:
    registry = responder.index.registry
    records = (
        registry.search(q, limit=limit)
        if q and q.strip()
        else list(registry.records.values())[:limit]
    )
    return [registry.record_dict(record) for record in records]


@router.get(
    "/{so_hieu:path}",
    responses={404: {"model": ErrorOut}, 422: {"model": ErrorOut}, 503: {"model": ErrorOut}},
)
def get_decree(
    so_hieu: str, responder: Annotated[Responder, Depends(get_responder)]
) -> dict[str, Any]:
    record = responder.index.registry.get(so_hieu)
    if record is None:
        raise HTTPException(
            status_code=404,
            detail=f"Không tìm thấy văn bản {so_hieu!r} / no legal document {so_hieu!r} found",
        )
    return responder.index.registry.record_dict(record)
