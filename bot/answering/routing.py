"""A route class whose 405 names every method its path supports.

Starlette answers a wrong method with the `Allow` of the first route whose path matched, so
for GET and POST on one path (two handlers) it claims only GET. Routers with several methods
on one path use `AllowingRoute` so clients (and schemathesis) are told the truth.
"""

from __future__ import annotations

from fastapi import HTTPException
from fastapi.routing import APIRoute
from starlette.routing import Match
from starlette.types import Receive, Scope, Send


class AllowingRoute(APIRoute):
    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.methods and scope["method"] not in self.methods:
            allowed: set[str] = set()
            for route in getattr(scope.get("router"), "routes", ()):
                methods = getattr(route, "methods", None)
                if methods and route.matches(scope)[0] != Match.NONE:
                    allowed |= methods
            raise HTTPException(
                status_code=405,
                detail="Phương thức không được hỗ trợ. / Method not allowed.",
                headers={"Allow": ", ".join(sorted(allowed))},
            )
        await super().handle(scope, receive, send)
