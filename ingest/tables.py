"""Tables in document text, read as typed rows that keep their column headers.

Two text forms reach this module:

- markdown pipe tables (`| a | b |` over a `|---|---|` rule). The DOCX, HTML and PDF loaders
  write the tables they read in this form (`to_markdown`), spans filled and header rows joined;
- web saves (pages of legal-text sites saved as markdown), which put each cell on lines of its
  own between lone `|` lines: `|` cell `|` cell `|`, and the next row opens with its own `|`.
  An empty cell is also two adjacent `|` lines, so rows are told apart by the table's column
  count (`_segment`), never by one line alone.

A table becomes a `Table`: its column names (header rows joined, "Mức thu học phí / Mầm non")
and its data rows, each with the group rows it sits under ("I. Đô thị", "1. Trường Mầm non …").
Repeated header rows (a table split over pages) are dropped. Layout tables (the issuer and the
national motto over a decision, signature blocks) and tables too small to hold data come back
as the plain text they were.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import combinations

from motcua.ingest.cleaning import paragraphs, strip_emphasis
from motcua.text import fold

# ------------------------------------------------------------------------------------------
# Types


@dataclass(frozen=True)
class Cell:
    text: str  # one line, emphasis markers removed
    bold: bool = False  # wholly bold in the source: headers and group rows usually are
    raw: str = ""  # as written, for tables that turn out to be layout


@dataclass(frozen=True)
class Row:
    cells: tuple[str, ...]  # one value per column; a merged cell's value in every column
    groups: tuple[str, ...] = ()  # the group rows above it, outermost first
    label: str = ""  # its number in the table ("1.1"), or its position among the data rows


@dataclass
class Table:
    columns: tuple[str, ...]  # column names ("" where the header says nothing)
    rows: list[Row]
    title: str | None = None  # a first row naming the whole table (a form's "Tên thủ tục: …")
    note: str | None = None  # the unit line above the table ("Đơn vị tính: 1.000 đồng/…")
    key_columns: tuple[int, ...] = ()  # number, code and name: what identifies a row

    def fields(self, row: Row) -> list[tuple[str, str]]:
        """(column name, value) of the row's filled cells, in column order."""
        return [(name, value) for name, value in zip(self.columns, row.cells, strict=True) if value]


@dataclass
class _Raw:
    """A table as found, before header, group and layout decisions."""

    rows: list[list[Cell]]
    header_rows: int | None  # known for markdown; None: decide from the cells (web saves)
    web: bool = False
    note: str | None = None


# ------------------------------------------------------------------------------------------
# Cells and rows


_NUMBERING = re.compile(
    r"^(?:[IVXLC]{1,6}|[A-Za-zĐđ]|\d{1,3})(?:[.,](?:\d{1,3}|[IVXLC]{1,6}|[a-z]))*[.)]?$"
)
_COLUMN_INDEX = re.compile(r"^\(?(\d{1,2})\)?$")
_FOOTNOTE = re.compile(r"\[\d{1,2}\]")
_NUMBER_HEADERS = {"stt", "tt", "so tt", "so thu tu", "no", "no."}
_KEY_HEADER = re.compile(r"\b(?:ma|ten|so hieu|ky hieu)\b")
_CODE_VALUE = re.compile(r"^\d\.\d{6}$|^[A-Z0-9]{2,}[-.][A-Z0-9.-]+$")
_AMOUNT = re.compile(r"^[\d.,\s]+(?:đ|đồng|%)?$")


def make_cell(raw: str) -> Cell:
    raw = raw.strip()
    outside = re.sub(r"\*\*.*?\*\*", "", raw, flags=re.DOTALL).strip(" \t\n*")
    bold = "**" in raw and not outside
    text = " ".join(strip_emphasis(raw).split())
    return Cell(text, bold and bool(text), raw)


def _kind(text: str) -> str:
    """A coarse type of a cell's value, to align rows whose merged cells were left out."""
    if not text:
        return "empty"
    if _NUMBERING.match(text):
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


def _same_row(a: list[Cell], b: list[Cell]) -> bool:
    return [fold(c.text) for c in a] == [fold(c.text) for c in b]


def _is_column_index(cells: list[Cell]) -> bool:
    """The "(1) (2) (3)" row that numbers the columns under a header."""
    values = [c.text for c in cells if c.text]
    numbers = [_COLUMN_INDEX.match(v) for v in values]
    if len(values) < 2 or not all(numbers):
        return False
    found = [int(m.group(1)) for m in numbers if m]
    return found == list(range(found[0], found[0] + len(found)))


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
    if first[0].text and _NUMBERING.match(first[0].text) and not first[0].bold:
        return [], 0
    header = [[c.text for c in first] + [""] * (n - len(first))]
    used = 1
    for row in rows[1:3]:
        filled = [c for c in row if c.text]
        if len(filled) < 2 or not all(c.bold for c in filled):
            break
        if row[0].text and _NUMBERING.match(row[0].text):
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


def _columns(header: list[list[str]], n: int) -> tuple[str, ...]:
    names = []
    for i in range(n):
        parts: list[str] = []
        for row in header:
            value = _FOOTNOTE.sub("", row[i] if i < len(row) else "").strip()
            if value and value not in parts:
                parts.append(value)
        names.append(" / ".join(parts))
    return tuple(names)


def build_table(raw: _Raw) -> Table | str:
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
    columns = _columns(header, n)
    firsts = [r[0].text for r in body if r[0].text]
    numbered = fold(columns[0]) in _NUMBER_HEADERS or (
        bool(firsts) and sum(1 for v in firsts if _NUMBERING.match(v)) >= 0.6 * len(firsts)
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
    if not (numbered and cells[0].text and _NUMBERING.match(cells[0].text)):
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
        if any(_same_row(cells, h) for h in header) or _is_column_index(cells):
            continue  # a header repeated where the table crosses a page
        number = cells[0].text if numbered and _NUMBERING.match(cells[0].text) else ""
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


# ------------------------------------------------------------------------------------------
# Markdown pipe tables

_MD_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)+\|?\s*$")
_PIPE = re.compile(r"(?<!\\)\|")


def _md_cells(line: str) -> list[Cell]:
    parts = _PIPE.split(line.strip())
    if parts and not parts[0].strip():
        parts = parts[1:]
    if parts and not parts[-1].strip():
        parts = parts[:-1]
    return [make_cell(p.replace("\\|", "|")) for p in parts]


def _markdown_at(lines: list[str], start: int) -> tuple[_Raw, int] | None:
    """The pipe table whose header starts at lines[start], and the index after it. A row
    wrapped over several lines (as saves and some converters write them) is read whole: it
    ends when it has as many cell separators as the rule line."""
    if not lines[start].lstrip().startswith("|"):
        return None
    rule = next(
        (k for k in range(start + 1, min(start + 4, len(lines))) if _MD_RULE.match(lines[k])),
        None,
    )
    if rule is None or any(not lines[k].strip() for k in range(start, rule)):
        return None
    pipes = len(_PIPE.findall(lines[rule].strip()))
    if not lines[rule].strip().startswith("|"):
        pipes += 1
    if not lines[rule].strip().endswith("|"):
        pipes += 1
    rows = [_md_cells(" ".join(lines[start:rule]))]
    k = rule + 1
    buffer: list[str] = []
    while k < len(lines):
        line = lines[k]
        if not line.strip() and not buffer and _continues_after_gap(lines, k, pipes):
            k += 1
            continue
        if not line.strip() or (not buffer and not line.lstrip().startswith("|")):
            break
        if _MD_RULE.match(line):  # a second rule: a header row repeated over a page break
            k += 1
            continue
        buffer.append(line.strip())
        k += 1
        if len(_PIPE.findall(" ".join(buffer))) >= pipes:
            rows.append(_md_cells(" ".join(buffer)))
            buffer = []
    if buffer:
        rows.append(_md_cells(" ".join(buffer)))
    return _Raw(rows, header_rows=1), k


def _continues_after_gap(lines: list[str], k: int, pipes: int) -> bool:
    """Whether the blank line at lines[k] sits inside a table, as web saves leave one between
    a table's groups: the next line is a row as wide as the table and not a new table's
    header (no rule line under it)."""
    following = k + 1
    if following >= len(lines) or not lines[following].lstrip().startswith("|"):
        return False
    if len(_PIPE.findall(lines[following].strip())) != pipes:
        return False
    return not any(_MD_RULE.match(ln) for ln in lines[following + 1 : following + 3])


# ------------------------------------------------------------------------------------------
# Web saves: one cell per line group, lone "|" lines between cells and around rows

# What each reading of a table's cells costs, roughly how unlikely it is: an empty cell, a row
# shorter than the table (a merged cell, such as a group heading across it), a row of a numbered
# table that opens with no number, a stray "|", a row of nothing, and cells past the table's
# width (text after it). Reading rows out of phase (an empty cell taken for the row's end) makes
# rows open with something other than their number, and costs that.
_EMPTY_CELL_COST = 1.0
_SHORT_COST = 1.5
_UNNUMBERED_COST = 1.5
_SKIP_COST = 2.0
_EMPTY_ROW_COST = 5.0
_OVERFLOW_COST = 3.0


def _is_pipe(line: str) -> bool:
    return line.strip() == "|"


def _web_run(lines: list[str], start: int) -> tuple[list[list[str]], int]:
    """The cells between consecutive lone "|" lines from lines[start] on, up to a blank line
    (cells never hold one), and the index just after the run's last "|"."""
    gaps: list[list[str]] = []
    last = start
    current: list[str] = []
    k = start + 1
    while k < len(lines):
        line = lines[k]
        if _is_pipe(line):
            gaps.append(current)
            current = []
            last = k
        elif not line.strip():
            break
        else:
            current.append(line)
        k += 1
    return gaps, last + 1


def _rows(cells: list[Cell], empty: list[bool], n: int, numbered: bool) -> list[tuple[int, int]]:
    """Rows of one table's cells as (start, end) ranges, the cheapest reading.

    A row ends at an empty gap (the next row's opening "|"), so an empty gap is either that or
    an empty cell, and only the table's width tells which."""
    size = len(cells)
    ends = [j for j in range(size) if empty[j]] + [size]
    blanks = [0]
    for e in empty:
        blanks.append(blanks[-1] + e)
    best = [0.0] * (size + 1)
    choice = [(0, 0)] * (size + 1)
    for i in range(size - 1, -1, -1):
        best[i] = float("inf")
        if empty[i]:
            best[i], choice[i] = _SKIP_COST + best[i + 1], (i, i)
        opens_unnumbered = numbered and not _NUMBERING.match(cells[i].text)
        for j in ends:
            if j <= i:
                continue
            width = j - i
            inside = blanks[j] - blanks[i]
            if inside == width:
                cost = _EMPTY_ROW_COST
            else:
                cost = inside * _EMPTY_CELL_COST
                cost += _SHORT_COST if width < n else (width - n) * _OVERFLOW_COST
                cost += _UNNUMBERED_COST if opens_unnumbered else 0.0
            cost += best[j + 1] if j < size else 0.0
            if cost < best[i]:
                best[i], choice[i] = cost, (i, j)
            if width > 3 * n + 10:
                break
    rows = []
    i = 0
    while i < size:
        start, end = choice[i]
        if end > start:
            rows.append((start, end))
        i = end + 1 if end > start else start + 1
    return rows


def _header_starts(cells: list[Cell], empty: list[bool]) -> list[tuple[int, int]]:
    """(start, width) of the header rows in a run: two or more bold cells in a row, closed by
    the next row's "|", the first not a row number (a bold "I | GROUP" row is a group)."""
    found = []
    i = 0
    while i < len(cells):
        j = i
        while j < len(cells) and not empty[j] and cells[j].bold:
            j += 1
        closed = j == len(cells) or empty[j]
        if j - i >= 2 and closed and not _NUMBERING.match(cells[i].text):
            found.append((i, j - i))
        i = max(j, i + 1)
    return found


def _web_pieces(gaps: list[list[str]]) -> list[str | _Raw]:
    """Tables and the text between them, from one run of cells.

    Saves without blank lines run several tables, and the text between them, together. A
    table starts at its bold header row, whose cell count is the table's width; cells before
    a header in the same row are text (a caption, an appendix title)."""
    cells = [make_cell("\n".join(g)) for g in gaps]
    empty = [not any(line.strip() for line in gap) for gap in gaps]
    heads = _header_starts(cells, empty)
    pieces: list[str | _Raw] = []

    def text(start: int, end: int) -> None:
        chunk = "\n\n".join("\n".join(g) for g in gaps[start:end] if g)
        if chunk.strip():
            pieces.append(chunk)

    def table(start: int, end: int, n: int | None) -> None:
        if start >= end:
            return
        if n is None:  # no header: as wide as its longest run of filled cells
            n = run = 0
            for e in empty[start:end]:
                run = 0 if e else run + 1
                n = max(n, run)
        heads_first = [c.text for c in cells[start : start + n]]
        after_rows = [
            cells[k + 1].text for k in range(start, end - 1) if empty[k] and not empty[k + 1]
        ]
        numbered = bool(heads_first) and fold(heads_first[0]) in _NUMBER_HEADERS
        if after_rows and not numbered:
            numbered = sum(1 for v in after_rows if _NUMBERING.match(v)) >= 0.6 * len(after_rows)
        rows = _rows(cells[start:end], empty[start:end], n, numbered)
        found: list[list[Cell]] = []
        for a, b in rows:
            a, b = a + start, b + start
            if b - a > n and found:
                # cells past the width close the table: text follows it
                found.append(cells[a : a + n])
                pieces.append(_Raw(found, header_rows=None, web=True))
                found = []
                text(a + n, b)
                continue
            found.append(cells[a:b])
        if found:
            pieces.append(_Raw(found, header_rows=None, web=True))

    bounds = []
    for start, width in heads:
        row_start = start
        while row_start > 0 and not empty[row_start - 1]:
            row_start -= 1
        bounds.append((row_start, start, width))
    previous: tuple[int, int | None] = (0, None)
    for row_start, start, width in bounds:
        table(previous[0], row_start, previous[1])
        text(row_start, start)
        previous = (start, width)
    table(previous[0] if bounds else 0, len(gaps), previous[1])
    return pieces


# ------------------------------------------------------------------------------------------
# Finding tables in a text

_UNIT_LINE = re.compile(r"(?:^|[\s(])(đơn vị(?: tính)?\s*:[^()]*)\)?\s*$", re.IGNORECASE)


def split_tables(text: str) -> list[str | Table]:
    """The text in order, tables replaced by Table objects; text pieces stay as written."""
    lines = text.split("\n")
    found: list[str | _Raw] = []
    buffer: list[str] = []

    def flush() -> None:
        if buffer:
            found.append("\n".join(buffer))
            buffer.clear()

    k = 0
    while k < len(lines):
        markdown = _markdown_at(lines, k)
        if markdown:
            flush()
            found.append(markdown[0])
            k = markdown[1]
        elif _is_pipe(lines[k]):
            gaps, after = _web_run(lines, k)
            flush()
            found.extend(_web_pieces(gaps))
            k = after
        else:
            buffer.append(lines[k])
            k += 1
    flush()
    found = _join_continued(found)
    items: list[str | Table] = []
    for piece in found:
        if isinstance(piece, str):
            items.append(piece)
            continue
        if items and isinstance(items[-1], str):
            piece.note = _unit_note(items[-1])
        built = build_table(piece)
        items.append(built)
    return _merge_text(items)


def _unit_note(text: str) -> str | None:
    """The unit the table's figures are in, when the text just above it says so."""
    paras = paragraphs(text) if text.strip() else []
    found = _UNIT_LINE.search(paras[-1]) if paras else None
    if found and len(found.group(1)) < 160:
        return found.group(1).rstrip(" )")
    return None


_FURNITURE = re.compile(
    r"^\s*(?:trang\s*)?\d{1,4}(?:\s*/\s*\d{1,4})?\s*$|^\s*-\s*\d{1,4}\s*-\s*$", re.IGNORECASE
)


def _join_continued(found: list[str | _Raw]) -> list[str | _Raw]:
    """One table where a page break split it: the same header again, nothing but page
    numbers between the two parts."""
    out: list[str | _Raw] = []
    for piece in found:
        if isinstance(piece, _Raw) and piece.header_rows:
            before = out[-1] if out else None
            between = ""
            if isinstance(before, str) and len(out) >= 2:
                between, before = before, out[-2]
            if (
                isinstance(before, _Raw)
                and before.header_rows
                and all(_FURNITURE.match(ln) or not ln.strip() for ln in between.split("\n"))
                and _same_row(before.rows[0], piece.rows[0])
            ):
                if between:
                    out.pop()
                before.rows.extend(piece.rows[piece.header_rows :])
                continue
        out.append(piece)
    return out


def _merge_text(items: list[str | Table]) -> list[str | Table]:
    out: list[str | Table] = []
    for item in items:
        if isinstance(item, str) and out and isinstance(out[-1], str):
            out[-1] = f"{out[-1]}\n\n{item}"
        elif not (isinstance(item, str) and not item.strip()):
            out.append(item)
    return out


# ------------------------------------------------------------------------------------------
# Writing tables read from DOCX, HTML and PDF


def to_markdown(grid: list[list[str]], header_rows: int = 1) -> str:
    """A pipe table of a filled grid (a merged cell's text in every position it covers); the
    header rows are joined into one ("Mức thu học phí / Mầm non")."""
    if not grid:
        return ""
    n = max(len(r) for r in grid)
    rows = [
        [" ".join(c.split()).replace("|", "\\|") for c in r] + [""] * (n - len(r)) for r in grid
    ]
    header_rows = max(1, min(header_rows, len(rows)))
    header = list(_columns(rows[:header_rows], n))
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * n]
    lines += ["| " + " | ".join(r) + " |" for r in rows[header_rows:]]
    return "\n".join(lines)
