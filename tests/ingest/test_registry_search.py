"""Registry search by subject: letters typed for words ("CCHC", "TTHC") find the words a
citation writes out; a syllable is never read as letters."""

from __future__ import annotations

from motcua.ingest.legal_records import LegalDocRecord
from motcua.ingest.registry_search import text_score

RECORD = LegalDocRecord(
    key="5055/kh-sgddt", doc_type="Kế hoạch", subject="về thực hiện công tác cải cách hành chính"
)


def test_letters_typed_for_words_find_them() -> None:
    assert text_score(RECORD, ["thuc", "hien", "cong", "tac", "cchc"]) > 0.8


def test_a_syllable_is_not_read_as_letters() -> None:
    # "tổ ôn ngữ giáo" begins with the letters of "tong", a syllable of its own.
    record = LegalDocRecord(key="1/kh", subject="về tổ ôn ngữ giáo viên tiểu học")
    assert text_score(record, ["tong", "giao", "vien"]) == 0
    assert text_score(record, ["giao", "vien", "tieu", "hoc"]) > 0
