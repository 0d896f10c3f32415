"""Stage 3 — cluster: assign each arriving article to a story (streaming, no re-clustering).

Contract used by `pipeline.py`:

    clusterer = Clusterer(profiles)      # StoryProfiles of recent stories, loaded by the pipeline
    story_id = clusterer.assign(article, analysis)   # an existing story id, or a new stable id
    clusterer.changed() -> list[StoryProfile]        # profiles to persist after a batch

`StoryProfile.state` is a JSON-able dict owned by this stage; the store keeps it opaque.

Optional dense embeddings (setting `cluster_embedder`, the `embeddings` extra):

    embedder = embedder_for("minilm")          # None for "none", the default
    clusterer = Clusterer(profiles, settings=settings_for("minilm"))
    clusterer.assign(article, analysis, dense=embedder.embed([article])[0])

Periodic re-clustering (`crosscheck recluster`), pure:

    result = recluster(articles, previous)   # previous: article id -> current story id
    result.membership                          # story id -> article ids (old ids kept where
    result.renamed                             #   membership mostly stays); retired id -> new id
    result.profiles                            # StoryProfiles replacing the old ones
"""

from crosscheck.cluster.assign import Clusterer, Settings, StoryProfile, settings_for
from crosscheck.cluster.embed import embedder_for
from crosscheck.cluster.recluster import Reclustering, recluster

__all__ = ["Clusterer", "Reclustering", "Settings", "StoryProfile", "embedder_for", "recluster", "settings_for"]
