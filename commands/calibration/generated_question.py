"""A generated question: what each row holds, how a question becomes its rows (the plain
form and rewrites drawn from `transforms`), and the JSONL files the rows are kept in."""

from __future__ import annotations

import json
import random
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from motcua.commands.calibration.transforms import Setting, apply
from motcua.evaluation import EvalQuestion
from motcua.text import fold_phrase

KIND_DOCUMENT = "document"
KIND_PARTICULARS = "particulars"
KIND_PROCEDURE = "procedure"
KIND_OUT_OF_SCOPE = "out_of_scope"


# Rewrites drawn for each question, beside its plain form. Place names a home province or a
# school: it fits a parent's procedure question, not one about a given plan or decree (a
# province there would contradict the document's own).
DOCUMENT_TRANSFORMS = (
    "stripped",
    "chat",
    "typo",
    "greeting",
    "reordered",
    "chat+stripped",
    "greeting+stripped",
    "typo+stripped",
    "greeting+chat",
    "reordered+stripped",
)
PROCEDURE_TRANSFORMS = (
    *DOCUMENT_TRANSFORMS,
    "place",
    "place+chat",
    "place+greeting",
    "place+stripped",
    "greeting+place+chat+stripped",
)
REWRITES_PER_QUESTION = 2


@dataclass
class GeneratedQuestion(EvalQuestion):
    """An evaluation question (scored by `motcua.evaluation`) with where it came from."""

    group: str = ""  # the doc_id or card id it was made from, or "oos:<family>"
    transform: str = "plain"  # "plain", "chat", "chat+stripped", …

    def to_eval_question(self) -> EvalQuestion:
        return EvalQuestion(
            id=self.id,
            kind=self.kind,
            question=self.question,
            expect_docs=list(self.expect_docs),
            expect_any=list(self.expect_any),
            expect_all=list(self.expect_all),
            expect_refused=self.expect_refused,
        )


def _slug(text: str) -> str:
    return fold_phrase(text).replace(" ", "-") or "x"


@dataclass
class _Base:
    id: str
    kind: str
    question: str
    group: str
    expect_docs: list[str] = field(default_factory=list)
    expect_any: list[str] = field(default_factory=list)
    refused: bool = False
    setting: Setting = Setting()
    transforms: Sequence[str] = DOCUMENT_TRANSFORMS


def _rows(
    base: _Base, seed: int, rewrites: int = REWRITES_PER_QUESTION
) -> Iterator[GeneratedQuestion]:
    def row(suffix: str, question: str, transform: str) -> GeneratedQuestion:
        return GeneratedQuestion(
            id=base.id + suffix,
            kind=base.kind,
            question=question,
            expect_docs=list(base.expect_docs),
            expect_any=list(base.expect_any),
            expect_refused=base.refused,
            group=base.group,
            transform=transform,
        )

    yield row("", base.question, "plain")
    rng = random.Random(f"{seed}:{base.id}")
    names = list(base.transforms)
    rng.shuffle(names)
    made = {base.question}
    for name in names:
        if len(made) > rewrites:
            break
        rewritten = apply(base.question, name, rng, base.setting)
        if rewritten and rewritten not in made:
            made.add(rewritten)
            yield row(f"~{name}", rewritten, name)


def write_jsonl(questions: Iterable[GeneratedQuestion], path: Path | str) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for q in questions:
            fh.write(json.dumps(asdict(q), ensure_ascii=False) + "\n")
    return path


def read_jsonl(path: Path | str) -> list[GeneratedQuestion]:
    fields = GeneratedQuestion.__dataclass_fields__
    out = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            raw = json.loads(line)
            out.append(GeneratedQuestion(**{k: v for k, v in raw.items() if k in fields}))
    return out
