"""A procedure list's note column quoted within bounds, its footnote (why a procedure was
abolished) whole."""

from __future__ import annotations

from motcua.bot.answering.catalogue_answers import NOTE_CHARS, clipped_note
from motcua.ingest.cleaning import inline_footnotes

REASON = "xác định đây không phải thủ tục hành chính đặc thù do địa phương ban hành"


def test_a_long_note_keeps_its_footnote_whole() -> None:
    cited = "TTHC được công bố dựa trên các văn bản: " + "Nghị định số 24/2021/NĐ-CP; " * 20
    saved = f"| 21 | {cited}ngày 22/3/2021[1]. |\n\n[1] Trên cơ sở ý kiến,\n{REASON}\n"
    cell = inline_footnotes(saved).split("|")[2].strip()
    note = clipped_note(cell)
    assert note.endswith(f"(chú thích: Trên cơ sở ý kiến, {REASON})")
    assert len(note) < NOTE_CHARS + len(REASON) + 40  # the cited texts were cut
    assert clipped_note("Đã hết hiệu lực") == "Đã hết hiệu lực"
