"""The project's own evaluation questions, made from an index (`generate`), and the
answerability model fitted on them (`fit`): for calibrating and for held-out figures split by
document."""

from motcua.commands.calibration.folds import split_by_group
from motcua.commands.calibration.generate import generate
from motcua.commands.calibration.generated_question import (
    GeneratedQuestion,
    read_jsonl,
    write_jsonl,
)

__all__ = ["GeneratedQuestion", "generate", "read_jsonl", "split_by_group", "write_jsonl"]
