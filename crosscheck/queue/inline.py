"""The queue's steps run in this process, in order: SQLite (the default) needs no queue server.

`poll_once` is `crosscheck poll` without workers: one scheduler pass, then every fetch, then one
understand pass, one assignment and one write per changed story — the same `steps` functions
the workers run, handed work by a dispatcher that keeps it in memory instead of deferring jobs.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from crosscheck.config import Settings
from crosscheck.queue import steps
from crosscheck.queue.feeds import Politeness


class InlineDispatch:
    def __init__(self) -> None:
        self.feeds: deque[str] = deque()
        self.pages: deque[tuple[str, str]] = deque()
        self.to_understand: dict[str, None] = {}
        self.assign_wanted = False
        self.stories: dict[str, None] = {}

    def fetch_feed(self, url: str) -> None:
        if url not in self.feeds:
            self.feeds.append(url)

    def fetch_pages(self, urls: Sequence[str], feed_url: str) -> None:
        self.pages.extend((url, feed_url) for url in urls)

    def understand(self, article_ids: Sequence[str]) -> None:
        self.to_understand.update(dict.fromkeys(article_ids))

    def assign(self) -> None:
        self.assign_wanted = True

    def write(self, story_ids: Sequence[str]) -> None:
        self.stories.update(dict.fromkeys(story_ids))


@dataclass
class PollReport:
    feeds: int = 0  # feeds fetched
    pages: int = 0  # link-only entries fetched
    analysed: int = 0
    assigned: int = 0
    written: int = 0
    failures: int = 0  # steps that raised (each recorded with its reason)


def drain(env: steps.Env) -> PollReport:
    """Run the dispatched work to the end: fetches first, then understand, assign, write."""
    dispatch: InlineDispatch = env.dispatch  # type: ignore[assignment]
    report = PollReport()

    def attempt(stage: str, subject: str, step: Callable[[], int]) -> int:
        try:
            return steps.run_step(env, stage, subject, step)
        except Exception:  # noqa: BLE001 — recorded by run_step; a later poll tries again
            report.failures += 1
            return 0

    while True:
        if dispatch.feeds:
            url = dispatch.feeds.popleft()
            attempt("fetch_feed", url, lambda: steps.fetch_feed(env, url))
            report.feeds += 1
        elif dispatch.pages:
            url, feed_url = dispatch.pages.popleft()
            report.pages += attempt("fetch_page", url, lambda: steps.fetch_page(env, url, feed_url))
        elif dispatch.to_understand:
            ids = list(dispatch.to_understand)
            dispatch.to_understand.clear()
            report.analysed += attempt("understand", f"{len(ids)} articles", lambda: steps.understand(env, ids))
        elif dispatch.assign_wanted:
            dispatch.assign_wanted = False
            report.assigned += attempt("assign", "pending articles", lambda: steps.assign(env))
        elif dispatch.stories:
            story_id = next(iter(dispatch.stories))
            del dispatch.stories[story_id]
            report.written += attempt("write", story_id, lambda: steps.write(env, story_id))
        else:
            return report


def poll_once(settings: Settings, *, politeness: Politeness | None = None,
              log: Callable[[str], None] | None = None) -> PollReport:
    """One scheduler pass over due feeds, and all the work it leads to, in this process."""
    env = steps.Env.open(settings, InlineDispatch(), politeness=politeness, log=log)
    try:
        steps.poll(env, sweep_after=timedelta(0))
        return drain(env)
    finally:
        env.close()
