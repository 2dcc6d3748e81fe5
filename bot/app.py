"""The FastAPI application: routers per concern, thin handlers over the responder."""

from __future__ import annotations

import logging
import os
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from motcua import __version__
from motcua.bot.channels import channel_routers, enabled_channels, open_state
from motcua.bot.dialogue import Dialogue
from motcua.bot.metrics import Metrics
from motcua.bot.request_log import RequestIdMiddleware
from motcua.bot.responder import Responder, load_responder
from motcua.bot.routes import ask, console, decrees
from motcua.bot.routes.ask import ErrorOut
from motcua.bot.validation import QuestionError
from motcua.index.store import IndexNotFound
from motcua.settings import Settings, get_settings
from motcua.types import Answer

log = logging.getLogger("motcua")


def _field_errors(exc: RequestValidationError) -> str:
    problems = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error.get("loc", ()) if p != "body") or "body"
        problems.append(f"{where}: {error.get('msg')}")
    return "; ".join(problems)


def create_app(settings: Settings | None = None, responder: Responder | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        dialogue = None
        if app.state.responder is None:
            try:
                # Conversations (follow-ups, clarifications, small talk) wrap the responder.
                dialogue = Dialogue(load_responder(settings))
                app.state.responder = dialogue
            except IndexNotFound as exc:
                log.warning("%s", exc)
        yield
        if dialogue is not None:
            dialogue.close()

    app = FastAPI(
        title="motcua",
        version=__version__,
        description="Hỏi đáp thủ tục hành chính ngành giáo dục, có trích dẫn nguồn.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.responder = responder
    metrics = Metrics()
    app.state.metrics = metrics

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
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail
        if exc.status_code == 400:  # the body could not be parsed at all (e.g. not UTF-8)
            detail = (
                'Không đọc được nội dung yêu cầu: cần JSON UTF-8 dạng {"question": "..."}. '
                '/ Unreadable request body: expected UTF-8 JSON like {"question": "..."}.'
            )
        return JSONResponse(
            status_code=exc.status_code,
            content={"detail": detail},
            headers=getattr(exc, "headers", None),
        )

    app.include_router(ask.router)
    app.include_router(decrees.router)
    app.include_router(console.router)
    app.mount(console.STATIC_URL, StaticFiles(directory=console.STATIC_DIR), name="console-static")

    # Channels answer through whatever responder the app holds when a message arrives.
    def answer_fn(question: str, conversation_id: str | None) -> Answer:
        responder = app.state.responder
        if responder is None:
            raise RuntimeError("no index loaded")
        return responder.answer(question, conversation_id)

    if enabled_channels(settings):
        state = open_state(settings.data_dir, settings.rate_limit_per_minute)
        for router in channel_routers(settings, answer_fn, state):
            app.include_router(router)
    log.info("channels on: %s", ", ".join(enabled_channels(settings)) or "none")

    @app.get("/healthz", tags=["ops"])
    async def healthz() -> dict[str, str | int]:
        """The process is up (pid: which worker answered, when several share the port)."""
        return {"status": "ok", "pid": os.getpid()}

    @app.get("/readyz", tags=["ops"], responses={503: {"model": ErrorOut}})
    async def readyz() -> JSONResponse:
        """An index is loaded and questions can be answered."""
        responder = app.state.responder
        if responder is None:
            return JSONResponse(
                status_code=503,
                content={"detail": "Chưa có chỉ mục / no index loaded: run `motcua ingest`"},
            )
        version = responder.index_version
        metrics.index_version.set(version)
        return JSONResponse({"status": "ready", "index_version": version})

    metrics.install(app)
    # Added last, so it is outermost: its id and timing cover every other middleware.
    app.add_middleware(RequestIdMiddleware)

    return app
