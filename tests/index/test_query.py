"""What lexical search and the embedder are given for a question."""

from __future__ import annotations

from motcua.index.query import prepare


def test_a_move_is_searched_as_the_transfer_it_names() -> None:
    # "chuyển từ Bình Dương về" never says "chuyển trường": both searches are told, or the
    # embedder scores a parent's move, a province and a greeting far from the transfer card.
    query = prepare("chuyển từ Bình Dương về thì cần giấy tờ gì", None)
    assert query.dense_text == "chuyển từ Bình Dương về thì cần giấy tờ gì (chuyển trường)"
    assert query.text.endswith("chuyển trường")


def test_what_the_question_already_says_is_not_repeated() -> None:
    query = prepare("chuyển trường cho con lớp 7 cần giấy tờ gì", None)
    assert query.dense_text == "chuyển trường cho con lớp 7 cần giấy tờ gì (THCS)"
    assert query.text.count("chuyển trường") == 1
