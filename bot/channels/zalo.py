"""Zalo Official Account channel: `POST /webhook/zalo` in, OA customer-service messages out.

Zalo signs each event: header `X-ZEvent-Signature: mac=<hex>`, where hex is the SHA-256 of
`app_id + raw body + timestamp + OA secret key` (the timestamp is the one inside the body).
Replies go through `POST /v3.0/oa/message/cs` with an `access_token` header. Access tokens
expire; the refresh token is single-use, so each new pair is persisted before it is used.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from fastapi import APIRouter, BackgroundTasks, Request
from fastapi.responses import JSONResponse

from motcua.bot.answering.pipeline import AnswerFn
from motcua.log_redaction import user_ref
from motcua.settings import Settings

from .render import render_zalo
from .state import ChannelState, ZaloTokens
from .turn import ChannelTurn

log = logging.getLogger(__name__)


WEBHOOK_PATH = "/webhook/zalo"
SIGNATURE_HEADER = "X-ZEvent-Signature"
TIMESTAMP_HEADER = "X-ZEvent-Timestamp"  # not documented, sent by some deployments
CS_MESSAGE_PATH = "/v3.0/oa/message/cs"
TOKEN_PATH = "/v4/oa/access_token"
# -216: access token invalid, -124: access token expired.
TOKEN_ERRORS = frozenset({-216, -124})
# Zalo retries an unacknowledged event for hours; remember message ids for two days.
DEDUP_TTL = 2 * 24 * 3600
_REFRESH_MARGIN = 120  # seconds before expiry at which a token counts as expired


def zalo_enabled(settings: Settings) -> bool:
    return bool(
        settings.zalo_app_id
        and settings.zalo_oa_secret_key
        and (settings.zalo_access_token or settings.zalo_refresh_token)
    )


def app_secret_key(settings: Settings) -> str | None:
    """The *app* secret key authenticates token refreshes; the OA secret key signs webhooks.

    Deployments that configured only the OA key keep working with it.
    """
    return settings.zalo_app_secret_key or settings.zalo_oa_secret_key


def signature_for(app_id: str, raw_body: bytes, timestamp: str, oa_secret_key: str) -> str:
    """The value Zalo puts in X-ZEvent-Signature (without the `mac=` prefix)."""
    material = app_id.encode() + raw_body + timestamp.encode() + oa_secret_key.encode()
    return hashlib.sha256(material).hexdigest()


def verify_signature(
    header: str, raw_body: bytes, timestamps: list[str], app_id: str, oa_secret_key: str
) -> bool:
    given = header.strip()
    if given[:4].lower() == "mac=":
        given = given[4:].strip()
    given = given.lower()
    ok = False
    for ts in dict.fromkeys(t for t in timestamps if t):
        expected = signature_for(app_id, raw_body, ts, oa_secret_key)
        # Check every candidate so timing does not tell which one matched.
        ok |= hmac.compare_digest(given.encode(), expected.encode())
    return ok


def _seed_marker(access: str | None, refresh: str | None) -> str:
    # Which settings pair a stored pair descends from, without storing the settings twice.
    return hashlib.sha256(f"{access or ''}\n{refresh or ''}".encode()).hexdigest()[:32]


REFRESH_TIMEOUT = httpx.Timeout(15.0, connect=5.0)
MAX_EVENT_AGE_SECONDS = 300  # Zalo delivers within seconds; a replay comes later


def _fresh(timestamp: object, now: float | None = None) -> bool:
    """Whether an event's timestamp (milliseconds) is within a few minutes of now."""
    try:
        at = int(str(timestamp)) / 1000
    except ValueError:
        return False
    return abs((now if now is not None else time.time()) - at) <= MAX_EVENT_AGE_SECONDS


class ZaloChannel:
    def __init__(
        self,
        settings: Settings,
        answer_fn: AnswerFn,
        state: ChannelState,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        if not zalo_enabled(settings):
            raise ValueError("Zalo needs MOTCUA_ZALO_APP_ID, _OA_SECRET_KEY and a token")
        self.settings = settings
        self.state = state
        self.turn = ChannelTurn("zalo", settings, state, answer_fn)
        self._client = client
        self._own_client = client is None
        self._refresh_lock = asyncio.Lock()
        self._unsaved: ZaloTokens | None = None
        self.router = APIRouter(lifespan=self.lifespan)
        self.router.add_api_route(WEBHOOK_PATH, self.webhook, methods=["POST"])
        # Zalo's console checks that the URL answers before saving it.
        self.router.add_api_route(WEBHOOK_PATH, self.probe, methods=["GET"])

    # --- lifecycle ----------------------------------------------------------------------------

    @asynccontextmanager
    async def lifespan(self, _app: Any = None) -> AsyncIterator[None]:
        try:
            yield
        finally:
            await self.aclose()

    async def aclose(self) -> None:
        if self._own_client and self._client is not None:
            await self._client.aclose()
            self._client = None

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=httpx.Timeout(15.0, connect=5.0))
        return self._client

    # --- webhook ------------------------------------------------------------------------------

    async def probe(self) -> JSONResponse:
        return JSONResponse({"ok": True})

    async def webhook(self, request: Request, background: BackgroundTasks) -> JSONResponse:
        header = request.headers.get(SIGNATURE_HEADER)
        if not header:  # refused before the body is read
            return JSONResponse({"detail": "missing signature"}, status_code=401)
        raw = await request.body()  # bounded by the app's body limit
        try:
            # Large numeric ids lose nothing as strings, and the timestamp stays byte-exact.
            event = json.loads(raw, parse_int=str)
        except (ValueError, RecursionError):  # RecursionError: JSON nested thousands deep
            event = None
        if not isinstance(event, dict):
            return JSONResponse({"detail": "body is not a JSON object"}, status_code=400)
        timestamps = [str(event.get("timestamp") or ""), request.headers.get(TIMESTAMP_HEADER, "")]
        if not verify_signature(
            header,
            raw,
            timestamps,
            str(self.settings.zalo_app_id),
            str(self.settings.zalo_oa_secret_key),
        ):
            log.warning("zalo webhook call with a bad signature refused")
            return JSONResponse({"detail": "bad signature"}, status_code=403)
        if not _fresh(event.get("timestamp") or request.headers.get(TIMESTAMP_HEADER)):
            # A signed event replayed later (past the de-duplication window) is not answered.
            log.warning("zalo webhook event with a stale timestamp refused")
            return JSONResponse({"detail": "stale event"}, status_code=403)

        name = event.get("event_name")
        if name != "user_send_text":
            return JSONResponse({"ok": True, "ignored": name})
        sender = event.get("sender") or {}
        message = event.get("message") or {}
        user_id = str(sender.get("id") or "")
        text = str(message.get("text") or "")
        msg_id = str(message.get("msg_id") or "")
        if not user_id or not text.strip():
            return JSONResponse({"ok": True, "ignored": name})
        # Without a msg_id, the signed timestamp still identifies a redelivery.
        key = f"zalo:msg:{msg_id or user_id + ':' + str(event.get('timestamp'))}"
        if not await asyncio.to_thread(self.state.dedup.first_time, key, DEDUP_TTL):
            log.info("duplicate zalo event ignored")
            return JSONResponse({"ok": True, "duplicate": True})
        # Runs after the response is sent: Zalo wants its 200 within about two seconds.
        background.add_task(self.handle_text, user_id, text)
        return JSONResponse({"ok": True})

    # --- answering ----------------------------------------------------------------------------

    async def handle_text(self, user_id: str, text: str) -> None:
        try:
            await self._handle_text(user_id, text)
        except Exception:
            log.exception("zalo message handling failed")

    async def _handle_text(self, user_id: str, text: str) -> None:
        user_key = f"zalo:{user_id}"
        result = await self.turn.take(user_key, user_key, text)
        if result is None:
            return
        if result.answer is None:
            if result.notice:
                await self.send_text(user_id, result.notice)
            return
        for part in render_zalo(result.answer):
            if not await self.send_text(user_id, part):
                break  # the rest would fail the same way (quota, 48-hour window)

    # --- OA API -------------------------------------------------------------------------------

    async def send_text(self, user_id: str, text: str) -> bool:
        """Send one customer-service text message; refresh the token once if it is stale."""
        tokens = await self._tokens()
        if tokens is None:
            return False
        result = await self._post_cs(tokens.access_token, user_id, text)
        if result is not None and result.get("error") in TOKEN_ERRORS:
            log.info("zalo access token rejected (%s); refreshing", result.get("error"))
            tokens = await self.refresh(stale_access_token=tokens.access_token)
            if tokens is None:
                return False
            result = await self._post_cs(tokens.access_token, user_id, text)
        if result is None:
            return False
        if result.get("error") != 0:
            log.warning(
                "zalo message to %s refused: error=%s %s",
                user_ref(f"zalo:{user_id}"),
                result.get("error"),
                result.get("message"),
            )
            return False
        return True

    async def _post_cs(self, access_token: str, user_id: str, text: str) -> dict[str, Any] | None:
        url = self.settings.zalo_api_base_url.rstrip("/") + CS_MESSAGE_PATH
        body = {"recipient": {"user_id": user_id}, "message": {"text": text}}
        try:
            resp = await self._http().post(url, json=body, headers={"access_token": access_token})
            data = resp.json()
        except (httpx.HTTPError, ValueError) as exc:
            log.warning("zalo message API call failed: %s", type(exc).__name__)
            return None
        if not isinstance(data, dict):
            return None
        try:
            data["error"] = int(data.get("error", -1))
        except (TypeError, ValueError):
            data["error"] = -1
        return data

    async def _tokens(self) -> ZaloTokens | None:
        """The current pair: the persisted one, unless settings now carry a different pair
        (the operator re-authorised the app), which then replaces it."""
        if self._unsaved is not None:
            try:
                await asyncio.to_thread(self.state.tokens.save, self._unsaved)
                self._unsaved = None
            except Exception:
                log.exception("zalo token pair still not persisted")
                return self._unsaved
        s = self.settings
        marker = _seed_marker(s.zalo_access_token, s.zalo_refresh_token)
        stored = await asyncio.to_thread(self.state.tokens.load)
        if stored is None or stored.seed != marker:
            stored = ZaloTokens(
                access_token=s.zalo_access_token or "",
                refresh_token=s.zalo_refresh_token or "",
                expires_at=None,
                seed=marker,
            )
            await asyncio.to_thread(self.state.tokens.save, stored)
        if not stored.access_token or (
            stored.expires_at is not None and time.time() > stored.expires_at - _REFRESH_MARGIN
        ):
            return await self.refresh(stale_access_token=stored.access_token)
        return stored

    async def refresh(self, stale_access_token: str) -> ZaloTokens | None:
        """Trade the refresh token for a new pair, persist it, then return it.

        Several messages can fail with the same stale token at once, in this process or in
        other replicas: the in-process lock, then the store's lock across processes, and the
        re-read under it make only the first one refresh; the others pick up its result.
        """
        async with self._refresh_lock:
            return await asyncio.to_thread(self._refresh_locked, stale_access_token)

    def _refresh_locked(self, stale_access_token: str) -> ZaloTokens | None:
        with self.state.tokens.locked():
            current = self._unsaved or self.state.tokens.load()
            if current is not None and current.access_token != stale_access_token:
                return current  # another message or replica refreshed meanwhile
            if current is None or not current.refresh_token:
                log.error("zalo access token expired and no refresh token is available")
                return None
            url = self.settings.zalo_oauth_base_url.rstrip("/") + TOKEN_PATH
            form = {
                "refresh_token": current.refresh_token,
                "app_id": str(self.settings.zalo_app_id),
                "grant_type": "refresh_token",
            }
            try:
                resp = httpx.post(
                    url,
                    data=form,
                    headers={"secret_key": app_secret_key(self.settings) or ""},
                    timeout=REFRESH_TIMEOUT,
                )
                data = resp.json()
            except (httpx.HTTPError, ValueError) as exc:
                log.error("zalo token refresh call failed: %s", type(exc).__name__)
                return None
            if not isinstance(data, dict) or not data.get("access_token"):
                detail = ""
                if isinstance(data, dict):
                    detail = data.get("error_name") or data.get("error") or ""
                log.error("zalo token refresh refused: %s", detail)
                return None
            try:
                expires_in = float(data.get("expires_in") or 0)
            except (TypeError, ValueError):
                expires_in = 0.0
            new = ZaloTokens(
                access_token=str(data["access_token"]),
                refresh_token=str(data.get("refresh_token") or current.refresh_token),
                expires_at=time.time() + expires_in if expires_in > 0 else None,
                seed=current.seed,
            )
            try:
                self.state.tokens.save(new)
            except Exception:
                # The old refresh token is spent: keep the new pair in memory and keep trying
                # to persist it, rather than dropping the only working credentials.
                log.critical("zalo token pair refreshed but NOT persisted; retrying on next use")
                self._unsaved = new
            log.info("zalo access token refreshed")
            return new
