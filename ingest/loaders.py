"""Turn a file into text. One small loader per format, chosen by extension.

A new format is one function registered in `LOADERS`. Tables read from DOCX, HTML and PDF are
written into the text as markdown pipe tables, in their place among the paragraphs, merged
cells filled and header rows joined (`tables.to_markdown`), so chunking reads every table from
text the same way.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from motcua.ingest.cleaning import drop_page_furniture, inline_footnotes
from motcua.ingest.pipe_tables import to_markdown
from motcua.ingest.table_parts import NUMBERING
from motcua.text import nfc

log = logging.getLogger(__name__)
# pypdf logs its own complaints about a damaged file ("EOF marker not found") before raising;
# the LoaderError that follows says it once, with the file's name.
logging.getLogger("pypdf").setLevel(logging.ERROR)


class LoaderError(Exception):
    """A file that cannot be read as text: reported by name and skipped."""


def _read_plain(path: Path) -> str:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "utf-16", "cp1258"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise LoaderError(f"{path}: không đọc được bảng mã (not UTF-8/UTF-16/CP1258 text)")


def _broken_pdf(path: Path, exc: Exception) -> LoaderError:
    return LoaderError(f"{path}: PDF hỏng hoặc không đọc được ({exc})")


def check_pdf_pages(path: Path, limit: int) -> None:
    """LoaderError when a PDF has more than `limit` pages. Counted from the page tree, before
    any text is read: fifty thousand blank pages make a small file that takes a minute to read."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        pages = len(PdfReader(path).pages)
    except (PdfReadError, ValueError, KeyError) as exc:
        raise _broken_pdf(path, exc) from exc
    if pages > limit:
        raise LoaderError(
            f"{path}: PDF có {pages} trang, vượt giới hạn {limit} trang; hãy tách thành nhiều "
            f"tệp / the PDF has {pages} pages, over the limit of {limit}: split it"
        )


def _read_pdf(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(path)
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError) as exc:
        raise _broken_pdf(path, exc) from exc
    # pypdf keeps the text; pages that hold ruled tables are read again with pdfplumber, which
    # finds the table cells, and their text is laid out around the tables in page order.
    for number, text in _pdf_table_pages(path).items():
        pages[number] = text
    return "\n\n".join(drop_page_furniture(pages))


def _pdf_table_pages(path: Path) -> dict[int, str]:
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError

    found: dict[int, str] = {}
    try:
        with pdfplumber.open(path) as pdf:
            for number, page in enumerate(pdf.pages):
                tables = sorted(page.find_tables(), key=lambda t: t.bbox[1])
                if not tables:
                    continue
                parts, top = [], 0.0
                for table in tables:
                    x0, table_top, x1, bottom = table.bbox
                    if table_top > top:
                        parts.append(page.crop((0, top, page.width, table_top)).extract_text())
                    grid = _pdf_grid(table)
                    parts.append(to_markdown(grid, _pdf_header_rows(table, grid)))
                    top = bottom
                if top < page.height:
                    parts.append(page.crop((0, top, page.width, page.height)).extract_text())
                found[number] = "\n\n".join(p for p in parts if p and p.strip())
    except (PDFSyntaxError, ValueError, KeyError, TypeError, AttributeError) as exc:
        # pypdf read the text already: a page layout pdfplumber cannot follow costs the
        # tables as tables, never the document
        log.warning("%s: tables not read (%s); keeping the text", path, exc)
        return {}
    return found


def _pdf_grid(table: object) -> list[list[str]]:
    """Cell texts of a pdfplumber table; a position a merged cell covers (None) takes the text
    of the cell to its left when that cell reaches over it, else of the cell above."""
    texts = table.extract()  # type: ignore[attr-defined]
    boxes = [row.cells for row in table.rows]  # type: ignore[attr-defined]
    width = max(len(r) for r in texts)
    starts = [
        min((r[j][0] for r in boxes if j < len(r) and r[j]), default=0.0) for j in range(width)
    ]
    grid: list[list[str]] = []
    for i, row in enumerate(texts):
        out: list[str] = []
        for j in range(width):
            value = row[j] if j < len(row) else None
            if value is None:
                left = next((k for k in range(j - 1, -1, -1) if boxes[i][k]), None)
                if left is not None and boxes[i][left][2] > starts[j] + 1:
                    value = out[left]
                else:
                    value = grid[-1][j] if grid else ""
            out.append(" ".join(value.split()))
        grid.append(out)
    return grid


def _pdf_header_rows(table: object, grid: list[list[str]]) -> int:
    """Header rows: as many as the first row's tallest cell spans, numbered rows aside. A
    table that goes on from the page before opens with data rows, and a cell merged down over
    them must not join them into one header: its first row is then written as the header
    line alone, which `tables` reads back as a data row of the table it continues."""
    rows = table.rows  # type: ignore[attr-defined]
    if len(rows) < 2:
        return 1
    bottoms = [row.bbox[3] for row in rows]
    tallest = max((c[3] for c in rows[0].cells if c), default=bottoms[0])
    spanned = max(1, sum(1 for b in bottoms if b <= tallest + 1))
    numbered = [i for i in range(spanned) if NUMBERING.match(grid[i][0])]
    return max(1, numbered[0]) if numbered else spanned


# A DOCX is a zip archive: what its parts inflate to is checked before any is parsed (a 1 MB
# file of repeated XML inflates to gigabytes). Real documents stay far under both bounds.
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 200  # inflated / compressed size of one large part


def check_archive(path: Path) -> None:
    """LoaderError when a zip archive would inflate beyond `MAX_UNZIPPED_BYTES`, or a large
    part of it is compressed beyond `MAX_RATIO` (a zip bomb)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise LoaderError(f"{path}: DOCX hỏng hoặc không đọc được ({exc})") from exc
    total = sum(m.file_size for m in members)
    bombs = [
        m
        for m in members
        if m.file_size > 1024 * 1024 and m.file_size > MAX_RATIO * max(m.compress_size, 1)
    ]
    if total > MAX_UNZIPPED_BYTES or bombs:
        raise LoaderError(
            f"{path}: tệp nén bất thường, giải nén ra {total // (1024 * 1024)} MB "
            f"(tối đa {MAX_UNZIPPED_BYTES // (1024 * 1024)} MB) / the archive inflates "
            "beyond what a document holds"
        )


def _read_docx(path: Path) -> str:
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from lxml.etree import XMLSyntaxError

    check_archive(path)
    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, XMLSyntaxError) as exc:
        raise LoaderError(f"{path}: DOCX hỏng hoặc không đọc được ({exc})") from exc
    parts = []
    for block in document.iter_inner_content():  # paragraphs and tables in body order
        if isinstance(block, Table):
            parts.append(_docx_table(block))
        else:
            parts.append(block.text)
    return "\n\n".join(parts)


def _docx_table(table: object) -> str:
    from docx.oxml.ns import qn

    rows = table.rows  # type: ignore[attr-defined]
    # python-docx gives a merged cell (across or down) once per grid position it covers
    grid = [[_docx_cell_text(cell) for cell in row.cells] for row in rows]
    marked = 0
    for row in rows:
        properties = row._tr.trPr
        if properties is None or properties.find(qn("w:tblHeader")) is None:
            break
        marked += 1
    header = marked or 1
    if not marked and len(rows) > 1:
        # header cells merged down over the next row(s) make those rows header rows too
        first = [cell._tc for cell in rows[0].cells]
        while header < len(rows) and any(
            c._tc is f for c, f in zip(rows[header].cells, first, strict=False)
        ):
            header += 1
    return to_markdown(grid, header)


def _docx_cell_text(cell: object) -> str:
    text = " ".join(cell.text.split())  # type: ignore[attr-defined]
    runs = [r for p in cell.paragraphs for r in p.runs if r.text.strip()]  # type: ignore[attr-defined]
    return f"**{text}**" if text and runs and all(r.bold for r in runs) else text


def _read_html(path: Path) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(_read_plain(path), "html.parser")
    for tag in soup(["script", "style", "noscript"]):
        tag.decompose()
    # outer tables only: a table inside a cell is part of that cell's text
    for table in [t for t in soup.find_all("table") if t.find_parent("table") is None]:
        table.replace_with(f"\n\n{to_markdown(*_html_grid(table))}\n\n")
    return soup.get_text("\n")


def _html_grid(table: object) -> tuple[list[list[str]], int]:
    """The filled grid of an HTML table (rowspan and colspan repeat a cell's text) and how
    many of its rows are header rows."""
    rows = [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]  # type: ignore[attr-defined]
    grid: list[list[str | None]] = []
    spans: dict[tuple[int, int], str] = {}
    for i, tr in enumerate(rows):
        out: list[str | None] = []
        j = 0
        for cell in tr.find_all(["td", "th"], recursive=False):
            while (i, j) in spans:
                out.append(spans.pop((i, j)))
                j += 1
            text = " ".join(cell.get_text(" ", strip=True).split())
            strong = cell.find(["b", "strong"])
            if text and strong is not None and " ".join(strong.get_text(" ").split()) == text:
                text = f"**{text}**"
            down, across = _span(cell, "rowspan"), _span(cell, "colspan")
            for dj in range(across):
                out.append(text)
                for di in range(1, down):
                    spans[(i + di, j + dj)] = text
            j += across
        while (i, j) in spans:
            out.append(spans.pop((i, j)))
            j += 1
        grid.append(out)
    head = table.find("thead")  # type: ignore[attr-defined]
    if head is not None:
        header = len(head.find_all("tr"))
    elif rows:
        first = rows[0].find_all(["td", "th"], recursive=False)
        header = max([_span(c, "rowspan") for c in first] or [1])
        while header < len(rows) and all(
            c.name == "th" for c in rows[header].find_all(["td", "th"], recursive=False)
        ):
            header += 1
    else:
        header = 1
    return [[c or "" for c in row] for row in grid], header


def _span(cell: object, name: str) -> int:
    try:
        return max(1, min(int(cell.get(name, 1)), 100))  # type: ignore[attr-defined]
    except (TypeError, ValueError):
        return 1


LOADERS: dict[str, Callable[[Path], str]] = {
    ".txt": _read_plain,
    ".md": _read_plain,
    ".pdf": _read_pdf,
    ".docx": _read_docx,
    ".html": _read_html,
    ".htm": _read_html,
}


def load_text(path: Path) -> str:
    """Text of one file, NFC-normalised; raises LoaderError when unreadable or empty."""
    loader = LOADERS.get(path.suffix.lower())
    if loader is None:
        raise LoaderError(f"{path}: định dạng không hỗ trợ (unsupported file type)")
    try:
        text = loader(path)
    except OSError as exc:
        raise LoaderError(f"{path}: không mở được tệp ({exc.strerror or exc})") from exc
    text = inline_footnotes(nfc(text).replace("\r\n", "\n").replace("\r", "\n"))
    if not text.strip():
        raise LoaderError(f"{path}: tệp rỗng, không có nội dung văn bản (empty file)")
    return text


def unsupported_files(paths: Iterable[Path]) -> list[Path]:
    """Files inside the given folders that no loader reads (hidden files aside): said, not
    silently passed over."""
    return [
        child
        for path in paths
        if path.is_dir()
        for child in sorted(path.rglob("*"))
        if child.is_file()
        and child.suffix.lower() not in LOADERS
        and not any(part.startswith(".") for part in child.relative_to(path).parts)
    ]


def iter_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Files under the given paths (folders recursively) with a supported extension."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in LOADERS:
                    yield child
        else:
            yield path
