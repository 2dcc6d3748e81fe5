"""References to legal documents inside Vietnamese administrative text.

Every mention such as "Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ về thực hiện cơ
chế một cửa…" (or its OCR form "Nghi dinh 61/2018/ND-CP ngay 23/4/2018 ctia Chinh phu") becomes a
`LegalRef`: canonical number, type, ISO date, issuer, subject, where it is and the passage that
quotes it, plus the amendment relations the text states ("A sửa đổi, bổ sung … B", "B (được sửa
đổi tại A)", "Nghị định này thay thế B", "B … hết hiệu lực").

Matching runs on a folded copy of the text that keeps every character at its original offset,
so spans and quotes always point into the text as written. The vocabulary here (type and
issuer abbreviations after Nghị định 30/2020/NĐ-CP, body names, provinces, date forms) is shared
with `motcua.ingest.metadata`.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any

from motcua.text import diacritic_ratio, fold, fold_phrase, nfc, strip_diacritics

# --------------------------------------------------------------------------------------------
# Folding that keeps offsets


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


# --------------------------------------------------------------------------------------------
# Vocabulary

# Type words as they open a mention, folded; OCR keeps consonants, so only a few vowels vary.
# The order matters: longer names first.
TYPE_WORDS: list[tuple[str, str]] = [
    (r"nghi\s+quyet\s+lien\s+tich", "Nghị quyết liên tịch"),
    (r"thong\s+tu\s+lien\s+tich", "Thông tư liên tịch"),
    (r"chuong\s+trinh\s+hanh\s+dong", "Chương trình hành động"),
    (r"nghi\s+dinh", "Nghị định"),
    (r"nghi\s+quyet", "Nghị quyết"),
    (r"quyet\s+dinh", "Quyết định"),
    (r"thong\s+tu", "Thông tư"),
    (r"chi\s+thi", "Chỉ thị"),
    (r"k[e&]\s*hoach", "Kế hoạch"),
    (r"cong\s+van", "Công văn"),
    (r"cong\s+dien", "Công điện"),
    (r"bo\s+luat", "Bộ luật"),
    (r"luat", "Luật"),
    (r"phap\s+lenh", "Pháp lệnh"),
    (r"hien\s+phap", "Hiến pháp"),
    (r"chuong\s+trinh", "Chương trình"),
    (r"to\s+trinh", "Tờ trình"),
    (r"de\s+an", "Đề án"),
    (r"thong\s+bao", "Thông báo"),
    (r"huong\s+dan", "Hướng dẫn"),
    (r"ket\s+luan", "Kết luận"),
    (r"bao\s+cao", "Báo cáo"),
    (r"quy\s+che", "Quy chế"),
]
TYPE_WORD_RE = "(?:" + "|".join(p for p, _ in TYPE_WORDS) + ")"
_TYPE_WORD_COMPILED = [(re.compile(p + r"$"), name) for p, name in TYPE_WORDS]

# The "số" slot between a type word and a number: "số", "số:", OCR "s6", "sb", "sé6", "s".
_SO = r"s[a-z0-9]{0,2}\s*:?"

# Abbreviation of a document type inside a number (Nghị định 30/2020/NĐ-CP, Phụ lục III, plus
# the usual ones of laws, party documents and joint circulars).
TYPE_ABBREVIATIONS: dict[str, str] = {
    "NĐ": "Nghị định",
    "NQ": "Nghị quyết",
    "NQLT": "Nghị quyết liên tịch",
    "QĐ": "Quyết định",
    "CT": "Chỉ thị",
    "TT": "Thông tư",
    "TTLT": "Thông tư liên tịch",
    "KH": "Kế hoạch",
    "CTr": "Chương trình",
    "TTr": "Tờ trình",
    "ĐA": "Đề án",
    "DA": "Dự án",
    "TB": "Thông báo",
    "HD": "Hướng dẫn",
    "BC": "Báo cáo",
    "BB": "Biên bản",
    "QC": "Quy chế",
    "QyĐ": "Quy định",
    "PA": "Phương án",
    "CĐ": "Công điện",
    "TC": "Thông cáo",
    "GM": "Giấy mời",
    "GGT": "Giấy giới thiệu",
    "GUQ": "Giấy ủy quyền",
    "GNP": "Giấy nghỉ phép",
    "PG": "Phiếu gửi",
    "PC": "Phiếu chuyển",
    "PB": "Phiếu báo",
    "HĐ": "Hợp đồng",
    "GN": "Bản ghi nhớ",
    "TTh": "Bản thỏa thuận",
    "KL": "Kết luận",
    "PL": "Pháp lệnh",
    "SL": "Sắc lệnh",
}

# Issuer abbreviations that name one body wherever they appear.
ISSUER_ABBREVIATIONS: dict[str, str] = {
    "CP": "Chính phủ",
    "TTg": "Thủ tướng Chính phủ",
    "VPCP": "Văn phòng Chính phủ",
    "CTN": "Chủ tịch nước",
    "BGDĐT": "Bộ Giáo dục và Đào tạo",
    "BTC": "Bộ Tài chính",
    "BNV": "Bộ Nội vụ",
    "BTP": "Bộ Tư pháp",
    "BCA": "Bộ Công an",
    "BYT": "Bộ Y tế",
    "BQP": "Bộ Quốc phòng",
    "BXD": "Bộ Xây dựng",
    "BCT": "Bộ Công Thương",
    "BNG": "Bộ Ngoại giao",
    "BTTTT": "Bộ Thông tin và Truyền thông",
    "BTNMT": "Bộ Tài nguyên và Môi trường",
    "BKHĐT": "Bộ Kế hoạch và Đầu tư",
    "BKHCN": "Bộ Khoa học và Công nghệ",
    "BGTVT": "Bộ Giao thông vận tải",
    "BLĐTBXH": "Bộ Lao động - Thương binh và Xã hội",
    "BVHTTDL": "Bộ Văn hóa, Thể thao và Du lịch",
    "BNNPTNT": "Bộ Nông nghiệp và Phát triển nông thôn",
    "BNNMT": "Bộ Nông nghiệp và Môi trường",
    "NHNN": "Ngân hàng Nhà nước Việt Nam",
    "TANDTC": "Tòa án nhân dân tối cao",
    "VKSNDTC": "Viện kiểm sát nhân dân tối cao",
    "KTNN": "Kiểm toán nhà nước",
    "TW": "Ban Chấp hành Trung ương Đảng",
    "TU": "Tỉnh ủy",
    "UBND": "Ủy ban nhân dân",
    "HĐND": "Hội đồng nhân dân",
    "SGDĐT": "Sở Giáo dục và Đào tạo",
    "PGDĐT": "Phòng Giáo dục và Đào tạo",
}
_QH = re.compile(r"^(UBTVQH|QH)(\d{0,2})$")

# Other symbols seen in numbers, listed so their Đ and mixed case come back from OCR.
_OTHER_TOKENS = ["GDĐT", "LĐTBXH", "VHXH", "VP", "TTHC", "CTUBND", "ĐHQG", "BCĐ"]


def _token_table() -> dict[str, str]:
    canon = list(TYPE_ABBREVIATIONS) + list(ISSUER_ABBREVIATIONS) + _OTHER_TOKENS
    table: dict[str, str] = {}
    for tok in canon:
        table.setdefault(strip_diacritics(tok).upper(), tok)
    # OCR reads Đ as D, P or B; accept those spellings unless they already mean something else.
    for tok in canon:
        if "Đ" not in tok:
            continue
        for sub in ("P", "B"):
            variant = strip_diacritics(tok.replace("Đ", sub)).upper()
            table.setdefault(variant, tok)
    return table


_TOKENS = _token_table()


def _canon_token(raw: str) -> str:
    """One symbol of a number, canonical: "nd" -> "NĐ", "Qb" -> "QĐ", "qh14" -> "QH14"."""
    key = strip_diacritics(raw).upper()
    if key in _TOKENS:
        return _TOKENS[key]
    qh = _QH.match(key)
    if qh:
        return key
    return raw.replace("đ", "Đ").upper()


def _token_known(raw: str) -> bool:
    key = strip_diacritics(raw).upper()
    return key in _TOKENS or bool(_QH.match(key))


# --------------------------------------------------------------------------------------------
# Dates

DATE_RE = re.compile(
    r"ng[a-z]y\s*(?P<d>\d{1,2})\s*(?:"
    r"[/.\-]\s*(?P<m1>\d{1,2})\s*[/.\-]\s*(?P<y1>\d{4})"
    r"|,?\s*th[a-z]{2,4}\s*(?P<m2>\d{1,2})\s*,?\s*n[a-z0-9]{1,2}m\s*(?P<y2>\d{4})"
    r")(?!\d)"
)


def date_from_match(m: re.Match[str]) -> str | None:
    """ISO date of a `DATE_RE` match, None when the numbers are not a real date."""
    day = int(m.group("d"))
    month = int(m.group("m1") or m.group("m2"))
    year = int(m.group("y1") or m.group("y2"))
    if not 1900 <= year <= 2100:
        return None
    try:
        return _dt.date(year, month, day).isoformat()
    except ValueError:
        return None


# --------------------------------------------------------------------------------------------
# Numbers (số hiệu)

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


# --------------------------------------------------------------------------------------------
# Bodies and places

# OCR keeps consonants and garbles vowels ("Gido duc va Pao tao", "Chinh phi1", "ctia"), so a
# body name matches by its consonant skeleton with a loose class for every vowel run.
_V = "[aeiouy0-9&dbltwr]"
_VOWELS = set("aeiouy")

BODIES: list[tuple[str, list[str]]] = [
    ("Ủy ban Thường vụ Quốc hội", ["UBTVQH"]),
    ("Chủ tịch Ủy ban nhân dân", ["Chủ tịch UBND"]),
    ("Ủy ban Mặt trận Tổ quốc Việt Nam", ["Ủy ban MTTQ Việt Nam", "UBMTTQVN"]),
    ("Ủy ban nhân dân", ["UBND"]),
    ("Hội đồng nhân dân", ["HĐND"]),
    ("Sở Giáo dục và Đào tạo", ["Sở GD&ĐT", "Sở GDĐT", "SGDĐT"]),
    ("Phòng Giáo dục và Đào tạo", ["Phòng GD&ĐT", "Phòng GDĐT", "PGDĐT"]),
    ("Bộ Giáo dục và Đào tạo", ["Bộ GD&ĐT", "Bộ GDĐT", "BGDĐT"]),
    ("Sở Nội vụ", []),
    ("Sở Tư pháp", []),
    ("Sở Tài chính", []),
    ("Sở Thông tin và Truyền thông", ["Sở TT&TT"]),
    ("Sở Công Thương", []),
    ("Sở Tài nguyên và Môi trường", []),
    ("Sở Lao động - Thương binh và Xã hội", ["Sở LĐTBXH"]),
    ("Thủ tướng Chính phủ", []),
    ("Văn phòng Chính phủ", ["VPCP"]),
    ("Chính phủ", []),
    ("Chủ tịch nước", []),
    ("Quốc hội", []),
    ("Bộ Tài chính", []),
    ("Bộ Nội vụ", []),
    ("Bộ Tư pháp", []),
    ("Bộ Công an", []),
    ("Bộ Y tế", []),
    ("Bộ Quốc phòng", []),
    ("Bộ Xây dựng", []),
    ("Bộ Công Thương", []),
    ("Bộ Ngoại giao", []),
    ("Bộ Thông tin và Truyền thông", ["Bộ TT&TT"]),
    ("Bộ Tài nguyên và Môi trường", []),
    ("Bộ Kế hoạch và Đầu tư", []),
    ("Bộ Khoa học và Công nghệ", []),
    ("Bộ Giao thông vận tải", []),
    ("Bộ Lao động - Thương binh và Xã hội", ["Bộ LĐTBXH"]),
    ("Bộ Văn hóa, Thể thao và Du lịch", []),
    ("Bộ Nông nghiệp và Phát triển nông thôn", []),
    ("Bộ Nông nghiệp và Môi trường", []),
    ("Tổng cục Thuế", []),
    ("Cục Thuế", []),
    ("Ban Chấp hành Trung ương Đảng", ["Ban Chấp hành Trung ương"]),
    ("Ban Thường vụ Tỉnh ủy", []),
    ("Tỉnh ủy", []),
    ("Thành ủy", []),
    ("Ngân hàng Nhà nước Việt Nam", []),
]

PROVINCES: list[str] = [
    "Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế", "An Giang",
    "Bà Rịa - Vũng Tàu", "Bắc Giang", "Bắc Kạn", "Bạc Liêu", "Bắc Ninh", "Bến Tre", "Bình Định",
    "Bình Dương", "Bình Phước", "Bình Thuận", "Cà Mau", "Cao Bằng", "Đắk Lắk", "Đắk Nông",
    "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Giang", "Hà Nam", "Hà Tĩnh",
    "Hải Dương", "Hậu Giang", "Hòa Bình", "Hưng Yên", "Khánh Hòa", "Kiên Giang", "Kon Tum",
    "Lai Châu", "Lâm Đồng", "Lạng Sơn", "Lào Cai", "Long An", "Nam Định", "Nghệ An",
    "Ninh Bình", "Ninh Thuận", "Phú Thọ", "Phú Yên", "Quảng Bình", "Quảng Nam", "Quảng Ngãi",
    "Quảng Ninh", "Quảng Trị", "Sóc Trăng", "Sơn La", "Tây Ninh", "Thái Bình", "Thái Nguyên",
    "Thanh Hóa", "Thừa Thiên Huế", "Tiền Giang", "Trà Vinh", "Tuyên Quang", "Vĩnh Long",
    "Vĩnh Phúc", "Yên Bái",
]  # fmt: skip

_LEVELS: list[tuple[str, str]] = [
    (r"th[a-z]{1,2}nh\s*ph[a-z0-9]{1,2}|tp\.?", "thành phố"),
    (r"t[a-z]{1,2}nh", "tỉnh"),
    (r"h[a-z]{2,3}n", "huyện"),
    (r"qu[a-z0-9]{1,2}n", "quận"),
    (r"th[a-z0-9]{1,2}\s+x[a-z0-9]{1,2}", "thị xã"),
    (r"x[a-z0-9]", "xã"),
    (r"ph[a-z]{1,3}ng", "phường"),
]


def _word_regex(word: str) -> str:
    """Skeleton regex of one word of a body name (folded, OCR tolerant)."""
    if word == "-":
        return r"[-–—]?"
    if word.lower() == "sở":
        return r"s[o06&]?"
    trailing = ""
    if word.endswith(","):
        word, trailing = word[:-1], r"\s*,?"
    folded = fold(word)
    out: list[str] = []
    is_acronym = word.isupper() and len(word) > 1
    i = 0
    while i < len(word):
        ch, fch = word[i], folded[i]
        if ch in "đĐ":
            out.append("[dpb]")
        elif fch == "&":
            out.append(r"\s*&\s*")
        elif fch in _VOWELS and not is_acronym:
            j = i
            while j < len(word) and folded[j] in _VOWELS:
                j += 1
            out.append(f"{_V}{{1,3}}")
            i = j
            continue
        else:
            out.append(re.escape(fch))
        i += 1
    return "".join(out) + trailing


def _name_regex(name: str) -> str:
    return r"\s*".join(_word_regex(w) for w in name.split())


def _body_patterns() -> tuple[re.Pattern[str], list[str]]:
    alts: list[tuple[int, str, str]] = []
    for canonical, aliases in BODIES:
        for spelling in [canonical, *aliases]:
            alts.append((len(fold(spelling)), _name_regex(spelling), canonical))
    alts.sort(key=lambda a: -a[0])
    names = [c for _, _, c in alts]
    joined = "|".join(f"(?P<b{i}>{rx})" for i, (_, rx, _) in enumerate(alts))
    return re.compile(rf"(?<![a-z0-9])(?:{joined})(?![a-z0-9])"), names


_BODY_RE, _BODY_NAMES = _body_patterns()
_LEVEL_RE = re.compile(
    r"\s*,?\s*(?P<lvl>" + "|".join(f"(?:{p})" for p, _ in _LEVELS) + r")(?![a-z0-9])"
)
_PROVINCE_FOLDED = {fold_phrase(p).replace(" ", ""): p for p in PROVINCES}
_PROVINCE_RE = [
    (re.compile(r"\s*".join(_word_regex(w) if "đ" in w.lower() else re.escape(fold(w))
                            for w in p.replace(" - ", " ").split()) + "$"), p)
    for p in PROVINCES
]  # fmt: skip


def _edit_distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def match_province(words: str) -> str | None:
    """The province or city a (possibly OCR-garbled) name stands for, or None."""
    compact = re.sub(r"[^a-z0-9]", "", fold(words))
    if not compact:
        return None
    if compact in _PROVINCE_FOLDED:
        return _PROVINCE_FOLDED[compact]
    spaced = fold_phrase(words)
    for rx, name in _PROVINCE_RE:
        if rx.match(spaced):
            return name
    if len(compact) >= 7:
        close = [p for k, p in _PROVINCE_FOLDED.items() if _edit_distance(k, compact) <= 1]
        if len(close) == 1:
            return close[0]
    return None


def _level_name(folded_level: str) -> str:
    for pattern, name in _LEVELS:
        if re.fullmatch(pattern, folded_level.strip()):
            return name
    return folded_level


def _place_words(raw: str, limit: int = 4) -> list[str]:
    """Leading capitalised words of `raw` (a place name after "tỉnh", "huyện"…)."""
    out: list[str] = []
    for w in re.findall(r"[^\W\d_]+|[-–]|\S+", raw):
        if w in "-–" and out:
            out.append("-")
            continue
        if not (w[:1].isalpha() and w[:1].isupper()):
            break
        out.append(w)
        if len(out) >= limit:
            break
    while out and out[-1] == "-":
        out.pop()
    return out


def format_place(words: list[str]) -> str:
    """A place name as it should read: province table first, else capitalised words."""
    joined = " ".join(words)
    province = match_province(joined)
    if province:
        return province
    if all(w.isupper() for w in words if w != "-") and not _is_ocr(joined):
        return " ".join(w.capitalize() if w != "-" else w for w in words)
    return joined


@dataclass
class BodyMatch:
    name: str  # canonical body name
    start: int
    end: int  # end of the body and its place, if any
    locality: str | None  # "tỉnh Long An", "tỉnh"


def find_bodies(text: str, folded: str | None = None) -> list[BodyMatch]:
    """Every known issuing body in `text`, with the place that follows it."""
    folded = fold_aligned(text) if folded is None else folded
    found = list(_BODY_RE.finditer(folded))
    out: list[BodyMatch] = []
    for k, m in enumerate(found):
        idx = next(int(g[1:]) for g, v in m.groupdict().items() if v is not None)
        name = _BODY_NAMES[idx]
        end = m.end()
        limit = found[k + 1].start() if k + 1 < len(found) else len(text)
        locality = None
        lm = _LEVEL_RE.match(folded, end, limit)
        # "Tỉnh ủy" and the like already name their level.
        if lm and not name.endswith(("ủy", "nước", "phủ", "hội", "Đảng", "Trung ương")):
            level = _level_name(lm.group("lvl"))
            words = _place_words(text[lm.end() : limit])
            locality = f"{level} {format_place(words)}" if words else level
            end = lm.end() + (len(text[lm.end() : limit]) - len(text[lm.end() : limit].lstrip()))
            if words:
                end += len(" ".join(words))
        out.append(BodyMatch(name, m.start(), end, locality))
    return out


_SCHOOL_RE = re.compile(
    r"(?<![a-z])tr[a-z]{1,3}ng\s+(?=(?:thcs|thpt|th|tieu\s+hoc|mam\s+non|mn|mg|ptdtnt|ptdtbt|pt"
    r"|trung\s+hoc|dai\s+hoc|cao\s+dang)(?![a-z]))"
)


def normalize_issuer(phrase: str) -> str | None:
    """Canonical name of an issuing body written as `phrase`, or None when it is not known.

    "UBND tinh" -> "Ủy ban nhân dân tỉnh", "S6 GD&DT" -> "Sở Giáo dục và Đào tạo",
    "Truong THCS Thuong Son" -> "Trường THCS Thuong Son" (a proper name is left as written).
    """
    text = _collapse(nfc(phrase)).strip(" ,;.")
    if not text:
        return None
    folded = fold_aligned(text)
    school = _SCHOOL_RE.match(folded)
    if school:
        return "Trường " + text[school.end() :]
    bodies = find_bodies(text, folded)
    if not bodies or bodies[0].start > 0:
        return None
    body = bodies[0]
    rest = text[body.end :].strip(" ,;.")
    if rest and re.match(r"kh[a-z]{1,2}\s", fold(rest)):
        return f"{body.name} {rest}"  # "Quốc hội khóa X"
    if rest and not (len(bodies) > 1 and bodies[1].start <= body.end + 3):
        return None  # more words than a body name: leave the phrase to the caller
    return body.name + (f" {body.locality}" if body.locality else "")


# --------------------------------------------------------------------------------------------
# References


@dataclass
class LegalRef:
    """One mention of a legal document.

    Spans are offsets into `nfc(text)` (the text itself when it is already NFC, as loaders
    produce). `key` identifies the document across mentions and documents: the folded number
    (`so_hieu_key`), or "luat:<folded name>@<year>" for a law cited by name only.
    """

    key: str
    so_hieu: str | None  # canonical number ("61/2018/NĐ-CP"); None for a law cited by name
    doc_type: str | None  # "Nghị định"; from the words before the number, else its symbols
    name: str | None = None  # for laws cited by name: "Luật Tổ chức chính quyền địa phương"
    date: str | None = None  # ISO date of issue, when the mention gives it
    issuer: str | None = None
    issuer_implied: bool = False  # True when the issuer comes from the number's suffix
    subject: str | None = None  # the "về …" phrase as written, whitespace collapsed
    span: tuple[int, int] = (0, 0)  # the whole mention: type word … end of subject
    number_span: tuple[int, int] | None = None
    raw: str = ""  # the mention as written
    passage: str = ""  # the sentence or clause that cites it, whitespace collapsed
    passage_span: tuple[int, int] = (0, 0)
    basis: bool = False  # cited as a basis: "Căn cứ …", "Thực hiện …", "Để triển khai …"
    amends: list[str] = field(default_factory=list)  # keys this document amends (said here)
    amended_by: list[str] = field(default_factory=list)  # keys that amend this document
    # What the citing document itself does to this one: "amends", "replaces" or "repeals".
    citing_relation: str | None = None
    core_end: int = 0  # offset where number, date and issuer end (the subject may follow)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# "của" as typed and as OCR leaves it
_CUA = r"(?:cua|ciia|cta|ctia|cia|cla|cila|cuia|caa|cda|ciua|cuua)"
_SUA = r"s[a-z0-9]{1,3}a\s+d[a-z0-9]{1,2}i"
_STARTER = (
    r"(?:v[e&]{1,2}|quy\s+d[a-z]{1,3}h|h[a-z]{1,3}ng\s+d[a-z]{1,2}n|" + _SUA
    + r"|ph[a-z]{1,2}\s+duy[a-z]{1,2}t|ban\s+h[a-z]{1,2}nh|th[a-z]{1,2}c\s+hi[a-z]{1,2}n"
    r"|thay\s+th[a-z]{1,2}|b[a-z]{1,2}i\s+b[a-z]{1,2}|ch[a-z]{1,3}\s+d[a-z]{1,2}o)(?![a-z0-9])"
)  # fmt: skip
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
_SUBJECT_START = re.compile(rf"[\s,]*(?=(?:ve\s+viec\s+)?{_STARTER})")
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


def _type_before(folded: str, start: int) -> tuple[str | None, int, tuple[int, int] | None]:
    """Type word written just before a number: (type, start of the mention, span of a law's
    name when the number follows one: "Luật An ninh mạng số 24/2018/QH14")."""
    window_start = max(0, start - 120)
    window = folded[window_start:start]
    m = _NAMED_BEFORE.search(window)
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
_NAME_END = r"\s+ng[a-z]y\s*\d|\s+n[a-z0-9]{1,2}m\s+\d{4}|\s+s[a-z0-9]{0,2}\s*:?\s*\d|\n\s*\n"
# Words that end a law's name. Matched on the text as written when it has diacritics ("về" ends
# a name, "vệ" in "Luật Bảo vệ…" does not); on OCR text only the folded form is left.
_NAME_STOP_WORDS = (
    "đã|được|của|về|quy định|theo|tại|thì|trong|để|này|có|là|số|khóa|khoá|kỳ"
    "|và (?:văn bản|pháp luật|các|những|luật|bộ luật|pháp lệnh|nghị|thông|quyết)"
)
_NAME_STRUCTURE = re.compile(_NAME_END + r"|[;.():“”\"*]|,(?!\s*chong)")
_NAME_WORDS_CLEAN = re.compile(r"\s+(?:" + _NAME_STOP_WORDS + r")(?![^\W\d_])")
_NAME_WORDS_OCR = re.compile(r"\s+(?:" + fold(_NAME_STOP_WORDS) + r")(?![a-z])")
_NAME_STOP_AMENDING = re.compile(_NAME_END + r"|[;()“”\"*]")


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
            ym = re.match(r"[\s,]*n[a-z0-9]{1,2}m\s+((?:19|20)\d\d)(?!\d)", folded[name_end:])
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


_COORD = re.compile(r"^[\s,;]*(?:va\s+)?(?:cac\s+)?$")


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


# Verbs of change, and the words that may end the phrase just before the changed document:
# "sửa đổi, bổ sung một số điều của B", "sửa đổi, bổ sung B", "thay thế … kèm theo B".
_CHANGE_VERB = rf"(?P<verb>{_SUA}|thay\s+th[a-z]|b[a-z]{{1,2}}i\s+b[a-z])"
_CHANGE_TAIL = (
    rf"(?:\s+|(?P<mid>(?:[^;.\n]|\n(?!\s*\n)){{1,100}}?)\s"
    rf"(?:{_CUA}|b[a-z]{{1,2}}\s+sung|{_SUA}|kem\s+theo|tai)\s+)(?:cac\s+)?$"
)
# The citing document acting itself: in an article heading ("Điều 2. Sửa đổi … của B"), at
# the start of a paragraph (a title in capitals) or sentence ("… ngày ký. Bãi bỏ …"), or after
# "ban hành Nghị định" / "Nghị định này". A wrapped line starting with "sửa đổi" is not enough.
_SELF_CHANGE = re.compile(
    r"(?:\n[\s*#|]*(?:dieu|d[a-z]{1,2}u)\s+\d+[a-z]?\s*[.:][\s*]*|\n[ \t]*\n[\s*#|]*|[.;:][ \t]+"
    rf"|(?:ban\s+hanh|{TYPE_WORD_RE}\s+nay)\s+(?:{TYPE_WORD_RE}\s+)?)" + _CHANGE_VERB + _CHANGE_TAIL
)
_ACTIVE = re.compile(r"^(?:ve\s+viec\s+)?" + _CHANGE_VERB + _CHANGE_TAIL)


def _relation_of(m: re.Match[str]) -> str:
    """Replacing B ("thay thế B") replaces it, "bãi bỏ B" repeals it, changing part of it
    ("sửa đổi … của B", "bãi bỏ Điều 2 của B") amends it."""
    verb = m.group("verb")
    if m.group("mid"):
        return "amends"
    if verb.startswith("thay"):
        return "replaces"
    return "amends" if re.match(_SUA, verb) else "repeals"


_REPEALED_AFTER = re.compile(r"^[\s,]*(?:\)\s*)?(?:deu\s+)?het\s+hi[a-z]{1,2}u\s+l[a-z]{1,2}c")
_PASSIVE = re.compile(rf"d[a-z0-9]{{1,4}}\s+{_SUA}[^;]{{0,80}}?\s(?:tai|boi|theo)\s*(?:cac\s+)?$")


def _link_relations(refs: list[LegalRef], folded: str) -> None:
    # A's subject "sửa đổi, bổ sung … của B": A amends the first document its subject names.
    for a in refs:
        sm = _SUBJECT_START.match(folded, a.core_end) if a.subject else None
        if sm is None:
            continue
        inner = [b for b in refs if sm.end() <= b.span[0] < a.span[1] and b is not a]
        if not inner or inner[0].key == a.key:
            continue
        m = _ACTIVE.match(folded[sm.end() : inner[0].span[0]])
        if m and _relation_of(m) == "amends":
            _amend(a, inner[0])
    # "B (được sửa đổi, bổ sung tại A)": A amends B.
    for b, a in zip(refs, refs[1:], strict=False):
        gap = folded[b.core_end : a.span[0]]
        if len(gap) < 400 and ". " not in gap and _PASSIVE.search(gap) and a.key != b.key:
            _amend(a, b)
    # What the citing document does itself: "Điều 1. Sửa đổi … của B", "Nghị định này thay thế B".
    prev_end = 0
    for i, b in enumerate(refs):
        # The window starts with the character before it (or a newline at the very start) so
        # that "line start" in the patterns means a real line start.
        lo = max(prev_end, b.span[0] - 220)
        window = (folded[lo - 1] if lo else "\n") + folded[lo : b.span[0]]
        prev_end = max(prev_end, b.core_end)
        m = _SELF_CHANGE.search(window)
        relation = _relation_of(m) if m else None
        if relation and b.citing_relation is None:
            b.citing_relation = relation
            # … and to every document listed with it ("… của B; C và D")
            for c_prev, c in zip(refs[i:], refs[i + 1 :], strict=False):
                if not _COORD.match(folded[c_prev.span[1] : c.span[0]]):
                    break
                c.citing_relation = c.citing_relation or relation
    # "B … hết hiệu lực": the citing document ends B (and every document listed with it).
    for i, b in enumerate(refs):
        after = folded[b.span[1] : b.span[1] + 40]
        if b.citing_relation or not _REPEALED_AFTER.match(after):
            continue
        b.citing_relation = "repeals"
        for j in range(i - 1, -1, -1):
            c, nxt = refs[j], refs[j + 1]
            if not _COORD.match(folded[c.span[1] : nxt.span[0]]):
                break
            c.citing_relation = c.citing_relation or "repeals"


def _amend(amender: LegalRef, amended: LegalRef) -> None:
    if amended.key not in amender.amends:
        amender.amends.append(amended.key)
    if amender.key not in amended.amended_by:
        amended.amended_by.append(amender.key)
