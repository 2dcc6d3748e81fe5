"""Diacritic restoration and OCR repair: syllable accuracy, with pyvi beside each figure.

    .venv/bin/python -m benchmarks.restoration [--shared /work/shared] [--folds 19]

(1) the clean seed 002 with its diacritics stripped, restored by a model trained on the shipped
    text + ../shared/corpus (never on the seed); (2) held-out corpus documents, each restored by a
    model trained on the shipped text + the other corpus documents; (3) OCR lines of seed 000
    aligned to their counterparts in seed 002 (both are the same yearly plan), raw, restored
    only, and repaired + restored; (4) precision of the changes readers are shown on those lines:
    the posterior below which a syllable stays as scanned is chosen on alternate blocks of lines
    and measured on the others; (5) the same precision on clean corpus/other documents given
    synthetic OCR-like noise, each repaired by a model that never saw it; (6) the evaluation
    questions typed without diacritics. Prints the figures and writes
    benchmarks/out/restoration.json (`--only ocr synthetic` runs parts and writes no JSON).
"""

from __future__ import annotations

import argparse
import difflib
import json
import random
import re
import time
import unicodedata
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from benchmarks.repair_precision import (
    SELECTION_MARGIN,
    TARGET_PRECISION,
    THRESHOLDS,
    Syllable,
    aligned_ocr_pairs,
    aligned_syllables,
    change_stats,
    choose_threshold,
    pct,
    syllables,
)
from motcua.ingest.ocr_repair import MIN_POSTERIOR, OcrRepairer
from motcua.ingest.restoration.restorer import DiacriticRestorer
from motcua.ingest.restoration.spelling import _TOKEN, normalize_tone
from motcua.text import diacritic_ratio, fold, strip_diacritics, words

CLEAN_SEED = "seeds/002_a3b05bab0daef918.txt"
OCR_SEED = "seeds/000_5348ec65c6d4a033.txt"
OUT = Path(__file__).parent / "out" / "restoration.json"
# Aligned lines are split into alternate blocks of this many: even blocks choose the posterior
# threshold, odd blocks are held out (neighbouring lines share wording, so blocks, not lines).
BLOCK = 8
SECTIONS = ("clean", "corpus", "ocr", "synthetic", "questions")


def score(reference: str, output: str, *, case: bool = False) -> tuple[int, int]:
    """(correct, total) over the reference's alphabetic syllables.

    Tokens are paired one to one when the counts agree, otherwise through a diff of their
    folded forms (pyvi sometimes changes tokenisation); an unpaired reference syllable is wrong.
    """
    ref, out = syllables(reference), syllables(output)
    if not case:
        ref, out = [w.lower() for w in ref], [w.lower() for w in out]
    if len(ref) == len(out):
        return sum(a == b for a, b in zip(ref, out, strict=True)), len(ref)
    sm = difflib.SequenceMatcher(None, [fold(w) for w in ref], [fold(w) for w in out], False)
    correct = 0
    for block in sm.get_matching_blocks():
        for k in range(block.size):
            correct += ref[block.a + k] == out[block.b + k]
    return correct, len(ref)


def pyvi_restore(text: str) -> str:
    """pyvi's CRF restorer line by line; a line it crashes on (KeyError) stays unaccented."""
    from pyvi import ViUtils

    lines = []
    for line in text.split("\n"):
        try:
            lines.append(ViUtils.add_accents(line) if line.strip() else line)
        except (KeyError, IndexError, ValueError):
            lines.append(line)
    return "\n".join(lines)


def clean_seed(shared: Path, corpus: dict[str, str]) -> dict[str, object]:
    reference = normalize_tone((shared / CLEAN_SEED).read_text(encoding="utf-8"))
    stripped = strip_diacritics(reference)
    model = DiacriticRestorer.train(corpus.values())
    t0 = time.perf_counter()
    restored = model.restore(stripped)
    seconds = time.perf_counter() - t0
    ours = score(reference, restored)
    ours_case = score(reference, restored, case=True)
    ours_no_acr = score_without_acronyms(reference, restored)
    pyvi = score(reference, pyvi_restore(stripped))
    # Before any document is ingested the model knows only the shipped word list.
    shipped_only = score(reference, DiacriticRestorer.train([]).restore(stripped))
    n = ours[1]
    return {
        "accuracy_shipped_text_only": pct(*shipped_only),
        "syllables": n,
        "accuracy": pct(*ours),
        "accuracy_case_sensitive": pct(*ours_case),
        "accuracy_without_all_caps": pct(*ours_no_acr),
        "pyvi_accuracy": pct(*pyvi),
        "seconds_per_1000_syllables": round(1000 * seconds / n, 3),
    }


def score_without_acronyms(reference: str, output: str) -> tuple[int, int]:
    ref, out = syllables(reference), syllables(output)
    pairs = [(a, b) for a, b in zip(ref, out, strict=True) if not (a.isupper() and len(a) > 1)]
    return sum(a.lower() == b.lower() for a, b in pairs), len(pairs)


def held_out_corpus(corpus: dict[str, str], folds: int) -> dict[str, object]:
    """Leave-k-out over the corpus: each document is restored by a model that never saw it."""
    names = sorted(corpus)
    groups = [names[i::folds] for i in range(folds)]
    per_doc: dict[str, dict[str, float | int]] = {}
    ours_total = [0, 0]
    pyvi_total = [0, 0]
    for group in groups:
        model = DiacriticRestorer.train(corpus[n] for n in names if n not in group)
        for name in group:
            reference = normalize_tone(corpus[name])
            stripped = strip_diacritics(reference)
            ours = score(reference, model.restore(stripped))
            pyvi = score(reference, pyvi_restore(stripped))
            per_doc[name] = {"syllables": ours[1], "accuracy": pct(*ours), "pyvi": pct(*pyvi)}
            for tot, res in ((ours_total, ours), (pyvi_total, pyvi)):
                tot[0] += res[0]
                tot[1] += res[1]
    return {
        "folds": folds,
        "syllables": ours_total[1],
        "accuracy": pct(*ours_total),
        "pyvi_accuracy": pct(*pyvi_total),
        "documents": per_doc,
    }


def ocr_passages(shared: Path, corpus: dict[str, str]) -> dict[str, object]:
    ocr = (shared / OCR_SEED).read_text(encoding="utf-8")
    clean = normalize_tone((shared / CLEAN_SEED).read_text(encoding="utf-8"))
    pairs = aligned_ocr_pairs(ocr, clean, min_similarity=0.6)
    model = DiacriticRestorer.train(corpus.values())
    repairer = OcrRepairer(model)
    systems: dict[str, Callable[[str], str]] = {
        "raw_ocr": lambda s: s,
        "restore_only": lambda s: model.restore(strip_diacritics(s)),
        "repair_and_restore": lambda s: repairer.repair(s).text,
        "pyvi": lambda s: pyvi_restore(strip_diacritics(s)),
    }
    result: dict[str, object] = {"lines": len(pairs)}
    for name, system in systems.items():
        total = [0, 0]
        for line, counterpart in pairs:
            c, n = score(counterpart, system(line))
            total[0] += c
            total[1] += n
        result[name] = pct(*total)
        result["syllables"] = total[1]
    return result


def ocr_changes(shared: Path, corpus: dict[str, str]) -> dict[str, object]:
    """Precision of the changes readers see on the aligned OCR lines, threshold chosen on the
    even blocks of lines and measured on the odd ones; beside it, never abstaining and the
    previous rule (a whole line shown repaired when its mean confidence reached 0.75, else
    raw), applied to the same model."""
    ocr = (shared / OCR_SEED).read_text(encoding="utf-8")
    clean = normalize_tone((shared / CLEAN_SEED).read_text(encoding="utf-8"))
    pairs = aligned_ocr_pairs(ocr, clean, min_similarity=0.6)
    repairer = OcrRepairer(DiacriticRestorer.train(corpus.values()))
    found: list[Syllable] = []
    line_gate: list[Syllable] = []
    t0 = time.perf_counter()
    for i, (line, counterpart) in enumerate(pairs):
        result = repairer.repair(line)
        row = aligned_syllables(result.readings, syllables(counterpart), (i // BLOCK) % 2)
        found += row
        whole_line = 1.0 if result.confidence >= 0.75 else 0.0
        line_gate += [replace(s, posterior=whole_line) for s in row]
    seconds = time.perf_counter() - t0
    fit = [s for s in found if s.block == 0]
    held = [s for s in found if s.block == 1]
    chosen = choose_threshold(fit)
    return {
        "lines": len(pairs),
        "block": BLOCK,
        "target_precision": TARGET_PRECISION,
        "selection_margin": SELECTION_MARGIN,
        "threshold_chosen": chosen,
        "shipped_min_posterior": MIN_POSTERIOR,
        "fit_half": change_stats(fit, chosen).as_dict(),
        "held_out": change_stats(held, chosen).as_dict(),
        "held_out_shipped": change_stats(held, MIN_POSTERIOR).as_dict(),
        "held_out_never_abstain": change_stats(held, 0.0).as_dict(),
        "held_out_line_gate": change_stats([s for s in line_gate if s.block == 1], 0.5).as_dict(),
        "all_lines_shipped": change_stats(found, MIN_POSTERIOR).as_dict(),
        "fit_half_curve": {
            str(t): [change_stats(fit, t).precision, change_stats(fit, t).recall]
            for t in THRESHOLDS
        },
        "seconds_per_1000_syllables": round(1000 * seconds / max(len(found), 1), 3),
    }


# OCR's look-alikes for letters, written for this check from the scans' typical damage and
# a few it does not know (rn for m, b for h, c for e, ri for n): keys are toneless lower case.
_LOOKALIKES: dict[str, tuple[str, ...]] = {
    "ư": ("ir", "tr", "u"), "ơ": ("o", "d"), "ô": ("6", "0", "o"), "ă": ("i", "3"),
    "â": ("i", "4", "d"), "đ": ("d", "p"), "u": ("ti", "ii", "y"), "o": ("d", "0"),
    "l": ("1",), "i": ("1", "l"), "m": ("rn",), "h": ("b",), "e": ("c",), "n": ("ri",),
}  # fmt: skip
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_SHAPES = {"\u0302", "\u0306", "\u031b"}  # circumflex, breve, horn
_WORD_SPAN = re.compile(r"[^\W\d_]+")


def _without(ch: str, marks: set[str]) -> str:
    kept = "".join(c for c in unicodedata.normalize("NFD", ch) if c not in marks)
    return unicodedata.normalize("NFC", kept)


def ocr_noise(word: str, rng: random.Random) -> str:
    """A scan's version of one syllable: most lose every mark, some only the vowel's shape
    ("nhiệm" → "nhiém"), a fifth also get one letter misread."""
    mode = rng.random()
    lookalike = [i for i, ch in enumerate(word) if _without(ch, _TONES).lower() in _LOOKALIKES]
    misread = rng.choice(lookalike) if lookalike and rng.random() < 0.2 else -1
    out = []
    for i, ch in enumerate(word):
        if i == misread:
            seen = rng.choice(_LOOKALIKES[_without(ch, _TONES).lower()])
            out.append(seen.upper() if ch.isupper() else seen)
        elif mode < 0.55:
            out.append(strip_diacritics(ch))
        elif mode < 0.7:
            out.append(_without(ch, _SHAPES))
        else:
            out.append(ch)
    return "".join(out)


def sample_lines(text: str, limit: int) -> list[str]:
    """Up to `limit` clean lines of running text spread over a document."""
    lines = [
        ln
        for ln in normalize_tone(text).split("\n")
        if len(syllables(ln)) >= 6 and diacritic_ratio(ln) >= 0.5
    ]
    step = max(1, len(lines) // limit)
    return lines[::step][:limit]


def synthetic_noise(
    corpus: dict[str, str], threshold: float, folds: int = 4, per_document: int = 30
) -> dict[str, object]:
    """Clean corpus/other lines with OCR-like noise, repaired by a model trained without the
    document: a check on text the threshold was not chosen on (fixed seed)."""
    names = sorted(n for n in corpus if n.startswith("other/"))
    rng = random.Random(15)
    found: list[Syllable] = []
    skipped = 0
    for f in range(folds):
        group = set(names[f::folds])
        repairer = OcrRepairer(
            DiacriticRestorer.train(t for n, t in corpus.items() if n not in group)
        )
        for name in sorted(group):
            for line in sample_lines(corpus[name], per_document):
                noisy = _WORD_SPAN.sub(lambda m: ocr_noise(m.group(0), rng), line)
                cleaned = repairer.clean(noisy)
                reference, spans = words(line), [m.start() for m in _TOKEN.finditer(cleaned)]
                if len(spans) != len(reference):
                    skipped += 1  # the clean-up split a token: no one-to-one pairing
                    continue
                index = {start: k for k, start in enumerate(spans)}
                for r in repairer.repair(noisy).readings:
                    truth = reference[index[r.start]]
                    found.append(
                        Syllable(r.raw, r.shown, r.posterior, truth if truth.isalpha() else None)
                    )
    return {
        "documents": len(names),
        "folds": folds,
        "lines_skipped": skipped,
        "threshold": threshold,
        "at_threshold": change_stats(found, threshold).as_dict(),
        "never_abstain": change_stats(found, 0.0).as_dict(),
        "curve": {
            str(t): [change_stats(found, t).precision, change_stats(found, t).recall]
            for t in THRESHOLDS
        },
    }


def eval_questions(shared: Path, corpus: dict[str, str]) -> dict[str, object]:
    """The evaluation questions typed without diacritics, as the query path sees them.

    The model is trained as the product's would be over one index of seeds and corpus: the
    shipped text plus every ingested document (OCR lines are filtered out by `fit`).
    """
    questions = []
    for name in ("dev.jsonl", "dev-corpus.jsonl"):
        path = shared / "eval" / name
        if path.is_file():
            lines = path.read_text(encoding="utf-8").splitlines()
            questions += [json.loads(line)["question"] for line in lines if line.strip()]
    seeds = [p.read_text(encoding="utf-8") for p in sorted((shared / "seeds").glob("*.txt"))]
    model = DiacriticRestorer.train([*corpus.values(), *seeds])
    ours, pyvi, exact = [0, 0], [0, 0], 0
    worst = 0.0
    for question in questions:
        reference = normalize_tone(question)
        stripped = strip_diacritics(reference)
        model.restore(stripped)  # warm the cache once; report the second run's time
        t0 = time.perf_counter()
        restored = model.restore(stripped)
        worst = max(worst, time.perf_counter() - t0)
        c, n = score(reference, restored)
        exact += c == n
        ours[0] += c
        ours[1] += n
        c, n = score(reference, pyvi_restore(stripped))
        pyvi[0] += c
        pyvi[1] += n
    return {
        "questions": len(questions),
        "syllables": ours[1],
        "accuracy": pct(*ours),
        "pyvi_accuracy": pct(*pyvi),
        "exact_questions": exact,
        "slowest_ms": round(1000 * worst, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=Path("/work/shared"))
    parser.add_argument("--folds", type=int, default=0, help="0 = leave one document out")
    parser.add_argument("--only", nargs="+", choices=SECTIONS, help="run only these parts")
    args = parser.parse_args()
    corpus = {
        str(p.relative_to(args.shared / "corpus")): p.read_text(encoding="utf-8")
        for p in sorted((args.shared / "corpus").glob("*/*.txt"))
    }
    folds = args.folds or len(corpus)
    run = set(args.only or SECTIONS)
    report: dict[str, object] = {
        "training": "pyvi 0.1.1 words.txt (MIT) + ../shared/corpus minus the scored text"
    }
    if "clean" in run:
        s = report["clean_seed"] = clean_seed(args.shared, corpus)
        print(
            f"(1) clean seed, stripped: {s['accuracy']}% (pyvi {s['pyvi_accuracy']}%, shipped "
            f"word list only {s['accuracy_shipped_text_only']}%), "
            f"case-sensitive {s['accuracy_case_sensitive']}%, without all-caps "
            f"{s['accuracy_without_all_caps']}%, {s['syllables']} syllables, "
            f"{s['seconds_per_1000_syllables']} s/1000 syllables"
        )
    if "corpus" in run:
        h = report["held_out_corpus"] = held_out_corpus(corpus, folds)
        print(
            f"(2) held-out corpus ({h['folds']} folds): {h['accuracy']}% "
            f"(pyvi {h['pyvi_accuracy']}%), {h['syllables']} syllables"
        )
        for name, doc in h["documents"].items():  # type: ignore[union-attr]
            print(f"      {name}: {doc['accuracy']}% (pyvi {doc['pyvi']}%), {doc['syllables']}")
    if "ocr" in run:
        o = report["ocr_passages"] = ocr_passages(args.shared, corpus)
        print(
            f"(3) OCR lines of seed 000 vs seed 002 ({o['lines']} lines, {o['syllables']} "
            f"syllables): raw {o['raw_ocr']}%, restore only {o['restore_only']}%, "
            f"repair + restore {o['repair_and_restore']}%, pyvi {o['pyvi']}%"
        )
        c = report["ocr_changes"] = ocr_changes(args.shared, corpus)
        print(
            f"(4) changes shown on those lines (threshold chosen on blocks of {c['block']} lines "
            f"for >= {TARGET_PRECISION + SELECTION_MARGIN}%: {c['threshold_chosen']}; shipped "
            f"{c['shipped_min_posterior']}; {c['seconds_per_1000_syllables']} s/1000 syllables)"
        )
        for key in (
            "fit_half",
            "held_out",
            "held_out_shipped",
            "held_out_never_abstain",
            "held_out_line_gate",
            "all_lines_shipped",
        ):
            print(f"      {key}: {describe(c[key])}")  # type: ignore[arg-type]
    if "synthetic" in run:
        threshold = report.get("ocr_changes", {}).get("threshold_chosen", MIN_POSTERIOR)  # type: ignore[union-attr]
        n = report["synthetic_noise"] = synthetic_noise(corpus, threshold)
        print(
            f"(5) corpus/other with synthetic OCR noise ({n['documents']} documents, "
            f"{n['folds']} folds, threshold {n['threshold']}):"
        )
        for key in ("at_threshold", "never_abstain"):
            print(f"      {key}: {describe(n[key])}")  # type: ignore[arg-type]
    if "questions" in run:
        q = report["questions"] = eval_questions(args.shared, corpus)
        print(
            f"(6) eval questions stripped ({q['questions']} questions, {q['syllables']} "
            f"syllables): {q['accuracy']}% (pyvi {q['pyvi_accuracy']}%), "
            f"{q['exact_questions']} restored exactly, slowest {q['slowest_ms']} ms"
        )
    if args.only:
        print("partial run: benchmarks/out/restoration.json left as it was")
        return
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")


def describe(stats: dict[str, float | int]) -> str:
    return (
        f"precision {stats['precision']}% of {stats['changes']} changes, recall "
        f"{stats['recall']}% of {stats['wrong_raw']} wrong scanned syllables, "
        f"{stats['kept_raw']} kept raw ({stats['kept_raw_repair_right']} of them repaired right "
        f"by the full repair), {stats['unpaired_changes']} changes unpaired"
    )


if __name__ == "__main__":
    main()
