"""Charts drawn on the server as inline SVG: no script, nothing to download, they print.

Each chart is laid out for a phone (a 360-unit-wide view box whose text stays readable when
the SVG is 340 px wide) and scales up on a desktop. Colours are SVG attributes, not styles,
so the console's content security policy (no inline style) lets them through. Every chart
carries a <title> and a one-sentence <desc>; the numbers themselves are in the tables the
page puts beside each chart.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup, escape

WIDTH, HEIGHT = 360, 190
LEFT, RIGHT, TOP, BOTTOM = 36, 8, 10, 24
FONT = 12
AXIS = "#5b6776"
GRID = "#d7dde4"
MAX_LABELS = 6


@dataclass(frozen=True)
class Series:
    label: str
    colour: str
    values: list[float | None]


def nice_step(maximum: float, ticks: int = 4, whole: bool = False) -> float:
    """A round step (1, 2, 2.5 or 5 × 10^n) giving about `ticks` grid lines up to `maximum`;
    `whole` for counts, whose axis never reads "2,5 câu"."""
    if maximum <= 0:
        return 1.0
    raw = maximum / ticks
    if whole and raw <= 1:
        return 1.0
    power = 10 ** math.floor(math.log10(raw))
    factors = (1, 2, 5, 10) if whole else (1, 2, 2.5, 5, 10)
    for factor in factors:
        if raw <= factor * power:
            return factor * power
    return 10 * power


def _fmt(value: float) -> str:
    """A tick label: no decimals unless the step needs them, Vietnamese decimal comma."""
    text = f"{value:.0f}" if value == int(value) else f"{value:.1f}"
    return text.replace(".", ",")


def _svg(chart_id: str, title: str, desc: str, body: list[str], height: int = HEIGHT) -> Markup:
    return Markup(
        f'<svg class="chart" id="{escape(chart_id)}" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>'
        f'<desc id="{escape(chart_id)}-desc">{escape(desc)}</desc>' + "".join(body) + "</svg>"
    )


class _Frame:
    """Plot area, y scale from 0 (or -`low`) to `high`, and one slot per day."""

    def __init__(self, days: list[date], high: float, low: float = 0.0, whole: bool = True) -> None:
        self.days = days
        self.step = nice_step(high + low, whole=whole)
        self.high = math.ceil(high / self.step) * self.step if high > 0 else self.step
        self.low = math.ceil(low / self.step) * self.step if low > 0 else 0.0
        self.width = WIDTH - LEFT - RIGHT
        self.height = HEIGHT - TOP - BOTTOM
        self.slot = self.width / max(len(days), 1)

    def y(self, value: float) -> float:
        return TOP + (self.high - value) / (self.high + self.low) * self.height

    def x(self, index: int) -> float:
        return LEFT + index * self.slot

    def axes(self, unit: str = "") -> list[str]:
        parts = []
        value = -self.low
        while value <= self.high + 1e-9:
            y = self.y(value)
            colour = AXIS if abs(value) < 1e-9 else GRID
            parts.append(
                f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
                f'stroke="{colour}" stroke-width="1"/>'
                f'<text x="{LEFT - 4}" y="{y + 4:.1f}" font-size="{FONT}" text-anchor="end" '
                f'fill="{AXIS}">{escape(_fmt(abs(value)) + unit)}</text>'
            )
            value += self.step
        every = max(1, math.ceil(len(self.days) / MAX_LABELS))
        for i in range(0, len(self.days), every):
            x = self.x(i) + self.slot / 2
            parts.append(
                f'<text x="{x:.1f}" y="{HEIGHT - 6}" font-size="{FONT}" text-anchor="middle" '
                f'fill="{AXIS}">{self.days[i]:%d/%m}</text>'
            )
        return parts

    @property
    def bar_width(self) -> float:
        return max(self.slot * 0.75, 0.6)


def stacked_bars(chart_id: str, title: str, days: list[date], series: list[Series]) -> Markup:
    """One bar per day, the series stacked bottom to top in the order given."""
    totals = [sum(s.values[i] or 0 for s in series) for i in range(len(days))]
    frame = _Frame(days, max(totals, default=0))
    body = frame.axes()
    for i in range(len(days)):
        base = 0.0
        for s in series:
            value = s.values[i] or 0
            if value <= 0:
                continue
            top, bottom = frame.y(base + value), frame.y(base)
            body.append(
                f'<rect x="{frame.x(i) + (frame.slot - frame.bar_width) / 2:.1f}" '
                f'y="{top:.1f}" width="{frame.bar_width:.1f}" height="{bottom - top:.1f}" '
                f'fill="{s.colour}"><title>{days[i]:%d/%m}: {escape(s.label)} '
                f"{value:.0f}</title></rect>"
            )
            base += value
    total = sum(totals)
    busiest = max(range(len(days)), key=lambda i: totals[i]) if total else None
    desc = f"{total:.0f} câu hỏi trong {len(days)} ngày"
    if busiest is not None:
        desc += f", nhiều nhất {totals[busiest]:.0f} câu ngày {days[busiest]:%d/%m}"
    return _svg(chart_id, title, desc + ".", body)


def lines(
    chart_id: str, title: str, days: list[date], series: list[Series], unit: str = ""
) -> Markup:
    """One line per series; a day without a value breaks the line (a lone day is a dot)."""
    high = max((v for s in series for v in s.values if v is not None), default=0.0)
    frame = _Frame(days, high, whole=False)
    body = frame.axes(unit)
    for s in series:
        runs: list[list[tuple[float, float]]] = [[]]
        for i, value in enumerate(s.values):
            if value is None:
                runs.append([])
                continue
            runs[-1].append((frame.x(i) + frame.slot / 2, frame.y(value)))
        for run in runs:
            if len(run) == 1:
                x, y = run[0]
                body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{s.colour}"/>')
            elif run:
                points = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
                body.append(
                    f'<polyline points="{points}" fill="none" stroke="{s.colour}" '
                    f'stroke-width="2" stroke-linejoin="round"/>'
                )
    measured = sum(1 for v in series[0].values if v is not None) if series else 0
    desc = f"{measured} ngày có số đo trong {len(days)} ngày"
    if high:
        desc += f", cao nhất {_fmt(round(high, 1))}{unit}"
    return _svg(chart_id, title, desc + ".", body)


def diverging_bars(chart_id: str, title: str, days: list[date], up: Series, down: Series) -> Markup:
    """`up` above the axis, `down` below it, one pair per day."""
    highest = max((v or 0 for v in up.values), default=0)
    lowest = max((v or 0 for v in down.values), default=0)
    frame = _Frame(days, max(highest, 1), lowest)
    body = frame.axes()
    for i in range(len(days)):
        x = frame.x(i) + (frame.slot - frame.bar_width) / 2
        for s, sign in ((up, 1), (down, -1)):
            value = s.values[i] or 0
            if value <= 0:
                continue
            a, b = frame.y(0), frame.y(sign * value)
            body.append(
                f'<rect x="{x:.1f}" y="{min(a, b):.1f}" width="{frame.bar_width:.1f}" '
                f'height="{abs(b - a):.1f}" fill="{s.colour}"><title>{days[i]:%d/%m}: '
                f"{escape(s.label)} {value:.0f}</title></rect>"
            )
    ups = sum(v or 0 for v in up.values)
    downs = sum(v or 0 for v in down.values)
    desc = f"{up.label} {ups:.0f}, {down.label.lower()} {downs:.0f} trong {len(days)} ngày."
    return _svg(chart_id, title, desc, body)


def sparkline(values: list[int], colour: str = "#a3261b") -> Markup:
    """A small bar per day (a topic's trend); decorative, the page says the trend in words."""
    width, height = 120, 24
    high = max(values, default=0) or 1
    slot = width / max(len(values), 1)
    bars = []
    for i, value in enumerate(values):
        if value:
            h = max(value / high * (height - 2), 1.5)
            bars.append(
                f'<rect x="{i * slot:.1f}" y="{height - h:.1f}" width="{max(slot * 0.8, 0.6):.1f}"'
                f' height="{h:.1f}" fill="{colour}"/>'
            )
    return Markup(
        f'<svg class="sparkline" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" aria-hidden="true" focusable="false" '
        f'xmlns="http://www.w3.org/2000/svg"><line x1="0" x2="{width}" y1="{height - 0.5}" '
        f'y2="{height - 0.5}" stroke="{GRID}"/>' + "".join(bars) + "</svg>"
    )


def meter(value: float, maximum: float, colour: str = "#0b5cad") -> Markup:
    """A horizontal bar for a table cell (its number is in the next cell)."""
    width = 100 * (value / maximum if maximum else 0)
    return Markup(
        f'<svg class="meter" viewBox="0 0 100 10" preserveAspectRatio="none" '
        f'aria-hidden="true" focusable="false" xmlns="http://www.w3.org/2000/svg">'
        f'<rect x="0" y="0" width="{width:.1f}" height="10" fill="{colour}"/></svg>'
    )
