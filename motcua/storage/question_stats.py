"""Counts over the question log for the insights page and the weekly report.

Every figure is an aggregate computed by the database over one window of time (and one
channel, or all), so a page over 100,000 logged questions moves a few hundred rows into
Python. Days are numbered the way the department lives them: `day_number` shifts Unix time
by the deployment's UTC offset before cutting it into days.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Integer, and_, case, func, literal_column, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from motcua.storage.database import Database
from motcua.storage.schema import feedback, question_citations, questions

DAY_SECONDS = 86_400


class day_number(FunctionElement):  # noqa: N801 - used like a SQL function
    """floor((t + offset) / 86400) as an integer, on SQLite and PostgreSQL alike."""

    type = Integer()
    inherit_cache = True


@compiles(day_number)
def _day_number(element: day_number, compiler, **kw) -> str:  # noqa: ANN001 - SQLAlchemy's
    stamp, offset = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(FLOOR(({stamp} + {offset}) / {DAY_SECONDS}) AS INTEGER)"


@compiles(day_number, "sqlite")
def _day_number_sqlite(element: day_number, compiler, **kw) -> str:  # noqa: ANN001
    # SQLite has FLOOR only when built with its math functions; CAST truncates, which is the
    # floor for the positive times of a log.
    stamp, offset = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(({stamp} + {offset}) / {DAY_SECONDS}.0 AS INTEGER)"


@dataclass(frozen=True)
class Window:
    """[start, end) in Unix seconds; `channel` None for every channel."""

    start: float
    end: float
    channel: str | None = None
    utc_offset: int = 7 * 3600  # Vietnam: no daylight saving time


@dataclass(frozen=True)
class CitedDocument:
    doc_id: str
    title: str
    so_hieu: str | None
    count: int  # answers that cited it


@dataclass(frozen=True)
class FlaggedForm:
    """Unanswered questions sharing one folded wording: refused, or rated 👎."""

    folded: str
    count: int  # logged questions (one that is refused and rated 👎 counts once)
    refused: int
    thumbs_down: int
    last_asked: float
    days: dict[int, int]  # day number -> questions
    wordings: list[tuple[str, str, int]]  # (question as typed, one of its ids, times), most first


class QuestionStats:
    def __init__(self, database: Database) -> None:
        self.database = database

    @staticmethod
    def _day(column: ColumnElement, window: Window) -> ColumnElement:
        # Written into the SQL, not bound: PostgreSQL matches GROUP BY expressions by their
        # text, and two bind parameters of the same value are two different expressions.
        return day_number(column, literal_column(str(int(window.utc_offset))))

    @staticmethod
    def _where(window: Window, created: ColumnElement, channel: ColumnElement) -> ColumnElement:
        conditions = [created >= window.start, created < window.end]
        if window.channel is not None:
            conditions.append(channel == window.channel)
        return and_(*conditions)

    def outcomes(self, window: Window) -> list[tuple[int, str, str, int]]:
        """(day, channel, status, questions)."""
        day = self._day(questions.c.created_at, window)
        query = (
            select(day, questions.c.channel, questions.c.status, func.count())
            .where(self._where(window, questions.c.created_at, questions.c.channel))
            .group_by(day, questions.c.channel, questions.c.status)
        )
        with self.database.read() as connection:
            found = connection.execute(query).all()
        return [(int(d), c, s or "answered", int(n)) for d, c, s, n in found]

    def answer_times(self, window: Window) -> list[tuple[int, int]]:
        """(day, milliseconds) of every answer whose time was measured, by day."""
        day = self._day(questions.c.created_at, window)
        query = (
            select(day, questions.c.elapsed_ms)
            .where(
                self._where(window, questions.c.created_at, questions.c.channel),
                questions.c.elapsed_ms.is_not(None),
            )
            .order_by(day)
        )
        with self.database.read() as connection:
            return [(int(d), int(ms)) for d, ms in connection.execute(query)]

    def ratings(self, window: Window) -> list[tuple[int, str, int]]:
        """(day rated, "up" | "down", ratings), for questions of the channel."""
        day = self._day(feedback.c.created_at, window)
        query = (
            select(day, feedback.c.rating, func.count())
            .select_from(feedback.join(questions, questions.c.id == feedback.c.question_id))
            .where(self._where(window, feedback.c.created_at, questions.c.channel))
            .group_by(day, feedback.c.rating)
        )
        with self.database.read() as connection:
            return [(int(d), r, int(n)) for d, r, n in connection.execute(query)]

    def cited(self, window: Window, limit: int = 10) -> list[CitedDocument]:
        """The documents answers cited most, with the latest title logged for each."""
        c = question_citations.c
        count = func.count().label("n")
        top = (
            select(c.doc_id, count, func.max(c.id).label("latest"))
            .where(self._where(window, c.created_at, c.channel))
            .group_by(c.doc_id)
            .order_by(count.desc(), c.doc_id)
            .limit(limit)
            .subquery()
        )
        query = (
            select(top.c.doc_id, c.title, c.so_hieu, top.c.n)
            .join(question_citations, c.id == top.c.latest)
            .order_by(top.c.n.desc(), top.c.doc_id)
        )
        with self.database.read() as connection:
            return [CitedDocument(d, t, s, int(n)) for d, t, s, n in connection.execute(query)]

    def flagged(self, window: Window, limit: int = 500) -> list[FlaggedForm]:
        """The `limit` folded wordings asked most among unanswered questions (refused, or
        rated 👎 by anyone), with their counts per day and their wordings as typed."""
        downs = (
            select(feedback.c.question_id, func.count().label("downs"))
            .where(feedback.c.rating == "down")
            .group_by(feedback.c.question_id)
            .subquery()
        )
        refused = case((questions.c.refused.is_(True), 1), else_=0)
        down = func.coalesce(downs.c.downs, 0)
        rows = (
            select(
                questions.c.id,
                questions.c.question,
                questions.c.folded,
                questions.c.created_at,
                refused.label("refused"),
                case((down > 0, 1), else_=0).label("down"),
            )
            .outerjoin(downs, downs.c.question_id == questions.c.id)
            .where(
                self._where(window, questions.c.created_at, questions.c.channel),
                or_(questions.c.refused.is_(True), down > 0),
            )
            .subquery()
        )
        count = func.count().label("n")
        forms_query = (
            select(
                rows.c.folded,
                count,
                func.sum(rows.c.refused),
                func.sum(rows.c.down),
                func.max(rows.c.created_at),
            )
            .group_by(rows.c.folded)
            .order_by(count.desc(), func.max(rows.c.created_at).desc())
            .limit(limit)
        )
        day = self._day(rows.c.created_at, window)
        with self.database.read() as connection:
            forms = connection.execute(forms_query).all()
            if not forms:
                return []
            names = [f[0] for f in forms]
            days: dict[str, dict[int, int]] = {name: {} for name in names}
            per_day = (
                select(rows.c.folded, day, func.count())
                .where(rows.c.folded.in_(names))
                .group_by(rows.c.folded, day)
            )
            for folded, number, n in connection.execute(per_day):
                days[folded][int(number)] = int(n)
            wordings: dict[str, list[tuple[str, str, int]]] = {name: [] for name in names}
            typed = (
                select(rows.c.folded, rows.c.question, func.max(rows.c.id), func.count())
                .where(rows.c.folded.in_(names))
                .group_by(rows.c.folded, rows.c.question)
                .order_by(func.count().desc(), func.max(rows.c.created_at).desc())
            )
            for folded, question, question_id, n in connection.execute(typed):
                wordings[folded].append((question, question_id, int(n)))
        return [
            FlaggedForm(
                folded=folded,
                count=int(n),
                refused=int(refused_n or 0),
                thumbs_down=int(down_n or 0),
                last_asked=float(last),
                days=days[folded],
                wordings=wordings[folded],
            )
            for folded, n, refused_n, down_n, last in forms
        ]
