"""Questions about each document of an index: its particulars, one per kind of heading, one
per informative sentence (`sentence_questions`) and per table row (`table_questions`), drawn a
section at a time, in users' words, each label checked against the document's text."""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Sequence
from datetime import date
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import yaml

from motcua.commands.calibration.document_names import (
    INFO_SECTION,
    _describe,
    _Doc,
    _name_documents,
)
from motcua.commands.calibration.document_sections import (
    _Draft,
    _Section,
    _sections,
    _strip_numbering,
)
from motcua.commands.calibration.generated_question import (
    KIND_DOCUMENT,
    KIND_PARTICULARS,
    _Base,
    _slug,
)
from motcua.commands.calibration.phrases import (
    _capital,
    _common_words,
    _keep_phrases,
    _padded,
    _questions_data,
    _salient,
    _words,
)
from motcua.commands.calibration.quotable import _Checker, _Trusting
from motcua.commands.calibration.sentence_questions import _SentenceQuestions
from motcua.commands.calibration.table_questions import _TableQuestions
from motcua.commands.calibration.transforms import Setting, lower_first
from motcua.ingest.chunking import is_row_section
from motcua.ingest.text_layer import is_ocr_text
from motcua.text import fold, fold_phrase
from motcua.types import Chunk

if TYPE_CHECKING:  # the store opens FAISS; generating needs only its records
    from motcua.index.store import StoredDocument


@cache
def _lexicon_file(name: str) -> Any:
    text = resources.files("motcua.lexicon").joinpath(name).read_text(encoding="utf-8")
    return yaml.safe_load(text)


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


class _DocumentQuestions(_SentenceQuestions, _TableQuestions):
    """Drafts of questions about one document: its particulars and headings here, its
    sentences and table rows by the makers mixed in."""

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
