"""What a Vietnamese administrative document says about itself.

A standard document (Nghị định 30/2020/NĐ-CP) opens with the issuing body over the national
motto, then "Số: 1655/KH-SGDĐT", "Long An, ngày 05 tháng 5 năm 2025", the type in capitals
("KẾ HOẠCH") and the subject line; it closes with "Nơi nhận", the signing title and the signer's
name. OCR scans keep that layout but drop or garble diacritics ("S6: 1655 /KH-SGDDT Long An,
ngay 05 thing 5 nam 2025"), so every rule here matches the folded text with OCR-tolerant
patterns. A field that cannot be read is None: nothing is guessed.
"""

from __future__ import annotations

import re

from motcua.ingest.citations.dates import DATE_RE, date_from_match
from motcua.ingest.citations.document_numbers import (
    issuer_from_number,
    number_at,
    type_from_number,
)
from motcua.ingest.citations.folding import fold_aligned
from motcua.ingest.citations.issuers import (
    PROVINCES,
    find_bodies,
    format_place,
    match_province,
    normalize_issuer,
)
from motcua.ingest.citations.vocabulary import TYPE_WORD_RE, TYPE_WORDS
from motcua.ingest.signature_block import signer, split_blocks
from motcua.text import diacritic_ratio, fold, nfc
from motcua.types import DocumentMeta

_HEAD_CHARS = 4000

# Type words of a title line: those that open a citation, plus "Quy định" (a title, but in
# running text "quy định" is mostly a verb, so citations leave it out).
_TYPE_LINE: list[tuple[str, str]] = [*TYPE_WORDS, (r"quy\s+dinh", "Quy định")]
_TYPE_LINE_RE = re.compile(
    r"^(?:" + "|".join(f"(?P<t{i}>{p})" for i, (p, _) in enumerate(_TYPE_LINE)) + r")(?![a-z])"
)

# The national motto, in typed and OCR spellings ("CONG HOA XA HQI…", "Poc lap — Tu do — …").
_MOTTO = re.compile(
    r"c[a-z]{2,3}g\s*h[a-z]{1,2}a\s+x[a-z]\s+h[a-z0-9]{1,2}i\s+ch[a-z]\s+ngh[a-z]{1,2}a\s+"
    r"vi[a-z]{1,2}t\s+nam"
    r"|[^\s|]+\s+[^\s|]+\s*[-—–]+\s*t[a-z]{1,2}\s+do\s*[-—–]+\s*h[a-z]+\s+ph[a-z0-9]+"
)
_RULE = re.compile(r"[-_=]{3,}")
_NUMBER_LABEL = re.compile(r"(?:^|(?<=[\s|*(]))(?:luat\s+)?s[a-z0-9]?\s*:\s*")
_BODY_START = re.compile(
    r"^\W*(?:can\s+c[a-z]{1,2}|th[a-z]{1,2}c\s+hi[a-z]{1,2}n|d?e\s+tri[a-z]{1,2}n\s+khai"
    r"|theo\s+de\s+nghi|xet\s+de\s+nghi|tren\s+co\s+so|nham\s)"
)
_ACRONYMS = frozenset({"UBND", "UBTVQH", "GD&ĐT", "TT&TT", "CCHC", "THCS", "THPT"})


def _is_acronym(word: str) -> bool:
    core = word.strip(",.;:()")
    return core in _ACRONYMS or (len(core) > 1 and not re.search(r"[aeiouy]", fold(core)))


# ------------------------------------------------------------------------------------------
# Header


def _clean_head(text: str) -> str:
    head = text[:_HEAD_CHARS]
    head = "\n".join(ln for ln in head.split("\n") if not ln.lstrip().startswith("#"))
    head = head.replace("**", " ").replace("*", " ").replace("|", "\n")
    return _RULE.sub("\n", head)


def _sentence_case(title: str) -> str:
    """An all-capitals title as a sentence; numbers, acronyms and place names keep their case."""
    letters = [c for c in title if c.isalpha()]
    if not letters or sum(c.isupper() for c in letters) < 0.9 * len(letters):
        return title
    words = title.split()
    out: list[str] = []
    for w in words:
        if any(ch.isdigit() for ch in w) or "/" in w or _is_acronym(w):
            out.append(w)
        else:
            out.append(w.lower())
    sentence = " ".join(out)
    sentence = sentence[:1].upper() + sentence[1:]
    sentence = re.sub(r"\bviệt nam\b", "Việt Nam", sentence)
    # "nghị quyết số 11/2022/NQ-HĐND" names a document: "Nghị quyết số …"
    sentence = _TYPE_BEFORE_NUMBER.sub(lambda m: m.group(1).capitalize() + " ", sentence)
    return _recapitalise(sentence)


_TYPE_BEFORE_NUMBER = re.compile(
    r"\b(nghị định|nghị quyết|quyết định|thông tư|chỉ thị|kế hoạch|luật|pháp lệnh) (?=số )"
)
_PLACE_AFTER = re.compile(r"\b(tỉnh|thành phố|huyện|quận|thị xã) ((?:[^\W\d_]+ ?){1,3})")


def _recapitalise(sentence: str) -> str:
    """Proper names in a lowered title: bodies ("sở công thương") and places ("tỉnh nam
    định", "huyện hải hậu") get their capitals back."""
    folded = fold_aligned(sentence)
    out = list(sentence)
    for body in find_bodies(sentence, folded):
        name_len = len(body.name)
        if fold(sentence[body.start : body.start + name_len]) == fold(body.name):
            out[body.start : body.start + name_len] = list(body.name)
    sentence = "".join(out)

    def place(m: re.Match[str]) -> str:
        words = m.group(2).split()
        for n in range(min(3, len(words)), 0, -1):
            found = format_place([w.capitalize() for w in words[:n]])
            if found in PROVINCES:
                rest = " ".join(words[n:])
                return (
                    f"{m.group(1)} {found}"
                    + (f" {rest}" if rest else "")
                    + (" " if m.group(2).endswith(" ") else "")
                )
        if m.group(1) in ("huyện", "quận", "thị xã") and len(words) >= 2:
            rest = " ".join(words[2:])
            named = " ".join(w.capitalize() for w in words[:2])
            return (
                f"{m.group(1)} {named}"
                + (f" {rest}" if rest else "")
                + (" " if m.group(2).endswith(" ") else "")
            )
        return m.group(0)

    return _PLACE_AFTER.sub(place, sentence)


def _find_type_line(head: str) -> tuple[str, str, int] | None:
    """(type, rest of the line, offset of the line) of the capitalised type line."""
    pos = 0
    for line in head.split("\n"):
        raw = line.strip()
        folded = fold_aligned(raw)
        m = _TYPE_LINE_RE.match(folded)
        if m and raw[: m.end()].upper() == raw[: m.end()] and not raw[m.end() :].startswith(":"):
            idx = next(int(k[1:]) for k, v in m.groupdict().items() if v)
            return _TYPE_LINE[idx][1], raw[m.end() :].strip(), pos
        pos += len(line) + 1
    return None


def _title_after(head: str, line_pos: int, rest: str) -> str | None:
    parts = [rest] if rest else []
    lines = head[line_pos:].split("\n")[1:]
    started = bool(parts)
    for line in lines:
        raw = line.strip()
        if not raw:
            if started:
                break
            continue
        folded = fold(raw)
        if _BODY_START.match(folded) or (len(" ".join(parts)) > 400):
            break
        parts.append(raw)
        started = True
    title = " ".join(" ".join(parts).split())
    return _sentence_case(title) or None


def _issuer_from_head(region: str) -> str | None:
    folded = fold_aligned(region)
    # Blank the motto and rules so that only the issuing bodies are left.
    for m in _MOTTO.finditer(folded):
        region = region[: m.start()] + " " * (m.end() - m.start()) + region[m.end() :]
    region = re.sub(r"\s+", " ", region)
    bodies = find_bodies(region)
    if not bodies:
        return None
    last = bodies[-1]
    # Co-issuers ("BỘ TÀI CHÍNH - BỘ LAO ĐỘNG…") are written side by side with a dash.
    joint = [last]
    for prev in reversed(bodies[:-1]):
        if re.fullmatch(r"\s*[-–]\s*", region[prev.end : joint[0].start]):
            joint.insert(0, prev)
        else:
            break
    if len(joint) > 1:
        return ", ".join(b.name + (f" {b.locality}" if b.locality else "") for b in joint)
    locality = last.locality
    if locality is None or locality.split()[-1] in ("tỉnh", "huyện", "phố", "xã", "quận"):
        # "UBND TỈNH LONG AN / SỞ GIÁO DỤC VÀ ĐÀO TẠO": the unit belongs to the parent's place.
        for parent in reversed(bodies[:-1]):
            if parent.locality and len(parent.locality.split()) > 1:
                locality = parent.locality
                break
    return last.name + (f" {locality}" if locality else "")


def _place_before(text: str, comma: int) -> str | None:
    """Place name written just before ", ngày …" (words back to the number or line label)."""
    words: list[str] = []
    for m in reversed(list(re.finditer(r"\S+", text[max(0, comma - 80) : comma]))):
        w = m.group().strip("*|")
        if not w or not re.fullmatch(r"[^\W\d_]+", w):
            break
        if not (w[0].isupper() or (words and fold(w) in ("pho", "thi", "xa"))):
            break
        words.insert(0, w)
        if len(words) >= 6:
            break
    if not words:
        return None
    if diacritic_ratio(" ".join(words)) < 0.2 or all(w.isupper() for w in words):
        return format_place(words)
    return " ".join(words)


_DECLARE = re.compile(
    rf"(?:^|[,;:\n])[\s*]*(?P<who>[^,;:\n]{{3,80}}?)\s+(?:xay\s+d[a-z]{{1,2}}ng|ban\s+h[a-z]{{1,2}}nh)"
    rf"\s+(?:{TYPE_WORD_RE})"
)
_ADOPTED = re.compile(
    rf"(?:{TYPE_WORD_RE})\s+nay\s+(?:da\s+)?d[a-z]{{1,3}}c[^.]{{0,160}}?thong\s+qua\s+"
    + DATE_RE.pattern
)


def _issuer_from_body(text: str) -> str | None:
    folded = fold_aligned(text[:3000])
    for m in _DECLARE.finditer(folded):
        who = text[m.start("who") : m.end("who")].strip(" *")
        name = normalize_issuer(who)
        if name:
            return name
    return None


# A body of a province (or under one) whose name leaves the province out: "Sở Giáo dục và Đào
# tạo", "Phòng GD&ĐT huyện …", "Trường THCS …", "UBND tỉnh".
_LOCAL_BODY = re.compile(r"^(?:so|phong|truong|uy ban|ubnd|hoi dong nhan dan|hdnd)\b")
_PROVINCE_MENTION = re.compile(r"\b(?:tinh|thanh pho|tp)\s+((?:[a-z]+\s+){0,2}[a-z]+)")
MIN_PROVINCE_MENTIONS = 2


def is_local_body(issuer: str | None) -> bool:
    """Whether an issuer is a body of one province whose name may leave the province out."""
    return bool(issuer) and bool(_LOCAL_BODY.match(fold(issuer or "")))


def _province_named(text: str) -> str | None:
    """The one province a document keeps naming ("… trên địa bàn tỉnh Long An"), or None when
    it names none, names it once, or names several."""
    counts: dict[str, int] = {}
    for m in _PROVINCE_MENTION.finditer(fold_aligned(text)):
        words = m.group(1).split()
        # "tỉnh Long An năm 2024": the longest leading words that name a province.
        found = next(
            (p for n in (3, 2, 1) if (p := match_province(" ".join(words[:n]))) is not None),
            None,
        )
        if found:
            counts[found] = counts.get(found, 0) + 1
    if len(counts) == 1 and (only := next(iter(counts.items())))[1] >= MIN_PROVINCE_MENTIONS:
        return only[0]
    return None


def extract_metadata(text: str) -> DocumentMeta:
    """Type, number, issuer, place, date, subject line and signer of a document."""
    text = nfc(text)
    meta = DocumentMeta()
    _, blocks = split_blocks(text)
    head = _clean_head(text)
    folded_head = fold_aligned(head)

    type_line = _find_type_line(head)
    region_end = type_line[2] if type_line else min(len(head), 1500)
    if type_line:
        meta.doc_type = type_line[0]
        meta.title = _title_after(head, type_line[2], type_line[1])

    issuer_end = region_end
    for m in _NUMBER_LABEL.finditer(folded_head, 0, region_end):
        found = number_at(head, folded_head, m.end())
        if found:
            meta.so_hieu = found[0]
            issuer_end = min(issuer_end, m.start())
            break

    for m in DATE_RE.finditer(folded_head, 0, region_end):
        comma = head.rfind(",", max(0, m.start() - 4), m.start())
        if comma < 0:
            continue
        iso = date_from_match(m)
        if iso:
            meta.issued_date = iso
            meta.place = _place_before(head, comma)
            if meta.so_hieu is None:  # the issuer is above the place-and-date line
                issuer_end = min(issuer_end, head.rfind("\n", 0, comma) + 1)
            break

    # Without a number, a date line or a type line there is no header to read bodies from.
    anchored = bool(type_line or meta.so_hieu or meta.issued_date)
    meta.issuer = (_issuer_from_head(head[:issuer_end]) if anchored else None) or (
        _issuer_from_body(text)
    )
    if meta.so_hieu:
        meta.doc_type = meta.doc_type or type_from_number(meta.so_hieu)
        meta.issuer = meta.issuer or issuer_from_number(meta.so_hieu)
    if meta.issued_date is None:
        body_folded = fold_aligned(text)
        for m in _ADOPTED.finditer(body_folded):
            meta.issued_date = date_from_match(m)
            if meta.issued_date:
                break
    meta.signer = signer(blocks)
    if meta.place is None and is_local_body(meta.issuer):
        # A plan saved from the web without its header ("Sở Giáo dục và Đào tạo" alone): the
        # province it keeps naming is where it applies, as its readers take it.
        meta.place = _province_named(text)
    return meta
