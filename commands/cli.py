"""The `motcua` command. Each command is a thin shell over a Python function."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from motcua.commands.help_flags import FlagCommand, FlagGroup
from motcua.commands.report import report_command
from motcua.settings import Settings, get_settings

if TYPE_CHECKING:
    from motcua.bot.answering.pipeline import QuestionPipeline

app = typer.Typer(
    cls=FlagGroup,
    add_completion=False,
    no_args_is_help=True,
    help="motcua: hỏi đáp thủ tục hành chính ngành giáo dục (CCHC question answering).",
)

IndexDir = Annotated[
    Path | None,
    typer.Option(
        "--index-dir", help="Index directory (default: MOTCUA_INDEX_DIR or ./motcua-index)"
    ),
]


MAX_LISTED = 10  # file names listed in one message; the rest are counted
MAX_LOOKUP = 1000  # records a registry search may find, before --limit shows the first


def _settings(index_dir: Path | None) -> Settings:
    settings = get_settings()
    if index_dir is not None:
        settings = settings.model_copy(update={"index_dir": index_dir})
    return settings


@app.command(cls=FlagCommand)
def ingest(
    paths: Annotated[list[Path] | None, typer.Argument(help="Files or folders to ingest")] = None,
    index_dir: IndexDir = None,
    builtin: Annotated[
        bool,
        typer.Option("--builtin", help="Also ingest the built-in procedure cards"),
    ] = False,
) -> None:
    """Read documents (.txt .md .pdf .docx .html) into the index."""
    from motcua.index.builds import ingest_into_index
    from motcua.ingest.loaders import LOADERS, iter_files, unsupported_files

    if not paths and not builtin:
        typer.echo("Cần ít nhất một đường dẫn hoặc --builtin (give a PATH or --builtin).", err=True)
        raise typer.Exit(2)
    paths = paths or []
    # Checked before anything is written: a mistyped path must not leave an empty index.
    missing = [p for p in paths if not p.exists()]
    for path in missing:
        typer.echo(f"Không tìm thấy: {path} (not found)", err=True)
    if missing:
        raise typer.Exit(1)
    skipped = unsupported_files(paths)
    if skipped:
        names = ", ".join(str(p) for p in skipped[:MAX_LISTED])
        more = f" … (+{len(skipped) - MAX_LISTED})" if len(skipped) > MAX_LISTED else ""
        typer.echo(
            f"Bỏ qua {len(skipped)} tệp không hỗ trợ (unsupported files skipped): {names}{more}",
            err=True,
        )
    if paths and not builtin and next(iter_files(paths), None) is None:
        kinds = " ".join(sorted(LOADERS))
        typer.echo(f"Không có tài liệu nào để nạp ({kinds}) (no document to ingest).", err=True)
        raise typer.Exit(1)
    from motcua.commands.ingest_progress import progress_for

    # A bar where a person watches (stderr on a terminal), a line per file in a log.
    progress = progress_for(sys.stderr)
    try:
        report = ingest_into_index(paths, _settings(index_dir), builtin=builtin, progress=progress)
    finally:
        progress.close()  # an error leaves a bar where it stopped, the cursor below it
    for path, reason in report.failed:
        typer.echo(f"Bỏ qua {path}: {reason.removeprefix(f'{path}: ')}", err=True)
    typer.echo(report.summary())
    if report.failed and not report.added and not report.skipped:
        raise typer.Exit(1)


@app.command(cls=FlagCommand)
def ask(
    question: Annotated[str, typer.Argument(help="The question, or - to read one per line")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the JSON answer")] = False,
    index_dir: IndexDir = None,
) -> None:
    """Answer a question (or, with -, every line of standard input)."""
    from motcua.bot.answering.loading import load_responder
    from motcua.bot.answering.pipeline import standalone_pipeline
    from motcua.index.store import EmbedderMismatch, IndexNotFound

    settings = _settings(index_dir)
    try:
        responder = load_responder(settings)
    except (IndexNotFound, EmbedderMismatch) as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc
    questions = (line.rstrip("\n") for line in sys.stdin) if question == "-" else [question]
    # Answered as the API answers (curated answers, clarifying questions); an operator's
    # questions stay out of the public's question log.
    with standalone_pipeline(settings, responder, log_questions=False) as pipeline:
        limit = settings.max_question_chars
        status = _ask_each(pipeline, questions, limit, from_stdin=question == "-", as_json=as_json)
    raise typer.Exit(status)


def _ask_each(
    pipeline: QuestionPipeline,
    questions: Iterable[str],
    max_chars: int,
    *,
    from_stdin: bool,
    as_json: bool,
) -> int:
    """Print each question's answer; the exit status (2 when a question was unusable)."""
    from motcua.bot.answering.pipeline import Question
    from motcua.bot.web.validation import QuestionError, clean_question

    status = 0
    for raw in questions:
        if from_stdin and not raw.strip():
            continue
        try:
            text = clean_question(raw, max_chars)
        except QuestionError as exc:
            status = 2
            payload = {"question": raw, "error": exc.message}
            typer.echo(
                json.dumps(payload, ensure_ascii=False) if as_json else exc.message, err=not as_json
            )
            continue
        answer = pipeline.ask(Question(text, channel="cli"))
        if as_json:
            typer.echo(json.dumps(answer.to_dict(), ensure_ascii=False))
        else:
            typer.echo(answer.answer)
            # A clarify answer's choices, each with the question to ask for it.
            for i, s in enumerate(answer.suggestions, start=1):
                typer.echo(f"  {i}) {s.label}: {s.question}")
            for i, c in enumerate(answer.citations, start=1):
                section = f", mục {c.section}" if c.section else ""
                typer.echo(f"  [{i}] {c.title}{section}")
    return status


@app.command(cls=FlagCommand)
def calibrate(
    index_dir: IndexDir = None,
    questions: Annotated[
        list[Path] | None,
        typer.Option("--questions", help="Labelled questions (JSON lines) to fit on as well"),
    ] = None,
    oos_error: Annotated[
        float | None,
        typer.Option(
            min=0.0,
            max=0.5,
            help="Share of generated out-of-scope questions allowed to escape (default 0.05)",
        ),
    ] = None,
    save: Annotated[
        bool,
        typer.Option("--save/--dry-run", help="Write the model into the index folder"),
    ] = True,
    answers: Annotated[
        bool,
        typer.Option("--answers/--no-answers", help="Report end-to-end held-out answers"),
    ] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON")] = False,
) -> None:
    """Fit the answerability model on questions made from this index; print its held-out report."""
    from motcua.bot.answering.answerability_model import MODEL_FILE
    from motcua.bot.answering.loading import load_responder
    from motcua.commands.calibration.calibrate import calibrate as fit_index
    from motcua.commands.calibration.fit import OOS_ERROR
    from motcua.evaluation import load_questions
    from motcua.index.store import EmbedderMismatch, IndexNotFound

    settings = _settings(index_dir)
    try:
        responder = load_responder(settings)
        extra = load_questions(*(questions or []))
    except (IndexNotFound, EmbedderMismatch, OSError, ValueError) as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc
    progress = None if as_json else (lambda line: typer.echo(line, err=True))
    result = fit_index(
        responder,
        extra,
        oos_error=OOS_ERROR if oos_error is None else oos_error,
        answers=answers,
        progress=progress,
    )
    report = result.model.report
    if save:
        target = Path(settings.index_dir) / MODEL_FILE
        result.model.save(target)
        report = {**report, "saved_to": str(target)}
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False, indent=1))
        return
    held = report["held_out"]
    typer.echo(
        f"{report['rows']} câu hỏi ({report['groups']} nhóm) / labelled questions (groups)\n"
        f"Ngưỡng từ chối / refuse below: {result.model.refuse_below:.3f}; "
        f"trả lời từ / answer from: {result.model.answer_from:.3f}\n"
        f"Đánh giá chéo theo tài liệu / held out by document: "
        f"từ chối nhầm / false refusals {held['false_refusal_rate']:.1%}, "
        f"hỏi lại / asked back {held['asked_back_in_scope']:.1%}, "
        f"ngoài phạm vi bị từ chối / out of scope refused {held['out_of_scope_refused']:.1%}"
    )
    answered = report.get("answers_held_out") or {}
    if answered:
        typer.echo(
            f"Trả lời / answers: hit@1 {answered['hit@1']}, answer-fact {answered['answer_fact']}, "
            f"false refusals {answered['false_refusal_rate']}, "
            f"out of scope refused {answered['out_of_scope_refused']}"
        )
    if save:
        typer.echo(f"Đã lưu / saved: {report['saved_to']}")


@app.command(cls=FlagCommand)
def decrees(
    query: Annotated[str | None, typer.Argument(help="A number (61/2018) or words")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON records")] = False,
    limit: Annotated[int, typer.Option(help="At most this many records")] = 20,
    index_dir: IndexDir = None,
) -> None:
    """Look up the legal documents the ingested documents cite (số hiệu, date, who cites it)."""
    from motcua.bot.answering.loading import resolve_index
    from motcua.commands.decree_lines import record_lines
    from motcua.index.build import load_registry
    from motcua.index.store import IndexNotFound

    try:
        registry = load_registry(resolve_index(_settings(index_dir).index_dir))
    except IndexNotFound as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc
    if query:
        # Words ("một cửa") list every record that fits, never only the best one.
        exact = registry.exact(query)
        found = [exact] if exact else registry.search(query, limit=MAX_LOOKUP)
    else:
        found = list(registry.records.values())
    if not found:
        typer.echo("Không tìm thấy văn bản nào (no legal document found).", err=True)
        raise typer.Exit(1)
    records = found[:limit]
    for record in records:
        if as_json:
            typer.echo(json.dumps(registry.record_dict(record), ensure_ascii=False))
            continue
        for line in record_lines(registry, record):
            typer.echo(line)
    if len(found) > len(records):
        # Never cut the list silently: say how many there are and how to see more.
        typer.echo(
            f"{len(records)}/{len(found)} văn bản; thêm --limit để xem thêm "
            f"({len(records)} of {len(found)} shown; use --limit)",
            err=True,
        )


@app.command(cls=FlagCommand)
def procedures(
    query: Annotated[
        str | None, typer.Argument(help="A procedure code (1.010219) or words")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the page as JSON")] = False,
    limit: Annotated[int, typer.Option(min=1, max=100, help="At most this many records")] = 20,
    offset: Annotated[int, typer.Option(min=0, help="Skip this many records")] = 0,
    index_dir: IndexDir = None,
) -> None:
    """Look up the procedure catalogue: procedures the ingested decisions publish (code, name,
    time limit, fee, where to submit), each with its decision and row; as GET /v1/procedures."""
    from motcua.bot.answering.loading import resolve_index
    from motcua.index.build import load_catalogue
    from motcua.index.catalogue import MAX_QUERY_CHARS, catalogue_page
    from motcua.index.store import IndexNotFound

    if query and len(query) > MAX_QUERY_CHARS:
        typer.echo(f"Từ khóa quá dài (tối đa {MAX_QUERY_CHARS} ký tự) / query too long.", err=True)
        raise typer.Exit(2)
    try:
        catalogue = load_catalogue(resolve_index(_settings(index_dir).index_dir))
    except IndexNotFound as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc
    page = catalogue_page(catalogue, query or "", limit, offset)
    if as_json:
        typer.echo(json.dumps(page, ensure_ascii=False))
    if not page["items"]:
        typer.echo("Không tìm thấy thủ tục nào (no procedure found).", err=True)
        raise typer.Exit(1)
    if as_json:
        return
    for item in page["items"]:
        code = f"{item['code']} · " if item["code"] else ""
        typer.echo(f"{code}{item['name']}")
        for key, label in (
            ("field", "lĩnh vực"),
            ("time_limit", "thời hạn"),
            ("fee", "phí, lệ phí"),
            ("place", "nơi tiếp nhận"),
        ):
            if item[key]:
                typer.echo(f"  {label}: {item[key]}")
        abolished = " (danh mục bị bãi bỏ)" if item["abolished"] else ""
        typer.echo(f"  theo: {item['decision']}, mục {item['section']}{abolished}")
    shown = page["offset"] + len(page["items"])
    if shown < page["total"]:
        typer.echo(f"… {page['total'] - shown} thủ tục nữa: --offset {shown}")


@app.command(cls=FlagCommand)
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port")] = 8000,
    index_dir: IndexDir = None,
    workers: Annotated[
        int, typer.Option(min=1, help="Worker processes sharing the port (uvicorn)")
    ] = 1,
) -> None:
    """Run the HTTP service (POST /v1/ask). Ctrl-C stops it with status 0."""
    try:
        from motcua.commands.serve import run

        run(_settings(index_dir), host=host, port=port, workers=workers)
    except KeyboardInterrupt:
        # Ctrl-C while the index loads, before uvicorn takes the signal over (once serving,
        # uvicorn shuts down and returns): a stop asked for, not a failure. Exiting 130 made
        # `make run` report "Error 130" and exit 2.
        typer.echo("Đã dừng (stopped).", err=True)


def _open_database(settings: Settings):  # noqa: ANN202 - a motcua Database
    """The shared-state database, migrated; exit 1 with the reason when it is unreachable."""
    from motcua.storage.database import Database, DatabaseUnavailable

    try:
        return Database.open(settings)
    except DatabaseUnavailable as exc:
        typer.echo(f"Không kết nối được cơ sở dữ liệu: {exc}", err=True)
        raise typer.Exit(1) from exc


@app.command(cls=FlagCommand)
def migrate() -> None:
    """Create or upgrade the shared-state database schema (MOTCUA_DATABASE_URL, Alembic)."""

    settings = get_settings()
    database = _open_database(settings)
    typer.echo(f"Lược đồ đã cập nhật (schema up to date): {database.engine.url!r}")
    database.close()


@app.command(cls=FlagCommand)
def purge(
    days: Annotated[
        int | None,
        typer.Option(min=0, help="Keep this many days (default MOTCUA_QUESTION_LOG_DAYS)"),
    ] = None,
) -> None:
    """Delete logged questions, answers and ratings older than the retention period now."""
    import time

    from motcua.storage.interactions import DAY_SECONDS, Interactions

    settings = get_settings()
    keep = settings.question_log_days if days is None else days
    if not keep:
        typer.echo("Không xoá gì: thời hạn lưu là 0 (giữ mãi). / Nothing deleted: retention is 0.")
        return
    database = _open_database(settings)
    try:
        deleted = Interactions(database).purge(time.time() - keep * DAY_SECONDS)
    finally:
        database.close()
    typer.echo(f"Đã xoá {deleted} câu hỏi cũ hơn {keep} ngày. / Deleted {deleted} questions.")


app.command("report", cls=FlagCommand)(report_command)


@app.command(cls=FlagCommand)
def worker(
    index_dir: IndexDir = None,
    burst: Annotated[
        bool,
        typer.Option("--burst", help="Stop when the queue is empty (scripts, tests)"),
    ] = False,
) -> None:
    """Run ingest jobs from the Redis queue (uploads, deletions) and publish index versions."""
    from motcua.index.ingest_jobs import run_worker
    from motcua.logs import configure_logging

    if index_dir is not None:
        # Jobs read their settings from the environment (RQ passes only the job id).
        os.environ["MOTCUA_INDEX_DIR"] = str(index_dir.resolve())
        get_settings.cache_clear()
    settings = get_settings()
    configure_logging(settings)
    run_worker(settings, burst=burst)


@app.command(cls=FlagCommand)
def telegram(
    polling: Annotated[
        bool,
        typer.Option("--polling", help="Answer by long polling (local use, no webhook)"),
    ] = False,
    set_webhook: Annotated[
        str | None,
        typer.Option("--set-webhook", help="Register this https URL as the bot's webhook"),
    ] = None,
    index_dir: IndexDir = None,
) -> None:
    """Run the Telegram bot by polling, or register its webhook (setWebhook with the secret)."""
    from motcua.bot.channels import telegram_cli as channel

    settings = _settings(index_dir)
    if not settings.telegram_bot_token:
        typer.echo("Thiếu MOTCUA_TELEGRAM_BOT_TOKEN (the bot token is not set).", err=True)
        raise typer.Exit(2)
    if set_webhook:
        try:
            registered = channel.set_webhook(settings, set_webhook)
        except ValueError as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(2) from exc
        typer.echo(f"Webhook: {registered}")
        return
    if not polling:
        typer.echo("Chọn --polling hoặc --set-webhook URL (choose one).", err=True)
        raise typer.Exit(2)
    from motcua.bot.answering.loading import load_responder
    from motcua.bot.answering.pipeline import standalone_pipeline

    # The webhook's pipeline: curated answers, the dialogue, the question log.
    with standalone_pipeline(settings, load_responder(settings)) as pipeline:
        channel.run_polling(
            settings, pipeline.ask, data_dir=settings.data_dir, choice_fn=pipeline.choice
        )


if __name__ == "__main__":
    app()
