"""Admin authentication: an API key (X-API-Key) for scripts, a session login for people.

Admin is off until a secret is configured, so a fresh install never exposes it by accident.

A browser resends HTTP Basic credentials to any page that asks, so a form on another site
could act as a logged-in admin (CSRF). People log in instead at `/console/admin/login` and get
a signed session cookie (HttpOnly, SameSite=Strict, Secure behind HTTPS); every request that
changes something also carries the session's CSRF token in `X-CSRF-Token`, and a request whose
`Origin` is another site is refused. Scripts send the API key header, which no browser adds on
its own.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, HTTPException, Request
from fastapi.security import APIKeyHeader

from motcua.settings import Settings

SESSION_USER = "admin"
SESSION_CSRF = "csrf"
CSRF_HEADER = "X-CSRF-Token"
LOGIN_PATH = "/console/admin/login"
SESSION_COOKIE = "motcua_admin"
_UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})

# auto_error=False: a missing header is our 401 (bilingual), not theirs.
_api_key = APIKeyHeader(name="X-API-Key", auto_error=False)

ADMIN_OFF = (
    "Chức năng quản trị đang tắt: hãy đặt MOTCUA_ADMIN_API_KEY, hoặc MOTCUA_ADMIN_PASSWORD "
    "(và MOTCUA_ADMIN_USERNAME, mặc định 'admin'). / Admin is off: set MOTCUA_ADMIN_API_KEY, "
    "or MOTCUA_ADMIN_PASSWORD (and MOTCUA_ADMIN_USERNAME, default 'admin')."
)
UNAUTHORIZED = (
    "Cần đăng nhập quản trị (tại /console/admin/login, hoặc khoá API ở header X-API-Key). / "
    "Admin login required (at /console/admin/login, or an API key in the X-API-Key header)."
)
FORBIDDEN_ORIGIN = (
    "Yêu cầu đến từ trang web khác bị từ chối. / A request from another site was refused."
)
BAD_CSRF = "Phiên làm việc không hợp lệ, hãy tải lại trang. / Bad CSRF token: reload the page."


def same_secret(given: str, expected: str) -> bool:
    # Compared as bytes: compare_digest refuses non-ASCII str, and passwords may be Vietnamese.
    return secrets.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def session_secret(settings: Settings) -> str:
    """The key that signs session cookies: set, or derived from the admin password, so every
    worker shares it and changing the password ends every session."""
    if settings.session_secret:
        return settings.session_secret
    if settings.admin_password:
        key = f"{settings.admin_username}\0{settings.admin_password}".encode()
        return hmac.new(key, b"motcua admin session", hashlib.sha256).hexdigest()
    return secrets.token_hex(32)  # admin is off: no session will ever be made


def same_origin(request: Request) -> bool:
    """False when the request says it comes from another site (`Origin`, else `Referer`)."""
    origin = request.headers.get("origin") or request.headers.get("referer")
    if origin is None:
        return True  # no header at all: not a browser's cross-site form
    if origin == "null":
        return False  # a sandboxed or opaque origin
    own = f"{request.url.scheme}://{request.url.netloc}"
    return origin == own or origin.startswith(own + "/")


def csrf_ok(request: Request, token: str) -> bool:
    """Whether a change comes from this site with this session's CSRF token."""
    expected = request.session.get(SESSION_CSRF)
    return (
        same_origin(request)
        and isinstance(expected, str)
        and bool(token)
        and same_secret(token, expected)
    )


def _wants_page(request: Request) -> bool:
    return request.method == "GET" and "text/html" in request.headers.get("accept", "")


def login_url(next_path: str) -> str:
    return f"{LOGIN_PATH}?next={quote(next_path, safe='/')}"


def session_user(request: Request, settings: Settings) -> str | None:
    """The admin logged in on this request's session, if any."""
    if "session" not in request.scope or not settings.admin_password:
        return None
    user = request.session.get(SESSION_USER)
    return user if isinstance(user, str) and same_secret(user, settings.admin_username) else None


def require_admin(request: Request, api_key: Annotated[str | None, Depends(_api_key)]) -> str:
    """Who is acting: "api-key" or the logged-in user name. 403 when admin is off or a
    browser's request fails the CSRF checks; a page asked for without a login is sent to the
    login page, anything else is a 401."""
    settings: Settings = request.app.state.settings
    if not settings.admin_api_key and not settings.admin_password:
        raise HTTPException(status_code=403, detail=ADMIN_OFF)
    if settings.admin_api_key and api_key and same_secret(api_key, settings.admin_api_key):
        return "api-key"
    user = session_user(request, settings)
    if user is not None:
        if request.method in _UNSAFE and not csrf_ok(request, request.headers.get(CSRF_HEADER, "")):
            detail = BAD_CSRF if same_origin(request) else FORBIDDEN_ORIGIN
            raise HTTPException(status_code=403, detail=detail)
        return user
    if _wants_page(request) and settings.admin_password:
        path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise HTTPException(status_code=303, headers={"Location": login_url(path)})
    raise HTTPException(status_code=401, detail=UNAUTHORIZED)


AdminUser = Annotated[str, Depends(require_admin)]
