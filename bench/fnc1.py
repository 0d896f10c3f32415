"""FNC-1 stance benchmark for reconcile's pairwise agree/conflict signal.

    .venv/bin/python bench/fnc1.py [--data ../shared/data/fnc1] [--calibrate]

Scores `crosscheck.reconcile.stance` (headline = claim, body = other source) and a plain
lexical-overlap baseline on `dev_stances.csv` / `dev_bodies.csv` (FNC-1 test stances, even
Body IDs) with the official FNC-1 weighted score (as a percentage of the best possible score,
the figure the competition reported: top systems about 82) and macro-F1 over the 4 classes.

The two thresholds in crosscheck/reconcile/stance.py were set once with `--calibrate` on the
pairs whose Body ID is divisible by 4 ("calib"); the rest ("report", Body ID ≡ 2 mod 4) was
not looked at for that, and is printed separately next to the whole dev set.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import importlib  # noqa: E402
from crosscheck.reconcile.stance import lexical_overlap_baseline, stance  # noqa: E402

stance_module = importlib.import_module("crosscheck.reconcile.stance")

LABELS = ["agree", "disagree", "discuss", "unrelated"]
RELATED = {"agree", "disagree", "discuss"}


def fnc_score(gold: list[str], pred: list[str]) -> float:
    """Official FNC-1 weighting, as a percentage of the maximum attainable on `gold`."""
    score = best = 0.0
    for g, p in zip(gold, pred):
        best += 0.25 if g == "unrelated" else 1.0
        if g == p:
            score += 0.25
            if g != "unrelated":
                score += 0.50
        if g in RELATED and p in RELATED:
            score += 0.25
    return 100.0 * score / best


def macro_f1(gold: list[str], pred: list[str]) -> float:
    f1s = []
    for label in LABELS:
        tp = sum(g == p == label for g, p in zip(gold, pred))
        fp = sum(p == label != g for g, p in zip(gold, pred))
        fn = sum(g == label != p for g, p in zip(gold, pred))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1s.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return 100.0 * sum(f1s) / len(f1s)


def load(data: Path):
    bodies = {int(r["Body ID"]): r["articleBody"]
              for r in csv.DictReader(open(data / "dev_bodies.csv", encoding="utf-8"))}
    pairs = [(r["Headline"], int(r["Body ID"]), r["Stance"])
             for r in csv.DictReader(open(data / "dev_stances.csv", encoding="utf-8"))]
    return bodies, pairs


def evaluate(pairs, bodies):
    gold = [s for _, _, s in pairs]
    t0 = time.perf_counter()
    ours = [stance(h, bodies[b]).label for h, b, _ in pairs]
    elapsed = time.perf_counter() - t0
    base = [lexical_overlap_baseline(h, bodies[b]) for h, b, _ in pairs]
    return gold, ours, base, elapsed


def calibrate(pairs, bodies) -> None:
    """Grid over the two thresholds on the calibration split only."""
    calib = [p for p in pairs if p[1] % 4 == 0]
    gold = [s for _, _, s in calib]
    best = None
    for related in (0.18, 0.22, 0.26, 0.30, 0.34, 0.38, 0.42):
        for agree in (0.4, 0.5, 0.6, 0.7):
            for refutations in (1, 2, 3):
                stance_module.RELATED_THRESHOLD, stance_module.AGREE_THRESHOLD = related, agree
                stance_module.MIN_REFUTATIONS = refutations
                pred = [stance(h, bodies[b]).label for h, b, _ in calib]
                result = (fnc_score(gold, pred) + macro_f1(gold, pred), related, agree, refutations)
                print(f"related>={related} agree>={agree} refutations>={refutations}: "
                      f"FNC {fnc_score(gold, pred):.1f}  macro-F1 {macro_f1(gold, pred):.1f}")
                best = max(best or result, result)
    for related in (0.14, 0.18, 0.22, 0.26, 0.30, 0.34):
        pred = [lexical_overlap_baseline(h, bodies[b], related) for h, b, _ in calib]
        print(f"baseline related>={related}: FNC {fnc_score(gold, pred):.1f}  macro-F1 {macro_f1(gold, pred):.1f}")
    print(f"best on calib (FNC + macro-F1): RELATED_THRESHOLD={best[1]} AGREE_THRESHOLD={best[2]} "
          f"MIN_REFUTATIONS={best[3]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "fnc1")
    parser.add_argument("--calibrate", action="store_true", help="grid the thresholds on the calib split")
    args = parser.parse_args()
    bodies, pairs = load(args.data)
    if args.calibrate:
        calibrate(pairs, bodies)
        return
    print(f"FNC-1 dev: {len(pairs)} pairs, {len(bodies)} bodies; gold {dict(Counter(s for _, _, s in pairs))}")
    print(f"thresholds: related >= {stance_module.RELATED_THRESHOLD}, agree >= {stance_module.AGREE_THRESHOLD}, "
          f"refutations >= {stance_module.MIN_REFUTATIONS}; baseline related >= {stance_module.BASELINE_THRESHOLD}")
    print(f"{'split':<8} {'system':<26} {'FNC score':>9} {'macro-F1':>9}")
    for name, chosen in (("calib", [p for p in pairs if p[1] % 4 == 0]),
                         ("report", [p for p in pairs if p[1] % 4 == 2]),
                         ("all", pairs)):
        gold, ours, base, elapsed = evaluate(chosen, bodies)
        print(f"{name:<8} {'reconcile.stance':<26} {fnc_score(gold, ours):9.1f} {macro_f1(gold, ours):9.1f}")
        print(f"{name:<8} {'lexical-overlap baseline':<26} {fnc_score(gold, base):9.1f} {macro_f1(gold, base):9.1f}")
        if name == "all":
            print(f"stance(): {len(chosen) / elapsed:.0f} pairs/s on one core")
            confusion = Counter(zip(gold, ours))
            print("confusion (gold → predicted):")
            for g in LABELS:
                print(f"  {g:<10} " + "  ".join(f"{p}:{confusion[(g, p)]}" for p in LABELS))


if __name__ == "__main__":
    main()
