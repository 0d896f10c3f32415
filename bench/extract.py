"""Body extraction quality and speed: Crosscheck vs plain trafilatura, side by side.

Data: ../shared/data/extraction (Article Extraction Benchmark, dev half: 91 real pages with
human-checked bodies, MIT). Metric, as the benchmark's evaluate.py defines it: per page, the
4-word shingles of `\\w+` tokens of the extracted and the true body are matched (multiset);
TP/FP/FN are taken as shares of their sum; precision and recall are averaged over pages
(precision over pages where something was extracted, recall over pages with a true body);
F1 is computed from those two averages.

    .venv/bin/python bench/extract.py                 # full run, both extractors
    .venv/bin/python bench/extract.py --limit 20      # quick look while developing
    .venv/bin/python bench/extract.py --split even    # score on the even/odd-position halves
    .venv/bin/python bench/extract.py --worst 10      # list the pages Crosscheck does worst on

Speed is pages per second on one process, wall time of extraction only (pages are read and
decompressed beforehand), best of `--repeat` runs per extractor.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import trafilatura

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from crosscheck.ingest import IngestError, extract_page  # noqa: E402

DEFAULT_DATA = REPO.parent / "shared" / "data" / "extraction"
_TOKEN = re.compile(r"\w+")


def shingles(text: str, n: int = 4) -> Counter:
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n])


def tp_fp_fn(true: str, predicted: str) -> tuple[float, float, float]:
    truth, guess = shingles(true), shingles(predicted)
    tp = sum((truth & guess).values())
    fp = sum((guess - truth).values())
    fn = sum((truth - guess).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def precision_of(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fp == 0:
        return 0.0
    return tp / (tp + fp)


def recall_of(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fn == 0:
        return 0.0
    return tp / (tp + fn)


def score(counts: list[tuple[float, float, float]]) -> dict[str, float]:
    precision = statistics.mean(precision_of(*c) for c in counts if c[0] + c[1] > 0)
    recall = statistics.mean(recall_of(*c) for c in counts if c[0] + c[2] > 0)
    return {"precision": precision, "recall": recall, "f1": 2 * precision * recall / (precision + recall)}


def load_pages(data: Path, limit: int | None) -> list[tuple[str, str, str, str]]:
    """[(page id, url, html, true body)] in id order."""
    truth = json.loads((data / "dev-ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for page_id in sorted(truth)[:limit]:
        html = gzip.decompress((data / "html" / f"{page_id}.html.gz").read_bytes()).decode("utf-8")
        pages.append((page_id, truth[page_id].get("url"), html, truth[page_id]["articleBody"]))
    return pages


def crosscheck_body(html: str, url: str | None) -> str:
    try:
        return extract_page(html, url=url).text
    except IngestError:
        return ""


def trafilatura_default(html: str, url: str | None) -> str:
    return trafilatura.extract(html) or ""


EXTRACTORS = {"crosscheck": crosscheck_body, "trafilatura": trafilatura_default}


def run(extractor, pages, repeat: int) -> tuple[list[str], float]:
    best = float("inf")
    outputs: list[str] = []
    for _ in range(repeat):
        start = time.perf_counter()
        outputs = [extractor(html, url) for _, url, html, _ in pages]
        best = min(best, time.perf_counter() - start)
    return outputs, len(pages) / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=None, help="first N pages only (quick look)")
    parser.add_argument("--repeat", type=int, default=1, help="timing runs per extractor (best is kept)")
    parser.add_argument("--split", action="store_true", help="also score the even/odd-position halves")
    parser.add_argument("--worst", type=int, default=0, help="list the N pages with the lowest Crosscheck F1")
    args = parser.parse_args()

    pages = load_pages(args.data, args.limit)
    print(f"{len(pages)} pages from {args.data}")
    results = {}
    for name, extractor in EXTRACTORS.items():
        outputs, pages_per_s = run(extractor, pages, args.repeat)
        counts = [tp_fp_fn(true, out) for (_, _, _, true), out in zip(pages, outputs)]
        results[name] = (counts, pages_per_s)
    print(f"{'extractor':<12} {'precision':>9} {'recall':>7} {'F1':>6} {'pages/s':>8}")
    for name, (counts, pages_per_s) in results.items():
        m = score(counts)
        print(f"{name:<12} {m['precision']:>9.4f} {m['recall']:>7.4f} {m['f1']:>6.4f} {pages_per_s:>8.1f}")
    ratio = results["crosscheck"][1] / results["trafilatura"][1]
    print(f"speed ratio crosscheck/trafilatura: {ratio:.2f}")
    if args.split:
        for half, offset in (("even", 0), ("odd", 1)):
            line = []
            for name, (counts, _) in results.items():
                line.append(f"{name} F1 {score(counts[offset::2])['f1']:.4f}")
            print(f"{half}-position half ({len(pages[offset::2])} pages): " + ", ".join(line))
    if args.worst:
        counts = results["crosscheck"][0]
        base = results["trafilatura"][0]
        ranked = sorted(range(len(pages)), key=lambda i: precision_of(*counts[i]) + recall_of(*counts[i]))
        print("worst pages for crosscheck (P, R | trafilatura P, R):")
        for i in ranked[: args.worst]:
            print(
                f"  {pages[i][0][:12]} {precision_of(*counts[i]):.2f} {recall_of(*counts[i]):.2f}"
                f" | {precision_of(*base[i]):.2f} {recall_of(*base[i]):.2f}  {pages[i][1]}"
            )


if __name__ == "__main__":
    main()
