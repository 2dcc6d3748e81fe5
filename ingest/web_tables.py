"""Web saves: pages of legal-text sites saved as markdown put each cell on lines of its own
between lone `|` lines. Rows are told apart by the table's width (the cheapest reading of
its cells), and several tables run together are cut at their bold header rows."""

from __future__ import annotations

from motcua.ingest.table_parts import NUMBER_HEADERS, NUMBERING, Cell, RawTable, make_cell
from motcua.text import fold

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


def is_pipe(line: str) -> bool:
    return line.strip() == "|"


def web_run(lines: list[str], start: int) -> tuple[list[list[str]], int]:
    """The cells between consecutive lone "|" lines from lines[start] on, up to a blank line
    (cells never hold one), and the index just after the run's last "|"."""
    gaps: list[list[str]] = []
    last = start
    current: list[str] = []
    k = start + 1
    while k < len(lines):
        line = lines[k]
        if is_pipe(line):
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
        opens_unnumbered = numbered and not NUMBERING.match(cells[i].text)
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
        if j - i >= 2 and closed and not NUMBERING.match(cells[i].text):
            found.append((i, j - i))
        i = max(j, i + 1)
    return found


def web_pieces(gaps: list[list[str]]) -> list[str | RawTable]:
    """Tables and the text between them, from one run of cells.

    Saves without blank lines run several tables, and the text between them, together. A
    table starts at its bold header row, whose cell count is the table's width; cells before
    a header in the same row are text (a caption, an appendix title)."""
    cells = [make_cell("\n".join(g)) for g in gaps]
    empty = [not any(line.strip() for line in gap) for gap in gaps]
    heads = _header_starts(cells, empty)
    pieces: list[str | RawTable] = []

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
        numbered = bool(heads_first) and fold(heads_first[0]) in NUMBER_HEADERS
        if after_rows and not numbered:
            numbered = sum(1 for v in after_rows if NUMBERING.match(v)) >= 0.6 * len(after_rows)
        rows = _rows(cells[start:end], empty[start:end], n, numbered)
        found: list[list[Cell]] = []
        for a, b in rows:
            a, b = a + start, b + start
            if b - a > n and found:
                # cells past the width close the table: text follows it
                found.append(cells[a : a + n])
                pieces.append(RawTable(found, header_rows=None, web=True))
                found = []
                text(a + n, b)
                continue
            found.append(cells[a:b])
        if found:
            pieces.append(RawTable(found, header_rows=None, web=True))

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
