"""Story clustering: quality on ECB+ dev events and speed on synthetic corpora.

    .venv/bin/python bench/cluster.py quality            # BCubed on all 35 dev topics, 5 seeds
    .venv/bin/python bench/cluster.py heldout            # fit on a random half of topics, score the other
    .venv/bin/python bench/cluster.py ablation           # gain of each signal
    .venv/bin/python bench/cluster.py speed --sizes 10000,100000,1000000
    .venv/bin/python bench/cluster.py fit                # grid search on the given topics (dev only)
    .venv/bin/python bench/cluster.py recluster          # streaming, then recluster(): quality and kept ids
    .venv/bin/python bench/cluster.py ceiling            # document similarity with oracle help (reference)
    .venv/bin/python bench/cluster.py dense              # gain of the optional MiniLM signal (embeddings extra)
    .venv/bin/python bench/cluster.py diagnose           # teacher-forced ranking accuracy and join/new AUC
    .venv/bin/python bench/cluster.py e2e --size 600     # ingest + understand + assign
    .venv/bin/python bench/cluster.py write-idf          # regenerate crosscheck/cluster/_idf_table.py

See bench/README-cluster.md for what each figure means and how the corpora are made.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
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

from crosscheck.cluster import Clusterer, Settings, StoryProfile  # noqa: E402
from crosscheck.cluster.assign import SIGNALS, _dot  # noqa: E402
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

    def features(self, article, analysis=None, dense=None):
        key = (article.id, article.published, id(self.idf), self.settings.title_weight, self.settings.body_words,
               analysis is not None, dense is not None and bool(self.settings.weights[6]))
        if key not in self.cache:
            self.cache[key] = super().features(article, analysis, dense)
        return self.cache[key]


def stream(docs: list[dict], settings: Settings, idf: Idf, seed: int, analyses=None, dense=None) -> dict[str, str]:
    """Feed the docs one at a time in a seeded shuffled order (ECB+ has no dates)."""
    order = list(docs)
    random.Random(seed).shuffle(order)
    clusterer = CachedClusterer(settings=settings, idf=idf)
    return {d["doc_id"]: clusterer.assign(to_article(d), (analyses or {}).get(d["doc_id"]),
                                          (dense or {}).get(d["doc_id"])) for d in order}


def score(docs, settings, idf, seeds=SEEDS, analyses=None, dense=None) -> tuple[float, float, float, float]:
    gold = {d["doc_id"]: d["subtopic"] for d in docs}
    runs = [bcubed(stream(docs, settings, idf, s, analyses, dense), gold) for s in seeds]
    p, r, f = (statistics.mean(x[i] for x in runs) for i in range(3))
    return p, r, f, statistics.pstdev(x[2] for x in runs)


def fit(docs, idf, base: Settings = Settings(), seeds=(0, 1, 2), mask=None, verbose=False,
        rounds: int = 3, dense=None) -> Settings:
    """Signal weights and the join threshold by coordinate ascent on streaming BCubed F1.

    Weights are fitted directly on the figure we report (not a proxy loss), on the given docs
    only. `mask` (one bool per signal) switches signals off for the ablation (weight fixed at 0).
    Terms carry weight 1 by convention (the threshold sets the scale).
    """
    mask = list(mask or [True] * (len(SIGNALS) - 1) + [dense is not None])
    weights = [w if m else 0.0 for w, m in zip(base.weights, mask)]
    if mask[0]:
        weights[0] = 1.0
    settings = dataclasses.replace(base, weights=tuple(weights))
    cache: dict = {}

    def f1(s: Settings) -> float:
        key = (s.weights, s.threshold)
        if key not in cache:
            cache[key] = score(docs, s, idf, seeds, dense=dense)[2]
        return cache[key]

    # Signs follow what each signal means: similarities can only add evidence, missing names
    # can only take it away, size may shift the threshold either way.
    steps = {1: [0.0, 0.15, 0.3, 0.6, 1.0], 2: [0.0, 0.15, 0.3, 0.6, 1.0],
             3: [-0.6, -0.3, -0.15, 0.0], 4: [-0.6, -0.3, -0.15, 0.0], 5: [-0.2, -0.1, 0.0, 0.1],
             6: [0.0, 0.15, 0.3, 0.6, 1.0]}
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
    """Fit on a random half of the dev topics, score on the other half; one line per split."""
    docs = load_ecb()
    seeds = [int(x) for x in str(args.split_seed).split(",")]
    gaps = []
    for split_seed in seeds:
        fit_docs, held_docs, fit_topics = split_topics(docs, split_seed)
        idf = fit_idf(to_article(d) for d in fit_docs)  # nothing from the held-out half
        # Start from neutral weights so that nothing fitted on the whole dev set leaks in.
        neutral = dataclasses.replace(Settings(), weights=(1.0,) + (0.0,) * (len(SIGNALS) - 1), threshold=0.3)
        settings = fit(fit_docs, idf, base=neutral)
        pf = score(fit_docs, settings, idf)
        ph = score(held_docs, settings, idf)
        # The held-out half's own best threshold, for reference only: how much of the gap is the
        # threshold not transferring, and how much is the held-out topics being harder.
        own = max((score(held_docs, dataclasses.replace(settings, threshold=round(t, 2)), idf)[2], round(t, 2))
                  for t in [settings.threshold + 0.02 * k for k in range(-5, 6)])
        gaps.append(pf[2] - ph[2])
        print(f"split seed {split_seed}: fit topics ({len(fit_topics)}) {fit_topics}")
        print(f"  fitted: weights={dict(zip(SIGNALS, settings.weights))} threshold={settings.threshold}")
        print(f"  fit half      BCubed P={pf[0]:.4f} R={pf[1]:.4f} F1={pf[2]:.4f}")
        print(f"  held-out half BCubed P={ph[0]:.4f} R={ph[1]:.4f} F1={ph[2]:.4f}  "
              f"(gap {pf[2] - ph[2]:+.4f}; held-out's own best threshold {own[1]} would give {own[0]:.4f})",
              flush=True)
    if len(gaps) > 1:
        print(f"mean gap over {len(gaps)} splits: {statistics.mean(gaps):+.4f} (sd {statistics.stdev(gaps):.4f})")


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
        if args.store:
            store_round_trip(clusterer.stories(), size)
        del predicted, gold, latencies, cpu, clusterer


def store_round_trip(profiles, size: int) -> None:
    """The per-run cost on SQLite: save the live profiles, then load them back as a pipeline run does."""
    import tempfile

    from sqlalchemy import insert

    from crosscheck.store import Store
    from crosscheck.store.schema import stories

    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(str(Path(tmp) / "bench.db"))
        now = datetime.now(timezone.utc)
        started = time.perf_counter()
        with store.engine.begin() as conn:
            conn.execute(insert(stories), [dict(id=p.story_id, title=p.state.get("title") or p.story_id, updated=now,
                                                last_published=p.last_published, outlets=[], profile=p.state)
                                           for p in profiles])
        saved = time.perf_counter() - started
        newest = max(p.last_published for p in profiles if p.last_published)
        started = time.perf_counter()
        rows = store.load_profiles(newest - timedelta(days=Settings().window_days))
        loaded = time.perf_counter() - started
        started = time.perf_counter()
        Clusterer([StoryProfile(story_id=sid, last_published=last, state=state) for sid, last, state in rows])
        built = time.perf_counter() - started
        size_mb = (Path(tmp) / "bench.db").stat().st_size / 1e6
        store.close()
    print(f"{'':>9} SQLite after {size}: {len(profiles)} live profiles saved in {saved:.1f} s ({size_mb:.0f} MB); "
          f"a pipeline run loads {len(rows)} in {loaded:.1f} s and rebuilds the index in {built:.1f} s", flush=True)


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


def cmd_ceiling(args):
    """How far document similarity alone can go on ECB+ dev, with oracle help (not a result).

    Pairwise similarity = the shipped weighted sum of the terms, names and headline cosines
    between two articles. (a) batch average-link over all 772 with the best global cut;
    (b) each gold topic split into exactly two clusters (oracle topic and oracle count).
    """
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    docs = load_ecb()
    settings = Settings()
    clusterer = Clusterer(settings=settings)
    feats = [clusterer.features(to_article(d)) for d in docs]
    w = settings.weights

    def sim(a, b):
        return w[0] * _dot(a.terms, b.terms) + w[1] * _dot(a.entities, b.entities) + w[2] * _dot(a.title, b.title)

    n = len(docs)
    matrix = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            matrix[i][j] = matrix[j][i] = sim(feats[i], feats[j])
    top = max(max(row) for row in matrix)
    gold = {d["doc_id"]: d["subtopic"] for d in docs}

    def tree(index, method):
        dist = [[0.0 if i == j else top - matrix[i][j] for j in index] for i in index]
        return linkage(squareform(dist, checks=False), method)

    everything = tree(range(n), "average")
    cuts = [round(top - 0.02 * k, 2) for k in range(1, 60)]
    best = max(((bcubed({d["doc_id"]: int(c) for d, c in zip(docs, fcluster(everything, top - t, "distance"))},
                        gold), t) for t in cuts), key=lambda found: found[0][2])
    print(f"(a) batch average-link, all 772, best global cut (similarity {best[1]}): "
          f"P={best[0][0]:.4f} R={best[0][1]:.4f} F1={best[0][2]:.4f}")
    by_topic: dict[str, list[int]] = {}
    for i, d in enumerate(docs):
        by_topic.setdefault(d["topic"], []).append(i)
    for method in ("average", "complete"):
        predicted = {}
        for topic, index in by_topic.items():
            labels = fcluster(tree(index, method), 2, "maxclust")
            predicted.update({docs[i]["doc_id"]: f"{topic}-{c}" for i, c in zip(index, labels)})
        p, r, f = bcubed(predicted, gold)
        print(f"(b) each gold topic cut into exactly 2 clusters ({method}-link): P={p:.4f} R={r:.4f} F1={f:.4f}")


def dev_embeddings(docs, path: Path) -> dict[str, list[float]]:
    """MiniLM vectors of the dev docs (needs the embeddings extra), cached in `path`."""
    if path.exists():
        cached = json.loads(path.read_text())
        if set(cached) >= {d["doc_id"] for d in docs}:
            return cached
    from crosscheck.cluster.embed import MiniLMEmbedder

    started = time.perf_counter()
    vectors = MiniLMEmbedder().embed([to_article(d) for d in docs])
    print(f"embedded {len(docs)} docs in {time.perf_counter() - started:.1f} s")
    out = {d["doc_id"]: [round(v, 6) for v in vec] for d, vec in zip(docs, vectors)}
    path.write_text(json.dumps(out))
    return out


def cmd_dense(args):
    """Gain of the optional dense signal (all-MiniLM-L6-v2) over the shipped settings."""
    docs = load_ecb()
    idf = default_idf()
    dense = dev_embeddings(docs, Path(args.cache))
    base = Settings()
    thresholds = [round(0.2 + 0.02 * i, 2) for i in range(50)]

    def best(weights):
        pick = max(thresholds, key=lambda t: score(docs, dataclasses.replace(base, weights=weights, threshold=t),
                                                   idf, seeds=(0, 1), dense=dense)[2])
        return pick, score(docs, dataclasses.replace(base, weights=weights, threshold=pick), idf, dense=dense)

    print("threshold picked on seeds 0-1, figures = mean of seeds 0-4")
    print(f"{'configuration':<44} {'threshold':>9} {'P':>6} {'R':>6} {'F1':>6}")
    rows = [(f"shipped + dense x{w}", base.weights[:6] + (w,)) for w in (0.0, 0.15, 0.3, 0.6, 1.0)]
    rows.append(("dense only", (0.0,) * 6 + (1.0,)))
    rows.append(("terms 1.0 + dense 1.0", (1.0,) + (0.0,) * 5 + (1.0,)))
    for name, weights in rows:
        t, (p, r, f, _) = best(weights)
        print(f"{name:<44} {t:>9.2f} {p:>6.3f} {r:>6.3f} {f:>6.3f}", flush=True)


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


def _recluster_scores(docs, settings: Settings, idf: Idf, seeds=SEEDS):
    """Stream each seeded order, recluster the lot: (streaming, after) BCubed and ids kept."""
    from crosscheck.cluster import recluster

    gold = {d["doc_id"]: d["subtopic"] for d in docs}
    articles = [to_article(d) for d in docs]
    rows = []
    for seed in seeds:
        previous = stream(docs, Settings(), idf, seed)
        after = recluster(articles, previous, settings=settings, idf=idf).story_of()
        rows.append((bcubed(previous, gold), bcubed(after, gold),
                     sum(after[a] == previous[a] for a in previous) / len(previous)))
    mean = lambda i: tuple(statistics.mean(row[i][k] for row in rows) for k in range(3))  # noqa: E731
    return mean(0), mean(1), statistics.mean(r[2] for r in rows)


RECLUSTER_CUTS = (1.8, 2.0, 2.2, 2.4, 2.6, 3.0)


def fit_recluster(docs, idf: Idf, seeds=(0, 1)) -> Settings:
    """Ward cut by grid search on reclustered BCubed F1 (these docs only)."""
    return max((dataclasses.replace(Settings(), ward_cut=c) for c in RECLUSTER_CUTS),
               key=lambda s: _recluster_scores(docs, s, idf, seeds)[1][2])


def periodic_recluster(docs, every: int, seeds=SEEDS) -> tuple[float, float, float]:
    """What readers see when `crosscheck recluster` runs after every `every` new articles."""
    from crosscheck.cluster import recluster

    gold = {d["doc_id"]: d["subtopic"] for d in docs}
    runs = []
    for seed in seeds:
        order = list(docs)
        random.Random(seed).shuffle(order)
        articles = [to_article(d) for d in order]
        clusterer, story_of = Clusterer(), {}
        for i, article in enumerate(articles, 1):
            story_of[article.id] = clusterer.assign(article)
            if i % every == 0 and i < len(articles):
                result = recluster(articles[:i], story_of)
                story_of = result.story_of()
                clusterer = Clusterer(result.profiles)  # as the pipeline reloads stored profiles
        runs.append(bcubed(story_of, gold))
    return tuple(statistics.mean(run[k] for run in runs) for k in range(3))


def recluster_speed(size: int) -> None:
    """Time recluster() over a synthetic window of `size` articles already streamed into stories."""
    from crosscheck.cluster import recluster

    corpus = list(synthetic_corpus(size))
    clusterer = Clusterer()
    previous = {article.id: clusterer.assign(article) for article, _ in corpus}
    gold = {article.id: label for article, label in corpus}
    articles = [article for article, _ in corpus]
    gc.collect()
    started = time.perf_counter()
    result = recluster(articles, previous)
    seconds = time.perf_counter() - started
    before, after = bcubed(previous, gold), bcubed(result.story_of(), gold)
    print(f"recluster of {size} synthetic articles: {seconds:.1f} s ({size / seconds:.0f} articles/s), "
          f"BCubed P/R/F1 {before[0]:.3f}/{before[1]:.3f}/{before[2]:.4f} -> "
          f"{after[0]:.3f}/{after[1]:.3f}/{after[2]:.4f}, peak RSS {peak_rss_mb():.0f} MB", flush=True)


def cmd_recluster(args):
    """Stream in a shuffled order, then `recluster` the lot: quality and how many ids survive."""
    docs = load_ecb()
    if args.fit:
        best = fit_recluster(docs, default_idf())
        print(f"fitted on all dev topics: ward_cut={best.ward_cut}")
    stream_f, after, kept = _recluster_scores(docs, Settings(), default_idf())
    shipped = Settings()
    print(f"shipped: ward_cut={shipped.ward_cut}, seeds {SEEDS}")
    for label, (p, r, f) in (("streaming", stream_f), ("after recluster", after)):
        print(f"{label:<16} BCubed P={p:.4f} R={r:.4f} F1={f:.4f}")
    print(f"articles keeping their story id through recluster: {kept:.3f}")
    for every in [int(x) for x in args.every.split(",") if x]:
        p, r, f = periodic_recluster(docs, every)
        print(f"streaming with recluster() of everything so far after every {every} arrivals, scored "
              f"as the stream ends (no final recluster): BCubed P={p:.4f} R={r:.4f} F1={f:.4f}", flush=True)
    for size in [int(x) for x in args.speed.split(",") if x]:
        recluster_speed(size)
    if args.heldout:
        gaps = []
        for split_seed in [int(x) for x in args.heldout.split(",")]:
            fit_docs, held_docs, fit_topics = split_topics(docs, split_seed)
            idf = fit_idf(to_article(d) for d in fit_docs)
            best = fit_recluster(fit_docs, idf)
            pf = _recluster_scores(fit_docs, best, idf)[1]
            ph = _recluster_scores(held_docs, best, idf)[1]
            gaps.append(pf[2] - ph[2])
            print(f"split {split_seed}: fitted ward_cut={best.ward_cut}; "
                  f"fit half F1={pf[2]:.4f} (P {pf[0]:.3f} R {pf[1]:.3f}), held-out half F1={ph[2]:.4f} "
                  f"(P {ph[0]:.3f} R {ph[1]:.3f}), gap {pf[2] - ph[2]:+.4f}", flush=True)
        if len(gaps) > 1:
            print(f"mean gap over {len(gaps)} splits: {statistics.mean(gaps):+.4f} (sd {statistics.stdev(gaps):.4f})")


def cmd_e2e(args):
    """Ingest (JSON record -> Article) + understand (analyze, batches) + assign, as `crosscheck ingest` does."""
    from crosscheck.config import Settings as AppSettings
    from crosscheck.ingest import IngestError
    from crosscheck.ingest.sources import article_from_record
    from crosscheck.understand import analyze

    processes = args.processes or AppSettings().understand_processes
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
        analyses = analyze(articles, n_process=processes)
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
          f"{args.batch}, {processes} understand process(es): {len(records) / total:.1f} records/s")
    for stage, seconds in timings.items():
        print(f"  {stage:<10} {seconds:7.1f} s  ({len(records) / seconds:8.1f} articles/s)")


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser("quality").set_defaults(fn=cmd_quality)
    h = sub.add_parser("heldout")
    h.add_argument("--split-seed", default="2026", help="one seed, or several separated by commas")
    h.set_defaults(fn=cmd_heldout)
    sub.add_parser("fit").set_defaults(fn=cmd_fit)
    sub.add_parser("write-idf").set_defaults(fn=cmd_write_idf)
    ab = sub.add_parser("ablation")
    ab.add_argument("--analyses", help="pickle of {doc_id: Analysis} from crosscheck.understand.analyze")
    ab.set_defaults(fn=cmd_ablation)
    rc = sub.add_parser("recluster")
    rc.add_argument("--fit", action="store_true", help="grid-search block threshold and Ward cut on all dev")
    rc.add_argument("--heldout", default="", help="split seeds (comma-separated): fit on half, score the rest")
    rc.add_argument("--every", default="", help="also: streaming with a recluster after every N arrivals")
    rc.add_argument("--speed", default="", help="also time recluster on synthetic windows of these sizes")
    rc.set_defaults(fn=cmd_recluster)
    sub.add_parser("diagnose").set_defaults(fn=cmd_diagnose)
    sub.add_parser("ceiling").set_defaults(fn=cmd_ceiling)
    de = sub.add_parser("dense")
    de.add_argument("--cache", default="/tmp/crosscheck-ecb-minilm.json", help="where the dev vectors are cached")
    de.set_defaults(fn=cmd_dense)
    e2 = sub.add_parser("e2e")
    e2.add_argument("--size", type=int, default=1000)
    e2.add_argument("--batch", type=int, default=64)
    e2.add_argument("--processes", type=int, default=None,
                    help="spaCy processes (default: the understand_processes setting, as `crosscheck ingest`)")
    e2.set_defaults(fn=cmd_e2e)
    sp = sub.add_parser("speed")
    sp.add_argument("--sizes", default="10000,100000")
    sp.add_argument("--seed", type=int, default=7)
    sp.add_argument("--store", action="store_true",
                    help="also save the live profiles to SQLite and time loading them back (per pipeline run)")
    sp.set_defaults(fn=cmd_speed)
    args = parser.parse_args()
    args.fn(args)


if __name__ == "__main__":
    main()
