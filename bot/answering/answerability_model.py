"""The answerability model: boosted trees (or, in an older file, a logistic regression) over
the signals of `answerability`, fitted by `motcua calibrate`, with two thresholds chosen at
fitting for a stated out-of-scope error that split its probability into refuse / ask back /
answer.
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from motcua.bot.answering.answerability import FEATURES, Signals

MODEL_FILE = "answerability.json"  # beside this module (the default) or in an index folder

logger = logging.getLogger(__name__)


@dataclass
class Trees:
    """Boosted decision trees read as plain data: fitted by scikit-learn at calibration,
    stored as JSON with the model and walked here, so answering needs no pickle and no
    scikit-learn. A node is [feature, threshold, left, right, leaf value]; left and right are
    -1 at a leaf. Probability: the sigmoid of the baseline plus one leaf value per tree."""

    baseline: float
    nodes: list[list[list[float]]]
    # The nodes as tuples of Python numbers, made once: indexing a numpy array for every node
    # of a few hundred trees costs more than the walk itself.
    _walk: list[list[tuple[int, float, int, int, float]]] = field(
        init=False, repr=False, compare=False
    )

    @classmethod
    def of(cls, model: Any) -> Trees:
        """From a fitted binary `HistGradientBoostingClassifier` (numeric signals only)."""
        trees = [
            [
                [
                    int(n["feature_idx"]),
                    float(n["num_threshold"]),
                    -1 if n["is_leaf"] else int(n["left"]),
                    -1 if n["is_leaf"] else int(n["right"]),
                    float(n["value"]) if n["is_leaf"] else 0.0,
                ]
                for n in predictor.nodes
            ]
            for (predictor,) in model._predictors
        ]
        return cls(float(np.ravel(model._baseline_prediction)[0]), trees)

    @classmethod
    def from_dict(cls, data: dict) -> Trees:
        return cls(float(data["baseline"]), data["nodes"])

    def to_dict(self) -> dict:
        return {"baseline": self.baseline, "nodes": self.nodes}

    def __post_init__(self) -> None:
        self._walk = [
            [(int(f), float(t), int(left), int(right), float(v)) for f, t, left, right, v in tree]
            for tree in self.nodes
        ]

    def probability(self, x: np.ndarray) -> float:
        values = x.tolist()
        raw = self.baseline
        for tree in self._walk:
            node = tree[0]
            while node[2] >= 0:  # scikit-learn sends a value equal to the threshold left
                node = tree[node[2] if values[node[0]] <= node[1] else node[3]]
            raw += node[4]
        return 1.0 / (1.0 + math.exp(-max(min(raw, 50.0), -50.0)))


@dataclass
class AnswerabilityModel:
    """Boosted trees over the signals (a logistic regression over them, standardized, where
    an older model file has no trees), with its two thresholds."""

    features: list[str]
    mean: list[float]
    scale: list[float]
    coef: list[float]
    intercept: float
    refuse_below: float  # probability under which the question is refused
    answer_from: float  # probability from which it is answered; between, ask back
    report: dict = field(default_factory=dict)  # how it was fitted and what it scored
    # [chunks, refuse_below, answer_from] of each knowledge base fitted on, smallest first;
    # empty: the two thresholds above hold for every size.
    by_size: list[list[float]] = field(default_factory=list)
    # The embedder whose similarities the dense signals were read with: another embedder's
    # scores sit on another scale, and the model must be refitted for it.
    embedder: str | None = None
    trees: dict | None = None  # `Trees.to_dict()`: when present, they give the probability

    def __post_init__(self) -> None:
        self._trees = Trees.from_dict(self.trees) if self.trees else None

    def probability(self, signals: Signals) -> float:
        x = signals.vector(tuple(self.features))
        if self._trees is not None:
            return self._trees.probability(x)
        z = (x - np.asarray(self.mean)) / np.asarray(self.scale)
        logit = float(z @ np.asarray(self.coef) + self.intercept)
        return 1.0 / (1.0 + math.exp(-max(min(logit, 50.0), -50.0)))

    def thresholds(self, chunks: int | None = None) -> tuple[float, float]:
        """(refuse_below, answer_from) for an index of `chunks` passages: between the sizes
        fitted on, interpolated on a log scale; outside them, the nearest size's."""
        if not self.by_size or not chunks:
            return self.refuse_below, self.answer_from
        sizes = np.log([row[0] for row in self.by_size])
        at = math.log(chunks)
        low = float(np.interp(at, sizes, [row[1] for row in self.by_size]))
        high = float(np.interp(at, sizes, [row[2] for row in self.by_size]))
        return low, max(low, high)

    def save(self, path: Path) -> None:
        data = asdict(self)
        trees = data.pop("trees")
        # One line per tree: the file stays readable for the weights and report above them.
        text = json.dumps(data, ensure_ascii=False, indent=1)
        if trees is not None:
            lines = ",\n  ".join(json.dumps(tree) for tree in trees["nodes"])
            text = (
                f'{text[:-2]},\n "trees": {{"baseline": {trees["baseline"]!r}, '
                f'"nodes": [\n  {lines}\n ]}}\n}}'
            )
        path.write_text(text, encoding="utf-8")

    @classmethod
    def from_json(cls, text: str) -> AnswerabilityModel:
        model = cls(**json.loads(text))
        unknown = set(model.features) - set(FEATURES)
        if unknown:
            raise ValueError(f"answerability model uses unknown signals: {sorted(unknown)}")
        return model

    @classmethod
    def load(cls, index_dir: Path | None = None, embedder: str | None = None) -> AnswerabilityModel:
        """The index's own model (`motcua calibrate`) when it has one, else the shipped one,
        which only fits an index embedded as it was fitted: say so when it does not."""
        if index_dir is not None and (index_dir / MODEL_FILE).is_file():
            return cls.from_json((index_dir / MODEL_FILE).read_text(encoding="utf-8"))
        model = cls.from_json(
            resources.files("motcua.bot.answering").joinpath(MODEL_FILE).read_text(encoding="utf-8")
        )
        if embedder is not None and model.embedder is not None and embedder != model.embedder:
            logger.warning(
                "the answerability model was fitted with the embedder %s, this index uses %s: "
                "run `motcua calibrate --index-dir %s` or most questions will be refused",
                model.embedder,
                embedder,
                index_dir,
            )
        return model
