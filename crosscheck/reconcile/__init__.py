"""Stage 4 — reconcile: line up a story's claims across its sources.

Contract used by `pipeline.py`:

    reconcile(story_id, articles, analyses) -> list[ClaimGroup]
        corroborated (≥2 independent origins) | single | conflicting | refinement,
        each with the sentences (Evidence) that support each value.
    stance(claim_text, body_text) -> Stance
        the pairwise agree / disagree / discuss / unrelated signal between two texts.
"""

from crosscheck.reconcile.groups import reconcile
from crosscheck.reconcile.stance import Stance, stance

__all__ = ["reconcile", "stance", "Stance"]
