"""Admin authentication: an API key (X-API-Key) for scripts, HTTP Basic for people.

Admin is off until a secret is configured, so a fresh install never exposes it by accident.
"""

from __future__ import annotations

import binascii
import secrets
from base64 import b64decode
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import APIKeyHeader, HTTPBasic, HTTPBasicCredentials
from fastapi.security.utils import get_authorization_scheme_param

from motcua.settings import Settings


class _Basic(HTTPBasic):
    """HTTP Basic read as UTF-8 (browsers send Vietnamese passwords so when the challenge says
    charset="UTF-8"; FastAPI's own reads ASCII only), a malformed header counting as none."""

    async def __call__(self, request: Request) -> HTTPBasicCredentials | None:  # type: ignore[override]
        scheme, param = get_authorization_scheme_param(request.headers.get("Authorization"))
        if scheme.lower() != "basic":
            return None
        try:
            data = b64decode(param, validate=True).decode("utf-8")
        except (ValueError, binascii.Error):  # UnicodeDecodeError is a ValueError
            return None
        username, separator, password = data.partition(":")
        return HTTPBasicCredentials(username=username, password=password) if separator else None


# auto_error=False: a missing header is our 401 (bilingual, with a Basic challenge), not theirs.
_api_key = APIKeyHeader(name="X-API-Key", auto_error=False)
_basic = _Basic(auto_error=False, realm="motcua admin")

ADMIN_OFF = (
    "Chức năng quản trị đang tắt: hãy đặt MOTCUA_ADMIN_API_KEY, hoặc MOTCUA_ADMIN_PASSWORD "
    "(và MOTCUA_ADMIN_USERNAME, mặc định 'admin'). / Admin is off: set MOTCUA_ADMIN_API_KEY, "
    "or MOTCUA_ADMIN_PASSWORD (and MOTCUA_ADMIN_USERNAME, default 'admin')."
)
UNAUTHORIZED = (
    "Cần đăng nhập quản trị (mật khẩu hoặc khoá API ở header X-API-Key). / "
    "Admin login required (password, or an API key in the X-API-Key header)."
)


def _same(given: str, expected: str) -> bool:
    # Compared as bytes: compare_digest refuses non-ASCII str, and passwords may be Vietnamese.
    return secrets.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def require_admin(
    request: Request,
    api_key: Annotated[str | None, Depends(_api_key)],
    basic: Annotated[HTTPBasicCredentials | None, Depends(_basic)],
) -> str:
    """Who is acting: "api-key" or the Basic user name. 403 when admin is off, else 401."""
    settings: Settings = request.app.state.settings
    if not settings.admin_api_key and not settings.admin_password:
        raise HTTPException(status_code=403, detail=ADMIN_OFF)
    if settings.admin_api_key and api_key and _same(api_key, settings.admin_api_key):
        return "api-key"
    if settings.admin_password and basic is not None:
        user_ok = _same(basic.username, settings.admin_username)
        password_ok = _same(basic.password, settings.admin_password)
        if user_ok and password_ok:
            return basic.username
    raise HTTPException(
        status_code=401,
        detail=UNAUTHORIZED,
        headers={"WWW-Authenticate": 'Basic realm="motcua admin", charset="UTF-8"'},
    )


AdminUser = Annotated[str, Depends(require_admin)]
