"""`motcua telegram`: the bot by long polling for local use, and registering its webhook."""

from __future__ import annotations

import asyncio
import logging
import re
from pathlib import Path

from telegram import Bot

from motcua.bot.answering.pipeline import AnswerFn
from motcua.log_redaction import install_log_redaction
from motcua.settings import Settings

from .state import open_state
from .telegram import ALLOWED_UPDATES, WEBHOOK_PATH, ChoiceFn, build_application

log = logging.getLogger(__name__)

_SECRET_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


def _secrets(settings: Settings) -> list[str | None]:
    return [settings.telegram_bot_token, settings.telegram_webhook_secret]


def run_polling(
    settings: Settings,
    answer_fn: AnswerFn,
    data_dir: Path | None = None,
    choice_fn: ChoiceFn | None = None,
) -> None:
    """`motcua telegram --polling`: local use without a public URL. Blocks until Ctrl-C.

    Telegram refuses getUpdates while a webhook is set; PTB deletes the webhook first, so run
    `--set-webhook` again before going back to webhook mode.
    """
    install_log_redaction(_secrets(settings))
    if data_dir is not None:
        settings = settings.model_copy(update={"data_dir": data_dir})
    state = open_state(settings)
    app = build_application(settings, answer_fn, state, webhook=False, choice_fn=choice_fn)
    log.info("telegram polling started")
    app.run_polling(allowed_updates=ALLOWED_UPDATES)


def webhook_url(url: str) -> str:
    """Accept the public base URL or the full webhook URL."""
    url = url.rstrip("/")
    return url if url.endswith(WEBHOOK_PATH) else url + WEBHOOK_PATH


async def set_webhook_async(
    settings: Settings, url: str, drop_pending_updates: bool = False
) -> str:
    if not settings.telegram_bot_token:
        raise ValueError("MOTCUA_TELEGRAM_BOT_TOKEN is not set")
    secret = settings.telegram_webhook_secret
    if not secret or not _SECRET_TOKEN.match(secret):
        raise ValueError(
            "MOTCUA_TELEGRAM_WEBHOOK_SECRET must be 1-256 characters of A-Z a-z 0-9 _ -"
        )
    full = webhook_url(url)
    if not full.startswith("https://"):
        raise ValueError("Telegram only calls https:// webhook URLs")
    bot = Bot(settings.telegram_bot_token, base_url=settings.telegram_api_base_url)
    async with bot:
        await bot.set_webhook(
            full,
            secret_token=secret,
            allowed_updates=ALLOWED_UPDATES,
            drop_pending_updates=drop_pending_updates,
        )
    return full


def set_webhook(settings: Settings, url: str, drop_pending_updates: bool = False) -> str:
    """`motcua telegram --set-webhook URL`: register the webhook with its secret token.

    Returns the URL registered (`/webhook/telegram` is appended to a bare base URL)."""
    install_log_redaction(_secrets(settings))
    return asyncio.run(set_webhook_async(settings, url, drop_pending_updates))
