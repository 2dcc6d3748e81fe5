"""The columns of a procedure list: which fact each header names, and which reading of a
header fits the rows when a web save has misplaced its second header row.

Read when a table is built, so that its row passages and the catalogue records made from it
name the same columns ("Phí, lệ phí: 80.000 đồng/hồ sơ", not "Căn cứ pháp lý: 80.000 …").
"""

from __future__ import annotations

import re

from motcua.ingest.table_parts import Row, Table
from motcua.text import fold_phrase

# Header and label words (folded, punctuation as spaces), first rule that matches wins. A rule
# is tried only while its fact is still unassigned, so "Mã số hồ sơ" after "Mã TTHC" is kept
# as an extra column rather than replacing the code.
_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        ("number", r"^(?:stt|tt|so tt|so thu tu)$"),
        ("online_level", r"\bmuc do\b|\bdich vu cong truc tuyen\b|\bdvc\s?tt\b|\bdvctt\b"),
        ("code", r"^ma$|\bma (?:so )?(?:tthc|thu tuc|ho so)\b|^ma so\b|\bma tt\b"),
        (
            "name",
            r"\bten (?:cua )?(?:tthc|thu tuc)\b|^(?:ten )?(?:thu tuc|tthc)(?: hanh chinh)?$"
            r"|^danh muc (?:tthc|thu tuc)",
        ),
        ("field", r"\blinh vuc\b"),
        ("level", r"\bcap (?:thuc hien|giai quyet|tinh|huyen|xa|co tham quyen)\b|^cap$"),
        ("time_limit", r"\bthoi han\b|\bthoi gian (?:giai quyet|thuc hien tthc|xu ly)\b"),
        ("fee", r"\bphi\b|\ble phi\b|\bmuc thu\b"),
        (
            "place",
            r"\bdia diem\b|\bnoi (?:tiep nhan|nop|thuc hien)\b|\btiep nhan (?:va tra|ho so)"
            r"|\bco quan tiep nhan\b",
        ),
        ("channel", r"\bcach thuc\b"),
        ("agency", r"\bco quan (?:thuc hien|giai quyet)\b|\bdon vi thuc hien\b"),
        ("legal_basis", r"\bcan cu phap ly\b|\bco so phap ly\b|\bvbqppl\b|\bvan ban quy dinh\b"),
    )
)
# Words that make a header anything but the fact its other words name: "Căn cứ hoặc lý do
# bãi bỏ" is why a procedure was abolished, "Quyết định công bố" the earlier decision.
_NOT_A_FACT = re.compile(r"\bbai bo\b|\bquyet dinh cong bo\b|\bghi chu\b")


def fact_of(label: str) -> str | None:
    """The fact a column header or form label names, or None ("Ghi chú", a step's name)."""
    folded = fold_phrase(label)
    if not folded or _NOT_A_FACT.search(folded):
        return None
    return next((name for name, rule in _RULES if rule.search(folded)), None)


def list_facts(columns: tuple[str, ...]) -> list[str | None]:
    """The fact each column holds, each fact taken by its first column (level columns may be
    several: one per level, holding marks)."""
    taken: set[str] = set()
    out: list[str | None] = []
    for header in columns:
        fact = fact_of(header)
        if fact in taken and fact != "level":
            fact = None
        if fact:
            taken.add(fact)
        out.append(fact)
    return out


def is_catalogue(columns: tuple[str, ...]) -> bool:
    """A list of procedures: one column names the procedure, another holds a fact of it."""
    facts = list_facts(columns)
    return "name" in facts and any(f not in (None, "name", "number") for f in facts)


# What a fact's values look like (folded), to tell which reading of a list's header fits its
# rows when a save has misplaced a second header row (see `realigned`).
_VALUE_KINDS: dict[str, re.Pattern[str]] = {
    "code": re.compile(r"^[1-3] \d{6}\b|\bkhong co ma\b"),
    "time_limit": re.compile(r"\bngay\b|\bgio\b|\bthang\b|\bphut\b|^\d+(?: \d+)?$"),
    "fee": re.compile(r"\bdong\b|\bvnd\b|^khong\b|\bmien\b|^\d"),
    "legal_basis": re.compile(
        r"\b(?:luat|nghi dinh|thong tu|quyet dinh|nghi quyet)\b.*\b\d{1,4} (?:19|20)\d\d\b"
    ),
    "place": re.compile(r"\b(?:ubnd|uy ban|bo phan|so|phong|trung tam|co quan|truong)\b"),
    "agency": re.compile(r"\b(?:ubnd|uy ban|bo phan|so|phong|trung tam|co quan|truong)\b"),
    "online_level": re.compile(r"^[1-4]$|\btoan trinh\b|\bmot phan\b"),
}


def _fit(columns: tuple[str, ...], rows: list[Row]) -> float:
    """How well rows' values look like the facts their columns would hold."""
    score = 0.0
    for i, fact in enumerate(list_facts(columns)):
        kind = _VALUE_KINDS.get(fact or "")
        values = [fold_phrase(r.cells[i]) for r in rows if i < len(r.cells) and r.cells[i]]
        if kind is not None and values:
            score += sum(1 for v in values if kind.search(v)) / len(values)
    return score


def realigned(table: Table) -> Table:
    """A list whose second header row a save wrote as its first data row, left-aligned
    ("| Mức độ DVC | Thực hiện qua BCCI | | …" under "… | Cách thức thực hiện | …"): one header
    cell spans those sub-columns. Which one is the reading whose columns best fit the rows'
    values; the header's empty trailing columns make room for it. Any other table is
    returned as it is."""
    if len(table.rows) < 2 or not any(table.columns):
        return table
    first = table.rows[0].cells
    width = next((i for i, v in enumerate(first) if not v), len(first))
    columns = list(table.columns)
    spare = len(columns) - 1 - max(i for i, c in enumerate(columns) if c)  # empty on the right
    if (
        width < 2
        or any(first[width:])
        or not any(fact_of(v) for v in first[:width])
        or spare < width - 1
    ):
        return table
    rows = table.rows[1:]
    best, best_score, spans = None, _fit(table.columns, rows), 0
    for j, name in enumerate(columns):
        if not name:
            continue
        spanned = [f"{name} / {sub}" for sub in first[:width]]
        candidate = tuple((columns[:j] + spanned + columns[j + 1 :])[: len(columns)])
        score = _fit(candidate, rows)
        if score > best_score:
            best, best_score, spans = candidate, score, j
    if best is None:
        return table
    # The columns right of the spanning one moved right by the sub-columns it gained.
    keys = tuple(k + width - 1 if k > spans else k for k in table.key_columns)
    return Table(best, rows, table.title, table.note, keys)
