"""Stage 5 — write: the story page's grounded summary, timeline, disagreements and SEO text.

Contract used by `pipeline.py`:

    write_story(story, articles, analyses, groups, settings=None) -> Written
"""

from crosscheck.write.summary import write_story

__all__ = ["write_story"]
