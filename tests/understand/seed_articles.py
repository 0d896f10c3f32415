"""The two seed articles as ingest would hand them over: body text only, page furniture off.

Ingest owns furniture removal; these tests must not depend on it, so the furniture lines are
stripped here by their plain markers. Publication dates are the seeds' own: 000 was published
on 2025-12-24 (the day its Kyodo report is dated), 003 on 2026-01-03.
"""

from __future__ import annotations

from datetime import datetime, timezone

from crosscheck.model import Article, Provenance, RelatedLink

PUBLISHED = {"000": datetime(2025, 12, 24, tzinfo=timezone.utc),
             "003": datetime(2026, 1, 3, tzinfo=timezone.utc)}


def seed_000(text: str) -> Article:
    body_lines = []
    for line in text.splitlines():
        if line.startswith(("Original article:", "Statement:")):
            break
        body_lines.append(line)
    return Article(
        id="seed-000", title="Japan seeks early U.S. visit", text="\n".join(body_lines).strip(),
        source="toutiao.com", published=PUBLISHED["000"],
        provenance=Provenance(opinion=True, translated=True,
                              original_url="toutiao.com/article/1852404262547456/",
                              cited_origins=["Kyodo News"]))


def _split_003(text: str) -> tuple[str, str, list[str], list[str]]:
    lines = text.splitlines()
    title, description = lines[0], lines[1]
    body, teasers, in_related = [], [], False
    for line in lines[2:]:
        if line.startswith("This content is AI-generated"):
            continue
        if line.strip() == "Related Articles":
            in_related = True
            continue
        if line.strip() in ("Thoughts", "Share your thoughts on this article", "Sign in to join the conversation"):
            continue
        (teasers if in_related else body).append(line)
    return title, description, body, teasers


def seed_003(text: str) -> Article:
    title, description, body, teasers = _split_003(text)
    return Article(
        id="seed-003", title=title, text="\n".join(body).strip(), description=description,
        source="example-ai-news", published=PUBLISHED["003"],
        provenance=Provenance(ai_generated=True, cited_origins=["Nikkei"]),
        related=[RelatedLink(t) for t in teasers])


def teasers_003(text: str) -> Article:
    """The 'Related Articles' teasers of 003 as if they were an article of their own."""
    _, _, _, teasers = _split_003(text)
    return Article(id="seed-003-teasers", title="Related Articles", text="\n".join(teasers),
                   source="example-ai-news-teasers", published=PUBLISHED["003"])
