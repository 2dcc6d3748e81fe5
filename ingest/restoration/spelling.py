"""How Vietnamese is written, as the restorer reads it: syllable tokens and the boundaries
that end a sentence-like unit, the placement of tones, marks, numbers and codes, case, and
whether a text was typed without diacritics at all."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from motcua.ingest.restoration.word_lists import _ACRONYM_BY_FOLD
from motcua.text import diacritic_ratio, fold, nfc

__all__ = [
    "CODE",
    "NUM",
    "case_evidence",
    "needs_restoration",
    "normalize_tone",
]

NUM, CODE = "<num>", "<code>"  # numbers, and tokens mixing letters and digits ("H5N1", "2a")

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
# Separators that end a sentence-like unit: the LM context restarts after them.
_BOUNDARY = re.compile(r"[.!?;:()\[\]\"“”…]|\n")
_VOWEL = re.compile("[aeiouy]")
_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def normalize_tone(text: str) -> str:
    """Put the tone of open syllables ending in oa/oe/uy on the first vowel: hoá→hóa, thuỷ→thủy.

    Both placements are in use; training on one keeps counts of the same word together.
    """
    return _TOKEN.sub(lambda m: _normalize_syllable(m.group(0)), nfc(text))


def _normalize_syllable(word: str) -> str:
    low = word.lower()
    if len(low) < 2 or low[-2:] not in _MOVABLE_TAILS:
        return word
    if low[-2] == "u" and len(low) > 2 and low[-3] == "q":
        return word  # "quý": the u belongs to the onset, the tone stays on y
    tail = unicodedata.normalize("NFD", word[-1])
    tone = next(ch for ch in tail if ch in _TONE_MARKS)
    bare_last = unicodedata.normalize("NFC", "".join(ch for ch in tail if ch != tone))
    return word[:-2] + unicodedata.normalize("NFC", word[-2] + tone) + bare_last


def _movable_tails() -> frozenset[str]:
    """oa/oe/uy with the tone on the second vowel, in NFC: "oá", "oẻ", "uỷ", ..."""
    pairs = (("o", "a"), ("o", "e"), ("u", "y"))
    return frozenset(
        first + unicodedata.normalize("NFC", second + tone)
        for first, second in pairs
        for tone in _TONE_MARKS
    )


_MOVABLE_TAILS = _movable_tails()


def needs_restoration(text: str, threshold: float = 0.15) -> bool:
    """True for text typed (or scanned) without diacritics: running Vietnamese scores 0.6+.

    Acronyms ("UBND", "KH") never carry marks and are left out of the ratio; other all-caps
    words count only when there is nothing else (a heading).
    """
    alpha = [w for w in _TOKEN.findall(text) if w.isalpha()]
    plain = [w for w in alpha if not (w.isupper() and len(w) > 1)]
    if not plain:
        plain = [w for w in alpha if _VOWEL.search(fold(w)) and fold(w) not in _ACRONYM_BY_FOLD]
    return bool(plain) and diacritic_ratio(" ".join(plain)) < threshold


# OCR drops a circumflex or horn but keeps the tone ("tuyén", "hiéu", "nuóc"); standard spelling
# never has a bare e after i/y or a bare o after u/ư, so such a line is not clean text.
_MISSPELT = re.compile("(?<!g)[iy]e|[uư]o")


def _misspelt(line: str) -> bool:
    """True when a marked word of `line` breaks Vietnamese spelling ("gieo" is fine)."""
    for word in _TOKEN.findall(line.lower()):
        if not _has_mark(word):
            continue
        toneless = "".join(ch for ch in unicodedata.normalize("NFD", word) if ch not in _TONE_MARKS)
        if _MISSPELT.search(unicodedata.normalize("NFC", toneless)):
            return True
    return False


def _number_class(word: str) -> str | None:
    """NUM for digits, CODE for letters mixed with digits, None for a plain word."""
    if word.isdigit():
        return NUM
    return CODE if any(c.isdigit() for c in word) else None


def _has_mark(word: str) -> bool:
    return fold(word) != word.lower()


def _apply_case(template: str, word: str) -> str:
    """Copy the case of `template` onto `word` letter by letter (folding keeps lengths)."""
    letters = [c for c in template if c.isalpha()]
    upper = sum(c.isupper() for c in letters)
    if len(letters) > 3 and upper >= 3 * len(letters) / 4:
        return word.upper()  # OCR headings like "PiCH" are still meant as all caps
    if len(template) != len(word):
        return word[:1].upper() + word[1:] if template[:1].isupper() else word
    return "".join(c.upper() if t.isupper() else c for t, c in zip(template, word, strict=True))


def case_evidence(raws: Sequence[str], boundaries: Sequence[bool]) -> list[bool | None]:
    """Whether each token's case says something about the word: True = capitalised as a name.

    Inside a sentence a capital marks a name ("Sở", "Long An"); at a sentence start, in all
    caps and in numbers case says nothing.
    """
    out: list[bool | None] = []
    for i, w in enumerate(raws):
        if not w.isalpha() or (w.isupper() and len(w) > 1):
            out.append(None)
        elif not boundaries[i]:
            out.append(w[0].isupper())
        else:
            out.append(None)  # a sentence's first word is capitalised whatever it is
    return out
