"""Choosing one of the suggestions a clarify answer offered ("1) … 2) … 3) …").

A parent answers "2", "số 2" or "câu 2 ạ", or taps a Telegram button; either way the choice is
looked up in the conversation's own recent turns, so one conversation can never pick another's
suggestion. A Telegram button also carries `suggestions_key`, which names the very list it was
shown under, so an old button cannot pick from a newer list.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence

from motcua.storage.conversations import Turn
from motcua.text import folded_words
from motcua.types import STATUS_CLARIFY, Answer, Suggestion

MAX_SUGGESTIONS = 9  # numbered 1-9: one keystroke, one digit in a button's key
MAX_LABEL_CHARS = 200
MAX_QUESTION_CHARS = 500
KEY_CHARS = 10

# Words a reply may wrap its number in: "số 2", "câu số 2 ạ", "em chọn 2 nhé", "ý 2".
_CUES = frozenset(
    {
        "so",
        "cau",
        "chon",
        "lua",
        "y",
        "muc",
        "phuong",
        "an",
        "cai",
        "thu",
        "lay",
        "xem",
        "hoi",
        "em",
        "minh",
        "toi",
        "con",
        "chau",
        "ad",
        "ban",
        "a",
        "ah",
        "ak",
        "nhe",
        "nha",
        "nhen",
        "oi",
        "voi",
        "di",
        "la",
    }
)
# Spelled-out numbers count only after a cue word: "ba" alone is "father", "mot" is "a".
_NUMBER_WORDS = {"mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5, "sau": 6, "bay": 7}
_STRONG_CUES = frozenset({"so", "cau", "chon", "y", "muc"})
_DIGITS = re.compile(r"^\d{1,2}$")


def chosen_number(message: str) -> int | None:
    """The number a reply such as "2", "số 2", "cau 2" or "2 ạ" picks; None for anything else."""
    tokens = folded_words(message)
    if not tokens or len(tokens) > 6:
        return None
    numbers = [int(t) for t in tokens if _DIGITS.match(t)]
    if len(numbers) > 1:
        return None  # "1 hay 2?" is a question, not a choice
    rest = [t for t in tokens if not _DIGITS.match(t)]
    if not numbers:
        spelled = [t for t in rest if t in _NUMBER_WORDS]
        if len(spelled) != 1 or not _STRONG_CUES & set(rest):
            return None
        numbers = [_NUMBER_WORDS[spelled[0]]]
        rest.remove(spelled[0])
    if any(t not in _CUES for t in rest):
        return None  # "lớp 2", "cấp 2": a level, which the dialogue reads as a follow-up
    return numbers[0] if numbers[0] >= 1 else None


def clean_suggestions(suggestions: Iterable[Suggestion]) -> list[Suggestion]:
    """At most `MAX_SUGGESTIONS`, with blank ones dropped and over-long text cut: labels and
    questions come from documents and reach chat messages, buttons and links."""
    cleaned = []
    for s in suggestions:
        label, question = " ".join(s.label.split()), " ".join(s.question.split())
        if label and question:
            cleaned.append(Suggestion(label[:MAX_LABEL_CHARS], question[:MAX_QUESTION_CHARS]))
    return cleaned[:MAX_SUGGESTIONS]


def offered(answer: Answer) -> list[Suggestion]:
    """The suggestions an answer offers to choose from (only a clarify answer offers any)."""
    if answer.status != STATUS_CLARIFY:
        return []
    return clean_suggestions(answer.suggestions)


def suggestions_key(suggestions: Sequence[Suggestion]) -> str:
    """A short name for one list of suggestions (hex, fits Telegram's 64-byte callback data).

    Derived from the questions themselves, so the channel that shows the list and the dialogue
    that stored it agree without passing an id around.
    """
    material = json.dumps([s.question for s in suggestions], ensure_ascii=False)
    return hashlib.sha256(material.encode()).hexdigest()[:KEY_CHARS]


def pick(turns: Sequence[Turn], number: int, key: str | None = None) -> Suggestion | None:
    """Suggestion `number` (from 1) of a clarify turn among `turns` (newest first).

    Without `key` (a typed reply) only the newest turn counts: "2" answers the question just
    asked back, and means nothing once the conversation moved on. With `key` (a button) the
    turn whose list it names counts, as long as it is still in the conversation's history.
    """
    candidates = turns[:1] if key is None else turns
    for turn in candidates:
        if not turn.suggestions or (key is not None and suggestions_key(turn.suggestions) != key):
            continue
        if 1 <= number <= len(turn.suggestions):
            return turn.suggestions[number - 1]
        return None
    return None
