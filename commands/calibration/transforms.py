"""Rewriting a generated question the way people type it, each rewrite named.

Every transform takes the question and a seeded `random.Random`, and returns the rewritten
question or None when it does not apply (nothing to reorder, no word to misspell). The words
come from the lexicon (chat spellings, fillers, places) and `transforms.yaml`; the labels of a
question never change, so a rewrite must keep what it asks.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from motcua.lexicon import vocabulary
from motcua.lexicon.vocabulary import Phrase, written_tokens
from motcua.text import fold, nfc, strip_diacritics

PACKAGE = "motcua.commands.calibration"

# Applied in this order whatever order a combination names them: structure first, then the
# context and politeness wrapped around it, then the letters, chat, and marks.
ORDER = ("reordered", "place", "greeting", "typo", "chat", "stripped")

_LETTERS = re.compile(r"^[^\W\d_]+$")
_PUNCT = re.compile(r"[?!,;:“”\"()…]+|\.(?!\d)")


def load_data(name: str) -> Any:
    return yaml.safe_load(resources.files(PACKAGE).joinpath(name).read_text(encoding="utf-8"))


@cache
def _data() -> dict:
    return load_data("transforms.yaml")


@cache
def _places() -> dict:
    return yaml.safe_load(
        resources.files("motcua.lexicon").joinpath("places.yaml").read_text(encoding="utf-8")
    )


def provinces() -> list[str]:
    # Abbreviations (HCM, TPHCM) are how people type, but not how a sentence names a home.
    return [p for p in _places()["provinces"] if not p.isupper()]


@dataclass(frozen=True)
class Setting:
    """What a question is about, for context that must fit it."""

    levels: tuple[str, ...] = ()  # school levels of the card asked about
    place_ok: bool = True  # a home province does not change what is asked
    situation: bool = False  # the procedure is named by a situation ("mất bằng tốt nghiệp")


def lower_first(text: str) -> str:
    """Lower-case the first letter unless the first word is an acronym ("THCS", "GD&ĐT")."""
    first = text.split(" ", 1)[0]
    if len(first) > 1 and first[1:2].isupper():
        return text
    return text[:1].lower() + text[1:]


def _body(question: str) -> tuple[str, str]:
    """The question without its final mark, and the mark."""
    stripped = question.rstrip()
    if stripped.endswith("?"):
        return stripped[:-1].rstrip(), "?"
    return stripped, ""


# -- stripped ---------------------------------------------------------------------------


def stripped(question: str, rng: random.Random, setting: Setting) -> str | None:
    return strip_diacritics(question)


# -- chat -------------------------------------------------------------------------------


@cache
def _chat_spellings() -> dict[Phrase, tuple[Phrase, ...]]:
    """Written words -> the chat spellings that stand for them, as the lexicon lists them."""
    out: dict[Phrase, list[Phrase]] = {}
    for spelling, written in vocabulary().chat_anywhere.items():
        out.setdefault(written, []).append(spelling)
    return {w: tuple(s) for w, s in out.items()}


def chat(question: str, rng: random.Random, setting: Setting) -> str | None:
    """Chat spellings for written words, lower case, no punctuation."""
    table = _chat_spellings()
    longest = max(len(k) for k in table)
    tokens = _PUNCT.sub(" ", nfc(question)).split()
    lowered = [t.lower() for t in tokens]
    out: list[str] = []
    i = 0
    changed = False
    while i < len(tokens):
        for size in range(min(longest, len(tokens) - i), 0, -1):
            key = tuple(lowered[i : i + size])
            spellings = table.get(key)
            # A word with one spelling is often regional ("mần" for "làm"): used less often.
            if spellings and rng.random() < (0.75 if len(spellings) > 1 else 0.2):
                # The lexicon lists the common spelling first.
                weights = [1.0 / (rank + 1) for rank in range(len(spellings))]
                out.append(" ".join(rng.choices(spellings, weights)[0]))
                i += size
                changed = True
                break
        else:
            out.append(lowered[i])
            i += 1
    return " ".join(out) if changed else None


# -- typo -------------------------------------------------------------------------------


def _misspell(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word))
    edit = rng.choice(("drop", "double", "swap"))
    if edit == "drop":
        return word[:i] + word[i + 1 :]
    if edit == "double":
        return word[:i] + word[i] + word[i:]
    return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]


def typo(question: str, rng: random.Random, setting: Setting) -> str | None:
    """One or two letters dropped, doubled or swapped in words of three letters or more;
    numbers, codes and acronyms are left alone (the answer is checked against them)."""
    tokens = question.split(" ")
    # Only pure-letter words: "30/2020/NĐ-CP", "GD&ĐT", "1655" and "THCS" never change.
    spots = [
        i
        for i, t in enumerate(tokens)
        if len(t.strip("?,.")) >= 3 and _LETTERS.match(t.strip("?,.")) and not t.isupper()
    ]
    if not spots:
        return None
    edits = min(rng.choice(_data()["typo_edits"]), len(spots))
    for i in rng.sample(spots, edits):
        word = tokens[i]
        core = word.strip("?,.")
        start = word.index(core)
        new = core
        while new == core:
            new = _misspell(core, rng)
        tokens[i] = word[:start] + new + word[start + len(core) :]
    return " ".join(tokens)


# -- place ------------------------------------------------------------------------------


def place(question: str, rng: random.Random, setting: Setting) -> str | None:
    """A home province, a school or a country before the question."""
    # A question naming a place or a pupil already ("… lớp 10 ở Bắc Ninh", "con em đang học
    # lớp 8") would get two contexts that may contradict each other.
    if not setting.place_ok or names_a_place(question) or "đang học lớp" in question:
        return None
    data = _data()
    kinds = ["province", "abroad"]
    if setting.levels:
        kinds.append("school")
    kind = rng.choice(kinds)
    template = rng.choice(data["place"][kind])
    level = rng.choice(setting.levels) if setting.levels else ""
    context = template.format(
        province=rng.choice(provinces()),
        abroad=rng.choice(data["abroad"]),
        school=rng.choice(data["schools"]),
        level=level,
    )
    return context + lower_first(question)


# -- greeting ---------------------------------------------------------------------------


@cache
def _fillers() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """The lexicon's fillers split into addresses, asking phrases and tails."""
    tails = set(_data()["tail_words"])
    written = [" ".join(p) for p in vocabulary().fillers]
    addresses = tuple(sorted(f for f in written if f.endswith(" ơi")))
    asks = tuple(sorted(f for f in written if "hỏi" in f.split()))
    return addresses, asks, tuple(sorted(f for f in written if f in tails))


def _pronoun(phrase: str) -> str | None:
    return next((w for w in phrase.split() if w in {"em", "mình", "tôi", "con", "cháu"}), None)


def greeting(question: str, rng: random.Random, setting: Setting) -> str | None:
    """An address and an asking phrase before the question, a polite tail after it."""
    addresses, asks, tails = _fillers()
    body, mark = _body(question)
    shape = rng.choice(("address+ask", "ask", "address+ask+tail", "tail", "ask+tail"))
    ask = rng.choice(asks) if "ask" in shape else ""
    own = _pronoun(ask)
    prefix = ""
    if "address" in shape:
        # "em ơi, em hỏi chút" calls the bot what the asker calls themself.
        prefix = rng.choice([a for a in addresses if own is None or _pronoun(a) != own]) + " "
    if ask:
        prefix += ask + " "
    out = prefix + (lower_first(body) if prefix else body)
    if "tail" not in shape:
        return out + mark
    # One speaker: "cho mình hỏi … giúp em với" mixes two.
    tail = rng.choice([t for t in tails if _pronoun(t) in (None, own or "em")])
    if "cảm ơn" in tail:
        return f"{out}{mark} {tail}"  # thanks follow the question
    return f"{out} {tail}{mark}"


# -- reordered --------------------------------------------------------------------------


def reordered(question: str, rng: random.Random, setting: Setting) -> str | None:
    """The asked part first: "… nộp hồ sơ ở đâu?" -> "ở đâu thì nộp hồ sơ …?"."""
    body, mark = _body(question)
    match = re.match(r"^Theo (.+?), (.+)$", body)
    if match:
        return f"{lower_first(match.group(2))} theo {match.group(1)}{mark or '?'}"
    rules: dict[str, str] = _data()["reorder"]
    low = body.lower()
    for ending in sorted(rules, key=len, reverse=True):
        if low.endswith(" " + ending):
            rest = body[: -len(ending)].strip()
            rest = re.sub(r"\s+thì$", "", rest)
            if rest.endswith(" là"):
                return None  # "ngày ban hành của X là ngày nào": nothing to move
            # "con em đang học lớp 8, muốn chuyển trường": the context stays first.
            context, sep, asked = rest.rpartition(", muốn ")
            context = context + ", " if sep else ""
            asked = asked if sep else re.sub(r"^[Mm]uốn\s+", "", rest)
            if len(asked.split()) < 2:
                return None
            template = rules[ending]
            if setting.situation and not context and " để " in template:
                return None  # "cần giấy tờ gì để mất bằng tốt nghiệp" says the opposite
            return context + template.format(rest=lower_first(asked)) + (mark or "?")
    return None


TRANSFORMS: dict[str, Callable[[str, random.Random, Setting], str | None]] = {
    "reordered": reordered,
    "place": place,
    "greeting": greeting,
    "typo": typo,
    "chat": chat,
    "stripped": stripped,
}


def apply(
    question: str, transform: str, rng: random.Random, setting: Setting = Setting()
) -> str | None:
    """The question rewritten by `transform` ("chat", "chat+stripped", …), or None when one of
    its parts does not apply."""
    names = transform.split("+")
    unknown = [n for n in names if n not in TRANSFORMS]
    if unknown:
        raise ValueError(f"unknown transform(s): {', '.join(unknown)}")
    out: str | None = question
    for name in sorted(names, key=ORDER.index):
        out = TRANSFORMS[name](out, rng, setting)
        if out is None:
            return None
    return " ".join(out.split()) if out != question else None


def chat_words(question: str) -> set[Phrase]:
    """The lexicon's chat spellings a question holds (for tests and reports)."""
    tokens = written_tokens(question)
    spellings = {s for group in _chat_spellings().values() for s in group}
    return {
        tuple(tokens[i : i + len(s)]) for s in spellings for i in range(len(tokens))
    } & spellings


def names_a_place(question: str) -> bool:
    """Whether a province or country of the lexicon is named (for tests and reports)."""
    folded = f" {' '.join(fold(question).split())} "
    names = [*provinces(), *_data()["abroad"]]
    return any(f" {fold(n)}" in folded for n in names)


__all__: Sequence[str] = (
    "ORDER",
    "Setting",
    "TRANSFORMS",
    "apply",
    "chat_words",
    "lower_first",
    "names_a_place",
    "provinces",
)
