"""Messaging channels (Telegram, Zalo OA) in front of the question pipeline.

A channel turns a platform update into a `Question` for `answer_fn` (the pipeline's `ask`)
and renders the `Answer` back in that platform's format. A channel whose credentials are not
set is off: its router is not mounted, so its webhook path answers 404.
"""

from __future__ import annotations

import logging

from fastapi import APIRouter

from motcua.bot.answering.pipeline import AnswerFn
from motcua.log_redaction import install_log_redaction
from motcua.settings import Settings

from .state import DEFAULT_DATA_DIR, ChannelState, open_state
from .telegram import ChoiceFn, TelegramChannel, telegram_enabled
from .zalo import ZaloChannel, zalo_enabled

__all__ = [
    "DEFAULT_DATA_DIR",
    "AnswerFn",
    "ChannelState",
    "ChoiceFn",
    "channel_routers",
    "enabled_channels",
    "open_state",
]

log = logging.getLogger(__name__)


def _secrets(settings: Settings) -> list[str | None]:
    return [
        settings.telegram_bot_token,
        settings.telegram_webhook_secret,
        settings.zalo_oa_secret_key,
        settings.zalo_access_token,
        settings.zalo_refresh_token,
        getattr(settings, "zalo_app_secret_key", None),
    ]


def enabled_channels(settings: Settings) -> list[str]:
    """Names of the channels whose credentials are set, for the `motcua serve` log line."""
    names = []
    if telegram_enabled(settings):
        names.append("telegram")
    if zalo_enabled(settings):
        names.append("zalo")
    return names


def channel_routers(
    settings: Settings,
    answer_fn: AnswerFn,
    state: ChannelState,
    choice_fn: ChoiceFn | None = None,
) -> list[APIRouter]:
    """Routers of the enabled channels, each carrying its own lifespan (FastAPI merges router
    lifespans on `include_router`, so the Telegram Application starts and stops with the app).

    `choice_fn` resolves a Telegram suggestion button (Zalo's typed "2" needs nothing: the
    dialogue behind `answer_fn` reads it). Also installs log redaction for every secret.
    """
    install_log_redaction(_secrets(settings))
    if settings.telegram_bot_token and not settings.telegram_webhook_secret:
        log.warning(
            "telegram is off: MOTCUA_TELEGRAM_WEBHOOK_SECRET is required for the webhook "
            "(polling mode needs only the token)"
        )
    routers: list[APIRouter] = []
    if telegram_enabled(settings):
        routers.append(TelegramChannel(settings, answer_fn, state, choice_fn).router)
    if zalo_enabled(settings):
        routers.append(ZaloChannel(settings, answer_fn, state).router)
    return routers
