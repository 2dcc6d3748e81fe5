"""What the insights page and the printable report show, from one `Insights`: charts as SVG,
the same numbers as table rows, Vietnamese labels. No HTTP here.

Dataclasses rather than pydantic models: the SVG is `Markup` and must reach the template as
such (a pydantic str field would turn it back into text, which the template escapes).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

import jinja2
from markupsafe import Markup

from motcua.bot.insights.period import (
    CHANNEL_LABELS,
    OUTCOME_LABELS,
    OUTCOMES,
    RATING_LABELS,
    UTC_OFFSET_SECONDS,
    today,
)
from motcua.bot.insights.service import Insights
from motcua.bot.web.console import charts
from motcua.bot.web.console.admin_views import PREFIX, curate_link
from motcua.bot.web.console.pieces import card_link, document_link

PAGE = f"{PREFIX}/insights"
COLOURS = {"answered": "#0b5cad", "clarify": "#d98c00", "refused": "#a3261b"}
UP_COLOUR, DOWN_COLOUR = "#2e8b57", "#a3261b"
P50_COLOUR, P95_COLOUR = "#0b5cad", "#d98c00"
RATING_TITLE = "Đánh giá hài lòng và chưa hài lòng mỗi ngày"
TREND_TEXT = {"up": "Đang tăng", "down": "Đang giảm", "steady": "Ổn định", "new": "Mới xuất hiện"}
PRESETS = (7, 30, 90)
TOPICS_SHOWN = 20
TEMPLATES = Path(__file__).resolve().parent / "templates"


def _number(value: float) -> str:
    """1234 -> "1.234": Vietnamese groups thousands with a dot."""
    return f"{value:,.0f}".replace(",", ".")


def _share(part: int, whole: int) -> str:
    return "–" if not whole else f"{100 * part / whole:.0f}%"


def _seconds(ms: float | None) -> str:
    return "–" if ms is None else f"{ms / 1000:.2f}".replace(".", ",") + " giây"


@dataclass
class Card:
    label: str
    value: str
    note: str = ""


@dataclass
class ChannelChart:
    key: str
    label: str
    svg: Markup
    rows: list[list[str]]  # day, one count per outcome, total
    totals: list[str]


@dataclass
class CitedRow:
    label: str
    kind: str
    count: int
    link: str
    bar: Markup


@dataclass
class TopicRow:
    rank: int
    size: int
    refused: int
    thumbs_down: int
    examples: list[str]
    trend: str  # raw, for styling
    trend_text: str
    first_half: int
    second_half: int
    sparkline: Markup
    last_asked: str
    curate_link: str


@dataclass
class InsightsPage:
    since: str
    until: str
    channel: str
    period_label: str = ""
    channel_label: str = "Tất cả kênh"
    channels: list[tuple[str, str]] = field(default_factory=list)
    presets: list[tuple[str, str]] = field(default_factory=list)
    error: str | None = None
    csv_link: str = ""
    print_link: str = ""
    generated: str = ""
    cards: list[Card] = field(default_factory=list)
    outcome_labels: list[str] = field(default_factory=list)
    channel_charts: list[ChannelChart] = field(default_factory=list)
    time_chart: Markup | None = None
    time_rows: list[list[str]] = field(default_factory=list)
    rating_chart: Markup | None = None
    rating_rows: list[list[str]] = field(default_factory=list)
    cited: list[CitedRow] = field(default_factory=list)
    topics: list[TopicRow] = field(default_factory=list)
    topics_total: int = 0
    unanswered_wordings: int = 0
    ungrouped: int = 0
    legend: list[tuple[str, str]] = field(default_factory=list)
    rating_legend: list[tuple[str, str]] = field(default_factory=list)


def query_link(path: str, since: str, until: str, channel: str) -> str:
    params = {k: v for k, v in (("since", since), ("until", until), ("channel", channel)) if v}
    return path + (f"?{urlencode(params)}" if params else "")


def filters(since: str, until: str, channel: str, now: float | None = None) -> InsightsPage:
    """The page's filter form alone (what an invalid request is answered with)."""
    end = today(now)
    presets = [
        (
            f"{days} ngày",
            query_link(PAGE, (end - timedelta(days=days - 1)).isoformat(), "", channel),
        )
        for days in PRESETS
    ]
    return InsightsPage(
        since=since,
        until=until,
        channel=channel,
        channels=[("", "Tất cả kênh"), *CHANNEL_LABELS.items()],
        presets=presets,
    )


def when(stamp: float) -> str:
    """A time in Vietnam, whatever the server's clock zone: the charts count Vietnam days."""
    return time.strftime("%H:%M %d/%m/%Y", time.gmtime(stamp + UTC_OFFSET_SECONDS))


def _day(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def _channel_charts(data: Insights) -> list[ChannelChart]:
    made = []
    for key, per in data.outcomes.items():
        label = CHANNEL_LABELS.get(key, key)
        series = [
            charts.Series(OUTCOME_LABELS[o], COLOURS[o], [float(n) for n in per[o]])
            for o in OUTCOMES
        ]
        svg = charts.stacked_bars(
            f"chart-questions-{key}", f"Câu hỏi mỗi ngày qua {label}", data.days, series
        )
        rows = []
        for i, day in enumerate(data.days):
            counts = [per[o][i] for o in OUTCOMES]
            if sum(counts):
                rows.append([_day(day), *map(_number, counts), _number(sum(counts))])
        sums = [sum(per[o]) for o in OUTCOMES]
        made.append(ChannelChart(key, label, svg, rows, [*map(_number, sums), _number(sum(sums))]))
    return made


def _cards(data: Insights) -> list[Card]:
    totals, total = data.totals, data.total
    up, down = sum(data.thumbs_up), sum(data.thumbs_down)
    share = data.satisfaction
    return [
        Card("Câu hỏi", _number(total)),
        *(Card(OUTCOME_LABELS[o], _share(totals[o], total), _number(totals[o])) for o in OUTCOMES),
        Card(
            "Thời gian trả lời (trung vị)", _seconds(data.p50_ms), f"p95: {_seconds(data.p95_ms)}"
        ),
        Card(
            "Mức hài lòng",
            "–" if share is None else f"{100 * share:.0f}%",
            f"{RATING_LABELS['up']} {_number(up)} · {RATING_LABELS['down'].lower()} "
            f"{_number(down)}",
        ),
    ]


def _topics(data: Insights) -> list[TopicRow]:
    rows = []
    numbers = data.period.day_numbers
    for rank, (topic, (direction, first, second)) in enumerate(
        zip(data.topics[:TOPICS_SHOWN], data.trends, strict=False), start=1
    ):
        rows.append(
            TopicRow(
                rank=rank,
                size=topic.size,
                refused=topic.refused,
                thumbs_down=topic.thumbs_down,
                examples=[e.question for e in topic.examples],
                trend=direction,
                trend_text=TREND_TEXT[direction],
                first_half=first,
                second_half=second,
                sparkline=charts.sparkline([topic.days.get(d, 0) for d in numbers]),
                last_asked=when(topic.last_asked),
                curate_link=curate_link(topic.curate_question_id)
                if topic.curate_question_id
                else "",
            )
        )
    return rows


def insights_page(data: Insights, now: float | None = None) -> InsightsPage:
    channel = data.channel or ""
    since, until = data.period.first.isoformat(), data.period.last.isoformat()
    page = filters(since, until, channel, now)
    page.period_label = data.period.label()
    page.channel_label = CHANNEL_LABELS.get(channel, "Tất cả kênh")
    page.csv_link = query_link(f"{PAGE}.csv", page.since, page.until, channel)
    page.print_link = query_link(f"{PAGE}/report", page.since, page.until, channel)
    page.generated = when(data.generated_at)
    page.cards = _cards(data)
    page.outcome_labels = [OUTCOME_LABELS[o] for o in OUTCOMES]
    page.legend = [(OUTCOME_LABELS[o], COLOURS[o]) for o in OUTCOMES]
    page.channel_charts = _channel_charts(data)

    p50 = [None if t.p50_ms is None else t.p50_ms / 1000 for t in data.times]
    p95 = [None if t.p95_ms is None else t.p95_ms / 1000 for t in data.times]
    page.time_chart = charts.lines(
        "chart-times",
        "Thời gian trả lời mỗi ngày (giây)",
        data.days,
        [charts.Series("p50", P50_COLOUR, p50), charts.Series("p95", P95_COLOUR, p95)],
        unit="s",
    )
    page.time_rows = [
        [_day(t.day), _number(t.answers), _seconds(t.p50_ms), _seconds(t.p95_ms)]
        for t in data.times
        if t.answers
    ]
    up = charts.Series(RATING_LABELS["up"], UP_COLOUR, [float(n) for n in data.thumbs_up])
    down = charts.Series(RATING_LABELS["down"], DOWN_COLOUR, [float(n) for n in data.thumbs_down])
    page.rating_chart = charts.diverging_bars("chart-ratings", RATING_TITLE, data.days, up, down)
    page.rating_legend = [(up.label, UP_COLOUR), (down.label, DOWN_COLOUR)]
    page.rating_rows = [
        [_day(day), _number(u), _number(d), _share(u, u + d)]
        for day, u, d in zip(data.days, data.thumbs_up, data.thumbs_down, strict=True)
        if u or d
    ]
    most = max((c.count for c in data.cited), default=0)
    page.cited = [
        CitedRow(
            label=c.title + (f" ({c.so_hieu})" if c.so_hieu and c.so_hieu not in c.title else ""),
            kind="Thủ tục" if c.is_procedure else "Văn bản",
            count=c.count,
            link=card_link(c.doc_id) if c.is_procedure else document_link(c.doc_id),
            bar=charts.meter(c.count, most),
        )
        for c in data.cited
    ]
    page.topics = _topics(data)
    page.topics_total = data.topics_total
    page.unanswered_wordings = data.unanswered_wordings
    page.ungrouped = len(data.ungrouped_by_meaning)
    return page


_report_templates = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=jinja2.select_autoescape()
)


def render_report(page: InsightsPage, base_url: str = "") -> str:
    """The printable report: one self-contained HTML file (its style inline, no script).
    Links are made absolute with `base_url` when it is given."""
    template = _report_templates.get_template("insights_report.html")
    return template.render(page=page, base_url=base_url.rstrip("/"))
