"""Request ids and the one log line per HTTP request.

A caller's `X-Request-ID` is kept when it is short and plain (so a proxy's id ties its logs to
ours); anything else is replaced by a fresh id. The id is echoed in the response and stamped
on every log record written while the request runs (see `motcua.logs`). The line logged names
the method, path, status and duration only: no query string or body, since parents' questions
are personal data.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from motcua.logs import request_id_var

HEADER = b"x-request-id"
_SANE_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def loggable_path(path: str) -> str:
    """A request path as one log line: a decoded "%0a" would start a forged line."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", path)


log = logging.getLogger("motcua.http")


def pick_request_id(offered: str | None) -> str:
    if offered and _SANE_ID.fullmatch(offered):
        return offered
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Pure ASGI (not BaseHTTPMiddleware), so streaming responses pass through untouched."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        offered = next(
            (v.decode("latin-1") for k, v in scope["headers"] if k.lower() == HEADER),
            None,
        )
        request_id = pick_request_id(offered)
        token = request_id_var.set(request_id)
        status = 500  # what the client gets if the app raises before answering
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != HEADER]
                headers.append((HEADER, request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            path = loggable_path(scope["path"])
            log.info(
                "%s %s %d %.1fms",
                scope["method"],
                path,
                status,
                duration_ms,
                extra={
                    "method": scope["method"],
                    "path": path,
                    "status": status,
                    "duration_ms": duration_ms,
                },
            )
            request_id_var.reset(token)
