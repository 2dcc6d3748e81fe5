"""Counts over the question log for the insights page and the weekly report.

Every figure is an aggregate computed by the database over one window of time (and one
channel, or all), so a page over 100,000 logged questions moves a few hundred rows into
Python. Days are numbered the way the department lives them: `day_number` shifts Unix time
by the deployment's UTC offset before cutting it into days.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import (
    Integer,
    and_,
    case,
    exists,
    func,
    literal_column,
    or_,
    select,
    union_all,
)
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
    # (question as typed, its newest id, times) most typed first: filled for the forms whose
    # examples are shown (`QuestionStats.wordings`)
    wordings: list[tuple[str, str, int]] = field(default_factory=list)


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

    def answer_times(self, window: Window) -> list[tuple[int, int, int]]:
        """(day, milliseconds, answers) of measured answers: times rounded down to 10 ms under
        a second, 100 ms under ten, whole seconds above, so a day is a few hundred rows
        however many questions it had."""
        ms = questions.c.elapsed_ms
        rounded = case(
            (ms < 1000, ms // 10 * 10), (ms < 10_000, ms // 100 * 100), else_=ms // 1000 * 1000
        )
        day = self._day(questions.c.created_at, window)
        query = (
            select(day, rounded, func.count())
            .where(
                self._where(window, questions.c.created_at, questions.c.channel),
                ms.is_not(None),
            )
            .group_by(day, rounded)
        )
        with self.database.read() as connection:
            return [(int(d), int(v), int(n)) for d, v, n in connection.execute(query)]

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
        rated 👎 by anyone), with their counts per day (`wordings` left empty: see
        `wordings`)."""
        q = questions.c
        in_window = self._where(window, q.created_at, q.channel)
        day = self._day(q.created_at, window)
        last = func.max(q.created_at)
        # The refused from the covering index alone (no question row is read), the 👎-rated
        # through the ratings; a question both refused and rated 👎 is one question.
        refused = (
            select(q.folded, day, func.count(), last)
            .where(in_window, q.status == "refused")
            .group_by(q.folded, day)
        )
        rated_down = select(feedback.c.question_id).where(feedback.c.rating == "down")
        downs = (
            select(
                q.folded,
                day,
                func.count(),
                last,
                func.sum(case((q.status == "refused", 1), else_=0)),
            )
            .where(in_window, q.id.in_(rated_down))
            .group_by(q.folded, day)
        )
        with self.database.read() as connection:
            refused_rows = connection.execute(refused).all()
            down_rows = connection.execute(downs).all()
        return _forms(refused_rows, down_rows, limit)

    def wordings(
        self, window: Window, forms: list[str], per_form: int = 8
    ) -> dict[str, list[tuple[str, str, int]]]:
        """How the latest `per_form` unanswered questions of each folded wording were typed:
        (question, the newest id typed so, times), most typed first."""
        if not forms:
            return {}
        q = questions.c
        # Correlated, so each row is checked through the ratings' index: an IN list would be
        # built again for every form of the union.
        rated_down = exists().where(feedback.c.question_id == q.id, feedback.c.rating == "down")
        flagged = or_(q.status == "refused", rated_down)
        latest = [
            select(q.folded, q.question, q.id)
            .where(q.folded == form, self._where(window, q.created_at, q.channel), flagged)
            .order_by(q.created_at.desc())
            .limit(per_form)
            .subquery()
            for form in dict.fromkeys(forms)
        ]
        query = union_all(*(select(s.c.folded, s.c.question, s.c.id) for s in latest))
        typed: dict[str, dict[str, list]] = {}
        with self.database.read() as connection:
            for folded, question, question_id in connection.execute(query):
                # Rows of a form come newest first: the first id seen is the newest.
                typed.setdefault(folded, {}).setdefault(question, [0, question_id])[0] += 1
        return {
            folded: sorted(((t, i, n) for t, (n, i) in by.items()), key=lambda w: (-w[2], w[0]))
            for folded, by in typed.items()
        }


def _forms(refused: list, downs: list, limit: int) -> list[FlaggedForm]:
    """Per-day rows of the refused (folded, day, n, last) and of the 👎-rated (folded, day, n,
    last, of them refused) -> the `limit` most asked folded wordings."""
    totals: dict[str, list[float]] = {}  # folded -> [questions, refused, 👎, last asked]
    days: dict[str, dict[int, int]] = {}
    for folded, day, n, last in refused:
        total = totals.setdefault(folded, [0, 0, 0, 0.0])
        total[0] += n
        total[1] += n
        total[3] = max(total[3], float(last))
        days.setdefault(folded, {})[int(day)] = int(n)
    for folded, day, n, last, also_refused in downs:
        total = totals.setdefault(folded, [0, 0, 0, 0.0])
        fresh = n - (also_refused or 0)  # 👎-rated answers; refused ones are counted already
        total[0] += fresh
        total[2] += n
        total[3] = max(total[3], float(last))
        per_day = days.setdefault(folded, {})
        per_day[int(day)] = per_day.get(int(day), 0) + int(fresh)
    top = sorted(totals, key=lambda f: (-totals[f][0], -totals[f][3], f))[:limit]
    return [
        FlaggedForm(
            folded=folded,
            count=int(totals[folded][0]),
            refused=int(totals[folded][1]),
            thumbs_down=int(totals[folded][2]),
            last_asked=totals[folded][3],
            days={d: n for d, n in days[folded].items() if n},
        )
        for folded in top
    ]
