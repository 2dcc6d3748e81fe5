"""Answers from the decree registry: what a numbered document rests on, amends or replaces.

Staff ask "kế hoạch 1655 căn cứ văn bản nào?", "Nghị định 92/2017 sửa đổi văn bản nào?",
"văn bản nào sửa đổi Nghị định 61/2018?", "Nghị định 63/2010 đã được sửa đổi chưa?",
"Nghị định 110/2004 còn hiệu lực không?". The registry holds these links, parsed from the
documents; the answer names each linked document and cites the passages that state the link.
When the question names the wrong type of text ("Thông tư 30/2020" for a Nghị định, "thông tư
nào quy định …" answered by a Nghị định), the answer says which type the text really is.
The question is read by `registry_questions`; wording lives in `prompts/registry_phrases.txt`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from motcua.bot.answering.registry_questions import (
    RELATIONS,
    Reference,
    asks_validity,
    first_reference,
    folded_question,
    real_type,
    relation_asked,
    same_type,
    wh_type,
    without,
)
from motcua.bot.answering.templates import environment
from motcua.ingest.citations.document_numbers import (
    key_parts,
    normalize_so_hieu,
    so_hieu_key,
)
from motcua.ingest.registry import DecreeRegistry, LegalDocRecord
from motcua.text import dmy, fold_phrase
from motcua.types import DocumentMeta

# A document number in a question: "1655", "92/2017", "61/2018/ND-CP", "01a".
_NUMBER = re.compile(r"\b\d{1,5}[a-z]?(?: \d{4})?\b")
_BASIS = re.compile(r"\bcan cu\b")
# The types of text a question asks for by "… nào", folded.
_TYPES = "van ban|ke hoach|quyet dinh|nghi dinh|thong tu|chi thi|cong van|nghi quyet|luat"
# "… căn cứ những văn bản nào?", "… thực hiện kế hoạch nào?", "… dựa trên văn bản nào?": what
# a text was made on, asked of a text named by its title (with a number, "căn cứ" suffices).
_MADE_ON = re.compile(rf"\b(can cu|thuc hien|dua tren|dua vao) (nhung |cac )?({_TYPES}) nao\b")
# "Nghị định nào quy định …", "… theo thông tư nào?", "văn bản nào quy định …"
_WHICH_TEXT = re.compile(r"\b(nghi dinh|thong tu|quyet dinh|nghi quyet|chi thi|luat|van ban) nao\b")
# Nearly every word of the question must be in a record's subject, as phrases: a looser
# match would name a decree for a question the documents do not answer.
SUBJECT_MIN_SCORE = 0.8
SUBJECT_MIN_WORDS = 3  # "quyết định nào phê duyệt …" alone names no subject
SUBJECT_MAX_TEXTS = 3

# What answers for a link the documents do not state, first found first: replacing and
# repealing stand in for each other; repealing part of a text is named, as such, when its
# amendment or repeal is asked about.
_INSTEAD = {
    "replaced_by": ("repealed_by",), "repealed_by": ("replaced_by", "partly_repealed_by"),
    "replaces": ("repeals",), "repeals": ("replaces", "partly_repeals"),
    "amended_by": ("partly_repealed_by",), "amends": ("partly_repeals",),
}  # fmt: skip
_VERB_OF = {rel: verb for _, active, passive, verb in RELATIONS for rel in (active, passive)}
_VERB_OF |= {"partly_repeals": "bãi bỏ một phần", "partly_repealed_by": "bãi bỏ một phần"}
# "… ban hành ngày nào", "ngày ban hành của …", "ký khi nào": the date of the text named.
_ISSUED = re.compile(
    r"\b(?:(?:ban hanh|ky)(?: vao)? (?:ngay nao|khi nao|luc nao|bao gio|nam nao)"
    r"|ngay ban hanh|ngay ky)\b"
)
# "Thông tư 30/2020 quy định gì?", "… là văn bản gì?", "… nói về việc gì?", "… về cái gì?",
# "Quyết định … phê duyệt nội dung gì?", "Thông tư … hướng dẫn vấn đề gì?"
_ABOUT = re.compile(
    r"^\W*(?:(?:quy\s+dinh|noi|co\s+noi\s+dung|ban\s+hanh|phe\s+duyet|huong\s+dan|de\s+cap)\s+)?"
    r"(?:ve\s+)?(?:viec\s+|van\s+de\s+|noi\s+dung\s+|cai\s+)?(?:la\s+)?(?:van\s+ban\s+)?gi\b"
)
# … and nothing after it but a particle: "… quy định về nội dung gì vậy?", not "… quy định gì
# về thể thức" (a question about its content, for search).
_ONLY_ABOUT = re.compile(_ABOUT.pattern + r"(?:\W+(?:vay|a|ha|nhi|nhe|ad|the|day))*\W*$")
# … unless the text is named as the owner of what is asked: "Yêu cầu của Kế hoạch 978 là gì?",
# "Trách nhiệm của UBND cấp tỉnh theo Nghị định 09/2025 là gì?" ask for a part of it (its
# subject, "nội dung của Nghị định 30/2020 là gì", still asks for what the text is about).
_PART_OF = re.compile(r"\b(?:cua|theo|trong)\W*$")
_SUBJECT_OF = re.compile(
    r"\b(?:noi\s+dung(?:\s+chinh)?|trich\s+yeu|chu\s+de|ten)\s+(?:cua|theo|trong)\W*$"
)
# Legal texts: the types a "which Thông tư / Nghị định …" question can be wrong about.
_LEGAL_TYPES = frozenset(
    {"Hiến pháp", "Luật", "Bộ luật", "Pháp lệnh", "Nghị định", "Nghị quyết", "Quyết định",
     "Thông tư", "Thông tư liên tịch", "Nghị quyết liên tịch", "Chỉ thị"}
)  # fmt: skip


@dataclass
class RegistryAnswer:
    lines: list[str]  # one per linked document, already labelled
    heading: str
    mentions: list[tuple[str, str]]  # (doc_id, passage) stating the links, best first
    note: str | None = None  # said first: the question named the wrong type of text
    caveat: str | None = None  # said after the list: what the answer rests on


@dataclass
class _Asked:
    record: LegalDocRecord
    ref: Reference
    wrong_type: str | None  # the type the question named, when the record is of another


def _phrase(name: str, *args: Any) -> str:
    """One phrase of `prompts/registry_phrases.txt`."""
    module = environment().get_template("registry_phrases.txt").module
    return str(getattr(module, name)(*args)).strip()


def _asked_text(question: str, registry: DecreeRegistry) -> _Asked | None:
    """The registry record the question's document number names, and whether the type the
    question gives it is wrong. A text of another type is taken only for a number with its
    year that no other text has: "Thông tư 5" may well be a text the documents never cite."""
    q = folded_question(question)
    ref = first_reference(q)
    if ref is None or len(registry) == 0:
        return None
    canonical = normalize_so_hieu(question)
    if canonical and key_parts(so_hieu_key(canonical))[0] == ref.digits:
        # A full number ("61/2018/NĐ-CP"): that text or nothing, never a namesake.
        wanted = so_hieu_key(canonical)
        candidates = [
            r
            for r in registry.search(canonical, limit=1)
            if wanted in {so_hieu_key(n) for n in (r.so_hieu or "", *r.aliases)}
        ]
    else:
        candidates = registry.search(ref.number, limit=50)
    if not candidates:
        return None
    if ref.named_type is None:
        return _Asked(candidates[0], ref, None)
    typed = [r for r in candidates if same_type(ref.named_type, real_type(r.so_hieu, r.doc_type))]
    if typed:
        return _Asked(typed[0], ref, None)
    if ref.year and len(candidates) == 1:
        return _Asked(candidates[0], ref, ref.named_type)
    return None


def named_text(question: str, registry: DecreeRegistry) -> LegalDocRecord | None:
    """The indexed text a question names by its number ("Trong Thông tư 101/2018, …"), if
    any: such a question is about that text, whatever sector its words belong to."""
    asked = _asked_text(question, registry)
    return asked.record if asked is not None and asked.record.doc_id else None


# -- answers --------------------------------------------------------------------------------


def registry_answer(question: str, registry: DecreeRegistry) -> RegistryAnswer | None:
    asked = _asked_text(question, registry)
    if asked is None:
        return _regulating(question, registry)
    record, ref = asked.record, asked.ref
    q = folded_question(question)
    note = (
        _phrase("number_note", ref.number, record.label(), asked.wrong_type)
        if asked.wrong_type
        else None
    )
    answer: RegistryAnswer | None = None
    if _BASIS.search(fold_phrase(question)) and record.doc_id:
        answer = _bases(record.doc_id, record.label(), registry)
    elif asks_validity(q, ref):
        answer = _validity(record, registry)
    elif (relation := relation_asked(q, ref)) is not None:
        answer = _linked(record, registry, *relation, wh=wh_type(q))
    elif record.doc_id and (
        cited := cited_subject(without(q, ref), record.doc_id, record.label(), registry)
    ):
        answer = cited
    elif record.doc_id is None and record.date and _ISSUED.search(without(q, ref)):
        # A text the documents only cite: when it was issued is what their citation says.
        answer = _issued(record)
    elif _asks_a_part(q, ref):
        pass  # search finds the part asked for
    elif asked.wrong_type and _ABOUT.match(q[ref.end :]):
        # Search would look for the wrong type; what the registry knows of the text answers.
        answer = _about(record)
    elif _ONLY_ABOUT.match(q[ref.end :]):
        # "Nghị định 30/2020 quy định về nội dung gì?": its subject, not one of its articles.
        answer = _about(record)
    if answer is not None and note:
        answer.note = note
    return answer


def _asks_a_part(q: str, ref: Reference) -> bool:
    before = q[: ref.start]
    return bool(_PART_OF.search(before)) and not _SUBJECT_OF.search(before)


def bases_asked(
    question: str, doc_id: str, label: str, registry: DecreeRegistry
) -> RegistryAnswer | None:
    """The texts a document was made on, when the question asks for them of a document it
    names by its title, not its number ("Kế hoạch tuyên truyền CCHC năm 2024 của Sở … căn cứ
    những văn bản nào?"): search found `doc_id`, its own "Căn cứ …" / "Thực hiện …" answer,
    not a passage that happens to name other texts."""
    if not _MADE_ON.search(fold_phrase(question)):
        return None
    return _bases(doc_id, label, registry)


# "Theo Kế hoạch 1655, quyết định nào phê duyệt đề án …": a text asked for by its subject among
# those a document cites; what follows the type is the subject, a verb of regulating aside.
_WHICH_CITED = re.compile(rf"\b({_TYPES}) nao(?: (?:quy dinh ve|quy dinh|noi ve|ve viec|ve))?\b")


def cited_subject(
    question: str, doc_id: str, label: str, registry: DecreeRegistry
) -> RegistryAnswer | None:
    """Which of the texts `doc_id` cites the question asks for by its subject ("Theo Nghị định
    48/2013, nghị định nào quy định về kiểm soát thủ tục hành chính?"): the texts that
    document names for it, with the passages naming them, rather than a passage of its own
    that shares the subject's words. None when no cited text's subject says it."""
    folded = fold_phrase(question)
    match = _WHICH_CITED.search(folded)
    if match is None:
        return None
    cited = registry.cited_in(doc_id)
    if not cited:
        return None
    # The type asked and the subject: a type inside the subject ("phê duyệt đề án …") is
    # part of what the text does, not what it is.
    subject = folded[match.end() :]
    asked = subject if match.group(1) == "van ban" else f"{match.group(1)} {subject}"
    found = registry.by_subject(asked, SUBJECT_MIN_SCORE, min_words=SUBJECT_MIN_WORDS, among=cited)
    if not found:
        return None
    chosen = [r for score, r in found if score == found[0][0]][:SUBJECT_MAX_TEXTS]
    lines = [_with_subject(r) for r in chosen]
    mentions = [(m.doc_id, m.passage) for r in chosen for m in r.cited_by if m.doc_id == doc_id]
    return RegistryAnswer(lines, _phrase("cited_subject", label), mentions)


def _with_subject(record: LegalDocRecord) -> str:
    """A text as a line of an answer: its label, then what it is about."""
    return f"{record.label()} {record.title or record.subject or ''}".strip()


def _bases(doc_id: str, label: str, registry: DecreeRegistry) -> RegistryAnswer | None:
    bases = [
        r
        for r in registry.cited_in(doc_id)
        if any(m.basis for m in r.cited_by if m.doc_id == doc_id)
    ]
    if not bases:
        return None
    mentions = [
        (m.doc_id, m.passage) for r in bases for m in r.cited_by if m.doc_id == doc_id and m.basis
    ]
    return RegistryAnswer([r.label() for r in bases], _phrase("based_on", label), mentions)


def _resolved(keys: list[str], registry: DecreeRegistry) -> list[LegalDocRecord]:
    return [r for r in (registry.get(k) for k in keys) if r is not None]


def _linked(
    record: LegalDocRecord, registry: DecreeRegistry, relation: str, does: bool, wh: str | None
) -> RegistryAnswer:
    """The texts linked to `record` by `relation`; a link that stands in for it (`_INSTEAD`)
    when only that one is stated, said to be another; when none is, the answer says the
    documents name none (never an invented link)."""
    asked_relation, caveat = relation, None
    linked = _resolved(getattr(record, relation), registry)
    for other in _INSTEAD[relation] if not linked else ():
        if sibling := _resolved(getattr(record, other), registry):
            asked = _VERB_OF[asked_relation]
            if other.startswith("partly") and asked == "bãi bỏ":
                asked = "bãi bỏ toàn bộ"  # "nêu việc bãi bỏ một phần, không nêu việc bãi bỏ"
            relation, linked = other, sibling
            caveat = _phrase("instead", asked, _VERB_OF[relation])
            break
    verb = _VERB_OF[relation]
    if not linked:
        heading = _phrase("none_linked", record.label(), _VERB_OF[asked_relation], not does)
        return RegistryAnswer([], heading, _own_mentions(record))
    heading = _phrase("linked", record.label(), verb, not does)
    answer = RegistryAnswer(
        [r.label() for r in linked], heading, _mentions_of_link(record, linked), caveat=caveat
    )
    if wh and not any(same_type(wh, real_type(r.so_hieu, r.doc_type)) for r in linked):
        # "Thông tư nào sửa đổi Nghị định 63/2010?" answered by a Nghị định.
        role = _phrase("link_role", record.label(), verb, not does)
        answer.note = _phrase("type_note", role, [r.label() for r in linked], wh)
    return answer


def _validity(record: LegalDocRecord, registry: DecreeRegistry) -> RegistryAnswer:
    """What the documents say of a text's standing: amended by, replaced or repealed by, or
    that they name no text that replaces or repeals it; never a verdict of their own."""
    lines: list[str] = []
    linked: list[LegalDocRecord] = []
    for relation in ("amended_by", "partly_repealed_by", "replaced_by", "repealed_by"):
        found = _resolved(getattr(record, relation), registry)
        if found:
            lines.append(_phrase("validity_link", relation, [r.label() for r in found]))
            linked += found
    ended = [r for r in linked if r.key in (*record.replaced_by, *record.repealed_by)]
    if not record.amended_by:
        lines.insert(0, _phrase("validity_not_amended"))
    # "Thông tư 06/2010 trước đây đã được thay thế": said, though by which text is not.
    said_ended = [] if ended else _ended_mentions(record)
    if said_ended:
        lines.append(_phrase("validity_said_ended"))
    elif not ended:
        lines.append(_phrase("validity_not_ended", bool(record.partly_repealed_by)))
    newest = _in_force(record, registry)
    if newest is not record and newest.key not in {r.key for r in ended}:
        lines.append(_phrase("validity_newest", newest.label()))
    mentions = _mentions_of_link(record, linked) if linked else []
    mentions += said_ended + _own_mentions(record)
    return RegistryAnswer(
        lines,
        _phrase("validity_heading", record.label()),
        list(dict.fromkeys(mentions)),
        caveat=_phrase("validity_caveat"),
    )


# Within a few words after a text's number (folded, punctuation gone): "… đã được thay thế",
# "… đã bị bãi bỏ", "… hết hiệu lực".
_ENDED_AFTER = re.compile(
    r"^.{0,60}?\b(?:(?:da )?(?:duoc|bi) (?:thay the|bai bo|huy bo)|(?:da )?het hieu luc)\b"
)


def _ended_mentions(record: LegalDocRecord) -> list[tuple[str, str]]:
    """Citing passages that say the text itself was replaced or ended, naming no successor."""
    if not record.so_hieu:
        return []
    number = _number_pattern(record.so_hieu)
    found = []
    for m in record.cited_by:
        folded = fold_phrase(m.passage)
        at = number.search(folded)
        if at and _ENDED_AFTER.search(folded[at.end() :]):
            found.append((m.doc_id, m.passage))
    return found


def _about(record: LegalDocRecord) -> RegistryAnswer | None:
    subject = record.title or record.subject
    if not subject:
        return None
    return RegistryAnswer([subject], _phrase("about", record.label()), _own_mentions(record))


def _issued(record: LegalDocRecord) -> RegistryAnswer:
    lines = [_phrase("issued_on", dmy(record.date))]
    if record.issuer:
        lines.append(_phrase("issued_by", record.issuer))
    return RegistryAnswer(lines, _phrase("issued_heading", record.label()), _own_mentions(record))


def _own_mentions(record: LegalDocRecord) -> list[tuple[str, str]]:
    """Where the text itself is: its own document, else the passages that cite it."""
    if record.doc_id:
        return [(record.doc_id, record.as_written() or record.label())]
    return [(m.doc_id, m.passage) for m in record.cited_by]


def _number_pattern(so_hieu: str) -> re.Pattern[str]:
    """A number as a folded passage writes it: "61/2018/NĐ-CP" matches "61 2018" but not
    "161 2018"."""
    head = "/".join(so_hieu.split("/")[:2]) if so_hieu.count("/") >= 2 else so_hieu
    digits = fold_phrase(head).split()
    return re.compile(r"(?<![0-9])0*" + r"\s+".join(map(re.escape, digits)) + r"(?![0-9])")


_CHANGE = re.compile(r"\b(sua doi|bo sung|thay the|bai bo|huy bo|het hieu luc)\b")


def _mentions_of_link(
    record: LegalDocRecord, linked: list[LegalDocRecord]
) -> list[tuple[str, str]]:
    """Passages that state each link: one text's own document citing the other, or a passage
    naming both; those with the verb of a change first. Else the documents' own mentions."""
    found: list[tuple[str, str]] = []
    for other in linked:
        pair = (record, other)
        numbers = [_number_pattern(r.so_hieu) for r in pair if r.so_hieu]
        candidates = [
            m
            for a, b in (pair, pair[::-1])
            for m in a.cited_by
            if (b.doc_id and m.doc_id == b.doc_id)
            or (len(numbers) == 2 and all(n.search(fold_phrase(m.passage)) for n in numbers))
        ]
        candidates.sort(key=lambda m: not _CHANGE.search(fold_phrase(m.passage)))
        found += [(m.doc_id, m.passage) for m in candidates]
    if found:
        return list(dict.fromkeys(found))
    return [(r.doc_id, r.as_written() or r.label()) for r in (record, *linked) if r.doc_id]


def _regulating(question: str, registry: DecreeRegistry) -> RegistryAnswer | None:
    """Which legal text regulates a subject, from the subjects citing texts give ("Nghị định
    45/2020/NĐ-CP … về thực hiện TTHC trên môi trường điện tử"). A text repealed or replaced
    gives way to its successor; amending texts are named beside the text they amend. When no
    text of the type asked for has the subject, a text of another type does, with a note."""
    folded = fold_phrase(question)
    if not _WHICH_TEXT.search(folded) or _NUMBER.search(folded) or len(registry) == 0:
        return None
    found = registry.by_subject(question, SUBJECT_MIN_SCORE, min_words=SUBJECT_MIN_WORDS)
    wh = wh_type(folded_question(question))
    if not found and wh:
        found = registry.by_subject(
            question, SUBJECT_MIN_SCORE, min_words=SUBJECT_MIN_WORDS, any_type=True
        )
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
        line = _with_subject(record)
        if amenders:
            line += " (được sửa đổi, bổ sung bởi " + ", ".join(r.label() for r in amenders) + ")"
        lines.append(line)
    mentions = [(m.doc_id, m.passage) for record in chosen for m in record.cited_by]
    mentions += [(r.doc_id, r.as_written() or r.label()) for r in chosen if r.doc_id]
    answer = RegistryAnswer(lines, _phrase("regulating"), mentions)
    if wh and not any(same_type(wh, real_type(r.so_hieu, r.doc_type)) for r in chosen):
        labels = [r.label() for r in chosen]
        answer.note = _phrase("type_note", _phrase("regulating_role"), labels, wh)
    return answer


def type_note(question: str, registry: DecreeRegistry, meta: DocumentMeta | None) -> str | None:
    """The note to put before an answer found by search when the question named the wrong type:
    its number is of another type in the registry ("Thông tư 30/2020 …" for Nghị định
    30/2020/NĐ-CP), or it asks "thông tư nào …" and the answering legal text (`meta`) is not
    one. None when the type is right, unknown, or the answer is not a legal text."""
    q = folded_question(question)
    if first_reference(q) is not None:
        asked = _asked_text(question, registry)
        if asked is None or not asked.wrong_type:
            return None
        return _phrase("number_note", asked.ref.number, asked.record.label(), asked.wrong_type)
    wh = wh_type(q)
    if wh is None or meta is None or not meta.so_hieu:
        return None
    real = real_type(meta.so_hieu, meta.doc_type)
    if real not in _LEGAL_TYPES or same_type(wh, real):
        return None
    return _phrase("source_note", meta.label(meta.so_hieu), wh)


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
