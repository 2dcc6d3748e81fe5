"""Folding that keeps offsets: a folded copy of a text, character for character, so matches
on the copy are spans of the text as written."""

from __future__ import annotations

from functools import lru_cache

from motcua.text import diacritic_ratio, fold


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    folded = fold(ch)
    # A character whose folded form is not exactly one character keeps its own (lower) form so
    # that offsets in the folded copy match the original.
    if len(folded) == 1:
        return folded
    low = ch.lower()
    return low if len(low) == 1 else ch


def fold_aligned(text: str) -> str:
    """`fold` of an NFC text, character for character (same length, same offsets)."""
    return "".join(_fold_char(ch) for ch in text)


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _is_ocr(text: str) -> bool:
    """True when a stretch reads like diacritic-less OCR rather than typed Vietnamese."""
    return diacritic_ratio(text) < 0.2
