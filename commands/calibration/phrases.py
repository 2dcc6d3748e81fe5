"""Words and phrases every question maker shares: the templates and word lists of
`questions.yaml`, folded text matched as whole words, and the short phrase of a text that an
answer quoting it would hold (what a label expects)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import cache

from motcua.commands.calibration.transforms import load_data
from motcua.ingest.restoration.word_lists import dictionary_word_pairs
from motcua.text import fold, fold_phrase

_WORD = re.compile(r"[^\W_]+")
_SPAN = re.compile(r"[^\W_]+(?:[&/.-][^\W_]+)*")


@cache
def _questions_data() -> dict:
    return load_data("questions.yaml")


@cache
def _function_words() -> frozenset[str]:
    return frozenset(fold(w) for w in _questions_data()["function_words"])


def _contains(haystack_folded: str, phrase: str) -> bool:
    """Whether a phrase occurs as whole words in a text already passed through `_padded`."""
    key = fold_phrase(phrase)
    return bool(key) and f" {key} " in haystack_folded


def _padded(text: str) -> str:
    return f" {fold_phrase(text)} "


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


# -- phrases an answer must hold ---------------------------------------------------------


@cache
def _word_pairs() -> frozenset[str]:
    return dictionary_word_pairs()


def _splits_word(left: str, right: str) -> bool:
    """Whether two adjacent syllables make one dictionary word ("công bố", "chỉ đạo")."""
    return f"{left}_{right}" in _word_pairs()


def _salient(
    text: str,
    avoid: set[str],
    *,
    related: frozenset[str] = frozenset(),
    common: frozenset[str] = frozenset(),
    max_words: int = 6,
    min_content: int = 2,
) -> str | None:
    """A short phrase of `text` an answer quoting it would hold: a window of a clause with
    at least `min_content` topic words not in `avoid` (folded words of the question), ranked
    by words `related` to what is asked, then by topic words (a `common` word of the
    neighbouring text counts less), then by position. A window never cuts a dictionary word
    or a date in two, and is not a table row in capitals."""
    best: tuple[float, str] | None = None
    function = _function_words()
    for rank, clause in enumerate(re.split(r"[,;:()“”\"]|\s[-–]\s|\.\s", text)):
        spans = list(_SPAN.finditer(clause))
        words = [fold(m.group(0)) for m in spans]
        for start in range(len(spans)):
            if start > 0 and (
                words[start] in function or _splits_word(words[start - 1], words[start])
            ):
                continue
            for size in range(min(max_words, len(spans) - start), 2, -1):
                end = start + size
                window = words[start:end]
                if window[-1] in function or (
                    end < len(words) and _splits_word(window[-1], words[end])
                ):
                    continue
                if end < len(words) and words[end].isdigit() and window[-1] in _UNIT_WORDS:
                    continue  # "ngày 01 tháng 9 năm" without its year
                phrase = clause[spans[start].start() : spans[end - 1].end()]
                letters = [c for c in phrase if c.isalpha()]
                if sum(c.isupper() for c in letters) > 0.5 * max(len(letters), 1):
                    continue
                if sum(w[:1].isdigit() for w in window) > 1:
                    continue
                content = [w for w in window if w not in function and w not in avoid]
                if len(content) < min_content:
                    continue
                score = (
                    2.0 * sum(w in related for w in window)
                    + sum(0.3 if w in common else 1.0 for w in content)
                    - 0.05 * start
                    - 0.5 * rank
                )
                if best is None or score > best[0]:
                    best = (score, phrase)
                break
    return best[1] if best else None


def _common_words(units: Sequence[str], share: float = 0.25) -> frozenset[str]:
    """Folded words found in more than `share` of the units (sentences, field items)."""
    counts = Counter(w for unit in units for w in set(fold_phrase(unit).split()))
    return frozenset(w for w, n in counts.items() if n > share * max(len(units), 1) and n > 1)


_UNIT_WORDS = frozenset({"ngay", "thang", "nam", "so", "dieu", "khoan", "muc", "lan"})


def _keep_phrases(question: str, phrases: Iterable[str], source_folded: str) -> list[str]:
    """Phrases the source holds and the question does not give away."""
    asked = _padded(question)
    kept = []
    for phrase in phrases:
        if _contains(source_folded, phrase) and not _contains(asked, phrase):
            kept.append(phrase)
    return list(dict.fromkeys(kept))
