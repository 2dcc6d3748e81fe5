"""A document as its questions name it: its particulars (number, year, issuer, province,
title, signer) where they are fit to quote, the names and acronyms it capitalises, and the
names people give it ("Kế hoạch 1655", "kế hoạch tuyên truyền … của Phòng GD&ĐT …"), each
name kept only when no other document of the index answers to it."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from motcua.commands.calibration.phrases import _SPAN, _capital, _questions_data, _words
from motcua.commands.calibration.quotable import _Checker
from motcua.commands.calibration.transforms import lower_first, provinces
from motcua.ingest.text_layer import is_ocr_text
from motcua.text import fold, fold_phrase
from motcua.types import Chunk

if TYPE_CHECKING:  # the store opens FAISS; generating needs only its records
    from motcua.index.store import StoredDocument


INFO_SECTION = "Thông tin văn bản"  # the particulars passage ingest adds to each document


@dataclass
class _Doc:
    doc: StoredDocument
    ocr: bool
    checker: _Checker
    text_folded: str  # the document's text and its chunks' readable text, padded
    doc_type: str
    number: str | None = None
    year: str | None = None
    issuer: str | None = None
    issuer_short: str | None = None
    province: str | None = None
    title: str | None = None
    signer: str | None = None
    issued: date | None = None
    names: list[str] = field(default_factory=list)
    number_names: list[str] = field(default_factory=list)  # names holding the number
    title_names: list[str] = field(default_factory=list)  # names by subject and issuer
    acronyms: set[str] = field(default_factory=set)
    names_cased: dict[str, str] = field(default_factory=dict)  # folded -> "Việt Nam"


def _short_forms(text: str) -> str:
    forms: dict[str, str] = _questions_data()["short_forms"]
    for long in sorted(forms, key=len, reverse=True):
        text = text.replace(long, forms[long])
    return re.sub(r"(GD&ĐT) tỉnh ", r"\1 ", text)


def _info_fields(chunks: Sequence[Chunk]) -> dict[str, str]:
    """ "Trích yếu", "Người ký"… of the particulars passage, as shown (repaired for OCR)."""
    out: dict[str, str] = {}
    for chunk in chunks:
        if chunk.section == INFO_SECTION:
            for line in chunk.shown.splitlines():
                key, sep, value = line.partition(":")
                if sep and len(key) < 20:
                    out[key.strip()] = value.strip().rstrip(".")
    return out


def _fuzzy_span(target: str, text: str) -> str | None:
    """The span of `text` whose folded words best match those of an OCR-garbled `target`
    (60% of its words or more), for metadata read from the raw scan."""
    want = fold(target).split()
    spans = list(_SPAN.finditer(text))
    have = [fold(m.group(0)) for m in spans]
    n = len(want)
    best = (0, -1)
    for i in range(len(have) - n + 1):
        hits = sum(a == b for a, b in zip(want, have[i : i + n], strict=True))
        if hits > best[0]:
            best = (hits, i)
    if n < 2 or best[0] < 0.6 * n:
        return None
    return text[spans[best[1]].start() : spans[best[1] + n - 1].end()]


def _province_of(doc: StoredDocument, text_folded: str) -> str | None:
    if doc.meta.place:
        named = [p for p in provinces() if fold(p) == fold(doc.meta.place)]
        if named:
            return named[0]
    counts = Counter(
        {p: text_folded.count(f" {fold_phrase(p)} ") for p in provinces() if len(p.split()) > 1}
    )
    top = counts.most_common(1)
    return top[0][0] if top and top[0][1] >= 2 else None


_LOCAL_ISSUER = re.compile(r"\b(Sở|Phòng|Trường|UBND|Ủy ban nhân dân|HĐND|Hội đồng nhân dân)\b")


def _describe(
    doc: StoredDocument, chunks: Sequence[Chunk], checker: _Checker, text_folded: str
) -> _Doc:
    meta = doc.meta
    info = _info_fields(chunks)
    shown = "\n".join(c.shown for c in chunks[:3])
    d = _Doc(
        doc=doc,
        ocr=is_ocr_text(doc.text),
        checker=checker,
        text_folded=text_folded,
        doc_type=meta.doc_type or "Văn bản",
    )
    d.number = meta.so_hieu.replace(" ", "") if meta.so_hieu else None
    if meta.issued_date:
        d.issued = date.fromisoformat(meta.issued_date)
        d.year = str(d.issued.year)
    elif d.number and re.search(r"/(\d{4})/", d.number):
        d.year = re.search(r"/(\d{4})/", d.number).group(1)  # type: ignore[union-attr]
    if meta.issuer and checker.fit(meta.issuer):
        d.issuer = meta.issuer
    elif meta.issuer:
        # Keep the clean head of a garbled issuer ("Trường THCS" of "Trường THCS Thuong Son").
        head = []
        for word in meta.issuer.split():
            if not checker.fit(word):
                break
            head.append(word)
        d.issuer = " ".join(head) if len(head) >= 2 else None
    d.province = _province_of(doc, text_folded)
    if d.issuer:
        short = _short_forms(d.issuer)
        if d.province and _LOCAL_ISSUER.search(short) and fold(d.province) not in fold(short):
            short = f"{short} {d.province}"
        d.issuer_short = short
    title = None
    for candidate in (
        meta.title,
        info.get("Trích yếu"),
        _fuzzy_span(meta.title, shown) if meta.title else None,
    ):
        if candidate and checker.fit(candidate, phrase=d.ocr, pair_slack=0.0):
            title = candidate
            break
    if title:
        title = re.sub(r"^(?:[Vv]ề việc|[Vv]ề|V/v)\s+", "", title.strip().rstrip("."))
        d.title = lower_first(title)
    signer = meta.signer if meta.signer and checker.fit(meta.signer) else None
    if not signer and info.get("Người ký") and checker.fit(info["Người ký"]):
        signer = info["Người ký"]
    d.signer = signer
    mixed = [line for line in doc.text.splitlines() if not line.isupper()]
    d.acronyms = {t for line in mixed for t in _words(line) if t.isupper() and 2 <= len(t) <= 8}
    cased: Counter[str] = Counter()
    for line in mixed:
        tokens = _words(line)
        for size in (2, 3):
            for i in range(1, len(tokens) - size + 1):  # not the first word: any word starts a line
                run = tokens[i : i + size]
                if all(t[:1].isupper() and not t.isupper() for t in run):
                    cased[" ".join(run)] += 1
    for name, count in cased.most_common():
        if count >= 2:
            d.names_cased.setdefault(fold(name), name)
    return d


def _name_documents(docs: list[_Doc]) -> None:
    """Names people give each document; a name two documents could answer to is dropped."""
    proposals: dict[str, list[tuple[str, str]]] = {}  # doc_id -> [(name, sort)]
    short_count = Counter(
        (d.doc_type, d.number.split("/")[0]) for d in docs if d.number and "/" in d.number
    )
    for d in docs:
        names: list[tuple[str, str]] = []
        topic = _short_forms(d.title) if d.title else None
        if d.number:
            names += [
                (f"{d.doc_type} {d.number}", "number"),
                (f"{d.doc_type} số {d.number}", "number"),
            ]
            parts = d.number.split("/")
            if len(parts) > 1 and short_count[(d.doc_type, parts[0])] == 1:
                year_part = parts[1] if re.fullmatch(r"\d{4}", parts[1]) else None
                short = f"{parts[0]}/{year_part}" if year_part else parts[0]
                names.append((f"{d.doc_type} {short}", "number"))
                if topic and len(topic.split()) <= 8:
                    names.append((f"{d.doc_type} {short} về {topic}", "number"))
        if d.doc_type == "Luật" and d.title:
            names.append((f"Luật {_capital(d.title)}", "title"))
        if d.doc_type == "Hiến pháp" and d.year:
            names += [(f"Hiến pháp {d.year}", "title"), (f"Hiến pháp năm {d.year}", "title")]
        if topic and len(topic.split()) <= 12 and d.doc_type not in ("Luật", "Hiến pháp"):
            with_year = topic if (not d.year or d.year in topic) else f"{topic} năm {d.year}"
            name = f"{d.doc_type.lower()} {with_year}"
            if d.issuer_short:
                name += f" của {d.issuer_short}"
            names.append((name, "title"))
        proposals[d.doc.doc_id] = names
    counts = Counter(fold_phrase(n) for names in proposals.values() for n, _ in names)
    for d in docs:
        unique = [(n, kind) for n, kind in proposals[d.doc.doc_id] if counts[fold_phrase(n)] == 1]
        d.names = [n for n, _ in unique]
        d.number_names = [n for n, kind in unique if kind == "number"]
        d.title_names = [n for n, kind in unique if kind == "title"]
