"""Curated answers: staff's standard answer to a frequent question, served before retrieval.

A curated answer is a group of versions; revising adds a version and supersedes the previous
one, so the history stays. The latest version of a group is active (served), in review (a
document it cites was replaced or deleted: not served until staff revise it) or retired.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError

from motcua.question_match import question_key
from motcua.settings import Settings
from motcua.storage.curated_matching import QueryEmbedder, QuestionMatcher
from motcua.storage.database import Database
from motcua.storage.schema import curated_answers as _table
from motcua.types import Citation

STATUSES = ("active", "review", "retired", "superseded")
DEFAULT_MIN_SIMILARITY = Settings.model_fields["curated_min_similarity"].default
MAX_QUESTION_CHARS = 2000
# Read before every question (another worker's change shows on the next one): built once.
_STAMP = select(func.count(), func.max(_table.c.updated_at))

HashLookup = Callable[[str], str | None]


class CuratedError(ValueError):
    """Invalid input; `message` is bilingual and shown to the caller as is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# Versions saved by concurrent editors are numbered one after another; a clash retries.
REVISE_ATTEMPTS = 5


class CuratedConflict(CuratedError):
    """Others kept saving versions of the same answer while this one was being saved."""


class CuratedNotFound(LookupError):
    pass


@dataclass(frozen=True)
class CuratedSource:
    """A passage the curated answer rests on, as staff approved it."""

    doc_id: str
    title: str = ""
    so_hieu: str | None = None
    section: str | None = None
    quote: str = ""

    @classmethod
    def parse(cls, raw: Mapping[str, Any] | CuratedSource | Citation) -> CuratedSource:
        if isinstance(raw, CuratedSource):
            return raw
        values = asdict(raw) if isinstance(raw, Citation) else dict(raw)
        doc_id = str(values.get("doc_id") or "").strip()
        if not doc_id:
            raise CuratedError("Mỗi nguồn trích dẫn cần có doc_id. / Every source needs a doc_id.")
        return cls(
            doc_id=doc_id,
            title=str(values.get("title") or ""),
            so_hieu=values.get("so_hieu") or None,
            section=values.get("section") or None,
            quote=str(values.get("quote") or ""),
        )


@dataclass(frozen=True)
class CuratedAnswer:
    id: int  # this version's row; answers served from it carry it as `curated_id`
    group_id: str
    version: int
    question: str
    answer: str
    sources: list[CuratedSource]
    source_hashes: dict[str, str]  # doc_id -> content hash of the document when approved
    status: str
    review_reason: str | None
    author: str | None
    created_at: float
    updated_at: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class CuratedMatch:
    curated: CuratedAnswer
    score: float  # 1.0 for the same folded text, else the embeddings' cosine
    how: str  # "exact" | "similar"


def _clean_text(value: str | None, what_vi: str, what_en: str) -> str:
    text = (value or "").strip()
    if not text:
        raise CuratedError(f"{what_vi} không được để trống. / The {what_en} must not be empty.")
    if len(text) > MAX_QUESTION_CHARS and what_en == "question":
        raise CuratedError(
            f"Câu hỏi dài quá {MAX_QUESTION_CHARS} ký tự. / "
            f"The question is longer than {MAX_QUESTION_CHARS} characters."
        )
    return text


def _row(row: Mapping[str, Any]) -> CuratedAnswer:
    return CuratedAnswer(
        id=int(row["id"]),
        group_id=row["group_id"],
        version=int(row["version"]),
        question=row["question"],
        answer=row["answer"],
        sources=[CuratedSource(**s) for s in json.loads(row["sources"])],
        source_hashes=json.loads(row["source_hashes"]),
        status=row["status"],
        review_reason=row["review_reason"],
        author=row["author"],
        created_at=float(row["created_at"]),
        updated_at=float(row["updated_at"]),
    )


class CuratedStore:
    """Curated answers in the shared-state database, and matching questions against them
    (`curated_matching`).

    `embedder` None matches only questions with the same folded text. `hash_lookup` gives a
    document's current content hash when the caller does not pass `source_hashes`.
    """

    def __init__(
        self,
        database: Database,
        embedder: QueryEmbedder | None,
        *,
        min_similarity: float = DEFAULT_MIN_SIMILARITY,
        hash_lookup: HashLookup | None = None,
    ) -> None:
        self.database = database
        self.hash_lookup = hash_lookup
        self._matcher: QuestionMatcher[CuratedAnswer] = QuestionMatcher(
            embedder, min_similarity, identity=lambda c: c.id, question=lambda c: c.question
        )

    @property
    def min_similarity(self) -> float:
        return self._matcher.min_similarity

    # -- writing -------------------------------------------------------------------------
    def create(
        self,
        question: str,
        answer: str,
        sources: Iterable[Mapping[str, Any] | CuratedSource | Citation] = (),
        author: str | None = None,
        source_hashes: Mapping[str, str] | None = None,
    ) -> CuratedAnswer:
        values = self._values(question, answer, sources, source_hashes)
        with self.database.write() as connection:
            return self._insert(connection, uuid.uuid4().hex[:16], 1, author, values)

    def revise(
        self,
        group_id: str,
        question: str | None = None,
        answer: str | None = None,
        sources: Iterable[Mapping[str, Any] | CuratedSource | Citation] | None = None,
        author: str | None = None,
        source_hashes: Mapping[str, str] | None = None,
    ) -> CuratedAnswer:
        """A new active version (what is not given is kept); the previous one is superseded.

        Revising is also how staff re-approve an answer in review or bring back a retired one.
        """
        for attempt in range(1, REVISE_ATTEMPTS + 1):
            try:
                return self._revise_once(group_id, question, answer, sources, author, source_hashes)
            except IntegrityError:
                # Another editor saved the same next version a moment earlier: build on
                # theirs (both stay in the history) rather than fail.
                if attempt == REVISE_ATTEMPTS:
                    raise CuratedConflict(
                        "Câu trả lời đang được sửa cùng lúc ở nơi khác, xin thử lại. / "
                        "The answer is being edited elsewhere at the same time; try again."
                    ) from None
        raise AssertionError("unreachable")

    def _revise_once(
        self,
        group_id: str,
        question: str | None,
        answer: str | None,
        sources: Iterable[Mapping[str, Any] | CuratedSource | Citation] | None,
        author: str | None,
        source_hashes: Mapping[str, str] | None,
    ) -> CuratedAnswer:
        with self.database.write() as connection:
            current = self._current(connection, group_id, lock=True)
            kept_sources = current.sources if sources is None else sources
            # Unchanged sources keep the hashes they were approved against.
            hashes = source_hashes
            if hashes is None and sources is None and current.status == "active":
                hashes = current.source_hashes
            values = self._values(
                current.question if question is None else question,
                current.answer if answer is None else answer,
                kept_sources,
                hashes,
            )
            connection.execute(
                update(_table)
                .where(_table.c.id == current.id)
                .values(status="superseded", updated_at=time.time())
            )
            return self._insert(connection, group_id, current.version + 1, author, values)

    def retire(self, group_id: str) -> CuratedAnswer:
        """Stop serving the group's answer (kept in the history; `revise` brings it back)."""
        with self.database.write() as connection:
            current = self._current(connection, group_id, lock=True)
            if current.status == "retired":
                return current
            connection.execute(
                update(_table)
                .where(_table.c.id == current.id)
                .values(status="retired", updated_at=time.time())
            )
            return self._by_id(connection, current.id)

    def mark_review(self, changed: Mapping[str, str | None]) -> list[CuratedAnswer]:
        """Documents were replaced ({doc_id: new content hash}) or deleted ({doc_id: None}):
        active answers citing them with another hash stop being served until staff revise them.

        A cited document with no recorded hash is flagged only when it is deleted, since a
        change cannot be told from an unchanged re-ingest. Returns the answers put in review.
        """
        if not changed:
            return []
        flagged: list[CuratedAnswer] = []
        with self.database.write() as connection:
            rows = connection.execute(select(_table).where(_table.c.status == "active"))
            for current in [_row(r) for r in rows.mappings()]:
                cited = {s.doc_id for s in current.sources} | set(current.source_hashes)
                reasons = []
                for doc_id in sorted(cited & set(changed)):
                    new_hash = changed[doc_id]
                    old_hash = current.source_hashes.get(doc_id)
                    if new_hash is None:
                        reasons.append(f"văn bản {doc_id} đã bị xoá / {doc_id} was deleted")
                    elif old_hash is not None and old_hash != new_hash:
                        reasons.append(f"văn bản {doc_id} đã được thay thế / {doc_id} was replaced")
                if not reasons:
                    continue
                connection.execute(
                    update(_table)
                    .where(_table.c.id == current.id)
                    .values(
                        status="review", review_reason="; ".join(reasons), updated_at=time.time()
                    )
                )
                flagged.append(self._by_id(connection, current.id))
        return flagged

    # -- reading -------------------------------------------------------------------------
    def get(self, curated_id: int) -> CuratedAnswer | None:
        with self.database.read() as connection:
            row = connection.execute(select(_table).where(_table.c.id == curated_id)).mappings()
            found = row.first()
        return None if found is None else _row(found)

    def current(self, group_id: str) -> CuratedAnswer | None:
        with self.database.read() as connection:
            try:
                return self._current(connection, group_id)
            except CuratedNotFound:
                return None

    def history(self, group_id: str) -> list[CuratedAnswer]:
        """Every version of the group, newest first (empty for an unknown group)."""
        query = (
            select(_table).where(_table.c.group_id == group_id).order_by(_table.c.version.desc())
        )
        with self.database.read() as connection:
            return [_row(r) for r in connection.execute(query).mappings()]

    def list(self, status: str | None = None) -> list[CuratedAnswer]:
        """The latest version of every group (optionally only those with `status`), newest
        first. Superseded versions are only in `history`."""
        if status is not None and status not in STATUSES:
            raise CuratedError(
                f"Trạng thái không hợp lệ: {status!r}. / Unknown status {status!r} "
                f"(one of {', '.join(STATUSES)})."
            )
        query = select(_table).where(_table.c.status != "superseded")
        if status is not None:
            query = query.where(_table.c.status == status)
        query = query.order_by(_table.c.updated_at.desc(), _table.c.id.desc())
        with self.database.read() as connection:
            return [_row(r) for r in connection.execute(query).mappings()]

    # -- matching ------------------------------------------------------------------------
    def match(self, question: str) -> CuratedMatch | None:
        """The active curated answer to a question that means the same thing, if any."""
        with self.database.read() as connection:
            count, latest = connection.execute(_STAMP).one()
        found = self._matcher.match(question, (int(count), float(latest or 0.0)), self._active)
        return CuratedMatch(*found) if found else None

    def _active(self) -> list[CuratedAnswer]:
        with self.database.read() as connection:
            rows = connection.execute(
                select(_table).where(_table.c.status == "active").order_by(_table.c.id)
            )
            return [_row(r) for r in rows.mappings()]

    # -- helpers -------------------------------------------------------------------------
    def _values(
        self,
        question: str,
        answer: str,
        sources: Iterable[Mapping[str, Any] | CuratedSource | Citation],
        source_hashes: Mapping[str, str] | None,
    ) -> dict[str, Any]:
        question = _clean_text(question, "Câu hỏi", "question")
        answer = _clean_text(answer, "Câu trả lời", "answer")
        parsed = [CuratedSource.parse(s) for s in sources]
        if source_hashes is None:
            source_hashes = {}
            if self.hash_lookup is not None:
                for source in parsed:
                    found = self.hash_lookup(source.doc_id)
                    if found:
                        source_hashes[source.doc_id] = found
        return {
            "question": question,
            "folded": question_key(question).text,
            "answer": answer,
            "sources": json.dumps([asdict(s) for s in parsed], ensure_ascii=False),
            "source_hashes": json.dumps(dict(source_hashes), ensure_ascii=False),
        }

    def _insert(
        self, connection: Any, group_id: str, version: int, author: str | None, values: dict
    ) -> CuratedAnswer:
        now = time.time()
        result = connection.execute(
            insert(_table).values(
                group_id=group_id,
                version=version,
                status="active",
                review_reason=None,
                author=(author or None),
                created_at=now,
                updated_at=now,
                **values,
            )
        )
        return self._by_id(connection, int(result.inserted_primary_key[0]))

    @staticmethod
    def _by_id(connection: Any, curated_id: int) -> CuratedAnswer:
        return _row(
            connection.execute(select(_table).where(_table.c.id == curated_id)).mappings().one()
        )

    @staticmethod
    def _current(connection: Any, group_id: str, lock: bool = False) -> CuratedAnswer:
        """The group's latest version. `lock`: first wait for any other writer of the group to
        commit (a PostgreSQL row lock on version 1), so the version read is the one to build
        on. SQLite ignores it; a clash between processes there is caught by `revise`."""
        if lock:
            connection.execute(
                select(_table.c.id)
                .where(_table.c.group_id == group_id, _table.c.version == 1)
                .with_for_update()
            )
        row = (
            connection.execute(
                select(_table)
                .where(_table.c.group_id == group_id)
                .order_by(_table.c.version.desc())
                .limit(1)
            )
            .mappings()
            .first()
        )
        if row is None:
            raise CuratedNotFound(group_id)
        return _row(row)
