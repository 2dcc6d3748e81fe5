"""Log redaction: no secret, bot token or citizen's number reaches a log line, whichever
logger wrote it (channels, httpx, uvicorn) and whichever handler prints it."""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable

from motcua.privacy import mask_pii
from motcua.text import clip

# Telegram bot tokens look like `123456789:AA...`; catch them even when nobody listed them.
_BOT_TOKEN = re.compile(r"\d{5,}(?::|%3A)[A-Za-z0-9_-]{30,}")


def user_ref(user_key: str) -> str:
    """A stable, non-reversible handle for a user in logs."""
    return hashlib.sha256(user_key.encode()).hexdigest()[:10]


def preview(text: str, size: int = 80) -> str:
    """A short masked excerpt of user text, safe for logs."""
    return mask_pii(clip(text, size))


class RedactingFilter(logging.Filter):
    """Rewrites a record so that no listed secret, bot token or citizen number survives."""

    def __init__(self, secrets: Iterable[str | None] = (), mask_personal: bool = True) -> None:
        super().__init__()
        self.secrets: set[str] = set()
        self.mask_personal = mask_personal
        self.add_secrets(secrets)

    def add_secrets(self, secrets: Iterable[str | None]) -> None:
        # Very short values would blank out ordinary words; real secrets are long.
        self.secrets.update(s for s in secrets if s and len(s) >= 6)

    def redact(self, text: str) -> str:
        for secret in sorted(self.secrets, key=len, reverse=True):
            text = text.replace(secret, "***")
        text = _BOT_TOKEN.sub("***", text)
        return mask_pii(text) if self.mask_personal else text

    def _clean(self, value: object) -> object:
        if value is None or isinstance(value, int | float):
            return value  # keeps `%d` working; numbers carry no secret
        if isinstance(value, str):
            return self.redact(value)
        try:
            text = str(value)  # e.g. httpx.URL, which holds the bot token in its path
        except Exception:
            return value
        cleaned = self.redact(text)
        return value if cleaned == text else cleaned

    def filter(self, record: logging.LogRecord) -> bool:
        # Clean the format string and each argument, keeping the argument structure: some
        # formatters (uvicorn's access log) unpack record.args themselves.
        if isinstance(record.msg, str):
            record.msg = self.redact(record.msg)
        else:
            record.msg = self._clean(record.msg)
        if isinstance(record.args, dict):
            record.args = {k: self._clean(v) for k, v in record.args.items()}
        elif isinstance(record.args, tuple):
            record.args = tuple(self._clean(a) for a in record.args)
        if record.exc_info and not record.exc_text:
            # Tracebacks quote URLs (with the bot token) and user input: redact them too.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


_GLOBAL_FILTER: RedactingFilter | None = None


def install_log_redaction(secrets: Iterable[str | None]) -> RedactingFilter:
    """Redact every log record at creation, whichever logger or handler sees it later.

    A filter on a logger misses its children (httpx, telegram.ext.*), and one on a handler
    misses handlers added later (uvicorn), so the record factory is the only safe place.
    Calling it again only adds secrets.
    """
    global _GLOBAL_FILTER
    if _GLOBAL_FILTER is None:
        flt = RedactingFilter()
        previous = logging.getLogRecordFactory()

        def factory(*args: object, **kwargs: object) -> logging.LogRecord:
            record = previous(*args, **kwargs)
            flt.filter(record)
            return record

        logging.setLogRecordFactory(factory)
        _GLOBAL_FILTER = flt
    _GLOBAL_FILTER.add_secrets(secrets)
    return _GLOBAL_FILTER
