"""Articles built from the real seeds, with page furniture removed as ingest would."""

from datetime import datetime, timezone

import pytest

from crosscheck.model import Article

# Lines that are page furniture, not body text (ingest strips them; these tests do it by hand).
_FURNITURE_PREFIXES = ("Original article:", "Statement:", "This content is AI-generated", "Thoughts",
                       "Share your thoughts", "Sign in to join")


def _body_lines(text: str) -> list[str]:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if "Related Articles" in lines:
        lines = lines[: lines.index("Related Articles")]
    return [line for line in lines if not line.startswith(_FURNITURE_PREFIXES)]


@pytest.fixture
def seed_articles(seed_texts) -> list[Article]:
    """Seed 000 (published 2025-12-24) and seed 003 (2026-01-03) as ingested articles."""
    lines_000 = _body_lines(seed_texts["000"])
    lines_003 = _body_lines(seed_texts["003"])
    return [
        Article(id="seed-000", title=lines_000[0], text="\n".join(lines_000[1:]), source="toutiao.com",
                published=datetime(2025, 12, 24, tzinfo=timezone.utc)),
        Article(id="seed-003", title=lines_003[0], text="\n".join(lines_003[1:]), source="ai-site",
                published=datetime(2026, 1, 3, tzinfo=timezone.utc)),
    ]


@pytest.fixture
def teaser_articles(seed_texts) -> list[Article]:
    """The "Related Articles" teasers under seed 003, each as its own article (same day)."""
    lines = [line.strip() for line in seed_texts["003"].splitlines() if line.strip()]
    start = lines.index("Related Articles") + 1
    teasers = [line for line in lines[start:] if not line.startswith(_FURNITURE_PREFIXES)]
    return [Article(id=f"teaser-{i}", title=t.split(". ")[0], text=t,
                    published=datetime(2026, 1, 3, 12, tzinfo=timezone.utc))
            for i, t in enumerate(teasers)]
