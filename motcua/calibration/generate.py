"""Labelled questions made from an index, without a language model.

The answerability model needs calibration data and held-out figures per document, and the
customer's question sets are too small and must not be fitted to. This module writes its own:

- from each document's sections: a question per heading ("Kế hoạch 1655 tuyên truyền những nội
  dung gì?") and per informative sentence, asking for the value it holds (a cited text's number,
  a date, a website, a time limit, who does what, what a term means), and from its particulars
  (number, date, issuer, signer, subject);
- from each procedure card: every aspect of the lexicon asked of the procedure named the way
  people name it, the answer being a phrase of the aspect's field;
- out of scope: other sectors' procedures, near-domain education questions, education
  procedures with no card, each dropped when a document of the index names its topic;
- each of these rewritten as people type it (see `transforms`), one row per rewrite.

Every in-scope label is checked against the text it claims: an `expect_any` phrase occurs
(folded) in the document or card it names, and never in the question itself. Text from OCR
documents is taken from the repaired `readable` layer and only where no OCR debris is left.
Templates and word lists are data (`questions.yaml`, `out_of_scope.yaml`, `transforms.yaml`).
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import yaml

from motcua.calibration.generated_question import (
    KIND_DOCUMENT,
    KIND_OUT_OF_SCOPE,
    KIND_PARTICULARS,
    KIND_PROCEDURE,
    PROCEDURE_TRANSFORMS,
    GeneratedQuestion,
    _Base,
    _rows,
    _slug,
)
from motcua.calibration.transforms import Setting, load_data, lower_first, provinces
from motcua.ingest.cards import ProcedureCard, card_to_document
from motcua.ingest.chunking import is_row_section, read_row_passage, table_section
from motcua.ingest.cleaning import STRUCTURE_START, is_heading_line, paragraphs, sentences
from motcua.ingest.restoration.spelling import normalize_tone
from motcua.ingest.restoration.word_lists import default_training_text, dictionary_word_pairs
from motcua.ingest.text_layer import is_ocr_text
from motcua.lexicon import vocabulary
from motcua.text import fold, fold_phrase, nfc
from motcua.types import Chunk

if TYPE_CHECKING:  # the store opens FAISS; generating needs only its records
    from motcua.index.store import StoredDocument

GROUP_NEAR = "oos:near-education"
GROUP_NO_CARD = "oos:no-card"


INFO_SECTION = "Thông tin văn bản"  # the particulars passage ingest adds to each document

_WORD = re.compile(r"[^\W_]+")
_SPAN = re.compile(r"[^\W_]+(?:[&/.-][^\W_]+)*")
_NUMBERING = re.compile(
    r"^\s*(?:(?:Chương|CHƯƠNG|Mục|MỤC|Điều|ĐIỀU|Phần|PHẦN)\s+[\dIVXLC]+[.:]?"
    r"|[IVX][IVXl1]{0,4}[.)]|\d{1,2}(?:\.\d{1,2}){0,3}\.?(?=\s)|\d{1,2}\.(?=[^\W\d_])|[a-zđ]\)"
    r"|[-+•–*])\s*"
)
_DATE = r"\d{1,2}/\d{1,2}/\d{4}|\d{1,2} tháng \d{1,2} năm \d{4}"
_DAY = r"\d{1,2} tháng \d{1,2}(?: năm \d{4})?|\d{1,2}/\d{1,2}(?:/\d{4})?"
_CODE = r"\d+[\w.-]*(?:\s?/[\w.&-]+)+"
_TYPES = (
    "Thông tư liên tịch|Nghị định|Thông tư|Quyết định|Nghị quyết|Chỉ thị|Kế hoạch|Luật"
    "|Công văn|Chương trình|Pháp lệnh"
)
_REF_HEAD = re.compile(rf"(?P<type>{_TYPES})\s+(?:số\s+)?(?P<code>{_CODE})")
_URL = re.compile(
    r"(?P<place>(?:Cổng|cổng|Trang|trang|[Ww]ebsite)[^,;:()]{0,60}?)\s+(?:tại\s+)?"
    r"(?:địa chỉ\s+)?(?P<url>https?://[^\s,;)]+[^\s,;).])"
)
_EFFECT = re.compile(rf"có hiệu lực(?: thi hành)?(?: kể)? từ ngày (?P<date>{_DATE})")
_DEADLINE = re.compile(rf"(?P<prep>trước|chậm nhất là|chậm nhất vào) ngày (?P<date>{_DAY})")
_AMOUNT_CUES = (
    "thời hạn|trong vòng|không quá|tối đa|ít nhất là|ít nhất|chậm nhất|tối thiểu|mức|"
    "hỗ trợ|kéo dài|sau|trong|là|bằng"
)


@cache
def _questions_data() -> dict:
    return load_data("questions.yaml")


@cache
def _oos_data() -> dict:
    return load_data("out_of_scope.yaml")


@cache
def _lexicon_file(name: str) -> Any:
    text = resources.files("motcua.lexicon").joinpath(name).read_text(encoding="utf-8")
    return yaml.safe_load(text)


@cache
def _function_words() -> frozenset[str]:
    return frozenset(fold(w) for w in _questions_data()["function_words"])


def _contains(haystack_folded: str, phrase: str) -> bool:
    """Whether a phrase occurs as whole words in a text already passed through `_padded`."""
    key = fold_phrase(phrase)
    return bool(key) and f" {key} " in haystack_folded


def _padded(text: str) -> str:
    return f" {fold_phrase(text)} "


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


# -- text fit to quote -------------------------------------------------------------------


class _Checker:
    """Whether repaired OCR text is fit to quote: no debris left, every syllable a Vietnamese
    one, and (for phrases) every pair of syllables seen in clean text.

    Syllables and pairs come from the shipped word list and the index's clean documents. A
    repaired line can still hold a wrong but real word; pairs catch most of those in short
    phrases, where one wrong word is the whole phrase."""

    def __init__(self, clean_texts: Iterable[str]) -> None:
        self.syllables: set[str] = set()
        self.pairs: set[tuple[str, str]] = set()
        for entry in default_training_text():
            self._learn(entry.lower().split())
        for text in clean_texts:
            self._learn([w.lower() for w in _words(nfc(text))])

    def _learn(self, tokens: list[str]) -> None:
        self.syllables.update(tokens)
        self.pairs.update(zip(tokens, tokens[1:], strict=False))

    @staticmethod
    def _debris(text: str) -> bool:
        if re.search(r"[@€¢¥|\\{}<>~^_=‘’`ﬁﬂ]", text):
            return True
        # "&" belongs inside an acronym ("GD&ĐT"); "Sở&", "v&" are OCR debris.
        for i, ch in enumerate(text):
            if ch == "&" and not (
                0 < i < len(text) - 1 and text[i - 1].isupper() and text[i + 1].isupper()
            ):
                return True
        return False

    def _token_ok(self, token: str, in_capitals: bool) -> bool:
        if token.isdigit() or re.fullmatch(r"\d+[a-z]?", token):
            return True
        if re.search(r"\d", token):
            return bool(re.fullmatch(r"[A-ZĐ\d]+", token))  # "HS250H", never "s6", "16ng"
        if token.lower() in self.syllables:
            # In running text a marked word in capitals is a repair's slip ("BỘ phận");
            # acronyms carry no vowel marks (CCHC, GD, ĐT).
            return (
                in_capitals
                or not token.isupper()
                or len(token) == 1
                or (fold(token).upper() == token.replace("Đ", "D"))
            )
        return (
            token.isupper() and len(token) <= 10 and fold(token).upper() == token.replace("Đ", "D")
        )

    def fit(self, text: str, *, phrase: bool = False, pair_slack: float = 0.1) -> bool:
        if self._debris(text):
            return False
        tokens = _words(text)
        letters = [c for c in text if c.isalpha()]
        in_capitals = bool(letters) and sum(c.isupper() for c in letters) > 0.8 * len(letters)
        if not tokens or not all(self._token_ok(t, in_capitals) for t in tokens):
            return False
        low = [t.lower() for t in tokens]
        if any(a == b and a.isalpha() and len(a) > 1 for a, b in zip(low, low[1:], strict=False)):
            return False  # "hài lòng lòng": a repair that doubled a word
        pairs = [
            (a, b)
            for (a, b), (x, y) in zip(
                zip(low, low[1:], strict=False), zip(tokens, tokens[1:], strict=False), strict=True
            )
            if a.isalpha() and b.isalpha() and (in_capitals or not (x.isupper() or y.isupper()))
        ]
        unseen = sum(1 for p in pairs if p not in self.pairs)
        if phrase:
            return unseen == 0
        return unseen <= pair_slack * max(len(pairs), 1)


class _Trusting(_Checker):
    """Clean documents are quoted as written."""

    def __init__(self) -> None:
        pass

    def fit(self, text: str, *, phrase: bool = False, pair_slack: float = 0.1) -> bool:
        return bool(text.strip())


# -- phrases an answer must hold ---------------------------------------------------------


@cache
def _word_pairs() -> frozenset[str]:
    return dictionary_word_pairs()


def _splits_word(left: str, right: str) -> bool:
    """Whether two adjacent syllables make one dictionary word ("công bố", "chỉ đạo")."""
    return f"{left}_{right}" in _word_pairs()


def _salient(
    text: str,
    avoid: set[str],
    *,
    related: frozenset[str] = frozenset(),
    common: frozenset[str] = frozenset(),
    max_words: int = 6,
    min_content: int = 2,
) -> str | None:
    """A short phrase of `text` an answer quoting it would hold: a window of a clause with
    at least `min_content` topic words not in `avoid` (folded words of the question), ranked
    by words `related` to what is asked, then by topic words (a `common` word of the
    neighbouring text counts less), then by position. A window never cuts a dictionary word
    or a date in two, and is not a table row in capitals."""
    best: tuple[float, str] | None = None
    function = _function_words()
    for rank, clause in enumerate(re.split(r"[,;:()“”\"]|\s[-–]\s|\.\s", text)):
        spans = list(_SPAN.finditer(clause))
        words = [fold(m.group(0)) for m in spans]
        for start in range(len(spans)):
            if start > 0 and (
                words[start] in function or _splits_word(words[start - 1], words[start])
            ):
                continue
            for size in range(min(max_words, len(spans) - start), 2, -1):
                end = start + size
                window = words[start:end]
                if window[-1] in function or (
                    end < len(words) and _splits_word(window[-1], words[end])
                ):
                    continue
                if end < len(words) and words[end].isdigit() and window[-1] in _UNIT_WORDS:
                    continue  # "ngày 01 tháng 9 năm" without its year
                phrase = clause[spans[start].start() : spans[end - 1].end()]
                letters = [c for c in phrase if c.isalpha()]
                if sum(c.isupper() for c in letters) > 0.5 * max(len(letters), 1):
                    continue
                if sum(w[:1].isdigit() for w in window) > 1:
                    continue
                content = [w for w in window if w not in function and w not in avoid]
                if len(content) < min_content:
                    continue
                score = (
                    2.0 * sum(w in related for w in window)
                    + sum(0.3 if w in common else 1.0 for w in content)
                    - 0.05 * start
                    - 0.5 * rank
                )
                if best is None or score > best[0]:
                    best = (score, phrase)
                break
    return best[1] if best else None


def _common_words(units: Sequence[str], share: float = 0.25) -> frozenset[str]:
    """Folded words found in more than `share` of the units (sentences, field items)."""
    counts = Counter(w for unit in units for w in set(fold_phrase(unit).split()))
    return frozenset(w for w, n in counts.items() if n > share * max(len(units), 1) and n > 1)


# Words that make a "X là Y" sentence a statement rather than a definition of X.
_VERBISH = frozenset({"duoc", "coi", "co", "phai", "se", "da", "khong", "deu", "cung", "van"})

_UNIT_WORDS = frozenset({"ngay", "thang", "nam", "so", "dieu", "khoan", "muc", "lan"})


def _date_forms(day: date) -> list[str]:
    d, m, y = day.day, day.month, day.year
    return list(
        dict.fromkeys(
            [
                f"{d:02d}/{m:02d}/{y}",
                f"{d}/{m}/{y}",
                f"{d:02d}/{m}/{y}",
                f"{d}/{m:02d}/{y}",
                f"{d:02d} tháng {m:02d} năm {y}",
                f"{d} tháng {m} năm {y}",
                f"{d:02d} tháng {m} năm {y}",
                f"{d} tháng {m:02d} năm {y}",
            ]
        )
    )


# -- documents ---------------------------------------------------------------------------


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


_ROW_NUMBER = re.compile(r"^(?:stt|tt|so tt|so thu tu)$")


def _strip_numbering(sentence: str) -> str:
    return _NUMBERING.sub("", sentence, count=1).strip()


class _DocumentQuestions:
    """Drafts of questions about one document."""

    def __init__(
        self, d: _Doc, sections: list[_Section], rng: random.Random, so_hieu: dict
    ) -> None:
        self.d = d
        self.sections = sections
        self.rng = rng
        self.so_hieu = so_hieu  # folded number -> doc_id, for texts the index also holds
        self.data = _questions_data()
        self.common = _common_words([x for section in sections for x in section.sentences])

    def name(self, pool: Sequence[str] | None = None) -> str | None:
        pool = list(pool) if pool is not None else self.d.names
        return self.rng.choice(pool) if pool else None

    def fit(self, text: str) -> bool:
        return self.d.checker.fit(text)

    def fit_phrase(self, text: str) -> bool:
        return self.d.checker.fit(text, phrase=self.d.ocr)

    # particulars ------------------------------------------------------------------------
    def particulars(self) -> list[_Draft]:
        d, t = self.d, self.data["particulars"]
        drafts: list[_Draft] = []

        def add(key: str, names: Sequence[str], expect: list[str]) -> None:
            name = self.name([n for n in names if not any(fold(e) in fold(n) for e in expect)])
            if name and expect:
                question = _capital(self.rng.choice(t[key]).format(doc=name))
                drafts.append(_Draft(question, expect, INFO_SECTION, "particulars"))

        if d.signer:
            add("signer", d.names, [d.signer])
        if d.issued:
            add("date", d.names, _date_forms(d.issued))
        if d.issuer:
            add("issuer", d.number_names, [x for x in (d.issuer, d.issuer_short) if x])
        if d.number:
            add("number", d.title_names, [d.number])
        if d.title:
            phrase = _salient(d.title, set(), max_words=6)
            if phrase:
                add("title", d.number_names, [phrase])
        return drafts

    # headings ---------------------------------------------------------------------------
    def headings(self) -> list[_Draft]:
        """One question per kind of heading: "Mục tiêu chung" and "Mục tiêu cụ thể" ask the
        same thing, so both sections' text may answer it."""
        asked: dict[str, tuple[list[str], str, list[_Section]]] = {}
        for section in self.sections:
            heading = section.heading
            if not heading:
                continue
            folded = fold_phrase(heading)
            words = heading.split()
            for number, entry in enumerate(self.data["headings"]):
                start = next(
                    (
                        x
                        for x in entry.get("starts", [])
                        if folded == fold_phrase(x) or folded.startswith(fold_phrase(x) + " ")
                    ),
                    None,
                )
                end = next(
                    (x for x in entry.get("ends", []) if folded.endswith(" " + fold_phrase(x))),
                    None,
                )
                if start is not None:
                    rest = " ".join(words[len(start.split()) :]).strip(" ,")
                elif end is not None:
                    rest = " ".join(words[: -len(end.split())]).strip(" ,")
                else:
                    continue
                key = f"{number}:{fold_phrase(rest)}"
                templates = [t for t in entry["ask"] if "{rest}" not in t or rest]
                if templates:
                    found = asked.setdefault(key, (templates, rest, []))
                    found[2].append(section)
                    if entry.get("expect") == "actors":
                        section.expect_actors = True
                break
            else:
                asked.setdefault(f"h:{folded}", (self.data["fallback"], "", []))[2].append(section)
        drafts = []
        for templates, rest, sections in asked.values():
            draft = self._heading_question(templates, rest, sections)
            if draft:
                drafts.append(draft)
        return drafts

    def _heading_question(
        self, templates: list[str], rest: str, sections: list[_Section]
    ) -> _Draft | None:
        name = self.name()
        if not name:
            return None
        heading = self.lower_name(sections[0].heading or "")
        question = self.rng.choice(templates).format(
            doc=name, rest=self.lower_name(rest), heading=heading
        )
        question = _capital(question)
        avoid = set(fold_phrase(question).split())
        phrases: list[str] = []
        for section in sections:
            for sentence in section.sentences[:6]:
                body = _strip_numbering(sentence)
                if section.expect_actors:
                    found = self._actor_name(body)
                    phrase = found[0] if found else None
                elif len(_words(body)) >= 3:
                    phrase = _salient(body, avoid, common=self.common, max_words=5)
                else:
                    phrase = None
                if phrase and self.fit_phrase(phrase) and fold(phrase) not in map(fold, phrases):
                    phrases.append(phrase)
                if len(phrases) >= 2 * len(sections) or len(phrases) >= 4:
                    break
        if not phrases:
            return None
        return _Draft(question, phrases, sections[0].key, "heading")

    def lower_name(self, text: str) -> str:
        """Lower-case the first letter unless the text opens with a name: an actor ("Ủy ban
        nhân dân", "Sở Nội vụ") or words the document capitalises mid-sentence."""
        words = text.split()
        if not words:
            return text
        if any(text.startswith(a + " ") for a in self.data["values"]["actors"]):
            return text
        if any(fold(" ".join(words[:n])) in self.d.names_cased for n in (2, 3)):
            return text
        if len(words) >= 2 and words[0][:1].isupper():
            # "Quốc hội", "Tổ quốc": written with the capital mid-sentence in the document.
            pair = f"{words[0]} {words[1]}"
            body = self.d.doc.text
            upper = len(re.findall(rf"(?<=[^\W\d_] ){re.escape(pair)}\b", body))
            lower = len(re.findall(rf"\b{re.escape(lower_first(pair))}\b", body))
            if upper > lower:
                return text
        return lower_first(text)

    # sentences --------------------------------------------------------------------------
    # table rows -------------------------------------------------------------------------
    def row(self, chunk: Chunk) -> _Draft | None:
        """A figure of a row asked by the row's name: "Mức học phí của Khối 10 (Trường …) là
        bao nhiêu?", answered by the figure."""
        head, fields = read_row_passage(chunk.shown)
        named = [(n, v) for n, v in fields if n and not _ROW_NUMBER.match(fold_phrase(n))]
        key = next(((n, v) for n, v in named if re.search(r"[^\W\d_]", v)), None)
        # a figure is a short value ("Mức trần: 20.000"), not a note that holds a number
        figures = [
            (n, v) for n, v in named if re.search(r"\d", v) and len(v) <= 40 and (n, v) != key
        ]
        name = self.name()
        if self.d.ocr or key is None or not figures or name is None:
            return None
        column, value = self.rng.choice(figures)
        row = key[1] if len(key[1]) <= 80 else key[1][:80].rsplit(" ", 1)[0]
        groups = [_strip_numbering(line) for line in head if _NUMBERING.match(line)]
        if groups and len(groups[-1]) <= 80:
            row = f"{row} ({groups[-1]})"
        template = self.rng.choice(self.data["rows"])
        question = _capital(template.format(column=lower_first(column), row=row, doc=name))
        table = table_section(chunk.section)
        return _Draft(question, [value], table, "row")

    def about(self, clause: str, name: str) -> str:
        """The clause with the document's reference to itself replaced by its name, or the
        clause prefixed by "Theo <name>,"."""
        for ref in sorted(self.data["values"]["self_reference"], key=len, reverse=True):
            if ref in clause:
                return _capital(clause.replace(ref, name, 1))
        return f"Theo {name}, {lower_first(clause)}"

    def sentence(self, section: _Section, sentence: str) -> _Draft | None:
        body = _strip_numbering(sentence)
        if not _sentence_ok(body) or not self.fit(body):
            return None
        for maker in (
            self.definition,
            self.reference,
            self.effect,
            self.url,
            self.deadline,
            self.amount,
            self.composition,
            self.decided_by,
            self.actor,
        ):
            draft = maker(section, body)
            if draft:
                return draft
        return None

    def definition(self, section: _Section, body: str) -> _Draft | None:
        match = re.match(r"^[“\"](?P<term>[^”\"]{2,60})[”\"]\s+là\s+(?P<def>.{10,})$", body)
        if not match and section.in_definitions:
            match = re.match(r"^(?P<term>[^,;:]{3,50}?)\s+là\s+(?P<def>.{10,})$", body)
        if not match:
            # "Ủy ban thường vụ Quốc hội là cơ quan thường trực của Quốc hội": a name, "là", and
            # a class noun; not "Người bị buộc tội được coi là không có tội".
            match = re.match(r"^(?P<term>[A-ZĐ][^,;:()]{2,50}?)\s+là\s+(?P<def>.{15,})$", body)
            heads = self.data["values"]["definition_heads"]
            term_words = fold_phrase(match.group("term")).split() if match else []
            if match and (
                len(term_words) < 2
                or term_words[0] in _function_words()
                or set(term_words) & _VERBISH
                or not any(
                    fold_phrase(match.group("def")).startswith(fold_phrase(h) + " ") for h in heads
                )
            ):
                match = None
        name = self.name()
        if not match or not name or len(match.group("term").split()) > 8:
            return None
        term = match.group("term").strip()
        templates = self.data["values"]["definition_ask"]
        question = _capital(self.rng.choice(templates).format(doc=name, term=self.lower_name(term)))
        avoid = set(fold_phrase(question).split())
        phrase = _salient(match.group("def"), avoid, common=self.common, max_words=6)
        if not phrase or not self.fit_phrase(phrase):
            return None
        return _Draft(question, [phrase], section.key, "definition")

    def reference(self, section: _Section, body: str) -> _Draft | None:
        verbs: dict[str, str] = self.data["values"]["reference_verbs"]
        verb_re = "|".join(re.escape(v) for v in sorted(verbs, key=len, reverse=True))
        tail = re.compile(
            rf"(?:\s*,?\s*ngày\s+(?:{_DATE}))?(?:\s+(?:của|do)\s+(?P<issuer>[^,;:()\d]{{2,60}}?))?"
            rf"\s+(?P<verb>{verb_re})\s+(?P<topic>[^;:()“”\"]+)"
        )
        name = self.name()
        if not name:
            return None
        for head in _REF_HEAD.finditer(body):
            code = head.group("code").replace(" ", "")
            if self.d.number and fold_phrase(code) == fold_phrase(self.d.number):
                continue
            match = tail.match(body, head.end())
            if not match:
                continue
            issuer = match.group("issuer") or ""
            if re.search(_TYPES, issuer) or len(issuer.split()) > 8:
                continue
            # The topic runs to the next cited text or the end of the clause.
            topic = re.split(rf"\s(?:và|,)\s*(?:{_TYPES})\b|\.\s+(?=[A-ZĐ])", match.group("topic"))[
                0
            ]
            if len(topic.split()) > 18:
                # "… năm 2025 trong ngành giáo dục, Phòng GD&ĐT xây dựng …": the clause ends
                # where the sentence's own subject starts.
                topic = topic.split(",")[0]
            topic = topic.strip(" ,.")
            while topic and fold(topic.split()[-1]) in _function_words():
                topic = " ".join(topic.split()[:-1])
            if not 4 <= len(topic.split()) <= 18 or not self.fit_phrase(topic):
                continue
            values = self.data["values"]
            templates = (
                values["preamble_ask"] if body.startswith("Căn cứ") else values["reference_ask"]
            )
            question = self.rng.choice(templates).format(
                doc=name,
                type=head.group("type").lower(),
                verb=verbs[match.group("verb")],
                topic=lower_first(topic) if not topic[:2].isupper() else topic,
            )
            extra = [self.so_hieu[k] for k in [fold_phrase(code)] if k in self.so_hieu]
            return _Draft(_capital(question), [code], section.key, "reference", extra)
        return None

    def effect(self, section: _Section, body: str) -> _Draft | None:
        match = _EFFECT.search(body)
        name = self.name()
        if not match or not name:
            return None
        own = any(r in body[: match.start()] for r in self.data["values"]["self_reference"])
        if not own:
            return None
        question = _capital(self.rng.choice(self.data["values"]["effect_ask"]).format(doc=name))
        return _Draft(question, [match.group("date")], section.key, "effect")

    def url(self, section: _Section, body: str) -> _Draft | None:
        match = _URL.search(body)
        name = self.name()
        if not match or not name:
            return None
        place = match.group("place").strip()
        place = re.sub(r"\s+tại$", "", place)
        if len(place.split()) < 2 or not self.fit_phrase(place):
            return None
        question = self.rng.choice(self.data["values"]["url_ask"]).format(doc=name, place=place)
        return _Draft(_capital(question), [match.group("url")], section.key, "url")

    def _clause(self, body: str, start: int, end: int) -> tuple[str, int, int] | None:
        """The ';'-clause of `body` around [start, end) with offsets, if short enough."""
        left = body.rfind(";", 0, start) + 1
        right = body.find(";", end)
        right = len(body) if right < 0 else right
        clause = body[left:right]
        lead = len(clause) - len(clause.lstrip())
        clause = clause.strip().rstrip(".")
        if len(clause.split()) > 30 or len(clause.split()) < 5 or re.search(r"[()“”\"]", clause):
            return None
        return clause, start - left - lead, end - left - lead

    def deadline(self, section: _Section, body: str) -> _Draft | None:
        match = _DEADLINE.search(body)
        name = self.name()
        if not match or not name:
            return None
        found = self._clause(body, match.start("date"), match.end("date"))
        if not found:
            return None
        clause, s, e = found
        asked = clause[:s] + "nào" + clause[e:]
        asked = asked.replace("ngày nào hàng năm", "ngày nào hằng năm")
        return _Draft(self.about(asked, name) + "?", [match.group("date")], section.key, "deadline")

    def amount(self, section: _Section, body: str) -> _Draft | None:
        units: dict[str, str] = self.data["values"]["amount_units"]
        unit_re = "|".join(re.escape(u) for u in sorted(units, key=len, reverse=True))
        # A cue before the number tells an amount from a date ("ngày 05 tháng 3") or a period
        # in a list ("hàng quý, 6 tháng, năm").
        pattern = re.compile(
            rf"\b(?:{_AMOUNT_CUES})\s+(?P<amount>(?P<num>\d+(?:[.,]\d+)*)\s*(?P<unit>{unit_re}))"
            rf"(?![\w/])(?!\s*\d)(?! năm)"
        )
        match = pattern.search(body)
        name = self.name()
        if not match or not name:
            return None
        found = self._clause(body, match.start("amount"), match.end("amount"))
        if not found:
            return None
        clause, s, e = found
        asked = clause[:s] + units[match.group("unit")] + clause[e:]
        amount = match.group("amount")
        return _Draft(self.about(asked, name) + "?", [amount], section.key, "amount")

    def composition(self, section: _Section, body: str) -> _Draft | None:
        """ "X gồm A, B, C" asks what (or who) X is made of."""
        match = re.match(
            r"^(?P<subject>[A-ZĐ][^,;:()]{3,60}?)\s+(?:bao gồm|gồm)\s+(?P<list>.{5,})$", body
        )
        name = self.name()
        if not match or not name or len(match.group("subject").split()) > 10:
            return None
        items = match.group("list")
        items = items.split(":", 1)[1] if ":" in items[:40] else items
        values = self.data["values"]
        people = any(items.strip().startswith(p) for p in values["people"])
        phrases = []
        for item in re.split(r"[,;]", items)[:4]:
            item = re.sub(r"\([^)]*\)?", "", item).strip(" .")
            item = re.sub(r"^(?:các|những|và)\s+", "", item)
            if 2 <= len(item.split()) <= 6 and self.fit_phrase(item):
                phrases.append(item)
        if not phrases:
            return None
        question = self.rng.choice(values["composition_ask"]).format(
            doc=name,
            subject=self.lower_name(match.group("subject")),
            what="những ai" if people else "những gì",
        )
        return _Draft(_capital(question), phrases, section.key, "composition")

    def decided_by(self, section: _Section, body: str) -> _Draft | None:
        """ "X do Y quyết định" asks who decides X, in place."""
        verbs = "|".join(sorted(self.data["values"]["decided_by_verbs"], key=len, reverse=True))
        match = re.match(
            rf"^(?P<subject>[A-ZĐ][^;:()]{{5,80}}?)\s+do\s+(?P<actor>[A-ZĐ][^,;.()]{{2,60}}?)"
            rf"\s+(?P<verb>{verbs})(?P<rest>[^;]*)",
            body,
        )
        name = self.name()
        if not match or not name or not self.fit_phrase(match.group("actor")):
            return None
        people = any(match.group("actor").startswith(p) for p in self.data["values"]["people"])
        who = "ai" if people else "cơ quan nào"
        rest = match.group("rest").rstrip(" .")
        if len(rest.split()) > 8:
            rest = ""
        asked = f"{self.lower_name(match.group('subject'))} do {who} {match.group('verb')}{rest}"
        return _Draft(
            self.about(asked, name) + "?", [match.group("actor")], section.key, "decided_by"
        )

    def _actor_name(self, body: str) -> tuple[str, str, str] | None:
        """(actor, its head, the words after it) for a sentence opened by an actor."""
        actors: dict[str, str] = self.data["values"]["actors"]
        head = next(
            (a for a in sorted(actors, key=len, reverse=True) if body.startswith(a + " ")), None
        )
        if not head:
            return None
        words = body[len(head) :].split()
        taken: list[str] = []
        i = 0
        while i < len(words):
            word, nxt = words[i], words[i + 1] if i + 1 < len(words) else ""
            if word in ("cấp", "các") and nxt in ("tỉnh", "huyện", "xã", "cấp"):
                taken += [word, nxt]  # "Ủy ban nhân dân cấp xã", "Sở, ngành các cấp"
                i += 2
                continue
            if word[:1].isupper() or word in ("-", "–") or (word == "và" and nxt[:1].isupper()):
                taken.append(word)
                i += 1
                continue
            break
        actor = " ".join([head, *taken]).rstrip(",;.")
        if len(actor.split()) < 2 or not self.fit_phrase(actor):
            return None
        return actor, head, " ".join(words[len(taken) :])

    def actor(self, section: _Section, body: str) -> _Draft | None:
        if not section.key:
            return None  # the opening: "Chính phủ ban hành Nghị định …" names the issuer
        found = self._actor_name(body)
        name = self.name()
        if not found or not name:
            return None
        actor, head, rest = found
        verbs = sorted(self.data["actor_verbs"], key=len, reverse=True)
        if not any(rest.startswith(v + " ") for v in verbs):
            return None
        rest = rest.split(";")[0].split(". ")[0].rstrip(".")
        if not 4 <= len(rest.split()) <= 25 or re.search(r"[()]", rest):
            return None
        asked = self.about(f"{self.data['values']['actors'][head]} {rest}", name)
        return _Draft(asked + "?", [actor], section.key, "actor")


def _user_words(question: str, rng: random.Random) -> str:
    """Users' words for the documents' (lexicon synonyms in reverse), each with even odds."""
    data = _questions_data()
    allowed = {fold(w) for w in data["user_words"]}
    never = {fold(w) for w in data["user_words_never"]}
    for group in _lexicon_file("synonyms.yaml")["groups"]:
        written, *others = [str(w) for w in group]
        if fold(written) not in allowed:
            continue
        options = [o for o in others if fold(o) not in never]
        pattern = re.compile(rf"(?<![\w]){re.escape(written)}(?![\w])", re.IGNORECASE)
        if options and pattern.search(question) and rng.random() < 0.5:
            question = pattern.sub(rng.choice(options), question, count=1)
    return question


def _document_drafts(
    d: _Doc, chunks: Sequence[Chunk], rng: random.Random, per_document: int, so_hieu: dict
) -> list[_Draft]:
    maker = _DocumentQuestions(d, _sections(d, chunks), rng, so_hieu)
    particulars = maker.particulars()
    rng.shuffle(particulars)
    chosen: list[_Draft] = particulars[: min(3, max(1, per_document // 4))]
    by_section: dict[str, list[_Draft]] = {s.key: [] for s in maker.sections}
    for draft in maker.headings():
        by_section[draft.section].append(draft)
    for section in maker.sections:
        if is_row_section(section.key):
            continue  # a row's fields are no sentences; rows are asked below, by table
        others = [x for s in section.sentences if (x := maker.sentence(section, s))]
        rng.shuffle(others)
        by_section[section.key].extend(others)
    for chunk in chunks:
        if is_row_section(chunk.section) and (draft := maker.row(chunk)):
            by_section.setdefault(draft.section, []).append(draft)
    for bucket in by_section.values():
        if bucket and bucket[0].source == "row":
            rng.shuffle(bucket)
    buckets = [b for b in by_section.values() if b]
    # One question per section in turn, so a long chapter does not take every slot; one
    # question per answer (a cited text is cited again and again in a plan).
    seen = {fold_phrase(x.question) for x in chosen}
    answers = {(x.source, fold_phrase(x.expect_any[0])) for x in chosen}
    while len(chosen) < per_document and any(buckets):
        for bucket in buckets:
            while bucket and len(chosen) < per_document:
                draft = bucket.pop(0)
                answer = (draft.source, fold_phrase(draft.expect_any[0]))
                if draft.source == "heading":
                    answer = (draft.source, fold_phrase(draft.question))
                if fold_phrase(draft.question) not in seen and answer not in answers:
                    seen.add(fold_phrase(draft.question))
                    answers.add(answer)
                    chosen.append(draft)
                    break
    return chosen


# -- procedure cards ---------------------------------------------------------------------


def _level_of(name: str) -> str | None:
    """The lexicon's level for a card's `cap_hoc` entry ("Tiểu học" -> "tiểu học")."""
    key = fold_phrase(name)
    for level in vocabulary().levels:
        if any(" ".join(n) == key for n in level.names) or fold_phrase(level.name) == key:
            return level.name
    return None


def _names_level(text: str) -> bool:
    folded = _padded(text)
    if re.search(r" lop \d+ ", folded):
        return True
    return any(f" {' '.join(n)} " in folded for lv in vocabulary().levels for n in lv.names)


def _base(card: ProcedureCard) -> str:
    """The procedure without whom it is for: "Chuyển trường" of "Chuyển trường đối với …"."""
    return re.split(r"\s+đối với\s+|\s*\(", card.ten)[0].strip()


def _procedure_names(
    card: ProcedureCard, cards: Sequence[ProcedureCard], rng: random.Random
) -> list[tuple[str, str]]:
    """(name, "vp" | "situation") for a card, the way people name the procedure."""
    rules = _questions_data()["procedure_names"]
    siblings = [c for c in cards if c.id != card.id and fold(_base(c)) == fold(_base(card))]
    ten = re.sub(r"\s*\([^)]*\)", "", card.ten).strip()
    candidates = [(ten, True), (ten.split(",")[0], False), *((k, False) for k in card.tu_khoa)]
    out: dict[str, tuple[str, str]] = {}
    for text, is_ten in candidates:
        text = lower_first(text.strip())
        if "," in text and not is_ten:
            continue
        folded = fold_phrase(text)
        kind: str | None = None
        if any(folded.startswith(fold_phrase(s) + " ") for s in rules["skip_nouns"]):
            kind = None
        elif any(folded.startswith(fold_phrase(v) + " ") for v in rules["verbs"]):
            kind = "vp"
        elif any(folded.startswith(fold_phrase(s) + " ") for s in rules["situations"]):
            kind = "situation"
        else:
            verb = next(
                (
                    v
                    for n, v in rules["noun_verbs"].items()
                    if folded.startswith(fold_phrase(n) + " ")
                ),
                None,
            )
            if verb:
                text, kind = f"{verb} {text}", "vp"
        # A procedure with siblings at other levels (chuyển trường THCS / THPT) is named
        # with its level, or the question could be either card's.
        if kind and (not siblings or _names_level(text)):
            out.setdefault(fold_phrase(text), (text, kind))
    levels = [lv for lv in (_level_of(x) for x in card.cap_hoc) if lv]
    if len(levels) == 1:
        level = vocabulary().level(levels[0])
        assert level is not None
        for template in rules["grade_context"]:
            grade = rng.randint(level.first_grade, level.last_grade)
            text = template.format(grade=grade, proc=lower_first(_base(card)))
            out.setdefault(fold_phrase(text), (text, "situation"))
    return list(out.values())


_ORG = re.compile(
    r"(?:Phòng|Sở|Trung tâm|Bộ phận|UBND|Ủy ban nhân dân|[Tt]rường)\s+"
    r"(?:[A-ZĐ][\w&]*)(?:\s+[A-ZĐ][\w&]*)*(?:\s+(?:nơi đến|nơi đi|cấp xã|cấp huyện|cấp tỉnh))?"
)
_TIME = re.compile(r"\d+(?:\s?[–-]\s?\d+)?\s+(?:ngày làm việc|ngày|giờ|tháng)")


def _field_phrases(
    card: ProcedureCard, field_name: str, aspect_words: frozenset[str], common: frozenset[str]
) -> list[str]:
    """Distinctive phrases of a card field's value: numbers, codes, offices, else the most
    aspect-like window of each item's sentences."""
    value = getattr(card, field_name)
    if field_name == "can_cu_phap_ly":
        return [b.so_hieu for b in value]
    if field_name == "ma_thu_tuc":
        return [m.group(0) for v in value if (m := re.match(r"[\w.]+", v))]
    items = [value] if isinstance(value, str) else list(value)
    phrases: list[str] = []
    for item in items[:3]:
        if field_name == "thoi_han":
            phrases += [m.group(0) for m in _TIME.finditer(item)]
        if field_name in ("noi_nop", "cach_thuc"):
            phrases += [m.group(0) for m in _ORG.finditer(item)]
            phrases += re.findall(r"https?://[^\s,;)]+[^\s,;).]", item)
        for sentence in re.split(r"(?<=\.)\s+", item)[:2]:
            window = _salient(sentence, set(), related=aspect_words, common=common, max_words=5)
            if window:
                phrases.append(window)
    return list(dict.fromkeys(phrases))


def _aspect_words(aspect_key: str) -> frozenset[str]:
    aspect = vocabulary().aspect(aspect_key)
    words = {w for cue in aspect.cues for w in cue}
    words.update(fold(w) for w in _words(aspect.label))
    return frozenset(words - _function_words())


# -- assembling --------------------------------------------------------------------------


def _keep_phrases(question: str, phrases: Iterable[str], source_folded: str) -> list[str]:
    """Phrases the source holds and the question does not give away."""
    asked = _padded(question)
    kept = []
    for phrase in phrases:
        if _contains(source_folded, phrase) and not _contains(asked, phrase):
            kept.append(phrase)
    return list(dict.fromkeys(kept))


def _document_bases(
    documents: Sequence[StoredDocument],
    chunks: Sequence[Chunk],
    cards_text: Iterable[str],
    seed: int,
    per_document: int,
) -> list[_Base]:
    by_doc: dict[str, list[Chunk]] = {}
    for chunk in chunks:
        by_doc.setdefault(chunk.doc_id, []).append(chunk)
    plain_docs = [d for d in documents if d.kind != "card"]
    clean = [d.text for d in documents if not is_ocr_text(d.text)]
    checker = _Checker([*clean, *cards_text])
    trusting = _Trusting()
    described: list[_Doc] = []
    for doc in plain_docs:
        own = by_doc.get(doc.doc_id, [])
        folded = _padded(" ".join([doc.text, *(c.shown for c in own)]))
        described.append(
            _describe(doc, own, checker if is_ocr_text(doc.text) else trusting, folded)
        )
    _name_documents(described)
    so_hieu = {fold_phrase(d.number): d.doc.doc_id for d in described if d.number}
    bases: list[_Base] = []
    for d in described:
        rng = random.Random(f"{seed}:doc:{d.doc.doc_id}")
        drafts = _document_drafts(d, by_doc.get(d.doc.doc_id, []), rng, per_document, so_hieu)
        n = 0
        for draft in drafts:
            question = (
                _user_words(draft.question, rng)
                if draft.source != "particulars"
                else draft.question
            )
            expect = _keep_phrases(question, draft.expect_any, d.text_folded)
            if not expect:
                continue
            n += 1
            kind = KIND_PARTICULARS if draft.source == "particulars" else KIND_DOCUMENT
            bases.append(
                _Base(
                    id=f"gen-doc-{_slug(d.doc.doc_id)}-{n:02d}",
                    kind=kind,
                    question=question,
                    group=d.doc.doc_id,
                    expect_docs=[d.doc.doc_id, *[x for x in draft.extra_docs if x != d.doc.doc_id]],
                    expect_any=expect,
                    setting=Setting(place_ok=False),
                )
            )
    return bases


def _card_bases(cards: Sequence[ProcedureCard], seed: int) -> list[_Base]:
    templates = _questions_data()["aspects"]
    bases: list[_Base] = []
    units: list[str] = []
    for card in cards:
        for aspect in vocabulary().aspects:
            value = getattr(card, aspect.field, "")
            units += [value] if isinstance(value, str) else [str(i) for i in value]
    common = _common_words(units, share=0.15)
    for card in cards:
        rng = random.Random(f"{seed}:card:{card.id}")
        text_folded = _padded(card_to_document(card).text)
        names = _procedure_names(card, cards, rng)
        levels = tuple(lv for lv in (_level_of(x) for x in card.cap_hoc) if lv)
        if not names:
            continue
        for aspect in vocabulary().aspects:
            if aspect.key not in templates or not getattr(card, aspect.field, None):
                continue
            phrases = _field_phrases(card, aspect.field, _aspect_words(aspect.key), common)
            picked = rng.sample(names, min(2, len(names)))
            for i, (name, kind) in enumerate(picked, start=1):
                pool = templates[aspect.key]["then"] + (
                    templates[aspect.key]["any"] if kind == "vp" else []
                )
                question = rng.choice(pool).format(proc=name)
                # Numbers, offices and links first, then one phrase per item; three at most,
                # or "any of" would let an answer about another aspect pass.
                expect = _keep_phrases(question, phrases, text_folded)[:3]
                if not expect:
                    continue
                bases.append(
                    _Base(
                        id=f"gen-card-{card.id}-{aspect.key}-{i}",
                        kind=KIND_PROCEDURE,
                        question=question,
                        group=card.id,
                        expect_docs=[card.id],
                        expect_any=expect,
                        setting=Setting(levels=levels, situation=kind == "situation"),
                        transforms=PROCEDURE_TRANSFORMS,
                    )
                )
    return bases


def _fill(
    template: str, rng: random.Random, slots: dict[str, list[str]]
) -> tuple[str, dict[str, str]]:
    values = {k: str(rng.choice(v)) for k, v in slots.items()}
    values["province"] = rng.choice(provinces())
    return template.format(**values), values


def _marked_key(text: str) -> str:
    return " ".join(w.lower() for w in _words(normalize_tone(nfc(text))))


class _IndexText:
    """Everything the index says, to tell whether it names a topic.

    Where the text has its marks they decide ("sổ đỏ" is not "hồ sơ do", "thị thực" is not
    "thì thực hiện"); text without marks (raw OCR) is compared folded."""

    def __init__(
        self,
        documents: Sequence[StoredDocument],
        chunks: Sequence[Chunk],
        cards_text: Sequence[str],
    ) -> None:
        marked: list[str] = list(cards_text)
        unmarked: list[str] = []
        for doc in documents:
            (unmarked if is_ocr_text(doc.text) else marked).append(doc.text)
        for chunk in chunks:
            if chunk.readable:
                marked.append(chunk.readable)
                unmarked.append(chunk.text)
            else:
                (unmarked if is_ocr_text(chunk.text) else marked).append(chunk.text)
        self.marked = f" {_marked_key(' '.join(marked))} "
        self.folded = _padded(" ".join(unmarked))

    def names(self, phrase: str) -> bool:
        return f" {_marked_key(phrase)} " in self.marked or _contains(self.folded, phrase)


def _out_of_scope_bases(index: _IndexText, seed: int) -> tuple[list[_Base], list[str]]:
    """Out-of-scope questions, and the topics dropped because a document names them."""
    data = _oos_data()
    templates = _questions_data()["aspects"]
    aspects = [a for a in templates if a != "code"]
    per = int(data["aspects_per_procedure"])
    bases: list[_Base] = []
    dropped: list[str] = []

    # A topic phrase in an indexed document means that document may answer the question:
    # calling it out of scope would teach the model to refuse what it should answer. So the
    # guard errs on the side of dropping (a passing mention drops a topic too).
    def named(topics: Iterable[str]) -> bool:
        return any(index.names(t) for t in topics)

    def procedures(group: str, entries: list[dict], key: str) -> None:
        rng = random.Random(f"{seed}:oos:{key}")
        for n, entry in enumerate(entries, start=1):
            topics = entry.get("topic") or [entry["ask"]]
            if named(topics):
                dropped.append(entry["ask"])
                continue
            for aspect in rng.sample(aspects, per):
                question = rng.choice(templates[aspect]["any"]).format(proc=entry["ask"])
                bases.append(
                    _Base(
                        id=f"gen-oos-{_slug(key)}-{n:02d}-{aspect}",
                        kind=KIND_OUT_OF_SCOPE,
                        question=question,
                        group=group,
                        refused=True,
                        transforms=PROCEDURE_TRANSFORMS,
                    )
                )

    for family, entries in data["sectors"].items():
        procedures(f"oos:{family}", entries, family)
    for paper, entries in data["no_card"].items():
        procedures(GROUP_NO_CARD, entries, f"no-card-{paper}")

    rng = random.Random(f"{seed}:oos:near")
    slots = data["slots"]
    for n, entry in enumerate(data["near_education"], start=1):
        for m, template in enumerate(entry["ask"], start=1):
            made = set()
            for _ in range(2):  # two fillings of each template's slots, when it has slots
                question, values = _fill(template, rng, slots)
                topics = [t.format(**values) for t in entry["topic"]]
                if question in made:
                    continue
                made.add(question)
                if named(topics):
                    dropped.append(question)
                    continue
                bases.append(
                    _Base(
                        id=f"gen-oos-near-{n:02d}-{m}-{len(made)}",
                        kind=KIND_OUT_OF_SCOPE,
                        question=question,
                        group=GROUP_NEAR,
                        refused=True,
                        transforms=PROCEDURE_TRANSFORMS,
                    )
                )
    return bases, dropped


def generate(
    documents: Sequence[StoredDocument],
    chunks: Sequence[Chunk],
    cards: Sequence[ProcedureCard],
    *,
    seed: int = 0,
    per_document: int = 12,
) -> list[GeneratedQuestion]:
    """Labelled questions from an index: its documents, its cards, and what it must decline.

    Deterministic for a given `seed`. `per_document` is the number of questions drawn from each
    document before rewrites; every question also appears rewritten (see `transforms`)."""
    cards_text = [card_to_document(c).text for c in cards]
    bases = _document_bases(documents, chunks, cards_text, seed, per_document)
    bases += _card_bases(cards, seed)
    oos, _ = _out_of_scope_bases(_IndexText(documents, chunks, cards_text), seed)
    bases += oos
    return [row for base in bases for row in _rows(base, seed)]


def dropped_out_of_scope(
    documents: Sequence[StoredDocument], chunks: Sequence[Chunk], cards: Sequence[ProcedureCard]
) -> list[str]:
    """The out-of-scope topics left out because a document of the index names them."""
    cards_text = [card_to_document(c).text for c in cards]
    return _out_of_scope_bases(_IndexText(documents, chunks, cards_text), 0)[1]
