"""The figures of one insights page or report, computed once from the question log.

`InsightsService.figures(period, channel)` gathers what the department looks at: questions
per day by channel and outcome, answer time p50/p95, 👍/👎 and the satisfaction share, the
documents answers cited most, and the topics of the unanswered. The page, the CSV and the
printable report all render this one `Insights`.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np

from motcua.bot.insights.period import CHANNEL_LABELS, OUTCOMES, Period, day_date
from motcua.bot.insights.topics import (
    EXAMPLES,
    Topic,
    group_topics,
    pick_examples,
    trend,
    wording_key,
)
from motcua.index.embedders import Embedder
from motcua.ingest.cards import builtin_card
from motcua.privacy import mask_pii
from motcua.storage.database import Database
from motcua.storage.question_stats import QuestionStats, Window
from motcua.storage.question_vectors import QuestionVectors

MAX_WORDINGS = 500  # most asked unanswered wordings that are grouped (the rest are counted)
TOP_CITED = 10
MAX_TOPICS = 30  # topics listed with their examples (the page shows the first 20)
EMBED_BATCH = 8  # wordings per embedder call: small, so a time budget is kept closely


@dataclass(frozen=True)
class DayTimes:
    day: date
    answers: int
    p50_ms: float | None
    p95_ms: float | None


@dataclass(frozen=True)
class Cited:
    doc_id: str
    title: str
    so_hieu: str | None
    count: int
    is_procedure: bool  # a built-in procedure card, not a document staff uploaded


@dataclass
class Insights:
    period: Period
    channel: str | None
    days: list[date]
    # channel -> outcome -> questions per day (aligned with `days`); channels that had any
    outcomes: dict[str, dict[str, list[int]]]
    times: list[DayTimes]
    p50_ms: float | None
    p95_ms: float | None
    thumbs_up: list[int]
    thumbs_down: list[int]
    cited: list[Cited]
    topics: list[Topic]  # the MAX_TOPICS largest
    topics_total: int
    trends: list[tuple[str, int, int]]  # per topic: see `topics.trend`
    unanswered_wordings: int  # distinct wordings grouped (at most MAX_WORDINGS)
    ungrouped_by_meaning: list[str] = field(default_factory=list)  # wording keys not embedded
    generated_at: float = field(default_factory=time.time)

    @property
    def totals(self) -> dict[str, int]:
        """Questions per outcome over the period and channels shown."""
        return {
            outcome: sum(sum(per[outcome]) for per in self.outcomes.values())
            for outcome in OUTCOMES
        }

    @property
    def total(self) -> int:
        return sum(self.totals.values())

    @property
    def satisfaction(self) -> float | None:
        """👍 among ratings, None without ratings."""
        up, down = sum(self.thumbs_up), sum(self.thumbs_down)
        return None if up + down == 0 else up / (up + down)


def _percentile(counts: dict[int, int], q: float) -> float | None:
    """numpy's linear percentile of a multiset given as {value: times}, without expanding it."""
    if not counts:
        return None
    values = np.array(sorted(counts), dtype=float)
    ends = np.cumsum([counts[int(v)] for v in values])  # rank after each value's last copy
    rank = q / 100 * (ends[-1] - 1)
    below = int(np.floor(rank))
    low = values[np.searchsorted(ends, below, side="right")]
    high = values[np.searchsorted(ends, min(below + 1, ends[-1] - 1), side="right")]
    return float(low + (high - low) * (rank - below))


class InsightsService:
    """Figures over `database`; unanswered wordings are embedded with `embedder` (None: they
    are grouped by their words alone)."""

    # One background embedding run per process: a service is made per request.
    _embedding = threading.Lock()

    def __init__(self, database: Database, embedder: Embedder | None = None) -> None:
        self.stats = QuestionStats(database)
        self.vectors = QuestionVectors(database)
        self.embedder = embedder

    def figures(
        self, period: Period, channel: str | None = None, embed_seconds: float | None = 0.0
    ) -> Insights:
        """The period's figures; up to `embed_seconds` are spent embedding wordings not seen
        before (None: all of them, for a report)."""
        window = period.window(channel)
        outcomes, first_day = self._outcomes(period, window)
        times, p50, p95 = self._times(period, window)
        up, down = self._ratings(period, window)
        cited = [
            Cited(c.doc_id, c.title, c.so_hieu, c.count, builtin_card(c.doc_id) is not None)
            for c in self.stats.cited(window, TOP_CITED)
        ]
        forms = self.stats.flagged(window, MAX_WORDINGS)
        keys = list(dict.fromkeys(wording_key(f.folded) for f in forms))
        vectors = self.known_vectors(keys)
        if embed_seconds is None or embed_seconds > 0:
            vectors.update(self.embed(keys, vectors, embed_seconds))
        grouped = group_topics(forms, vectors)
        topics = self._with_examples(grouped[:MAX_TOPICS], window)
        return Insights(
            period=period,
            channel=channel,
            days=period.days,
            outcomes=outcomes,
            times=times,
            p50_ms=p50,
            p95_ms=p95,
            thumbs_up=up,
            thumbs_down=down,
            cited=cited,
            topics=topics,
            topics_total=len(grouped),
            # Halves of the days the log covers: a log started mid-period makes no topic new.
            trends=[trend(t.days, range(first_day, period.day_numbers.stop)) for t in topics],
            unanswered_wordings=len(keys),
            ungrouped_by_meaning=[k for k in keys if k not in vectors] if self.embedder else [],
        )

    def _outcomes(
        self, period: Period, window: Window
    ) -> tuple[dict[str, dict[str, list[int]]], int]:
        """Questions per channel, outcome and day (channels in the page's order), and the
        first day anything was asked."""
        index = {d: i for i, d in enumerate(period.day_numbers)}
        outcomes: dict[str, dict[str, list[int]]] = {}
        first_day = period.day_numbers.stop
        for day, name, status, n in self.stats.outcomes(window):
            per = outcomes.setdefault(name, {o: [0] * len(index) for o in OUTCOMES})
            if day in index and status in per:
                per[status][index[day]] += n
                first_day = min(first_day, day)
        order = list(CHANNEL_LABELS)
        return dict(sorted(outcomes.items(), key=lambda kv: _rank(order, kv[0]))), first_day

    def _times(
        self, period: Period, window: Window
    ) -> tuple[list[DayTimes], float | None, float | None]:
        """Answer time p50/p95 per day and over the period."""
        by_day: dict[int, dict[int, int]] = {}
        every: dict[int, int] = {}
        for day, ms, n in self.stats.answer_times(window):
            by_day.setdefault(day, {})[ms] = n
            every[ms] = every.get(ms, 0) + n
        times = [
            DayTimes(
                day_date(d),
                sum(by_day.get(d, {}).values()),
                _percentile(by_day.get(d, {}), 50),
                _percentile(by_day.get(d, {}), 95),
            )
            for d in period.day_numbers
        ]
        return times, _percentile(every, 50), _percentile(every, 95)

    def _ratings(self, period: Period, window: Window) -> tuple[list[int], list[int]]:
        index = {d: i for i, d in enumerate(period.day_numbers)}
        up, down = [0] * len(index), [0] * len(index)
        for day, rating, n in self.stats.ratings(window):
            if day in index:
                (up if rating == "up" else down)[index[day]] += n
        return up, down

    def _with_examples(self, topics: list[Topic], window: Window) -> list[Topic]:
        """Topics with their examples, read for the first forms of each topic only (reading
        how every question was typed would read every unanswered question's row)."""
        typed = self.stats.wordings(window, [f.folded for t in topics for f in t.forms[:EXAMPLES]])
        for topic in topics:
            # Logged masked already; masked again for rows logged before masking existed.
            masked = [
                replace(f, wordings=[(mask_pii(q), i, n) for q, i, n in typed.get(f.folded, [])])
                for f in topic.forms[:EXAMPLES]
            ]
            topic.examples = pick_examples(masked)
        return topics

    # -- embeddings of unanswered wordings -------------------------------------------------
    @property
    def cache_key(self) -> str:
        # Wordings are embedded as passages: e5-style models compare two questions better so
        # than as queries (measured on the topics of tests/bot/insights/test_insights_topics.py).
        return f"{self.embedder.id}:passage" if self.embedder else ""

    def known_vectors(self, keys: list[str]) -> dict[str, np.ndarray]:
        if self.embedder is None or not keys:
            return {}
        return self.vectors.get(self.cache_key, keys)

    def embed(
        self, keys: list[str], known: dict[str, np.ndarray], seconds: float | None
    ) -> dict[str, np.ndarray]:
        """Embed and store the `keys` not in `known`, within `seconds` (None: no limit)."""
        if self.embedder is None:
            return {}
        missing = [k for k in keys if k not in known]
        deadline = None if seconds is None else time.monotonic() + seconds
        made: dict[str, np.ndarray] = {}
        for start in range(0, len(missing), EMBED_BATCH):
            if deadline is not None and time.monotonic() >= deadline:
                break
            batch = missing[start : start + EMBED_BATCH]
            matrix = self.embedder.embed_passages(batch)
            fresh = dict(zip(batch, matrix, strict=True))
            self.vectors.put(self.cache_key, fresh)
            made.update(fresh)
        return made

    def embed_later(self, keys: list[str]) -> None:
        """Embed what a page left out (run after the response is sent); a run already under
        way in this process is enough."""
        if not keys or not self._embedding.acquire(blocking=False):
            return
        try:
            self.embed(keys, self.known_vectors(keys), None)
        finally:
            self._embedding.release()


def _rank(order: list[str], channel: str) -> tuple[int, str]:
    return (order.index(channel) if channel in order else len(order), channel)
