"""Optional abstractive mode through any OpenAI-compatible chat endpoint (llama.cpp, Ollama, vLLM).

The model sees the story's sentences numbered [S1], [S2], … and drafts sentences that cite
those numbers. Each draft is checked against exactly the sentences it cites; unsupported
drafts are dropped, drafts citing nothing or unknown numbers are dropped. When the endpoint
fails or nothing survives, the caller falls back to the extractive summary.
"""

from __future__ import annotations

import json
import re

import httpx

from crosscheck.model import (Analysis, Article, Citation, ClaimGroup, Evidence, Sentence,
                              SummarySentence)
from crosscheck.write.check import check_sentence
from crosscheck.write.select import is_summary_material

MAX_PROMPT_SENTENCES = 120  # keeps the prompt within a small model's context

SYSTEM_PROMPT = (
    "You write a short neutral news summary from numbered source sentences. "
    "Use only facts stated in the sentences you cite. Keep names, numbers, dates and titles exactly "
    "as the sources give them. If sources disagree, say so instead of choosing one. "
    'Answer with JSON only: {"sentences": [{"text": "...", "cites": ["S1", "S4"]}]}'
)


def chat_url(base: str) -> str:
    """Accept "http://host:port", ".../v1" or the full ".../v1/chat/completions"."""
    base = base.rstrip("/")
    if base.endswith("/chat/completions"):
        return base
    if not base.endswith("/v1"):
        base += "/v1"
    return base + "/chat/completions"


def numbered_sentences(analyses: list[Analysis], sources: list[str]) -> list[Sentence]:
    order = {aid: i for i, aid in enumerate(sources)}
    sentences = [s for a in analyses if a.article_id in order for s in a.sentences if is_summary_material(s)]
    # the first sentences of every source before the later ones of any, so a long source
    # cannot crowd the others out of the prompt
    sentences.sort(key=lambda s: (s.index, order[s.article_id]))
    return sentences[:MAX_PROMPT_SENTENCES]


def build_messages(sentences: list[Sentence], count: int, disputes: list[str] | None = None) -> list[dict]:
    lines = "\n".join(f"[S{i}] {s.text}" for i, s in enumerate(sentences, start=1))
    prompt = f"Write {count} sentences.\n\nSource sentences:\n{lines}"
    if disputes:
        # the reconcile stage already knows where sources conflict: tell the model not to pick a side
        prompt += "\n\nSources disagree on (do not state either side as fact):\n" + \
            "\n".join(f"- {d}" for d in disputes)
    return [
        {"role": "system", "content": SYSTEM_PROMPT},
        {"role": "user", "content": prompt},
    ]


def parse_drafts(content: str) -> list[tuple[str, list[int]]]:
    """[(text, [1-based sentence numbers])] from the model's JSON (fenced or bare)."""
    match = re.search(r"\{.*\}", content, re.DOTALL)
    if not match:
        return []
    try:
        data = json.loads(match.group(0))
    except json.JSONDecodeError:
        return []
    out = []
    for item in data.get("sentences", []) if isinstance(data, dict) else []:
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            continue
        cites = [int(m) for c in item.get("cites", []) for m in re.findall(r"\d+", str(c))]
        out.append((item["text"].strip(), cites))
    return out


def abstractive_summary(articles: list[Article], analyses: list[Analysis], sources: list[str], count: int,
                        settings: dict, conflicts: list[ClaimGroup] | None = None) -> list[SummarySentence] | None:
    """Checked model-drafted sentences, or None when the endpoint gives nothing usable."""
    sentences = numbered_sentences(analyses, sources)
    if not sentences:
        return None
    body = {"model": settings.get("llm_model") or "default", "temperature": 0, "seed": 0,
            "messages": build_messages(sentences, count, [g.summary for g in conflicts or []])}
    headers = {"Authorization": f"Bearer {settings['llm_api_key']}"} if settings.get("llm_api_key") else {}
    try:
        response = httpx.post(chat_url(settings["llm_url"]), json=body, headers=headers,
                              timeout=settings.get("llm_timeout", 30))
        response.raise_for_status()
        content = response.json()["choices"][0]["message"]["content"]
    except (httpx.HTTPError, KeyError, IndexError, TypeError, ValueError):
        return None
    number = {aid: n for n, aid in enumerate(sources, start=1)}
    texts = {a.id: a.text for a in articles}
    out: list[SummarySentence] = []
    for text, cites in parse_drafts(content):
        cited = [sentences[c - 1] for c in dict.fromkeys(cites) if 1 <= c <= len(sentences)]
        if not text or not cited:
            continue
        # checked against the article text each citation will highlight
        check = check_sentence(text, [texts.get(s.article_id, "")[s.start:s.end] for s in cited])
        if check.label == "unsupported":
            continue
        citations = [Citation(number[s.article_id], Evidence(s.article_id, s.index, s.start, s.end))
                     for s in cited]
        out.append(SummarySentence(text=text, citations=citations, check=check))
        if len(out) >= count:
            break
    return out or None
