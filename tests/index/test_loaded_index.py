"""A loaded index version is one object: what the responder, the pages and the routes read of
an index, opened together (index/loaded.py)."""

from __future__ import annotations

from pathlib import Path

from motcua.bot.answering.loading import load_responder, resolve_index
from motcua.index.build import FACTS_SECTION
from motcua.index.builds import ingest_into_index
from motcua.index.loaded import open_index
from motcua.ingest.cards import builtin_cards
from tests.conftest import copy_index, make_settings

PLAN = """ỦY BAN NHÂN DÂN TỈNH AN GIANG
SỞ GIÁO DỤC VÀ ĐÀO TẠO
Số: 41/KH-SGDĐT
An Giang, ngày 3 tháng 2 năm 2026
KẾ HOẠCH
Tuyển sinh vào lớp 10 năm học 2026-2027
I. MỤC ĐÍCH
Tổ chức tuyển sinh công khai, đúng quy chế.
II. THỜI GIAN
Hồ sơ tuyển sinh lớp 10 nộp tại trường trung học phổ thông từ ngày 5 tháng 6.
III. TỔ CHỨC THỰC HIỆN
Các trường thông báo kế hoạch cho cha mẹ học sinh.
"""


def test_a_version_opens_as_one_object_with_its_derived_views(
    tmp_path: Path, cards_index: Path
) -> None:
    plan = tmp_path / "docs" / "ke-hoach-41.txt"
    plan.parent.mkdir()
    plan.write_text(PLAN, encoding="utf-8")
    # The plan goes into a copy of the session's cards index: the cards stay as they were.
    settings = make_settings(copy_index(cards_index, tmp_path / "index"))
    report = ingest_into_index([plan], settings, builtin=True)
    assert report.added and not report.failed

    index = open_index(resolve_index(settings.index_dir))

    # Every built-in card indexed is there as a card, and nothing else is.
    assert set(index.cards) == {card.id for card in builtin_cards()}
    assert all(index.documents[doc_id].kind == "card" for doc_id in index.cards)
    # Passages by document, in reading order, and none lost or doubled.
    assert sorted(c.chunk_id for cs in index.chunks_of.values() for c in cs) == sorted(
        c.chunk_id for c in index.chunks
    )
    plan_chunks = index.chunks_of["ke-hoach-41"]
    assert [c.position for c in plan_chunks] == sorted(c.position for c in plan_chunks)
    # The plan's number, date and issuer are a passage of their own, found by document.
    facts = index.facts["ke-hoach-41"]
    assert facts.section == FACTS_SECTION and "41/KH-SGDĐT" in facts.text
    assert index.version > 0 and index.registry is not None and index.catalogue is not None

    # The responder answers from that same object: nothing is read from disk twice.
    responder = load_responder(settings)
    assert responder.index.chunks_of.keys() == index.chunks_of.keys()
    assert responder.cards is responder.index.cards
    assert responder.index_version == index.version
