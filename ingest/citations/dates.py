"""Dates of issue as documents write them ("ngày 23/4/2018", "ngày 05 tháng 5 năm 2025"),
folded and OCR tolerant."""

from __future__ import annotations

import datetime as _dt
import re

DATE_RE = re.compile(
    r"ng[a-z]y\s*(?P<d>\d{1,2})\s*(?:"
    r"[/.\-]\s*(?P<m1>\d{1,2})\s*[/.\-]\s*(?P<y1>\d{4})"
    r"|,?\s*th[a-z]{2,4}\s*(?P<m2>\d{1,2})\s*,?\s*n[a-z0-9]{1,2}m\s*(?P<y2>\d{4})"
    r")(?!\d)"
)


def date_from_match(m: re.Match[str]) -> str | None:
    """ISO date of a `DATE_RE` match, None when the numbers are not a real date."""
    day = int(m.group("d"))
    month = int(m.group("m1") or m.group("m2"))
    year = int(m.group("y1") or m.group("y2"))
    if not 1900 <= year <= 2100:
        return None
    try:
        return _dt.date(year, month, day).isoformat()
    except ValueError:
        return None
