"""Procedure catalogues: the procedures a decision publishes, read from its tables as records.

A provincial decision that announces procedures lists them in tables (STT | Mã TTHC | Tên TTHC |
Lĩnh vực | Cấp thực hiện | Thời hạn giải quyết | Phí, lệ phí | Địa điểm | Căn cứ pháp lý …), and
often follows the list with one label/value form per procedure ("Tên thủ tục số 1: …", then
"Thời hạn giải quyết", "Phí, lệ phí" …). Each procedure becomes a `ProcedureRecord` carrying
the publishing decision and the section its row's passage has in the index, so an answer
built from a record cites the very row.

Columns and labels are recognised by their words (folded, with the synonyms lists use), never
by position; a table none of whose headers names a procedure is not a catalogue. Records are
plain data (`to_dict` / `from_dict`); storing them is the index's business.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from dataclasses import field as _field
from typing import Any

from motcua.ingest.catalogue_columns import fact_of, is_catalogue, list_facts
from motcua.ingest.chunking import PlacedTable, placed_tables
from motcua.ingest.table_parts import Row
from motcua.text import fold, fold_phrase
from motcua.types import DocumentMeta

# The facts a record holds, in the order answers and pages list them, with their labels.
FACT_LABELS: dict[str, str] = {
    "code": "Mã thủ tục",
    "field": "Lĩnh vực",
    "level": "Cấp thực hiện",
    "time_limit": "Thời hạn giải quyết",
    "fee": "Phí, lệ phí",
    "place": "Nơi tiếp nhận hồ sơ",
    "channel": "Cách thức thực hiện",
    "agency": "Cơ quan thực hiện",
    "online_level": "Mức độ dịch vụ công trực tuyến",
    "legal_basis": "Căn cứ pháp lý",
}

# A national procedure code ("1.010219"); local forms add a suffix ("2.001914.000.00.00.H50").
CODE = re.compile(r"(?<![\d.])([1-3]\.\d{6})(?![\d])")

_ANNOUNCED = re.compile(r"\bquyet dinh cong bo\b|\bcong bo tai\b")
_ABOLISHED = re.compile(r"\bbi bai bo\b|\bbai bo\b.*\bly do\b|\bly do bai bo\b")
_LEVEL_WORDS = (
    ("trung ương", re.compile(r"\btrung uong\b")),
    ("tỉnh", re.compile(r"\btinh\b")),
    ("huyện", re.compile(r"\bhuyen\b")),
    ("xã", re.compile(r"\bxa\b(?! hoi)|\bphuong\b")),
)
_LEVEL_OF_GROUP = re.compile(r"\bcap (trung uong|tinh|huyen|xa)\b")
_FIELD_OF_GROUP = re.compile(r"\blinh vuc\s+([^()]+?)\s*(?:\(|$)")
_YES_NO = {"co", "khong", "x"}
_MARK = re.compile(r"^(?:x|X|✓|✔|\+|có)$")
_FORM_TITLE = re.compile(r"^(?:ten\s+)?(?:thu\s+tuc|tthc)(?:\s+hanh\s+chinh)?(?:\s+so\s*\d+)?\s*:")
_UNIT = re.compile(r"\(([^()]{2,30})\)")
_NUMBER_ONLY = re.compile(r"^[\d.,\s]+$")
_PROVINCE = re.compile(r"\b(?:tỉnh|thành phố)\s+(.+)$", re.IGNORECASE)


def name_key(name: str) -> str:
    """A procedure's name as compared across lists and cards: folded, without parentheses
    ("(THCS)"), a leading "Thủ tục" or its closing full stop."""
    key = fold_phrase(re.sub(r"\([^()]*\)", " ", name))
    return re.sub(r"^(?:thu tuc(?: hanh chinh)?|tthc)\s+", "", key).strip()


def issuing_province(meta: DocumentMeta) -> str | None:
    """The province whose authority issued a document ("Ủy ban nhân dân tỉnh Bắc Ninh",
    "Hội đồng nhân dân thành phố Huế"); None for a national text, wherever it was signed."""
    if meta.issuer and (found := _PROVINCE.search(meta.issuer)):
        return found.group(1).strip()
    return None


def province_of(meta: DocumentMeta) -> str | None:
    """The province a decision is for: its issuer's, else the place it was signed."""
    return issuing_province(meta) or meta.place


@dataclass
class ProcedureRecord:
    """One procedure as a published list (or form) gives it, with where it was read."""

    name: str
    code: str | None = None
    field: str | None = None
    levels: list[str] = _field(default_factory=list)  # "tỉnh", "huyện", "xã", "trung ương"
    level: str | None = None  # as written ("Cấp tỉnh, cấp xã")
    time_limit: str | None = None
    fee: str | None = None
    place: str | None = None
    channel: str | None = None
    agency: str | None = None
    online_level: str | None = None
    legal_basis: str | None = None
    extra: dict[str, str] = _field(default_factory=dict)  # other columns, by their header
    abolished: bool = False  # listed among the procedures the decision abolishes
    # the publishing decision
    doc_id: str = ""
    doc_type: str | None = None
    so_hieu: str | None = None
    issued_date: str | None = None
    issuer: str | None = None
    province: str | None = None
    title: str | None = None
    # where it was read: the section of its row's passage; facts read elsewhere (a form after
    # the list) name their own section
    section: str = ""
    number: str = ""  # its STT in the list
    group: str | None = None  # the group rows above it ("III. TTHC … Sở Giáo dục và Đào tạo")
    fact_sections: dict[str, str] = _field(default_factory=dict)
    card_id: str | None = None  # the built-in card of the same procedure, when one is indexed

    @property
    def key(self) -> str:
        return name_key(self.name)

    def fact(self, name: str) -> str | None:
        if name == "level":
            return self.level or (", ".join(f"cấp {lv}" for lv in self.levels) or None)
        if name == "announced":  # the earlier decision a list names in a column of its own
            return next(
                (v for h, v in self.extra.items() if _ANNOUNCED.search(fold_phrase(h))), None
            )
        value = getattr(self, name)
        return value or None

    def facts(self) -> list[tuple[str, str, str]]:
        """(fact, label, value) of every fact the record holds, in `FACT_LABELS` order."""
        out = []
        for name, label in FACT_LABELS.items():
            value = self.fact(name)
            if value:
                out.append((name, label, value))
        return out

    def section_of(self, fact: str) -> str:
        return self.fact_sections.get(fact, self.section)

    def decision(self) -> DocumentMeta:
        return DocumentMeta(
            doc_type=self.doc_type,
            so_hieu=self.so_hieu,
            issuer=self.issuer,
            issued_date=self.issued_date,
            title=self.title,
        )

    def decision_label(self) -> str:
        """ "Quyết định số 1521/QĐ-UBND ngày 22/11/2025 của Ủy ban nhân dân tỉnh Bắc Ninh"."""
        return self.decision().label(self.doc_id)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["decision"] = self.decision_label()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ProcedureRecord:
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


# ------------------------------------------------------------------------------------------
# Reading tables


def _levels(text: str) -> list[str]:
    folded = fold_phrase(text)
    return [name for name, rule in _LEVEL_WORDS if rule.search(folded)]


def _with_unit(header: str, value: str) -> str:
    """A bare number under "Thời hạn giải quyết (Ngày làm việc)" reads "3 ngày làm việc"."""
    unit = _UNIT.search(header)
    if unit and _NUMBER_ONLY.match(value) and not fold(unit.group(1)).startswith("neu"):
        return f"{value} {unit.group(1).lower()}"
    return value


def _clean_name(value: str) -> str:
    return " ".join(value.split()).rstrip(" .;")


def _set(record: ProcedureRecord, fact: str, header: str, value: str) -> None:
    """Put one cell's value where its fact goes; a level column that names a level and holds a
    mark ("Cấp thực hiện / Tỉnh": "x") adds that level."""
    value = value.strip()
    if not value:
        return
    if fact == "code":
        found = CODE.search(value)
        if found and record.code is None:
            record.code = found.group(1)
        elif not found:
            record.extra.setdefault(header or "Mã", value)
        return
    if fact == "level":
        if _MARK.match(value):
            record.levels += [lv for lv in _levels(header) if lv not in record.levels]
        else:
            record.level = record.level or value
            record.levels += [lv for lv in _levels(value) if lv not in record.levels]
        return
    if fact == "name":
        record.name = record.name or _clean_name(value)
        return
    if fold(value) in _YES_NO and " / " in header:
        # "Cách thức thực hiện / Thực hiện qua BCCI": "Không" says nothing without its column
        value = f"{header.rsplit(' / ', 1)[1]}: {value}"
    if getattr(record, fact) is None:
        setattr(record, fact, _with_unit(header, value))


def _from_groups(record: ProcedureRecord, groups: Iterable[str]) -> None:
    """Level and field a list gives once for a block of rows ("I.2 Thủ tục hành chính cấp
    huyện", "I. LĨNH VỰC CHỨNG THỰC (17 TTHC)")."""
    for group in groups:
        folded = fold_phrase(group)
        if not record.levels and (level := _LEVEL_OF_GROUP.search(folded)):
            record.levels = [lv for lv in _levels(level.group(0))]
        # folding keeps an NFC text's length, so the folded match places the written name
        if record.field is None and (found := _FIELD_OF_GROUP.search(fold(group))):
            name = group[found.start(1) : found.end(1)].strip(" .:")
            if name:
                record.field = name[:1].upper() + name[1:].lower() if name.isupper() else name


def _list_records(placed: PlacedTable) -> list[ProcedureRecord]:
    table = placed.table  # realigned when it was built (`catalogue_columns.realigned`)
    facts = list_facts(table.columns)
    # "DANH MỤC … BỊ BÃI BỎ" above the list, or a column saying why each was abolished
    titles = [fold_phrase(p) for p in placed.caption if "danh muc" in fold_phrase(p)]
    abolished = any(_ABOLISHED.search(t) for t in [*titles, *map(fold_phrase, table.columns)])
    name_header = table.columns[facts.index("name")]
    records = []
    for row in table.rows:
        values = [v for v in row.cells if v]
        if len(set(values)) <= 1:
            continue  # a group heading kept as a row, or an empty one
        record = ProcedureRecord(name="", abolished=abolished)
        for header, fact, value in zip(table.columns, facts, row.cells, strict=True):
            if fact == "number":
                continue
            if fact:
                _set(record, fact, header, value)
            elif value.strip() and header:
                record.extra.setdefault(header, value.strip())
        if not record.name or fold_phrase(record.name) == fold_phrase(name_header):
            continue  # a header repeated as a row
        _from_groups(record, [*row.groups, *placed.path])
        record.section = placed.row_section(row)
        record.number = row.label
        record.group = " > ".join(row.groups) or None
        records.append(record)
    return records


def _form_name(placed: PlacedTable) -> str | None:
    """The procedure a label/value form describes: its title ("Tên thủ tục số 1: …"), or the
    first pair when the form was read with it as the header ("Tên thủ tục | …")."""
    table = placed.table
    if table.title and _FORM_TITLE.match(fold(table.title)):
        return _clean_name(table.title.split(":", 1)[1])
    columns = table.columns
    if len(columns) == 2 and fact_of(columns[0]) == "name" and fact_of(columns[1]) is None:
        return _clean_name(columns[1])
    return None


def _form_pairs(row: Row) -> list[tuple[str, str]]:
    """(label, value) pairs of a form's row: the label in its own cell or as the row's group,
    or both in one cell ("Phí, lệ phí: Không")."""
    cells = [c for c in row.cells if c]
    if len(row.cells) == 2 and all(row.cells) and fact_of(row.cells[0]):
        return [(row.cells[0], row.cells[1])]
    if row.groups:
        return [(row.groups[-1], " ".join(cells))]
    if len(cells) == 1 and ":" in cells[0]:
        label, value = cells[0].split(":", 1)
        if fact_of(label):
            return [(label, value)]
    if len(cells) == 2:
        return [(cells[0], cells[1])]
    return []


def _form_record(placed: PlacedTable, name: str) -> ProcedureRecord:
    record = ProcedureRecord(name=name)
    for row in placed.table.rows:
        for label, value in _form_pairs(row):
            fact = fact_of(label)
            if fact in (None, "number", "name"):
                if value.strip():
                    record.extra.setdefault(label.strip(), value.strip())
                continue
            before = record.fact(fact)
            _set(record, fact, label, value)
            if record.fact(fact) != before:
                record.fact_sections[fact] = placed.row_section(row)
    record.section = placed.row_section(placed.table.rows[0]) if placed.table.rows else ""
    record.fact_sections = {k: v for k, v in record.fact_sections.items() if v != record.section}
    _from_groups(record, placed.path)
    return record


def _merge(into: ProcedureRecord, form: ProcedureRecord) -> None:
    """A form's facts fill what the list row of the same procedure leaves out."""
    for fact in FACT_LABELS:
        if fact == "level":
            if not into.levels and form.levels:
                into.levels, into.level = form.levels, form.level
                into.fact_sections["level"] = form.section_of("level")
            continue
        if getattr(into, fact) is None and getattr(form, fact):
            setattr(into, fact, getattr(form, fact))
            into.fact_sections[fact] = form.section_of(fact)
    for label, value in form.extra.items():
        into.extra.setdefault(label, value)


def catalogue_records(doc_id: str, body: str, meta: DocumentMeta) -> list[ProcedureRecord]:
    """The procedures a document's body publishes: list rows, then the forms that describe a
    listed procedure merged into its row (or records of their own)."""
    listed: list[ProcedureRecord] = []
    forms: list[ProcedureRecord] = []
    for placed in placed_tables(body):
        if is_catalogue(placed.table.columns):
            listed += _list_records(placed)
        elif (name := _form_name(placed)) is not None:
            forms.append(_form_record(placed, name))
    by_key: dict[str, ProcedureRecord] = {}
    for record in listed:
        if not record.abolished:
            by_key.setdefault(record.key, record)
    records = list(listed)
    for form in forms:
        row = by_key.get(form.key)
        if row is not None:
            _merge(row, form)
        elif form.facts():
            records.append(form)
    province = province_of(meta)
    for record in records:
        record.doc_id = doc_id
        record.doc_type = meta.doc_type
        record.so_hieu = meta.so_hieu
        record.issued_date = meta.issued_date
        record.issuer = meta.issuer
        record.province = province
        record.title = meta.title
    return records


# ------------------------------------------------------------------------------------------
# Linking to procedure cards


def card_codes(codes: Iterable[str]) -> set[str]:
    """The national codes a card lists ("3.000467 (Điện Biên)" is 3.000467)."""
    return {m.group(1) for code in codes for m in CODE.finditer(code)}


def link_cards(
    records: Iterable[ProcedureRecord], cards: Iterable[tuple[str, str, list[str]]]
) -> None:
    """Set `card_id` on the records of a card's procedure: the same code, else the same
    folded name. `cards` are (id, name, codes)."""
    by_code: dict[str, str] = {}
    by_name: dict[str, str] = {}
    for card_id, name, codes in cards:
        for code in card_codes(codes):
            by_code.setdefault(code, card_id)
        by_name.setdefault(name_key(name), card_id)
    for record in records:
        record.card_id = (by_code.get(record.code) if record.code else None) or by_name.get(
            record.key
        )
