"""The question log and its ratings: what people asked, what they got, what they thought of it.

Every answered question is logged once with a short id; channels put that id on their 👍/👎
buttons. The unanswered view groups refused and 👎-rated questions by their folded text, so
"chuyen truong" and "chuyển trường" count together.
"""

from __future__ import annotations

import csv
import io
import json
import time
import uuid
from dataclasses import asdict, dataclass

from sqlalchemy import case, delete, func, insert, select

from motcua.periodic import Periodic
from motcua.privacy import mask_pii
from motcua.storage.database import Database
from motcua.storage.schema import feedback, question_citations, question_vectors, questions
from motcua.text import fold
from motcua.types import Answer

RATINGS = ("up", "down")


def folded_question(question: str) -> str:
    return " ".join(fold(question).split())


@dataclass(frozen=True)
class LoggedAnswer:
    channel: str
    user_key: str | None
    answer: Answer
    elapsed_seconds: float | None = None  # from the question's arrival to its answer
    at: float | None = None  # Unix time it was answered; None: now


def _question_row(entry: LoggedAnswer, now: float) -> dict[str, object]:
    """What the log keeps of one answer: personal numbers masked in question and answer."""
    answer = entry.answer
    question = mask_pii(answer.question)
    elapsed = entry.elapsed_seconds
    return {
        "id": uuid.uuid4().hex[:16],
        "channel": entry.channel,
        "user_key": entry.user_key,
        "question": question,
        "folded": folded_question(question),
        "answer": mask_pii(answer.answer),
        "citations": json.dumps([asdict(c) for c in answer.citations], ensure_ascii=False),
        "refused": answer.refused,
        "curated_id": answer.curated_id,
        "created_at": now,
        "status": answer.status,
        "elapsed_ms": None if elapsed is None else max(0, round(elapsed * 1000)),
    }


def _cited_documents(answer: Answer, row: dict[str, object]) -> list[dict[str, object]]:
    """One row per document the answer cited (a refusal's near misses are not citations)."""
    if answer.refused:
        return []
    rows: dict[str, dict[str, object]] = {}
    for citation in answer.citations:
        if citation.doc_id and citation.doc_id not in rows:
            rows[citation.doc_id] = {
                "question_id": row["id"],
                "doc_id": citation.doc_id[:200],
                "title": citation.title or citation.doc_id,
                "so_hieu": (citation.so_hieu or None) and citation.so_hieu[:100],
                "channel": row["channel"],
                "created_at": row["created_at"],
            }
    return list(rows.values())


@dataclass(frozen=True)
class UnansweredRow:
    question: str  # the latest wording
    folded: str
    count: int  # times asked (refused) or rated 👎
    refused: int
    thumbs_down: int
    last_asked: float  # Unix time
    last_answer: str
    last_question_id: str

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


PURGE_INTERVAL_SECONDS = 3600  # how often logging also deletes what is past retention
DAY_SECONDS = 24 * 3600


class Interactions:
    """Implements the channels' `FeedbackStore` too (`remember_answer`, `record`).

    Questions are stored with phone and citizen ID numbers masked; with `retention_days`,
    questions and their ratings older than that are deleted (hourly, as questions come in,
    and by `motcua purge`)."""

    def __init__(self, database: Database, retention_days: int = 0) -> None:
        self.database = database
        self.retention_days = retention_days
        self._purge = Periodic(PURGE_INTERVAL_SECONDS)

    # -- logging -------------------------------------------------------------------------
    def log_answer(
        self,
        channel: str,
        user_key: str | None,
        answer: Answer,
        elapsed_seconds: float | None = None,
    ) -> str:
        """Log one answer; `elapsed_seconds` is how long it took (the insights' answer time)."""
        (question_id,) = self.log_answers(
            [LoggedAnswer(channel, user_key, answer, elapsed_seconds)]
        )
        self._purge_when_due()
        return question_id

    def log_answers(self, entries: list[LoggedAnswer]) -> list[str]:
        """Log many answers in one transaction (imports, benchmarks); their ids in order."""
        question_rows: list[dict[str, object]] = []
        cited: list[dict[str, object]] = []
        for entry in entries:
            row = _question_row(entry, time.time() if entry.at is None else entry.at)
            question_rows.append(row)
            cited.extend(_cited_documents(entry.answer, row))
        if not question_rows:
            return []
        with self.database.write() as connection:
            connection.execute(insert(questions), question_rows)
            if cited:
                connection.execute(insert(question_citations), cited)
        return [str(row["id"]) for row in question_rows]

    def _purge_when_due(self) -> None:
        now = time.time()
        if self.retention_days and self._purge.due(now):
            self.purge(now - self.retention_days * DAY_SECONDS)

    def purge(self, before: float) -> int:
        """Delete questions asked before `before` (epoch seconds) and their ratings; how many
        questions went."""
        old = select(questions.c.id).where(questions.c.created_at < before)
        with self.database.write() as connection:
            connection.execute(delete(feedback).where(feedback.c.question_id.in_(old)))
            connection.execute(
                delete(question_citations).where(question_citations.c.created_at < before)
            )
            # Embeddings of old wordings go too: they are derived from what citizens typed.
            connection.execute(
                delete(question_vectors).where(question_vectors.c.created_at < before)
            )
            result = connection.execute(delete(questions).where(questions.c.created_at < before))
        return result.rowcount or 0

    def remember_answer(self, channel: str, user_key: str, answer: Answer) -> str:
        """The id a channel's rating buttons refer to (the answer is logged once)."""
        return answer.answer_id or self.log_answer(channel, user_key, answer)

    def record(self, answer_id: str, rating: str, user_key: str) -> bool:
        """Store a rating; False for an unknown answer id. A second tap changes the vote."""
        if rating not in RATINGS:
            raise ValueError(f"rating must be one of {RATINGS}, not {rating!r}")
        now = time.time()
        with self.database.write() as connection:
            known = connection.execute(
                select(questions.c.id).where(questions.c.id == answer_id)
            ).first()
            if known is None:
                return False
            existing = connection.execute(
                select(feedback.c.id).where(
                    feedback.c.question_id == answer_id, feedback.c.user_key == user_key
                )
            ).first()
            if existing is None:
                connection.execute(
                    insert(feedback).values(
                        question_id=answer_id, user_key=user_key, rating=rating, created_at=now
                    )
                )
            else:
                connection.execute(
                    feedback.update()
                    .where(feedback.c.id == existing.id)
                    .values(rating=rating, created_at=now)
                )
        return True

    # -- reading -------------------------------------------------------------------------
    def question(self, question_id: str) -> dict[str, object] | None:
        with self.database.read() as connection:
            row = (
                connection.execute(select(questions).where(questions.c.id == question_id))
                .mappings()
                .first()
            )
        if row is None:
            return None
        found = dict(row)
        found["citations"] = json.loads(str(found["citations"]))
        return found

    def feedback_rows(self) -> list[dict[str, object]]:
        """Every rating with its question and answer, oldest first."""
        query = (
            select(
                feedback.c.question_id.label("answer_id"),
                questions.c.channel,
                feedback.c.user_key,
                feedback.c.rating,
                questions.c.question,
                questions.c.answer,
                questions.c.citations,
            )
            .join(questions, questions.c.id == feedback.c.question_id)
            .order_by(feedback.c.id)
        )
        with self.database.read() as connection:
            rows = [dict(r) for r in connection.execute(query).mappings()]
        for row in rows:
            row["citations"] = json.loads(str(row["citations"]))
        return rows

    def unanswered(self, limit: int = 200, since: float | None = None) -> list[UnansweredRow]:
        """Refused or 👎-rated questions grouped by folded text, newest group first."""
        downs = (
            select(feedback.c.question_id, func.count().label("downs"))
            .where(feedback.c.rating == "down")
            .group_by(feedback.c.question_id)
            .subquery()
        )
        flagged = (
            select(
                questions.c.id,
                questions.c.question,
                questions.c.folded,
                questions.c.answer,
                questions.c.refused,
                questions.c.created_at,
                func.coalesce(downs.c.downs, 0).label("downs"),
            )
            .outerjoin(downs, downs.c.question_id == questions.c.id)
            .where((questions.c.refused.is_(True)) | (downs.c.downs > 0))
        )
        if since is not None:
            flagged = flagged.where(questions.c.created_at >= since)
        flagged = flagged.subquery()
        grouped = (
            select(
                flagged.c.folded,
                func.sum(case((flagged.c.refused.is_(True), 1), else_=0)).label("refused"),
                func.sum(flagged.c.downs).label("thumbs_down"),
                func.max(flagged.c.created_at).label("last_asked"),
            )
            .group_by(flagged.c.folded)
            .order_by(func.max(flagged.c.created_at).desc())
            .limit(limit)
        )
        with self.database.read() as connection:
            groups = connection.execute(grouped).mappings().all()
            result = []
            for group in groups:
                latest = (
                    connection.execute(
                        select(flagged.c.id, flagged.c.question, flagged.c.answer)
                        .where(flagged.c.folded == group["folded"])
                        .order_by(flagged.c.created_at.desc())
                        .limit(1)
                    )
                    .mappings()
                    .one()
                )
                refused, downs = int(group["refused"] or 0), int(group["thumbs_down"] or 0)
                result.append(
                    UnansweredRow(
                        question=latest["question"],
                        folded=group["folded"],
                        count=refused + downs,
                        refused=refused,
                        thumbs_down=downs,
                        last_asked=float(group["last_asked"]),
                        last_answer=latest["answer"],
                        last_question_id=latest["id"],
                    )
                )
        return result

    def unanswered_csv(self, limit: int = 10_000) -> str:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["question", "count", "refused", "thumbs_down", "last_asked_utc"])
        for row in self.unanswered(limit=limit):
            stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(row.last_asked))
            question = spreadsheet_text(row.question)
            writer.writerow([question, row.count, row.refused, row.thumbs_down, stamp])
        return out.getvalue()


# A cell a spreadsheet would read as a formula ("=HYPERLINK(…)", "+84…", "@SUM"): anyone can
# type a question, and staff open the export in Excel or LibreOffice.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value: str) -> str:
    """Text a spreadsheet shows as typed: a leading formula character is quoted with "'"."""
    return f"'{value}" if value.startswith(_FORMULA_START) else value
