"""`crosscheck` command line: thin wrappers over pipeline, store and serve."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from crosscheck import pipeline
from crosscheck.config import Settings, load_settings
from crosscheck.store import Store

app = typer.Typer(help="Crosscheck: news stories where every sentence cites and is checked against its sources.",
                  no_args_is_help=True, add_completion=False)
out = Console()
err = Console(stderr=True, highlight=False, soft_wrap=True)

DEMO_DATA = Path(__file__).parent / "demo" / "corpus"  # README and licence stay outside it

DbOption = Annotated[Optional[str], typer.Option("--db", help="SQLite file or postgresql:// URL "
                                                  "(default: CROSSCHECK_DB or ./crosscheck.db).")]
ConfigOption = Annotated[Optional[Path], typer.Option("--config", help="TOML settings file "
                                                       "(default: ./crosscheck.toml when present).")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for machines.")]


def _settings(db: str | None, config: Path | None, **overrides) -> Settings:
    try:
        return load_settings(config, db=db, **overrides)
    except ValueError as exc:
        err.print(f"error: settings: {exc}")
        raise typer.Exit(2) from None


def _open(settings: Settings) -> Store:
    try:
        return Store.open(settings.db)
    except Exception as exc:
        err.print(f"error: {settings.db}: cannot open the database: {exc}")
        raise typer.Exit(2) from None


class RichProgress:
    """The pipeline's Progress, drawn with Rich; silent with --quiet or when not on a terminal."""

    def __init__(self, enabled: bool):
        self.bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                            MofNCompleteColumn(), TimeElapsedColumn(), console=err,
                            disable=not enabled, transient=True)
        self.task = None

    def __enter__(self):
        self.bar.start()
        return self

    def __exit__(self, *exc):
        self.bar.stop()

    def start(self, task: str, total: int | None) -> None:
        if self.task is not None:
            self.bar.update(self.task, visible=False)
        self.task = self.bar.add_task(task, total=total)

    def advance(self, n: int = 1) -> None:
        if self.task is not None:
            self.bar.advance(self.task, n)


def _fetcher(settings: Settings):
    import httpx

    from crosscheck.ingest import http_fetch

    timeout = httpx.Timeout(settings.fetch_timeout, connect=min(10.0, settings.fetch_timeout))

    def fetch(url: str):
        return http_fetch(url, timeout=timeout, user_agent=settings.user_agent)

    return fetch


def _print_json(data) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


@app.command()
def ingest(
    targets: Annotated[list[str], typer.Argument(help="Files, folders (recursive), URLs or feeds.")],
    db: DbOption = None, config: ConfigOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary.")] = False,
    offline: Annotated[bool, typer.Option("--offline", help="Never fetch URLs.")] = False,
) -> None:
    """Read articles, group them into stories and write each story. Exit 1 when an input failed."""
    settings = _settings(db, config)
    store = _open(settings)
    fetch = None if offline else _fetcher(settings)
    with RichProgress(enabled=not quiet and err.is_terminal) as progress:
        report = pipeline.ingest_targets(store, targets, settings, fetch=fetch,
                                         on_error=lambda line: err.print(line, markup=False),
                                         progress=progress)
    if not quiet:
        err.print(f"{len(report.added)} new articles ({report.near_duplicates} near-duplicates), "
                  f"{report.duplicates} already stored, {len(report.errors)} errors, "
                  f"{len(report.stories)} stories updated")
    raise typer.Exit(0 if report.ok else 1)


@app.command()
def extract(target: Annotated[str, typer.Argument(help="One file, page URL, record file or feed.")],
            as_json: JsonOption = False,
            offline: Annotated[bool, typer.Option("--offline", help="Never fetch URLs.")] = False) -> None:
    """Show what `ingest` would store for one input, without storing it (same code path)."""
    settings = _settings(None, None)
    fetch = None if offline else _fetcher(settings)
    found, failed = [], False
    from crosscheck import ingest as ingest_stage

    for item in ingest_stage.read_articles([target], fetch=fetch):
        if isinstance(item, ingest_stage.IngestError):
            err.print(str(item), markup=False)
            failed = True
        else:
            found.append(item)
    if as_json:
        _print_json([asdict(a) | {"origin": a.origin} for a in found])
    else:
        for a in found:
            p = a.provenance
            flags = [name for name, on in (("AI-generated", p.ai_generated), ("opinion", p.opinion),
                                           ("translated", p.translated)) if on]
            out.print(f"[bold]{a.title}[/bold]")
            for label, value in (("url", a.canonical_url or a.url), ("published", a.published),
                                 ("author", a.author), ("site", a.source), ("language", a.language),
                                 ("flags", ", ".join(flags)), ("original", p.original_url),
                                 ("cites", ", ".join(p.cited_origins)),
                                 ("related links", len(a.related) or None)):
                if value:
                    out.print(f"  {label}: {value}", markup=False)
            out.print()
            out.print(a.text, markup=False)
    raise typer.Exit(1 if failed else 0)


@app.command()
def stories(db: DbOption = None, config: ConfigOption = None, as_json: JsonOption = False,
            limit: Annotated[int, typer.Option(help="How many stories.")] = 50) -> None:
    """List stories: title, articles, outlets and independent origins, first and last date."""
    store = _open(_settings(db, config))
    rows = store.list_stories(limit=limit)
    if as_json:
        _print_json([_story_json(store, row) for row in rows])
        return
    table = Table("id", "title", "articles", "origins", "outlets", "first", "last")
    for r in rows:
        table.add_row(r.id, r.title[:70], str(r.article_count), str(r.origin_count), str(len(r.outlets)),
                      _date(r.first_published), _date(r.last_published))
    out.print(table)


@app.command()
def story(story_id: str, db: DbOption = None, config: ConfigOption = None, as_json: JsonOption = False) -> None:
    """One story: its articles, entities, timeline and claim groups."""
    store = _open(_settings(db, config))
    row = store.get_story(store.resolve_story_id(story_id))
    if row is None:
        err.print(f"error: story {story_id}: not found")
        raise typer.Exit(1)
    data = _story_json(store, row, full=True)
    if as_json:
        _print_json(data)
        return
    out.print(f"[bold]{row.title}[/bold]  ({row.article_count} articles, {row.origin_count} origins)")
    for a in data["articles"]:
        out.print(f"  • {a['title']}  [dim]{a['source'] or ''} {a['published'] or ''}[/dim]")
    for g in data["claim_groups"]:
        out.print(f"  [{g['kind']}] {g['summary']}")


@app.command(name="write")
def write_cmd(story_id: str, db: DbOption = None, config: ConfigOption = None, as_json: JsonOption = False) -> None:
    """Rewrite one story now and print the summary, timeline, disagreements and SEO text."""
    settings = _settings(db, config)
    store = _open(settings)
    row = store.get_story(store.resolve_story_id(story_id))
    if row is None:
        err.print(f"error: story {story_id}: not found")
        raise typer.Exit(1)
    written = pipeline.write_story(store, row.id, settings)
    if as_json:
        _print_json(asdict(written))
        return
    out.print(f"[bold]{written.seo_title}[/bold]\n{written.meta_description}\n[dim]mode: {written.mode}[/dim]\n")
    conflicts = {g.id: g.summary for g in written.disagreements}
    for s in written.summary:
        cites = "".join(f"[{c.number}]" for c in s.citations)
        out.print(f"{s.text} {cites}  ({s.check.label})", markup=False)
        if s.disagreement:
            out.print(f"    ⚠ sources disagree: {conflicts.get(s.disagreement, s.disagreement)}", markup=False)
    if written.disagreements:
        out.print("\n[bold]Where sources disagree[/bold]")
        for g in written.disagreements:
            out.print(f"  • {g.summary}", markup=False)
    if written.timeline:
        out.print("\n[bold]Timeline[/bold]")
        for t in written.timeline:
            out.print(f"  {t.interval.label or t.interval.start}  {t.text}", markup=False)
    out.print("\n[bold]Sources[/bold]")
    for n, source in enumerate(store.get_articles(written.sources), start=1):
        out.print(f"  [{n}] {source.title} — {source.source or source.input_name} ({source.id})", markup=False)


@app.command()
def article(article_id: str, db: DbOption = None, config: ConfigOption = None, as_json: JsonOption = False) -> None:
    """One stored article with its provenance."""
    store = _open(_settings(db, config))
    found = store.get_article(article_id)
    if found is None:
        err.print(f"error: article {article_id}: not found")
        raise typer.Exit(1)
    if as_json:
        _print_json(asdict(found))
        return
    out.print(f"[bold]{found.title}[/bold]\n", markup=True)
    out.print(found.text, markup=False)


@app.command()
def recluster(db: DbOption = None, config: ConfigOption = None,
              days: Annotated[float, typer.Option(help="Regroup stories active within this many days "
                                                  "of the newest article; 0 = all.")] = 30.0) -> None:
    """Regroup recent stories (merge/split); ids stay stable where membership mostly stays."""
    settings = _settings(db, config)
    done = pipeline.recluster(_open(settings), settings, days=days or None)
    err.print(f"{done.stories_before} stories → {done.stories_after}; {done.moved} articles moved; "
              f"{len(done.renamed)} story ids retired (they redirect to their successor)")


@app.command()
def serve(db: DbOption = None, config: ConfigOption = None,
          host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
          port: Annotated[int, typer.Option(help="Port.")] = 8000,
          workers: Annotated[int, typer.Option(help="Server processes (needs CROSSCHECK_SECRET_KEY "
                                               "when more than 1).")] = 1) -> None:
    """Serve the web reader, the JSON API and the feeds."""
    settings = _settings(db, config)
    _open(settings).close()  # migrate before the first request
    if workers > 1:
        import os

        import uvicorn

        if not settings.secret_key:
            err.print("error: --workers: set CROSSCHECK_SECRET_KEY so all workers sign cookies alike")
            raise typer.Exit(2)
        os.environ["CROSSCHECK_DB"] = settings.db  # the worker processes read their settings anew
        uvicorn.run("crosscheck.serve.app:app_from_environment", factory=True, host=host, port=port,
                    workers=workers, log_level="warning")
        return
    _run_server(settings, host, port)


@app.command()
def demo(db: Annotated[str, typer.Option("--db", help="Where to build the demo database "
                                         "(replaced if it exists).")] = "crosscheck-demo.db",
         port: Annotated[int, typer.Option(help="Port.")] = 8000,
         no_serve: Annotated[bool, typer.Option("--no-serve", help="Build the database and stop.")] = False,
         quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False) -> None:
    """Ingest the bundled sample corpus into a fresh database and serve it."""
    if "://" not in db:
        for suffix in ("", "-wal", "-shm"):
            Path(db + suffix).unlink(missing_ok=True)
    settings = load_settings(None, db=db)
    store = _open(settings)
    with RichProgress(enabled=not quiet and err.is_terminal) as progress:
        report = pipeline.ingest_targets(store, [str(DEMO_DATA)], settings, fetch=None,
                                         on_error=lambda line: err.print(line, markup=False),
                                         progress=progress)
    err.print(f"demo: {len(report.added)} articles in {store.count_stories()} stories → {db}")
    if report.errors:
        raise typer.Exit(1)
    if not no_serve:
        err.print(f"open http://127.0.0.1:{port}/")
        _run_server(settings, "127.0.0.1", port)


# ---------------------------------------------------------------- reader accounts

user_app = typer.Typer(help="Reader accounts for the web reader's discussions.", no_args_is_help=True)
app.add_typer(user_app, name="user")


@user_app.command("create")
def user_create(username: Annotated[str, typer.Argument(help="3–40 letters, digits, '.', '_' or '-'.")],
                moderator: Annotated[bool, typer.Option("--moderator", help="May hide comments.")] = False,
                password_stdin: Annotated[bool, typer.Option("--password-stdin",
                                                             help="Read the password from standard input.")] = False,
                db: DbOption = None, config: ConfigOption = None) -> None:
    """Create an account (asks for the password, or reads it with --password-stdin)."""
    from crosscheck.serve.accounts import AccountError, create_user_cli

    settings = _settings(db, config)
    password = (sys.stdin.readline().rstrip("\n") if password_stdin
                else typer.prompt("Password", hide_input=True, confirmation_prompt=True))
    try:
        user = create_user_cli(settings.db, username, password, moderator=moderator)
    except AccountError as exc:
        err.print(f"error: {exc}")
        raise typer.Exit(2) from None
    err.print(f"created {'moderator' if user.is_moderator else 'user'} {user.display_name}")


# ---------------------------------------------------------------- scale-out: feeds, poll, worker, status

feeds_app = typer.Typer(help="Feeds to poll politely (robots.txt, rate limit, backoff, ETag).",
                        no_args_is_help=True)
app.add_typer(feeds_app, name="feeds")


@feeds_app.command("add")
def feeds_add(urls: Annotated[list[str], typer.Argument(help="RSS/Atom feed URLs.")],
              db: DbOption = None, config: ConfigOption = None,
              interval: Annotated[int, typer.Option(help="Seconds between polls of a healthy feed.")] = 900) -> None:
    """Follow feeds: each is due at once, then every --interval seconds (backing off on errors)."""
    from crosscheck.store.feeds import FeedStore

    feeds = FeedStore(_open(_settings(db, config)))
    for url in urls:
        if not url.lower().startswith(("http://", "https://")):
            err.print(f"error: {url}: not an http(s) URL")
            raise typer.Exit(2)
        _, created = feeds.add_feed(url, interval)
        err.print(f"{'added' if created else 'already followed'}: {url}", markup=False)


@feeds_app.command("list")
def feeds_list(db: DbOption = None, config: ConfigOption = None, as_json: JsonOption = False) -> None:
    """Followed feeds with their health: last success, errors, next poll."""
    from crosscheck.store.feeds import FeedStore

    rows = FeedStore(_open(_settings(db, config))).list_feeds()
    if as_json:
        _print_json([asdict(f) for f in rows])
        return
    _feeds_table(rows)


def _feeds_table(rows) -> None:
    table = Table("url", "last success", "errors", "last error", "next poll", "added")
    for f in rows:
        table.add_row(f.url, _when(f.last_success), f"{f.consecutive_errors} ({f.total_errors} total)",
                      (f.last_error or "")[:60], _when(f.next_poll_at), str(f.articles_added))
    out.print(table)


@app.command()
def poll(db: DbOption = None, config: ConfigOption = None,
         now: Annotated[bool, typer.Option("--now", help="Treat every feed as due.")] = False,
         inline: Annotated[bool, typer.Option("--inline", help="Do the work in this process even on "
                                              "PostgreSQL (SQLite always does).")] = False) -> None:
    """One scheduler pass: fetch due feeds. SQLite: all the work here; PostgreSQL: jobs for workers."""
    from crosscheck.store.feeds import FeedStore

    settings = _settings(db, config)
    store = _open(settings)
    if now:
        FeedStore(store).make_due()
    store.close()
    if store.dialect == "postgresql" and not inline:
        from crosscheck.queue import tasks

        handed = tasks.schedule(settings)
        err.print(f"{handed} feeds handed to the workers")
        return
    from crosscheck.queue.inline import poll_once

    report = poll_once(settings, log=lambda line: err.print(line, markup=False))
    err.print(f"{report.feeds} feeds, {report.pages} pages fetched; {report.analysed} articles analysed, "
              f"{report.assigned} assigned; {report.written} stories written; {report.failures} failures")
    raise typer.Exit(1 if report.failures else 0)


@app.command()
def worker(db: DbOption = None, config: ConfigOption = None,
           concurrency: Annotated[int, typer.Option("--concurrency", "-c", min=1,
                                                    help="Jobs run at once in this process.")] = 1,
           queue: Annotated[Optional[list[str]], typer.Option("--queue", help="Only these queues "
                                                              "(fetch, process); default both.")] = None,
           heartbeat: Annotated[float, typer.Option(help="Seconds between heartbeats.")] = 5.0,
           stalled_after: Annotated[float, typer.Option(help="Retry jobs of workers silent this long "
                                                        "(seconds).")] = 15.0) -> None:
    """Run a task-queue worker against PostgreSQL (any number, on any machines). Ctrl-C stops it."""
    import logging

    from crosscheck.queue import tasks

    settings = _settings(db, config)
    _open(settings).close()  # migrate before taking work
    try:
        tasks.conninfo(settings.db)
    except ValueError as exc:
        err.print(f"error: {exc}")
        raise typer.Exit(2) from None
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    tasks.run_worker(settings, concurrency=concurrency, queues=queue or None, heartbeat_s=heartbeat,
                     stalled_after_s=stalled_after, log=lambda line: err.print(line, markup=False))


@app.command()
def status(db: DbOption = None, config: ConfigOption = None, as_json: JsonOption = False,
           minutes: Annotated[int, typer.Option(help="Throughput window in minutes.")] = 15) -> None:
    """Queue depth, failures with reasons, feed health and per-stage throughput."""
    from datetime import timedelta

    from crosscheck.queue.status import gather

    report = gather(_open(_settings(db, config)), window=timedelta(minutes=minutes))
    if as_json:
        _print_json(report.as_json())
        return
    out.print(f"[bold]{report.backend}[/bold]: {report.pending_articles} articles waiting for a story, "
              f"{report.stale_stories} stories waiting to be written")
    if report.queue:
        table = Table("queue", "task", "state", "jobs", title="Queue")
        for q in report.queue:
            table.add_row(q.queue, q.task, q.status, str(q.jobs))
        out.print(table)
    elif report.backend.startswith("postgresql"):
        out.print("Queue: empty")
    if report.throughput:
        table = Table("stage", "runs", "items", "items/s", "busy s", title=f"Last {report.window_minutes} minutes")
        for t in report.throughput:
            table.add_row(t.stage, str(t.runs), str(t.items), f"{t.items_per_second:.2f}", f"{t.busy_seconds:.1f}")
        out.print(table)
    if report.feeds:
        _feeds_table(report.feeds)
    if report.failures:
        table = Table("when", "task", "subject", "reason", title="Recent failures")
        for f in report.failures:
            table.add_row(_when(f.at), f.task, f.subject[:60], f.error[:100])
        out.print(table)


def _when(value) -> str:
    return value.isoformat(timespec="seconds") if value else "—"


def _run_server(settings: Settings, host: str, port: int) -> None:
    import uvicorn

    from crosscheck.serve.app import create_app

    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")


def _story_json(store: Store, row, full: bool = False) -> dict:
    articles = store.story_articles(row.id)
    data = {
        "id": row.id, "title": row.title, "article_count": row.article_count,
        "origin_count": row.origin_count, "outlets": row.outlets,
        "first_published": row.first_published, "last_published": row.last_published,
        "articles": [{"id": a.id, "title": a.title, "source": a.source, "url": a.url,
                      "published": a.published, "input": a.input_name, "duplicate_of": a.duplicate_of,
                      "origin": a.origin, "provenance": asdict(a.provenance)} for a in articles],
    }
    if full:
        written, groups = store.get_written(row.id)
        analyses = store.get_analyses(a.id for a in articles)
        from crosscheck.understand import link_entities

        # One entity per person/place/organisation across the story's sources ("Takaichi",
        # "PM Takaichi", "Sanae Takaichi" → one, with every alias).
        data["entities"] = sorted((asdict(e) for e in link_entities(analyses)), key=lambda e: e["key"])
        data["roles"] = [asdict(r) for analysis in analyses for r in analysis.roles]
        data["timeline"] = [asdict(t) for t in written.timeline] if written else []
        data["claim_groups"] = [asdict(g) for g in groups]
        data["summary"] = [asdict(s) for s in written.summary] if written else []
    return data


def _date(value) -> str:
    return value.date().isoformat() if value else "—"


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
