"""Where a Vietnamese administrative document closes: "Nơi nhận", the signing titles, the
signer's name and digital-signature stamps, typed or scanned (OCR puts the right column after
the recipients). Retrieval never quotes this block; the document's particulars read its
signer from it."""

from __future__ import annotations

import re

from motcua.text import fold, nfc

_RECIPIENTS = re.compile(r"^[\s|*\-]*n[a-z]{1,2}i\s+nh[a-z]{0,2}n\s*:")
_TITLE_PREFIX = re.compile(r"^[\s|*]*(?:tm|kt|tl|tuq|q)\s*\.?\s+\S")
_TITLE_WORDS = re.compile(
    r"^[\s|*]*(?:pho\s+)?(?:gi[a-z]{1,2}m\s+d[a-z]{1,3}c|chu\s+tich|hi[a-z]{1,2}u\s+tr[a-z]{1,3}ng"
    r"|bo\s+tr[a-z]{1,3}ng|thu\s+tr[a-z]{1,3}ng|cuc\s+tr[a-z]{1,3}ng|chanh\s+van\s+phong"
    r"|thu\s+tuong|chu\s+nhiem|tong\s+bi\s+thu|tr[a-z]{1,3}ng\s+ban|vu\s+tr[a-z]{1,3}ng"
    r"|tong\s+giam\s+doc|tong\s+cuc\s+tr[a-z]{1,3}ng)(?![a-z])"
)
_STAMP = re.compile(
    r"da\s+ky\s+len\s+van\s+ban\s+nay|chung\s+thuc\s+so\s+va\s+bao\s+mat"
    r"|^\s*\d{4}-\d\d-\d\dt\d\d:\d\d"
)
_SIGNED = re.compile(r"^\W*\(?\s*da\s+ky\s*\)?\W*$")
# A line that starts new content after a signature: a numbered item, an appendix, a form…
_NEW_PART = re.compile(
    r"^[\s|*#]*(?:\d+(?:\.\d+)*\.\s|[a-z]\)\s|[ivx]+\.\s|phu\s+luc|danh\s+muc|quy\s+dinh"
    r"|quy\s+che|quy\s+trinh|mau\s|bieu\s+mau|chuong\s|dieu\s+\d|phan\s+[ivx\d]|thu\s+tuc"
    r"|k[e&]\s*hoach|\(ban\s+hanh\s+kem)"
)
_MARKUP_ONLY = re.compile(r"^[\s|*#_=\-–—.:]*$")

# Common Vietnamese family names (folded): a signer's name starts with one.
SURNAMES = frozenset(
    {
        "nguyen", "tran", "le", "pham", "hoang", "huynh", "phan", "vu", "vo", "dang", "bui",
        "do", "ho", "ngo", "duong", "ly", "lam", "luong", "luu", "trinh", "dinh", "doan", "mai",
        "cao", "ta", "ha", "truong", "quach", "thai", "chau", "la", "kieu", "tang", "hua", "van",
        "ton", "tong", "khuong", "lai", "giang", "nghiem", "nong", "chu", "phung", "vuong", "au",
        "diep", "kim", "quang", "lu", "ong", "thach", "son", "tieu", "tu", "mac", "mach", "dong",
        "vien", "lo",
    }
)  # fmt: skip
_WORD = r"[^\W\d_]+"
_NAME_RUN = re.compile(rf"{_WORD}(?:[ \t]+{_WORD}){{1,11}}")


def _is_person_name(words: list[str]) -> bool:
    if not 2 <= len(words) <= 5 or fold(words[0]) not in SURNAMES:
        return False
    return all(w[0].isupper() and (len(w) == 1 or w[1:].islower()) for w in words)


def _names_in(line: str) -> list[str]:
    """Person names in a line of a signature block ("Huynh Phwong Vi", "Nguyễn Hồng Phúc").

    A name followed by ";" or "," is an addressee in Nơi nhận ("- Thứ trưởng Trịnh Thị Thủy;"),
    not the signer.
    """
    found: list[str] = []
    for m in _NAME_RUN.finditer(line):
        words = m.group().split()
        # the longest tail of the run that is a name: "THỨ TRƯỞNG Bùi Hồng Lĩnh" -> last three
        for i in range(len(words) - 1):
            if _is_person_name(words[i:]):
                after = line[m.end() :].lstrip(" \t")
                if not after.startswith((";", ",", ")", "<")):
                    found.append(" ".join(words[i:]))
                break
    return found


def _is_name_line(line: str) -> bool:
    stripped = line.strip(" \t|*")
    return bool(stripped) and _is_person_name(stripped.split()) and len(stripped) < 60


def _is_title(fl: str, raw: str) -> bool:
    """A signing title in capitals: "KT. GIÁM ĐỐC", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"."""
    letters = [c for c in raw if c.isalpha()]
    upper = bool(letters) and sum(c.isupper() for c in letters) >= 0.8 * len(letters)
    return upper and bool(_TITLE_PREFIX.match(fl) or _TITLE_WORDS.match(fl))


def _is_caps_short(raw: str) -> bool:
    stripped = raw.strip(" \t|*")
    letters = [c for c in stripped if c.isalpha()]
    return 0 < len(stripped) <= 40 and all(c.isupper() for c in letters) and bool(letters)


def _blockish(fl: str, raw: str) -> bool:
    """A line that can sit inside a signature block."""
    stripped = raw.strip()
    return (
        _MARKUP_ONLY.match(raw) is not None
        or bool(_RECIPIENTS.match(fl))
        or _is_title(fl, raw)
        or _is_name_line(raw)
        or bool(_STAMP.search(fl))
        or bool(_SIGNED.match(fl))
        or stripped.startswith(("-", "+", "•"))
        or (stripped.startswith("|") and "|" in stripped[1:])
        or (len(stripped) <= 40 and not _NEW_PART.match(fl))
    )


def _block_spans(lines: list[str]) -> list[tuple[int, int]]:
    """Line ranges [a, b) of signature blocks, recipient lists and signature stamps."""
    folded = [fold(x) for x in lines]
    n = len(lines)
    blocks: list[tuple[int, int]] = []
    done = 0
    for i in range(n):
        if i < done:
            continue
        fl, raw = folded[i], lines[i]
        trigger = bool(_RECIPIENTS.match(fl) or _SIGNED.match(fl) or _STAMP.search(fl))
        name_trigger = False
        if not trigger and _is_name_line(raw):
            # a name under capitalised lines ("CHỦ / TỊCH QUỐC HỘI / Nguyễn Phú Trọng")
            prev = [k for k in range(max(done, i - 6), i) if lines[k].strip()]
            trigger = name_trigger = bool(prev) and _is_caps_short(lines[prev[-1]])
        if not trigger and _is_title(fl, raw):
            # a signing title counts only when a name follows within a few block lines
            for k in range(i + 1, min(n, i + 9)):
                if _is_name_line(lines[k]):
                    trigger = True
                    break
                if not _blockish(folded[k], lines[k]):
                    break
        if not trigger:
            continue
        start = i
        while start - 1 >= done:
            fb, rb = folded[start - 1], lines[start - 1]
            if not (
                _MARKUP_ONLY.match(rb)
                or _is_title(fb, rb)
                or _is_name_line(rb)
                or (name_trigger and _is_caps_short(rb) and "./." not in rb)
                or (_SIGNED.match(fl) and rb.strip().startswith("-"))
                or (rb.strip().startswith("|") and _TITLE_PREFIX.match(fb.strip(" |")))
            ):
                break
            start -= 1
        while start < i and _MARKUP_ONLY.match(lines[start]):
            start += 1
        end, seen_name = i, False
        while end < n:
            fe, re_ = folded[end], lines[end]
            if _MARKUP_ONLY.match(re_):
                end += 1
                continue
            continuing = (
                _RECIPIENTS.match(fe) or _STAMP.search(fe) or re_.strip().startswith(("-", "+"))
            )
            if seen_name and not continuing:
                break
            if _NEW_PART.match(fe) and not _is_title(fe, re_) or not _blockish(fe, re_):
                break
            if _is_name_line(re_):
                seen_name = True
            end += 1
        while end > start and _MARKUP_ONLY.match(lines[end - 1]):
            end -= 1
        blocks.append((start, max(end, i + 1)))
        done = max(end, i + 1)
    return blocks


def split_blocks(text: str) -> tuple[str, list[str]]:
    """(text without its signature blocks, the blocks in order)."""
    lines = text.splitlines(keepends=True)
    spans = _block_spans([line.rstrip("\r\n") for line in lines])
    body: list[str] = []
    blocks: list[str] = []
    pos = 0
    for a, b in spans:
        body.extend(lines[pos:a])
        blocks.append("".join(lines[a:b]).rstrip() + "\n")
        pos = b
    body.extend(lines[pos:])
    return "".join(body), blocks


def split_signature_block(text: str) -> tuple[str, str]:
    """(answerable body, tail).

    The tail holds Nơi nhận, signing titles, signer names and digital-signature stamps, so
    retrieval never quotes them while metadata still reads them; appendices that follow a
    signature stay in the body. Lines are kept as written.
    """
    body, blocks = split_blocks(nfc(text))
    if not blocks:
        return body, ""
    return (body.rstrip() + "\n" if body.strip() else ""), "".join(blocks)


def signer(blocks: list[str]) -> str | None:
    """The signer's name, from the first signature block that names someone: a name on its own
    line first, then a name ending a merged line (OCR puts the right column after the
    recipients), and last a person named in a digital-signature stamp."""
    for block in blocks:
        lines = [ln for ln in block.splitlines() if not _STAMP.search(fold(ln))]
        alone = [ln.strip(" \t|*") for ln in lines if _is_name_line(ln)]
        if alone:
            return ", ".join(dict.fromkeys(alone))
        inline = [name for ln in lines for name in _names_in(ln.replace("*", " "))]
        if inline:
            return ", ".join(dict.fromkeys(inline))
    for block in blocks:
        for line in block.splitlines():
            if _STAMP.search(fold(line)) and "<" in line:
                m = re.match(r"\s*([^<>\n]+?)\s*<", line)
                if m and _is_person_name(m.group(1).split()):
                    return m.group(1)
    return None
