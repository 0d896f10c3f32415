"""The whole flow in one file: ingest → understand → cluster → reconcile → write, through the Store.

Stages are pure functions of dataclasses; this module is the only one that calls them *and* the
store. Every step is idempotent and restartable:

1. each new article is stored in its own transaction as soon as it is read (nothing read is lost
   if a later step fails);
2. articles without a story ("pending") are analysed and assigned on every run, so an
   interrupted run is finished by the next one;
3. stories that gained articles are marked stale and rewritten once per batch, not per article.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Protocol

from crosscheck import cluster, ingest, reconcile, understand, write
from crosscheck.config import Settings
from crosscheck.model import Analysis, Article, Story, Written
from crosscheck.store import Store

ANALYZE_BATCH = 32


class Progress(Protocol):
    """What the CLI's Rich progress bar offers; the pipeline never prints."""

    def start(self, task: str, total: int | None) -> None: ...
    def advance(self, n: int = 1) -> None: ...


class _NoProgress:
    def start(self, task: str, total: int | None) -> None:
        pass

    def advance(self, n: int = 1) -> None:
        pass


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)  # new article ids
    duplicates: int = 0  # inputs we already had (same URL, id or text)
    near_duplicates: int = 0  # stored, linked to their first copy
    errors: list[str] = field(default_factory=list)  # "error: <input>: <reason>"
    stories: list[str] = field(default_factory=list)  # stories created or updated

    @property
    def ok(self) -> bool:
        return not self.errors


def ingest_targets(store: Store, targets: Sequence[str], settings: Settings, *,
                   fetch: Callable | None = None, on_error: Callable[[str], None] | None = None,
                   progress: Progress | None = None) -> IngestReport:
    """Read every target, store new articles, then bring stories up to date."""
    progress = progress or _NoProgress()
    report = IngestReport()
    near_dups = ingest.NearDuplicateIndex()
    since = datetime.now(timezone.utc) - timedelta(days=settings.dedup_window_days)
    for article_id, signature in store.recent_signatures(since):
        near_dups.add(article_id, signature)

    progress.start("Reading", None)
    for item in ingest.read_articles(targets, fetch=fetch):
        progress.advance()
        if isinstance(item, ingest.IngestError):
            _report_error(report, str(item), on_error)
            continue
        try:
            if store.find_existing(item):
                report.duplicates += 1
                continue
            signature = ingest.signature(item.text)
            item.duplicate_of = near_dups.query(signature)
            store.add_article(item, signature)
        except Exception as exc:  # one bad record must not stop the batch; say which and why
            _report_error(report, f"error: {item.input_name or item.id}: could not store: {exc}", on_error)
            continue
        if item.duplicate_of:
            report.near_duplicates += 1
        else:
            near_dups.add(item.id, signature)
        report.added.append(item.id)

    report.stories = update_stories(store, settings, progress=progress,
                                    on_error=lambda line: _report_error(report, line, on_error))
    return report


def update_stories(store: Store, settings: Settings, *, progress: Progress | None = None,
                   on_error: Callable[[str], None] | None = None) -> list[str]:
    """Analyse and assign every pending article, then rewrite the stories that changed."""
    progress = progress or _NoProgress()
    pending = store.pending_articles()  # publication order, undated last
    analyses: dict[str, Analysis] = {}
    progress.start("Understanding", len(pending))
    for batch in _batches(pending, ANALYZE_BATCH):
        for analysis in understand.analyze(batch):
            store.save_analysis(analysis)
            analyses[analysis.article_id] = analysis
        progress.advance(len(batch))

    active_since = datetime.now(timezone.utc) - timedelta(days=settings.story_window_days)
    dated = [a.published for a in pending if a.published]
    if dated:  # an archive being back-filled: stories active around its own dates
        active_since = min(active_since, min(dated) - timedelta(days=settings.story_window_days))
    profiles = [cluster.StoryProfile(story_id=sid, last_published=last, state=state)
                for sid, last, state in store.load_profiles(active_since)]
    clusterer = cluster.Clusterer(profiles)
    titles: dict[str, str] = {}
    progress.start("Grouping into stories", len(pending))
    for article in pending:
        story_id = clusterer.assign(article, analyses.get(article.id))
        store.assign_story(article.id, story_id)
        titles.setdefault(story_id, article.title)
        progress.advance()
    for profile in clusterer.changed():
        story = store.get_story(profile.story_id)
        title = story.title if story else titles.get(profile.story_id, "Untitled story")
        store.save_story(profile.story_id, title=title, profile=profile.state)

    return write_stale_stories(store, settings, progress=progress, on_error=on_error)


def write_stale_stories(store: Store, settings: Settings, *, progress: Progress | None = None,
                        on_error: Callable[[str], None] | None = None) -> list[str]:
    """Reconcile and write each story that gained articles since it was last written."""
    progress = progress or _NoProgress()
    stale = store.stale_story_ids()
    progress.start("Writing stories", len(stale))
    for story_id in stale:
        try:
            write_story(store, story_id, settings)
        except Exception as exc:  # keep going: the story stays stale and is retried next run
            if on_error:
                on_error(f"error: story {story_id}: could not write: {exc}")
        progress.advance()
    return stale


def write_story(store: Store, story_id: str, settings: Settings) -> Written:
    articles = store.story_articles(story_id)
    analyses = store.get_analyses(a.id for a in articles)
    row = store.get_story(story_id)
    story = _story(row, articles)
    groups = reconcile.reconcile(story_id, articles, analyses)
    written = write.write_story(story, articles, analyses, groups, settings.as_write_settings())
    store.save_written(story_id, written, groups)
    return written


def _story(row, articles: list[Article]) -> Story:
    return Story(id=row.id, title=row.title, article_ids=[a.id for a in articles],
                 first_published=row.first_published, last_published=row.last_published,
                 updated=row.updated)


def _report_error(report: IngestReport, line: str, on_error: Callable[[str], None] | None) -> None:
    report.errors.append(line)
    if on_error:
        on_error(line)


def _batches(items: Iterable, size: int):
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
