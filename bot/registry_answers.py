"""Answers from the decree registry: what a numbered document rests on, amends or replaces.

Staff ask "kế hoạch 1655 căn cứ văn bản nào?", "Nghị định 92/2017 sửa đổi văn bản nào?",
"văn bản nào sửa đổi Nghị định 61/2018?". The registry holds these links, parsed from the
documents; the answer names each linked document and cites the passages that state the link.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from motcua.ingest.registry import DecreeRegistry, LegalDocRecord
from motcua.text import fold_phrase

# A document number in a question: "1655", "92/2017", "61/2018/ND-CP", "01a".
_NUMBER = re.compile(r"\b\d{1,5}[a-z]?(?: \d{4})?\b")
_BASIS = re.compile(r"\bcan cu\b")
# "Nghị định nào quy định …", "… theo thông tư nào?", "văn bản nào quy định …"
_WHICH_TEXT = re.compile(r"\b(nghi dinh|thong tu|quyet dinh|nghi quyet|chi thi|luat|van ban) nao\b")
# Nearly every word of the question must be in a record's subject, as phrases: a looser
# match would name a decree for a question the documents do not answer.
SUBJECT_MIN_SCORE = 0.8
SUBJECT_MIN_WORDS = 3  # "quyết định nào phê duyệt …" alone names no subject
SUBJECT_MAX_TEXTS = 3
# (pattern, relation when the asked document does it, relation when it undergoes it)
_RELATIONS = (
    (re.compile(r"\b(sua doi|bo sung)\b"), "amends", "amended_by", "sửa đổi, bổ sung"),
    (re.compile(r"\bthay the\b"), "replaces", "replaced_by", "thay thế"),
    (re.compile(r"\b(bai bo|huy bo)\b"), "repeals", "repealed_by", "bãi bỏ"),
)


@dataclass
class RegistryAnswer:
    lines: list[str]  # one per linked document, already labelled
    heading: str
    mentions: list[tuple[str, str]]  # (doc_id, passage) stating the links, best first


def _target(question: str, registry: DecreeRegistry) -> tuple[LegalDocRecord, int] | None:
    folded = fold_phrase(question)
    number = _NUMBER.search(folded)
    if number is None or len(registry) == 0:
        return None
    found = registry.search(question, limit=1)
    return (found[0], number.start()) if found else None


def registry_answer(question: str, registry: DecreeRegistry) -> RegistryAnswer | None:
    target = _target(question, registry)
    if target is None:
        return _regulating(question, registry)
    record, number_at = target
    folded = fold_phrase(question)
    if _BASIS.search(folded) and record.doc_id:
        bases = [
            r
            for r in registry.cited_in(record.doc_id)
            if any(m.basis for m in r.cited_by if m.doc_id == record.doc_id)
        ]
        if not bases:
            return None
        mentions = [
            (m.doc_id, m.passage)
            for r in bases
            for m in r.cited_by
            if m.doc_id == record.doc_id and m.basis
        ]
        return RegistryAnswer([r.label() for r in bases], f"{record.label()} căn cứ:", mentions)
    for pattern, active, passive, verb in _RELATIONS:
        match = pattern.search(folded)
        if not match:
            continue
        # "Nghị định 92/2017 sửa đổi văn bản nào" (it amends) vs "văn bản nào sửa đổi
        # Nghị định 61/2018" (it is amended): the number's side of the verb decides.
        relation = active if number_at < match.start() else passive
        linked = [registry.get(key) for key in getattr(record, relation)]
        linked = [r for r in linked if r is not None]
        if not linked:
            return None
        heading = (
            f"{record.label()} {verb}:"
            if relation == active
            else f"{record.label()} được {verb} bởi:"
        )
        mentions = _mentions_of_link(record, linked)
        return RegistryAnswer([r.label() for r in linked], heading, mentions)
    return None


def _mentions_of_link(
    record: LegalDocRecord, linked: list[LegalDocRecord]
) -> list[tuple[str, str]]:
    """Passages that name both documents of a link, else the linked documents' own mentions."""
    numbers = [r.so_hieu for r in (record, *linked) if r.so_hieu]
    folded_numbers = [
        fold_phrase(n.split("/")[0] + "/" + n.split("/")[1]) if "/" in n else fold_phrase(n)
        for n in numbers
    ]
    both = []
    for r in (record, *linked):
        for m in r.cited_by:
            text = fold_phrase(m.passage)
            if sum(n in text for n in folded_numbers) >= 2:
                both.append((m.doc_id, m.passage))
    if both:
        return list(dict.fromkeys(both))
    own = [(r.doc_id, r.title or r.subject or r.label()) for r in (record, *linked) if r.doc_id]
    return own


def _regulating(question: str, registry: DecreeRegistry) -> RegistryAnswer | None:
    """Which legal text regulates a subject, from the subjects citing texts give ("Nghị định
    45/2020/NĐ-CP … về thực hiện TTHC trên môi trường điện tử"). A text repealed or replaced
    gives way to its successor; amending texts are named beside the text they amend."""
    folded = fold_phrase(question)
    if not _WHICH_TEXT.search(folded) or _NUMBER.search(folded) or len(registry) == 0:
        return None
    found = registry.by_subject(question, SUBJECT_MIN_SCORE, min_words=SUBJECT_MIN_WORDS)
    if not found:
        return None
    best = found[0][0]
    chosen: list[LegalDocRecord] = []
    for score, record in found:
        if score < best or len(chosen) == SUBJECT_MAX_TEXTS:
            break
        current = _in_force(record, registry)
        amended = [registry.get(key) for key in current.amends]
        target = next((r for r in amended if r is not None), None)
        if target is not None and any(r.key == target.key for _, r in found):
            current = target  # "sửa đổi, bổ sung Nghị định 61/2018 về …" names 61/2018
        if current.key not in {r.key for r in chosen}:
            chosen.append(current)
    lines = []
    for record in chosen:
        amenders = [r for r in (registry.get(k) for k in record.amended_by) if r is not None]
        line = f"{record.label()} {record.title or record.subject or ''}".strip()
        if amenders:
            line += " (được sửa đổi, bổ sung bởi " + ", ".join(r.label() for r in amenders) + ")"
        lines.append(line)
    mentions = [(m.doc_id, m.passage) for record in chosen for m in record.cited_by]
    mentions += [(r.doc_id, r.title or r.subject or r.label()) for r in chosen if r.doc_id]
    return RegistryAnswer(lines, "Văn bản quy định nội dung này:", mentions)


def _in_force(record: LegalDocRecord, registry: DecreeRegistry) -> LegalDocRecord:
    """The record, or what repealed or replaced it (followed to the newest)."""
    seen = {record.key}
    while True:
        successors = [registry.get(k) for k in (*record.replaced_by, *record.repealed_by)]
        successor = next((r for r in successors if r is not None and r.key not in seen), None)
        if successor is None:
            return record
        seen.add(successor.key)
        record = successor
