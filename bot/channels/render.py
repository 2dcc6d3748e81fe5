"""Turning an `Answer` into platform messages, and keeping logs free of secrets and PII.

Both platforms cap a message (Telegram 4096, Zalo 2000 characters), so long answers are split at
the gentlest boundary that fits: paragraph, then line (list items), then sentence, then word.
An answer with a lead (the line that answers the asked aspect) sends it as its own first
message, the rest after it. Zalo has no buttons, so a clarify answer numbers its suggestions.
"""

from __future__ import annotations

import hashlib
import html
import logging
import re
import unicodedata
from collections.abc import Callable, Iterable

from motcua.bot.choices import offered
from motcua.privacy import mask_pii
from motcua.types import Answer, Citation

TELEGRAM_LIMIT = 4096
ZALO_LIMIT = 2000

Measure = Callable[[str], int]

# Titles and sections come from documents; cap them so one citation always fits a message.
_TITLE_MAX = 300
_SECTION_MAX = 200


def utf16_len(text: str) -> int:
    """Telegram counts message length in UTF-16 code units (an emoji counts twice)."""
    return len(text.encode("utf-16-le")) // 2


def escape_html(text: str) -> str:
    """Escape for Telegram's HTML parse mode: only `<`, `>` and `&` are special in text."""
    return html.escape(text, quote=False)


# --- splitting ------------------------------------------------------------------------------

_SENTENCE_BREAK = re.compile(r"(?<=[.!?…;])\s+")
# "1." or "II." or "a)" alone is a list marker, not a sentence: keep it with what follows.
_MARKER_ONLY = re.compile(r"^(?:\d{1,3}|[IVXLC]{1,6}|[a-zđ])[.)]$")


def _paragraphs(text: str) -> tuple[str, list[str]]:
    return "\n\n", re.split(r"\n[ \t]*\n", text)


def _lines(text: str) -> tuple[str, list[str]]:
    return "\n", text.split("\n")


def _sentences(text: str) -> tuple[str, list[str]]:
    merged: list[str] = []
    for piece in _SENTENCE_BREAK.split(text):
        if merged and _MARKER_ONLY.match(merged[-1]):
            merged[-1] = f"{merged[-1]} {piece}"
        else:
            merged.append(piece)
    return " ", merged


def _words(text: str) -> tuple[str, list[str]]:
    return " ", text.split(" ")


_LEVELS = (_paragraphs, _lines, _sentences, _words)


def _hard_cut(text: str, limit: int, measure: Measure) -> list[str]:
    chunks: list[str] = []
    current, size = "", 0
    for ch in text:
        cost = measure(ch)
        if current and size + cost > limit:
            chunks.append(current)
            current, size = "", 0
        current += ch
        size += cost
    if current:
        chunks.append(current)
    return chunks


def _split(text: str, limit: int, measure: Measure, level: int) -> list[str]:
    if level == len(_LEVELS):
        return _hard_cut(text, limit, measure)
    sep, parts = _LEVELS[level](text)
    parts = [p for p in parts if p.strip()]
    if len(parts) <= 1:
        return _split(text, limit, measure, level + 1)
    chunks: list[str] = []
    current = ""
    for part in parts:
        candidate = f"{current}{sep}{part}" if current else part
        if measure(candidate) <= limit:
            current = candidate
            continue
        if current:
            chunks.append(current)
            current = ""
        if measure(part) <= limit:
            current = part
        else:
            pieces = _split(part, limit, measure, level + 1)
            chunks.extend(pieces[:-1])
            current = pieces[-1]
    if current:
        chunks.append(current)
    return chunks


def split_text(text: str, limit: int, measure: Measure = len) -> list[str]:
    """Split `text` into chunks with `measure(chunk) <= limit`, at the gentlest boundary."""
    text = text.strip()
    if not text:
        return []
    if measure(text) <= limit:
        return [text]
    chunks = (c.strip() for c in _split(text, limit, measure, 0))
    return [c for c in chunks if c]


def _pack_lines(lines: list[str], limit: int, measure: Measure) -> list[str]:
    messages: list[str] = []
    for line in lines:
        if messages and measure(f"{messages[-1]}\n{line}") <= limit:
            messages[-1] = f"{messages[-1]}\n{line}"
        else:
            messages.append(line)
    return messages


# --- rendering ------------------------------------------------------------------------------


def clip(text: str, size: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


def _unique(citations: Iterable[Citation]) -> list[Citation]:
    seen: set[tuple[str, str | None, str | None]] = set()
    out: list[Citation] = []
    for c in citations:
        key = (c.title, c.so_hieu, c.section)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out


def _telegram_citation(i: int, c: Citation) -> str:
    line = f"{i}. <b>{escape_html(clip(c.title, _TITLE_MAX))}</b>"
    if c.so_hieu:
        line += f" ({escape_html(clip(c.so_hieu, 80))})"
    if c.section:
        line += f" — <i>{escape_html(clip(c.section, _SECTION_MAX))}</i>"
    return line


def _zalo_citation(i: int, c: Citation) -> str:
    line = f"{i}. {clip(c.title, _TITLE_MAX)}"
    if c.so_hieu:
        line += f" ({clip(c.so_hieu, 80)})"
    if c.section:
        line += f" - Mục: {clip(c.section, _SECTION_MAX)}"
    return line


def bodies(answer: Answer) -> list[str]:
    """The texts that start a new message: the lead alone first when there is one (readers
    on a phone see the fee or the deadline at once), then the rest."""
    details = answer.details
    if answer.lead and details:
        return [answer.lead, details]
    return [answer.answer]


def choose_hint(count: int) -> str:
    """ "Trả lời số 1, 2 hoặc 3 để chọn." """
    numbers = [str(i) for i in range(1, count + 1)]
    listed = numbers[0] if count == 1 else f"{', '.join(numbers[:-1])} hoặc {numbers[-1]}"
    return f"Trả lời số {listed} để chọn."


def numbered_suggestions(answer: Answer) -> str | None:
    """A clarify answer's suggestions as "1) …" lines and how to choose (None without any)."""
    suggestions = offered(answer)
    if not suggestions:
        return None
    lines = [f"{i}) {s.label}" for i, s in enumerate(suggestions, 1)]
    return "\n".join([*lines, choose_hint(len(suggestions))])


def _render(
    texts: list[str],
    citations: list[Citation],
    limit: int,
    escape: Callable[[str], str],
    measure: Measure,
    header: str,
    cite: Callable[[int, Citation], str],
) -> list[str]:
    # Split the plain text, measuring it as it will be sent, then escape each chunk: escaping
    # a whole message first could cut an entity such as `&amp;` in two.
    parts = [
        escape(c)
        for text in texts
        for c in split_text(unicodedata.normalize("NFC", text), limit, lambda s: measure(escape(s)))
    ]
    citations = _unique(citations)
    if citations:
        lines = [header] + [cite(i, c) for i, c in enumerate(citations, 1)]
        block = "\n".join(lines)
        if parts and measure(f"{parts[-1]}\n\n{block}") <= limit:
            parts[-1] = f"{parts[-1]}\n\n{block}"
        else:
            parts.extend(_pack_lines(lines, limit, measure))
    return parts


def render_telegram(answer: Answer, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Messages for Telegram's HTML parse mode, each within `limit` UTF-16 units."""
    return _render(
        bodies(answer),
        answer.citations,
        limit,
        escape_html,
        utf16_len,
        "📚 <b>Nguồn tham khảo:</b>",
        _telegram_citation,
    )


def render_zalo(answer: Answer, limit: int = ZALO_LIMIT) -> list[str]:
    """Plain-text messages for the Zalo OA API, each within `limit` characters."""
    texts = bodies(answer)
    choices = numbered_suggestions(answer)
    if choices:
        texts[-1] = f"{texts[-1]}\n\n{choices}"
    return _render(texts, answer.citations, limit, str, len, "Nguồn tham khảo:", _zalo_citation)


# --- logs -----------------------------------------------------------------------------------

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
