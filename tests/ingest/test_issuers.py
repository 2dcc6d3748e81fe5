"""Issuing bodies as citations and signature blocks write them: a school named by its level."""

from __future__ import annotations

import pytest

from motcua.ingest.citations.issuers import normalize_issuer
from motcua.lexicon import vocabulary


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("Truong THCS Thuong Son", "Trường THCS Thuong Son"),
        ("TRƯỜNG MG Hoa Sen", "Trường MG Hoa Sen"),  # letters of levels.yaml's in_school_names
        ("Trường cấp 2 Tân Lập", "Trường cấp 2 Tân Lập"),  # a level's name as people say it
        ("Trường PTDTNT huyện A", "Trường PTDTNT huyện A"),  # a kind of school, not a level
        ("Trường hợp khác", None),  # "trường hợp" names no school
    ],
)
def test_a_school_issuing_a_text_is_read_by_the_levels_vocabulary(
    phrase: str, expected: str | None
) -> None:
    assert normalize_issuer(phrase) == expected


def test_letters_of_school_names_are_not_read_as_levels_in_questions() -> None:
    assert vocabulary().level_named("th") is None and vocabulary().level_named("mn") is None
