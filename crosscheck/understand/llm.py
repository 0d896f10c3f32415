"""Optional LLM backend that proposes extra claims (off unless a URL is configured).

Any OpenAI-compatible `/chat/completions` endpoint works (a local llama.cpp / vLLM / Ollama
server, or a hosted one). The model only *proposes*: every proposed claim must pass the same
schema and source-span checks as a rule-based one — a known action type, a real sentence, and
every actor, target, place, time, figure and attribution written verbatim in that sentence
(an attribution: its source named in the sentence) — or it is dropped. Names map onto the article's entities.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import httpx

from crosscheck.model import Analysis, Article, Claim, Evidence, Quantity
from crosscheck.understand.entities import clean_name, provisional_key
from crosscheck.understand.timeexpr import find_times

ACTIONS = {"visit", "meeting", "call", "report", "contract", "attack", "plan", "statement", "other"}

SYSTEM_PROMPT = """You extract factual claims from numbered news sentences.
Answer with JSON only: {"claims": [{"sentence_index": int, "action": one of
"visit","meeting","call","report","contract","attack","plan","statement","other",
"actors": [names], "targets": [names], "places": [names], "time_text": string or null,
"quantities": [{"value": number, "unit": string, "text": string}],
"attribution": string or null, "planned": bool}]}.
Copy every name, time, figure and attribution exactly as written in the sentence."""


@dataclass
class LLMClaimProposer:
    """Proposes claims through an OpenAI-compatible chat endpoint at `base_url`."""

    base_url: str
    model: str
    api_key: str | None = None
    timeout: float = 60.0
    max_sentences: int = 60

    def propose(self, article: Article, analysis: Analysis) -> list[Claim]:
        """Checked extra claims; none when the endpoint fails or answers nonsense (the rule-based
        claims stand on their own, so an unreachable model must not stop the stage)."""
        try:
            reply = self._ask(analysis)
        except (httpx.HTTPError, KeyError, IndexError, TypeError, ValueError):
            return []
        return validate_proposals(reply, article, analysis)

    def _ask(self, analysis: Analysis) -> object:
        numbered = "\n".join(f"[{s.index}] {s.text}" for s in analysis.sentences[: self.max_sentences])
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        body = {"model": self.model, "temperature": 0, "seed": 0,
                "messages": [{"role": "system", "content": SYSTEM_PROMPT},
                             {"role": "user", "content": numbered}]}
        response = httpx.post(self.base_url.rstrip("/") + "/chat/completions", json=body,
                              headers=headers, timeout=self.timeout)
        response.raise_for_status()
        content = response.json()["choices"][0]["message"]["content"]
        match = re.search(r"\{.*\}", content, re.S)  # tolerate prose or code fences around the JSON
        if not match:
            return {}
        try:
            return json.loads(match.group(0))
        except json.JSONDecodeError:
            return {}


def validate_proposals(reply: object, article: Article, analysis: Analysis) -> list[Claim]:
    """The proposed claims that pass the schema and source-span checks, as `Claim`s."""
    proposals = reply.get("claims") if isinstance(reply, dict) else None
    if not isinstance(proposals, list):
        return []
    published = article.published.date() if article.published else None
    alias_to_key = {alias.lower(): e.key for e in analysis.entities for alias in e.aliases}
    existing = {(c.evidence.sentence_index, c.action, tuple(c.actors)) for c in analysis.claims}
    out: list[Claim] = []
    for p in proposals:
        claim = _checked(p, analysis, published, alias_to_key)
        if claim is None:
            continue
        signature = (claim.evidence.sentence_index, claim.action, tuple(claim.actors))
        if signature in existing:
            continue  # the rules already read this claim
        existing.add(signature)
        claim.id = f"{article.id}:{claim.evidence.sentence_index}:llm{len(out)}"
        out.append(claim)
    return out


def _checked(p: object, analysis: Analysis, published, alias_to_key: dict[str, str]) -> Claim | None:
    if not isinstance(p, dict):
        return None
    index = p.get("sentence_index")
    if not isinstance(index, int) or not 0 <= index < len(analysis.sentences):
        return None
    action = p.get("action")
    if action not in ACTIONS:
        return None
    sentence = analysis.sentences[index]

    def keys(field: str) -> list[str] | None:
        names = p.get(field) or []
        if not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names):
            return None
        out = []
        for n in names:
            if n not in sentence.text:  # source-span check: the name is written in the sentence
                return None
            bare = clean_name(n)
            out.append(alias_to_key.get(bare.lower()) or provisional_key("OTHER", bare))
        return out

    actors, targets, places = keys("actors"), keys("targets"), keys("places")
    if not actors or targets is None or places is None:
        return None
    interval = None
    time_text = p.get("time_text")
    if time_text:
        if not isinstance(time_text, str) or time_text not in sentence.text:
            return None
        found = find_times(time_text, published)
        if not found:
            return None
        interval = found[0].interval
    quantities = []
    for q in p.get("quantities") or []:
        if not (isinstance(q, dict) and isinstance(q.get("text"), str) and q["text"] in sentence.text
                and isinstance(q.get("value"), (int, float)) and isinstance(q.get("unit"), str)):
            return None
        quantities.append(Quantity(float(q["value"]), q["unit"], q["text"]))
    attribution = p.get("attribution")
    if attribution is not None and not (isinstance(attribution, str)
                                        and attribution.split(",")[0].strip() in sentence.text):
        return None
    planned = p.get("planned", False)
    if not isinstance(planned, bool):
        return None
    return Claim(id="", article_id=sentence.article_id, action=action, actors=actors,
                 evidence=Evidence(sentence.article_id, index, sentence.start, sentence.end),
                 text=sentence.text, targets=targets, places=places, time=interval,
                 quantities=quantities, attribution=attribution, planned=planned, extractor="llm")
