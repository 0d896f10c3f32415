"""Understand-stage quality on hand-labelled ECB+ articles, and its throughput.

    .venv/bin/python bench/claims.py [--data ../shared/data] [--speed-articles 120] [--processes 2]

Quality: bench/labels/ecbplus_claims*.jsonl hold hand labels for 28 ECB+ dev articles (ECB+
corpus, NewsReader project, CC BY 3.0; 22 used while improving the extractor, 6 never tuned on,
scored apart): temporal expressions (absolute values where the text
gives the year), people's roles, and events of the action types the extractor knows. ECB+ has
no publication dates, so articles are analysed undated: relative expressions must be found but
stay unresolved, absolute ones must resolve. Printed per field: precision, recall, F1.

Speed: ECB+ dev articles concatenated (within a topic) into ~600-word texts, analysed in one
batch; spaCy runs in `--processes` worker processes with every math library pinned to one
thread each, so the figure is for that many cores.
"""

from __future__ import annotations

import os

# Pin math-library threads before numpy/spaCy are imported: one thread per worker process.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from datetime import date  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crosscheck.model import Article  # noqa: E402
from crosscheck.understand import analyze, nlp  # noqa: E402
from crosscheck.understand.gazetteer import TITLES, country_of  # noqa: E402

LABEL_SETS = [
    # 22 articles labelled first; the extractor was then improved while looking at its errors
    # on them, so their figures are optimistic.
    ("labelled, then used to improve the extractor", ROOT / "bench" / "labels" / "ecbplus_claims.jsonl"),
    # 6 more articles labelled afterwards and scored once, with no change made after seeing them.
    ("labelled after, never tuned on", ROOT / "bench" / "labels" / "ecbplus_claims_untuned.jsonl"),
]


def article_of(doc: dict) -> Article:
    # ECB+ `title` is the article's first sentence: the body is title + text.
    return Article(id=doc["doc_id"], title=doc["title"], text=f"{doc['title']} {doc['text']}")


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _occurrence_spans(text: str, items: list[str]) -> list[tuple[int, int]]:
    """Span of each labelled string: the k-th label with the same text is its k-th occurrence."""
    seen: Counter = Counter()
    spans = []
    for s in items:
        starts = [m.start() for m in re.finditer(re.escape(s), text)]
        start = starts[min(seen[s], len(starts) - 1)]
        seen[s] += 1
        spans.append((start, start + len(s)))
    return spans


def _gold_interval(value: str) -> tuple[date, date]:
    import calendar

    parts = [int(x) for x in value.split("-")]
    if len(parts) == 1:
        return date(parts[0], 1, 1), date(parts[0], 12, 31)
    if len(parts) == 2:
        return date(parts[0], parts[1], 1), date(parts[0], parts[1], calendar.monthrange(*parts)[1])
    d = date(*parts)
    return d, d


def _title_head(role: str) -> str:
    head = role.split(" of ")[0].strip().lower()
    return TITLES.get(head, head.title()).lower()


def _qualifier(role: str) -> str:
    q = role.split(" of ", 1)[1] if " of " in role else ""
    q = re.sub(r"^the\s+", "", q.lower().replace(".", "")).strip()
    return (country_of(q) or q).lower()


def _same_holder(gold: str, predicted: str) -> bool:
    g, p = gold.lower().split(), predicted.lower().split()
    return g[-1] in p or p[-1] in g


def _actor_matches(gold_names: list[str], actor_keys: list[str], entities: dict) -> bool:
    for key in actor_keys:
        entity = entities.get(key)
        names = {a.lower() for a in (entity.aliases + [entity.name] if entity else [])}
        names.add(key.split(":", 1)[-1].replace("-", " "))
        tokens = {t for n in names for t in n.split()}
        for g in gold_names:
            country = country_of(g, capitals=False)
            if country and entity and entity.name == country:
                return True
            if set(g.lower().split()) & tokens:
                return True
    return False


def score(labels: list[dict], docs: dict[str, dict], title: str) -> None:
    articles = [article_of(docs[g["doc_id"]]) for g in labels]
    analyses = analyze(articles)
    counts = Counter()
    for gold, article, analysis in zip(labels, articles, analyses):
        text = article.text
        # -- times: span overlap, one-to-one
        gold_spans = _occurrence_spans(text, [t["text"] for t in gold["times"]])
        predicted = list(analysis.times)
        used = set()
        for (gs, ge), g in zip(gold_spans, gold["times"]):
            hit = next((i for i, t in enumerate(predicted) if i not in used
                        and t.evidence.start < ge and gs < t.evidence.end), None)
            if hit is not None:
                used.add(hit)
                counts["time_tp"] += 1
                if g["value"]:
                    t = predicted[hit]
                    if t.interval and (t.interval.start, t.interval.end) == _gold_interval(g["value"]):
                        counts["value_tp"] += 1
        counts["time_pred"] += len(predicted)
        counts["time_gold"] += len(gold_spans)
        counts["value_gold"] += sum(1 for g in gold["times"] if g["value"])
        counts["value_pred"] += sum(1 for t in predicted if t.interval is not None and not t.relative)
        # -- roles: (holder, title) and (holder, title, qualifier)
        pred_roles = {(r.holder_name, r.role) for r in analysis.roles}
        counts["role_pred"] += len(pred_roles)
        counts["role_gold"] += len(gold["roles"])
        matched_loose, matched_strict = set(), set()
        for g in gold["roles"]:
            loose = next((p for p in sorted(pred_roles) if p not in matched_loose
                          and _same_holder(g["holder"], p[0]) and _title_head(g["role"]) == _title_head(p[1])), None)
            if loose:
                matched_loose.add(loose)
                if _qualifier(g["role"]) == _qualifier(loose[1]):
                    matched_strict.add(loose)
        counts["role_tp"] += len(matched_loose)
        counts["role_q_tp"] += len(matched_strict)
        # -- events: (sentence, action) multiset; actors on the matched ones
        sentence_of = {}
        for e in gold["events"]:
            pos = text.index(e["quote"])
            sentence_of[e["quote"]] = next(s.index for s in analysis.sentences if s.start <= pos < s.end)
        pool = [c for c in analysis.claims]
        entities = {e.key: e for e in analysis.entities}
        for e in gold["events"]:
            s = sentence_of[e["quote"]]
            hit = next((c for c in pool if c.evidence.sentence_index == s and c.action == e["action"]), None)
            if hit is None:
                continue
            pool.remove(hit)
            counts["event_tp"] += 1
            if e["actors"]:
                counts["actor_gold"] += 1
                counts["actor_tp"] += _actor_matches(e["actors"], hit.actors, entities)
        counts["event_pred"] += len(analysis.claims)
        counts["event_gold"] += len(gold["events"])

    print(f"\nHand labels, {title}: {len(labels)} ECB+ dev articles (analysed without publication dates)")
    print(f"{'field':<34} {'precision':>9} {'recall':>7} {'F1':>6}  (gold / predicted)")
    rows = [
        ("time expression (span overlap)", "time_tp", "time_pred", "time_gold"),
        ("time value (absolute dates)", "value_tp", "value_pred", "value_gold"),
        ("role (holder + title)", "role_tp", "role_pred", "role_gold"),
        ("role (holder + title + of what)", "role_q_tp", "role_pred", "role_gold"),
        ("event (sentence + action type)", "event_tp", "event_pred", "event_gold"),
    ]
    for name, tp, pred, gold_n in rows:
        p, r, f = prf(counts[tp], counts[pred], counts[gold_n])
        print(f"{name:<34} {p:9.2f} {r:7.2f} {f:6.2f}  ({counts[gold_n]} / {counts[pred]})")
    acc = counts["actor_tp"] / counts["actor_gold"] if counts["actor_gold"] else 0.0
    print(f"{'event actor (matched, named)':<34} accuracy {acc:.2f} ({counts['actor_tp']}/{counts['actor_gold']})")


def speed_articles(docs: list[dict], n: int, words: int = 600) -> list[Article]:
    """~600-word texts: consecutive ECB+ articles of one topic joined, cut at a sentence end."""
    out, buf, topic = [], [], None
    for d in docs:
        if d["topic"] != topic:
            buf, topic = [], d["topic"]
        buf.append(f"{d['title']} {d['text']}")
        joined = "\n\n".join(buf)
        if len(joined.split()) >= words:
            cut = " ".join(joined.split(" ")[:words])
            end = max(cut.rfind(". "), cut.rfind(".\n"))
            out.append(Article(id=f"speed-{len(out)}", title="", text=cut[: end + 1] if end > 0 else cut))
            buf = []
            if len(out) == n:
                break
    return out


def _cpu_seconds() -> float:
    """CPU time of this process and its finished children (the forked workers)."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def speed(docs: list[dict], n: int, processes: int) -> None:
    articles = speed_articles(docs, n)
    n_words = sum(len(a.text.split()) for a in articles)
    per_600 = n_words / 600  # the unit: 600-word articles
    nlp.load()  # loading the model once is not per-article work
    analyze(articles[:4], n_process=1)  # warm-up
    print(f"Throughput: {len(articles)} texts of {n_words / len(articles):.0f} words on average "
          f"(figures below are in 600-word articles), 1 math thread per process")
    for workers in sorted({1, processes}):
        wall0, cpu0 = time.perf_counter(), _cpu_seconds()
        analyze(articles, n_process=workers)
        wall, cpu = time.perf_counter() - wall0, _cpu_seconds() - cpu0
        print(f"  {workers} process(es): {per_600 / wall:5.1f} articles/s wall-clock on this machine; "
              f"{cpu / per_600 * 1000:4.0f} CPU-ms per article, i.e. {workers * per_600 / cpu:5.1f} articles/s "
              f"on {workers} otherwise idle core(s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--speed-articles", type=int, default=120)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--skip-speed", action="store_true")
    args = parser.parse_args()
    docs = [json.loads(line) for line in open(args.data / "ecbplus" / "dev.jsonl", encoding="utf-8")]
    by_id = {d["doc_id"]: d for d in docs}
    for title, path in LABEL_SETS:
        labels = [json.loads(line) for line in open(path, encoding="utf-8")]
        score(labels, by_id, title)
    if not args.skip_speed:
        speed(docs, args.speed_articles, args.processes)


if __name__ == "__main__":
    main()
