"""Reading a reply that picks one of the suggestions, and finding that suggestion again."""

from __future__ import annotations

import pytest

from motcua.bot.answering.choices import (
    MAX_LABEL_CHARS,
    MAX_SUGGESTIONS,
    chosen_number,
    clean_suggestions,
    offered,
    pick,
    suggestions_key,
)
from motcua.storage.conversations import Turn, dump_suggestions, load_suggestions
from motcua.types import STATUS_CLARIFY, Answer, Suggestion

A = [Suggestion("THCS", "chuyển trường THCS?"), Suggestion("THPT", "chuyển trường THPT?")]
B = [Suggestion("Bản sao", "xin bản sao bằng?"), Suggestion("Cấp lại", "cấp lại bằng?")]


def turn(suggestions: list[Suggestion] | None = None, at: float = 0.0) -> Turn:
    kind = "clarify" if suggestions else "answer"
    return Turn("c", "q", "q", "a", False, kind, at, tuple(suggestions or ()))


@pytest.mark.parametrize(
    ("message", "number"),
    [
        ("2", 2),
        ("  3 ", 3),
        ("số 2", 2),
        ("so 2", 2),
        ("cau 2", 2),
        ("Câu số 1 ạ", 1),
        ("2 ạ", 2),
        ("2.", 2),
        ("#2", 2),
        ("em chọn 2 nhé", 2),
        ("ý 3", 3),
        ("số hai", 2),
        ("chọn ba", 3),
    ],
)
def test_number_replies_are_read(message: str, number: int) -> None:
    assert chosen_number(message) == number


@pytest.mark.parametrize(
    "message",
    [
        "lớp 2",  # a grade: the dialogue's follow-up
        "cấp 2",
        "1 hay 2?",
        "ba",  # "father", or 3 with no cue: not a choice
        "hai",
        "chuyển trường 2 lần được không",
        "0",
        "",
        "2 bản sao có được không",
    ],
)
def test_other_messages_are_not_choices(message: str) -> None:
    assert chosen_number(message) is None


def test_a_typed_number_only_picks_from_the_newest_turn() -> None:
    assert pick([turn(A), turn()], 2) == A[1]
    assert pick([turn(), turn(A)], 2) is None, "the conversation moved on"
    assert pick([turn(A)], 3) is None, "out of range"
    assert pick([], 1) is None


def test_a_key_picks_from_its_own_list_while_in_history() -> None:
    turns = [turn(B, 2.0), turn(), turn(A, 1.0)]
    assert pick(turns, 1, suggestions_key(A)) == A[0]
    assert pick(turns, 2, suggestions_key(B)) == B[1]
    assert pick(turns, 1, "0123456789") is None
    assert pick([turn()], 1, suggestions_key(A)) is None, "gone from the history"


def test_keys_are_short_hex_and_name_the_list() -> None:
    key = suggestions_key(A)
    assert len(key) == 10 and int(key, 16) >= 0
    assert key == suggestions_key(list(A)) != suggestions_key(B)
    assert len(f"sg:{key}:9".encode()) <= 64


def test_only_a_clarify_offers_suggestions_and_they_are_capped() -> None:
    many = [Suggestion(f"  nhãn   {i} " + "x" * 500, f"câu hỏi {i}?") for i in range(20)]
    many.insert(0, Suggestion("  ", "trống?"))
    clarify = Answer("q", "?", False, status=STATUS_CLARIFY, suggestions=many)
    shown = offered(clarify)
    assert len(shown) == MAX_SUGGESTIONS
    assert shown[0].label.startswith("nhãn 0 ") and len(shown[0].label) == MAX_LABEL_CHARS
    assert offered(Answer("q", "a", False, suggestions=many)) == []
    assert clean_suggestions([]) == []


def test_stored_suggestions_round_trip_and_bad_text_is_none() -> None:
    assert load_suggestions(dump_suggestions(A)) == tuple(A)
    assert dump_suggestions([]) is None
    for bad in (None, "", "not json", "{}", '[{"label": 1}]', "[1, 2]"):
        assert load_suggestions(bad) == ()
