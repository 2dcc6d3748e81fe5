"""Issuing bodies and places: body names matched by their consonant skeleton (OCR tolerant),
the level and place that follow them ("Ủy ban nhân dân tỉnh Long An"), provinces, and the
canonical name of an issuer phrase."""

from __future__ import annotations

import re
from dataclasses import dataclass

from motcua.ingest.citations.folding import _collapse, _is_ocr, fold_aligned
from motcua.lexicon import vocabulary
from motcua.text import fold, fold_phrase, nfc

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


def edit_distance(a: str, b: str) -> int:
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
        close = [p for k, p in _PROVINCE_FOLDED.items() if edit_distance(k, compact) <= 1]
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


# Kinds of school that are not levels: "phổ thông" (PT), its ethnic boarding and semi-boarding
# schools (PTDTNT, PTDTBT), and "trung học" without its level.
_SCHOOL_KINDS = (("pt",), ("ptdtnt",), ("ptdtbt",), ("trung", "hoc"))
_SCHOOL_RE = re.compile(
    r"(?<![a-z])tr[a-z]{1,3}ng\s+(?=(?:"
    + "|".join(
        r"\s+".join(map(re.escape, phrase))
        for phrase in sorted({*vocabulary().school_levels, *_SCHOOL_KINDS}, key=len, reverse=True)
    )
    + r")(?![a-z]))"
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
