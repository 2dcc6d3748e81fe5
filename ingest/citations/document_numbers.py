"""Document numbers (số hiệu): finding them in folded text, their canonical form
("61/2018/NĐ-CP", "18-NQ/TW"), their lookup keys, and the type and issuer their symbols imply."""

from __future__ import annotations

import re
from dataclasses import dataclass

from motcua.ingest.citations.folding import fold_aligned
from motcua.ingest.citations.vocabulary import (
    _QH,
    _TOKENS,
    ISSUER_ABBREVIATIONS,
    TYPE_ABBREVIATIONS,
    _canon_token,
    _token_known,
)
from motcua.text import fold, nfc, strip_diacritics

_TOK = r"[a-z][a-z0-9]{0,11}"
NUMBER_RE = re.compile(
    r"(?<![\w/.,\-])(?P<num>\d{1,6}[a-z]?)(?!\d)\s*(?:"
    # party documents: 18-NQ/TW
    r"-\s*(?P<ptype>[a-z]{1,5})\s*/\s*(?P<pis>[a-z]{1,8}\d{0,2})"
    # normative documents carry the year: 61/2018/NĐ-CP, 45/2019/QH14 (OCR may drop one slash)
    rf"|/\s*(?P<year>(?:19|20)\d\d)(?:\s*/\s*|\s+(?={_TOK}\s*-\s*[a-z]))"
    rf"(?P<lsym>{_TOK}(?:\s*[-/]\s*{_TOK})*)"
    # the rest: N/TYPE-ISSUER (1655/KH-SGDĐT) or N/ISSUER-UNIT (8322/UBND-VHXH)
    rf"|/\s*(?P<sym>{_TOK}(?:\s*-\s*{_TOK})+)"
    r")(?![a-z0-9])"
)
_SEP = re.compile(r"\s*([-/])\s*")


@dataclass
class _Number:
    canonical: str
    start: int
    end: int


def _split_symbols(raw: str) -> tuple[list[str], list[str]]:
    parts = _SEP.split(raw.strip())
    return parts[0::2], parts[1::2]


def _plausible_lead(raw: str) -> bool:
    return _token_known(raw) or raw.isupper() or len(raw) <= 3


def _parse_number(text: str, m: re.Match[str]) -> _Number | None:
    num = text[m.start("num") : m.end("num")].lower()
    if m.group("ptype"):
        ptype = text[m.start("ptype") : m.end("ptype")]
        pis = text[m.start("pis") : m.end("pis")]
        if not (_plausible_lead(ptype) and _plausible_lead(pis)):
            return None
        canonical = f"{num}-{_canon_token(ptype)}/{_canon_token(pis)}"
        return _Number(canonical, m.start(), m.end())
    group = "lsym" if m.group("lsym") else "sym"
    raw_sym = text[m.start(group) : m.end(group)]
    toks, seps = _split_symbols(raw_sym)
    if not toks or not _plausible_lead(toks[0]):
        return None
    # A symbol ends where an ordinary word begins: "61/2018/NĐ-CP - Tình hình" keeps NĐ-CP.
    keep = 1
    while keep < len(toks) and (toks[keep].isupper() or _token_known(toks[keep])):
        keep += 1
    glued = 0
    if keep < len(toks):
        # OCR glues the next word on: "QĐ-TTgcủa" still ends in TTg.
        prefix = _known_prefix(toks[keep])
        if prefix:
            glued = len(toks[keep]) - len(prefix)
            toks[keep] = prefix
            keep += 1
    toks, seps = toks[:keep], seps[: keep - 1]
    year = m.group("year")
    if year is None and len(toks) < 2:
        return None
    canon = [_canon_token(t) for t in toks]
    symbol = canon[0] + "".join(s + t for s, t in zip(seps, canon[1:], strict=True))
    end = m.start(group) + _span_of_tokens(raw_sym, keep) - glued
    canonical = f"{num}/{year}/{symbol}" if year else f"{num}/{symbol}"
    return _Number(canonical, m.start(), end)


def _known_prefix(raw: str) -> str | None:
    for size in range(len(raw) - 1, 1, -1):
        head, rest = raw[:size], raw[size:]
        canon = _TOKENS.get(strip_diacritics(head).upper())
        if canon == head and rest.isalpha() and rest.islower():
            return head
    return None


def _span_of_tokens(raw_sym: str, keep: int) -> int:
    """Length of the first `keep` symbols of a raw symbol string, separators included."""
    pos = 0
    for i, tm in enumerate(re.finditer(r"[^\s\-/]+", raw_sym)):
        if i == keep:
            break
        pos = tm.end()
    return pos


def number_at(text: str, folded: str, pos: int) -> tuple[str, int] | None:
    """(canonical number, end) of a number starting at `pos` (after spaces), or None."""
    m = NUMBER_RE.match(folded, pos + len(folded[pos:]) - len(folded[pos:].lstrip()))
    number = _parse_number(text, m) if m else None
    return (number.canonical, number.end) if number else None


def normalize_so_hieu(raw: str) -> str | None:
    """Canonical số hiệu of the first document number in `raw`, or None.

    "61/2018/ND-CP", "61/2018/NĐ-CP" and "61/2018/nđ-cp" all give "61/2018/NĐ-CP";
    "S6: 1655 /KH-SGDDT" gives "1655/KH-SGDĐT"; "18- NQ/TW" gives "18-NQ/TW".
    """
    text = nfc(raw)
    folded = fold_aligned(text)
    for m in NUMBER_RE.finditer(folded):
        number = _parse_number(text, m)
        if number:
            return number.canonical
    return None


def so_hieu_key(so_hieu: str) -> str:
    """Lookup key of a canonical number: folded, lower case, number without leading zeros.

    "01/2023/TT-VPCP" -> "1/2023/tt-vpcp", so users typing "1/2023" or "01/2023" find it.
    """
    key = fold(so_hieu).replace(" ", "")
    m = re.match(r"0*(\d+[a-z]?)(.*)$", key)
    return (m.group(1) + m.group(2)) if m else key


def key_parts(key: str) -> tuple[str, str | None, str]:
    """(number, year or None, symbol) of a key: "61/2018/nd-cp" -> ("61", "2018", "nd-cp")."""
    m = re.match(r"^(\d+[a-z]?)(?:/((?:19|20)\d\d))?[/-](.*)$", key)
    if not m:
        return key, None, ""
    return m.group(1), m.group(2), m.group(3)


def type_from_number(so_hieu: str) -> str | None:
    """Document type implied by a canonical number (None for laws, whose symbol is QHxx)."""
    party = re.match(r"^\d+[a-z]?-([^/]+)/", so_hieu)
    if party:
        return TYPE_ABBREVIATIONS.get(party.group(1))
    parts = re.split(r"[/-]", so_hieu)
    symbols = [p for p in parts[1:] if not re.fullmatch(r"(?:19|20)\d\d", p)]
    if not symbols:
        return None
    if symbols[0] in TYPE_ABBREVIATIONS:
        return TYPE_ABBREVIATIONS[symbols[0]]
    # N/ISSUER-UNIT is the format of a công văn (Nghị định 30/2020/NĐ-CP, Điều 8).
    plain = re.fullmatch(r"\d+[a-z]?/[^/]+", so_hieu)
    if plain and len(symbols) >= 2 and not _QH.match(symbols[0]):
        return "Công văn"
    return None


def issuer_from_number(so_hieu: str) -> str | None:
    """Issuing body implied by the symbols of a number (NĐ-CP -> Chính phủ, QH14 -> Quốc hội)."""
    symbols = [p for p in re.split(r"[/-]", so_hieu)[1:] if not re.fullmatch(r"\d{4}", p)]
    if not symbols:
        return None
    if symbols[0] in TYPE_ABBREVIATIONS:
        symbols = symbols[1:]
    names: list[str] = []
    for sym in symbols:
        qh = _QH.match(sym)
        if qh:
            names.append("Ủy ban Thường vụ Quốc hội" if qh.group(1) == "UBTVQH" else "Quốc hội")
        elif sym in ISSUER_ABBREVIATIONS:
            names.append(ISSUER_ABBREVIATIONS[sym])
        elif not names:
            return None  # an issuer we do not know: say nothing rather than guess
        else:
            break  # a unit after the issuer (UBND-VHXH)
    if not names:
        return None
    # A joint circular lists every ministry; other documents name one issuer then a unit.
    return ", ".join(dict.fromkeys(names)) if len(names) > 1 and symbols[0] != "UBND" else names[0]
