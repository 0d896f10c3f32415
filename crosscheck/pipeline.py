"""The whole flow in one file: ingest → understand → cluster → reconcile → write, through the Store.

Stages are pure functions of dataclasses; this module is the only one that calls them *and* the
store. Every step is idempotent and restartable:

1. each new article is stored in its own transaction as soon as it is read (nothing read is lost
   if a later step fails);
2. articles without a story ("pending") are analysed and assigned on every run, so an
   interrupted run is finished by the next one;
3. stories that gained articles are marked stale and rewritten once per batch, not per article.

The same steps also run one at a time from a task queue (`crosscheck/queue/`, PostgreSQL):
`store_article` / `store_feed` / `store_page` (any worker, race-safe), `analyze_articles` (any
worker, in parallel), `assign_pending` (one process at a time, under the story lock) and
`write_story_if_current` (a story's text is kept only if no article joined it meanwhile).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Protocol

from sqlalchemy.exc import IntegrityError

from crosscheck import cluster, ingest, reconcile, understand, write
from crosscheck.config import Settings
from crosscheck.ingest.sources import articles_from_feed
from crosscheck.model import Analysis, Article, Story, Written
from crosscheck.store import Store
from crosscheck.store.feeds import FeedStore

ANALYZE_BATCH = 64  # with 2 spaCy processes, larger batches amortise the fork (measured 14 → 16 articles/s)


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
    near_dups = RecentCopies(store, settings)

    progress.start("Reading", None)
    for item in ingest.read_articles(targets, fetch=fetch):
        progress.advance()
        if isinstance(item, ingest.IngestError):
            _report_error(report, str(item), on_error)
            continue
        try:  # stored at once, in its own transaction: nothing read is lost if a later step fails
            stored = store_article(store, item, near_dups)
        except Exception as exc:  # one bad record must not stop the batch; say which and why
            _report_error(report, f"error: {item.input_name or item.id}: could not store: {exc}", on_error)
            continue
        if not stored.new:
            report.duplicates += 1
            continue
        if stored.near_duplicate_of:
            report.near_duplicates += 1
        report.added.append(stored.article_id)

    report.stories = update_stories(store, settings, progress=progress,
                                    on_error=lambda line: _report_error(report, line, on_error))
    return report


def update_stories(store: Store, settings: Settings, *, progress: Progress | None = None,
                   on_error: Callable[[str], None] | None = None) -> list[str]:
    """Analyse and assign every pending article, then rewrite the stories that changed."""
    assign_pending(store, settings, progress=progress)
    return write_stale_stories(store, settings, progress=progress, on_error=on_error)


@dataclass
class Assigned:
    articles: list[str] = field(default_factory=list)  # articles put into a story
    stories: list[str] = field(default_factory=list)  # stories created or changed (now stale)


def assign_pending(store: Store, settings: Settings, *, analysed_only: bool = False,
                   progress: Progress | None = None) -> Assigned:
    """Put every pending article into a story; says which articles and which stories changed.

    Runs under the story lock: assignment reads and updates the live story profiles, so two
    processes doing it at once would each miss the other's articles. Analyses already saved
    (by `analyze_articles` on a worker) are reused; `analysed_only` leaves articles without one
    for later (a worker is still reading them) instead of analysing them under the lock.
    """
    progress = progress or _NoProgress()
    with FeedStore(store).story_lock():
        if analysed_only:  # publication order, undated last
            pending = store.get_articles(FeedStore(store).pending_analysed_ids())
        else:
            pending = store.pending_articles()
        analyses: dict[str, Analysis] = {a.article_id: a for a in store.get_analyses(p.id for p in pending)}
        missing = [a for a in pending if a.id not in analyses]
        progress.start("Understanding", len(pending))
        progress.advance(len(pending) - len(missing))
        for batch in _batches(missing, ANALYZE_BATCH):
            found = _understand(batch, settings, processes=settings.understand_processes)
            _save_analyses(store, found)
            analyses.update((a.article_id, a) for a in found)
            progress.advance(len(batch))

        active_since = datetime.now(timezone.utc) - timedelta(days=settings.story_window_days)
        dated = [a.published for a in pending if a.published]
        if dated:  # an archive being back-filled: stories active around its own dates
            active_since = min(active_since, min(dated) - timedelta(days=settings.story_window_days))
        dense = _embed(pending, settings, progress)
        profiles = [cluster.StoryProfile(story_id=sid, last_published=last, state=state)
                    for sid, last, state in store.load_profiles(active_since)]
        clusterer = cluster.Clusterer(profiles, settings=cluster.settings_for(settings.cluster_embedder))
        pairs = []
        progress.start("Grouping into stories", len(pending))
        for article in pending:
            story_id = clusterer.assign(article, analyses.get(article.id), dense.get(article.id))
            pairs.append((article.id, story_id))
            progress.advance()
        changed = clusterer.changed()
        # One transaction: the articles' stories with those stories' headers and profiles.
        store.save_stories(pairs, [(p.story_id, p.state) for p in changed], title_of=story_title)
    return Assigned(articles=[a.id for a in pending], stories=[p.story_id for p in changed])


def _embed(articles: list[Article], settings: Settings, progress: Progress) -> dict[str, list[float]]:
    """Sentence embeddings for clustering when `cluster_embedder` names one (off by default)."""
    embedder = cluster.embedder_for(settings.cluster_embedder)
    if embedder is None:
        return {}
    vectors: dict[str, list[float]] = {}
    progress.start("Embedding", len(articles))
    for batch in _batches(articles, ANALYZE_BATCH):
        vectors.update(zip((a.id for a in batch), embedder.embed(batch)))
        progress.advance(len(batch))
    return vectors


@dataclass
class Reclustered:
    stories_before: int
    stories_after: int
    moved: int  # articles whose story id changed
    renamed: dict[str, str]  # retired story id -> the story that now holds most of it


def recluster(store: Store, settings: Settings, *, days: float | None = 30.0) -> Reclustered:
    """Regroup the stories active in the last `days` (before the newest article; None: all).

    Story ids stay where membership mostly stays; a retired id redirects to its successor, with
    its discussion, so readers' links and comments keep working. Runs under the story lock.
    """
    newest = store.newest_published()
    since = newest - timedelta(days=days) if (days is not None and newest) else None
    with FeedStore(store).story_lock():
        story_ids = store.story_ids_active_since(since)
        members = {sid: store.story_articles(sid) for sid in story_ids}
        articles = [a for sid in story_ids for a in members[sid]]
        previous = {a.id: sid for sid in story_ids for a in members[sid]}
        analyses = {a.article_id: a for a in store.get_analyses(previous)}
        result = cluster.recluster(articles, previous, analyses,
                                   settings=cluster.settings_for(settings.cluster_embedder),
                                   dense=_embed(articles, settings, _NoProgress()))
        story_of = result.story_of()
        moves = [(aid, sid) for aid, sid in story_of.items() if previous.get(aid) != sid]
        store.save_stories(moves, [(p.story_id, p.state) for p in result.profiles], title_of=story_title,
                           retired=result.renamed)
    write_stale_stories(store, settings)
    return Reclustered(stories_before=len(story_ids), stories_after=len(result.membership),
                       moved=len(moves), renamed=dict(result.renamed))


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
    written, groups, _ = _compose(store, story_id, settings)
    store.save_written(story_id, written, groups)
    return written


def write_story_if_current(store: Store, story_id: str, settings: Settings) -> bool:
    """Write a story; keep the text only if no article joined the story while it was written.

    False means the story changed meanwhile: it stays stale, and whichever step changed it has
    asked for another write. Safe to run on several workers at once.
    """
    if store.get_story(story_id) is None:
        return True  # nothing to write (merged away)
    written, groups, row = _compose(store, story_id, settings)
    return FeedStore(store).save_written_if_unchanged(story_id, written, groups, row.updated)


def _compose(store: Store, story_id: str, settings: Settings):
    row = store.get_story(story_id)  # first: its `updated` stamp guards what we read after it
    articles = store.story_articles(story_id)
    analyses = store.get_analyses(a.id for a in articles)
    story = _story(row, articles)
    groups = reconcile.reconcile(story_id, articles, analyses)
    written = write.write_story(story, articles, analyses, groups, settings.as_write_settings())
    return written, groups, row


# ---------------------------------------------------------------- one article at a time (workers)


@dataclass
class Stored:
    """What storing one article did."""

    article_id: str  # the stored copy: this article's id, or the earlier copy's it duplicates
    new: bool  # False: we had it already (same id, canonical URL or text)
    near_duplicate_of: str | None = None


class RecentCopies:
    """Near-duplicate index of recent first copies, topped up from the store before each use.

    Several workers add articles at once, so each process reloads only what was stored since it
    last looked (cheap) instead of every signature per article. Two near-copies stored in the
    same instant by two workers may both count as first copies; exact copies never do.
    """

    def __init__(self, store: Store, settings: Settings):
        self.store = store
        self.window = timedelta(days=settings.dedup_window_days)
        self.index = ingest.NearDuplicateIndex()
        self.loaded_at: datetime | None = None
        self.lock = threading.Lock()

    REFRESH_EVERY = timedelta(seconds=2)  # a burst of stores shares one reload
    OVERLAP = timedelta(seconds=30)  # rows committed late with an earlier `ingested_at`

    def refresh(self) -> None:
        now = datetime.now(timezone.utc)
        if self.loaded_at is not None and now - self.loaded_at < self.REFRESH_EVERY:
            return
        since = now - self.window if self.loaded_at is None else self.loaded_at - self.OVERLAP
        for article_id, sig in self.store.recent_signatures(since):
            if article_id not in self.index:
                self.index.add(article_id, sig)
        self.loaded_at = now


def store_article(store: Store, article: Article, near_dups: RecentCopies | None = None) -> Stored:
    """Store one article exactly once, even when two workers store it at the same moment."""
    return store_articles(store, [article], near_dups)[0]


def store_articles(store: Store, batch: Sequence[Article], near_dups: RecentCopies | None = None) -> list[Stored]:
    """Store each article exactly once (race-safe, in bulk); one `Stored` per article, in order."""
    feeds = FeedStore(store)
    existing = feeds.existing_ids(list(batch))
    outcome: dict[int, Stored] = {}
    fresh: list[tuple[int, Article, bytes]] = []
    claimed: dict[str, str] = {}  # id / canonical URL / content hash → first article in this batch
    if near_dups is not None:
        with near_dups.lock:
            near_dups.refresh()
    for position, article in enumerate(batch):
        keys = [article.id, article.content_hash] + ([article.canonical_url] if article.canonical_url else [])
        earlier = existing.get(article.id) or next((claimed[k] for k in keys if k in claimed), None)
        if earlier:
            outcome[position] = Stored(earlier, new=False)
            continue
        claimed.update(dict.fromkeys(keys, article.id))
        signature = ingest.signature(article.text)
        if near_dups is not None:
            with near_dups.lock:
                article.duplicate_of = near_dups.index.query(signature)
                if not article.duplicate_of:
                    near_dups.index.add(article.id, signature)
        fresh.append((position, article, signature))
    inserted = feeds.add_articles_once([(a, sig) for _, a, sig in fresh])
    for position, article, _ in fresh:
        if article.id in inserted:
            outcome[position] = Stored(article.id, new=True, near_duplicate_of=article.duplicate_of)
        else:  # another worker stored it a moment ago: fine
            outcome[position] = Stored(store.find_existing(article) or article.id, new=False)
    return [outcome[i] for i in range(len(batch))]


@dataclass
class FeedRead:
    """One feed document read and its full-content entries stored."""

    stored: list[Stored] = field(default_factory=list)
    links: list[str] = field(default_factory=list)  # link-only entries: fetch each page
    errors: list[str] = field(default_factory=list)  # entry-level, "error: <entry>: <reason>"
    feed_error: str | None = None  # the document itself is unreadable (malformed, empty)

    @property
    def entries(self) -> int:
        return len(self.stored) + len(self.links) + len(self.errors)


class _LinkOnly(Exception):
    """Raised by the fetcher `store_feed` hands to ingest: link-only entries are fetched later,
    each in its own task, so one slow page never holds up a feed."""


def store_feed(store: Store, data: bytes, feed_url: str, near_dups: RecentCopies | None = None) -> FeedRead:
    """Read a fetched feed document; store entries with full content, list link-only entries."""
    read = FeedRead()
    links: list[str] = []

    def collect_link(url: str):
        links.append(url)
        raise _LinkOnly(url)

    items = list(articles_from_feed(data, feed_url, collect_link))
    if len(items) == 1 and isinstance(items[0], ingest.IngestError) and items[0].input_name == feed_url:
        read.feed_error = items[0].reason
        return read
    link_set = set(links)
    found = []
    for item in items:
        if isinstance(item, ingest.IngestError):
            if item.input_name.partition("#")[2] not in link_set:
                read.errors.append(str(item))
        else:
            found.append(item)
    read.stored = store_articles(store, found, near_dups)
    read.links = list(dict.fromkeys(links))
    return read


def store_page(store: Store, content: bytes, url: str, input_name: str,
               near_dups: RecentCopies | None = None) -> Stored:
    """Extract one fetched page and store its article (raises ingest.IngestError when unreadable)."""
    return store_article(store, ingest.extract_page(content, url=url, input_name=input_name), near_dups)


def analyze_articles(store: Store, article_ids: Sequence[str], settings: Settings | None = None) -> int:
    """Understand stored articles that are still pending and have no analysis; returns how many.

    Safe on any number of workers at once: analyses are deterministic, so a race only repeats work.
    """
    ids = FeedStore(store).pending_among(list(dict.fromkeys(article_ids)))
    done = {a.article_id for a in store.get_analyses(ids)}
    todo = store.get_articles(i for i in ids if i not in done)
    for batch in _batches(todo, ANALYZE_BATCH):
        _save_analyses(store, _understand(batch, settings))
    return len(todo)


def _understand(batch: list[Article], settings: Settings | None, processes: int = 1) -> list[Analysis]:
    """The understand stage, with the optional LLM claim proposer when an endpoint is configured.

    `processes` > 1 forks spaCy workers; only the in-process path asks for it (a queue worker
    runs threads, where forking is unsafe, and scales by running more worker processes)."""
    llm = None
    if settings is not None and settings.llm_url and settings.llm_model:
        from crosscheck.understand.llm import LLMClaimProposer

        llm = LLMClaimProposer(base_url=settings.llm_url, model=settings.llm_model)
    return understand.analyze(batch, n_process=max(1, processes), llm=llm)


def _save_analyses(store: Store, found: list[Analysis], attempts: int = 5) -> None:
    """Save in one go, retrying when another worker saved the same article a moment earlier."""
    for attempt in range(attempts):
        try:
            FeedStore(store).save_analyses(found)
            return
        except IntegrityError:
            if attempt == attempts - 1:
                raise


def story_title(articles: list[Article]) -> str:
    """A story is named by the earliest real headline among its first copies.

    A title that merely repeats the body's first sentence stands in for a missing headline
    (plain-text files, ECB+ records): it names the story only when no source has a headline."""
    def stand_in(a: Article) -> bool:
        return a.text.lstrip().startswith(a.title.rstrip(". "))

    firsts = [a for a in articles if not a.duplicate_of] or articles
    if not firsts:
        return "Untitled story"
    return min(firsts, key=lambda a: (stand_in(a), a.published is None,
                                      a.published.timestamp() if a.published else 0, a.id)).title


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
