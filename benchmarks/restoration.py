"""Diacritic restoration and OCR repair: syllable accuracy, with pyvi beside each figure.

    .venv/bin/python benchmarks/restoration.py [--shared /work/shared] [--folds 19]

(1) the clean seed 002 with its diacritics stripped, restored by a model trained on the shipped
    text + ../shared/corpus (never on the seed); (2) held-out corpus documents, each restored by a
    model trained on the shipped text + the other corpus documents; (3) OCR lines of seed 000
    aligned to their counterparts in seed 002 (both are the same yearly plan), raw, restored
    only, and repaired + restored. Prints the figures and writes benchmarks/out/restoration.json.
"""

from __future__ import annotations

import argparse
import difflib
import json
import time
from collections.abc import Callable
from pathlib import Path

from motcua.ingest.ocr_repair import OcrRepairer
from motcua.ingest.restore import DiacriticRestorer, normalize_tone
from motcua.text import fold, strip_diacritics, words

CLEAN_SEED = "seeds/002_a3b05bab0daef918.txt"
OCR_SEED = "seeds/000_5348ec65c6d4a033.txt"
OUT = Path(__file__).parent / "out" / "restoration.json"


def syllables(text: str) -> list[str]:
    return [w for w in words(normalize_tone(text)) if w.isalpha()]


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


def pct(correct: int, total: int) -> float:
    return round(100.0 * correct / total, 2) if total else 0.0


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
    # What callers gate on: lines confident enough to show repaired, and the rest.
    gate = {True: [0, 0, 0], False: [0, 0, 0]}  # lines, correct syllables, syllables
    for line, counterpart in pairs:
        repaired = repairer.repair(line)
        c, n = score(counterpart, repaired.text)
        row = gate[repaired.confidence >= repairer.min_confidence]
        row[0] += 1
        row[1] += c
        row[2] += n
    result["min_confidence"] = repairer.min_confidence
    result["confident_lines"] = gate[True][0]
    result["confident_accuracy"] = pct(gate[True][1], gate[True][2])
    result["unsure_lines"] = gate[False][0]
    result["unsure_accuracy"] = pct(gate[False][1], gate[False][2])
    return result


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
    args = parser.parse_args()
    corpus = {
        str(p.relative_to(args.shared / "corpus")): p.read_text(encoding="utf-8")
        for p in sorted((args.shared / "corpus").glob("*/*.txt"))
    }
    folds = args.folds or len(corpus)
    report = {
        "training": "pyvi 0.1.1 words.txt (MIT) + ../shared/corpus minus the scored text",
        "clean_seed": clean_seed(args.shared, corpus),
        "held_out_corpus": held_out_corpus(corpus, folds),
        "ocr_passages": ocr_passages(args.shared, corpus),
        "questions": eval_questions(args.shared, corpus),
    }
    s, h, o = report["clean_seed"], report["held_out_corpus"], report["ocr_passages"]
    print(
        f"(1) clean seed, stripped: {s['accuracy']}% (pyvi {s['pyvi_accuracy']}%, shipped "
        f"word list only {s['accuracy_shipped_text_only']}%), "
        f"case-sensitive {s['accuracy_case_sensitive']}%, without all-caps "
        f"{s['accuracy_without_all_caps']}%, {s['syllables']} syllables, "
        f"{s['seconds_per_1000_syllables']} s/1000 syllables"
    )
    print(
        f"(2) held-out corpus ({h['folds']} folds): {h['accuracy']}% "
        f"(pyvi {h['pyvi_accuracy']}%), {h['syllables']} syllables"
    )
    for name, doc in h["documents"].items():  # type: ignore[union-attr]
        print(f"      {name}: {doc['accuracy']}% (pyvi {doc['pyvi']}%), {doc['syllables']}")
    print(
        f"(3) OCR lines of seed 000 vs seed 002 ({o['lines']} lines, {o['syllables']} "
        f"syllables): raw {o['raw_ocr']}%, restore only {o['restore_only']}%, "
        f"repair + restore {o['repair_and_restore']}%, pyvi {o['pyvi']}%; confidence >= "
        f"{o['min_confidence']}: {o['confident_lines']} lines at {o['confident_accuracy']}%, "
        f"below: {o['unsure_lines']} lines at {o['unsure_accuracy']}%"
    )
    q = report["questions"]
    print(
        f"(4) eval questions stripped ({q['questions']} questions, {q['syllables']} syllables): "
        f"{q['accuracy']}% (pyvi {q['pyvi_accuracy']}%), {q['exact_questions']} restored "
        f"exactly, slowest {q['slowest_ms']} ms"
    )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
