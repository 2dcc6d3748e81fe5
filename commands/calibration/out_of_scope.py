"""Questions the bot must decline: other sectors' procedures, near-domain education
questions and education procedures with no card (`out_of_scope.yaml`), each dropped when a text
of the index names its topic."""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from functools import cache
from typing import TYPE_CHECKING

from motcua.commands.calibration.generated_question import (
    KIND_OUT_OF_SCOPE,
    PROCEDURE_TRANSFORMS,
    _Base,
    _slug,
)
from motcua.commands.calibration.phrases import _contains, _padded, _questions_data, _words
from motcua.commands.calibration.transforms import load_data, provinces
from motcua.ingest.cards import ProcedureCard, card_to_document
from motcua.ingest.restoration.spelling import normalize_tone
from motcua.ingest.text_layer import is_ocr_text
from motcua.text import nfc
from motcua.types import Chunk

if TYPE_CHECKING:  # the store opens FAISS; generating needs only its records
    from motcua.index.store import StoredDocument


GROUP_NEAR = "oos:near-education"
GROUP_NO_CARD = "oos:no-card"


@cache
def _oos_data() -> dict:
    return load_data("out_of_scope.yaml")


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


def dropped_out_of_scope(
    documents: Sequence[StoredDocument], chunks: Sequence[Chunk], cards: Sequence[ProcedureCard]
) -> list[str]:
    """The out-of-scope topics left out because a document of the index names them."""
    cards_text = [card_to_document(c).text for c in cards]
    return _out_of_scope_bases(_IndexText(documents, chunks, cards_text), 0)[1]
