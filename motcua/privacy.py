"""Personal numbers people type into questions: citizen IDs (CCCD 12 digits, CMND 9) and phone
numbers. They are masked before a question is logged or stored, and in every log line."""

from __future__ import annotations

import re

# CCCD first (12 digits, may start with 0 like a phone), then phones, then 9-digit CMND.
_CCCD = re.compile(r"(?<![\d+])(?:\d{12}|\d{3}(?:[ .]\d{3}){3})(?!\d)")
_PHONE = re.compile(r"(?<![\d+])(?:\+84|84|0)(?:[ .\-]?\d){8,10}(?!\d)")
_CMND = re.compile(r"(?<![\d+])\d{9}(?!\d)")


def mask_pii(text: str) -> str:
    """Hide citizen ID numbers (CCCD 12 digits, CMND 9 digits) and phone numbers."""
    text = _CCCD.sub("[CCCD]", text)
    text = _PHONE.sub("[SĐT]", text)
    return _CMND.sub("[CMND]", text)
