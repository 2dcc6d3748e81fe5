"""Do two questions ask the same thing? The lexical half of curated-answer matching.

A small embedding model rates "chuyển trường THCS" and "chuyển lớp THCS" as near-identical, so
similarity alone cannot decide. Each question is reduced to a `QuestionKey`: its folded text
with synonyms made one form (THCS = trung học cơ sở = cấp 2), the numbers and school levels it
names, and the terms it picks from small contrast groups (bản sao / chỉnh sửa, hồ sơ / thời
gian / lệ phí, ...). Two questions whose numbers or levels differ, or that pick different terms
from one group, never mean the same thing whatever their embeddings say. The levels and their
spellings are the lexicon's (`motcua/lexicon/levels.yaml`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from motcua.lexicon import Vocabulary, vocabulary
from motcua.text import fold_phrase

# Spellings of one thing, folded -> the single form questions are compared in. School levels
# are not here: `LEVEL_SPELLINGS` brings them from the lexicon.
SYNONYMS: dict[str, str] = {
    "ho va ten": "ho ten",
    "ngay thang nam sinh": "ngay sinh",
    "bang tot nghiep": "van bang",
    "giay to": "ho so",
}


def _level_spellings(vocab: Vocabulary) -> dict[str, str]:
    """Every spelling of a level the lexicon knows, folded -> the level's name folded ("cap 2",
    "trung hoc co so" -> "thcs"). A spelling that holds another of its level ("trường tiểu học"
    holds "tiểu học") is left to the shorter one, which finds the level without taking the words
    around it: "chuyển trường tiểu học" still asks "chuyển trường". The level's name always
    stands for itself."""
    out: dict[str, str] = {}
    for name, names in vocab.all_levels.items():
        form = fold_phrase(name)
        spellings = {" ".join(n) for n in names} | {form}
        for spelling in spellings:
            holds = any(o != spelling and f" {o} " in f" {spelling} " for o in spellings)
            if spelling == form or not holds:
                out[spelling] = form
    return out


LEVEL_SPELLINGS = _level_spellings(vocabulary())

# School levels: a question about one level never gets a curated answer about another.
LEVELS = tuple(dict.fromkeys(LEVEL_SPELLINGS.values()))

# Within a group, choosing a different term changes the question (a curated answer on the
# documents for a copy of a diploma does not answer how long a correction takes).
CONTRAST_GROUPS: dict[str, dict[str, tuple[str, ...]]] = {
    "diploma_action": {
        "ban sao": ("ban sao",),
        "chinh sua": ("chinh sua", "sua"),
        "cap lai": ("cap lai",),
        "cong nhan": ("cong nhan van bang",),
        "thu hoi": ("thu hoi", "huy bo"),
    },
    "enrolment": {
        "chuyen truong": ("chuyen truong",),
        "chuyen lop": ("chuyen lop",),
        "hoc lai": ("hoc lai",),
        "nhap hoc": ("nhap hoc",),
        "thoi hoc": ("thoi hoc",),
        "bao luu": ("bao luu",),
        "tuyen sinh": ("tuyen sinh",),
    },
    "record_field": {
        "ngay sinh": ("ngay sinh",),
        "ho ten": ("ho ten",),
        "gioi tinh": ("gioi tinh",),
        "noi sinh": ("noi sinh",),
        "que quan": ("que quan",),
        "dan toc": ("dan toc",),
    },
    "asks_for": {
        "thoi gian": ("thoi gian", "thoi han", "bao lau", "may ngay", "bao nhieu ngay"),
        "ho so": ("ho so", "thanh phan"),
        "le phi": (
            "le phi",
            "bao nhieu tien",
            "muc thu",
            "muc phi",
            "muc hoc phi",
            "bao nhieu",
            "mat phi",
            "thu phi",
            "ton phi",
            "co phi",
        ),
        "noi nop": ("o dau", "den dau", "noi nop", "co quan nao", "o cho nao", "nop o"),
        "dieu kien": ("dieu kien", "tieu chuan", "tieu chi"),
        "doi tuong": ("doi tuong", "ai duoc", "nhung ai", "truong hop nao"),
        "han": ("han chot", "han cuoi", "ngay nao", "khi nao", "luc nao", "thoi diem"),
        "cach lam": ("nhu the nao", "the nao", "lam sao", "cach nao", "thu tuc"),
    },
    "legal_aspect": {
        "noi dung": ("quy dinh ve noi dung", "quy dinh nhung gi", "quy dinh gi", "quy dinh ve"),
        "hieu luc": ("hieu luc", "ap dung tu"),
        "thay the": ("thay the", "bai bo", "het hieu luc"),
        "sua doi": ("sua doi", "bo sung"),
    },
    "mechanism": {
        "mot cua lien thong": ("mot cua lien thong",),
        "mot cua": ("mot cua",),
        "dich vu cong": ("dich vu cong", "dvc"),
    },
    "school_action": {
        "thanh lap": ("thanh lap",),
        "sap nhap": ("sap nhap", "sat nhap"),
        "giai the": ("giai the",),
        "dat chuan": ("dat chuan", "chuan quoc gia"),
    },
    "exam": {
        "dang ky thi": ("dang ky du thi", "dang ky thi"),
        "phuc khao": ("phuc khao",),
        "mien thi": ("mien thi",),
    },
    "support": {
        "mien giam": ("mien giam", "mien hoc phi", "giam hoc phi"),
        "ho tro chi phi": ("ho tro chi phi", "tro cap"),
        "hoc bong": ("hoc bong",),
    },
    "paper": {
        "van bang": ("van bang",),
        "khai sinh": ("khai sinh",),
        "hoc ba": ("hoc ba",),
        "chung chi": ("chung chi",),
        "giay chung nhan": ("giay chung nhan",),
    },
}

# Words that carry the question's form, not its subject (left out of the overlap measure).
_STOPWORDS = """
a ai anh bi cac can cau cho chua co cua da de den di duoc em gi gom hay hoi khi khong la lam
ma minh muon nao nay nhe nhu nhung o oi phai ra rang se the thi toi tu va ve vi voi xin
"""
STOPWORDS = frozenset(_STOPWORDS.split())

_NUMBER = re.compile(r"\b\d+\b")
_GRADE = re.compile(r"\blop ?(\d{1,2})\b")  # "lop 7", "lop7" typed glued


def _phrase_pattern(phrases: list[str]) -> re.Pattern[str]:
    # Longest first, whole words only: "bao nhieu ngay" is a duration, not a price.
    ordered = sorted(set(phrases), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(p) for p in ordered) + r")\b")


_UNIFIED = {**SYNONYMS, **LEVEL_SPELLINGS}
_SYNONYM = _phrase_pattern(list(_UNIFIED))
_LEVEL = _phrase_pattern(list(LEVELS))
_GROUP_PATTERNS = {
    group: (
        _phrase_pattern([p for spellings in terms.values() for p in spellings]),
        {p: term for term, spellings in terms.items() for p in spellings},
    )
    for group, terms in CONTRAST_GROUPS.items()
}


@dataclass(frozen=True)
class QuestionKey:
    """What comparing one question with another needs."""

    text: str  # folded, synonyms unified: the form that is embedded and compared exactly
    numbers: frozenset[str]
    levels: frozenset[str]
    terms: tuple[tuple[str, frozenset[str]], ...]  # (group, terms picked), non-empty groups
    content: frozenset[str]  # syllables that carry the subject


def canonical(question: str) -> str:
    folded = fold_phrase(question)
    return _SYNONYM.sub(lambda m: _UNIFIED[m.group(0)], folded)


def question_key(question: str) -> QuestionKey:
    text = canonical(question)
    levels = set(_LEVEL.findall(text))
    # A grade names its school level ("lớp 7" is THCS); its number is still read below.
    for grade in _GRADE.findall(text):
        if level := vocabulary().level_of_grade(int(grade)):
            levels.add(fold_phrase(level))
    # Levels are gone before numbers are read, so "cap 2" is a level, not the number 2.
    numbers = frozenset(n.lstrip("0") or "0" for n in _NUMBER.findall(_LEVEL.sub(" ", text)))
    terms = []
    for group, (pattern, term_of) in _GROUP_PATTERNS.items():
        picked = frozenset(term_of[m] for m in pattern.findall(text))
        if picked:
            terms.append((group, picked))
    content = frozenset(w for w in text.split() if w not in STOPWORDS and not w.isdigit())
    return QuestionKey(text, numbers, frozenset(levels), tuple(terms), content)


def conflict(a: QuestionKey, b: QuestionKey) -> str | None:
    """Why two questions cannot mean the same thing, or None when nothing tells them apart."""
    if a.numbers != b.numbers:
        return "numbers differ"
    if a.levels != b.levels:
        return "school levels differ"
    b_terms = dict(b.terms)
    for group, picked in a.terms:
        other = b_terms.get(group)
        # Disjoint, not unequal: "nộp hồ sơ ở đâu" still asks where, like "ở đâu".
        if other is not None and not other & picked:
            return f"{group} differs"
    return None


def overlap(a: QuestionKey, b: QuestionKey) -> float:
    """Dice coefficient of the subject syllables (1.0 when both have none)."""
    if not a.content and not b.content:
        return 1.0
    return 2 * len(a.content & b.content) / (len(a.content) + len(b.content))
