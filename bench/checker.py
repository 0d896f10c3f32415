"""Checker quality on human-labelled summary sentences (QAGS-C) and sentence pairs (CoGenSumm).

    .venv/bin/python bench/checker.py
    .venv/bin/python bench/checker.py --errors 15     # also print the worst misses on half A (the tuning half)

QAGS-C (Wang et al. 2020): 714 sentences of model summaries of 235 CNN/DM articles, three
yes/no votes each; a sentence counts as consistent when the majority says yes. Each
sentence is checked against its whole article split into sentences (the "cited passages").
Reported: ROC AUC of CheckResult.score, and balanced accuracy of the labels
(positive = "supported", and positive = "supported" or "partial"). A score threshold is
also fitted on the first half of the articles (A) and reported on the second half (B)
only. The checker's own label thresholds in crosscheck/write/check.py were set by looking
at half A only.

CoGenSumm (Falke et al. 2019): 373 article sentences each with a correct and an incorrect
summary sentence; reported is how often the correct one scores higher (ties count half).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from sklearn.metrics import balanced_accuracy_score, roc_auc_score  # noqa: E402

from crosscheck.write import check_sentence  # noqa: E402

DATA = REPO.parent / "shared" / "data"


def detokenize(text: str) -> str:
    """Undo the CNN/DM tokenisation left in QAGS articles: "1, 600" "2. 4" "semi - final" "3 : 30".

    Applied to articles and summary sentences alike; it repairs the data, not the checker.
    """
    text = re.sub(r"(\d)([,.:]) (\d)", r"\1\2\3", text)
    text = re.sub(r"(\w) - (\w)", r"\1-\2", text)
    text = re.sub(r"\$ (\d)", r"$\1", text)
    return re.sub(r"\( ([^()]*) \)", r"(\1)", text)


def article_sentences(article: str) -> list[str]:
    """QAGS articles are lower-cased: split at . ! ? followed by space, whatever comes next."""
    return [s for s in re.split(r"(?<=[.!?])\s+", article.strip()) if s]


def qags(path: Path, repair: bool = True) -> list[dict]:
    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    items = []
    for n, row in enumerate(rows):
        fix = detokenize if repair else (lambda text: text)
        passages = article_sentences(fix(row["article"]))
        for s in row["summary_sentences"]:
            yes = sum(r["response"] == "yes" for r in s["responses"])
            items.append({"article": n, "half": "A" if n < len(rows) // 2 else "B",
                          "sentence": fix(s["sentence"]), "passages": passages,
                          "consistent": yes * 2 > len(s["responses"])})
    return items


def best_threshold(scores: list[float], gold: list[bool]) -> float:
    candidates = sorted(set(scores))
    return max(candidates, key=lambda t: balanced_accuracy_score(gold, [s >= t for s in scores]))


def report_qags(items: list[dict], show_errors: int) -> None:
    started = time.perf_counter()
    for item in items:
        item["check"] = check_sentence(item["sentence"], item["passages"])
    elapsed = time.perf_counter() - started
    print(f"QAGS-C: {len(items)} sentences, {sum(i['consistent'] for i in items)} consistent; "
          f"checked at {len(items) / elapsed:.0f} sentences/s")
    print(f"{'part':<8} {'n':>4} {'AUC':>6} {'BA sup':>7} {'BA sup+part':>12} {'BA thr(A)':>10}")
    a = [i for i in items if i["half"] == "A"]
    threshold = best_threshold([i["check"].score for i in a], [i["consistent"] for i in a])
    for name, part in (("all", items), ("half A", a), ("half B", [i for i in items if i["half"] == "B"])):
        gold = [i["consistent"] for i in part]
        scores = [i["check"].score for i in part]
        auc = roc_auc_score(gold, scores)
        ba_sup = balanced_accuracy_score(gold, [i["check"].label == "supported" for i in part])
        ba_part = balanced_accuracy_score(gold, [i["check"].label != "unsupported" for i in part])
        ba_thr = balanced_accuracy_score(gold, [s >= threshold for s in scores])
        print(f"{name:<8} {len(part):>4} {auc:6.3f} {ba_sup:7.3f} {ba_part:12.3f} {ba_thr:10.3f}")
    print(f"score threshold fitted on half A: {threshold:.3f}")
    labels = {}
    for i in items:
        labels.setdefault(i["check"].label, [0, 0])[i["consistent"]] += 1
    print("labels (inconsistent, consistent): " + ", ".join(f"{k} {v}" for k, v in sorted(labels.items())))
    if show_errors:
        a_half = [i for i in items if i["half"] == "A"]
        missed = sorted((i for i in a_half if not i["consistent"]), key=lambda i: -i["check"].score)[:show_errors]
        print("\nInconsistent sentences the checker scores highest (half A, the tuning half):")
        for i in missed:
            print(f"  {i['check'].score:.2f} {i['check'].label:<11} {i['sentence'][:150]}")
        false_alarms = sorted((i for i in a_half if i["consistent"]), key=lambda i: i["check"].score)[:show_errors]
        print("\nConsistent sentences the checker scores lowest (half A, the tuning half):")
        for i in false_alarms:
            print(f"  {i['check'].score:.2f} {i['check'].label:<11} {i['sentence'][:110]} | {i['check'].reasons[:2]}")


def report_cogensumm(path: Path) -> None:
    pairs = json.loads(path.read_text(encoding="utf-8"))
    wins = ties = 0
    for p in pairs:
        good = check_sentence(p["correct_sent"], [p["article_sent"]]).score
        bad = check_sentence(p["incorrect_sent"], [p["article_sent"]]).score
        wins += good > bad
        ties += good == bad
    print(f"\nCoGenSumm: {len(pairs)} pairs; correct scores higher in {wins} ({100 * wins / len(pairs):.1f}%), "
          f"ties {ties}; ranking accuracy with ties as half: {100 * (wins + ties / 2) / len(pairs):.1f}%")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--errors", type=int, default=0, help="print the N worst misses on half A (the tuning half)")
    parser.add_argument("--raw", action="store_true", help="keep QAGS' CNN/DM tokenisation as it is")
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args()
    report_qags(qags(args.data / "qags" / "mturk_cnndm.jsonl", repair=not args.raw), args.errors)
    report_cogensumm(args.data / "cogensumm" / "val_sentence_pairs.json")


if __name__ == "__main__":
    main()
