"""Telegram channel: python-telegram-bot v22 behind `POST /webhook/telegram`, or long polling
(started by `telegram_cli`).

The `Application` is built without an Updater; the FastAPI route checks the secret token,
de-duplicates `update_id`, answers 200 at once and feeds the update to `process_update` in a
background task, so a slow answer never makes Telegram redeliver.

A clarify answer carries one button per suggestion. Callback data holds at most 64 bytes and
comes back from the user's client, so it names the list and the number only (`sg:<key>:<n>`);
the question itself is looked up in this chat's own conversation.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import html
import logging
import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, BackgroundTasks, Request
from fastapi.responses import JSONResponse
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Update,
)
from telegram.constants import CallbackQueryLimit, ChatAction, ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from motcua.bot.answering.choices import offered, suggestions_key
from motcua.bot.answering.pipeline import AnswerFn
from motcua.bot.answering.templates import render
from motcua.settings import Settings
from motcua.text import clip
from motcua.types import Answer, Suggestion

from .render import escape_html, render_telegram
from .state import ChannelState
from .turn import ChannelTurn, TurnResult

log = logging.getLogger(__name__)

# (conversation id, number from 1, key of the list) -> the chosen suggestion, or None when the
# key is unknown, stale or another conversation's.
ChoiceFn = Callable[[str, int, str], Suggestion | None]

WEBHOOK_PATH = "/webhook/telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
ALLOWED_UPDATES = ["message", "callback_query"]
# Telegram keeps an undelivered update for 24 hours; remember ids a little longer.
DEDUP_TTL = 2 * 24 * 3600
_FEEDBACK_DATA = re.compile(r"^fb:([0-9a-f]{16}):(up|down)$")
_CHOICE_DATA = re.compile(r"^sg:([0-9a-f]{10}):([1-9])$")
_BUTTON_CHARS = 60  # longer labels are cut so the keyboard stays readable on a phone
_TOAST_CHARS = int(CallbackQueryLimit.ANSWER_CALLBACK_QUERY_TEXT_LENGTH)  # 200
_TYPING_EVERY = 4.5  # a chat action shows for about five seconds

START_TEXT = render("telegram_start.txt")
NON_TEXT_REPLY = render("channel_non_text.txt")
FEEDBACK_THANKS = render("channel_feedback_thanks.txt")
FEEDBACK_STALE = render("channel_feedback_stale.txt")
CHOICE_STALE = render("channel_choice_stale.txt")


def telegram_enabled(settings: Settings) -> bool:
    """The webhook is only safe with a secret, so both must be set for the channel to be on."""
    return bool(settings.telegram_bot_token and settings.telegram_webhook_secret)


def _strip_html(text: str) -> str:
    return html.unescape(re.sub(r"</?[a-z]+>", "", text))


class _Handlers:
    """The bot's behaviour, independent of how updates arrive (webhook or polling)."""

    def __init__(
        self,
        settings: Settings,
        answer_fn: AnswerFn,
        state: ChannelState,
        choice_fn: ChoiceFn | None = None,
    ) -> None:
        self.settings = settings
        self.state = state
        self.choice_fn = choice_fn
        self.turn = ChannelTurn("telegram", settings, state, answer_fn)

    def register(self, app: Application) -> None:
        only_messages = filters.UpdateType.MESSAGE  # edits are not re-answered
        app.add_handler(CommandHandler(["start"], self.start, filters=only_messages))
        app.add_handler(CommandHandler(["help"], self.help, filters=only_messages))
        app.add_handler(MessageHandler(only_messages & filters.COMMAND, self.help))
        app.add_handler(MessageHandler(only_messages & filters.TEXT, self.text))
        app.add_handler(
            MessageHandler(only_messages & (filters.ATTACHMENT | filters.STORY), self.non_text)
        )
        app.add_handler(CallbackQueryHandler(self.feedback, pattern=r"^fb:"))
        app.add_handler(CallbackQueryHandler(self.choose, pattern=r"^sg:"))
        # Anything else (an old client, forged data): stop the spinner, say what to do.
        app.add_handler(CallbackQueryHandler(self.stale_choice))
        app.add_error_handler(self.error)

    async def _send(
        self, bot: Bot, chat_id: int, html_text: str, markup: InlineKeyboardMarkup | None = None
    ) -> None:
        try:
            await bot.send_message(
                chat_id,
                html_text,
                parse_mode=ParseMode.HTML,
                reply_markup=markup,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        except BadRequest as exc:
            if "parse" not in str(exc).lower():
                raise
            # Escaping should make this unreachable; if Telegram still refuses the markup,
            # the user gets the words without formatting rather than nothing.
            log.warning("telegram refused HTML, resending as plain text: %s", exc)
            await bot.send_message(chat_id, _strip_html(html_text), reply_markup=markup)

    async def _notice(self, bot: Bot, chat_id: int, notice: str | None) -> None:
        if notice:
            await self._send(bot, chat_id, escape_html(notice))

    @staticmethod
    def _user_key(update: Update) -> str:
        user = update.effective_user
        chat = update.effective_chat
        return f"telegram:{user.id if user else chat.id if chat else 0}"

    async def start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.effective_chat:
            await self._send(context.bot, update.effective_chat.id, START_TEXT)

    async def help(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.effective_chat:
            text = render(
                "telegram_help.txt",
                hotline=escape_html(self.settings.hotline),
                portal=escape_html(self.settings.portal_url),
            )
            await self._send(context.bot, update.effective_chat.id, text)

    async def non_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat = update.effective_chat
        if chat is None:
            return
        allowed, notice = await self.turn.admit(self._user_key(update))
        await self._notice(context.bot, chat.id, NON_TEXT_REPLY if allowed else notice)

    @contextlib.asynccontextmanager
    async def _typing(self, bot: Bot, chat_id: int) -> AsyncIterator[None]:
        async def typing() -> None:
            with contextlib.suppress(TelegramError):
                await bot.send_chat_action(chat_id, ChatAction.TYPING)

        async def keep_typing() -> None:
            while True:
                await asyncio.sleep(_TYPING_EVERY)
                await typing()

        # The first indicator is awaited so the user sees it before the (slow) answer starts.
        await typing()
        task = asyncio.create_task(keep_typing())
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message, chat = update.effective_message, update.effective_chat
        if message is None or chat is None or not message.text:
            return
        user_key = self._user_key(update)
        allowed, notice = await self.turn.admit(user_key)
        if not allowed:
            await self._notice(context.bot, chat.id, notice)
            return
        await self._answer(context.bot, chat.id, user_key, message.text)

    async def _answer(self, bot: Bot, chat_id: int, user_key: str, question: str) -> None:
        """Answer `question` in the chat: one path for a typed message and a chosen suggestion
        (the shared channel turn, then Telegram's format and rating buttons)."""
        conversation = f"telegram:{chat_id}"
        result = await self.turn.answer(
            user_key, conversation, question, waiting=self._typing(bot, chat_id)
        )
        await self._send_result(bot, chat_id, result)

    async def _send_result(self, bot: Bot, chat_id: int, result: TurnResult) -> None:
        if result.answer is None:
            await self._notice(bot, chat_id, result.notice)
            return
        parts = render_telegram(result.answer)
        markup = _keyboard(result.answer, result.answer_id)
        for i, part in enumerate(parts):
            # Buttons under the last part only: that is where the reader finishes.
            await self._send(bot, chat_id, part, markup if i == len(parts) - 1 else None)

    async def choose(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A suggestion's button: answer its question in this chat, as if it had been typed."""
        query, chat = update.callback_query, update.effective_chat
        if query is None:
            return
        match = _CHOICE_DATA.match(query.data or "")
        if match is None or chat is None or self.choice_fn is None:
            await self.stale_choice(update, context)
            return
        user_key = self._user_key(update)
        allowed, notice = await self.turn.admit(user_key)
        if not allowed:
            await query.answer()
            await self._notice(context.bot, chat.id, notice)
            return
        key, number = match.group(1), int(match.group(2))
        # Looked up in this chat's conversation only: a key from another chat finds nothing.
        suggestion = await asyncio.to_thread(self.choice_fn, f"telegram:{chat.id}", number, key)
        if suggestion is None:
            await self.stale_choice(update, context)
            return
        await query.answer(clip(render("channel_chosen.txt", label=suggestion.label), _TOAST_CHARS))
        await self._answer(context.bot, chat.id, user_key, suggestion.question)

    async def stale_choice(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query, chat = update.callback_query, update.effective_chat
        if query is None:
            return
        await query.answer(CHOICE_STALE)
        if chat is not None:  # the notice above fades; this one stays in the chat
            await self._send(context.bot, chat.id, CHOICE_STALE)

    async def feedback(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None:
            return
        match = _FEEDBACK_DATA.match(query.data or "")
        if match is None:
            await query.answer()
            return
        stored = await asyncio.to_thread(
            self.state.feedback.record,
            match.group(1),
            match.group(2),
            f"telegram:{query.from_user.id}",
        )
        await query.answer(FEEDBACK_THANKS if stored else FEEDBACK_STALE)
        if stored:
            with contextlib.suppress(TelegramError):
                await query.edit_message_reply_markup(reply_markup=None)

    async def error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        # PTB's default handler would do the same; ours goes through the redacting filter.
        log.error("telegram handler failed", exc_info=context.error)


def _keyboard(answer: Answer, answer_id: str) -> InlineKeyboardMarkup:
    """One button per suggestion for a clarify answer, else 👍/👎 for the answer."""
    suggestions = offered(answer)
    if suggestions:
        key = suggestions_key(suggestions)
        return InlineKeyboardMarkup(
            [
                # Button text is plain text (no parse mode): cut, never escaped.
                [
                    InlineKeyboardButton(
                        clip(f"{i}. {s.label}", _BUTTON_CHARS), callback_data=f"sg:{key}:{i}"
                    )
                ]
                for i, s in enumerate(suggestions, 1)
            ]
        )
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("👍", callback_data=f"fb:{answer_id}:up"),
                InlineKeyboardButton("👎", callback_data=f"fb:{answer_id}:down"),
            ]
        ]
    )


def build_application(
    settings: Settings,
    answer_fn: AnswerFn,
    state: ChannelState,
    *,
    webhook: bool = True,
    choice_fn: ChoiceFn | None = None,
) -> Application:
    if not settings.telegram_bot_token:
        raise ValueError("MOTCUA_TELEGRAM_BOT_TOKEN is not set")
    builder: ApplicationBuilder = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token)
        .base_url(settings.telegram_api_base_url)
        .connect_timeout(10)
        .read_timeout(20)
        .write_timeout(20)
        .concurrent_updates(True)  # one slow answer must not hold up other users
    )
    if webhook:
        builder = builder.updater(None)
    app = builder.build()
    _Handlers(settings, answer_fn, state, choice_fn).register(app)
    return app


class TelegramChannel:
    """The webhook router plus the Application's lifecycle, tied to the FastAPI app's."""

    def __init__(
        self,
        settings: Settings,
        answer_fn: AnswerFn,
        state: ChannelState,
        choice_fn: ChoiceFn | None = None,
    ) -> None:
        if not telegram_enabled(settings):
            raise ValueError("Telegram needs MOTCUA_TELEGRAM_BOT_TOKEN and _WEBHOOK_SECRET")
        self.settings = settings
        self.state = state
        self.application = build_application(
            settings, answer_fn, state, webhook=True, choice_fn=choice_fn
        )
        self._secret = str(settings.telegram_webhook_secret).encode()
        self._start_lock = asyncio.Lock()
        self._tasks: set[asyncio.Task[None]] = set()
        self.router = APIRouter(lifespan=self.lifespan)
        self.router.add_api_route(WEBHOOK_PATH, self.webhook, methods=["POST"])

    async def startup(self) -> None:
        """Initialise and start the Application; a failure (Telegram unreachable) is logged
        and retried on the next webhook call rather than stopping the whole service."""
        async with self._start_lock:
            if self.application.running:
                return
            try:
                await self.application.initialize()
                await self.application.start()
            except TelegramError:
                log.exception("telegram channel could not start; will retry on next update")

    async def shutdown(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        if self.application.running:
            await self.application.stop()
        await self.application.shutdown()

    @asynccontextmanager
    async def lifespan(self, _app: Any = None) -> AsyncIterator[None]:
        await self.startup()
        try:
            yield
        finally:
            await self.shutdown()

    async def _process(self, update: Update) -> None:
        try:
            await self.application.process_update(update)
        except Exception:
            log.exception("telegram update processing failed")

    async def webhook(self, request: Request, background: BackgroundTasks) -> JSONResponse:
        token = request.headers.get(SECRET_HEADER)
        if token is None:
            return JSONResponse({"detail": "missing secret token"}, status_code=401)
        if not hmac.compare_digest(token.encode(), self._secret):
            log.warning("telegram webhook call with a wrong secret token refused")
            return JSONResponse({"detail": "wrong secret token"}, status_code=403)
        try:
            payload = await request.json()
        except (ValueError, RecursionError):  # RecursionError: JSON nested thousands deep
            return JSONResponse({"detail": "body is not JSON"}, status_code=400)
        if not isinstance(payload, dict) or not isinstance(payload.get("update_id"), int):
            return JSONResponse({"detail": "not a Telegram update"}, status_code=400)
        if not self.application.running:
            await self.startup()
            if not self.application.running:
                # Telegram redelivers on 5xx, which is what we want while it is unreachable.
                return JSONResponse({"detail": "channel not ready"}, status_code=503)
        key = f"telegram:update:{payload['update_id']}"
        if not await asyncio.to_thread(self.state.dedup.first_time, key, DEDUP_TTL):
            log.info("duplicate telegram update ignored")
            return JSONResponse({"ok": True, "duplicate": True})
        try:
            update = Update.de_json(payload, self.application.bot)
        except Exception:
            # Not retriable: a 4xx/5xx would only make Telegram send the same bytes again.
            log.exception("telegram update could not be parsed; dropped")
            return JSONResponse({"ok": True, "ignored": True})
        # Runs after the response is sent: Telegram gets its 200 before the answer is ready.
        background.add_task(self._process, update)
        return JSONResponse({"ok": True})
