"""/console/admin: the staff's pages (documents and uploads, unanswered questions, curated
answers, insights), behind the admin login.

`require_admin` sends a browser that is not logged in to the login page (303 to
/console/admin/login?next=...); with only an API key configured it gets a 401 page, with admin
off a 403 page (no Basic challenge: see `motcua.bot.web.auth`). Pages are read-only renders of
`admin_views`; the page script writes through the admin JSON API (/v1/documents,
/v1/admin/curated) with the session's CSRF token.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import escape

from motcua.bot.insights.export import insights_csv
from motcua.bot.insights.period import PeriodError, parse_channel, parse_period
from motcua.bot.insights.service import Insights
from motcua.bot.web.auth import require_admin
from motcua.bot.web.console import admin_views, insights_view
from motcua.bot.web.deps import get_insights, get_interactions
from motcua.bot.web.routes.console import MaybeResponder, templates
from motcua.storage.jobs import IngestJobs, UploadedDocuments

# The period and channel of the insights: checked by `motcua.bot.insights.period`, bounded here.
DateParam = Annotated[str | None, Query(max_length=10)]
ChannelParam = Annotated[str | None, Query(max_length=16)]

# (key, link, text): the admin part of the top navigation, after the public pages.
ADMIN_NAV = (
    ("admin-documents", f"{admin_views.PREFIX}/documents", "Quản lý tài liệu"),
    ("admin-unanswered", f"{admin_views.PREFIX}/unanswered", "Câu hỏi chưa trả lời"),
    ("admin-curated", f"{admin_views.PREFIX}/curated", "Câu trả lời chuẩn"),
    ("admin-insights", f"{admin_views.PREFIX}/insights", "Thống kê"),
)
# Seconds spent embedding new unanswered wordings while a page is made: none, as one wording
# can take seconds on a busy CPU. They are embedded after the response (`_later`) and group
# by meaning from the next view on; until then they group by their words.
PAGE_EMBED_SECONDS = 0.0
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


async def _figures(
    request: Request,
    background: BackgroundTasks,
    since: str | None,
    until: str | None,
    channel: str | None,
) -> Insights:
    """The figures asked for; `PeriodError` names what is wrong with the parameters."""
    period, chosen = parse_period(since, until), parse_channel(channel)
    service = get_insights(request)
    data = await run_in_threadpool(service.figures, period, chosen, PAGE_EMBED_SECONDS)
    if data.ungrouped_by_meaning:
        background.add_task(service.embed_later, data.ungrouped_by_meaning)
    return data


@router.get("/insights", response_class=HTMLResponse)
async def insights(
    request: Request,
    background: BackgroundTasks,
    since: DateParam = None,
    until: DateParam = None,
    channel: ChannelParam = None,
) -> HTMLResponse:
    """Charts of the question log for a period and channel (default: the last 30 days)."""
    try:
        data = await _figures(request, background, since, until, channel)
    except PeriodError as exc:
        page = insights_view.filters(since or "", until or "", channel or "")
        page.error = str(exc)
        return _page(request, "admin_insights.html", 422, page=page, active="admin-insights")
    page = insights_view.insights_page(data)
    return _page(request, "admin_insights.html", page=page, active="admin-insights")


@router.get("/insights.csv")
async def insights_export(
    request: Request,
    background: BackgroundTasks,
    since: DateParam = None,
    until: DateParam = None,
    channel: ChannelParam = None,
) -> Response:
    try:
        data = await _figures(request, background, since, until, channel)
    except PeriodError as exc:
        return Response(str(exc), status_code=422, media_type="text/plain; charset=utf-8")
    name = f"motcua-thong-ke-{data.period.first}-{data.period.last}.csv"
    return Response(
        insights_csv(data),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/insights/report", response_class=HTMLResponse)
async def insights_report(
    request: Request,
    background: BackgroundTasks,
    since: DateParam = None,
    until: DateParam = None,
    channel: ChannelParam = None,
) -> HTMLResponse:
    """The printable report of the same figures (what `motcua report` writes)."""
    try:
        data = await _figures(request, background, since, until, channel)
    except PeriodError as exc:
        return HTMLResponse(f"<p>{escape(str(exc))}</p>", status_code=422)
    page = insights_view.insights_page(data)
    return HTMLResponse(insights_view.render_report(page))
