"""Stage 5 — write: the story page's grounded summary, timeline, disagreements and SEO text.

Contract used by `pipeline.py`:

    write_story(story, articles, analyses, groups, settings=None) -> Written
    check_sentence(sentence, cited_passages) -> CheckResult   (pure, fast, model-free)
"""

from crosscheck.write.check import check_sentence
from crosscheck.write.summary import write_story

__all__ = ["check_sentence", "write_story"]
