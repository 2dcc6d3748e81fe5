"""/console/admin/login and /logout: the staff's session login (see `bot.auth`).

A failed login says only that the name or password is wrong; attempts are counted per client
address and per user name, and more than `admin_login_attempts_per_minute` is a 429.
"""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse

from motcua.bot.web.auth import (
    BAD_CSRF,
    FORBIDDEN_ORIGIN,
    LOGIN_PATH,
    SESSION_CSRF,
    SESSION_USER,
    csrf_ok,
    same_origin,
    same_secret,
)
from motcua.bot.web.console import admin_views
from motcua.bot.web.routes.console import templates
from motcua.settings import Settings

router = APIRouter(tags=["console"], include_in_schema=False)

WRONG = "Tên đăng nhập hoặc mật khẩu không đúng."
TOO_MANY = "Đăng nhập sai quá nhiều lần, hãy thử lại sau một phút."
OFF = "Chức năng quản trị đang tắt (chưa đặt MOTCUA_ADMIN_PASSWORD)."


def _next(target: str | None) -> str:
    """Where to go after the login: an admin page of this site, never another site."""
    home = f"{admin_views.PREFIX}/documents"
    if not target or not target.startswith(admin_views.PREFIX + "/") or target.startswith("//"):
        return home
    return target


def _form(request: Request, status: int, error: str = "", next_: str = "", username: str = ""):
    context = {"action": LOGIN_PATH, "error": error, "next": _next(next_), "username": username}
    return templates.TemplateResponse(request, "admin_login.html", context, status_code=status)


@router.get(LOGIN_PATH, response_class=HTMLResponse)
def login_form(request: Request, next: str | None = None) -> HTMLResponse:  # noqa: A002
    settings: Settings = request.app.state.settings
    if not settings.admin_password:
        return _form(request, 403, OFF)
    return _form(request, 200, next_=next or "")


@router.post(LOGIN_PATH, response_class=HTMLResponse)
async def login(
    request: Request,
    username: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=1000)],
    next: Annotated[str, Form(max_length=2000)] = "",  # noqa: A002
):
    settings: Settings = request.app.state.settings
    if not same_origin(request):
        raise HTTPException(status_code=403, detail=FORBIDDEN_ORIGIN)
    if not settings.admin_password:
        return _form(request, 403, OFF)
    limiter = request.app.state.login_limiter
    client = request.client.host if request.client else "unknown"
    allowed = [
        await run_in_threadpool(limiter.allow, key)
        for key in (f"ip:{client}", f"user:{username.casefold()}")
    ]
    if not all(allowed):
        return _form(request, 429, TOO_MANY, next, username)
    user_ok = same_secret(username, settings.admin_username)
    password_ok = same_secret(password, settings.admin_password)
    if not (user_ok and password_ok):
        return _form(request, 401, WRONG, next, username)
    # A new session on every login: a cookie planted before it (session fixation) is dropped.
    request.session.clear()
    request.session[SESSION_USER] = settings.admin_username
    request.session[SESSION_CSRF] = secrets.token_urlsafe(32)
    return RedirectResponse(_next(next), status_code=303)


@router.post(f"{admin_views.PREFIX}/logout")
async def logout(request: Request, csrf: Annotated[str, Form(max_length=200)] = ""):
    if not csrf_ok(request, csrf):
        raise HTTPException(status_code=403, detail=BAD_CSRF)
    request.session.clear()
    return RedirectResponse(LOGIN_PATH, status_code=303)
