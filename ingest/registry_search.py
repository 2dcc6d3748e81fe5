"""Matching a registry search against records: the types, numbers and subject words a query
names, and how well a record's known text covers those words."""

from __future__ import annotations

import math
import re

from motcua.ingest.citations.document_numbers import key_parts, so_hieu_key
from motcua.ingest.citations.vocabulary import TYPE_WORD_RE, TYPE_WORDS
from motcua.ingest.legal_records import LegalDocRecord
from motcua.text import fold_phrase

_MIN_SCORE = 0.6
_TYPE_QUERY = [(re.compile(rf"(?<![a-z]){p}(?![a-z])"), name) for p, name in TYPE_WORDS]
_TYPE_SHORT = {"nd": "Nghị định", "qd": "Quyết định", "tt": "Thông tư", "nq": "Nghị quyết",
               "ct": "Chỉ thị", "kh": "Kế hoạch", "cv": "Công văn"}  # fmt: skip
_QUESTION_WORDS = frozenset(
    {"nao", "gi", "sao", "khong", "hay", "bao", "nhieu", "la", "hoi", "tim", "biet", "xem",
     "nhung", "cac", "duoc", "o"}
)  # fmt: skip
_QUESTION_PHRASES = re.compile(
    r"(?<![a-z])(?:van\s+ban|quy\s+dinh|can\s+cu|sua\s+doi|bo\s+sung|ban\s+hanh|thay\s+the"
    r"|mot\s+so)(?![a-z])"
)


def query_types(q: str) -> set[str]:
    types = {name for rx, name in _TYPE_QUERY if rx.search(q)}
    if "Nghị quyết liên tịch" in types or "Thông tư liên tịch" in types:
        types.discard("Nghị quyết")
        types.discard("Thông tư")
    for tok in re.findall(r"[a-z]+", q):
        if tok in _TYPE_SHORT:
            types.add(_TYPE_SHORT[tok])
    return types


def content_words(q: str, years: frozenset[str] = frozenset()) -> list[str]:
    """The folded query's subject words, and the `years` it names where they stand."""
    q = re.sub(rf"(?<![a-z]){TYPE_WORD_RE}(?![a-z])", " ", q)
    q = _QUESTION_PHRASES.sub(" ", q)
    words = re.findall(r"[a-z]+|(?<![\d/])\d+(?![\d/])", q)
    return [
        w
        for w in words
        if (w in years or not w.isdigit()) and w not in _QUESTION_WORDS and w not in _TYPE_SHORT
    ]


# A document number in a query: "1655", "61/2018", "01a".
_NUMBER = re.compile(r"(?<![\d/])0*(\d+[a-z]?)(?:\s*/\s*((?:19|20)\d\d))?(?![\d])")
# "năm 2025", "2021-2030", "2021 - 2025": years a subject names, not document numbers.
_YEARS = re.compile(
    r"(?<![a-z0-9])nam\s+((?:19|20)\d\d)(?![\d/])"
    r"|(?<![\d/])((?:19|20)\d\d)\s*-\s*((?:19|20)\d\d)(?![\d/])"
)


def read_query(q: str) -> tuple[list[tuple[str, str]], set[str], list[str]]:
    """(document numbers with their years, types, subject words) of a folded query. A year
    ("năm 2025") is a subject word, or the year of the one number the query names ("kế hoạch
    1655 năm 2025"); it never narrows the search to documents numbered 2025."""
    years = [y for m in _YEARS.finditer(q) for y in m.groups() if y]
    rest = _YEARS.sub(" ", q)
    numbers = _NUMBER.findall(rest)
    if numbers:
        if len(numbers) == 1 and len(set(years)) == 1 and not numbers[0][1]:
            numbers = [(numbers[0][0], years[0])]
        return numbers, query_types(q), content_words(rest)
    return numbers, query_types(q), content_words(q, frozenset(years))


def number_matches(rec: LegalDocRecord, numbers: list[tuple[str, str]]) -> bool:
    keys = [rec.key.split("@")[0]] + [so_hieu_key(a) for a in rec.aliases]
    for key in keys:
        num, year, _ = key_parts(key)
        for qnum, qyear in numbers:
            if num == qnum and (not qyear or qyear == year or (rec.date or "")[:4] == qyear):
                return True
    return False


def _typed_letters(word: str) -> bool:
    """Letters standing for words ("cchc", "tthc", "ubnd"): no vowel after the first."""
    return len(word) >= 4 and not any(c in "aeiouy" for c in word[1:])


def text_score(rec: LegalDocRecord, words: list[str]) -> float:
    """Share of the query's words found in what is known of the document, bigrams counting
    double, so "một cửa" must appear as a phrase to score fully."""
    haystack = " ".join(fold_phrase(x) for x in rec.search_text()).split()
    present = set(haystack)
    pairs = set(zip(haystack, haystack[1:], strict=False))
    found = [w in present for w in words]
    paired = [(a, b) in pairs for a, b in zip(words, words[1:], strict=False)]
    # Citing texts abbreviate ("TTHC" for "thủ tục hành chính"): a run of the query's words
    # whose initials are a word of the record counts as found, pairs included.
    for size in (3, 4):
        for i in range(len(words) - size + 1):
            if "".join(w[0] for w in words[i : i + size]) in present:
                found[i : i + size] = [True] * size
                paired[i : i + size - 1] = [True] * (size - 1)
    # And the other way: people type "CCHC" where the record writes "cải cách hành chính",
    # the words beside it paired with the run's ends. A syllable ("anh", "toan") is no such
    # word, and most queries hold none: the record's runs are read only for one that does.
    letters = [(i, w) for i, w in enumerate(words) if _typed_letters(w)]
    runs: dict[str, list[tuple[int, int]]] = {}
    for size in (3, 4) if letters else ():
        for j in range(len(haystack) - size + 1):
            runs.setdefault("".join(w[0] for w in haystack[j : j + size]), []).append((j, j + size))
    for i, word in letters:
        for start, end in runs.get(word, ()):
            found[i] = True
            if i and start and words[i - 1] == haystack[start - 1]:
                paired[i - 1] = True
            if i + 1 < len(words) and end < len(haystack) and words[i + 1] == haystack[end]:
                paired[i] = True
    hits = sum(found)
    if hits < max(1, math.ceil(0.6 * len(words))):
        return 0.0
    bigrams = sum(paired)
    total = len(words) + 2 * max(0, len(words) - 1)
    score = (hits + 2 * bigrams) / total
    return score if score >= _MIN_SCORE else 0.0
