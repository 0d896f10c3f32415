"""The seed story as the write stage receives it: ingested seeds, their sentences, claim groups."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from crosscheck.ingest import read_articles
from crosscheck.model import Analysis, Article, ClaimGroup, Evidence, Story
from crosscheck.understand import split_sentences

# The seeds' own dates: 000 reports Kyodo's December 24 story; 003 reports the January 2 call.
PUBLISHED = {"000": datetime(2025, 12, 24, tzinfo=timezone.utc),
             "003": datetime(2026, 1, 3, tzinfo=timezone.utc)}


@pytest.fixture
def seed_articles(seed_dir) -> list[Article]:
    articles = [a for a in read_articles([str(p) for p in sorted(seed_dir.glob("*.txt"))])
                if isinstance(a, Article)]
    assert len(articles) == 2
    for article, key in zip(articles, sorted(PUBLISHED)):
        article.published = PUBLISHED[key]
    return articles


@pytest.fixture
def seed_analyses(seed_articles) -> list[Analysis]:
    """Sentences only: what the write stage must cope with before claims exist."""
    return [Analysis(a.id, split_sentences(a.id, a.text)) for a in seed_articles]


@pytest.fixture
def seed_story(seed_articles) -> Story:
    return Story(id="story-japan-pm-visit", title=seed_articles[1].title,
                 article_ids=[a.id for a in seed_articles])


def evidence_of(analyses: list[Analysis], phrase: str) -> list[Evidence]:
    return [Evidence(s.article_id, s.index, s.start, s.end)
            for a in analyses for s in a.sentences if phrase in s.text]


@pytest.fixture
def pm_conflict(seed_story, seed_analyses) -> ClaimGroup:
    """By hand, the conflict the claims stage should find: who is Prime Minister of Japan."""
    takahashi = evidence_of(seed_analyses, "Prime Minister Takahashi Hayato")
    takaichi = evidence_of(seed_analyses, "Prime Minister Sanae Takaichi")
    assert takahashi and takaichi
    return ClaimGroup(
        id="group-pm-japan", story_id=seed_story.id, kind="conflicting", slot="role:Prime Minister of Japan",
        summary="Prime Minister of Japan: Takahashi Hayato vs Sanae Takaichi",
        values={"Takahashi Hayato": takahashi, "Sanae Takaichi": takaichi},
        origins={"Takahashi Hayato": ["outlet:kyodo news"], "Sanae Takaichi": ["outlet:nikkei"]})
