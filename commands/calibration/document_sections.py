"""A document's sections as its questions read them: each section's heading (numbering
stripped, capitals recased, a heading the source wrapped joined again) and its sentences, and
the draft of a question made from them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from motcua.commands.calibration.document_names import INFO_SECTION, _Doc
from motcua.commands.calibration.phrases import _capital, _function_words, _words
from motcua.ingest.cleaning import STRUCTURE_START, is_heading_line, paragraphs, sentences
from motcua.text import fold, fold_phrase
from motcua.types import Chunk

_NUMBERING = re.compile(
    r"^\s*(?:(?:Chương|CHƯƠNG|Mục|MỤC|Điều|ĐIỀU|Phần|PHẦN)\s+[\dIVXLC]+[.:]?"
    r"|[IVX][IVXl1]{0,4}[.)]|\d{1,2}(?:\.\d{1,2}){0,3}\.?(?=\s)|\d{1,2}\.(?=[^\W\d_])|[a-zđ]\)"
    r"|[-+•–*])\s*"
)


@dataclass
class _Section:
    key: str
    heading: str | None = None
    raw_heading: str = ""
    sentences: list[str] = field(default_factory=list)
    in_definitions: bool = False
    article: bool = False  # under "Điều N": numbered lines are clauses
    expect_actors: bool = False  # its question asks who: the answer names the actors


@dataclass
class _Draft:
    question: str
    expect_any: list[str]
    section: str
    source: str  # "particulars", "heading", "reference", "definition", …
    extra_docs: list[str] = field(default_factory=list)


def _recase(words: list[str], d: _Doc) -> list[str]:
    """Words of a heading in capitals, lowered, with the document's own capitalised names
    ("Việt Nam", "Nhật Bản", "Quốc hội") and acronyms put back."""
    out = [w if w in d.acronyms else w.lower() for w in words]
    for size in (3, 2):
        for i in range(len(out) - size + 1):
            cased = d.names_cased.get(fold(" ".join(out[i : i + size])))
            if cased:
                out[i : i + size] = cased.split()
    return out


def _heading_text(line: str, d: _Doc) -> str | None:
    text = _NUMBERING.sub("", line, count=1).strip().rstrip(".:")
    text = text.split(":")[0].strip()
    words = text.split()
    if not 1 <= len(words) <= 14 or not d.checker.fit(text, phrase=d.ocr, pair_slack=0.0):
        return None
    # A sentence cut by a line break is no heading: "Việc bầu cử đại biểu", "… kể từ ngày ký".
    low = fold_phrase(text)
    if fold(words[-1]) in _function_words() or " nay " in f" {low} " or "hieu luc" in low:
        return None
    letters = [c for c in text if c.isalpha()]
    if letters and all(c.isupper() for c in letters):
        text = _capital(" ".join(_recase(words, d)))
    return text


_COLON_HEADING = re.compile(
    r"^(?P<num>\d{1,2}(?:\.\d{1,2})*\.|[a-zđ]\))\s*(?P<head>[^:]{3,60}):\s*(?P<rest>.*)$"
)
_ARTICLE = re.compile(r"^(?:Điều|ĐIỀU)\s+\d+")
_CLAUSE = re.compile(r"^\d{1,2}\.\s")


def _sections(d: _Doc, chunks: Sequence[Chunk]) -> list[_Section]:
    out: dict[str, _Section] = {}
    for chunk in sorted(chunks, key=lambda c: c.position):
        key = chunk.section or ""
        if key == INFO_SECTION:
            continue
        section = out.setdefault(key, _Section(key))
        pending = ""
        for para in paragraphs(chunk.shown):
            if pending:
                joined = f"{pending} {para}" if not STRUCTURE_START.match(para) else None
                section.sentences.extend(sentences(joined or pending))
                pending = ""
                if joined:
                    continue
            heading_open = not section.sentences
            if (
                heading_open
                and section.raw_heading
                and len(para.split()) <= 4
                and para.endswith(":")
            ):
                # "Điều 3. Giao UBND huyện Vụ" + "Bản:": a heading wrapped by the source.
                section.raw_heading += " " + para.rstrip(":")
                section.heading = _heading_text(section.raw_heading, d)
                continue
            colon = _COLON_HEADING.match(para)
            by_colon = bool(colon) and not is_heading_line(para)
            if by_colon and len(colon.group("head").split()) > 6:  # type: ignore[union-attr]
                by_colon = False
            if not (is_heading_line(para) or by_colon):
                section.sentences.extend(sentences(para))
                continue
            if section.article and _CLAUSE.match(para):
                # Inside an article, "1. Việc bầu cử …" is its first clause, not a heading;
                # the source broke its line, so the next paragraph goes on with it.
                pending = para
                continue
            raw = colon.group("head") if by_colon else para  # type: ignore[union-attr]
            if heading_open:
                caps = [c for c in raw if c.isalpha()]
                wrapped = (
                    section.raw_heading
                    and caps
                    and all(c.isupper() for c in caps)
                    and not _NUMBERING.match(raw)
                )
                section.raw_heading = f"{section.raw_heading} {raw}" if wrapped else raw
                section.article = section.article or bool(_ARTICLE.match(raw))
                section.heading = _heading_text(section.raw_heading, d)
                if section.heading and fold(section.heading).startswith("giai thich tu ngu"):
                    section.in_definitions = True
            if by_colon and colon.group("rest"):  # type: ignore[union-attr]
                section.sentences.extend(sentences(colon.group("rest")))  # type: ignore[union-attr]
        if pending:
            section.sentences.extend(sentences(pending))
    return list(out.values())


def _sentence_ok(sentence: str) -> bool:
    letters = [c for c in sentence if c.isalpha()]
    if len(_words(sentence)) < 6 or not letters:
        return False
    # Headers in capitals, the national motto and table rows carry no question.
    if sum(c.isupper() for c in letters) > 0.5 * len(letters):
        return False
    return "Độc lập" not in sentence


def _strip_numbering(sentence: str) -> str:
    return _NUMBERING.sub("", sentence, count=1).strip()
