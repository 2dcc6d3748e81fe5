"""`motcua report`: the insights page's figures as a file for the department's own reporting,
printable HTML (prints to PDF as it reads) or CSV.

Unlike the page, the report embeds every unanswered wording it has not seen before (no time
budget), with the embedder the index was built with. Heavy modules are imported when the
command runs, so `motcua --help` stays quick.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from motcua.settings import Settings, get_settings

if TYPE_CHECKING:
    from motcua.index.embedders import Embedder

FORMATS = ("html", "csv")


def index_embedder(settings: Settings) -> Embedder:
    """The embedder the served index was built with; the configured one without an index."""
    from motcua.index.embedders import get_embedder
    from motcua.index.store import MANIFEST
    from motcua.index.versions import NoIndex, resolve

    try:
        manifest = json.loads((resolve(settings.index_dir) / MANIFEST).read_text("utf-8"))
    except (NoIndex, OSError, ValueError):
        return get_embedder(settings.embedder)
    return get_embedder(str(manifest.get("embedder") or settings.embedder))


def build_report(
    settings: Settings, since: str | None, until: str | None, channel: str | None, fmt: str
) -> str:
    """The report's text. Raises `PeriodError` (a `ValueError`) for a bad period or channel,
    `ValueError` for an unknown format, `DatabaseUnavailable` when the log cannot be read."""
    from motcua.bot.insights.export import insights_csv
    from motcua.bot.insights.period import parse_channel, parse_period
    from motcua.bot.insights.service import InsightsService
    from motcua.bot.web.console.insights_view import insights_page, render_report
    from motcua.storage.database import Database

    if fmt not in FORMATS:
        raise ValueError(f"--format: html hoặc csv (html or csv), không phải “{fmt}”.")
    period, chosen = parse_period(since, until), parse_channel(channel)
    database = Database.open(settings)
    try:
        service = InsightsService(database, index_embedder(settings))
        data = service.figures(period, chosen, embed_seconds=None)
    finally:
        database.close()
    if fmt == "csv":
        return insights_csv(data)
    return render_report(insights_page(data), base_url=settings.public_url or "")


def report_command(
    since: Annotated[str | None, typer.Option(help="First day, YYYY-MM-DD (30 days back)")] = None,
    until: Annotated[str | None, typer.Option(help="Last day, YYYY-MM-DD (today)")] = None,
    channel: Annotated[str | None, typer.Option(help="api, console, telegram, zalo")] = None,
    fmt: Annotated[str, typer.Option("--format", help="html (printable) or csv")] = "html",
    out: Annotated[Path | None, typer.Option(help="File to write (default: stdout)")] = None,
    index_dir: Annotated[
        Path | None, typer.Option("--index-dir", help="Index whose embedder groups questions")
    ] = None,
) -> None:
    """Questions, answer times, ratings and unanswered topics of a period, as a report."""
    from motcua.storage.database import DatabaseUnavailable

    settings = get_settings()
    if index_dir is not None:
        settings = settings.model_copy(update={"index_dir": index_dir})
    try:
        text = build_report(settings, since, until, channel, fmt)
    except (ValueError, DatabaseUnavailable) as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2 if isinstance(exc, ValueError) else 1) from exc
    if out is None:
        typer.echo(text, nl=False)
        return
    out.write_text(text, encoding="utf-8")
    typer.echo(f"Đã ghi báo cáo (report written): {out}")
