"""Markdown pipe tables: read from text (`| a | b |` over a `|---|---|` rule, rows wrapped over
several lines read whole), and written from the grids the DOCX, HTML and PDF loaders read."""

from __future__ import annotations

import re

from motcua.ingest.table_build import column_names
from motcua.ingest.table_parts import Cell, RawTable, make_cell

# ------------------------------------------------------------------------------------------
# Reading pipe tables


_MD_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)+\|?\s*$")
_PIPE = re.compile(r"(?<!\\)\|")


def _md_cells(line: str) -> list[Cell]:
    parts = _PIPE.split(line.strip())
    if parts and not parts[0].strip():
        parts = parts[1:]
    if parts and not parts[-1].strip():
        parts = parts[:-1]
    return [make_cell(p.replace("\\|", "|")) for p in parts]


def markdown_at(lines: list[str], start: int) -> tuple[RawTable, int] | None:
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
    return RawTable(rows, header_rows=1), k


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
    header = list(column_names(rows[:header_rows], n))
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * n]
    lines += ["| " + " | ".join(r) + " |" for r in rows[header_rows:]]
    return "\n".join(lines)
