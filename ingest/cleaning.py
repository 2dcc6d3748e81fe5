"""From raw extracted text to paragraphs.

Scans and web pages wrap lines in the middle of sentences and split paragraphs across page
breaks; this module rebuilds paragraphs so structure detection and sentence selection work on
whole units.

Passages are stored cleaned and answers quote them as stored, with no raw copy kept: cleaning
changes layout only (hard wraps, emphasis markers, page furniture, footnotes read where cited),
never the source's words, so a cleaned sentence is still a faithful quote and reads better.
"""

from __future__ import annotations

import re

from motcua.text import nfc

# A line that opens a new unit even without a blank line before it: headings and list items.
STRUCTURE_START = re.compile(
    r"""^\s*(?:
        \#{1,6}\s                                            # markdown heading
      | (?:Chương|CHƯƠNG|Chuong|CHUONG)\s+[IVXLC\d]+        # legal chapter
      | (?:Mục|MỤC|Muc|MUC)\s+\d+                          # legal section
      | (?:Điều|ĐIỀU|Dieu|DIEU|Piều|Diéu|Điêu)\s+\d+        # legal article (and OCR forms)
      | (?:Phần|PHẦN|Phan|PHAN)\s+[IVX\d]+
      | PHỤ\s+LỤC(?:\s+[IVXLC\d]+)?\s*$                     # appendix heading alone
      | [IVX][IVXl1]{0,4}\.\s                                # roman part (OCR: I1. for II.)
      | (?:\d{1,2}(?:\.\d{1,2}){1,3}\.?|\d{1,2}\.)\s+\S       # 1.  1.1.  1.1.1
      | [a-zđ]\)\s                                          # a) b) điểm
      | [-+•–*]\s                                           # bullets
    )""",
    re.VERBOSE,
)
_SENTENCE_END = re.compile(r"[.;:!?…”\")]\s*$")
# A line ending like this, followed by a capitalised line, closes a paragraph even where a web
# save left no blank line between paragraphs (a closing bracket or quote is too often a name's).
_PARAGRAPH_END = re.compile(r"[.;:!?…]\s*$")
_PARAGRAPH_START = re.compile(r"^[\"“(]?[A-ZĐÀ-Ỹ]")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}.*$", re.MULTILINE)
_SPACES = re.compile(r"[ \t\u00a0]+")

# Web saves mark emphasis with markdown and wrap lines inside it ("**Điều\n2. Quy định…**").
# A span never crosses a blank line; its inner line breaks are soft and become spaces.
_EMPTY_BOLD = re.compile(r"\*\*[ \t\u00a0]*\*\*")  # "****" and "** **": emphasis of nothing
_BOLD_SPAN = re.compile(r"\*\*(?=\S)((?:(?!\*\*)[^\n]|\n(?![ \t]*\n)){1,800}?)\*\*")
_ITALIC_SPAN = re.compile(r"(?<![*\w])\*(?=[^\s*])((?:[^*\n]|\n(?![ \t]*\n)){1,800}?)\*(?![*\w])")
_STARS_ONLY = re.compile(r"^[ \t*]*\*[ \t*]*$", re.MULTILINE)
_UNDERSCORES = re.compile(r"__")
# A heading word alone on its line, its number wrapped onto the next ("Điều\n2. Quy định").
_WRAPPED_HEADING = re.compile(
    r"^[ \t]*(Điều|ĐIỀU|Chương|CHƯƠNG|Mục|MỤC|Phần|PHẦN)[ \t]*\n[ \t]*(?=[\dIVXLC]+\b)",
    re.MULTILINE,
)
# Page furniture left in running text: "Trang 3", "Trang 3/12", "- 3 -".
_PAGE_NUMBER = re.compile(
    r"^[ \t]*(?:Trang[ \t]+\d{1,4}(?:[ \t]*/[ \t]*\d{1,4})?|-[ \t]*\d{1,4}[ \t]*-)[ \t]*$",
    re.MULTILINE | re.IGNORECASE,
)


# Word and web exports number their footnotes: "… ngày 22/3/2021[4]." in the text and "[4] Trên
# cơ sở …" in a block after the signature. A marker glued to a word is a reference; one that
# closes a bold span heads a table column ("Mã TTHC[1]**") and is left as it is, or its note
# would repeat in every row.
_FOOTNOTE_REFERENCE = re.compile(r"(?<=\S)\[(\d{1,3})\](?!\*)")
_HEADING_REFERENCE = re.compile(r"\[(\d{1,3})\]\*")
_FOOTNOTE_START = re.compile(r"^\[(\d{1,3})\][ \t]*", re.MULTILINE)
MAX_FOOTNOTE = 1000  # characters: a note is a few lines
INLINED_FOOTNOTE = re.compile(r" \(chú thích: [^()]*\)")  # as `inline_footnotes` writes one


def inline_footnotes(text: str) -> str:
    """Footnotes read where they are referenced ("ngày 22/3/2021[4]." becomes "ngày 22/3/2021
    (chú thích: Trên cơ sở …)."), their block at the end dropped: a note is part of the
    sentence or table cell that cites it, which is what a passage quotes. Only a block at the
    end of the text, numbered 1, 2, 3… with each note referenced before it, is read so; any
    other text is returned as it is."""
    starts = list(_FOOTNOTE_START.finditer(text))
    run: list[re.Match[str]] = []
    for match in reversed(starts):  # the last notes, numbered down to 1 without a gap
        if run and int(match.group(1)) != int(run[0].group(1)) - 1:
            break
        run.insert(0, match)
    if not run or run[0].group(1) != "1":
        return text
    body = text[: run[0].start()]
    raw = {
        match.group(1): text[match.end() : end]
        for match, end in zip(run, [m.start() for m in run[1:]] + [len(text)], strict=True)
    }
    if any(
        len(note) > MAX_FOOTNOTE or any(STRUCTURE_START.match(line) for line in note.split("\n"))
        for note in raw.values()
    ):
        return text  # a heading or a long text after a "note": the document goes on
    notes = {number: " ".join(note.split()) for number, note in raw.items()}
    cited = {m.group(1) for m in _FOOTNOTE_REFERENCE.finditer(body)}
    cited |= {m.group(1) for m in _HEADING_REFERENCE.finditer(body)}
    if not all(notes.values()) or not set(notes) <= cited:
        return text
    inlined = _FOOTNOTE_REFERENCE.sub(
        lambda m: (
            f" (chú thích: {notes[m.group(1)].replace('(', '[').replace(')', ']')})"
            if m.group(1) in notes
            else m.group(0)
        ),
        body,
    )
    return inlined.rstrip() + "\n"


def drop_page_furniture(pages: list[str]) -> list[str]:
    """Pages without their running header and footer: a first or last line that recurs, its
    digits aside ("Trang 3/12", "Công báo số 5"), on at least half of three or more pages."""
    if len(pages) < 3:
        return pages
    lines = [[ln for ln in page.split("\n") if ln.strip()] for page in pages]

    def key(line: str) -> str:
        return re.sub(r"\d+", "#", line.strip().lower())

    edges: dict[str, int] = {}
    for page in lines:
        for line in {key(x) for x in page[:2] + page[-2:]}:
            edges[line] = edges.get(line, 0) + 1
    furniture = {k for k, count in edges.items() if count >= max(3, len(pages) / 2)}
    out = []
    for page, kept in zip(pages, lines, strict=True):
        drop = {i for i in (0, 1, len(kept) - 2, len(kept) - 1) if 0 <= i < len(kept)}
        drop = {i for i in drop if key(kept[i]) in furniture}
        out.append("\n".join(x for i, x in enumerate(kept) if i not in drop) if drop else page)
    return out


def _unwrap(match: re.Match[str]) -> str:
    return re.sub(r"[ \t]*\n[ \t]*", " ", match.group(1))


def strip_emphasis(text: str) -> str:
    """Text without markdown bold/italic markers; a wrapped emphasised span becomes one line."""
    text = _EMPTY_BOLD.sub(" ", text)
    text = _BOLD_SPAN.sub(_unwrap, text)
    text = text.replace("**", "")
    text = _ITALIC_SPAN.sub(_unwrap, text)
    text = _STARS_ONLY.sub("", text)
    return _UNDERSCORES.sub("", text)


def normalize(text: str) -> str:
    text = nfc(text).replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")
    text = _TABLE_RULE.sub("", text)
    text = strip_emphasis(text)
    text = _PAGE_NUMBER.sub("", text)
    text = _WRAPPED_HEADING.sub(r"\1 ", text)
    text = text.replace("|", "\n")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(lines)


_LEGAL_HEADING = re.compile(r"^(?:Chương|CHƯƠNG|Mục|MỤC|Điều|ĐIỀU|Phần|PHẦN)\s+[\dIVXLC]+\b")


def is_heading_line(line: str) -> bool:
    """A line that stands alone as a heading: what follows it starts a new paragraph."""
    if not STRUCTURE_START.match(line) or line.lstrip().startswith(("-", "+", "•", "–", "*")):
        return False
    if _LEGAL_HEADING.match(line) and len(line) < 120 and not line.rstrip().endswith((",", ";")):
        return True
    letters = [c for c in line if c.isalpha()]
    if letters and all(c.isupper() for c in letters) and len(line) < 120:
        return True
    return len(line) < 50 and not _SENTENCE_END.search(line)


def paragraphs(text: str) -> list[str]:
    """Paragraphs of a document, each one line, in order."""
    blocks = re.split(r"\n\s*\n", normalize(text))
    units: list[str] = []
    for block in blocks:
        current: list[str] = []
        for line in block.split("\n"):
            if not line:
                continue
            if current and (
                STRUCTURE_START.match(line)
                or (_PARAGRAPH_END.search(current[-1]) and _PARAGRAPH_START.match(line))
            ):
                units.append(" ".join(current))
                current = []
            current.append(line)
            if is_heading_line(line):
                units.append(" ".join(current))
                current = []
        if current:
            units.append(" ".join(current))
    return _rejoin_page_breaks([u for u in units if u.strip()])


def _rejoin_page_breaks(units: list[str]) -> list[str]:
    """Join a unit to the previous one when a page break cut a sentence in two."""
    merged: list[str] = []
    for unit in units:
        if (
            merged
            and not _SENTENCE_END.search(merged[-1])
            and unit[:1].islower()
            and not STRUCTURE_START.match(unit)
        ):
            merged[-1] = f"{merged[-1]} {unit}"
        else:
            merged.append(unit)
    return merged


_SENTENCE_SPLIT = re.compile(r"(?<=[.;!?…])\s+(?=[\"“(\-–+•]?\s*[A-ZĐÀ-Ỹ0-9])")


_ENUMERATOR = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*\.|[a-zđ]\)|(?:Điều|Khoản|Mục)\s+\d+\.?)$")


def sentences(paragraph: str) -> list[str]:
    """Sentences of one paragraph (list items and semicolon clauses count as sentences).

    A bare enumerator ("1.", "a)", "Điều 4.") stays with the sentence it numbers."""
    parts = [p.strip() for p in _SENTENCE_SPLIT.split(paragraph.strip()) if p.strip()]
    merged: list[str] = []
    for part in parts:
        if merged and _ENUMERATOR.match(merged[-1]):
            merged[-1] = f"{merged[-1]} {part}"
        else:
            merged.append(part)
    return merged
