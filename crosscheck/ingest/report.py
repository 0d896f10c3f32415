"""What `crosscheck extract` shows: an Article as ingestion would store it, as JSON or text.

The CLI command is a thin wrapper: `explain(target, fetch)` runs the very same
`read_articles` that `crosscheck ingest` runs, so what users see is what gets stored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from crosscheck.ingest.errors import IngestError
from crosscheck.ingest.fetch import FetchResult
from crosscheck.ingest.sources import read_articles
from crosscheck.model import Article


def explain(target: str, fetch: Callable[[str], FetchResult] | None = None) -> list[Article | IngestError]:
    """Everything ingestion would make of one path or URL (a page, a feed, a JSONL file…)."""
    return list(read_articles([target], fetch))


def article_json(article: Article) -> dict[str, Any]:
    """JSON-ready dict of an Article (dates in ISO 8601 with their offset)."""
    data = asdict(article)
    data["published"] = article.published.isoformat() if article.published else None
    return data


def article_text(article: Article) -> str:
    """A readable report: metadata lines, provenance flags, then the body and related links."""
    p = article.provenance
    flags = [name for name, on in (("ai-generated", p.ai_generated), ("opinion", p.opinion), ("translated", p.translated)) if on]
    lines = [
        f"title:      {article.title}",
        f"published:  {article.published.isoformat() if article.published else '-'}",
        f"author:     {article.author or '-'}",
        f"site:       {article.source or '-'}",
        f"canonical:  {article.canonical_url or '-'}",
        f"language:   {article.language or '-'}",
        f"id:         {article.id}",
        f"provenance: {', '.join(flags) or 'none'}",
    ]
    if p.original_url:
        lines.append(f"original:   {p.original_url}")
    if p.cited_origins:
        lines.append(f"cites:      {', '.join(p.cited_origins)}")
    lines += [f"notice:     {notice}" for notice in p.notices]
    lines += ["", article.text, ""]
    if article.related:
        lines.append("related (not body text):")
        lines += [f"  - {link.text}" + (f" <{link.url}>" if link.url else "") for link in article.related]
    return "\n".join(lines)
