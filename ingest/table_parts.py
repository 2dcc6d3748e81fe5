"""A table's parts: cells as read, typed rows that keep their groups, the `Table`, and the
`RawTable` as found in the text before header, group and layout decisions (`table_build`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from motcua.ingest.cleaning import strip_emphasis
from motcua.text import fold


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
class RawTable:
    """A table as found, before header, group and layout decisions."""

    rows: list[list[Cell]]
    header_rows: int | None  # known for markdown; None: decide from the cells (web saves)
    web: bool = False
    note: str | None = None


NUMBERING = re.compile(
    r"^(?:[IVXLC]{1,6}|[A-Za-zĐđ]|\d{1,3})(?:[.,](?:\d{1,3}|[IVXLC]{1,6}|[a-z]))*[.)]?$"
)
NUMBER_HEADERS = {"stt", "tt", "so tt", "so thu tu", "no", "no."}


def make_cell(raw: str) -> Cell:
    raw = raw.strip()
    outside = re.sub(r"\*\*.*?\*\*", "", raw, flags=re.DOTALL).strip(" \t\n*")
    bold = "**" in raw and not outside
    text = " ".join(strip_emphasis(raw).split())
    return Cell(text, bold and bool(text), raw)


def same_row(a: list[Cell], b: list[Cell]) -> bool:
    return [fold(c.text) for c in a] == [fold(c.text) for c in b]
