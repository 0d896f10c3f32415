"""Summary quality on Multi-News dev clusters: ROUGE-1/2/L of our write stage vs lead-3 and TextRank.

    .venv/bin/python bench/summary.py                 # all 100 clusters, sentence splitting only
    .venv/bin/python bench/summary.py --limit 20      # a quick look while developing
    .venv/bin/python bench/summary.py --claims        # also run understand.analyze + reconcile
    .venv/bin/python bench/summary.py --llm-url http://127.0.0.1:8000/v1 --llm-model M   # abstractive

Baselines, all on the same sentence split (crosscheck.understand.split_sentences):
  lead-3      the first 3 sentences of the first passage
  first-3     the first 3 sentences of every passage (Multi-News' "First-3")
  textrank-k  sumy's TextRankSummarizer fed our own sentences and a regex word tokenizer
              (sumy's default tokenizer needs NLTK punkt data, a run-time download), picking
              as many sentences as our summary has, in document order
Also printed: the share of our summary sentences the checker marks supported against their
own citations (must be 100% in extractive mode), with compressed sentences counted apart.
The data is Multi-News (LILY Lab research licence): read from ../shared, never shipped.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from rouge_score import rouge_scorer  # noqa: E402
from sumy.models.dom import ObjectDocumentModel, Paragraph  # noqa: E402
from sumy.models.dom import Sentence as SumySentence  # noqa: E402
from sumy.nlp.stemmers import Stemmer  # noqa: E402
from sumy.summarizers.text_rank import TextRankSummarizer  # noqa: E402
from sumy.utils import get_stop_words  # noqa: E402

from crosscheck.model import Analysis, Article, Story  # noqa: E402
from crosscheck.understand import split_sentences  # noqa: E402
from crosscheck.write import check_sentence, write_story  # noqa: E402

DATA = REPO.parent / "shared" / "data" / "multinews" / "dev.jsonl"
METRICS = ["rouge1", "rouge2", "rougeL", "rougeLsum"]


class RegexTokenizer:
    """What sumy's Sentence needs from a tokenizer: words of one sentence (no NLTK data)."""

    language = "english"

    @staticmethod
    def to_words(text: str) -> list[str]:
        return re.findall(r"[A-Za-z0-9']+", text)

    @staticmethod
    def to_sentences(text: str) -> list[str]:
        return [text]


def passages(context: str) -> list[str]:
    parts = re.split(r"Passage \d+:\n", context)
    out = []
    for p in parts:
        text = p.replace("NEWLINE_CHAR", "\n")
        text = re.sub(r"[ \t]*\n[ \t]*", "\n", text).strip()
        if text:
            out.append(text)
    return out


def cluster_articles(row_id: str, texts: list[str]) -> list[Article]:
    return [Article(id=f"{row_id}-{n}", title="", text=t, source=f"passage-{n}") for n, t in enumerate(texts, 1)]


def textrank(sentences: list[str], count: int, summarizer: TextRankSummarizer) -> list[str]:
    tokenizer = RegexTokenizer()
    doc = ObjectDocumentModel([Paragraph([SumySentence(s, tokenizer) for s in sentences])])
    chosen = {str(s) for s in summarizer(doc, count)}
    out, seen = [], set()
    for s in sentences:
        if s.strip() in chosen and s.strip() not in seen:
            seen.add(s.strip())
            out.append(s)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=0, help="only the first N clusters")
    parser.add_argument("--claims", action="store_true", help="run understand.analyze + reconcile first")
    parser.add_argument("--sentences", type=int, default=0, help="fixed summary length (default: ours)")
    parser.add_argument("--part", choices=["all", "A", "B"], default="all",
                        help="A = first 50 clusters (where weights were tried), B = the last 50")
    parser.add_argument("--llm-url", help="also run abstractive mode against this OpenAI-compatible endpoint")
    parser.add_argument("--llm-model", default=None)
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args()

    rows = [json.loads(line) for line in args.data.open(encoding="utf-8")]
    if args.part != "all":
        half = len(rows) // 2
        rows = rows[:half] if args.part == "A" else rows[half:]
    if args.limit:
        rows = rows[: args.limit]
    scorer = rouge_scorer.RougeScorer(METRICS, use_stemmer=True)
    summarizer = TextRankSummarizer(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    systems = ["crosscheck", "lead-3", "first-3", "textrank-k"]
    scores: dict[str, dict[str, list[float]]] = {s: {m: [] for m in METRICS} for s in systems}
    words: dict[str, list[int]] = {s: [] for s in systems}
    checked: dict[tuple[str, str], int] = {}  # (verbatim | compressed | drafted, label) → sentences
    citations_per_sentence: list[int] = []
    write_seconds = 0.0
    modes: dict[str, int] = {}
    for row in rows:
        reference = row["answers"][0]
        articles = cluster_articles(row["_id"], passages(row["context"]))
        if args.claims:
            from crosscheck.reconcile import reconcile
            from crosscheck.understand import analyze
            analyses = analyze(articles)
            groups = reconcile(row["_id"], articles, analyses)
        else:
            analyses = [Analysis(a.id, split_sentences(a.id, a.text)) for a in articles]
            groups = []
        story = Story(id=row["_id"], title="", article_ids=[a.id for a in articles])
        settings = {"summary_sentences": args.sentences} if args.sentences else {}
        if args.llm_url:
            settings |= {"llm_url": args.llm_url, "llm_model": args.llm_model, "llm_timeout": 120}
        started = time.perf_counter()
        written = write_story(story, articles, analyses, groups, settings)
        write_seconds += time.perf_counter() - started
        modes[written.mode.split(":")[0]] = modes.get(written.mode.split(":")[0], 0) + 1
        texts = {a.id: a.text for a in articles}
        for s in written.summary:
            cited = [texts[c.evidence.article_id][c.evidence.start:c.evidence.end] for c in s.citations]
            label = check_sentence(s.text, cited).label
            kind = "compressed" if s.compressed else "drafted" if written.mode != "extractive" else "verbatim"
            checked[(kind, label)] = checked.get((kind, label), 0) + 1
            citations_per_sentence.append(len(s.citations))
        ours = [s.text for s in written.summary]
        k = len(ours) or 1
        all_sentences = [s.text for x in analyses for s in x.sentences]
        outputs = {
            "crosscheck": ours,
            "lead-3": [s.text for s in analyses[0].sentences[:3]],
            "first-3": [s.text for x in analyses for s in x.sentences[:3]],
            "textrank-k": textrank(all_sentences, k, summarizer),
        }
        for system, sentences in outputs.items():
            result = scorer.score(reference, "\n".join(sentences))
            for m in METRICS:
                scores[system][m].append(result[m].fmeasure * 100)
            words[system].append(sum(len(s.split()) for s in sentences))

    print(f"Multi-News dev{'' if args.part == 'all' else ' part ' + args.part}: {len(rows)} clusters, reference {statistics.mean(len(r['answers'][0].split()) for r in rows):.0f} words on average"
          f"{' (with claims)' if args.claims else ''}")
    print(f"{'system':<12} {'R-1':>6} {'R-2':>6} {'R-L':>6} {'R-Lsum':>7} {'words':>6}")
    for system in systems:
        m = {k: statistics.mean(v) for k, v in scores[system].items()}
        print(f"{system:<12} {m['rouge1']:6.2f} {m['rouge2']:6.2f} {m['rougeL']:6.2f} {m['rougeLsum']:7.2f} "
              f"{statistics.mean(words[system]):6.0f}")
    for kind in ("verbatim", "compressed", "drafted"):
        n = sum(v for (k, _), v in checked.items() if k == kind)
        if n:
            supported = checked.get((kind, "supported"), 0)
            partial = checked.get((kind, "partial"), 0)
            print(f"checker on our {kind} sentences: {supported}/{n} supported ({100 * supported / n:.1f}%), "
                  f"{partial} partial, {n - supported - partial} unsupported")
    print(f"citations per sentence: mean {statistics.mean(citations_per_sentence or [0]):.2f}, "
          f"sentences citing 2+ sources {sum(c > 1 for c in citations_per_sentence)}")
    print("modes: " + ", ".join(f"{k} {v}" for k, v in sorted(modes.items())))
    print(f"write_story: {1000 * write_seconds / max(1, len(rows)):.0f} ms per cluster")


if __name__ == "__main__":
    main()
