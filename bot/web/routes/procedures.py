"""GET /v1/procedures and /v1/procedures/{code}: the procedure catalogue of the loaded index.

Records are the procedures published lists (provincial decisions) hold, each with its
decision and the row it was read from; `motcua procedures` prints the same JSON.
"""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any, get_type_hints

from fastapi import APIRouter, Depends, HTTPException, Path, Query
from pydantic import BaseModel, Field, create_model

from motcua.bot.answering.responder import Responder
from motcua.bot.web.deps import get_responder
from motcua.bot.web.routes.ask import ErrorOut
from motcua.index.catalogue import MAX_QUERY_CHARS, catalogue_page, procedure_detail
from motcua.ingest.catalogue import ProcedureRecord

router = APIRouter(prefix="/v1/procedures", tags=["procedures"])

MAX_PAGE = 100
# A national code ("1.010219"), or a local form of it ("2.001914.000.00.00.H50").
CODE_PATTERN = r"^[1-3]\.\d{6}(?:\.[0-9A-Za-z.]{1,30})?$"


def _record_fields() -> dict[str, Any]:
    """The catalogue record's own fields, so the API's model follows the dataclass."""
    hints = get_type_hints(ProcedureRecord)
    fields: dict[str, Any] = {}
    for spec in dataclasses.fields(ProcedureRecord):
        if spec.default_factory is not dataclasses.MISSING:
            fields[spec.name] = (hints[spec.name], Field(default_factory=spec.default_factory))
        elif spec.default is not dataclasses.MISSING:
            fields[spec.name] = (hints[spec.name], spec.default)
        else:
            fields[spec.name] = (hints[spec.name], ...)
    fields["section"] = (
        str,
        Field(description="the row's section in the decision, as citations give it"),
    )
    return fields


# One procedure as a published list gives it: the record, and its decision as answers name it.
ProcedureOut = create_model(
    "ProcedureOut",
    decision=(str, Field(description="the publishing decision, as answers name it")),
    **_record_fields(),
)


class ProcedurePage(BaseModel):
    total: int = Field(description="records matching, over all pages")
    limit: int
    offset: int
    items: list[ProcedureOut]


class CardRef(BaseModel):
    id: str
    ten: str


class ProcedureDetail(BaseModel):
    code: str
    name: str
    records: list[ProcedureOut]
    cards: list[CardRef] = Field(description="built-in procedure cards of this procedure")


@router.get("", responses={422: {"model": ErrorOut}, 503: {"model": ErrorOut}})
def list_procedures(
    responder: Annotated[Responder, Depends(get_responder)],
    q: Annotated[
        str, Query(max_length=MAX_QUERY_CHARS, description="a code (1.010219) or words")
    ] = "",
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 20,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> ProcedurePage:
    return ProcedurePage.model_validate(catalogue_page(responder.index.catalogue, q, limit, offset))


@router.get(
    "/{code}",
    responses={404: {"model": ErrorOut}, 422: {"model": ErrorOut}, 503: {"model": ErrorOut}},
)
def get_procedure(
    code: Annotated[str, Path(max_length=40, pattern=CODE_PATTERN, description="1.010219")],
    responder: Annotated[Responder, Depends(get_responder)],
) -> ProcedureDetail:
    found = procedure_detail(responder.index.catalogue, code)
    if found is None:
        raise HTTPException(
            status_code=404,
            detail=f"Không có thủ tục mã {code!r} trong danh mục đã nạp / "
            f"no procedure {code!r} in the loaded catalogue",
        )
    return ProcedureDetail.model_validate(found)
