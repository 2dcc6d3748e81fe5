"""/console: the hotline operator's pages (server-rendered) and the JSON its script calls.

Handlers only parse the request, ask the page modules of `motcua.bot.web.console` (`answer_view`,
`document_views`, `procedure_views`, `decree_views`) for a page model and render it. The
console is a UI, not part of the public API, so it stays out of the OpenAPI schema.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from motcua.bot.answering.responder import Responder
from motcua.bot.web.console import answer_view, decree_views, document_views, procedure_views
from motcua.bot.web.deps import limit_api_rate
from motcua.bot.web.validation import clean_question
from motcua.index.catalogue import MAX_QUERY_CHARS
from motcua.index.filters import DocumentFilter
from motcua.settings import Settings

CONSOLE_DIR = Path(__file__).resolve().parent.parent / "console"
STATIC_DIR = CONSOLE_DIR / "static"
STATIC_URL = "/console/static"
NO_INDEX = "Chưa có chỉ mục tài liệu: hãy chạy `motcua ingest`."

# (key, link, text) of the top navigation; admin pages add theirs in base.html's nav_extra.
NAV = (
    ("ask", "/console", "Hỏi đáp"),
    ("documents", "/console/documents", "Tài liệu"),
    ("decrees", "/console/decrees", "Văn bản pháp luật"),
    ("procedures", "/console/procedures", "Danh mục thủ tục"),
)

templates = Jinja2Templates(directory=CONSOLE_DIR / "templates")
templates.env.globals.update(static=STATIC_URL, nav=NAV)
router = APIRouter(prefix="/console", tags=["console"], include_in_schema=False)


def console_responder(request: Request) -> Responder | None:
    """The responder of the index being served (None until one is loaded)."""
    return request.app.state.pipeline.responder


MaybeResponder = Annotated[Responder | None, Depends(console_responder)]


def _require(responder: Responder | None) -> Responder:
    if responder is None:
        raise HTTPException(status_code=503, detail=NO_INDEX)
    return responder


def _page(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, template, context, status_code=status_code)


def _missing(request: Request, message: str) -> HTMLResponse:
    return _page(request, "not_found.html", status_code=404, message=message)


def _unavailable(request: Request) -> HTMLResponse:
    return _page(request, "not_found.html", status_code=503, message=NO_INDEX)


@router.get("", response_class=HTMLResponse)
def console_home(request: Request, responder: MaybeResponder) -> HTMLResponse:
    if responder is None:
        return _unavailable(request)
    options = answer_view.filter_options(responder.index.documents.values())
    return _page(request, "console.html", options=options, active="ask")


@router.get("/api/answer", dependencies=[Depends(limit_api_rate)])
async def api_answer(
    request: Request,
    responder: MaybeResponder,
    q: Annotated[str, Query(min_length=1, description="câu hỏi")],
    doc_type: Annotated[str | None, Query(max_length=200)] = None,
    issuer: Annotated[str | None, Query(max_length=300)] = None,
    year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
) -> answer_view.AnswerView:
    settings: Settings = request.app.state.settings
    question = clean_question(q, settings.max_question_chars)
    doc_filter = DocumentFilter(doc_type=doc_type or None, issuer=issuer or None, year=year)
    _require(responder)
    return await run_in_threadpool(
        answer_view.answer_view, request.app.state.pipeline, question, doc_filter
    )


@router.get("/documents", response_class=HTMLResponse)
def documents(request: Request, responder: MaybeResponder) -> HTMLResponse:
    if responder is None:
        return _unavailable(request)
    return _page(
        request,
        "documents.html",
        documents=document_views.documents_list(responder),
        active="documents",
    )


@router.get("/documents/{doc_id}", response_class=HTMLResponse)
def document(request: Request, doc_id: str, responder: MaybeResponder) -> HTMLResponse:
    if responder is None:
        return _unavailable(request)
    view = document_views.document_view(responder, doc_id)
    if view is None:
        return _missing(request, f"Không có tài liệu “{doc_id}” trong chỉ mục.")
    return _page(request, "document.html", view=view, active="documents")


@router.get("/cards/{doc_id}", response_class=HTMLResponse)
def card(request: Request, doc_id: str, responder: MaybeResponder) -> HTMLResponse:
    if responder is None:
        return _unavailable(request)
    view = procedure_views.card_view(responder, doc_id)
    if view is None:
        return _missing(request, f"Không có thẻ thủ tục “{doc_id}”.")
    return _page(request, "card.html", view=view, active="documents")


@router.get("/decrees", response_class=HTMLResponse)
def decrees(
    request: Request,
    responder: MaybeResponder,
    q: Annotated[str, Query(max_length=200)] = "",
) -> HTMLResponse:
    if responder is None:
        return _unavailable(request)
    return _page(
        request, "decrees.html", page=decree_views.decree_page(responder, q), active="decrees"
    )


@router.get("/procedures", response_class=HTMLResponse)
def procedures(
    request: Request,
    responder: MaybeResponder,
    q: Annotated[str, Query(max_length=MAX_QUERY_CHARS)] = "",
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> HTMLResponse:
    if responder is None:
        return _unavailable(request)
    view = procedure_views.procedures_page(responder, q, page)
    return _page(request, "procedures.html", page=view, active="procedures")
