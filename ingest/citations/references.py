"""Every mention of a legal document in a text (`extract_legal_refs`): the number or a law's
name, the type word before it, then the date, issuer and subject after it, the passage that
quotes it, whether it is cited as a basis ("Căn cứ …"), and what documents listed together
share."""

from __future__ import annotations

import re

from motcua.ingest.citations.amendments import _link_relations
from motcua.ingest.citations.dates import DATE_RE, date_from_match
from motcua.ingest.citations.document_numbers import (
    NUMBER_RE,
    _parse_number,
    issuer_from_number,
    key_parts,
    so_hieu_key,
    type_from_number,
)
from motcua.ingest.citations.folding import _collapse, _is_ocr, fold_aligned
from motcua.ingest.citations.issuers import normalize_issuer
from motcua.ingest.citations.legal_ref import LegalRef
from motcua.ingest.citations.vocabulary import (
    _COORD,
    _CUA,
    _SO,
    _STARTER,
    _SUA,
    _SUBJECT_START,
    _TYPE_WORD_COMPILED,
    TYPE_WORD_RE,
    TYPE_WORDS,
)
from motcua.text import fold, fold_phrase, nfc

_TYPE_BEFORE = re.compile(rf"(?<![a-z])(?P<tw>{TYPE_WORD_RE})\s*(?:{_SO}\s*)?$")
_NAMED_BEFORE = re.compile(
    rf"(?<![a-z])(?P<tw>bo\s+luat|luat|phap\s+lenh)\s+(?P<name>(?:[^\n;,.()]|\n(?!\s*\n)){{2,80}}?)"
    rf"\s+{_SO}\s*$"
)
_DATE_AFTER = re.compile(r"[\s,]*(?:\(\s*)?" + DATE_RE.pattern)
_ISSUER_AFTER = re.compile(rf"[\s,]*(?:{_CUA}\s+){{1,2}}")
_ISSUER_STOP = re.compile(
    rf"\s+{_STARTER}|[,;.():“”\"]|\n\s*\n|\s+va\s+{TYPE_WORD_RE}|\s+ng[a-z]y\s*\d|\s[-–]\s"
)
_SUBJECT_STOP = re.compile(
    r"[;(“”\":]|\.(?:\s|$|/)|\n\s*\n|\n\s*[-+•]\s"
    r"|\s+(?:het|co)\s+hi[a-z]{1,2}u\s+l[a-z]{1,2}c"
    r"|\s+k[e&]\s+t[a-z]\s+(?:ngay|thoi\s+diem)"
    rf"|(?:,|\s+va)\s+(?:cac\s+)?{TYPE_WORD_RE}\s+(?:{_SO}\s*)?\d"
    r"|(?:,|\s+va)\s+\d{1,6}[a-z]?\s*/"
    rf"|\s+d[a-z0-9]{{1,4}}\s+{_SUA}|\s+va\s+[“\"]|\s+(?:duoc|dwoc|dugc)\s|\s+cho\s+den\s+khi"
    # ", <someone> xây dựng/ban hành kế hoạch…": the sentence goes on after the subject
    rf"|,\s+[^,;.]{{2,60}}?\s(?:xay\s+d[a-z]{{1,2}}ng|ban\s+h[a-z]{{1,2}}nh)\s+(?:{TYPE_WORD_RE})"
)
_BASIS = re.compile(
    r"^\W*(?:can\s+c[a-z]{1,2}|th[a-z]{1,2}c\s+hi[a-z]{1,2}n|d?e\s+tri[a-z]{1,2}n\s+khai|theo)\b"
)
_MAX_SUBJECT = 300


_CLAUSE_GAP = re.compile(r"^[\s;,]*$")
_OPENS_WITH_TYPE = re.compile(r"^\W*" + TYPE_WORD_RE + r"\b")


def _continue_bases(refs: list[LegalRef], folded: str) -> None:
    """ "Căn cứ A; B; C, …" lists its bases as clauses: a clause that opens with a document type
    right after a basis clause is a basis too."""
    previous: LegalRef | None = None
    for ref in refs:
        if (
            not ref.basis
            and previous is not None
            and previous.basis
            and _CLAUSE_GAP.match(folded[previous.passage_span[1] : ref.passage_span[0]])
            and _OPENS_WITH_TYPE.match(folded[ref.passage_span[0] : ref.passage_span[1]])
        ):
            ref.basis = True
        previous = ref


NAMED_TYPES = frozenset({"Luật", "Bộ luật", "Pháp lệnh", "Hiến pháp"})  # cited by their names
_OTHER_TYPE_IN_NAME = re.compile(
    rf"(?<![a-z])(?:{'|'.join(p for p, n in TYPE_WORDS if n not in NAMED_TYPES)})(?![a-z])"
)


def _type_before(folded: str, start: int) -> tuple[str | None, int, tuple[int, int] | None]:
    """Type word written just before a number: (type, start of the mention, span of a law's
    name when the number follows one: "Luật An ninh mạng số 24/2018/QH14")."""
    window_start = max(0, start - 120)
    window = folded[window_start:start]
    m = _NAMED_BEFORE.search(window)
    if m and _OTHER_TYPE_IN_NAME.search(m.group("name")):
        # "Luật Luật sư năm 2006 - Nghị định số 123/2013/NĐ-CP": the law is listed before the
        # decree, and the number is the decree's.
        m = None
    if m:
        kind = {"bo": "Bộ luật", "ph": "Pháp lệnh"}.get(m.group("tw")[:2], "Luật")
        # "… của Luật X số N": N is the number of the amending law written before, not of X.
        owned = not re.search(rf"{_CUA}\s+$", window[: m.start()])
        name_span = (window_start + m.start("name"), window_start + m.end("name"))
        return kind, window_start + m.start(), (name_span if owned else None)
    m = _TYPE_BEFORE.search(window)
    if not m:
        return None, start, None
    tw = re.sub(r"\s+", " ", m.group("tw"))
    for rx, name in _TYPE_WORD_COMPILED:
        if rx.match(tw):
            return name, window_start + m.start(), None
    return None, start, None


def _issuer_after(text: str, folded: str, pos: int) -> tuple[str | None, int]:
    m = _ISSUER_AFTER.match(folded, pos)
    if not m:
        return None, pos
    start = m.end()
    stop = _ISSUER_STOP.search(folded, start, min(len(folded), start + 160))
    end = stop.start() if stop else min(len(folded), start + 80)
    phrase = _collapse(text[start:end])
    if not phrase or len(phrase.split()) > 14:
        return None, pos
    return phrase, end


def _subject_after(text: str, folded: str, pos: int) -> tuple[str | None, int]:
    m = _SUBJECT_START.match(folded, pos)
    if not m:
        return None, pos
    start = m.end()
    stop = _SUBJECT_STOP.search(folded, start + 2, min(len(folded), start + _MAX_SUBJECT + 40))
    end = stop.start() if stop else min(len(folded), start + _MAX_SUBJECT)
    if end - start > _MAX_SUBJECT:
        cut = text.rfind(" ", start, start + _MAX_SUBJECT)
        end = cut if cut > start else start + _MAX_SUBJECT
    subject = _collapse(text[start:end]).rstrip(" ,-–")
    if len(subject.split()) < 2:
        return None, pos
    return subject, start + len(text[start:end].rstrip(" ,-–\n\t"))


_BOUNDARY_BACK = re.compile(
    r"(?:[.;!?](?=\s)|\n\s*\n|\n\s*[-+•]\s|\n\s*(?:\d+(?:\.\d+)*\.|[a-zđ]\))\s)"
)


_BOUNDARY_FORWARD = re.compile(r"[.;!?](?=\s|$)|\n\s*\n|\n\s*[-+•]\s")


def _passage(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause around [start, end): from the previous ". ", ";" or bullet to the next."""
    lo = max(0, start - 600)
    b = lo
    for m in _BOUNDARY_BACK.finditer(text, lo, start):
        b = m.end()
    if b == lo and lo > 0:
        space = text.find(" ", lo, start)
        b = space + 1 if space >= 0 else lo
    hi = min(len(text), end + 600)
    m = _BOUNDARY_FORWARD.search(text, end, hi)
    e = m.start() + 1 if m and text[m.start()] in ".;!?" else (m.start() if m else hi)
    return b, e


_NAMED_HEAD = re.compile(
    # the name follows on the same line or the next one, never after a blank line (a title)
    r"(?<![a-z])(bo\s+luat|luat|phap\s+lenh|hien\s+phap)(?:[ \t]+|[ \t]*\n[ \t]*)"
)
# A date, a year ("năm 2015", or alone: "… Việt Nam 2008"; "Nam" is not "năm"), "số", a blank line.
_NAME_END = (
    r"\s+ng[a-z]y\s*\d|(?<!viet)\s+n[a-z0-9]{1,2}m\s+\d{4}|\s+(?:19|20)\d\d(?![\d/])"
    r"|\s+s[a-z0-9]{0,2}\s*:?\s*\d|\n\s*\n"
)
# Words that end a law's name. Matched on the text as written when it has diacritics ("về" ends
# a name, "vệ" in "Luật Bảo vệ…" does not); on OCR text only the folded form is left.
_NAME_STOP_WORDS = (
    "đã|được|của|về|quy định|theo|tại|thì|trong|để|này|có(?! công)|là|số|khóa|khoá|kỳ"
    "|phải|mà|hoặc|nếu|khi|sẽ|đang|bị"
    "|và (?:văn bản|pháp luật|các|những|luật|bộ luật|pháp lệnh|nghị|thông|quyết|điều|khoản)"
)
_NAME_STRUCTURE = re.compile(_NAME_END + r"|[;.():“”\"*]|,(?!\s*chong)")
_NAME_WORDS_CLEAN = re.compile(r"\s+(?:" + _NAME_STOP_WORDS + r")(?![^\W\d_])")
_NAME_WORDS_OCR = re.compile(r"\s+(?:" + fold(_NAME_STOP_WORDS) + r")(?![a-z])")
_NAME_STOP_AMENDING = re.compile(_NAME_END + r"|[;()“”\"*]")


# Words before "luật" that make it a common noun rather than a law's title.
_LAW_AS_NOUN = re.compile(
    r"(?<![a-z])(?:phap|cong\s+ty|van\s+phong|hanh\s+nghe|tu\s+van|nganh|doan|cu\s+nhan"
    r"|thac\s+si|tien\s+si)\s+$"
)
# Words after "Luật" that are not a law's name: a lawyer ("luật sư"), a bare "sửa đổi, bổ sung".
NOT_A_LAW_NAME = frozenset({"su", "su su", "sua doi bo sung", "sua doi", "bo sung"})
_AMENDS_A_NAMED = re.compile(r"\b(?:cua|cac)\b")  # "… một số điều của Luật X", "… các luật"


def _lower_aligned(text: str) -> str:
    return "".join(c if len(low := c.lower()) != 1 else low for c in text)


def _named_refs(text: str, folded: str, taken: list[tuple[int, int]]) -> list[LegalRef]:
    """Laws, codes and ordinances cited by name ("Luật Tổ chức chính quyền địa phương năm 2015")."""
    refs: list[LegalRef] = []
    lower = _lower_aligned(text)
    for m in _NAMED_HEAD.finditer(folded):
        if any(a <= m.start() < b for a, b in taken):
            continue
        kind = {"bo": "Bộ luật", "lu": "Luật", "ph": "Pháp lệnh", "hi": "Hiến pháp"}[m.group(1)[:2]]
        if kind == "Luật" and _LAW_AS_NOUN.search(folded, max(0, m.start() - 20), m.start()):
            continue  # "của pháp luật Việt Nam", "công ty luật": law in general, a law firm
        name_start = m.end()
        is_amending = bool(re.match(_SUA, folded[name_start:]))
        name = None
        if kind == "Hiến pháp":
            name_end = name_start
            country = re.match(
                r"n[a-z]{1,2}c\s+c[^\n;]{0,45}?vi[a-z]{1,2}t\s+nam\s*", folded[name_start:]
            )
            if country:
                name_end += country.end()
        else:
            if not (text[name_start : name_start + 1].isupper() or is_amending):
                continue
            name_end = min(len(text), name_start + 120)
            if is_amending:
                stops = [_NAME_STOP_AMENDING.search(folded, name_start + 1)]
            else:
                ocr = _is_ocr(text[name_start : name_start + 80])
                words = (
                    _NAME_WORDS_OCR.search(folded, name_start + 1)
                    if ocr
                    else (_NAME_WORDS_CLEAN.search(lower, name_start + 1))
                )
                stops = [_NAME_STRUCTURE.search(folded, name_start + 1), words]
            name_end = min([st.start() for st in stops if st] + [name_end])
            name_text = re.sub(r"\s+(?:và|va)$", "", _collapse(text[name_start:name_end]))
            if not name_text or len(name_text.split()) > (30 if is_amending else 12):
                continue
            if fold_phrase(name_text) in NOT_A_LAW_NAME:
                continue  # "luật sư" is a lawyer; "Luật sửa đổi, bổ sung" names no law
            if is_amending and not _AMENDS_A_NAMED.search(fold_phrase(name_text)):
                continue
            if re.match(rf"\s+{_SO}\s*\d", folded[name_end:]):
                continue  # "Luật X số 24/2018/QH14" is a numbered mention
            name = f"{kind} {name_text}"
        date = year = None
        end = name_end
        dm = _DATE_AFTER.match(folded, name_end)
        if dm:
            date = date_from_match(dm)
            year = date[:4] if date else None
            end = dm.end()
        else:
            # "… năm 2008", or the year alone: "Luật Quốc tịch Việt Nam 2008"
            ym = re.match(
                r"[\s,]*(?:n[a-z0-9]{1,2}m\s+)?((?:19|20)\d\d)(?![\d/])", folded[name_end:]
            )
            if ym:
                year = ym.group(1)
                end = name_end + ym.end()
        key = f"luat:{fold_phrase(name or kind)}" + (f"@{year}" if year else "")
        refs.append(
            LegalRef(
                key=key,
                so_hieu=None,
                doc_type=kind,
                name=name or kind + (f" năm {year}" if year else ""),
                date=date,
                span=(m.start(), end),
                core_end=end,
                raw=text[m.start() : end],
            )
        )
        taken.append((m.start(), end))
    return refs


def extract_legal_refs(text: str) -> list[LegalRef]:
    """Every mention of a legal document in `text`, in order, with the relations it states.

    The document's own number in its header is a mention too; callers that know it (the
    registry) leave it out.
    """
    text = nfc(text)
    folded = fold_aligned(text)
    refs: list[LegalRef] = []
    taken: list[tuple[int, int]] = []
    for m in NUMBER_RE.finditer(folded):
        number = _parse_number(text, m)
        if number is None:
            continue
        doc_type, start, name_span = _type_before(folded, number.start)
        name = f"{doc_type} {_collapse(text[name_span[0] : name_span[1]])}" if name_span else None
        doc_type = doc_type or type_from_number(number.canonical)
        pos = number.end
        date = None
        dm = _DATE_AFTER.match(folded, pos)
        if dm and (d := date_from_match(dm)):
            date, pos = d, dm.end()
        issuer_phrase, ipos = _issuer_after(text, folded, pos)
        issuer, implied = None, False
        if issuer_phrase:
            pos = ipos
            issuer = normalize_issuer(issuer_phrase)
            if issuer is None and not _is_ocr(issuer_phrase):
                issuer = issuer_phrase
        if issuer is None:
            issuer = issuer_from_number(number.canonical)
            implied = issuer is not None
        if date is None:  # "… của Chính phủ ngày 23/4/2018" also occurs
            dm = _DATE_AFTER.match(folded, pos)
            if dm and (d := date_from_match(dm)):
                date, pos = d, dm.end()
        subject, send = _subject_after(text, folded, pos)
        end = max(pos, send)
        ref = LegalRef(
            key=so_hieu_key(number.canonical),
            so_hieu=number.canonical,
            doc_type=doc_type,
            name=name,
            date=date,
            issuer=issuer,
            issuer_implied=implied,
            subject=subject,
            span=(start, end),
            number_span=(number.start, number.end),
            raw=text[start:end],
            core_end=pos,
        )
        refs.append(ref)
        taken.append((start, number.end))
    refs.extend(_named_refs(text, folded, taken))
    refs.sort(key=lambda r: r.span[0])
    for ref in refs:
        a, b = _passage(text, ref.span[0], ref.span[1])
        ref.passage_span = (a, b)
        ref.passage = _collapse(text[a:b])
        ref.basis = bool(_BASIS.match(folded[a:b]))
    _continue_bases(refs, folded)
    _share_coordinated(refs, folded)
    _link_relations(refs, folded)
    return refs


def _share_coordinated(refs: list[LegalRef], folded: str) -> None:
    """In a list ("A, B ngày X của Y về Z") A takes B's date, issuer and subject if it has none."""
    for a, b in zip(refs[::-1][1:], refs[::-1][:-1], strict=True):
        if a.doc_type != b.doc_type or a.subject or not (a.issuer_implied or a.issuer is None):
            continue
        if not _COORD.match(folded[a.core_end : b.span[0]]):
            continue
        if a.date is None and b.date and _year_fits(a, b.date):
            a.date = b.date
        if b.issuer and not b.issuer_implied:
            a.issuer, a.issuer_implied = b.issuer, False
        if b.subject:
            a.subject = b.subject


def _year_fits(ref: LegalRef, date: str) -> bool:
    if ref.so_hieu is None:
        return True
    year = key_parts(ref.key)[1]
    return year is None or year == date[:4]
