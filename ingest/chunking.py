"""Structure-aware chunking: chunks follow the document's own hierarchy.

Plans number their parts `I.`, `1.`, `1.1.`, `a)`; legal texts use `Chương`, `Điều`, khoản `1.`
and điểm `a)`; appendices open with `PHỤ LỤC`. Every chunk carries the path of headings it sits
under and stays under a bounded size, split at sentence boundaries when a single paragraph is
too long. Each row of a table is a passage of its own that names its columns ("Mã TTHC: … ·
Tên TTHC: …"), under the section path, the table and the row.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from motcua.ingest.cleaning import paragraphs, sentences
from motcua.ingest.table_parts import Row, Table
from motcua.ingest.tables import split_tables
from motcua.types import DocumentMeta

_CHAPTER = re.compile(
    r"^(?:(?:Chương|CHƯƠNG|Chuong|CHUONG|Phần|PHẦN)\s+[IVXLC\d]+\b|PHỤ LỤC(?:\s+[IVXLC\d]+)?$)"
)
_LEGAL_SECTION = re.compile(r"^(?:Mục|MỤC)\s+\d+\b")
_ARTICLE = re.compile(r"^(?:Điều|ĐIỀU|Dieu|DIEU|Piều|Diéu|Điêu)\s+\d+[a-z]?\s*[.:]")
_ROMAN = re.compile(r"^[IVX][IVXl1]{0,4}\.\s")
_NUMBERED = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){1,3}\.?|\d{1,2}\.)\s+\S")
_POINT = re.compile(r"^[a-zđ]\)\s")

MAX_CHARS = 1000
MIN_CHARS = 250
_LABEL_WORDS = 10


@dataclass
class ChunkDraft:
    text: str
    section: str | None


@dataclass
class PlacedTable:
    """A table where chunking found it: the headings above it, its number in the document and
    the paragraphs just before it (a list's title: "DANH MỤC … BỊ BÃI BỎ")."""

    table: Table
    path: list[str]
    number: int
    caption: tuple[str, ...] = ()

    def row_section(self, row: Row) -> str:
        """The section of a row's passages, as chunking writes it."""
        return " > ".join([*self.path, f"Bảng {self.number}", f"dòng {row.label}"])

    @property
    def caption_line(self) -> str | None:
        """What the table is about, in the words just above it ("1. Mức học phí", "PHÂN
        LOẠI ĐỊA BÀN … ĐỂ ÁP DỤNG CHÍNH SÁCH HỌC PHÍ"): every row's passage repeats it, as a
        row alone ("Phường Kim Long") says nothing of what the table lists. Attachment notes
        ("(Kèm theo …)"), the unit line and a bare "PHỤ LỤC" are skipped."""
        known = {self.table.note, self.table.title, *(self.path[-1:] or [])}
        for paragraph in reversed(self.caption):
            text = _MARKDOWN_HEADING.sub("", paragraph).strip()
            if not text or text.startswith("(") or _UNIT.match(text) or _CHAPTER.match(text):
                continue
            if text in known or _label(text) in known:
                return None
            if len(text) > CAPTION_CHARS:
                text = text[:CAPTION_CHARS].rsplit(" ", 1)[0] + "…"
            return text
        return None


CAPTION_PARAGRAPHS = 3
CAPTION_CHARS = 160
_UNIT = re.compile(r"^(?:Đơn vị|ĐƠN VỊ|Don vi)\b")


_MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+")


def _heading_level(paragraph: str, legal: bool) -> int | None:
    """Depth of a heading paragraph (0 = outermost) or None for body text."""
    markdown = _MARKDOWN_HEADING.match(paragraph)
    if markdown:
        return len(markdown.group(1)) - 1
    if _CHAPTER.match(paragraph):
        return 0
    if legal:
        if _LEGAL_SECTION.match(paragraph):
            return 1
        if _ARTICLE.match(paragraph):
            return 2
        return None  # khoản/điểm stay inside their article
    if _ROMAN.match(paragraph):
        return 1
    match = _NUMBERED.match(paragraph)
    if match:
        return 1 + match.group(1).rstrip(".").count(".") + 1
    if _POINT.match(paragraph):
        return 5
    return None


def _label(paragraph: str) -> str:
    """Short heading label: the heading itself, or the first words of a numbered paragraph."""
    head = paragraph
    if len(paragraph) > 90:
        marker = re.match(r"^\S+\s+", paragraph)
        start = marker.end() if marker else 0
        end = re.search(r"[.:;](?:\s|$)", paragraph[start:])
        head = paragraph[: start + end.start()] if end else paragraph
    words = head.split()
    if len(words) > _LABEL_WORDS:
        head = " ".join(words[:_LABEL_WORDS]) + "…"
    return head.rstrip(" .:;")


def _split_long(paragraph: str, limit: int) -> list[str]:
    pieces: list[str] = []
    current = ""
    for sentence in sentences(paragraph):
        while len(sentence) > limit:  # a sentence longer than a chunk: cut at a space
            cut = sentence.rfind(" ", 0, limit)
            cut = cut if cut > limit // 2 else limit
            pieces.append((current + " " + sentence[:cut]).strip())
            current, sentence = "", sentence[cut:].strip()
        if current and len(current) + 1 + len(sentence) > limit:
            pieces.append(current)
            current = sentence
        else:
            current = f"{current} {sentence}".strip()
    if current:
        pieces.append(current)
    return pieces


def _is_bare_heading(paragraph: str) -> bool:
    """A heading with no body of its own ("1. Mục đích", "Điều 3. Giải thích từ ngữ")."""
    return len(paragraph) < 15 or (
        len(paragraph) < 120 and not paragraph.rstrip().endswith((".", ";", ":", "!", "?"))
    )


def _is_title_line(paragraph: str) -> bool:
    letters = [c for c in paragraph if c.isalpha()]
    return len(paragraph) < 120 and bool(letters) and all(c.isupper() for c in letters)


def _common_path(a: str | None, b: str | None) -> str | None:
    shared = []
    for x, y in zip((a or "").split(" > "), (b or "").split(" > "), strict=False):
        if x != y:
            break
        shared.append(x)
    return " > ".join(shared) or None


def is_legal_text(paras: list[str]) -> bool:
    return sum(1 for p in paras if _ARTICLE.match(p)) >= 3


FIELD_SEPARATOR = " · "


def _row_lines(
    table: Table, row: Row, caption: str | None = None
) -> tuple[list[str], list[tuple[str, str]]]:
    """The lines that place a row (the table's caption, title and unit, the groups above it)
    and its (column, value) fields. A form's row with no column names reads "Group: value"."""
    head = [line for line in (caption, table.title, table.note) if line]
    fields = table.fields(row)
    groups = list(row.groups)
    if groups and not any(name for name, _ in fields):
        fields = [(groups.pop(), FIELD_SEPARATOR.join(value for _, value in fields))]
    return head + groups, fields


def _joined(fields: list[tuple[str, str]]) -> str:
    return FIELD_SEPARATOR.join(f"{name}: {value}" if name else value for name, value in fields)


def row_passages(
    table: Table, row: Row, max_chars: int = MAX_CHARS, caption: str | None = None
) -> list[str]:
    """A row as one passage, or as several under the size bound when it is long (a workflow
    step, a legal basis): every part keeps the lines that place the row and its key columns
    (number, code, name), so each part still says which row it is."""
    head, fields = _row_lines(table, row, caption)
    whole = "\n".join([*head, _joined(fields)])
    if len(whole) <= max_chars:
        return [whole]
    keys = {table.columns[i] for i in table.key_columns if i < len(table.columns)}
    key_fields = [(n, v[:150]) for n, v in fields if n and n in keys]
    rest = [(n, v) for n, v in fields if not (n and n in keys)]
    prefix = "\n".join([*head, _joined(key_fields)]) if key_fields else "\n".join(head)
    prefix = prefix[: max_chars // 2]
    budget = max_chars - len(prefix) - len(FIELD_SEPARATOR) - 1
    pieces: list[tuple[str, str]] = []
    for name, value in rest:
        room = budget - len(name) - 2
        if len(value) <= room:
            pieces.append((name, value))
        else:
            pieces.extend((name, part) for part in _split_long(value, max(room, 100)))
    parts: list[list[tuple[str, str]]] = [[]]
    for piece in pieces:
        if parts[-1] and len(_joined([*parts[-1], piece])) > budget:
            parts.append([])
        parts[-1].append(piece)
    out = []
    for part in parts:
        body = _joined(part)
        joiner = FIELD_SEPARATOR if key_fields else "\n"
        out.append(f"{prefix}{joiner}{body}" if prefix else body)
    return [text[:max_chars] for text in out]


def chunk_paragraphs(
    paras: list[str | Table],
    max_chars: int = MAX_CHARS,
    min_chars: int = MIN_CHARS,
    on_table: Callable[[PlacedTable], None] | None = None,
) -> list[ChunkDraft]:
    """`on_table` sees every table with its place, so records read from a table (the procedure
    catalogue) cite the very sections its rows' passages carry."""
    legal = is_legal_text([p for p in paras if isinstance(p, str)])
    # In legal texts an article is the natural unit; in plans, a numbered section.
    split_depth = 2 if legal else 3
    stack: list[tuple[int, str]] = []
    drafts: list[ChunkDraft] = []
    body: list[str] = []
    body_section: str | None = None
    has_content = False  # a chunk made of headings alone is never emitted on its own
    previous_level: int | None = None

    def flush() -> None:
        nonlocal body, has_content
        if body and has_content:
            drafts.append(ChunkDraft("\n".join(body), body_section))
            body = []
        has_content = False

    tables = 0
    recent: list[str] = []  # text paragraphs since the last table
    for paragraph in paras:
        if isinstance(paragraph, Table):
            # rows are passages of their own, under the section the table sits in
            flush()
            body, body_section = [], None
            tables += 1
            placed = PlacedTable(
                paragraph,
                [label for _, label in stack],
                tables,
                tuple(recent[-CAPTION_PARAGRAPHS:]),
            )
            if on_table is not None:
                on_table(placed)
            caption = placed.caption_line
            for row in paragraph.rows:
                drafts.extend(
                    ChunkDraft(t, placed.row_section(row))
                    for t in row_passages(paragraph, row, max_chars, caption)
                )
            previous_level = None
            recent = []
            continue
        recent.append(paragraph)
        level = _heading_level(paragraph, legal)
        paragraph = _MARKDOWN_HEADING.sub("", paragraph)
        if level is None and previous_level == 0 and stack and _is_title_line(paragraph):
            # "Chương I" followed by its title on the next line: one heading.
            stack[-1] = (0, f"{stack[-1][1]}. {paragraph}")
            body.append(paragraph)
            previous_level = None
            continue
        previous_level = level
        if level is not None:
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, _label(paragraph)))
            size = sum(len(b) for b in body)
            if level <= split_depth and (size >= min_chars or level <= 1 or legal):
                flush()
        path = " > ".join(label for _, label in stack) or None
        # A chunk is labelled by its first heading, or by a deeper one while it holds only
        # headings ("Chương I" then "Điều 1."); small sibling sections merged into one chunk
        # are labelled by the heading they share.
        if not body or (
            not has_content and path and body_section and path.startswith(body_section)
        ):
            body_section = path
        elif level is not None and has_content:
            body_section = _common_path(body_section, path)
        content = level is None or not _is_bare_heading(paragraph)
        has_content = has_content or content
        for piece in (
            _split_long(paragraph, max_chars) if len(paragraph) > max_chars else [paragraph]
        ):
            if body and sum(len(b) + 1 for b in body) + len(piece) > max_chars:
                flush()
                has_content = content
                body_section = " > ".join(label for _, label in stack) or None
            body.append(piece)
    has_content = has_content or bool(body)
    flush()
    return drafts


def chunk_text(
    text: str,
    max_chars: int = MAX_CHARS,
    on_table: Callable[[PlacedTable], None] | None = None,
) -> list[ChunkDraft]:
    items: list[str | Table] = []
    for piece in split_tables(text):
        items.extend(paragraphs(piece) if isinstance(piece, str) else [piece])
    return chunk_paragraphs(items, max_chars=max_chars, on_table=on_table)


def placed_tables(text: str) -> list[PlacedTable]:
    """The tables of a document's body, each with the place chunking gives its rows."""
    found: list[PlacedTable] = []
    chunk_text(text, on_table=found.append)
    return found


def contextual_text(meta: DocumentMeta, section: str | None, text: str) -> str:
    """What the indexes see of a chunk: the document's title and the section give it context."""
    head = " ".join(p for p in (meta.doc_type, meta.so_hieu, meta.title) if p)
    return "\n".join(p for p in (head, section, text) if p)


def read_row_passage(passage: str) -> tuple[list[str], list[tuple[str, str]]]:
    """A row passage read back (the inverse of `row_passages`): the lines that place the row
    (caption, title, unit, groups) and its (column, value) fields."""
    lines = passage.split("\n")
    fields = []
    for part in lines[-1].split(FIELD_SEPARATOR):
        name, separator, value = part.partition(": ")
        fields.append((name, value) if separator else ("", part))
    return lines[:-1], fields


ROW_SECTION = re.compile(r"(?:^| > )Bảng \d+ > dòng [^>]+$")


def is_row_section(section: str | None) -> bool:
    """Whether a passage's section is a table row's ("Điều 2 > Bảng 1 > dòng 2")."""
    return bool(section and ROW_SECTION.search(section))


def table_section(section: str | None) -> str:
    """The section of the table a row sits in ("Điều 2 > Bảng 1"), without the row."""
    return (section or "").rsplit(" > dòng", 1)[0]
