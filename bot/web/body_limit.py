"""The one answer to a request body over its limit: 413 with the documented JSON error.

FastAPI enforces `max_body_size` in middleware that sits outside every handler and user
middleware of ours, and Starlette answers there in plain text ("Content Too Large") whenever
no handler got to raise: a body declared too large, or sent to an endpoint that never reads
it. The app's outermost layer rewrites those answers, so clients see one error shape.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

BODY_TOO_LARGE = "Nội dung gửi lên quá lớn. / Request body too large."


class JsonTooLarge:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        replaced = False

        async def send_json(message: Message) -> None:
            nonlocal replaced
            if message["type"] == "http.response.start" and _plain_413(message):
                replaced = True
                response = JSONResponse({"detail": BODY_TOO_LARGE}, status_code=413)
                await response(scope, receive, send)
            elif not replaced:  # the plain-text body of a replaced answer is dropped
                await send(message)

        await self.app(scope, receive, send_json)


def _plain_413(message: Message) -> bool:
    if message.get("status") != 413:
        return False
    headers = dict(message.get("headers") or [])
    return headers.get(b"content-type", b"").startswith(b"text/plain")


class LimitedBodyAPI(FastAPI):
    """FastAPI whose body-limit answers are the documented JSON (see the module docstring)."""

    def build_middleware_stack(self) -> ASGIApp:
        return JsonTooLarge(super().build_middleware_stack())
