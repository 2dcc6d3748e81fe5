"""Response headers that tell browsers what a page may do.

Every response: no MIME sniffing, no full referrer to other sites. The console's pages: a
content security policy that allows only this site's own scripts, styles and images (the
templates hold no inline script or style), and no framing (clickjacking). The staff's pages,
the admin API and its CSV export: never cached (`no-store`), as they hold citizens' questions.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

ALWAYS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
]
PAGE_POLICY = (
    b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    b"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
    b"object-src 'none'"
)
PAGES = ("/console",)
PRIVATE = ("/console/admin", "/v1/admin", "/v1/documents")


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        extra = list(ALWAYS)
        if path.startswith(PAGES):
            extra += [(b"content-security-policy", PAGE_POLICY), (b"x-frame-options", b"DENY")]
        if path.startswith(PRIVATE):
            extra.append((b"cache-control", b"no-store"))

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name for name, _ in extra}
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                message = {**message, "headers": kept + extra}
            await send(message)

        await self.app(scope, receive, with_headers)
