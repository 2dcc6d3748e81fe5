"""Turning an `Answer` into platform messages (logs are kept clean by motcua/log_redaction.py).

Both platforms cap a message (Telegram 4096, Zalo 2000 characters), so long answers are split at
the gentlest boundary that fits: paragraph, then line (list items), then sentence, then word.
An answer with a lead (the line that answers the asked aspect) sends it as its own first
message, the rest after it. Zalo has no buttons, so a clarify answer numbers its suggestions.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable, Iterable

from motcua.bot.answering.choices import offered
from motcua.bot.answering.templates import render
from motcua.text import clip
from motcua.types import Answer, Citation

TELEGRAM_LIMIT = 4096
ZALO_LIMIT = 2000

Measure = Callable[[str], int]

# Titles and sections come from documents; cap them so one citation always fits a message.
_TITLE_MAX = 300
_SECTION_MAX = 200
SOURCES_HEADING = render("channel_sources_heading.txt")


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
        line += " - " + render("channel_section.txt", section=clip(c.section, _SECTION_MAX))
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
    return render("channel_choose_hint.txt", numbers=[str(i) for i in range(1, count + 1)])


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
        f"📚 <b>{escape_html(SOURCES_HEADING)}</b>",
        _telegram_citation,
    )


def render_zalo(answer: Answer, limit: int = ZALO_LIMIT) -> list[str]:
    """Plain-text messages for the Zalo OA API, each within `limit` characters."""
    texts = bodies(answer)
    choices = numbered_suggestions(answer)
    if choices:
        texts[-1] = f"{texts[-1]}\n\n{choices}"
    return _render(texts, answer.citations, limit, str, len, SOURCES_HEADING, _zalo_citation)


# --- logs -----------------------------------------------------------------------------------
