"""The insights as one CSV for the department's spreadsheets: one figure per row.

Long format (section, day, channel, measure, value, text) so every figure fits one sheet and
a pivot table rebuilds any chart. UTF-8 with a byte-order mark: Excel otherwise reads
Vietnamese as Latin-1. Question text goes through `spreadsheet_text`, since anyone can type a
question that a spreadsheet would run as a formula.
"""

from __future__ import annotations

import csv
import io

from motcua.bot.insights.period import CHANNEL_LABELS, RATING_LABELS
from motcua.bot.insights.service import Insights
from motcua.storage.interactions import spreadsheet_text

HEADER = ["muc", "ngay", "kenh", "chi_so", "gia_tri", "noi_dung"]


def _number(value: float | None, digits: int = 0) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def insights_csv(insights: Insights) -> str:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    channel = insights.channel or "all"
    writer.writerow(["ky", insights.period.first.isoformat(), channel, "tu_ngay", "", ""])
    writer.writerow(["ky", insights.period.last.isoformat(), channel, "den_ngay", "", ""])
    for name, per in insights.outcomes.items():
        label = CHANNEL_LABELS.get(name, name)
        for outcome, counts in per.items():
            for day, n in zip(insights.days, counts, strict=True):
                if n:
                    writer.writerow(["cau_hoi", day.isoformat(), name, outcome, n, label])
    for times in insights.times:
        if times.answers:
            day = times.day.isoformat()
            writer.writerow(["thoi_gian_tra_loi", day, channel, "so_cau", times.answers, ""])
            writer.writerow(
                ["thoi_gian_tra_loi", day, channel, "p50_ms", _number(times.p50_ms), ""]
            )
            writer.writerow(
                ["thoi_gian_tra_loi", day, channel, "p95_ms", _number(times.p95_ms), ""]
            )
    writer.writerow(["thoi_gian_tra_loi", "", channel, "p50_ms", _number(insights.p50_ms), "cả kỳ"])
    writer.writerow(["thoi_gian_tra_loi", "", channel, "p95_ms", _number(insights.p95_ms), "cả kỳ"])
    for day, up, down in zip(insights.days, insights.thumbs_up, insights.thumbs_down, strict=True):
        if up or down:
            for rating, n in (("up", up), ("down", down)):
                writer.writerow(
                    ["danh_gia", day.isoformat(), channel, rating, n, RATING_LABELS[rating]]
                )
    share = insights.satisfaction
    writer.writerow(["danh_gia", "", channel, "ti_le_hai_long", _number(share, 4), "cả kỳ"])
    for cited in insights.cited:
        kind = "thu_tuc" if cited.is_procedure else "van_ban"
        title = spreadsheet_text(cited.title)
        writer.writerow(["trich_dan", "", channel, f"{kind}:{cited.doc_id}", cited.count, title])
    for number, (topic, (direction, first, second)) in enumerate(
        zip(insights.topics, insights.trends, strict=True), start=1
    ):
        examples = " | ".join(e.question for e in topic.examples)
        measure = f"chu_de_{number}"
        writer.writerow(
            ["chua_tra_loi", "", channel, measure, topic.size, spreadsheet_text(examples)]
        )
        writer.writerow(
            ["chua_tra_loi", "", channel, f"{measure}_xu_huong", second - first, direction]
        )
    return out.getvalue()
