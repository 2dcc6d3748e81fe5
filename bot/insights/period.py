"""The period and channel an insights page or report covers, read from untrusted input.

Days are the department's days (Vietnam, UTC+7, no daylight saving time): a question asked at
23:30 in Hà Nội counts on that day wherever the server's clock is set.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import date, timedelta

from motcua.storage.question_stats import DAY_SECONDS, Window

UTC_OFFSET_SECONDS = 7 * 3600
EPOCH = date(1970, 1, 1)
DEFAULT_DAYS = 30
MAX_DAYS = 366  # a year at most: the page draws one bar per day
EARLIEST = date(2020, 1, 1)  # nothing was logged before the product existed

# What each channel is called on the page; the keys are the pipeline's channel names.
CHANNEL_LABELS = {
    "api": "REST (API)",
    "console": "Bàn tra cứu",
    "telegram": "Telegram",
    "zalo": "Zalo",
    "cli": "Dòng lệnh",
}
OUTCOMES = ("answered", "clarify", "refused")
OUTCOME_LABELS = {
    "answered": "Đã trả lời",
    "clarify": "Hỏi lại cho rõ",
    "refused": "Từ chối",
}
# Ratings are named in words, not 👍/👎: a browser without an emoji font (Debian's Chromium)
# draws those as empty boxes, and screen readers read out emoji names.
RATING_LABELS = {"up": "Hài lòng", "down": "Chưa hài lòng"}

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class PeriodError(ValueError):
    """Input that names no valid period or channel; the message is for the user."""


def today(now: float | None = None) -> date:
    """The department's date now."""
    stamp = time.time() if now is None else now
    return day_date(int((stamp + UTC_OFFSET_SECONDS) // DAY_SECONDS))


def day_date(number: int) -> date:
    return EPOCH + timedelta(days=number)


def day_of(value: date) -> int:
    return (value - EPOCH).days


@dataclass(frozen=True)
class Period:
    first: date
    last: date  # inclusive

    @property
    def days(self) -> list[date]:
        return [self.first + timedelta(days=i) for i in range((self.last - self.first).days + 1)]

    @property
    def day_numbers(self) -> range:
        return range(day_of(self.first), day_of(self.last) + 1)

    def window(self, channel: str | None = None) -> Window:
        start = day_of(self.first) * DAY_SECONDS - UTC_OFFSET_SECONDS
        end = (day_of(self.last) + 1) * DAY_SECONDS - UTC_OFFSET_SECONDS
        return Window(float(start), float(end), channel, UTC_OFFSET_SECONDS)

    def label(self) -> str:
        return f"{self.first:%d/%m/%Y} – {self.last:%d/%m/%Y}"


def _date(value: str, name: str) -> date:
    if not _ISO_DATE.fullmatch(value):
        raise PeriodError(f"{name}: cần ngày dạng NNNN-TT-NN (YYYY-MM-DD), không phải “{value}”.")
    try:
        parsed = date.fromisoformat(value)
    except ValueError as exc:
        raise PeriodError(f"{name}: ngày “{value}” không có thật.") from exc
    if parsed < EARLIEST or parsed.year > 2100:
        raise PeriodError(f"{name}: ngày “{value}” nằm ngoài khoảng {EARLIEST.year}–2100.")
    return parsed


def parse_period(
    since: str | None, until: str | None, *, now: float | None = None, days: int = DEFAULT_DAYS
) -> Period:
    """[since, until] from ISO dates; a missing end is today, a missing start `days` before
    the end. Raises `PeriodError` for a bad date, a reversed or too long period."""
    last = _date(until.strip(), "Đến ngày") if until and until.strip() else today(now)
    if since and since.strip():
        first = _date(since.strip(), "Từ ngày")
    else:
        first = max(last - timedelta(days=days - 1), EARLIEST)
    if first > last:
        raise PeriodError("“Từ ngày” phải trước hoặc bằng “Đến ngày”.")
    if (last - first).days + 1 > MAX_DAYS:
        raise PeriodError(f"Chọn tối đa {MAX_DAYS} ngày.")
    return Period(first, last)


def parse_channel(value: str | None) -> str | None:
    """A known channel name, or None for every channel ("" or "all")."""
    if value is None or value.strip() in ("", "all"):
        return None
    if value.strip() not in CHANNEL_LABELS:
        known = ", ".join(CHANNEL_LABELS)
        raise PeriodError(f"Kênh không hợp lệ (chọn một trong: {known}).")
    return value.strip()
