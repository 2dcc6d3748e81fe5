"""The words a citation is written with, folded and OCR tolerant: document type words and the
"số" slot, type and issuer abbreviations with their canonical symbols, and the words that join
a mention's parts ("của", "về", "sửa đổi", "A, B và C")."""

from __future__ import annotations

import re

from motcua.text import strip_diacritics

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


# "của" as typed and as OCR leaves it
_CUA = r"(?:cua|ciia|cta|ctia|cia|cla|cila|cuia|caa|cda|ciua|cuua)"
_SUA = r"s[a-z0-9]{1,3}a\s+d[a-z0-9]{1,2}i"
_STARTER = (
    r"(?:v[e&]{1,2}|quy\s+d[a-z]{1,3}h|h[a-z]{1,3}ng\s+d[a-z]{1,2}n|" + _SUA
    + r"|ph[a-z]{1,2}\s+duy[a-z]{1,2}t|ban\s+h[a-z]{1,2}nh|th[a-z]{1,2}c\s+hi[a-z]{1,2}n"
    r"|thay\s+th[a-z]{1,2}|b[a-z]{1,2}i\s+b[a-z]{1,2}|ch[a-z]{1,3}\s+d[a-z]{1,2}o)(?![a-z0-9])"
)  # fmt: skip
# Where the subject of a mention starts ("về …", "sửa đổi …").
_SUBJECT_START = re.compile(rf"[\s,]*(?=(?:ve\s+viec\s+)?{_STARTER})")
# What separates documents listed together: "A, B và C", "A; các B".
_COORD = re.compile(r"^[\s,;]*(?:va\s+)?(?:cac\s+)?$")
