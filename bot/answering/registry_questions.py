"""Reading a staff question about a legal text (folded: lower case, no diacritics, punctuation
kept): the document number it names and the type written before it, the link it asks about
and in which voice ("X sửa đổi văn bản nào" / "văn bản nào sửa đổi X"), whether it asks about
validity, and the type a "which text" question asks for. `registry_answers` answers them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from motcua.ingest.citations.document_numbers import type_from_number
from motcua.ingest.citations.vocabulary import TYPE_WORD_RE, TYPE_WORDS
from motcua.text import fold, fold_phrase

_SHORT_TYPES = {"nd": "Nghị định", "qd": "Quyết định", "tt": "Thông tư", "nq": "Nghị quyết",
                "ct": "Chỉ thị", "kh": "Kế hoạch", "cv": "Công văn"}  # fmt: skip
_TYPE = rf"(?:{TYPE_WORD_RE}|{'|'.join(_SHORT_TYPES)})"
_YEAR = r"\s*/\s*(?P<year>(?:19|20)\d\d)(?!\d)"
_DIGITS = rf"(?P<digits>\d{{1,5}}[a-z]?)(?:{_YEAR})?"
_SYMBOL = r"(?:\s*/\s*[a-z][a-z0-9\-/]*)?"  # "/nd-cp", "/kh-sgddt": part of the reference
# "Thông tư 30/2020", "kế hoạch số 1655"; "63/2010"; "1655/KH-SGDĐT". A bare number ("lớp 8",
# "số 2") names no text.
_REFERENCES = (
    re.compile(rf"(?<![a-z])(?P<type>{_TYPE})\s+(?:so\s*:?\s*)?0*{_DIGITS}(?![\d])" + _SYMBOL),
    re.compile(r"(?<![\d/])0*(?P<digits>\d{1,5}[a-z]?)" + _YEAR + _SYMBOL),
    re.compile(r"(?<![\d/])0*(?P<digits>\d{1,5}[a-z]?)(?P<year>)(?=\s*/\s*[a-z])" + _SYMBOL),
)
_DATE = re.compile(r"\bngay\s+\d{1,2}\s*(?:/|-|thang)\s*\d{1,2}\s*(?:/|-|nam)\s*\d{4}")
_WH_TYPE = re.compile(rf"(?<![a-z])(?:(?P<type>{_TYPE})|van\s+ban)\s+nao\b")
# (pattern, relation when the asked document does it, relation when it undergoes it, verb)
RELATIONS = (
    (re.compile(r"\b(?:sua doi|bo sung)\b"), "amends", "amended_by", "sửa đổi, bổ sung"),
    (re.compile(r"\bthay the\b"), "replaces", "replaced_by", "thay thế"),
    (re.compile(r"\b(?:bai bo|huy bo)\b"), "repeals", "repealed_by", "bãi bỏ"),
)
# "X được/bị (…) sửa đổi": X undergoes the change; "… bởi/tại X": X makes it.
_PASSIVE = re.compile(r"\b(?:duoc|bi)\b")
_AGENT = re.compile(r"\b(?:boi|tai|theo)\b")
# What may follow the verb in a question about the link itself: "… (bởi) văn bản nào", "…
# chưa?", "… không?"; "… như thế nào", "… những điều nào" ask about content instead.
_LINK_TAIL = re.compile(
    r"^(?:[\s,]*(?:va|hoac)?\s*(?:sua doi|bo sung|thay the|bai bo|huy bo))*"
    r"[\s,]*(?:(?:boi|tai|bang|theo)\s+)?(?:la\s+)?(?:(?:nhung|cac)\s+)?"
    rf"(?:(?:van\s+ban|{_TYPE})\s+nao\b|gi\b|chua\b|khong\b|hay\s+(?:chua|khong)\b|\W*$)"
)
_IS_WHAT = re.compile(rf"\bla\s+(?:(?:van\s+ban|{_TYPE})\s+)?(?:nao|gi)\b")
_VALIDITY = re.compile(
    r"\b(?:con|het|mat)\s+(?:duoc\s+)?(?:hieu\s+luc|ap\s+dung|gia\s+tri)\b"
    r"|\b(?:co|con)\s+hieu\s+luc\s+(?:khong|chua|nua|hay\s+khong)\b"
    r"|\bhieu\s+luc\s+(?:the\s+nao|ra\s+sao)\b"
)
_VALIDITY_OF = re.compile(r"\btinh\s+trang\s+hieu\s+luc\s+(?:cua\s+)?$")
_MAX_FILLER_WORDS = 6  # "Nghị định 63/2010 (của Chính phủ) đã được …": the link is the topic


@dataclass
class Reference:
    """The first document number a question names, where it stands in the folded question."""

    digits: str
    year: str
    start: int
    end: int
    named_type: str | None  # the type written before it: "Thông tư" in "Thông tư 30/2020"

    @property
    def number(self) -> str:
        return f"{self.digits}/{self.year}" if self.year else self.digits


def folded_question(question: str) -> str:
    return " ".join(fold(question).split())


def type_name(text: str) -> str | None:
    text = " ".join(text.split())
    for pattern, name in TYPE_WORDS:
        if re.fullmatch(pattern, text):
            return name
    return _SHORT_TYPES.get(text)


def real_type(so_hieu: str | None, doc_type: str | None) -> str | None:
    """A text's type: its number's symbol says it ("…/NĐ-CP" is a Nghị định) even where a
    citing clause was misread; laws (QHxx) and texts without a number keep the type read."""
    return (type_from_number(so_hieu) if so_hieu else None) or doc_type


def same_type(asked: str, real: str | None) -> bool:
    """A Thông tư liên tịch is a Thông tư, a Bộ luật a Luật; an unknown type is not wrong."""
    if real is None:
        return True
    return f" {fold_phrase(asked)} " in f" {fold_phrase(real)} "


def first_reference(q: str) -> Reference | None:
    found = [m for rx in _REFERENCES for m in rx.finditer(q)]
    if not found:
        return None
    m = min(found, key=lambda m: (m.start(), -len(m.group(0))))
    named = m.groupdict().get("type")
    return Reference(
        m.group("digits"), m.group("year") or "", m.start(), m.end(), type_name(named or "")
    )


def _filler(text: str) -> bool:
    """Whether the words between the number and the verb leave the text as the clause's topic
    ("Nghị định 63/2010 đã được sửa đổi"), not a subordinate one ("Theo Nghị định 63/2010,
    thủ tục được sửa đổi …")."""
    text = _DATE.sub(" ", text)
    words = re.findall(r"[a-z0-9]+", text)
    return not re.search(r"[,;.:]", text) and len(words) <= _MAX_FILLER_WORDS


def relation_asked(q: str, ref: Reference) -> tuple[str, bool] | None:
    """(relation of the asked text, whether the question is about the change it makes) for
    questions about a link, None for other questions. The voice decides, not only the side of
    the verb: "X sửa đổi văn bản nào" (X amends), "văn bản nào sửa đổi X" and "X được sửa đổi
    bởi văn bản nào" (X is amended), "văn bản nào bị bãi bỏ bởi X" (X repeals)."""
    verbs = [(m, rel) for rx, *rel in RELATIONS for m in rx.finditer(q)]
    if not verbs:
        return None
    verb, (active, passive, _) = min(verbs, key=lambda v: v[0].start())
    if ref.end <= verb.start():
        between = q[ref.end : verb.start()]
        if not _filler(between) or not _LINK_TAIL.match(q[verb.end() :]):
            return None
        # "X được/bị (…) sửa đổi", "X có văn bản nào sửa đổi không": X undergoes it.
        undergoes = _PASSIVE.search(between) or _WH_TYPE.search(between)
        return (passive, False) if undergoes else (active, True)
    if ref.start >= verb.end():
        asks = _WH_TYPE.search(q[: verb.start()]) or _IS_WHAT.search(q[ref.end :])
        if not asks:
            return None
        does = _AGENT.search(q[verb.end() : ref.start])
        return (active, True) if does else (passive, False)
    return None


def asks_validity(q: str, ref: Reference) -> bool:
    """ "X còn hiệu lực không?", "X có còn áp dụng không?", "X hết hiệu lực chưa?",
    "tình trạng hiệu lực của X"."""
    if _VALIDITY_OF.search(q[: ref.start]):
        return True
    m = _VALIDITY.search(q, ref.end)
    return m is not None and _filler(q[ref.end : m.start()])


def wh_type(q: str) -> str | None:
    """The type a "which text" question asks for: "Thông tư" in "thông tư nào …"."""
    m = _WH_TYPE.search(q)
    return type_name(m.group("type")) if m and m.group("type") else None


def without(q: str, ref: Reference) -> str:
    """The question around the number it names ("ngày ban hành của … là ngày nào")."""
    return f"{q[: ref.start]} {q[ref.end :]}"
