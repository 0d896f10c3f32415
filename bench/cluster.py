"""Story clustering: quality on ECB+ dev events and speed on synthetic corpora.

    .venv/bin/python bench/cluster.py quality            # BCubed on all 35 dev topics, 5 seeds
    .venv/bin/python bench/cluster.py heldout            # fit on a random half of topics, score the other
    .venv/bin/python bench/cluster.py ablation           # gain of each signal
    .venv/bin/python bench/cluster.py speed --sizes 10000,100000,1000000
    .venv/bin/python bench/cluster.py fit                # grid search on the given topics (dev only)
    .venv/bin/python bench/cluster.py recluster          # streaming, then recluster(): quality and kept ids
    .venv/bin/python bench/cluster.py diagnose           # teacher-forced ranking accuracy and join/new AUC
    .venv/bin/python bench/cluster.py e2e --size 600     # ingest + understand + assign
    .venv/bin/python bench/cluster.py write-idf          # regenerate crosscheck/cluster/_idf_table.py

See bench/README-cluster.md for what each figure means and how the corpora are made.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import itertools
import json
import random
import re
import resource
import statistics
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from crosscheck.cluster import Clusterer, Settings  # noqa: E402
from crosscheck.cluster.assign import SIGNALS  # noqa: E402
from crosscheck.cluster.idf import Idf, default_idf, fit_idf  # noqa: E402
from crosscheck.cluster.metrics import bcubed  # noqa: E402
from crosscheck.model import Article  # noqa: E402

ECB = REPO.parent / "shared" / "data" / "ecbplus" / "dev.jsonl"
SEEDS = [0, 1, 2, 3, 4]


def load_ecb(path: Path = ECB) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def to_article(doc: dict, published: datetime | None = None) -> Article:
    return Article(id=doc["doc_id"], title=doc["title"], text=doc["text"], published=published)


# ------------------------------------------------------------------ quality


class CachedClusterer(Clusterer):
    """Feature extraction does not depend on the fitted weights: compute it once per doc."""

    cache: dict = {}

    def features(self, article, analysis=None):
        key = (article.id, article.published, id(self.idf), self.settings.title_weight, self.settings.body_words,
               analysis is not None)
        if key not in self.cache:
            self.cache[key] = super().features(article, analysis)
        return self.cache[key]


def stream(docs: list[dict], settings: Settings, idf: Idf, seed: int, analyses=None) -> dict[str, str]:
    """Feed the docs one at a time in a seeded shuffled order (ECB+ has no dates)."""
    order = list(docs)
    random.Random(seed).shuffle(order)
    clusterer = CachedClusterer(settings=settings, idf=idf)
    return {d["doc_id"]: clusterer.assign(to_article(d), (analyses or {}).get(d["doc_id"])) for d in order}


def score(docs, settings, idf, seeds=SEEDS, analyses=None) -> tuple[float, float, float, float]:
    gold = {d["doc_id"]: d["subtopic"] for d in docs}
    runs = [bcubed(stream(docs, settings, idf, s, analyses), gold) for s in seeds]
    p, r, f = (statistics.mean(x[i] for x in runs) for i in range(3))
    return p, r, f, statistics.pstdev(x[2] for x in runs)


def fit(docs, idf, base: Settings = Settings(), seeds=(0, 1, 2), mask=None, verbose=False,
        rounds: int = 3) -> Settings:
    """Signal weights and the join threshold by coordinate ascent on streaming BCubed F1.

    Weights are fitted directly on the figure we report (not a proxy loss), on the given docs
    only. `mask` (one bool per signal) switches signals off for the ablation (weight fixed at 0).
    Terms carry weight 1 by convention (the threshold sets the scale).
    """
    mask = list(mask or [True] * len(SIGNALS))
    weights = [w if m else 0.0 for w, m in zip(base.weights, mask)]
    if mask[0]:
        weights[0] = 1.0
    settings = dataclasses.replace(base, weights=tuple(weights))
    cache: dict = {}

    def f1(s: Settings) -> float:
        key = (s.weights, s.threshold)
        if key not in cache:
            cache[key] = score(docs, s, idf, seeds)[2]
        return cache[key]

    # Signs follow what each signal means: similarities can only add evidence, missing names
    # can only take it away, size may shift the threshold either way.
    steps = {1: [0.0, 0.15, 0.3, 0.6, 1.0], 2: [0.0, 0.15, 0.3, 0.6, 1.0],
             3: [-0.6, -0.3, -0.15, 0.0], 4: [-0.6, -0.3, -0.15, 0.0], 5: [-0.2, -0.1, 0.0, 0.1]}
    thresholds = [round(0.1 + 0.02 * i, 2) for i in range(25)]
    best = max((dataclasses.replace(settings, threshold=t) for t in thresholds), key=f1)
    for _ in range(rounds):
        improved = False
        for i in range(len(SIGNALS)):
            if not mask[i] or i == 0:
                continue
            for value in steps[i]:
                w = list(best.weights)
                w[i] = value
                trial = dataclasses.replace(best, weights=tuple(w))
                # Each weight change re-fits the threshold around the current one.
                local = [t for t in thresholds if abs(t - best.threshold) <= 0.041]
                trial = max((dataclasses.replace(trial, threshold=t) for t in local), key=f1)
                if f1(trial) > f1(best) + 1e-4:
                    best, improved = trial, True
            if verbose:
                print(f"  {dict(zip(SIGNALS, best.weights))} threshold={best.threshold} F1={f1(best):.4f}",
                      flush=True)
        if not improved:
            break
    return best


def cmd_quality(args):
    docs = load_ecb()
    p, r, f, sd = score(docs, Settings(), default_idf())
    print(f"ECB+ dev, 35 topics, {len(docs)} docs, streaming in seeded shuffled order, seeds {SEEDS}")
    print(f"BCubed P={p:.4f} R={r:.4f} F1={f:.4f} (sd {sd:.4f})")


def split_topics(docs, seed: int):
    topics = sorted({d["topic"] for d in docs}, key=int)
    rng = random.Random(seed)
    rng.shuffle(topics)
    fit_topics = set(topics[: len(topics) // 2])
    return ([d for d in docs if d["topic"] in fit_topics], [d for d in docs if d["topic"] not in fit_topics],
            sorted(fit_topics, key=int))


def cmd_heldout(args):
    docs = load_ecb()
    fit_docs, held_docs, fit_topics = split_topics(docs, args.split_seed)
    idf = fit_idf(to_article(d) for d in fit_docs)  # nothing from the held-out half
    # Start from neutral weights so that nothing fitted on the whole dev set leaks in.
    neutral = dataclasses.replace(Settings(), weights=(1.0,) + (0.0,) * (len(SIGNALS) - 1), threshold=0.3)
    settings = fit(fit_docs, idf, base=neutral)
    print(f"fit topics ({len(fit_topics)}): {fit_topics}")
    print(f"fitted: weights={dict(zip(SIGNALS, settings.weights))} threshold={settings.threshold}")
    pf = score(fit_docs, settings, idf)
    ph = score(held_docs, settings, idf)
    print(f"fit half      BCubed P={pf[0]:.4f} R={pf[1]:.4f} F1={pf[2]:.4f}")
    print(f"held-out half BCubed P={ph[0]:.4f} R={ph[1]:.4f} F1={ph[2]:.4f}")


def cmd_fit(args):
    docs = load_ecb()
    idf = default_idf()
    settings = fit(docs, idf, verbose=True)
    print("best:", settings, score(docs, settings, idf))


def cmd_write_idf(args):
    docs = load_ecb()
    table = fit_idf(to_article(d) for d in docs).to_dict(min_df=2)
    out = REPO / "crosscheck" / "cluster" / "_idf_table.py"
    out.write_text('"""Document frequencies on ECB+ dev (772 articles; CC BY 3.0, "ECB+ corpus, NewsReader\n'
                   'project"). Generated by `bench/cluster.py write-idf`; do not edit."""\n\n'
                   f"TABLE = {json.dumps(table, sort_keys=True)}\n", encoding="utf-8")
    print(f"wrote {out} ({len(table['terms'])} terms, {len(table['entities'])} entities)")


# ------------------------------------------------------------------ synthetic corpora

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'])")
_NAME = re.compile(r"\b[A-Z][a-z]{2,}\b")
_LONG_WORD = re.compile(r"\b[a-z]{7,}\b")
_SYLLABLES = ["ka", "lo", "ren", "tu", "mi", "sar", "vel", "do", "rin", "ha", "zo", "ber", "na", "qui",
              "tor", "le", "fa", "gon", "ste", "wy"]


def _pseudo_name(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def synthetic_corpus(size: int, seed: int = 7, per_day: int = 3000):
    """Yield (article, story_label) in publication order: `size` articles made from ECB+ dev.

    Each synthetic story takes one ECB+ event and renames every capitalised word of its
    articles, and half of its words of 7+ letters, with story-specific pseudo-words (so two
    stories of one event differ the way sibling events do: same kind, different names and
    details). Its 1-20 articles (mean about 6)
    are dev articles of that event with their sentences shuffled and a random subset of 60-100%
    kept, title = one of the kept sentences, published within 72 hours of the story's start.
    Stories start uniformly at `per_day` articles a day, so 1M articles span about 11 months.
    """
    rng = random.Random(seed)
    docs = load_ecb()
    by_event: dict[str, list[list[str]]] = {}
    for d in docs:
        sentences = [d["title"]] + _SENTENCE_END.split(d["text"])
        by_event.setdefault(d["subtopic"], []).append([x for x in sentences if x.strip()])
    events = sorted(by_event)
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    pending: list = []  # heap of (published, seq, article, label)
    made = 0
    story = 0
    clock = 0.0  # days
    import heapq

    while made < size or pending:
        # A story opened later cannot publish before `clock`: emit only what is earlier.
        while made < size and (not pending or pending[0][0] > start + timedelta(days=clock)):
            story += 1
            event = events[rng.randrange(len(events))]
            renames: dict[str, str] = {}
            n_articles = min(size - made, min(20, 1 + int(rng.expovariate(1 / 5.0))))
            for _ in range(n_articles):
                sentences = list(rng.choice(by_event[event]))
                rng.shuffle(sentences)
                kept = sentences[: max(1, int(len(sentences) * rng.uniform(0.6, 1.0)))]
                text = " ".join(kept)
                text = _NAME.sub(lambda m: renames.setdefault(m.group(), _pseudo_name(rng))
                                 if m.group().lower() not in _COMMON_CAPS else m.group(), text)
                # Half the story's longer words get story-specific stand-ins too: ECB+ has only
                # 70 events, a real archive has as many vocabularies as stories.
                text = _LONG_WORD.sub(lambda m: renames.setdefault(
                    m.group(), _pseudo_name(rng).lower() if rng.random() < 0.5 else m.group()), text)
                title, _, body = text.partition(". ")
                body = body or title  # a one-sentence article: its only sentence is both
                published = start + timedelta(days=clock + rng.uniform(0, 3.0))
                heapq.heappush(pending, (published, made, Article(id=f"syn-{made}", title=title, text=body,
                                                                 published=published), f"story-{story}"))
                made += 1
            clock += n_articles / per_day
        if pending:
            published, _, article, label = heapq.heappop(pending)
            yield article, label


_COMMON_CAPS = {"the", "a", "an", "in", "on", "at", "he", "she", "it", "they", "we", "but", "and", "this",
                "that", "his", "her", "their", "there", "after", "before", "when", "while", "for", "with",
                "as", "according", "officials", "police", "monday", "tuesday", "wednesday", "thursday",
                "friday", "saturday", "sunday", "january", "february", "march", "april", "may", "june",
                "july", "august", "september", "october", "november", "december"}


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def cmd_speed(args):
    sizes = [int(x) for x in args.sizes.split(",")]
    print("synthetic corpora from ECB+ dev (see synthetic_corpus); assignment = Clusterer.assign only")
    print("wall = perf_counter around assign(); cpu = thread CPU time (excludes waiting for a core")
    print("on a shared machine); last10% = the final tenth of the stream, when the archive is largest")
    print(f"{'articles':>9} {'stories':>8} {'live':>6} {'assign/s':>9} {'p50 ms':>7} {'p99 ms':>7} "
          f"{'cpu p50':>7} {'cpu p99':>7} {'max ms':>7} {'last10% p99':>11} {'BCubed F1':>9} {'peak MB':>8}")
    for size in sizes:
        gc.collect()
        clusterer = Clusterer()
        latencies, cpu = [], []
        predicted, gold = {}, {}
        total = 0.0
        for article, label in synthetic_corpus(size, seed=args.seed):
            c0 = time.thread_time()
            t0 = time.perf_counter()
            story = clusterer.assign(article)
            dt = time.perf_counter() - t0
            cpu.append(time.thread_time() - c0)
            total += dt
            latencies.append(dt)
            predicted[article.id] = story
            gold[article.id] = label
            if len(latencies) % 1000 == 0:
                clusterer.changed()  # what the pipeline does after each batch
        lat = sorted(latencies)
        cpu.sort()
        tail = sorted(latencies[-max(1, len(latencies) // 10):])
        q = lambda xs, p: xs[min(len(xs) - 1, int(p * len(xs)))] * 1000  # noqa: E731
        f1 = bcubed(predicted, gold)[2]
        print(f"{size:>9} {len(set(gold.values())):>8} {len(clusterer.stories()):>6} {size / total:>9.0f} "
              f"{q(lat, .5):>7.2f} {q(lat, .99):>7.2f} {q(cpu, .5):>7.2f} {q(cpu, .99):>7.2f} "
              f"{lat[-1] * 1000:>7.1f} {q(tail, .99):>11.2f} "
              f"{f1:>9.4f} {peak_rss_mb():>8.0f}", flush=True)
        del predicted, gold, latencies, cpu, clusterer


def cmd_ablation(args):
    """Drop one signal from the shipped settings, re-fit only the threshold, score on all dev."""
    docs = load_ecb()
    idf = default_idf()
    base = Settings()
    thresholds = [round(0.1 + 0.02 * i, 2) for i in range(25)]

    def best_threshold(settings):
        return max(((score(docs, dataclasses.replace(settings, threshold=t), idf, seeds=(0, 1))[2], t)
                    for t in thresholds))

    print("ECB+ dev, streaming, seeds 0-1 to pick the threshold, reported F1 = mean over seeds 0-4")
    rows = [("all signals (shipped settings)", base)]
    for i, name in enumerate(SIGNALS):
        if base.weights[i]:
            w = list(base.weights)
            w[i] = 0.0
            rows.append((f"without {name}", dataclasses.replace(base, weights=tuple(w))))
    rows.append(("terms only", dataclasses.replace(base, weights=(1.0,) + (0.0,) * (len(SIGNALS) - 1))))
    rows.append(("entities only", dataclasses.replace(base, weights=(0.0, 1.0) + (0.0,) * (len(SIGNALS) - 2))))
    print(f"{'configuration':<34} {'threshold':>9} {'P':>7} {'R':>7} {'F1':>7}")
    for label, settings in rows:
        _, t = best_threshold(settings) if label != rows[0][0] else (None, settings.threshold)
        p, r, f, _ = score(docs, dataclasses.replace(settings, threshold=t), idf)
        print(f"{label:<34} {t:>9.2f} {p:>7.4f} {r:>7.4f} {f:>7.4f}", flush=True)
    if args.analyses:
        import pickle

        analyses = pickle.load(open(args.analyses, "rb"))
        p, r, f, _ = score(docs, base, idf, analyses=analyses)
        print(f"{'names from understand (spaCy)':<34} {base.threshold:>9.2f} {p:>7.4f} {r:>7.4f} {f:>7.4f}")
    # Time: ECB+ has no dates. Simulate them: each event starts on a random day of 2026 and its
    # articles appear within 72 hours; the stream then runs in publication order.
    print("time signal, ECB+ dev with simulated dates (each event: random start in 2026, articles")
    print("within 72 h), streamed in publication order, seeds 0-4:")
    for use_time in (True, False):
        runs = []
        for seed in SEEDS:
            rng = random.Random(seed)
            start = {e: datetime(2026, 1, 1, tzinfo=timezone.utc) + timedelta(days=rng.uniform(0, 365))
                     for e in sorted({d["subtopic"] for d in docs})}
            dated = sorted(((start[d["subtopic"]] + timedelta(hours=rng.uniform(0, 72)), d) for d in docs),
                           key=lambda x: (x[0], x[1]["doc_id"]))
            clusterer = CachedClusterer(settings=dataclasses.replace(base, use_time=use_time), idf=idf)
            predicted = {d["doc_id"]: clusterer.assign(to_article(d, when)) for when, d in dated}
            runs.append(bcubed(predicted, {d["doc_id"]: d["subtopic"] for d in docs}))
        p, r, f = (statistics.mean(x[i] for x in runs) for i in range(3))
        print(f"  {'with' if use_time else 'without'} time: P={p:.4f} R={r:.4f} F1={f:.4f}", flush=True)


def cmd_diagnose(args):
    """Teacher forcing: every earlier article sits in its gold story. How often does the gold
    story outrank all others, and how well does the best score separate join from new?"""
    import bisect

    docs = load_ecb()
    idf = default_idf()
    ranks, aucs = [], []
    for seed in SEEDS:
        order = list(docs)
        random.Random(seed).shuffle(order)
        clusterer = CachedClusterer(idf=idf)
        story_of_event, event_of_story = {}, {}
        correct = total = 0
        join, new = [], []
        for d in order:
            article = to_article(d)
            features = clusterer.features(article)
            gold = story_of_event.get(d["subtopic"])
            others = [clusterer.score(features, live) for live in clusterer.candidates(features)
                      if event_of_story[live.profile.story_id] != d["subtopic"]]
            best_other = max(others, default=0.0)
            if gold is None:
                new.append(best_other)
                gold = story_of_event[d["subtopic"]] = clusterer._open(article)
                event_of_story[gold.profile.story_id] = d["subtopic"]
            else:
                value = clusterer.score(features, gold)
                total += 1
                correct += value > best_other
                join.append(value)
            clusterer._add(gold, article, features, reinforce=True)
        ranks.append(correct / total)
        new.sort()
        aucs.append(sum(bisect.bisect_left(new, j) for j in join) / len(join) / len(new))
    print("teacher-forced stream over ECB+ dev, shipped settings, seeds 0-4:")
    print(f"  gold story scores above every other candidate: {statistics.mean(ranks):.3f} of articles")
    print(f"  ROC AUC, gold-story score (join) vs best score of an article opening a new event: "
          f"{statistics.mean(aucs):.3f}")


def cmd_recluster(args):
    """Stream in a shuffled order, then `recluster` the lot: quality and how many ids survive."""
    from crosscheck.cluster import recluster

    docs = load_ecb()
    gold = {d["doc_id"]: d["subtopic"] for d in docs}
    articles = [to_article(d) for d in docs]
    rows = []
    for seed in SEEDS:
        previous = stream(docs, Settings(), default_idf(), seed)
        result = recluster(articles, previous)
        after = result.story_of()
        rows.append((bcubed(previous, gold), bcubed(after, gold),
                     sum(after[a] == previous[a] for a in previous) / len(previous)))
    for label, i in (("streaming", 0), ("after recluster", 1)):
        p, r, f = (statistics.mean(row[i][k] for row in rows) for k in range(3))
        print(f"{label:<16} BCubed P={p:.4f} R={r:.4f} F1={f:.4f}")
    print(f"articles keeping their story id through recluster: {statistics.mean(r[2] for r in rows):.3f}")


def cmd_e2e(args):
    """Ingest (JSON record -> Article) + understand (analyze, batches) + assign, one process."""
    from crosscheck.ingest import IngestError
    from crosscheck.ingest.sources import article_from_record
    from crosscheck.understand import analyze

    skipped = 0
    records = [{"title": a.title, "text": a.text, "published": a.published.isoformat(),
                "url": f"https://example.org/{a.id}", "source": "example.org"}
               for a, _ in synthetic_corpus(args.size)]
    clusterer = Clusterer()
    timings = {"ingest": 0.0, "understand": 0.0, "assign": 0.0}
    start = time.perf_counter()
    for i in range(0, len(records), args.batch):
        t0 = time.perf_counter()
        articles = []
        for j, record in enumerate(records[i:i + args.batch]):
            try:
                articles.append(article_from_record(record, f"record-{i + j}"))
            except IngestError:  # e.g. a one-sentence record whose only line is its title
                skipped += 1
        t1 = time.perf_counter()
        analyses = analyze(articles)
        t2 = time.perf_counter()
        for article, analysis in zip(articles, analyses):
            clusterer.assign(article, analysis)
        clusterer.changed()
        t3 = time.perf_counter()
        timings["ingest"] += t1 - t0
        timings["understand"] += t2 - t1
        timings["assign"] += t3 - t2
    total = time.perf_counter() - start
    print(f"end-to-end on {len(records)} synthetic records ({skipped} rejected by ingest), batches of "
          f"{args.batch}, one process: {len(records) / total:.1f} records/s")
    for stage, seconds in timings.items():
        print(f"  {stage:<10} {seconds:7.1f} s  ({len(records) / seconds:8.1f} articles/s)")


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser("quality").set_defaults(fn=cmd_quality)
    h = sub.add_parser("heldout")
    h.add_argument("--split-seed", type=int, default=2026)
    h.set_defaults(fn=cmd_heldout)
    sub.add_parser("fit").set_defaults(fn=cmd_fit)
    sub.add_parser("write-idf").set_defaults(fn=cmd_write_idf)
    ab = sub.add_parser("ablation")
    ab.add_argument("--analyses", help="pickle of {doc_id: Analysis} from crosscheck.understand.analyze")
    ab.set_defaults(fn=cmd_ablation)
    sub.add_parser("recluster").set_defaults(fn=cmd_recluster)
    sub.add_parser("diagnose").set_defaults(fn=cmd_diagnose)
    e2 = sub.add_parser("e2e")
    e2.add_argument("--size", type=int, default=1000)
    e2.add_argument("--batch", type=int, default=64)
    e2.set_defaults(fn=cmd_e2e)
    sp = sub.add_parser("speed")
    sp.add_argument("--sizes", default="10000,100000")
    sp.add_argument("--seed", type=int, default=7)
    sp.set_defaults(fn=cmd_speed)
    args = parser.parse_args()
    args.fn(args)


if __name__ == "__main__":
    main()
