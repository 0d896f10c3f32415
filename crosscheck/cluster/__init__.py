"""Stage 3 — cluster: assign each arriving article to a story (streaming, no re-clustering).

Contract used by `pipeline.py`:

    clusterer = Clusterer(profiles)      # StoryProfiles of recent stories, loaded by the pipeline
    story_id = clusterer.assign(article, analysis)   # an existing story id, or a new stable id
    clusterer.changed() -> list[StoryProfile]        # profiles to persist after a batch

`StoryProfile.state` is a JSON-able dict owned by this stage; the store keeps it opaque.
"""

from crosscheck.cluster.assign import Clusterer, StoryProfile

__all__ = ["Clusterer", "StoryProfile"]
