"""Answers from procedure cards: does a card fit the question, and what it says first.

A card answers only the procedure it describes: a question about papers it does not handle
("bản sao học bạ" beside the card "bản sao văn bằng"), about another action on the same paper
("công nhận văn bằng do nước ngoài cấp") or about another procedure gets no card, however
alike their words. A question that asks one aspect (the fee, the time, where) gets that
field first, then the whole card; a place named in the question is answered with the general
rule and the note that the local one-stop desk decides.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache

from motcua.bot.answering.answerability import IndexTerms
from motcua.bot.answering.templates import render
from motcua.index.lexical import QUERY_STOPWORDS
from motcua.ingest.cards import ProcedureCard
from motcua.lexicon import Normalized, normalize, vocabulary
from motcua.text import fold_phrase
from motcua.types import Hit, Suggestion

MAX_LEAD_ASPECTS = 2
MAX_SUGGESTIONS = 3
# Share of a card's own name (weighted by rarity) a question must hold to be about that
# procedure when it names papers the card does not: "chuyển trường cần học bạ không" holds
# "chuyển trường"; "xin bản sao học bạ" holds nothing of "chuyển trường".
NAMES_PROCEDURE = 0.5


@cache
def _card_reading(card_id: str, text: str) -> Normalized:
    return normalize(text)


def card_objects(card: ProcedureCard) -> set[str]:
    """The papers a card's procedure acts on, as its official name says ("Cấp bản sao văn
    bằng…"); its keywords may name papers it only involves ("rút học bạ" of a transfer)."""
    return set(_card_reading(card.id, card.ten).objects)


def card_actions(card: ProcedureCard) -> set[str]:
    """What a card's procedure does, as its official name says ("Cấp bản sao …" -> bản sao)."""
    return set(_card_reading(card.id, card.ten).actions)


def names_procedure(card: ProcedureCard, reading: Normalized, terms: IndexTerms) -> bool:
    """The question holds most of what names the card's procedure (beyond levels, papers)."""
    name = _card_reading(card.id, card.ten)
    dropped = name.covered("level") | name.covered("object")
    words = {
        t.folded
        for i, t in enumerate(name.tokens)
        if i not in dropped and t.folded not in QUERY_STOPWORDS
    }
    asked = {t.folded for t in reading.tokens}
    total = sum(terms.folded.idf(w) for w in words)
    return bool(total) and sum(terms.folded.idf(w) for w in words & asked) / total >= (
        NAMES_PROCEDURE
    )


def card_levels(card: ProcedureCard) -> frozenset[str]:
    """The levels a card serves, as the lexicon names them ("Tiểu học" -> "tiểu học")."""
    return _levels_named(tuple(card.cap_hoc))


@cache
def _levels_named(names: tuple[str, ...]) -> frozenset[str]:
    vocab = vocabulary()
    return frozenset(vocab.level_named(name) or name for name in names)


def named_levels(reading: Normalized) -> set[str]:
    """The school levels a question names: grades ("lớp 7") and general levels as the reader
    marks them, and the levels without grades ("mầm non", "đại học", "GDTX")."""
    return set(reading.levels) | vocabulary().levels_in(tuple(t.folded for t in reading.tokens))


def levels_served(cards: Iterable[ProcedureCard], reading: Normalized) -> bool:
    """Whether some card serves a school level the question names (True when it names none):
    "công nhận trường mầm non đạt chuẩn" is no procedure of cards for primary and secondary
    schools. A card of the other general level stays evidence of its procedure ("chuyển
    trường lớp 8" beside the THPT card); which one answers is the level sort's to say."""
    levels = named_levels(reading)
    return not levels or any(levels & card_levels(card) for card in cards)


def card_fits(card: ProcedureCard, reading: Normalized, terms: IndexTerms) -> bool:
    """False when the question asks about papers this card does not handle, or only asks
    for what other procedures do ("nhận bằng bản chính" of the card "cấp bản sao")."""
    actions, done = set(reading.actions), card_actions(card)
    if actions and done and not actions & done:
        return False
    asked = set(reading.objects)
    if not asked:
        # Nothing of a procedure read (no paper, no action, no aspect of one): no card.
        # "học sinh Ninh Thuận tựu trường ngày nào?" shares a pupil, a school and a level
        # with the transfer card's name, and asks nothing the card holds.
        return bool(actions or reading.aspects)
    handled = card_objects(card)
    if handled:
        return bool(asked & handled)
    if done:
        # A card named by what it does ("Chuyển trường đối với học sinh …") handles a paper
        # only within that ("học bạ" of a transfer): "xin giấy xác nhận học sinh" shares its
        # name's "học sinh", not its procedure.
        return bool(actions & done)
    return names_procedure(card, reading, terms)


def papers_unnamed(reading: Normalized, passages: Iterable[str]) -> bool:
    """The question asks about papers and none of `passages` names any of them: "cấp lại giấy
    khen" met by a catalogue's "cấp lại giấy phép lao động" shares the request, not the
    procedure. Papers read from one syllable ("bằng") are left out, as the preposition "bằng"
    reads alike."""
    papers = {s.value for s in reading.of("object") if s.end - s.first > 1}
    if not papers:
        return False
    objects = vocabulary().objects
    names = [f" {' '.join(name)} " for paper in papers for name in objects[paper]]
    folded = (f" {fold_phrase(p)} " for p in passages)  # each passage once, and only if needed
    return not any(n in text for text in folded for n in names)


def _field_text(card: ProcedureCard, field: str) -> str:
    value = getattr(card, field)
    if field == "can_cu_phap_ly":
        return "; ".join(f"{b.so_hieu} ({b.ten})" for b in value)
    if field == "ma_thu_tuc":
        return "; ".join(value) if value else "thẻ thủ tục chưa ghi mã; tra trên Cổng Dịch vụ công"
    if isinstance(value, list):
        return "; ".join(str(v).rstrip(".") for v in value) + "."
    return str(value)


def card_lead(card: ProcedureCard, reading: Normalized) -> str | None:
    """The asked aspects' fields, one line each ("steps" asks for the whole card)."""
    vocab = vocabulary()
    asked = [a for a in reading.aspects if a != "steps"][:MAX_LEAD_ASPECTS]
    if not asked:
        return None
    lines = [
        f"{vocab.aspect(key).label}: {_field_text(card, vocab.aspect(key).field)}" for key in asked
    ]
    return "\n".join(lines)


def card_answer(
    card: ProcedureCard, reading: Normalized, portal_url: str
) -> tuple[str, str | None]:
    """The card as an answer, and its lead (None when no single aspect was asked)."""
    lead = card_lead(card, reading)
    text = render(
        "answer_procedure.txt",
        card=card,
        lead=lead,
        places=reading.places,
        portal_url=portal_url,
    )
    return text, lead


def card_suggestion(card: ProcedureCard, reading: Normalized) -> Suggestion:
    """A card offered back, asking the aspect the question asked ("…: lệ phí?")."""
    aspect = next((a for a in reading.aspects if a != "steps"), None)
    asked = f": {vocabulary().aspect(aspect).label.lower()}" if aspect else ""
    return Suggestion(label=card.ten, question=f"{card.ten}{asked}?")


def suggestions_for(
    reading: Normalized,
    ranked: list[Hit],
    cards: dict[str, ProcedureCard],
    passage: Callable[[Hit], tuple[str, str]],
) -> list[Suggestion]:
    """The closest procedures or passages, one per document, as questions to choose from."""
    offered: list[Suggestion] = []
    for hit in ranked:
        if len(offered) == MAX_SUGGESTIONS:
            break
        card = cards.get(hit.chunk.doc_id)
        if card is not None:
            suggestion = card_suggestion(card, reading)
        else:
            label, question = passage(hit)
            suggestion = Suggestion(label=label, question=question)
        if all(s.label != suggestion.label for s in offered):
            offered.append(suggestion)
    return offered
