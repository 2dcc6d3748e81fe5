"""Questions from procedure cards: every aspect of the lexicon asked of the procedure named
the way people name it (with its level when a sibling card differs only by level), the answer
a distinctive phrase of the aspect's field."""

from __future__ import annotations

import random
import re
from collections.abc import Sequence

from motcua.commands.calibration.generated_question import (
    KIND_PROCEDURE,
    PROCEDURE_TRANSFORMS,
    _Base,
)
from motcua.commands.calibration.phrases import (
    _common_words,
    _function_words,
    _keep_phrases,
    _padded,
    _questions_data,
    _salient,
    _words,
)
from motcua.commands.calibration.transforms import Setting, lower_first
from motcua.ingest.cards import ProcedureCard, card_to_document
from motcua.lexicon import vocabulary
from motcua.text import fold, fold_phrase


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
