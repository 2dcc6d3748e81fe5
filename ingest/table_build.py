"""From the rows a table was found with to a `Table`: layout tables (a decision's motto and
issuer, a signature block) back to plain text, rows fitted to the table's width, header rows
joined into column names, key columns, group rows and the data rows under them."""

from __future__ import annotations

import re
from itertools import combinations

from motcua.ingest.table_parts import (
    NUMBER_HEADERS,
    NUMBERING,
    Cell,
    RawTable,
    Row,
    Table,
    same_row,
)
from motcua.text import fold

# ------------------------------------------------------------------------------------------
# Cells and rows


_COLUMN_INDEX = re.compile(r"^\(?(\d{1,2})\)?$")
_FOOTNOTE = re.compile(r"\[\d{1,2}\]")
_KEY_HEADER = re.compile(r"\b(?:ma|ten|so hieu|ky hieu)\b")
_CODE_VALUE = re.compile(r"^\d\.\d{6}$|^[A-Z0-9]{2,}[-.][A-Z0-9.-]+$")
_AMOUNT = re.compile(r"^[\d.,\s]+(?:đ|đồng|%)?$")


def _kind(text: str) -> str:
    """A coarse type of a cell's value, to align rows whose merged cells were left out."""
    if not text:
        return "empty"
    if NUMBERING.match(text):
        return "number"
    if _AMOUNT.match(text):
        return "amount"
    if "/" in text and len(text) < 40:
        return "unit"
    return "text"


def _numbering_kind(value: str) -> tuple[str, int]:
    """("roman" | "letter" | "arabic", depth) of a row number: "I", "A", "1", "1.2" …"""
    head = re.split(r"[.,]", value.rstrip(".)"))[0]
    depth = len(re.findall(r"[.,](?=\S)", value.rstrip(".)")))
    if re.fullmatch(r"[IVXLC]+", head) and head not in {"C", "L"}:
        return "roman", depth
    if head.isalpha():
        return "letter", depth
    return "arabic", depth


def _is_column_index(cells: list[Cell]) -> bool:
    """The "(1) (2) (3)" row that numbers the columns under a header."""
    values = [c.text for c in cells if c.text]
    numbers = [_COLUMN_INDEX.match(v) for v in values]
    if len(values) < 2 or not all(numbers):
        return False
    found = [int(m.group(1)) for m in numbers if m]
    return found == list(range(found[0], found[0] + len(found)))


# ------------------------------------------------------------------------------------------
# A table's part after a page break

_LETTERS = "abcdđeghiklmnopqrstuvxy"  # the order Vietnamese lists letter their points in
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def _rank(part: str, kind: str) -> int | None:
    """The place of one level of a row number in its sequence: 41, II = 2, đ = 5."""
    if kind == "roman":
        values = [_ROMAN[c] for c in part]
        return sum(-v if v < w else v for v, w in zip(values, [*values[1:], 0], strict=True))
    if part.isdigit():
        return int(part)
    place = _LETTERS.find(part.lower()) if kind == "letter" and len(part) == 1 else -1
    return place if place >= 0 else None


def _follows(number: str, previous: str) -> bool:
    """Whether `number` comes next after `previous` at the same level: "41" after "40",
    "1.3" after "1.2", "II" after "I", "đ" after "d"."""
    kind = _numbering_kind(number)
    if kind != _numbering_kind(previous):
        return False
    *head, last = re.split(r"[.,]", number.rstrip(".)"))
    *head_before, last_before = re.split(r"[.,]", previous.rstrip(".)"))
    rank, rank_before = _rank(last, kind[0]), _rank(last_before, kind[0])
    if rank is None or rank_before is None:
        return False
    return head == head_before and rank == rank_before + 1


def opens_with_data(table: RawTable, first: list[Cell]) -> bool:
    """Whether the first row of a table found just after `table`, across a page break, is one
    more data row of `table` rather than the header of a table of its own. A header names its
    columns in words. The row goes on with `table` when it is as wide, names none of its
    columns, and either its number comes next after the last one of its level above ("41"
    after "40", "II" after "I"), or it holds figures and codes where the last full row above
    does and words where that row has words."""
    header = table.rows[: table.header_rows or 0]
    body = table.rows[len(header) :]
    if not header or not body or len(first) != len(header[0]):
        return False
    names = {fold(c.text) for row in header for c in row if c.text}
    if any(fold(c.text) in names for c in first if c.text):
        return False
    number = first[0].text
    if NUMBERING.match(number):
        level = _numbering_kind(number)
        above = [
            r[0].text
            for r in body
            if r and NUMBERING.match(r[0].text) and _numbering_kind(r[0].text) == level
        ]
        if above and _follows(number, above[-1]):
            return True
    # group rows (one label across the table) are no measure of what a data row holds
    distinct = len({c.text for c in first if c.text})
    full = [r for r in body if len({c.text for c in r if c.text}) >= distinct]
    if not full or len(full[-1]) != len(first):
        return False
    kinds = [(_kind(a.text), _kind(b.text)) for a, b in zip(first, full[-1], strict=True)]
    kinds = [(k, above) for k, above in kinds if k != "empty" and above != "empty"]
    figures = [k for k, _ in kinds if k in ("number", "amount")]
    return bool(figures) and all(k == above for k, above in kinds)


# ------------------------------------------------------------------------------------------
# Layout tables

_LAYOUT_TEXT = re.compile(
    r"cong hoa xa hoi chu nghia|doc lap\s*[-–—]\s*tu do|^noi nhan\b|^so\s*:|^(?:kt|tm|tl|q)\.\s"
)
_SIGNING_TITLE = re.compile(
    r"^(?:kt\.|tm\.|tl\.)?\s*(?:chu tich|pho chu tich|giam doc|bo truong|thu truong|"
    r"hieu truong|truong phong|nguoi ky)"
)


def _is_layout(rows: list[list[Cell]]) -> bool:
    """The motto-and-issuer header of a decision or a signature block laid out as a table."""
    if len(rows) > 4:
        return False
    for row in rows:
        for cell in row:
            folded = fold(cell.text)
            if _LAYOUT_TEXT.search(folded):
                return True
            if cell.text.isupper() and _SIGNING_TITLE.match(folded):
                return True
    return False


def plain_text(rows: list[list[Cell]]) -> str:
    """A table that is not data, as the text it was: each cell a paragraph of its own."""
    cells = [cell.raw or cell.text for row in rows for cell in row]
    return "\n\n".join(c for c in cells if c.strip())


# ------------------------------------------------------------------------------------------
# From found rows to a Table


def _fit_row(cells: list[Cell], n: int, previous: list[Cell] | None) -> list[Cell]:
    """A row of n cells. A web save drops the cells a merged cell covers: a row one or two
    cells short whose values line up by type with the full row above takes that row's value
    where the merged cell was (it spans down); otherwise the row is padded on the right."""
    missing = n - len(cells)
    if missing <= 0:
        return cells[:n]
    filled = sum(1 for c in cells if c.text)
    if previous and len(previous) == n and filled >= 2 and missing <= 2:
        kinds = [_kind(c.text) for c in cells]
        best: tuple[int, tuple[int, ...]] | None = None
        for gaps in combinations(range(n), missing):
            rest = [i for i in range(n) if i not in gaps]
            score = sum(1 for k, i in zip(kinds, rest, strict=True) if k == _kind(previous[i].text))
            if best is None or score >= best[0]:  # later gaps win ties: right padding
                best = (score, gaps)
        if best and best[0] == len(cells) and all(previous[i].text for i in best[1]):
            out = list(cells)
            for i in best[1]:
                out.insert(i, previous[i])
            return out
    return cells + [Cell("")] * missing


def _web_header(rows: list[list[Cell]], n: int) -> tuple[list[list[str]], int]:
    """Header rows of a web-saved table: the first row unless it already holds data, then
    further wholly bold rows without a row number (a second header row under a merged one)."""
    first = rows[0]
    if first[0].text and NUMBERING.match(first[0].text) and not first[0].bold:
        return [], 0
    header = [[c.text for c in first] + [""] * (n - len(first))]
    used = 1
    for row in rows[1:3]:
        filled = [c for c in row if c.text]
        if len(filled) < 2 or not all(c.bold for c in filled):
            break
        if row[0].text and NUMBERING.match(row[0].text):
            break
        values = [c.text for c in row]
        short = len([c for c in first if c.text])
        if len(values) == n:
            header.append(values)
        elif short - 1 + len(values) == n:
            # the last cell of the row above spans the columns this row names
            above = header[0]
            above[short - 1 :] = [above[short - 1]] * (n - short + 1)
            header.append([""] * (short - 1) + values)
        used += 1
    return header, used


def column_names(header: list[list[str]], n: int) -> tuple[str, ...]:
    names = []
    for i in range(n):
        parts: list[str] = []
        for row in header:
            value = _FOOTNOTE.sub("", row[i] if i < len(row) else "").strip()
            if value and value not in parts:
                parts.append(value)
        names.append(" / ".join(parts))
    return tuple(names)


def build_table(raw: RawTable) -> Table | str:
    """The Table a found table holds, or its plain text when it is layout or not data."""
    rows = [r for r in raw.rows if any(c.text for c in r)]
    if not rows:
        return plain_text(raw.rows)
    n = max(len(r) for r in rows)
    if n < 2 or _is_layout(rows):
        return plain_text(raw.rows)
    fitted: list[list[Cell]] = []
    for row in rows:
        fitted.append(_fit_row(row, n, fitted[-1] if raw.web and fitted else None))
    if raw.header_rows is None:
        header, used = _web_header(fitted, n)
    else:
        used = min(raw.header_rows, len(fitted))
        header = [[c.text for c in r] for r in fitted[:used]]
    header_cells = fitted[:used]
    body = fitted[used:]
    columns = column_names(header, n)
    firsts = [r[0].text for r in body if r[0].text]
    numbered = fold(columns[0]) in NUMBER_HEADERS or (
        bool(firsts) and sum(1 for v in firsts if NUMBERING.match(v)) >= 0.6 * len(firsts)
    )
    title = None
    single = sum(1 for r in body if sum(1 for c in r if c.text) == 1)
    if n == 2 and header and body and single >= 0.5 * len(body):
        # a form laid out as label / value blocks: its first row names the form
        title = ": ".join(v for v in header[0] if v)
        columns = ("", "")
    table = Table(columns, [], title, raw.note, _key_columns(columns, body, numbered))
    _read_rows(table, body, header_cells, numbered, n)
    if not table.rows:
        return plain_text(raw.rows)
    return table


def _key_columns(columns: tuple[str, ...], body: list[list[Cell]], numbered: bool) -> tuple:
    keys = [i for i, name in enumerate(columns) if _KEY_HEADER.search(fold(name))]
    for i in range(len(columns)):
        values = [r[i].text for r in body if r[i].text]
        if values and sum(1 for v in values if _CODE_VALUE.match(v)) >= 0.6 * len(values):
            keys.append(i)
    if not keys:
        first_text = 1 if numbered and len(columns) > 1 else 0
        keys.append(first_text)
    if numbered:
        keys.append(0)
    return tuple(sorted(set(keys)))


def _is_group(cells: list[Cell], numbered: bool, n: int) -> bool:
    """A row that heads the rows below it rather than holding data: "I | LĨNH VỰC …" across
    the table, or a bold heading alone in its row."""
    filled = [i for i, c in enumerate(cells) if c.text]
    if not filled:
        return False
    if len(filled) == 1:
        return cells[filled[0]].bold
    if len(filled) == n and len({cells[i].text for i in filled}) == 1:
        return True  # one cell merged across the whole row
    if not (numbered and cells[0].text and NUMBERING.match(cells[0].text)):
        return False
    distinct = {cells[i].text for i in filled if i != 0}
    if n >= 3:
        return len(distinct) == 1
    roman_or_letter = _numbering_kind(cells[0].text)[0] != "arabic"
    return roman_or_letter and all(cells[i].bold for i in filled)


def _read_rows(
    table: Table, body: list[list[Cell]], header: list[list[Cell]], numbered: bool, n: int
) -> None:
    """Data rows with the groups they sit under. A group row's number kind ("I", "1", "1.1")
    places it: a new group of a kind already open closes that one and everything under it, and
    a data row numbered like an open group is that group's sibling. A group with no data row
    under it is kept as a row, so nothing it says is lost."""
    stack: list[tuple[tuple[str, int], str, int]] = []  # (number kind, label, index in out)
    out: list[Row] = []
    groups: set[int] = set()
    parents: set[int] = set()  # groups with at least one data row under them
    ordinal = 0
    for cells in body:
        if any(same_row(cells, h) for h in header) or _is_column_index(cells):
            continue  # a header repeated where the table crosses a page
        number = cells[0].text if numbered and NUMBERING.match(cells[0].text) else ""
        kind = _numbering_kind(number) if number else ("none", 0)
        group = _is_group(cells, numbered, n)
        open_kinds = [k for k, _, _ in stack]
        if kind in open_kinds and (group or number):
            del stack[open_kinds.index(kind) :]
        values = tuple(c.text for c in cells)
        above = tuple(label for _, label, _ in stack)
        if group:
            words = [v for i, v in enumerate(values) if v and not (i == 0 and number)]
            text = " ".join(dict.fromkeys(words))
            label = f"{number.rstrip('.')}. {text}" if number else text
            groups.add(len(out))
            stack.append((kind, label, len(out)))
            out.append(Row(values, above, number or text))
            continue
        ordinal += 1
        parents.update(index for _, _, index in stack)
        out.append(Row(values, above, number or str(ordinal)))
    table.rows = [row for i, row in enumerate(out) if i not in groups or i not in parents]
