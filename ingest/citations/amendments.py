"""Amendment relations a text states between the documents it cites: "A sửa đổi, bổ sung …
B", "B (được sửa đổi tại A)", and what the citing document does itself ("Nghị định này thay
thế B", "Điều 2. Bãi bỏ …", "B … hết hiệu lực")."""

from __future__ import annotations

import re

from motcua.ingest.citations.legal_ref import LegalRef
from motcua.ingest.citations.vocabulary import (
    _COORD,
    _CUA,
    _SUA,
    _SUBJECT_START,
    TYPE_WORD_RE,
)

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


_WHOLE = re.compile(r"(?<![a-z])toan\s+bo(?![a-z])")


def _relation_of(m: re.Match[str]) -> str:
    """Replacing B ("thay thế B") replaces it, "bãi bỏ B" repeals it; changing part of it
    ("sửa đổi … của B", "thay thế Phụ lục … của B") amends it, and repealing part of it
    ("Bãi bỏ quy định tại Điều 2 của B") repeals that part only: B stays in force."""
    verb, mid = m.group("verb"), m.group("mid")
    if re.match(_SUA, verb):
        return "amends"
    repeal = not verb.startswith("thay")
    if mid and not _WHOLE.search(mid):
        return "partly_repeals" if repeal else "amends"
    return "repeals" if repeal else "replaces"


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
