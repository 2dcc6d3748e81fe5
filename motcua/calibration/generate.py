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
from collections.abc import Iterable, Sequence
from functools import cache
from typing import TYPE_CHECKING

from motcua.calibration.document_questions import _document_bases
from motcua.calibration.generated_question import (
    KIND_OUT_OF_SCOPE,
    KIND_PROCEDURE,
    PROCEDURE_TRANSFORMS,
    GeneratedQuestion,
    _Base,
    _rows,
    _slug,
)
from motcua.calibration.phrases import (
    _common_words,
    _contains,
    _function_words,
    _keep_phrases,
    _padded,
    _questions_data,
    _salient,
    _words,
)
from motcua.calibration.transforms import Setting, load_data, lower_first, provinces
from motcua.ingest.cards import ProcedureCard, card_to_document
from motcua.ingest.restoration.spelling import normalize_tone
from motcua.ingest.text_layer import is_ocr_text
from motcua.lexicon import vocabulary
from motcua.text import fold, fold_phrase, nfc
from motcua.types import Chunk

if TYPE_CHECKING:  # the store opens FAISS; generating needs only its records
    from motcua.index.store import StoredDocument

GROUP_NEAR = "oos:near-education"
GROUP_NO_CARD = "oos:no-card"


@cache
def _oos_data() -> dict:
    return load_data("out_of_scope.yaml")


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
