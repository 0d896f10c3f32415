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
    .venv/bin/python bench/extract.py --cv --repeat 0 # cross-validate the two fitted numbers
    .venv/bin/python bench/extract.py --ablation --repeat 0  # what each step adds

Speed is pages per second of CPU time of this process (`time.process_time`: the development
machine is shared, and wall time would count other processes' work): pages are read and decompressed beforehand, every
extractor is warmed up on one page (model loading is not counted), then each page is timed
for each extractor in turn (interleaved, so all share the machine's load at that moment) and
the best of `--repeat` runs per page is summed. Three things are timed: plain trafilatura,
Crosscheck's body extractor alone (parse, with extract_page's parser, + the merged passes:
the like-for-like comparison)
and Crosscheck's whole `extract_page` (body + metadata + furniture + provenance, what
ingestion stores and what is scored).
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
from crosscheck.ingest import body as body_module  # noqa: E402
from crosscheck.ingest.body import extract_body  # noqa: E402
from crosscheck.ingest.extract import _quietly, extract_title, parse_html, strip_discarded  # noqa: E402
from crosscheck.ingest.furniture import split_furniture  # noqa: E402
from crosscheck.ingest.metadata import read_page_metadata  # noqa: E402

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


def crosscheck_body_only(html: str, url: str | None) -> str:
    """The body extractor alone, as extract_page runs it: parse (with extract_page's parser),
    strip, merged passes."""
    tree = parse_html(html)
    strip_discarded(tree)
    return "\n".join(extract_body(tree, url).paragraphs)


EXTRACTORS = {"crosscheck": crosscheck_body, "trafilatura": trafilatura_default}
TIMED = {
    "trafilatura": trafilatura_default,
    "crosscheck body": crosscheck_body_only,
    "crosscheck extract_page": crosscheck_body,
}


def pages_per_second(pages, repeat: int) -> dict[str, float]:
    """Interleaved per-page timing, best of `repeat` per page and extractor."""
    for extractor in TIMED.values():  # warm-up: imports, language model, regex caches
        extractor(pages[0][2], pages[0][1])
    totals = dict.fromkeys(TIMED, 0.0)
    for _, url, html, _ in pages:
        for name, extractor in TIMED.items():
            best = float("inf")
            for _ in range(repeat):
                start = time.process_time()
                extractor(html, url)
                best = min(best, time.process_time() - start)
            totals[name] += best
    return {name: len(pages) / total for name, total in totals.items()}


KEEP_SHARES = (0.3, 0.5, 0.7, 0.9)
RESCUE_WORDS = (10, 15, 20, 30, 40, 60, 10**9)  # 10**9: never rescue


def metadata_summary(pages) -> None:
    """What extract_page finds besides the body. The benchmark labels only the URL, so the
    canonical URL is checked against it; the other fields are counted, not scored."""
    from crosscheck.ingest import canonical_url

    articles = []
    for _, url, html, _ in pages:
        try:
            articles.append(extract_page(html))  # no URL given: the page must say it itself
        except IngestError:
            articles.append(None)
    found = [a for a in articles if a is not None]
    same_url = sum(
        1 for (_, url, _, _), a in zip(pages, articles) if a and a.canonical_url == canonical_url(url)
    )
    print(
        f"metadata on {len(pages)} pages: canonical URL = benchmark URL on {same_url}; found: "
        f"title {sum(bool(a.title) for a in found)}, published {sum(bool(a.published) for a in found)}, "
        f"author {sum(bool(a.author) for a in found)}, site {sum(bool(a.source) for a in found)}, "
        f"language {sum(bool(a.language) for a in found)}"
    )


def prepare(pages) -> list[tuple]:
    """Per page, what extract_page computes before merging: both passes, titles, fallback."""
    prepared = []
    for _, url, html, true in pages:
        tree = parse_html(html)
        h1 = [" ".join(h.text_content().split()) for h in tree.iter("h1")][:3]
        titles = [read_page_metadata(tree).title, _quietly(extract_title, tree), *h1]
        strip_discarded(tree)
        recall, precision = body_module.trafilatura_passes(tree, url)
        fallback = body_module.readability_paragraphs(tree)
        prepared.append((recall, precision, titles, fallback, true))
    return prepared


def ablation(prepared) -> None:
    """How much each step adds (all pages, plus the even/odd halves)."""
    steps = {
        "recall pass alone": lambda r, p, t, f: r,
        "precision pass alone": lambda r, p, t, f: p,
        "merge": lambda r, p, t, f: body_module.merge_passes(r, p),
        "merge + headline drop": lambda r, p, t, f: body_module.drop_title_paragraph(body_module.merge_passes(r, p), t),
        "... + readability fallback": lambda r, p, t, f: body_module.combine_passes(r, p, t, lambda: f).paragraphs,
        "... + furniture split (shipped)": lambda r, p, t, f: split_furniture(
            body_module.combine_passes(r, p, t, lambda: f).paragraphs
        ).paragraphs,
        "precision + headline + furniture": lambda r, p, t, f: split_furniture(
            body_module.drop_title_paragraph(p, t)
        ).paragraphs,
    }
    print(f"{'step':<34} {'precision':>9} {'recall':>7} {'F1':>7} {'even':>7} {'odd':>7}")
    for name, step in steps.items():
        counts = [tp_fp_fn(true, "\n".join(step(r, p, t, f))) for r, p, t, f, true in prepared]
        m = score(counts)
        print(
            f"{name:<34} {m['precision']:>9.4f} {m['recall']:>7.4f} {m['f1']:>7.4f}"
            f" {score(counts[0::2])['f1']:>7.4f} {score(counts[1::2])['f1']:>7.4f}"
        )


def cross_validate(prepared) -> None:
    """Choose (KEEP_SHARE, RESCUE_WORDS) on one half of the pages, score it on the other.

    The halves are the even and odd positions in id order. The passes are computed once per
    page; every setting then runs the same merge → headline drop → furniture split as
    extract_page.
    """

    def counts_for(keep: float, rescue: int) -> list[tuple[float, float, float]]:
        counts = []
        for recall, precision, titles, fallback, true in prepared:
            found = body_module.combine_passes(recall, precision, titles, lambda f=fallback: f, keep, rescue)
            counts.append(tp_fp_fn(true, split_furniture(found.paragraphs).body))
        return counts

    grid = {(k, r): counts_for(k, r) for k in KEEP_SHARES for r in RESCUE_WORDS}
    chosen = (body_module.KEEP_SHARE, body_module.RESCUE_WORDS)
    label = lambda kr: f"keep_share={kr[0]}, rescue_words={'never' if kr[1] == 10**9 else kr[1]}"  # noqa: E731
    print(f"shipped setting ({label(chosen)}): all {score(grid[chosen])['f1']:.4f}, "
          f"even {score(grid[chosen][0::2])['f1']:.4f}, odd {score(grid[chosen][1::2])['f1']:.4f}")
    for fit_name, fit, test_name, test in (("even", 0, "odd", 1), ("odd", 1, "even", 0)):
        best = max(grid, key=lambda kr: (round(score(grid[kr][fit::2])["f1"], 6), kr == chosen))
        print(f"fit on {fit_name} half → {label(best)} (F1 {score(grid[best][fit::2])['f1']:.4f} there); "
              f"held-out {test_name} half F1 {score(grid[best][test::2])['f1']:.4f}")
    print("F1 on all pages by setting (rows keep_share, columns rescue_words):")
    print("        " + " ".join(f"{('never' if r == 10**9 else r):>7}" for r in RESCUE_WORDS))
    for k in KEEP_SHARES:
        print(f"  {k:<5} " + " ".join(f"{score(grid[(k, r)])['f1']:>7.4f}" for r in RESCUE_WORDS))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=None, help="first N pages only (quick look)")
    parser.add_argument("--repeat", type=int, default=3, help="timing runs per page and extractor (best is kept)")
    parser.add_argument("--split", action="store_true", help="also score the even/odd-position halves")
    parser.add_argument("--worst", type=int, default=0, help="list the N pages with the lowest Crosscheck F1")
    parser.add_argument("--cv", action="store_true", help="cross-validate the merge's two numbers on the halves")
    parser.add_argument("--ablation", action="store_true", help="score each step of the extractor separately")
    args = parser.parse_args()

    pages = load_pages(args.data, args.limit)
    print(f"{len(pages)} pages from {args.data}")
    results = {}
    for name, extractor in EXTRACTORS.items():
        outputs = [extractor(html, url) for _, url, html, _ in pages]
        results[name] = ([tp_fp_fn(true, out) for (_, _, _, true), out in zip(pages, outputs)], 0.0)
    print(f"{'extractor':<12} {'precision':>9} {'recall':>7} {'F1':>6}")
    for name, (counts, _) in results.items():
        m = score(counts)
        print(f"{name:<12} {m['precision']:>9.4f} {m['recall']:>7.4f} {m['f1']:>6.4f}")
    metadata_summary(pages)
    if args.repeat > 0:
        speed = pages_per_second(pages, args.repeat)
        print(f"speed (pages per CPU-second, one process, best of {args.repeat} per page, interleaved):")
        for name, value in speed.items():
            print(f"  {name:<24} {value:6.1f}  ({value / speed['trafilatura']:.2f}x trafilatura)")
    if args.split:
        for half, offset in (("even", 0), ("odd", 1)):
            line = []
            for name, (counts, _) in results.items():
                line.append(f"{name} F1 {score(counts[offset::2])['f1']:.4f}")
            print(f"{half}-position half ({len(pages[offset::2])} pages): " + ", ".join(line))
    if args.cv or args.ablation:
        prepared = prepare(pages)
        if args.ablation:
            ablation(prepared)
        if args.cv:
            cross_validate(prepared)
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
