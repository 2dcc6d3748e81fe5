"""Answers from the procedure catalogue: a code, or a fact of a procedure a published list holds.

"mã 1.010219 là thủ tục gì", "thủ tục 2.002481 mất bao lâu": the code names the procedure, and
the answer is its record, cited to the row of the decision that lists it. "Phí cấp phép thi
công nút giao ở Bắc Ninh bao nhiêu": a question asking a fact (code, time, fee, where, legal
basis, online level) of a procedure whose name it holds nearly whole gets that fact from the
record. A procedure with a built-in card keeps the card's general answer unless the question
names the province of a list holding it: then the local record's facts come first.

Like the registry's answers, this is tried before retrieval; `find` says whether the catalogue
answers, the responder renders and cites what it returns.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from motcua.bot.answering.procedures import papers_unnamed
from motcua.bot.answering.templates import render
from motcua.index.catalogue import Catalogue, code_in, names_province, subject_words
from motcua.ingest.catalogue import FACT_LABELS, ProcedureRecord
from motcua.ingest.cleaning import INLINED_FOOTNOTE
from motcua.lexicon import Normalized
from motcua.text import fold_phrase
from motcua.types import Chunk, Citation

# The facts an aspect of a question asks, the first one a record holds answering it; where
# a list names no place, its form's way of submitting (which often gives the address) and the
# body that decides answer "where" together.
ASPECT_FACTS: dict[str, tuple[str, ...]] = {
    "code": ("code",),
    "time": ("time_limit",),
    "fee": ("fee",),
    "where": ("place", "channel", "agency"),
    "legal": ("legal_basis",),
    "channel": ("online_level", "channel"),
    # "được công bố tại quyết định nào": the decision that announced it, which lists name
    "announced": ("announced", "legal_basis"),
}
LABELS = {**FACT_LABELS, "announced": "Quyết định công bố"}
_TOGETHER = {"where": ("channel", "agency")}
# Shares of a question's subject words, and of a listed name's, (weighted by rarity among the
# listed names) that must be shared for the question to name that procedure: "chấp thuận
# thiết kế nút giao đấu nối" names "Chấp thuận thiết kế nút giao đấu nối vào quốc lộ, đường
# địa phương đang khai thác", not "Cấp phép thi công nút giao đấu nối vào quốc lộ, …". Lists
# qualify names at length, so a name's share may be low; no other name may come close.
QUESTION_COVERAGE = 0.8
NAME_COVERAGE = 0.3
QUESTION_MARGIN = 0.2  # a runner-up this close on the question's share leaves it unclear
MIN_NAME_WORDS = 2
MAX_RECORDS = 3  # records an answer lists (one code in several provinces' lists)
QUOTE_CHARS = 400
NOTE_CHARS = 300
# Columns a list adds that an answer should say: a note, why a procedure was abolished.
_NOTE_HEADER = re.compile(r"\bghi chu\b|\bbai bo\b")


@dataclass
class CatalogueFinding:
    """Records that answer a question, best first, and what the question asked of them."""

    records: list[ProcedureRecord]
    asked: list[str] = field(default_factory=list)  # aspects asked ("time", "fee"); [] asks "what"
    code: str | None = None  # the code the question named
    local: bool = False  # the question names the province of records[0]


def asked_facts(reading: Normalized) -> list[str]:
    """The aspects a question asks that a record can answer, in order ("quyết định nào" of a
    question that says "công bố" asks for the decision that announced the procedure)."""
    asked = [a for a in reading.aspects if a in ASPECT_FACTS]
    if reading.says("cong bo"):
        asked = ["announced" if a == "legal" else a for a in asked]
    return asked


def _not_in_name(reading: Normalized, asked: list[str], name: str) -> list[str]:
    """The asked aspects less those whose every cue is a word of the procedure's own name
    ("chi phí" of "hỗ trợ chi phí học tập" asks no fee)."""
    named = f" {fold_phrase(name)} "
    kept = []
    for aspect in asked:
        cues = [
            fold_phrase(reading.span_text(s)) for s in reading.of("aspect") if s.value == aspect
        ]
        if not cues or any(f" {c} " not in named for c in cues):
            kept.append(aspect)
    return kept


class CatalogueAnswers:
    """Finds the catalogue records a question asks about."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self._names = catalogue.name_terms()
        self._by_key: dict[str, list[ProcedureRecord]] = {}
        for record in catalogue.records():
            self._by_key.setdefault(record.key, []).append(record)
        counts: dict[str, int] = {}
        for name in self._names.values():
            for word in name.words:
                counts[word] = counts.get(word, 0) + 1
        total = max(len(self._names), 1)
        self._weight = {w: math.log(1 + total / n) for w, n in counts.items()}

    def find(
        self,
        question: str,
        reading: Normalized,
        allowed: Callable[[ProcedureRecord], bool] | None = None,
    ) -> CatalogueFinding | None:
        """The records a question asks about, or None when the catalogue does not answer it.
        `allowed` keeps only records of documents a filter lets through."""
        if not len(self.catalogue):
            return None
        asked = asked_facts(reading)
        if code := code_in(question):
            records = self._allowed(self.catalogue.by_code(code), allowed)
            if not records:
                return None
            asked = [a for a in asked if a != "code"]
            return self._finding(question, records, asked, code)
        if not asked:
            return None
        records = self._allowed(self._named(reading), allowed)
        if not records or papers_unnamed(reading, [records[0].name]):
            return None  # "giấy xác nhận đang học" is not "giấy xác nhận là người gốc …"
        asked = _not_in_name(reading, asked, records[0].name)
        if not asked:
            return None
        finding = self._finding(question, records, asked, None)
        if records[0].card_id and not finding.local:
            return None  # the card answers in general; a list only for its own province
        if not any(fact_value(r, a) for r in finding.records for a in asked):
            return None  # the lists hold none of it: other passages may
        return finding

    def local_records(
        self,
        card_id: str,
        question: str,
        allowed: Callable[[ProcedureRecord], bool] | None = None,
    ) -> list[ProcedureRecord]:
        """A card's catalogue records from lists of the province the question names."""
        records = self._allowed(self.catalogue.for_card(card_id), allowed)
        return [r for r in records if not r.abolished and names_province(question, r.province)]

    def _finding(
        self, question: str, records: list[ProcedureRecord], asked: list[str], code: str | None
    ) -> CatalogueFinding:
        # The named province's lists first, current lists before lists of abolished ones.
        ordered = sorted(
            records, key=lambda r: (not names_province(question, r.province), r.abolished)
        )
        local = names_province(question, ordered[0].province)
        return CatalogueFinding(ordered[:MAX_RECORDS], asked, code, local)

    @staticmethod
    def _allowed(
        records: Sequence[ProcedureRecord], allowed: Callable[[ProcedureRecord], bool] | None
    ) -> list[ProcedureRecord]:
        return [r for r in records if allowed is None or allowed(r)]

    def _named(self, reading: Normalized) -> list[ProcedureRecord]:
        """Records of the one listed name the question names: nearly all the question's
        subject words are in it, and a fair share of its own (weighted by rarity among the
        listed names), its school levels asked too. Two names held nearly alike are no
        answer: the question does not say which."""
        asked = subject_words(reading)
        levels = set(reading.levels)
        if len(asked) < MIN_NAME_WORDS:
            return []
        unknown = max(self._weight.values(), default=1.0)
        asked_total = sum(self._weight.get(w, unknown) for w in asked)
        scored: list[tuple[float, float, str]] = []
        for key, name in self._names.items():
            if name.levels and not name.levels <= levels:
                continue
            held = name.words & asked
            total = sum(self._weight[w] for w in name.words)
            if len(held) < MIN_NAME_WORDS or not total:
                continue
            weight = sum(self._weight[w] for w in held)
            # a name the question holds a sliver of is no reading of it ("chuyển đổi … môi
            # trường" for "chuyển trường"), nor a rival to one
            if weight / total >= NAME_COVERAGE:
                scored.append((weight / asked_total, weight / total, key))
        scored.sort(reverse=True)
        if not scored or scored[0][0] < QUESTION_COVERAGE:
            return []
        if len(scored) > 1 and scored[0][0] - scored[1][0] < QUESTION_MARGIN:
            return []
        return self._by_key[scored[0][2]]


def fact_value(record: ProcedureRecord, aspect: str) -> tuple[str, str] | None:
    """(fact, value) answering an aspect: the first of its facts the record holds."""
    found = fact_values(record, aspect)
    return found[0] if found else None


def fact_values(record: ProcedureRecord, aspect: str) -> list[tuple[str, str]]:
    """The (fact, value) pairs answering an aspect: the first fact the record holds, and the
    facts said together with it."""
    for fact in ASPECT_FACTS[aspect]:
        if value := record.fact(fact):
            together = _TOGETHER.get(aspect, ())
            if fact not in together:
                return [(fact, value)]
            return [(f, v) for f in together if (v := record.fact(f))]
    return []


# ------------------------------------------------------------------------------------------
# The answer


def _lead(finding: CatalogueFinding) -> str:
    """The line or two that answer: the asked facts of the first record, or what the code is."""
    record = finding.records[0]
    if not finding.asked:
        field_note = f" (lĩnh vực {record.field})" if record.field else ""
        if finding.code:
            lead = f"Mã {finding.code} là thủ tục “{record.name}”{field_note}."
            if record.abolished:
                lead += f" {record.decision_label()} đưa thủ tục này vào danh mục bị bãi bỏ."
            return lead
        code = f", mã {record.code}" if record.code else ""
        return f"{record.decision_label()} có thủ tục “{record.name}”{code}{field_note}."
    lines = []
    for aspect in finding.asked:
        found = fact_values(record, aspect)
        lines += [f"{LABELS[fact]}: {value}" for fact, value in found]
        if not found:
            lines.append(f"{LABELS[ASPECT_FACTS[aspect][0]]}: danh mục không ghi.")
    return "\n".join(lines)


def catalogue_text(
    finding: CatalogueFinding, general: str | None = None, card_name: str | None = None
) -> tuple[str, str]:
    """The answer's text and its lead. `general` is the card's answer, said after the lists
    (under `card_name`) when the question named a province."""
    lead = _lead(finding)
    records = [
        {
            "name": r.name,
            "code": r.code,
            "facts": [(label, value) for fact, label, value in r.facts() if fact != "code"]
            + [
                (header, clipped_note(value))
                for header, value in r.extra.items()
                if _NOTE_HEADER.search(fold_phrase(header))
            ],
            "abolished": r.abolished,
            "decision": r.decision_label(),
            "province": r.province,
            "section": r.section,
        }
        for r in finding.records
    ]
    text = render(
        "answer_catalogue.txt",
        lead=lead,
        records=records,
        local=finding.local,
        general=general,
        card_name=card_name,
    )
    return text, lead


def record_citation(
    record: ProcedureRecord, asked: list[str], chunks: Sequence[Chunk], label: str
) -> Citation:
    """The record's row, cited: the passage of the row (or form line) holding the first asked
    fact, quoted down to the fields that name the procedure and hold what was asked."""
    found = next((f for a in asked if (f := fact_value(record, a))), None)
    section = record.section_of(found[0]) if found else record.section
    probes = [p for p in (record.code, record.name, found[1] if found else None) if p]
    in_section = [c for c in chunks if c.section == section]
    chunk = next(
        (c for c in in_section if any(_holds(c.text, p) for p in probes[-1:])),
        in_section[0] if in_section else None,
    )
    quote = _quote(chunk.shown, probes) if chunk else _summary(record)
    return Citation(
        doc_id=record.doc_id,
        title=label,
        so_hieu=record.so_hieu,
        section=section,
        quote=quote,
        score=1.0,
    )


def _holds(text: str, value: str) -> bool:
    return fold_phrase(value)[:40] in fold_phrase(text)


def _quote(text: str, probes: list[str]) -> str:
    if len(text) <= QUOTE_CHARS:
        return text
    parts = [p.strip() for line in text.split("\n") for p in line.split(" · ")]
    kept = [p for p in parts if any(_holds(p, probe) for probe in probes)]
    return (" · ".join(kept) or text)[:QUOTE_CHARS]


def _summary(record: ProcedureRecord) -> str:
    return " · ".join(f"{label}: {value}" for _, label, value in record.facts()) or record.name


def clipped_note(value: str) -> str:
    """A note column's value cut to NOTE_CHARS, its footnotes kept whole: a list's footnote
    often says why ("… xác định đây không phải thủ tục hành chính đặc thù"), after the
    texts the cell cites."""
    notes = INLINED_FOOTNOTE.findall(value)
    head = INLINED_FOOTNOTE.sub("", value)
    if len(head) > NOTE_CHARS:
        head = head[:NOTE_CHARS].rstrip() + "…"
    return head + "".join(notes)
