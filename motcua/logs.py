"""Process-wide logging: plain text for a terminal or one JSON object per line for servers,
every record stamped with the id of the HTTP request it was written for."""

from __future__ import annotations

import logging
import sys
from contextvars import ContextVar
from typing import IO

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter

from motcua.settings import Settings

# Set by the request-id middleware for the duration of one request; asyncio tasks and the
# threads Starlette runs sync handlers in copy the context, so the id follows the request.
request_id_var: ContextVar[str | None] = ContextVar("motcua_request_id", default=None)

NO_REQUEST = "-"
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
JSON_FIELDS = ["asctime", "levelname", "name", "message", "request_id"]


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record that reaches the handler (``-`` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get() or NO_REQUEST
        return True


class _MotcuaHandler(logging.StreamHandler):
    """Marks the handler this module installed, so configuring again replaces it."""


def make_formatter(log_format: str) -> logging.Formatter:
    if log_format == "json":
        return JsonFormatter(
            JSON_FIELDS,
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            # uvicorn attaches an ANSI-coloured copy of its messages; it is noise in JSON.
            reserved_attrs=[*RESERVED_ATTRS, "color_message"],
            json_ensure_ascii=False,
        )
    return logging.Formatter(TEXT_FORMAT)


NOISY_AT_START = ("alembic", "faiss")


def configure_logging(settings: Settings, stream: IO[str] | None = None) -> logging.Handler:
    """Send every logger (uvicorn's included) through one handler on the root logger.

    Idempotent: a second call replaces the handler installed by the first, so the CLI and
    each uvicorn worker process can both call it.
    """
    level = settings.log_level.upper()
    handler = _MotcuaHandler(stream or sys.stderr)
    # On the handler too: some libraries (bm25s) set their own logger to DEBUG.
    handler.setLevel(level)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(make_formatter(settings.log_format))
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _MotcuaHandler)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # uvicorn's own handlers would print a second, differently formatted copy; its access
    # log is replaced by the request-id middleware's one line per request.
    for name in ("uvicorn", "uvicorn.error", "uvicorn.asgi"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
    # Libraries that report routine start-up at INFO ("setup plugin alembic.autogenerate…",
    # "Could not load library with AVX512 support"): read as errors, hide the useful lines.
    debugging = logging.getLevelName(level) < logging.INFO
    for name in NOISY_AT_START:
        logging.getLogger(name).setLevel(logging.NOTSET if debugging else logging.WARNING)
    access = logging.getLogger("uvicorn.access")
    access.handlers.clear()
    access.propagate = False
    return handler
