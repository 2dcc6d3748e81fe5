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
A table split over pages is read as one: its repeated header rows dropped or, where the header
is not repeated, the next part's first row read as data. Layout tables (the issuer and the
national motto over a decision, signature blocks) and tables too small to hold data come back
as the plain text they were.

The modules, in the order a text goes through them: `pipe_tables` and `web_tables` find the
tables of each form (`table_parts` holds what they find), `table_build` makes a `Table` of each,
and `split_tables` here puts them in the text's order, joining a table a page break split.
`pipe_tables.to_markdown` writes the grids of DOCX, HTML and PDF tables in the pipe form.
"""

from __future__ import annotations

import re

from motcua.ingest.catalogue_columns import realigned
from motcua.ingest.cleaning import paragraphs
from motcua.ingest.pipe_tables import markdown_at
from motcua.ingest.table_build import build_table, opens_with_data
from motcua.ingest.table_parts import RawTable, Table, same_row
from motcua.ingest.web_tables import is_pipe, web_pieces, web_run

_UNIT_LINE = re.compile(r"(?:^|[\s(])(đơn vị(?: tính)?\s*:[^()]*)\)?\s*$", re.IGNORECASE)


def split_tables(text: str) -> list[str | Table]:
    """The text in order, tables replaced by Table objects; text pieces stay as written."""
    lines = text.split("\n")
    found: list[str | RawTable] = []
    buffer: list[str] = []

    def flush() -> None:
        if buffer:
            found.append("\n".join(buffer))
            buffer.clear()

    k = 0
    while k < len(lines):
        markdown = markdown_at(lines, k)
        if markdown:
            flush()
            found.append(markdown[0])
            k = markdown[1]
        elif is_pipe(lines[k]):
            gaps, after = web_run(lines, k)
            flush()
            found.extend(web_pieces(gaps))
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
        items.append(realigned(built) if isinstance(built, Table) else built)
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


def _join_continued(found: list[str | RawTable]) -> list[str | RawTable]:
    """One table where a page break split it, nothing but page numbers between the two parts:
    either the same header opens the second part again, or no header does and it opens with a
    row that goes on with the first part's data (`opens_with_data`). That row was taken for a
    header where the part was read (a PDF page's table) and becomes a data row again, under
    the first part's columns, its rows numbered on from the first part's."""
    out: list[str | RawTable] = []
    for piece in found:
        if isinstance(piece, RawTable) and piece.header_rows:
            before = out[-1] if out else None
            between = ""
            if isinstance(before, str) and len(out) >= 2:
                between, before = before, out[-2]
            if (
                isinstance(before, RawTable)
                and before.header_rows
                and all(_FURNITURE.match(ln) or not ln.strip() for ln in between.split("\n"))
            ):
                if same_row(before.rows[0], piece.rows[0]):
                    rows = piece.rows[piece.header_rows :]
                elif opens_with_data(before, piece.rows[0]):
                    rows = piece.rows
                else:
                    rows = None
                if rows is not None:
                    if between:
                        out.pop()
                    before.rows.extend(rows)
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
