"""Index versions: each ingest publishes a new folder; readers never see a half-built one."""

from __future__ import annotations

from pathlib import Path

import pytest

from motcua.bot.answering.loading import load_responder, resolve_index
from motcua.index.build import IngestReport, read_paths
from motcua.index.builds import build_version, clean_versions
from motcua.index.store import IndexStore
from motcua.storage.database import Database
from motcua.storage.version_leases import CURRENT, DELETED, FAILED, RETIRED, IndexVersions
from tests.conftest import make_settings

PLAN = """ỦY BAN NHÂN DÂN TỈNH AN GIANG
SỞ GIÁO DỤC VÀ ĐÀO TẠO
Số: {n}/KH-SGDĐT
KẾ HOẠCH
Tuyển sinh vào lớp 10 năm học 2026-2027
I. THỜI GIAN
Hồ sơ tuyển sinh lớp 10 nộp tại trường trung học phổ thông từ ngày {d} tháng 6.
"""


def _doc(folder: Path, name: str, n: int, day: int):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(PLAN.format(n=n, d=day), encoding="utf-8")
    return read_paths([path], IngestReport())[0]


@pytest.fixture
def setup(tmp_path: Path):
    settings = make_settings(tmp_path / "index", index_keep_versions=1)
    database = Database.open(settings)
    yield settings, database, IndexVersions(database, settings.index_dir)
    database.close()


def _doc_ids(folder: Path) -> set[str]:
    store = IndexStore.open(folder)
    try:
        return {d.doc_id for d in store.documents()}
    finally:
        store.close()


def test_each_build_publishes_a_new_version_and_moves_the_pointer(setup, tmp_path: Path) -> None:
    settings, database, versions = setup
    first = build_version(settings, [_doc(tmp_path / "docs", "a.txt", 11, 1)], database=database)
    assert first.version is not None and first.version.state == CURRENT
    assert resolve_index(settings.index_dir) == first.version.directory

    second = build_version(settings, [_doc(tmp_path / "docs", "b.txt", 12, 2)], database=database)
    assert second.version is not None and second.version.id != first.version.id
    assert resolve_index(settings.index_dir) == second.version.directory
    # The new version holds both documents; the old one was never written to.
    assert _doc_ids(second.version.directory) == {"a", "b"}
    states = {v.id: v.state for v in versions.all()}
    assert states[second.version.id] == CURRENT
    assert states[first.version.id] in (RETIRED, DELETED)


def test_unchanged_input_keeps_the_current_version(setup, tmp_path: Path) -> None:
    settings, database, versions = setup
    doc = _doc(tmp_path / "docs", "a.txt", 11, 1)
    first = build_version(settings, [doc], database=database)
    again = build_version(settings, [doc], database=database)
    assert again.version == first.version
    assert [v.state for v in versions.all()].count(CURRENT) == 1
    assert len(list((settings.index_dir / "versions").iterdir())) == 1


def test_replacing_and_deleting_report_the_changed_documents(setup, tmp_path: Path) -> None:
    settings, database, _ = setup
    build_version(settings, [_doc(tmp_path / "docs", "a.txt", 11, 1)], database=database)
    replaced = build_version(settings, [_doc(tmp_path / "docs", "a.txt", 11, 9)], database=database)
    assert list(replaced.changed) == ["a"] and replaced.changed["a"]
    deleted = build_version(settings, delete=["a"], database=database)
    assert deleted.changed == {"a": None}
    assert deleted.version is not None and _doc_ids(deleted.version.directory) == set()
    store = IndexStore.open(deleted.version.directory)
    assert store.vectors.ntotal == 0, "the deleted document's vectors are gone too"
    store.close()


def test_a_failed_build_leaves_the_current_version_serving(setup, tmp_path: Path) -> None:
    settings, database, versions = setup
    first = build_version(settings, [_doc(tmp_path / "docs", "a.txt", 11, 1)], database=database)

    def explode(_: int) -> None:
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        build_version(
            settings, [_doc(tmp_path / "docs", "b.txt", 12, 2)], database=database, progress=explode
        )
    assert versions.current() == first.version
    assert resolve_index(settings.index_dir) == first.version.directory
    failed = [v for v in versions.all() if v.state == FAILED]
    assert len(failed) == 1 and not failed[0].directory.exists()
    assert load_responder(settings).retriever.chunks, "still answers from the old version"


def test_cleaning_spares_versions_a_live_worker_holds(setup, tmp_path: Path) -> None:
    settings, database, versions = setup
    first = build_version(settings, [_doc(tmp_path / "docs", "a.txt", 11, 1)], database=database)
    assert first.version is not None
    versions.lease("worker-a", first.version.id)  # a worker still serves the first version
    build_version(settings, [_doc(tmp_path / "docs", "b.txt", 12, 2)], database=database)
    assert first.version.directory.exists()
    assert versions.get(first.version.id).state == RETIRED

    versions.release("worker-a")
    assert clean_versions(settings, database) == [first.version.id]
    assert not first.version.directory.exists()
    assert versions.get(first.version.id).state == DELETED


def test_an_upgrade_that_reads_the_same_documents_better_is_published(
    setup, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing to re-embed, but the restorer learns from what the code ships: a new version."""
    settings, database, _ = setup
    doc = _doc(tmp_path / "docs", "a.txt", 11, 1)
    first = build_version(settings, [doc], database=database)
    from motcua.ingest.restoration import word_lists

    monkeypatch.setattr(
        word_lists, "QUESTION_PHRASES", (*word_lists.QUESTION_PHRASES, "tuyển sinh lớp mười")
    )
    upgraded = build_version(settings, [doc], database=database)
    assert upgraded.version is not None and upgraded.version.id != first.version.id
    assert resolve_index(settings.index_dir) == upgraded.version.directory
    assert not upgraded.report.added, "nothing was embedded again"
