"""The FastAPI application: routers per concern, thin handlers over the responder."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from motcua import __version__
from motcua.bot.answering.loading import load_responder
from motcua.bot.answering.pipeline import open_pipeline
from motcua.bot.answering.responder import Responder
from motcua.bot.answering.templates import environment, render
from motcua.bot.channels import channel_routers, enabled_channels, open_state
from motcua.bot.web.auth import SESSION_COOKIE, session_secret
from motcua.bot.web.body_limit import BODY_TOO_LARGE, LimitedBodyAPI
from motcua.bot.web.console.admin_views import PREFIX as ADMIN_PREFIX
from motcua.bot.web.metrics import Metrics
from motcua.bot.web.request_log import RequestIdMiddleware
from motcua.bot.web.routes import (
    admin_curated,
    admin_login,
    ask,
    console,
    console_admin,
    decrees,
    documents,
    procedures,
)
from motcua.bot.web.routes.ask import ErrorOut
from motcua.bot.web.security_headers import SecurityHeadersMiddleware
from motcua.bot.web.validation import QuestionError
from motcua.index.ingest_jobs import ThreadJobQueue, open_queue, resume_jobs
from motcua.index.store import IndexNotFound
from motcua.index.watch import IndexWatcher
from motcua.settings import Settings, get_settings
from motcua.storage.database import Database, DatabaseUnavailable
from motcua.storage.ephemeral import RedisUnavailable, open_ephemeral, redis_ping
from motcua.storage.jobs import IngestJobs

log = logging.getLogger("motcua")


def _field_errors(exc: RequestValidationError) -> str:
    """Each refused field with its reason in Vietnamese, then pydantic's in English."""
    reason = environment().get_template("field_errors.txt").module.reason
    problems = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error.get("loc", ()) if p != "body") or "body"
        said = str(reason(error.get("type", ""), error.get("ctx") or {})).strip()
        problems.append(f"{where}: {said} / {error.get('msg')}")
    return "; ".join(problems)


ADMIN_PAGE_HEADINGS = {401: "Cần đăng nhập quản trị", 403: "Chức năng quản trị đang tắt"}


def _wants_admin_page(request: Request) -> bool:
    return request.url.path.startswith(ADMIN_PREFIX) and "text/html" in request.headers.get(
        "accept", ""
    )


def _unreadable_body(path: str) -> str:
    """What a client whose body could not be parsed should send instead."""
    if path.startswith("/v1/documents"):
        return (
            "Không đọc được tệp tải lên: cần multipart/form-data với một hoặc nhiều trường "
            '"files". / Unreadable upload: expected multipart/form-data with "files" fields.'
        )
    if path == "/v1/ask":
        return (
            'Không đọc được nội dung yêu cầu: cần JSON UTF-8 dạng {"question": "..."}. '
            '/ Unreadable request body: expected UTF-8 JSON like {"question": "..."}.'
        )
    return (
        "Không đọc được nội dung yêu cầu: cần JSON UTF-8. / "
        "Unreadable request body: expected UTF-8 JSON."
    )


WEBHOOK_BODY_BYTES = 1024 * 1024  # a channel's update is a few KB; room for long messages


def ready_line(url: str, docs: bool, answering: bool = True) -> str:
    """The one line that tells someone who just started the service where to go; without an
    index it says the service is up but does not answer yet."""
    url = url.rstrip("/")
    places = [f"API {url}/v1/ask", f"console {url}/console"]
    if docs:
        places.append(f"docs {url}/docs")
    state = "sẵn sàng (ready)" if answering else "đang chạy, chưa có chỉ mục (up, no index yet)"
    return f"motcua {state}: " + " · ".join(places)


def create_app(settings: Settings | None = None, responder: Responder | None = None) -> FastAPI:
    settings = settings or get_settings()

    database = Database.open(settings)
    # The one question pipeline: /v1/ask, the console and the channels all answer through it.
    pipeline = open_pipeline(settings, database, responder)

    def serve(responder: Responder, version_id: int | None) -> None:
        pipeline.serve(responder, version_id)
        metrics.index_version.set(pipeline.index_version)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        watcher, task = None, None
        if pipeline.responder is None:
            watcher = IndexWatcher(
                settings, database, lambda folder: load_responder(settings, folder), serve
            )
            try:
                await asyncio.to_thread(watcher.check)
            except IndexNotFound as exc:
                log.warning("%s", exc)
            if pipeline.responder is None:
                # The watcher keeps polling quietly; said once here, before the ready line.
                log.warning("%s", render("serve_no_index.txt", index_dir=settings.index_dir))
            task = asyncio.create_task(watcher.run())
        if isinstance(app.state.queue, ThreadJobQueue):
            # This process is the only job runner: pick up what a crash left behind.
            await asyncio.to_thread(resume_jobs, settings, database, app.state.queue)
        if settings.public_url:
            answering = pipeline.responder is not None
            log.info("%s", ready_line(settings.public_url, settings.api_docs, answering))
        yield
        app.state.queue.close()
        if app.state.api_limiter is not None:
            app.state.api_limiter.close()
        app.state.login_limiter.close()
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if watcher is not None:
            await asyncio.to_thread(watcher.release)
        pipeline.close()
        database.close()

    app = LimitedBodyAPI(
        title="motcua",
        version=__version__,
        description="Hỏi đáp thủ tục hành chính ngành giáo dục, có trích dẫn nguồn.",
        lifespan=lifespan,
        docs_url="/docs" if settings.api_docs else None,
        redoc_url="/redoc" if settings.api_docs else None,
        openapi_url="/openapi.json" if settings.api_docs else None,
        # Every body is bounded before a handler reads it (a webhook reads its body to check
        # the signature over it); uploads and webhooks get their own limits below.
        max_body_size=settings.max_body_kb * 1024,
        responses={413: {"model": ErrorOut, "description": BODY_TOO_LARGE}},
    )
    metrics = Metrics()
    app.state.settings = settings
    app.state.metrics = metrics
    app.state.database = database
    app.state.pipeline = pipeline
    app.state.queue = open_queue(settings)
    app.state.api_limiter = (
        open_ephemeral(settings, settings.api_rate_limit_per_minute, "api")
        if settings.api_rate_limit_per_minute
        else None
    )
    app.state.login_limiter = open_ephemeral(
        settings, settings.admin_login_attempts_per_minute, "admin-login"
    )
    metrics.watch_jobs(IngestJobs(database))

    @app.exception_handler(QuestionError)
    async def question_error(_: Request, exc: QuestionError) -> JSONResponse:
        return JSONResponse(status_code=422, content={"detail": exc.message})

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        detail = "Yêu cầu không hợp lệ / Invalid request. " + _field_errors(exc)
        if request.url.path == "/v1/ask":
            detail = (
                'Yêu cầu không hợp lệ: cần JSON dạng {"question": "..."}. / '
                'Invalid request: expected JSON like {"question": "..."}. ' + _field_errors(exc)
            )
        return JSONResponse(status_code=422, content={"detail": detail})

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail
        if exc.status_code == 400:  # the body could not be parsed at all (e.g. not UTF-8)
            detail = _unreadable_body(request.url.path)
        if exc.status_code == 413:
            detail = BODY_TOO_LARGE
        if exc.status_code in ADMIN_PAGE_HEADINGS and _wants_admin_page(request):
            # A person at the staff's pages reads a page, not JSON: 401 when only an API key
            # is configured (with a password, require_admin redirects to the login instead),
            # 403 when admin is off.
            return console.templates.TemplateResponse(
                request,
                "not_found.html",
                {"heading": ADMIN_PAGE_HEADINGS[exc.status_code], "message": detail},
                status_code=exc.status_code,
                headers=getattr(exc, "headers", None),
            )
        return JSONResponse(
            status_code=exc.status_code,
            content={"detail": detail},
            headers=getattr(exc, "headers", None),
        )

    app.include_router(ask.router)
    app.include_router(decrees.router)
    app.include_router(procedures.router)
    app.include_router(documents.router, max_body_size=(settings.upload_max_mb + 1) * 1024 * 1024)
    app.include_router(console.router)
    app.include_router(admin_login.router)
    app.include_router(admin_curated.router)
    app.include_router(console_admin.router)
    app.mount(console.STATIC_URL, StaticFiles(directory=console.STATIC_DIR), name="console-static")

    if enabled_channels(settings):
        state = open_state(settings, database=database)
        for router in channel_routers(settings, pipeline.ask, state, pipeline.choice):
            app.include_router(router, max_body_size=WEBHOOK_BODY_BYTES)
    log.info("channels on: %s", ", ".join(enabled_channels(settings)) or "none")

    @app.get("/healthz", tags=["ops"])
    async def healthz() -> dict[str, str | int]:
        """The process is up (pid: which worker answered, when several share the port)."""
        return {"status": "ok", "pid": os.getpid()}

    @app.get("/readyz", tags=["ops"], responses={503: {"model": ErrorOut}})
    async def readyz() -> JSONResponse:
        """An index is loaded, and the database (and Redis, when configured) answer."""
        problems = []
        if pipeline.responder is None:
            problems.append("Chưa có chỉ mục / no index loaded: run `motcua ingest`")
        try:
            await asyncio.to_thread(database.ping)
        except DatabaseUnavailable as exc:
            problems.append(f"Cơ sở dữ liệu không kết nối được / {exc}")
        if settings.redis_url:
            try:
                await asyncio.to_thread(redis_ping, settings.redis_url)
            except RedisUnavailable as exc:
                problems.append(f"Redis không kết nối được / {exc}")
        if problems:
            return JSONResponse(status_code=503, content={"detail": "; ".join(problems)})
        return JSONResponse({"status": "ready", "index_version": pipeline.index_version})

    metrics.install(app, endpoint=settings.metrics_endpoint)
    app.add_middleware(SecurityHeadersMiddleware)
    # The staff's login (see bot.auth): a signed cookie, never readable by scripts, never
    # sent along with another site's requests.
    app.add_middleware(
        SessionMiddleware,
        secret_key=session_secret(settings),
        session_cookie=SESSION_COOKIE,
        max_age=settings.admin_session_hours * 3600,
        same_site="strict",
        https_only=settings.admin_cookie_secure,
    )
    # Added last, so it is outermost: its id and timing cover every other middleware.
    app.add_middleware(RequestIdMiddleware)

    return app
