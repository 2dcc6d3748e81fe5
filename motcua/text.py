"""Vietnamese text primitives shared by ingest, index and bot.

The *folded* form (lower case, diacritics removed, đ→d) is the key for lexical search: it is
what a user types without diacritics and what OCR leaves of accented text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache, wraps
from typing import ParamSpec, TypeVar

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
# Letters that only exist in Vietnamese with a diacritic (after NFC), tone or vowel mark.
_VI_MARKED = re.compile(
    "[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]",
    re.IGNORECASE,
)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _nonspacing_marks() -> re.Pattern[str]:
    """Every nonspacing mark (category Mn) of the Basic Multilingual Plane, as one class."""
    ranges: list[tuple[int, int]] = []
    for code in range(0x10000):
        if 0xD800 <= code <= 0xDFFF or unicodedata.category(chr(code)) != "Mn":
            continue
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    return re.compile("[" + "".join(f"{chr(a)}-{chr(b)}" for a, b in ranges) + "]+")


_MARKS = _nonspacing_marks()


def strip_diacritics(text: str) -> str:
    """Remove Vietnamese diacritics but keep case: "Đào tạo" -> "Dao tao".

    Every passage is folded again for each question that retrieves it, so the marks go in one
    regular-expression pass rather than a Python test per character (same result: a mark
    outside the BMP, which the class does not hold, takes the per-character way)."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    if max(decomposed) > "\uffff":
        return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _MARKS.sub("", decomposed)


def fold(text: str) -> str:
    """Lower case without diacritics: the form lexical search and phrase matching compare."""
    if len(text) <= _WORD_CHARS:
        return _fold_word(text)
    return strip_diacritics(text).lower()


# Words and short phrases are folded hundreds of times per question (every token against
# every list of the lexicon): kept, as there are only so many of them.
_WORD_CHARS = 24


@lru_cache(maxsize=1 << 16)
def _fold_word(text: str) -> str:
    return strip_diacritics(text).lower()


P = ParamSpec("P")
T = TypeVar("T")
# Passages are read again for every question that retrieves them: what is worked out of one is
# kept for the latest few thousand texts (longer texts, whole documents, are not kept).
PASSAGES_KEPT = 4096
PASSAGE_CHARS = 4000


def kept_per_passage(function: Callable[P, T]) -> Callable[P, T]:
    """`function` of a text (its last argument) with its results kept for the latest
    PASSAGES_KEPT texts of at most PASSAGE_CHARS characters; longer ones are worked out each
    time. Results are shared between callers: keep them immutable."""
    kept = lru_cache(maxsize=PASSAGES_KEPT)(function)

    @wraps(function)
    def call(*args: P.args, **kwargs: P.kwargs) -> T:
        text = args[-1]
        assert isinstance(text, str)
        if kwargs or len(text) > PASSAGE_CHARS:
            return function(*args, **kwargs)
        return kept(*args)

    return call


@kept_per_passage
def fold_phrase(text: str) -> str:
    """Folded, with every run of characters other than a-z/0-9 turned into one space."""
    return _NON_ALNUM.sub(" ", fold(text)).strip()


def dmy(iso: str) -> str:
    """ "2025-05-05" -> "05/05/2025", as Vietnamese documents write dates."""
    year, month, day = iso.split("-")
    return f"{int(day):02d}/{int(month):02d}/{year}"


def words(text: str) -> list[str]:
    """Syllables and numbers of a text, as written."""
    return _WORD.findall(text)


@kept_per_passage
def _folded_words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(fold(text)))


def folded_words(text: str) -> list[str]:
    return list(_folded_words(text))


def diacritic_ratio(text: str) -> float:
    """Share of alphabetic syllables that carry a Vietnamese mark.

    Running Vietnamese has roughly 0.6-0.8; text typed without diacritics has ~0.
    """
    syllables = [w for w in words(text) if w.isalpha()]
    if not syllables:
        return 0.0
    marked = sum(1 for w in syllables if _VI_MARKED.search(w))
    return marked / len(syllables)


def initialisms(text: str) -> list[str]:
    """Folded initials that may abbreviate a text's words, as administrative Vietnamese does:
    "Giáo dục và Đào tạo" is "GD&ĐT", "cải cách hành chính" is "CCHC". Initials of every two
    and four adjacent syllables, kept only where they spell no vowel (an acronym, not a word).
    """
    initials = [w[0] for w in folded_words(text) if w.isalpha()]
    found = {
        "".join(initials[i : i + size]) for size in (2, 4) for i in range(len(initials) - size + 1)
    }
    return sorted(a for a in found if not set(a) & set("aeiouy"))


def clip(text: str, size: int) -> str:
    """`text` on one line, cut to `size` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


def tidy_message(text: str) -> str:
    """A typed message as every way in reads it: NFC, control characters as spaces (they carry
    nothing a reader can see), runs of spaces as one."""
    text = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in nfc(text))
    return " ".join(text.split())
