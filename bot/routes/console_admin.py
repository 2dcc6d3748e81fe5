"""/console/admin: the staff's pages (documents and uploads, unanswered questions, curated
answers), behind the admin login.

`require_admin` answers a browser without credentials with 401 and a Basic challenge, so the
browser asks for the password. Pages are read-only renders of `admin_views`; the page script
writes through the admin JSON API (/v1/documents, /v1/admin/curated).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse

from motcua.bot.auth import require_admin
from motcua.bot.console import admin_views
from motcua.bot.deps import get_interactions
from motcua.bot.routes.console import MaybeResponder, templates
from motcua.storage.jobs import IngestJobs, UploadedDocuments

# (key, link, text): the admin part of the top navigation, after the public pages.
ADMIN_NAV = (
    ("admin-documents", f"{admin_views.PREFIX}/documents", "Quản lý tài liệu"),
    ("admin-unanswered", f"{admin_views.PREFIX}/unanswered", "Câu hỏi chưa trả lời"),
    ("admin-curated", f"{admin_views.PREFIX}/curated", "Câu trả lời chuẩn"),
)
templates.env.globals.update(admin_nav=ADMIN_NAV)

router = APIRouter(
    prefix=admin_views.PREFIX,
    tags=["console"],
    include_in_schema=False,
    dependencies=[Depends(require_admin)],
)


def _page(request: Request, template: str, status_code: int = 200, **context: object):
    return templates.TemplateResponse(request, template, context, status_code=status_code)


def _curate_page(
    request: Request, form: admin_views.CurateForm | None, missing: str, active: str
) -> HTMLResponse:
    """The curate form, or a 404 page saying what was not found."""
    if form is None:
        return _page(request, "not_found.html", status_code=404, message=missing)
    return _page(request, "admin_curate.html", form=form, active=active)


@router.get("")
def admin_home() -> RedirectResponse:
    return RedirectResponse(f"{admin_views.PREFIX}/documents", status_code=303)


@router.get("/documents", response_class=HTMLResponse)
async def documents(request: Request, responder: MaybeResponder) -> HTMLResponse:
    state = request.app.state
    page = await run_in_threadpool(
        admin_views.documents_page,
        responder,
        UploadedDocuments(state.database),
        IngestJobs(state.database),
        state.pipeline.index_version,
        state.settings.upload_max_mb,
    )
    return _page(request, "admin_documents.html", page=page, active="admin-documents")


@router.get("/unanswered", response_class=HTMLResponse)
async def unanswered(request: Request) -> HTMLResponse:
    interactions = get_interactions(request)
    rows = await run_in_threadpool(admin_views.unanswered_rows, interactions)
    return _page(request, "admin_unanswered.html", rows=rows, active="admin-unanswered")


@router.get("/curated", response_class=HTMLResponse)
async def curated(request: Request) -> HTMLResponse:
    rows = await run_in_threadpool(admin_views.curated_rows, request.app.state.pipeline.curated)
    return _page(request, "admin_curated.html", rows=rows, active="admin-curated")


@router.get("/curated/new", response_class=HTMLResponse)
async def curate_question(
    request: Request,
    responder: MaybeResponder,
    question_id: Annotated[str | None, Query(max_length=64)] = None,
) -> HTMLResponse:
    """A new curated answer: prefilled from a logged question, or blank."""
    if not question_id:
        form = admin_views.blank_form(responder)
        return _page(request, "admin_curate.html", form=form, active="admin-curated")
    form = await run_in_threadpool(
        admin_views.form_from_question, get_interactions(request), question_id, responder
    )
    missing = f"Không có câu hỏi “{question_id}” trong nhật ký."
    return _curate_page(request, form, missing, active="admin-unanswered")


@router.get("/curated/{group_id}", response_class=HTMLResponse)
async def curated_group(request: Request, group_id: str, responder: MaybeResponder) -> HTMLResponse:
    form = await run_in_threadpool(
        admin_views.form_for_group, request.app.state.pipeline.curated, group_id, responder
    )
    return _curate_page(request, form, f"Không có câu trả lời chuẩn “{group_id}”.", "admin-curated")
