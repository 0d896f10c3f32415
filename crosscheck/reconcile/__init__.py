"""Stage 4 — reconcile: line up a story's claims across its sources.

Contract used by `pipeline.py`:

    reconcile(story_id, articles, analyses) -> list[ClaimGroup]
        corroborated (≥2 independent origins) | single | conflicting | refinement,
        each with the sentences (Evidence) that support each value.
"""

from crosscheck.model import Analysis, Article, ClaimGroup


def reconcile(story_id: str, articles: list[Article], analyses: list[Analysis]) -> list[ClaimGroup]:
    return []  # filled in by the claims issue


__all__ = ["reconcile"]
