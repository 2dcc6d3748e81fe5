"""How right the OCR repair's changes are: each repaired syllable beside its reference, the
precision and recall of what a reader is shown at a posterior threshold, and the threshold
chosen for a target precision. Used by `benchmarks.restoration` and its tests."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from motcua.ingest.restoration.restorer import Reading
from motcua.ingest.restoration.spelling import normalize_tone
from motcua.text import fold, words

TARGET_PRECISION = 99.0
# The threshold is chosen for the target plus this margin on the half it is fitted on.
SELECTION_MARGIN = 0.5
THRESHOLDS = tuple(round(0.05 * k, 2) for k in range(20))  # 0 = never abstain


def syllables(text: str) -> list[str]:
    return [w for w in words(normalize_tone(text)) if w.isalpha()]


def pct(correct: int, total: int) -> float:
    return round(100.0 * correct / total, 2) if total else 0.0


@dataclass(frozen=True)
class Syllable:
    """One OCR syllable: as scanned, as the full repair reads it, how sure, and the truth."""

    raw: str
    repaired: str
    posterior: float
    reference: str | None  # None when the alignment found no counterpart
    block: int = 0  # which half of the lines it belongs to (0 fits, 1 is held out)

    def shown(self, threshold: float) -> str:
        """What a reader sees at `threshold`: the repair when sure enough, else the scan."""
        return self.repaired if self.posterior >= threshold else self.raw


def _case_class(word: str) -> str:
    letters = [c for c in word if c.isalpha()]
    if all(c.isupper() for c in letters):
        return "upper"
    if all(c.islower() for c in letters):
        return "lower"
    if len(letters) > 1 and letters[0].isupper() and all(c.islower() for c in letters[1:]):
        return "title"
    return "mixed"


def same_syllable(a: str, b: str) -> bool:
    """Equal once the tone is placed alike (hoá = hóa) and case is ignored."""
    return normalize_tone(a).lower() == normalize_tone(b).lower()


def changed(raw: str, shown: str) -> bool:
    return normalize_tone(shown) != normalize_tone(raw)


def judge(raw: str, shown: str, reference: str) -> bool | None:
    """None when `shown` leaves `raw` as it was; else whether the change is right.

    Case is ignored except where it is the error: the change must not leave a casing that
    neither the reference nor the scan has ("I1" → "Ii" for "II" is wrong; "TINH" → "TỈNH"
    for a heading the clean text writes "Tỉnh" is right), and a change of case alone must
    give the reference's exact casing.
    """
    if not changed(raw, shown):
        return None
    raw, shown, reference = normalize_tone(raw), normalize_tone(shown), normalize_tone(reference)
    if shown.lower() == raw.lower():
        return shown == reference
    return shown.lower() == reference.lower() and _case_class(shown) in {
        _case_class(reference),
        _case_class(raw),
    }


@dataclass(frozen=True)
class ChangeStats:
    syllables: int  # paired with a reference syllable
    changes: int  # shown differently from the scan
    right_changes: int
    wrong_raw: int  # scanned syllables that differ from the reference
    fixed: int  # of those, shown right
    kept_raw: int  # the full repair would change them, the reader sees the scan
    kept_raw_repair_right: int  # of those, the full repair had right (recall given up)
    unpaired_changes: int  # changes with no reference syllable to judge them by

    @property
    def precision(self) -> float:
        return pct(self.right_changes, self.changes)

    @property
    def recall(self) -> float:
        return pct(self.fixed, self.wrong_raw)

    def as_dict(self) -> dict[str, float | int]:
        return {**self.__dict__, "precision": self.precision, "recall": self.recall}


def change_stats(syllables: Iterable[Syllable], threshold: float) -> ChangeStats:
    """Precision of the changes shown at `threshold` (right changes / changes), recall (wrong
    scanned syllables shown right / wrong scanned syllables) and what was left as scanned."""
    n = changes = right = wrong_raw = fixed = kept = kept_right = unpaired = 0
    for s in syllables:
        shown = s.shown(threshold)
        if s.reference is None:
            unpaired += changed(s.raw, shown)
            continue
        n += 1
        verdict = judge(s.raw, shown, s.reference)
        raw_wrong = not same_syllable(s.raw, s.reference)
        changes += verdict is not None
        right += bool(verdict)
        wrong_raw += raw_wrong
        fixed += raw_wrong and bool(verdict)
        if shown == s.raw and judge(s.raw, s.repaired, s.reference) is not None:
            kept += 1
            kept_right += bool(judge(s.raw, s.repaired, s.reference))
    return ChangeStats(n, changes, right, wrong_raw, fixed, kept, kept_right, unpaired)


def choose_threshold(
    syllables: Sequence[Syllable], target: float = TARGET_PRECISION + SELECTION_MARGIN
) -> float:
    """The lowest threshold from which on every higher one keeps precision >= `target` (a
    threshold that leaves nothing changed meets any target)."""
    chosen = THRESHOLDS[-1]
    for t in reversed(THRESHOLDS):
        stats = change_stats(syllables, t)
        if stats.changes and stats.precision < target:
            break
        chosen = t
    return chosen


def aligned_syllables(
    readings: Sequence[Reading], reference: Sequence[str], block: int = 0
) -> list[Syllable]:
    """The word tokens of one repaired OCR line, each with its reference syllable if one aligns.

    `reference` is the reference line's alphabetic syllables in order; it is paired with the
    full repair's output (not the scan, which is too garbled to align): folded-equal runs and
    equal-length substitutions one to one, so a wrong repair still meets its syllable.
    """
    a, b = [fold(r.shown) for r in readings], [fold(w) for w in reference]
    paired: dict[int, int] = {}
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal" or (op == "replace" and i2 - i1 == j2 - j1):
            paired.update({i1 + k: j1 + k for k in range(i2 - i1)})
    return [
        Syllable(r.raw, r.shown, r.posterior, reference[paired[i]] if i in paired else None, block)
        for i, r in enumerate(readings)
    ]


def aligned_ocr_pairs(ocr: str, clean: str, min_similarity: float) -> list[tuple[str, str]]:
    """(OCR line, its counterpart in the clean text) for lines that have one.

    The folded token streams of both documents are aligned with difflib; each OCR line maps to
    the clean tokens its own tokens align to, and the pair is kept when the folded strings are
    similar enough to be the same sentence rather than the plans' differing passages.
    """
    ocr_lines = [ln for ln in ocr.split("\n") if len(syllables(ln)) >= 4]
    ocr_tokens: list[str] = []
    line_of: list[int] = []
    for i, line in enumerate(ocr_lines):
        toks = words(line)
        ocr_tokens += toks
        line_of += [i] * len(toks)
    ref_tokens = words(clean)
    sm = difflib.SequenceMatcher(
        None, [fold(t) for t in ocr_tokens], [fold(t) for t in ref_tokens], autojunk=False
    )
    target: list[int | None] = [None] * len(ocr_tokens)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op in ("equal", "replace"):
            for k in range(i1, i2):
                # Proportional mapping inside a replaced block keeps garbled runs in place.
                target[k] = j1 + (k - i1) * (j2 - j1) // max(i2 - i1, 1)
    pairs = []
    for i, line in enumerate(ocr_lines):
        js = [t for t, li in zip(target, line_of, strict=True) if li == i and t is not None]
        if not js:
            continue
        counterpart = " ".join(ref_tokens[min(js) : max(js) + 1])
        a, b = " ".join(fold(w) for w in words(line)), fold(counterpart)
        if difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= min_similarity:
            pairs.append((line, counterpart))
    return pairs
