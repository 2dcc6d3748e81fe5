"""Folding and phrase lookup are read on every passage of every question, so they take fast
paths; these tests hold the fast paths to the plain definitions they replace."""

from __future__ import annotations

import unicodedata

from motcua.lexicon.phrases import phrase_at
from motcua.text import fold, folded_words, strip_diacritics


def _plain_strip(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def test_stripping_matches_the_per_character_definition_on_every_bmp_character() -> None:
    every = "".join(chr(c) for c in range(0x10000) if not 0xD800 <= c <= 0xDFFF)
    for start in range(0, len(every), 101):
        piece = every[start : start + 101]
        assert strip_diacritics(piece) == _plain_strip(piece), hex(start)


def test_stripping_vietnamese_in_both_unicode_forms_and_beyond_the_bmp() -> None:
    text = "Đăng ký chuyển trường cho học sinh THCS ở Cần Thơ 👍 𝑨̃"
    assert strip_diacritics(text) == "Dang ky chuyen truong cho hoc sinh THCS o Can Tho 👍 𝑨"
    decomposed = unicodedata.normalize("NFD", text)
    assert strip_diacritics(decomposed) == _plain_strip(decomposed)
    assert fold("ĐẠI HỌC") == "dai hoc"


def test_folded_words_are_fresh_lists_of_the_same_syllables() -> None:
    first = folded_words("Hồ sơ chuyển trường")
    first.append("changed")  # a caller's change must not reach the next caller
    assert folded_words("Hồ sơ chuyển trường") == ["ho", "so", "chuyen", "truong"]
    long_text = "trường học " * 1000  # past the cached size: the same result, not kept
    assert folded_words(long_text) == ["truong", "hoc"] * 1000


def _plain_phrase_at(words: list[str], at: int, phrases) -> tuple[str, ...] | None:
    for phrase in phrases:
        if tuple(words[at : at + len(phrase)]) == phrase:
            return phrase
    return None


def test_phrase_lookup_by_first_word_finds_what_the_plain_scan_finds() -> None:
    phrases = (("chuyen", "truong", "thcs"), ("chuyen", "truong"), ("truong",), ("hoc", "ba"))
    words = ["xin", "chuyen", "truong", "thcs", "va", "hoc", "ba", "cua", "truong"]
    for at in range(len(words) + 2):
        assert phrase_at(words, at, phrases) == _plain_phrase_at(words, at, phrases)
    # The first phrase in the list's order wins, as before.
    assert phrase_at(words, 1, phrases) == ("chuyen", "truong", "thcs")
    assert phrase_at(words, 1, (("chuyen", "truong"), *phrases)) == ("chuyen", "truong")
