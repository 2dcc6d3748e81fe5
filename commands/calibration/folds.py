"""Group k-fold: every question made from one document or card, and every one of an
out-of-scope family, is tested in one fold, so held-out figures are on groups never fitted on."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence

from motcua.commands.calibration.generated_question import GeneratedQuestion


def assign_folds(sizes: Counter[str], folds: int, seed: int = 0) -> dict[str, int]:
    """Each group's fold. In-scope groups (documents, cards) and out-of-scope families are
    dealt separately, largest first to the lightest fold, so every fold gets both and sizes
    stay even."""
    if folds < 2:
        raise ValueError("splitting by group needs at least two folds")
    rng = random.Random(seed)
    fold_of: dict[str, int] = {}
    for refused in (False, True):
        groups = sorted(g for g in sizes if g.startswith("oos:") == refused)
        rng.shuffle(groups)
        groups.sort(key=lambda g: -sizes[g])  # stable: equal sizes keep the shuffled order
        load = [0] * folds
        for group in groups:
            k = min(range(folds), key=lambda i: (load[i], i))
            fold_of[group] = k
            load[k] += sizes[group]
    return fold_of


def split_by_group(
    questions: Sequence[GeneratedQuestion], folds: int, seed: int = 0
) -> list[tuple[list[GeneratedQuestion], list[GeneratedQuestion]]]:
    """Group k-fold: (train, test) per fold, each group wholly in one test fold."""
    fold_of = assign_folds(Counter(q.group for q in questions), folds, seed)
    return [
        (
            [q for q in questions if fold_of[q.group] != k],
            [q for q in questions if fold_of[q.group] == k],
        )
        for k in range(folds)
    ]
