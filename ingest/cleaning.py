"""From raw extracted text to paragraphs.

Scans and web pages wrap lines in the middle of sentences and split paragraphs across page
breaks; this module rebuilds paragraphs so structure detection and sentence selection work on
whole units.
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
      | [IVX][IVXl1]{0,4}\.\s                                # roman part (OCR: I1. for II.)
      | (?:\d{1,2}(?:\.\d{1,2}){1,3}\.?|\d{1,2}\.)\s+\S       # 1.  1.1.  1.1.1
      | [a-zđ]\)\s                                          # a) b) điểm
      | [-+•–*]\s                                           # bullets
    )""",
    re.VERBOSE,
)
_SENTENCE_END = re.compile(r"[.;:!?…”\")]\s*$")
_MARKDOWN_NOISE = re.compile(r"\*\*|__")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}.*$", re.MULTILINE)
_SPACES = re.compile(r"[ \t\u00a0]+")


def normalize(text: str) -> str:
    text = nfc(text).replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")
    text = _TABLE_RULE.sub("", text)
    text = _MARKDOWN_NOISE.sub("", text)
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
            if current and STRUCTURE_START.match(line):
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
