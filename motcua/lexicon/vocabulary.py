"""The vocabulary files of this package, read once into typed tables.

Each file says what its words are for (see its header). Phrases are kept as tuples of tokens:
folded (lower case, no marks) where a file says its entries match folded, and as written
(lower case, NFC) where marks decide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from typing import Any

import yaml

from motcua.text import fold, nfc

PACKAGE = "motcua.lexicon"
Phrase = tuple[str, ...]

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


def written_tokens(text: str) -> Phrase:
    return tuple(t.lower() for t in _TOKEN.findall(nfc(text)))


def folded_tokens(text: str) -> Phrase:
    return tuple(_TOKEN.findall(fold(nfc(text))))


@dataclass(frozen=True)
class Level:
    name: str  # as documents write it: "tiểu học", "THCS", "THPT"
    names: tuple[Phrase, ...]  # folded
    first_grade: int
    last_grade: int


@dataclass(frozen=True)
class Aspect:
    key: str  # fee, time, where, …
    label: str  # "Lệ phí"
    field: str  # the card field that answers it
    cues: tuple[Phrase, ...]  # folded


@dataclass(frozen=True)
class AnswerType:
    key: str  # amount, date, duration, count, place, document
    cues: tuple[Phrase, ...]  # folded
    patterns: tuple[re.Pattern[str], ...]  # over folded passages
    # over passages with their marks stripped and their capitals kept ("Sở X", not "sơ kết")
    names: tuple[re.Pattern[str], ...] = ()


@dataclass(frozen=True)
class Vocabulary:
    # chat spelling (written tokens) -> written replacement tokens
    chat_anywhere: dict[Phrase, Phrase]
    chat_at_end: dict[Phrase, Phrase]
    fillers: tuple[Phrase, ...]  # written
    levels: tuple[Level, ...]  # the school levels (with grades): what the question reader marks
    all_levels: dict[str, tuple[Phrase, ...]]  # every level of levels.yaml -> its names, folded
    school_levels: tuple[Phrase, ...]  # folded: every level's names and its schools' letters
    synonyms: tuple[tuple[Phrase, ...], ...]  # folded; each group's first is the documents' word
    aspects: tuple[Aspect, ...]
    objects: dict[str, tuple[Phrase, ...]]  # folded
    actions: dict[str, tuple[Phrase, ...]]  # folded: what a procedure does (bản sao, thi…)
    # (request as written, folded, the papers it may mean): "bản sao" of a văn bằng, học bạ…
    paper_requests: tuple[tuple[str, Phrase, tuple[str, ...]], ...]
    sectors: dict[str, tuple[Phrase, ...]]  # folded
    places_folded: tuple[Phrase, ...]  # multi-syllable names
    places_written: tuple[Phrase, ...]  # one-syllable names, matched as written
    place_markers: tuple[Phrase, ...]  # folded
    provinces: frozenset[str]  # folded, space-joined: the names of places.yaml's provinces
    education: tuple[Phrase, ...]  # as written: "thì" is no "thi" (an exam)
    followup_cues: tuple[Phrase, ...]  # written
    answer_types: tuple[AnswerType, ...]
    no_topic: tuple[Phrase, ...]  # written
    any_procedure: frozenset[str]  # folded, space-joined: "thu tuc", "ho so"

    @cached_property
    def chat_longest_first(self) -> tuple[tuple[Phrase, ...], tuple[Phrase, ...]]:
        """The chat spellings read anywhere and at a clause's end, each list longest first (a
        longer spelling wins where two start at one word), sorted once."""
        return (
            tuple(sorted(self.chat_anywhere, key=len, reverse=True)),
            tuple(sorted(self.chat_at_end, key=len, reverse=True)),
        )

    def synonym_group(self, canonical: str) -> tuple[Phrase, ...]:
        """The group whose documents' word is `canonical` (folded, space-joined)."""
        return next((g for g in self.synonyms if " ".join(g[0]) == canonical), ())

    def level(self, name: str) -> Level | None:
        return next((lv for lv in self.levels if lv.name == name), None)

    def level_named(self, name: str) -> str | None:
        """The level of levels.yaml that `name` names ("Tiểu học", "cấp 1" -> "tiểu học")."""
        key = folded_tokens(name)
        return next(
            (
                level
                for level, names in self.all_levels.items()
                if key in names or key == folded_tokens(level)
            ),
            None,
        )

    def levels_in(self, folded: Phrase) -> set[str]:
        """Every level of levels.yaml whose name stands in a folded token sequence, those
        without grades included ("mầm non", "đại học")."""
        padded = f" {' '.join(folded)} "
        return {
            level
            for level, names in self.all_levels.items()
            if any(f" {' '.join(n)} " in padded for n in names)
        }

    def level_of_grade(self, grade: int) -> str | None:
        return next(
            (lv.name for lv in self.levels if lv.first_grade <= grade <= lv.last_grade), None
        )

    def aspect(self, key: str) -> Aspect:
        return next(a for a in self.aspects if a.key == key)


def _load(name: str) -> Any:
    text = resources.files(PACKAGE).joinpath(name).read_text(encoding="utf-8")
    return yaml.safe_load(text)


def _longest_first(phrases: set[Phrase]) -> tuple[Phrase, ...]:
    return tuple(sorted((p for p in phrases if p), key=lambda p: (-len(p), p)))


def _chat(table: dict[str, list[str]]) -> dict[Phrase, Phrase]:
    out: dict[Phrase, Phrase] = {}
    for written, spellings in table.items():
        for spelling in spellings:
            key = written_tokens(spelling)
            if key in out and out[key] != written_tokens(written):
                raise ValueError(f"chat spelling {spelling!r} stands for two words")
            out[key] = written_tokens(written)
    return out


@cache
def vocabulary() -> Vocabulary:
    chat = _load("chat.yaml")
    levels = _load("levels.yaml")
    aspects = _load("aspects.yaml")
    places = _load("places.yaml")
    followup = _load("followup.yaml")
    names = [*places["provinces"], *places["other"]]
    return Vocabulary(
        chat_anywhere=_chat(chat["anywhere"]),
        chat_at_end=_chat(chat["at_end"]),
        fillers=_longest_first({written_tokens(p) for p in _load("fillers.yaml")["phrases"]}),
        levels=tuple(
            Level(
                name,
                _longest_first({folded_tokens(n) for n in entry["names"]}),
                int(entry["grades"][0]),
                int(entry["grades"][1]),
            )
            for name, entry in levels.items()
            if "grades" in entry
        ),
        all_levels={
            name: _longest_first({folded_tokens(n) for n in entry["names"]})
            for name, entry in levels.items()
        },
        school_levels=_longest_first(
            {
                folded_tokens(n)
                for entry in levels.values()
                for n in [*entry["names"], *entry.get("in_school_names", ())]
            }
        ),
        synonyms=tuple(
            tuple(folded_tokens(p) for p in group) for group in _load("synonyms.yaml")["groups"]
        ),
        aspects=tuple(
            Aspect(
                key,
                entry["label"],
                entry["field"],
                # The label is a cue too: a rewritten follow-up ("Thời hạn giải quyết …?") is
                # read again as asking that aspect, not as naming "giải quyết".
                _longest_first({folded_tokens(c) for c in [*entry["cues"], entry["label"]]}),
            )
            for key, entry in aspects.items()
        ),
        objects={
            name: _longest_first({folded_tokens(p) for p in phrases})
            for name, phrases in _load("objects.yaml").items()
        },
        actions={
            name: _longest_first({folded_tokens(p) for p in phrases})
            for name, phrases in _load("actions.yaml").items()
        },
        paper_requests=tuple(
            (request, folded_tokens(request), tuple(papers))
            for request, papers in _load("paper_requests.yaml").items()
        ),
        sectors={
            name: _longest_first({folded_tokens(p) for p in phrases})
            for name, phrases in _load("sectors.yaml").items()
        },
        places_folded=_longest_first({folded_tokens(n) for n in names if len(n.split()) > 1}),
        places_written=_longest_first({written_tokens(n) for n in names if len(n.split()) == 1}),
        place_markers=_longest_first({folded_tokens(m) for m in places["markers"]}),
        provinces=frozenset(" ".join(folded_tokens(n)) for n in places["provinces"]),
        education=_longest_first({written_tokens(w) for w in _load("education.yaml")["words"]}),
        followup_cues=_longest_first({written_tokens(w) for w in followup["cues"]}),
        no_topic=_longest_first({written_tokens(w) for w in followup["no_topic"]}),
        any_procedure=frozenset(" ".join(folded_tokens(w)) for w in followup["any_procedure"]),
        answer_types=tuple(
            AnswerType(
                key,
                _longest_first({folded_tokens(c) for c in entry["cues"]}),
                tuple(re.compile(p) for p in entry["patterns"]),
                tuple(re.compile(p) for p in entry.get("names", ())),
            )
            for key, entry in _load("answer_types.yaml").items()
        ),
    )


@cache
def written_phrases() -> tuple[str, ...]:
    """The lexicon's phrases as written, with their marks: the wording questions use ("mất
    phí", "Nghệ An", "đặt ở đâu", "rồi"), which the diacritic restorer learns beside the
    documents, whose legal prose seldom says them. Chat spellings are left out (they are the
    misspellings, "thủ tuc", "lâuu") and so are the patterns over folded passages."""
    chat = _load("chat.yaml")
    places = _load("places.yaml")
    followup = _load("followup.yaml")
    phrases: list[str] = [*chat["anywhere"], *chat["at_end"]]
    phrases += [*places["provinces"], *places["other"], *places["markers"]]
    for entry in _load("aspects.yaml").values():
        phrases += [entry["label"], *entry["cues"]]
    for entry in _load("answer_types.yaml").values():
        phrases += entry["cues"]
    for entry in _load("levels.yaml").values():
        phrases += entry["names"]
    for group in _load("synonyms.yaml")["groups"]:
        phrases += group
    for name in ("objects.yaml", "actions.yaml", "sectors.yaml"):
        for key, values in _load(name).items():
            phrases += [key, *values]
    phrases += list(_load("paper_requests.yaml"))
    phrases += _load("education.yaml")["words"]
    phrases += _load("fillers.yaml")["phrases"]
    phrases += [*followup["cues"], *followup["no_topic"], *followup["any_procedure"]]
    return tuple(dict.fromkeys(nfc(str(p)) for p in phrases))
